"""Named SPARQL queries (``sparql/*.rq``) over the RDF form of the graph, with parameters.

Each ``.rq`` file starts with comments saying what it answers and a ``# params:`` line naming its
parameters and their types: ``document`` (a document reference in any common form, resolved to its
IRI), ``agency_key`` (an agency name in any form, resolved to its gazetteer key), ``task`` (a task ID),
``date`` and ``text``. Values are bound as RDF terms (SEP-0007 substitutions on Oxigraph,
``initBindings`` on rdflib): nothing typed is ever pasted into a query string.

The store is Oxigraph (pyoxigraph) by default: on the benchmark it answers these queries one to two
orders of magnitude faster than rdflib's own engine (``scripts/bench_queries.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD

from ..graph.rdf import node_iri, to_rdf
from .api import PolicyGraph, QueryError

__all__ = ["SPARQL_DIR", "NamedQuery", "named_queries", "load_query", "SparqlRunner"]

SPARQL_DIR = Path(__file__).resolve().parent / "sparql"
_PARAMS = re.compile(r"^#\s*params:\s*(.*)$", re.M)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: dict[str, str]  # name -> type


def _parse(name: str, text: str) -> NamedQuery:
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    description = " ".join(c for c in comments if not c.startswith(("params:", "(")))
    params: dict[str, str] = {}
    if m := _PARAMS.search(text):
        for item in filter(None, (p.strip() for p in m.group(1).split(","))):
            key, _, typ = item.partition(":")
            params[key.strip()] = (typ or "text").strip()
    return NamedQuery(name, text, description, params)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped with policykg, by file stem."""
    return {p.stem: _parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SPARQL_DIR.glob("*.rq"))}


def load_query(name_or_file: str) -> NamedQuery:
    """A named query, or a ``.rq`` file given by path."""
    if name_or_file in named_queries():
        return named_queries()[name_or_file]
    path = Path(name_or_file)
    if path.is_file():
        return _parse(path.stem, path.read_text(encoding="utf-8"))
    raise QueryError(f"no named query or file {name_or_file!r} (named: {', '.join(named_queries())})")


class SparqlRunner:
    """The RDF form of a graph in a SPARQL store (``oxigraph`` or ``rdflib``), ready for named queries."""

    def __init__(self, graph: nx.MultiDiGraph, backend: str = "oxigraph") -> None:
        if backend not in {"oxigraph", "rdflib"}:
            raise ValueError(f"unknown SPARQL backend {backend!r}")
        self.backend = backend
        self.rdf = to_rdf(graph, store="Oxigraph" if backend == "oxigraph" else "default")
        self._ox: ox.Store | None = self.rdf.store._inner if backend == "oxigraph" else None  # noqa: SLF001
        self._prepared: dict[str, Any] = {}

    def _term(self, typ: str, value: str, pg: PolicyGraph) -> URIRef | Literal:
        if typ == "document":
            return node_iri(pg.document(value))
        if typ == "task":
            if value not in pg.graph or pg.graph.nodes[value].get("kind") != "Task":
                raise QueryError(f"no task {value!r}")
            return node_iri(value)
        if typ == "agency_key":
            keys = {pg.graph.nodes[n].get("key") for n in pg.agencies(value)} - {None}
            if len(keys) != 1:
                raise QueryError(f"{value!r} names no single agency of the gazetteer")
            return Literal(keys.pop())
        if typ == "date":
            return Literal(value, datatype=XSD.date)
        return Literal(value)

    def run(self, name_or_file: str, params: dict[str, str], pg: PolicyGraph) -> list[dict[str, Any]]:
        """Rows of a named query (or ``.rq`` file) with ``params`` bound; values as Python strings/numbers."""
        query = load_query(name_or_file)
        missing = [p for p in query.params if p not in params]
        if missing:
            raise QueryError(f"query {query.name!r} needs --param {', '.join(f'{m}=...' for m in missing)}")
        bindings = {name: self._term(typ, params[name], pg) for name, typ in query.params.items()}
        if self._ox is not None:
            return self._run_oxigraph(query, bindings)
        result = self.rdf.query(query.text, initBindings={Variable(k): v for k, v in bindings.items()})
        return [{str(var): _python(row[var]) for var in result.vars} for row in result]

    def _run_oxigraph(self, query: NamedQuery, bindings: dict[str, URIRef | Literal]) -> list[dict[str, Any]]:
        subs = {ox.Variable(k): _ox_term(v) for k, v in bindings.items()}
        solutions = self._ox.query(query.text, substitutions=subs, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        return [{n: _ox_python(s[n]) for n in names} for s in solutions]


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
