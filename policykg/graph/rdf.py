"""Map the graph to RDF (and back) with the terms of ``ontology/policykg.ttl``.

Documents are ELI legal resources, agencies W3C ORG organizations, provenance PROV-O
and local ``pkg:`` terms. An edge is one triple; its provenance sits on a reified
``pkg:EdgeAssertion`` (``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``).

Two ways to the same triples:

- :func:`to_rdf`: an rdflib ``Graph`` (namespaces, serializers, pySHACL), in Oxigraph through oxrdflib
  (``store="Oxigraph"``) or rdflib's memory store (``store="default"``). It adds one triple at a time:
  fine for thousands of nodes, about two minutes for the 3.8 million triples of 100,000 tasks.
- :func:`ntriples` writes the same triples as N-Triples text directly from the graph, and
  :func:`to_oxigraph` streams that text into a pyoxigraph ``Store`` with its bulk loader (in memory, or
  in a folder on disk): the same 3.8 million triples in seconds. The query layer uses this one.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("doc:vn:57-nq-tw:2024", kind="Document", doc_kind="Nghị quyết", number="57-NQ/TW", loaded=False)
>>> g.add_node("doc:x", kind="Document", doc_kind="Kế hoạch", loaded=True, date="2025-10-22")
>>> g.add_edge("doc:x", "doc:vn:57-nq-tw:2024", key="IMPLEMENTS", kind="IMPLEMENTS", line_start=7, mentions=1)
'IMPLEMENTS'
>>> back = from_rdf(to_rdf(g, store="default"))
>>> sorted(back.edges(keys=True)) == sorted(g.edges(keys=True)), back.nodes["doc:x"]["date"]
(True, '2025-10-22')
>>> text = b"".join(ntriples(g)).decode()
>>> print(next(line for line in text.splitlines() if "date_document" in line))
<https://w3id.org/policykg/id/doc:x> <http://data.europa.eu/eli/ontology#date_document> "2025-10-22"^^<http://www.w3.org/2001/XMLSchema#date> .
>>> len(to_oxigraph(g)) == len(to_rdf(g, store="default"))
True
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .model import EdgeKind, NodeKind

__all__ = ["PKG", "ELI", "ID", "to_rdf", "from_rdf", "node_iri", "ntriples", "to_oxigraph", "EDGE_PREDICATES",
           "NODE_CLASSES"]

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


# --- N-Triples straight from the graph, and Oxigraph's bulk loader ---------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_STRING = f"<{XSD.string}>"


def _nt_text(text: str) -> str:
    """``text`` as an N-Triples string (quoted; backslash, quote, line feed and carriage return escaped)."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.translate(_ESCAPES)
    return f'"{text}"'


def _nt_term(term: URIRef | Literal) -> str:
    """Any rdflib IRI or literal in N-Triples (the general path; :func:`_nt_objects` has the quick ones)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if term.language:
        return f"{_nt_text(str(term))}@{term.language}"
    if term.datatype is not None:
        return f"{_nt_text(str(term))}^^<{term.datatype}>"
    return _nt_text(str(term))


_NT_DATE = {length: f"^^<{dtype}>" for length, dtype in _DATE_TYPES.items()}
_NT_INTEGER, _NT_BOOLEAN, _NT_DECIMAL, _NT_JSON = (f"^^<{t}>" for t in (XSD.integer, XSD.boolean, XSD.decimal, RDF.JSON))


class _Terms:
    """N-Triples text of the IRIs of one graph, each quoted once."""

    def __init__(self) -> None:
        self.quoted: dict[str, str] = {}

    def _quote(self, node_id: str) -> str:
        text = self.quoted.get(node_id)
        if text is None:
            text = self.quoted[node_id] = quote(node_id, safe=":/-~")
        return text

    def node(self, node_id: str) -> str:
        """``<IRI>`` of a node (:func:`node_iri`)."""
        return f"<{ID}{self._quote(node_id)}>"

    def statement(self, src: str, key: str, dst: str) -> str:
        """``<IRI>`` of the ``pkg:EdgeAssertion`` of an edge: ``edge/{src}|{key}|{dst}`` percent-encoded, which
        is the parts percent-encoded one by one (``|`` is ``%7C``)."""
        return f"<{ID}edge/{self._quote(src)}%7C{self._quote(key)}%7C{self._quote(dst)}>"

    def objects(self, value: Any, typ: str) -> list[str]:
        """The objects :func:`_literals` makes for ``value``, as N-Triples text (the same terms: lexical forms,
        datatypes and language tags as rdflib writes them)."""
        if typ == "vi" and isinstance(value, str):
            return [f"{_nt_text(value)}@vi"]
        if typ == "str":
            return [_nt_text(str(value))]
        if typ == "date" and isinstance(value, str):
            return [_nt_text(value) + _NT_DATE.get(len(value), "^^" + _XSD_STRING)]
        if typ == "iri" and isinstance(value, str):
            return [self.node(value)]
        if typ == "int":
            return [f'"{int(value)}"{_NT_INTEGER}']
        if typ == "bool":
            return [f'"{"true" if value else "false"}"{_NT_BOOLEAN}']
        if typ == "dec":
            return [f'"{Decimal(str(value)):f}"{_NT_DECIMAL}']
        if typ == "list" and all(isinstance(v, str) for v in value):
            return [f"{_nt_text(v)}@vi" for v in value]
        if typ == "json":
            return [_nt_text(json.dumps(value, ensure_ascii=False)) + _NT_JSON]
        return [_nt_term(obj) for obj in _literals(value, typ)]  # anything unusual: exactly as rdflib makes it


_PREDICATES = {attr: f"<{pred}>" for attr, (pred, _) in ATTRIBUTES.items()}
_EDGES = {kind: f"<{pred}>" for kind, pred in EDGE_PREDICATES.items()}
_CLASSES = {kind: f"<{cls}>" for kind, cls in NODE_CLASSES.items()}
_TYPE, _NODE_ID, _DERIVED = f"<{RDF.type}>", f"<{PKG.nodeId}>", f"<{PROV.wasDerivedFrom}>"
_COLLECTIVE, _ORGANIZATION, _ASSERTION = f"<{PKG.CollectiveAgency}>", f"<{ORG.Organization}>", f"<{PKG.EdgeAssertion}>"
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF.subject}>", f"<{RDF.predicate}>", f"<{RDF.object}>"


def _add_attributes_nt(out: list[str], terms: _Terms, subject: str, data: dict[str, Any]) -> None:
    for attr, value in data.items():
        if attr == "kind" or value is None or attr not in ATTRIBUTES:
            continue
        predicate = _PREDICATES[attr]
        for obj in terms.objects(value, ATTRIBUTES[attr][1]):
            out.append(f"{subject} {predicate} {obj} .\n")


def _node_lines(out: list[str], terms: _Terms, node: str, data: dict[str, Any]) -> None:
    subject = terms.node(node)
    out.append(f"{subject} {_TYPE} {_CLASSES[data['kind']]} .\n")
    if data.get("collective"):
        out.append(f"{subject} {_TYPE} {_COLLECTIVE} .\n")
    if data["kind"] == NodeKind.AGENCY.value:
        out.append(f"{subject} {_TYPE} {_ORGANIZATION} .\n")
    out.append(f"{subject} {_NODE_ID} {_nt_text(node)} .\n")
    _add_attributes_nt(out, terms, subject, data)
    if data.get("source_file") and data["kind"] != NodeKind.JURISDICTION.value:
        out.append(f"{subject} {_DERIVED} {_nt_text(str(data['source_file']))} .\n")


def _edge_lines(out: list[str], terms: _Terms, src: str, dst: str, key: str, data: dict[str, Any]) -> None:
    predicate = _EDGES[key]
    s, o = terms.node(src), terms.node(dst)
    out.append(f"{s} {predicate} {o} .\n")
    attrs = {k: v for k, v in data.items() if k != "kind" and v is not None}
    if attrs:
        statement = terms.statement(src, key, dst)
        out.append(f"{statement} {_TYPE} {_ASSERTION} .\n")
        out.append(f"{statement} {_SUBJECT} {s} .\n")
        out.append(f"{statement} {_PREDICATE} {predicate} .\n")
        out.append(f"{statement} {_OBJECT} {o} .\n")
        _add_attributes_nt(out, terms, statement, attrs)


def ntriples(graph: nx.MultiDiGraph, lines_per_chunk: int = 20_000) -> Iterator[bytes]:
    """The triples of :func:`to_rdf` (the very same set) as N-Triples, UTF-8, in chunks of whole lines, node by
    node and then edge by edge. Nothing goes through rdflib: this is the fast way to a bulk loader or a
    ``.nt`` file."""
    terms = _Terms()
    out: list[str] = []
    for node, data in graph.nodes(data=True):
        _node_lines(out, terms, node, data)
        if len(out) >= lines_per_chunk:
            yield "".join(out).encode("utf-8")
            out.clear()
    for src, dst, key, data in graph.edges(keys=True, data=True):
        _edge_lines(out, terms, src, dst, key, data)
        if len(out) >= lines_per_chunk:
            yield "".join(out).encode("utf-8")
            out.clear()
    if out:
        yield "".join(out).encode("utf-8")


class _ChunkReader(io.RawIOBase):
    """A binary stream over an iterable of byte chunks (what pyoxigraph's loaders read from)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._rest = memoryview(chunk)
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def to_oxigraph(graph: nx.MultiDiGraph, path: str | Path | None = None) -> ox.Store:
    """A pyoxigraph ``Store`` holding the triples of :func:`to_rdf` (default graph), loaded with Oxigraph's
    bulk loader from the N-Triples of :func:`ntriples` as they are made. In memory, or with ``path`` in that
    folder on disk (a new or empty folder; the store stays open read-write: drop it to close it)."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    # lenient: the IRIs are made by node_iri (percent-encoded), so Oxigraph need not check each one again
    store.bulk_load(io.BufferedReader(_ChunkReader(ntriples(graph)), 1 << 20), format=ox.RdfFormat.N_TRIPLES,
                    lenient=True)
    return store
