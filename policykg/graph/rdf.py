"""Map the graph to RDF (and back) with the terms of ``ontology/policykg.ttl``.

Documents are ELI legal resources, agencies W3C ORG organizations, provenance PROV-O
and local ``pkg:`` terms. An edge is one triple; its provenance sits on a reified
``pkg:EdgeAssertion`` (``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``). The RDF
graph lives in Oxigraph through oxrdflib (``store="Oxigraph"``) unless told otherwise.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("doc:vn:57-nq-tw:2024", kind="Document", doc_kind="Nghị quyết", number="57-NQ/TW", loaded=False)
>>> g.add_node("doc:x", kind="Document", doc_kind="Kế hoạch", loaded=True, date="2025-10-22")
>>> g.add_edge("doc:x", "doc:vn:57-nq-tw:2024", key="IMPLEMENTS", kind="IMPLEMENTS", line_start=7, mentions=1)
'IMPLEMENTS'
>>> back = from_rdf(to_rdf(g, store="default"))
>>> sorted(back.edges(keys=True)) == sorted(g.edges(keys=True)), back.nodes["doc:x"]["date"]
(True, '2025-10-22')
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .model import EdgeKind, NodeKind

__all__ = ["PKG", "ELI", "ID", "to_rdf", "from_rdf", "node_iri", "EDGE_PREDICATES", "NODE_CLASSES"]

PKG = Namespace("https://w3id.org/policykg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("http://schema.org/")
ID = Namespace("https://w3id.org/policykg/id/")

NODE_CLASSES = {
    NodeKind.DOCUMENT.value: PKG.Document,
    NodeKind.TASK.value: PKG.Task,
    NodeKind.TARGET.value: PKG.Target,
    NodeKind.AGENCY.value: PKG.Agency,
    NodeKind.JURISDICTION.value: PKG.Jurisdiction,
}
EDGE_PREDICATES = {
    EdgeKind.IMPLEMENTS.value: ELI.ensures_implementation_of,
    EdgeKind.BASED_ON.value: ELI.based_on,
    EdgeKind.CITES.value: ELI.cites,
    EdgeKind.REPLACES.value: PKG.replaces,
    EdgeKind.ISSUES.value: PKG.issues,
    EdgeKind.ISSUED_BY.value: ELI.passed_by,
    EdgeKind.HAS_TASK.value: PKG.hasTask,
    EdgeKind.LEADS.value: PKG.leads,
    EdgeKind.SUPPORTS.value: PKG.supports,
    EdgeKind.HAS_TARGET.value: PKG.hasTarget,
    EdgeKind.MONITORS.value: PKG.monitors,
    EdgeKind.SUCCEEDED_BY.value: PKG.succeededBy,
    EdgeKind.MERGED_INTO.value: PKG.mergedInto,
    EdgeKind.PART_OF.value: PKG.partOf,
}
# attribute -> (predicate, type): str, vi (language-tagged text), int, dec, bool, date, iri, list (repeated), path
ATTRIBUTES: dict[str, tuple[URIRef, str]] = {
    "doc_kind": (PKG.documentKind, "str"),
    "number": (PKG.number, "str"),
    "issuer": (PKG.issuerName, "vi"),
    "jurisdiction": (PKG.jurisdictionName, "vi"),
    "jurisdiction_id": (PKG.inJurisdiction, "iri"),
    "date": (ELI.date_document, "date"),
    "date_precision": (PKG.datePrecision, "str"),
    "title": (DCTERMS.title, "vi"),
    "loaded": (PKG.loaded, "bool"),
    "cited_as": (PKG.citedAs, "list"),
    "document": (PKG.inDocument, "iri"),
    "section": (PKG.sectionPath, "path"),
    "deadline_text": (PKG.deadlineText, "vi"),
    "due": (PKG.dueDate, "date"),
    "start": (PKG.startDate, "date"),
    "recurrence": (PKG.recurrence, "str"),
    "output": (PKG.output, "vi"),
    "origin": (PKG.origin, "str"),
    "role": (PKG.role, "str"),
    "text": (PKG.text, "vi"),
    "year": (PKG.targetYear, "int"),
    "area": (PKG.area, "vi"),
    "name": (SKOS.prefLabel, "vi"),
    "aliases": (SKOS.altLabel, "list"),
    "agency_kind": (PKG.agencyKind, "str"),
    "collective": (PKG.collective, "bool"),
    "resolved": (PKG.resolved, "bool"),
    "key": (PKG.gazetteerKey, "str"),
    "level": (PKG.level, "str"),
    "valid_from": (SCHEMA.foundingDate, "date"),
    "valid_to": (SCHEMA.dissolutionDate, "date"),
    "source_file": (PKG.sourceFile, "str"),
    "line_start": (PKG.lineStart, "int"),
    "line_end": (PKG.lineEnd, "int"),
    "page": (PKG.page, "int"),
    "source_path": (PKG.sourcePath, "str"),
    "method": (PKG.method, "str"),
    "confidence": (PKG.confidence, "dec"),
    "mentions": (PKG.mentions, "int"),
    "printed": (PKG.printed, "vi"),
    "instrument": (PKG.instrument, "vi"),
    "function": (PKG.function, "vi"),
    "appendices_cited": (PKG.appendicesCited, "json"),
    "appendices_found": (PKG.appendicesFound, "json"),
    "also_in": (PKG.alsoIn, "json"),
    "lead_unreadable": (PKG.leadUnreadable, "vi"),
    "title_raw": (PKG.titleAsRead, "vi"),
    "named": (PKG.named, "bool"),
}
_BY_PREDICATE = {pred: (attr, typ) for attr, (pred, typ) in ATTRIBUTES.items()}
_EDGE_BY_PREDICATE = {pred: kind for kind, pred in EDGE_PREDICATES.items()}
_DATE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}


def node_iri(node_id: str) -> URIRef:
    """The IRI of a node ID (the ID, percent-encoded, under ``https://w3id.org/policykg/id/``)."""
    return ID[quote(node_id, safe=":/-~")]


def _node_id(iri: URIRef) -> str:
    return unquote(str(iri)[len(str(ID)):])


def _literals(value: Any, typ: str) -> list[Any]:
    if typ == "json":
        return [Literal(json.dumps(value, ensure_ascii=False), datatype=RDF.JSON)]
    if typ == "list":
        return [Literal(v, lang="vi") for v in value]
    if typ == "iri":
        return [node_iri(value)]
    if typ == "path":
        return [Literal(" / ".join(value), lang="vi")]
    if typ == "vi":
        return [Literal(value, lang="vi")]
    if typ == "date":
        return [Literal(value, datatype=_DATE_TYPES.get(len(value), XSD.string))]
    if typ == "dec":
        return [Literal(Decimal(str(value)), datatype=XSD.decimal)]
    if typ == "int":
        return [Literal(int(value), datatype=XSD.integer)]
    if typ == "bool":
        return [Literal(bool(value), datatype=XSD.boolean)]
    return [Literal(str(value))]


def _python(obj: Any, typ: str) -> Any:
    if typ == "json":
        return json.loads(str(obj))
    if typ == "iri":
        return _node_id(obj)
    if typ == "path":
        return str(obj).split(" / ") if str(obj) else []
    if typ in {"int"}:
        return int(obj)
    if typ == "dec":
        return float(obj)
    if typ == "bool":
        return bool(obj.toPython())
    return str(obj)


def _add_attributes(rdf: Graph, subject: URIRef, data: dict[str, Any]) -> None:
    for attr, value in data.items():
        if attr == "kind" or value is None or attr not in ATTRIBUTES:
            continue
        predicate, typ = ATTRIBUTES[attr]
        for obj in _literals(value, typ):
            rdf.add((subject, predicate, obj))


def to_rdf(graph: nx.MultiDiGraph, store: str = "Oxigraph") -> Graph:
    """The RDF graph of ``graph`` (``store="default"`` for rdflib's memory store)."""
    rdf = Graph(store=store)
    for prefix, ns in (("pkg", PKG), ("eli", ELI), ("org", ORG), ("prov", PROV), ("skos", SKOS),
                       ("dcterms", DCTERMS), ("schema", SCHEMA), ("id", ID)):
        rdf.bind(prefix, ns, override=True, replace=True)
    for node, data in graph.nodes(data=True):
        subject = node_iri(node)
        rdf.add((subject, RDF.type, NODE_CLASSES[data["kind"]]))
        if data.get("collective"):
            rdf.add((subject, RDF.type, PKG.CollectiveAgency))
        if data["kind"] == NodeKind.AGENCY.value:
            rdf.add((subject, RDF.type, ORG.Organization))
        rdf.add((subject, PKG.nodeId, Literal(node)))
        _add_attributes(rdf, subject, data)
        if data.get("source_file") and data["kind"] != NodeKind.JURISDICTION.value:
            rdf.add((subject, PROV.wasDerivedFrom, Literal(data["source_file"])))
    for src, dst, key, data in graph.edges(keys=True, data=True):
        predicate = EDGE_PREDICATES[key]
        s, o = node_iri(src), node_iri(dst)
        rdf.add((s, predicate, o))
        attrs = {k: v for k, v in data.items() if k != "kind" and v is not None}
        if attrs:
            statement = ID[quote(f"edge/{src}|{key}|{dst}", safe=":/-~")]
            rdf.add((statement, RDF.type, PKG.EdgeAssertion))
            rdf.add((statement, RDF.subject, s))
            rdf.add((statement, RDF.predicate, predicate))
            rdf.add((statement, RDF.object, o))
            _add_attributes(rdf, statement, attrs)
    return rdf


def from_rdf(rdf: Graph) -> nx.MultiDiGraph:
    """Read a graph written by :func:`to_rdf` back into a ``MultiDiGraph``."""
    kinds = {cls: kind for kind, cls in NODE_CLASSES.items()}
    nodes: dict[str, dict[str, Any]] = {}
    for subject, _, node_literal in rdf.triples((None, PKG.nodeId, None)):
        data: dict[str, Any] = {}
        for _, _, cls in rdf.triples((subject, RDF.type, None)):
            if cls in kinds:
                data["kind"] = kinds[cls]
        for _, predicate, obj in rdf.triples((subject, None, None)):
            if predicate in _BY_PREDICATE:
                attr, typ = _BY_PREDICATE[predicate]
                if typ == "list":
                    data.setdefault(attr, []).append(str(obj))
                else:
                    data[attr] = _python(obj, typ)
        for attr, (_, typ) in ATTRIBUTES.items():
            if typ == "list" and attr in data:
                data[attr].sort()
        nodes[str(node_literal)] = data
    graph = nx.MultiDiGraph()
    for node in sorted(nodes):
        graph.add_node(node, **nodes[node])
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for predicate, kind in _EDGE_BY_PREDICATE.items():
        for s, _, o in rdf.triples((None, predicate, None)):
            edges[(_node_id(s), _node_id(o), kind)] = {"kind": kind}
    for statement in rdf.subjects(RDF.type, PKG.EdgeAssertion):
        s, p, o = rdf.value(statement, RDF.subject), rdf.value(statement, RDF.predicate), rdf.value(statement, RDF.object)
        key = (_node_id(s), _node_id(o), _EDGE_BY_PREDICATE[p])
        for _, predicate, obj in rdf.triples((statement, None, None)):
            if predicate in _BY_PREDICATE:
                attr, typ = _BY_PREDICATE[predicate]
                edges[key][attr] = _python(obj, typ)
    for (src, dst, key) in sorted(edges):
        graph.add_edge(src, dst, key=key, **edges[(src, dst, key)])
    return graph
