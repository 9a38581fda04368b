"""Named SPARQL queries (``sparql/*.rq``) over the RDF form of the graph, with parameters.

Each ``.rq`` file starts with comments saying what it answers and a ``# params:`` line (see
:mod:`.named`); documents and tasks are bound as their IRIs. Values are bound as RDF terms (SEP-0007 substitutions on Oxigraph,
``initBindings`` on rdflib): nothing typed is ever pasted into a query string.

The store is Oxigraph (pyoxigraph) by default: on the benchmark it answers these queries one to two
orders of magnitude faster than rdflib's own engine (``scripts/bench_queries.py``). :class:`SparqlRunner`
bulk-loads a graph into memory (:func:`~policykg.graph.rdf.to_oxigraph`); :func:`store_runner` opens the
Oxigraph folder kept beside a store's live snapshot, built on its first query
(:mod:`policykg.graph.sparql_cache`), so a query does not load the RDF again.

Answers can be paged: ``limit`` / ``offset`` (``0`` or ``None``: no limit) become the query's
``LIMIT`` / ``OFFSET``, so the engine stops at the page; they are integers, the only text ever added to
a query. A query that has its own ``LIMIT`` / ``OFFSET`` or a final ``VALUES`` block is paged as its
rows come instead:

>>> _paged("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", 10, 20)
'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\\nLIMIT 10 OFFSET 20\\n'
>>> _paged("SELECT ?s WHERE { ?s ?p ?o }", None, 0)
'SELECT ?s WHERE { ?s ?p ?o }'

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

import itertools
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query

from ..errors import Errors
from ..graph.rdf import node_iri, to_oxigraph, to_rdf
from ..graph.sparql_cache import SparqlStore, open_sparql_store
from .api import PolicyGraph
from .named import NamedQuery, QueryFiles, first_line, resolve_params

__all__ = ["SPARQL_DIR", "named_queries", "load_query", "check_query", "SparqlRunner", "store_runner",
           "needs_graph", "GRAPH_PARAMS"]

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
        prepared, _ = _prepare(query.text, backend)
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
def _prepare(text: str, backend: str) -> tuple[Query, bool]:
    """The parsed query, with the prefixes bound on the RDF graph for rdflib (Oxigraph knows only those the
    query declares), and whether ``LIMIT`` / ``OFFSET`` can be added at its end (it has no solution modifier
    of that kind and no final ``VALUES`` block)."""
    tree = parseQuery(text)
    open_end = not any(clause in tree[1] for clause in ("limitoffset", "valuesClause"))
    return translateQuery(tree, None, _rdflib_prefixes() if backend == "rdflib" else {}), open_end


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


GRAPH_PARAMS = frozenset({"document", "task", "agency_key"})


def needs_graph(query: NamedQuery) -> bool:
    """True when a parameter of ``query`` is resolved against the graph (a document, a task, an agency);
    dates and text are bound as typed."""
    return any(typ in GRAPH_PARAMS for typ in query.params.values())


def _paged(text: str, limit: int | None, offset: int) -> str:
    """``text`` with ``LIMIT`` / ``OFFSET`` clauses added at its end (none for ``limit`` 0 or None and
    ``offset`` 0): whole numbers, never text that was typed."""
    clauses = [f"LIMIT {int(limit)}"] if limit else []
    clauses += [f"OFFSET {int(offset)}"] if offset else []
    return f"{text}\n{' '.join(clauses)}\n" if clauses else text


def _check_page(limit: int | None, offset: int) -> None:
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 (no limit) or more, not {limit}")
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, not {offset}")


class SparqlRunner:
    """The RDF form of a graph in a SPARQL store (``oxigraph`` or ``rdflib``), ready for named queries.

    ``SparqlRunner(graph)`` bulk-loads the graph into an in-memory Oxigraph store;
    ``SparqlRunner(store=...)`` queries a pyoxigraph ``Store`` that already holds it (in its default
    graph), such as the one :func:`store_runner` opens; ``backend="rdflib"`` uses rdflib's memory store
    and engine."""

    def __init__(self, graph: nx.MultiDiGraph | None = None, backend: str = "oxigraph", *,
                 store: ox.Store | None = None) -> None:
        if backend not in {"oxigraph", "rdflib"}:
            raise ValueError(f"unknown SPARQL backend {backend!r}")
        if (graph is None) == (store is None) or (store is not None and backend != "oxigraph"):
            raise ValueError("give a graph, or (for oxigraph) a store")
        self.backend = backend
        self.rdf = to_rdf(graph, store="default") if backend == "rdflib" else None
        self._ox: ox.Store | None = None
        if backend == "oxigraph":
            self._ox = store if store is not None else to_oxigraph(graph)

    def run(self, name_or_file: str | NamedQuery, params: dict[str, str], pg: PolicyGraph | None = None,
            allow_service: bool = False, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Rows of a named query (or ``.rq`` file) with ``params`` bound; values as Python strings/numbers.
        ``pg`` resolves document, task and agency parameters (it may be None when the query has none: see
        :func:`needs_graph`). ``limit`` / ``offset`` page the rows (``limit`` 0 or None: all of them).
        The query is checked first (:func:`check_query`); an error of the engine while it runs raises
        :class:`~policykg.queries.named.QueryFileError` (E601 its parser, E610 anything else)."""
        _check_page(limit, offset)
        query = name_or_file if isinstance(name_or_file, NamedQuery) else _FILES.load(name_or_file)
        check_query(query, self.backend, allow_service)
        _, open_end = _prepare(query.text, self.backend)
        values = resolve_params(query, params, pg)
        bindings = {name: _term(typ, values[name]) for name, typ in query.params.items()}
        text = _paged(query.text, limit, offset) if open_end else query.text
        try:
            if self._ox is not None:
                rows = self._run_oxigraph(text, bindings)
            else:
                prepared, _ = _prepare(text, self.backend)
                result = self.rdf.query(prepared, initBindings={Variable(k): v for k, v in bindings.items()})
                rows = ({str(var): _python(row[var]) for var in result.vars} for row in result)
            if not open_end and (limit or offset):
                rows = itertools.islice(rows, offset, offset + limit if limit else None)
            return list(rows)
        except SyntaxError as exc:  # Oxigraph's parser: what rdflib accepted and Oxigraph does not (a prefix)
            raise query.error(Errors.E601, detail=first_line(str(exc))) from None
        except Exception as exc:  # noqa: BLE001 - the engine's failure on a user's query is one line
            raise query.error(Errors.E610, detail=first_line(f"{type(exc).__name__}: {exc}")) from None

    def _run_oxigraph(self, text: str, bindings: dict[str, URIRef | Literal]) -> Iterable[dict[str, Any]]:
        subs = {ox.Variable(k): _ox_term(v) for k, v in bindings.items()}
        solutions = self._ox.query(text, substitutions=subs)
        names = [v.value for v in solutions.variables]
        return ({n: _ox_python(s[n]) for n in names} for s in solutions)


def store_runner(store_path: str | Path, load_graph: Callable[[], nx.MultiDiGraph]) -> tuple[SparqlRunner, SparqlStore]:
    """An Oxigraph runner over the SPARQL folder of the live snapshot of the store at ``store_path``
    (:func:`~policykg.graph.sparql_cache.open_sparql_store`: opened, or built from ``load_graph()`` on the
    first query; in memory when the store cannot be written), and where its store came from."""
    opened = open_sparql_store(store_path, load_graph)
    return SparqlRunner(store=opened.store), opened


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
