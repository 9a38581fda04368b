"""Named SPARQL queries (``sparql/*.rq``) over the RDF form of the graph, with parameters.

Each ``.rq`` file starts with comments saying what it answers and a ``# params:`` line (see
:mod:`.named`); documents and tasks are bound as their IRIs. Values are bound as RDF terms (SEP-0007 substitutions on Oxigraph,
``initBindings`` on rdflib): nothing typed is ever pasted into a query string.

The store is Oxigraph (pyoxigraph) by default: on the benchmark it answers these queries one to two
orders of magnitude faster than rdflib's own engine (``scripts/bench_queries.py``).

Every query is parsed by rdflib (SPARQL 1.1) before it runs, on either backend, and refused with one line
when it cannot be run safely (:func:`check_query`): it cannot be parsed (E601), it calls a ``SERVICE``
(remote federation, E602: both engines would fetch the URL; ``allow_service=True`` runs it), it names
``FROM`` / ``FROM NAMED`` graphs (E603), or it is not a ``SELECT`` query (an update such as ``LOAD``, a
``CONSTRUCT``: E604). What is refused is read from the parsed algebra, so a ``SERVICE`` in a comment or a
string is not one:

>>> q = _FILES.parse("svc", "# SERVICE <http://x/> is not called here\\n"
...                  "SELECT ?s WHERE { ?s ?p 'SERVICE <http://x/>' }", "svc.rq")
>>> check_query(q).algebra.name
'SelectQuery'
>>> check_query(_FILES.parse("svc", "SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }", "svc.rq"))
Traceback (most recent call last):
...
policykg.queries.named.QueryFileError: E602 svc.rq: the query reaches outside the store (SERVICE <http://x/sparql>): remote federation is refused (--allow-service runs it)
>>> check_query(_FILES.parse("bad", "SELECT ?x WHERE { ?x ?y", "bad.rq"))
Traceback (most recent call last):
...
policykg.queries.named.QueryFileError: E601 bad.rq: the query cannot be parsed: Expected SelectQuery, found '?' (line 1, column 19)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query

from ..errors import Errors
from ..graph.rdf import node_iri, to_rdf
from .api import PolicyGraph
from .named import NamedQuery, QueryFiles, first_line, resolve_params

__all__ = ["SPARQL_DIR", "named_queries", "load_query", "check_query", "SparqlRunner"]

SPARQL_DIR = Path(__file__).resolve().parent / "sparql"
_FILES = QueryFiles(SPARQL_DIR, ".rq", "#")


def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped with policykg, by file stem."""
    return _FILES.named


def load_query(name_or_file: str, backend: str = "oxigraph", allow_service: bool = False) -> NamedQuery:
    """A named query, or a ``.rq`` file given by path, checked by :func:`check_query` (any problem raises
    :class:`~policykg.queries.named.QueryFileError`)."""
    query = _FILES.load(name_or_file)
    check_query(query, backend, allow_service)
    return query


_KINDS = {"ConstructQuery": "a CONSTRUCT query", "AskQuery": "an ASK query", "DescribeQuery": "a DESCRIBE query"}


def check_query(query: NamedQuery, backend: str = "oxigraph", allow_service: bool = False) -> Query:
    """``query`` parsed (with the prefixes ``backend`` knows), or :class:`~policykg.queries.named.QueryFileError`:
    E601 it cannot be parsed, E602 it calls a ``SERVICE`` (unless ``allow_service``), E603 it has ``FROM`` /
    ``FROM NAMED`` clauses, E604 it is an update or not a ``SELECT``."""
    if not any(line.strip() and not line.lstrip().startswith("#") for line in query.text.splitlines()):
        raise query.error(Errors.E601, detail="the file holds no query, only comments")
    try:
        prepared = _prepare(query.text, backend)
    except Exception as exc:  # noqa: BLE001 - pyparsing, and rdflib's own errors (an unknown prefix)
        if operations := _update_operations(query.text):
            raise query.error(Errors.E604, kind=f"a SPARQL update ({', '.join(operations)})") from None
        raise query.error(Errors.E601, detail=_parse_detail(exc)) from None
    algebra = prepared.algebra
    if algebra.name != "SelectQuery":
        raise query.error(Errors.E604, kind=_KINDS.get(algebra.name, algebra.name))
    if clauses := algebra.get("datasetClause"):
        what = ", ".join(f"FROM NAMED <{c['named']}>" if "named" in c else f"FROM <{c['default']}>" for c in clauses)
        raise query.error(Errors.E603, what=first_line(what, 120))
    services: list[str] = []
    traverse(algebra, visitPost=lambda node: services.append(node.term.n3())
             if getattr(node, "name", None) == "ServiceGraphPattern" else None)
    if services and not allow_service:
        raise query.error(Errors.E602, what=first_line(f"SERVICE {services[0]}", 120),
                          hint=" (--allow-service runs it)")
    return prepared


@lru_cache(maxsize=64)
def _prepare(text: str, backend: str) -> Query:
    """The parsed query, with the prefixes bound on the RDF graph for rdflib (Oxigraph knows only those the
    query declares)."""
    return prepareQuery(text, initNs=_rdflib_prefixes() if backend == "rdflib" else {})


@lru_cache(maxsize=1)
def _rdflib_prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in to_rdf(nx.MultiDiGraph(), store="default").namespaces()}


def _update_operations(text: str) -> list[str]:
    """The operations of ``text`` if it is a SPARQL update (``LOAD``, ``INSERT DATA``...), else []."""
    try:
        request = parseUpdate(text).request
    except Exception:  # noqa: BLE001 - not an update either
        return []
    return [re.sub(r"(?<=[a-z])(?=[A-Z])", " ", op.name).upper() for op in request]


def _parse_detail(exc: Exception) -> str:
    """The parser's message, one line: what it expected and where (pyparsing's char offset dropped)."""
    detail = re.sub(r"\s*\(at char \d+\),\s*\(line:(\d+), col:(\d+)\)", r" (line \1, column \2)", str(exc))
    return first_line(re.sub(r"\s+", " ", detail), 160)


class SparqlRunner:
    """The RDF form of a graph in a SPARQL store (``oxigraph`` or ``rdflib``), ready for named queries."""

    def __init__(self, graph: nx.MultiDiGraph, backend: str = "oxigraph") -> None:
        if backend not in {"oxigraph", "rdflib"}:
            raise ValueError(f"unknown SPARQL backend {backend!r}")
        self.backend = backend
        self.rdf = to_rdf(graph, store="Oxigraph" if backend == "oxigraph" else "default")
        self._ox: ox.Store | None = self.rdf.store._inner if backend == "oxigraph" else None  # noqa: SLF001

    def run(self, name_or_file: str | NamedQuery, params: dict[str, str], pg: PolicyGraph,
            allow_service: bool = False) -> list[dict[str, Any]]:
        """Rows of a named query (or ``.rq`` file) with ``params`` bound; values as Python strings/numbers.
        The query is checked first (:func:`check_query`); an error of the engine while it runs raises
        :class:`~policykg.queries.named.QueryFileError` (E601 its parser, E610 anything else)."""
        query = name_or_file if isinstance(name_or_file, NamedQuery) else _FILES.load(name_or_file)
        prepared = check_query(query, self.backend, allow_service)
        values = resolve_params(query, params, pg)
        bindings = {name: _term(typ, values[name]) for name, typ in query.params.items()}
        try:
            if self._ox is not None:
                return self._run_oxigraph(query, bindings)
            result = self.rdf.query(prepared, initBindings={Variable(k): v for k, v in bindings.items()})
            return [{str(var): _python(row[var]) for var in result.vars} for row in result]
        except SyntaxError as exc:  # Oxigraph's parser: what rdflib accepted and Oxigraph does not (a prefix)
            raise query.error(Errors.E601, detail=first_line(str(exc))) from None
        except Exception as exc:  # noqa: BLE001 - the engine's failure on a user's query is one line
            raise query.error(Errors.E610, detail=first_line(f"{type(exc).__name__}: {exc}")) from None

    def _run_oxigraph(self, query: NamedQuery, bindings: dict[str, URIRef | Literal]) -> list[dict[str, Any]]:
        subs = {ox.Variable(k): _ox_term(v) for k, v in bindings.items()}
        solutions = self._ox.query(query.text, substitutions=subs, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [{n: _ox_python(s[n]) for n in names} for s in solutions]


def _term(typ: str, value: str) -> URIRef | Literal:
    """A resolved parameter as an RDF term: nodes as IRIs, dates typed, the rest as plain literals."""
    if typ in {"document", "task"}:
        return node_iri(value)
    if typ == "date":
        return Literal(value, datatype=XSD.date)
    return Literal(value)


def _ox_term(term: URIRef | Literal) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _ox_python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype.value in (str(XSD.integer), str(XSD.int), str(XSD.long)):
            return int(term.value)
        return term.value
    return term.value


def _python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value.isoformat() if hasattr(value, "isoformat") else value
    return str(term)
