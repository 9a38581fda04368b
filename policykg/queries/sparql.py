"""Named SPARQL queries (``sparql/*.rq``) over the RDF form of the graph, with parameters.

Each ``.rq`` file starts with comments saying what it answers and a ``# params:`` line (see
:mod:`.named`); documents and tasks are bound as their IRIs. Values are bound as RDF terms (SEP-0007 substitutions on Oxigraph,
``initBindings`` on rdflib): nothing typed is ever pasted into a query string.

The store is Oxigraph (pyoxigraph) by default: on the benchmark it answers these queries one to two
orders of magnitude faster than rdflib's own engine (``scripts/bench_queries.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD

from ..graph.rdf import node_iri, to_rdf
from .api import PolicyGraph
from .named import NamedQuery, QueryFiles, resolve_params

__all__ = ["SPARQL_DIR", "named_queries", "load_query", "SparqlRunner"]

SPARQL_DIR = Path(__file__).resolve().parent / "sparql"
_FILES = QueryFiles(SPARQL_DIR, ".rq", "#")


def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped with policykg, by file stem."""
    return _FILES.named


def load_query(name_or_file: str) -> NamedQuery:
    """A named query, or a ``.rq`` file given by path."""
    return _FILES.load(name_or_file)


class SparqlRunner:
    """The RDF form of a graph in a SPARQL store (``oxigraph`` or ``rdflib``), ready for named queries."""

    def __init__(self, graph: nx.MultiDiGraph, backend: str = "oxigraph") -> None:
        if backend not in {"oxigraph", "rdflib"}:
            raise ValueError(f"unknown SPARQL backend {backend!r}")
        self.backend = backend
        self.rdf = to_rdf(graph, store="Oxigraph" if backend == "oxigraph" else "default")
        self._ox: ox.Store | None = self.rdf.store._inner if backend == "oxigraph" else None  # noqa: SLF001

    def run(self, name_or_file: str, params: dict[str, str], pg: PolicyGraph) -> list[dict[str, Any]]:
        """Rows of a named query (or ``.rq`` file) with ``params`` bound; values as Python strings/numbers."""
        query = load_query(name_or_file)
        values = resolve_params(query, params, pg)
        bindings = {name: _term(typ, values[name]) for name, typ in query.params.items()}
        if self._ox is not None:
            return self._run_oxigraph(query, bindings)
        result = self.rdf.query(query.text, initBindings={Variable(k): v for k, v in bindings.items()})
        return [{str(var): _python(row[var]) for var in result.vars} for row in result]

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
