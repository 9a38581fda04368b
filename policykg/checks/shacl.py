"""SHACL validation of the graph with pySHACL against ``ontology/shapes.ttl``.

Only the triples the shapes look at are handed to pySHACL (types, document links, lead / support /
monitor edges, implementation edges, dates), which keeps validation in seconds on large graphs.
Results become findings whose check is ``shape:<name>`` and whose message names the node in words.
"""

from __future__ import annotations

from functools import cache

import networkx as nx
from pyshacl import validate
from rdflib import RDF, Graph, Namespace

from ..graph.rdf import ELI, NODE_CLASSES, PKG, _literals, _node_id, node_iri
from ..ontology import DATA_DIR
from .findings import Finding
from .graph_checks import PLAN_KINDS, node_label

__all__ = ["SHAPES_TTL", "shape_graph", "validation_graph", "run_shacl"]

SHAPES_TTL = DATA_DIR / "shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
_EDGES = {"LEADS": PKG.leads, "SUPPORTS": PKG.supports, "MONITORS": PKG.monitors,
          "IMPLEMENTS": ELI.ensures_implementation_of, "BASED_ON": ELI.based_on}
_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
_NODE_SHAPE_NAMES = {"PlanShape": "plan-implements"}


@cache
def shape_graph() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def validation_graph(graph: nx.MultiDiGraph) -> Graph:
    """The triples of ``graph`` the shapes constrain."""
    rdf = Graph()
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind not in NODE_CLASSES or kind == "Jurisdiction":
            continue
        subject = node_iri(node)
        rdf.add((subject, RDF.type, NODE_CLASSES[kind]))
        if data.get("collective"):
            rdf.add((subject, RDF.type, PKG.CollectiveAgency))
        if kind == "Document":
            if data.get("loaded") and data.get("doc_kind") in PLAN_KINDS:
                rdf.add((subject, RDF.type, PKG.Plan))
            if data.get("date"):
                rdf.add((subject, ELI.date_document, _literals(data["date"], "date")[0]))
        if kind in {"Task", "Target"} and data.get("document"):
            rdf.add((subject, PKG.inDocument, node_iri(data["document"])))
        if kind == "Task" and data.get("due"):
            rdf.add((subject, PKG.dueDate, _literals(data["due"], "date")[0]))
    for src, dst, key in graph.edges(keys=True):
        if key in _EDGES:
            rdf.add((node_iri(src), _EDGES[key], node_iri(dst)))
    return rdf


def run_shacl(graph: nx.MultiDiGraph, lang: str = "vi") -> list[Finding]:
    """The SHACL findings of ``graph``."""
    _, results, _ = validate(validation_graph(graph), shacl_graph=shape_graph(), inference="none",
                             advanced=False, allow_warnings=True)
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = _node_id(results.value(result, SH.focusNode))
        shape = results.value(result, SH.sourceShape)
        name = shape_graph().value(shape, SH.name)
        if name is None:
            local = str(shape).rsplit("#", 1)[-1]
            name = _NODE_SHAPE_NAMES.get(local, local)
        message = str(results.value(result, SH.resultMessage) or "")
        vi, _, en = message.partition(" / ")
        data = graph.nodes[focus] if focus in graph else {}
        label = node_label(graph, focus, lang) if focus in graph else focus
        document = data.get("document") or (focus if data.get("kind") == "Document" else None)
        out.append(Finding(f"shape:{name}", _SEVERITY.get(results.value(result, SH.resultSeverity), "error"),
                           f"{label}: {vi if lang == 'vi' else en or vi}", focus, document,
                           {"file": data.get("source_file"), "line_start": data.get("line_start"),
                            "line_end": data.get("line_end")}))
    return sorted(out, key=lambda f: (f.check, f.node))
