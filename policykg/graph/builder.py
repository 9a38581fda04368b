"""Build the networkx ``MultiDiGraph`` from extraction records.

Nodes carry ``kind`` (see :class:`~policykg.graph.model.NodeKind`) and their fields;
edges are keyed by their :class:`~policykg.graph.model.EdgeKind`, so one relation
between two nodes is one edge. Every fact keeps provenance: ``source_file``,
``line_start``, ``line_end``, ``method`` and ``confidence``. Building twice from the same
records gives the identical graph (nodes and edges are added in sorted order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import networkx as nx

from ..errors import Issue, Warnings
from ..records import AgencyMention, Citation, DocumentRecord, Extraction, Provenance
from ..resolve import (
    AgencyRef,
    DocumentIndex,
    Jurisdiction,
    jurisdiction_for,
    resolve_agency,
    resolve_issuer,
)
from ..resolve.jurisdictions import merged_into
from ..text import fold
from .model import (
    DOCUMENT_RELATIONS,
    EdgeKind,
    NodeKind,
    document_id,
    jurisdiction_id,
    task_id,
    unnumbered_document_id,
)
from .succession import add_successions

__all__ = ["BuildResult", "build_graph"]


@dataclass
class BuildResult:
    """The graph and what was reported while building it."""

    graph: nx.MultiDiGraph
    issues: list[Issue] = field(default_factory=list)


def _prov(p: Provenance) -> dict[str, Any]:
    out = {"source_file": p.file, "line_start": p.line_start, "line_end": p.line_end,
           "method": p.method, "confidence": round(p.confidence, 3)}
    if p.page is not None:
        out["page"] = p.page
    return out


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.issues: list[Issue] = []
        self._refs: dict[tuple, tuple[AgencyRef, Jurisdiction]] = {}  # a mention resolved once per jurisdiction
        self._jurisdictions: dict[Jurisdiction, str] = {}

    def node(self, node_id: str, kind: NodeKind, **attrs: Any) -> dict[str, Any]:
        data = self.nodes.setdefault(node_id, {"kind": kind.value})
        for k, v in attrs.items():
            if v is not None and data.get(k) is None:
                data[k] = v
        return data

    def edge(self, src: str, dst: str, kind: EdgeKind, provenance: Provenance | None = None, **attrs: Any) -> None:
        if src == dst:
            return
        key = (src, dst, kind.value)
        data = self.edges.get(key)
        if data is None:
            data = self.edges[key] = {**(_prov(provenance) if provenance else {}), **attrs}
        if provenance is not None:
            data["mentions"] = data.get("mentions", 0) + 1

    def jurisdiction(self, jur: Jurisdiction) -> str:
        if (known := self._jurisdictions.get(jur)) is not None:
            return known
        node_id = self._jurisdictions[jur] = jurisdiction_id(jur.key)
        self.node(node_id, NodeKind.JURISDICTION, name=jur.name, level=jur.level,
                  valid_from=jur.valid_from, valid_to=jur.valid_to)
        if (target := merged_into(jur)) is not None:
            target_id = self.jurisdiction(target)
            self.edge(node_id, target_id, EdgeKind.MERGED_INTO, date=target.valid_from,
                      instrument="Nghị quyết 202/2025/QH15")
        return node_id

    def agency(self, mention: AgencyMention, jur: Jurisdiction, provenance: Provenance | None = None) -> str:
        ref, agency_jur = self.resolved(mention, jur)
        new = ref.id not in self.nodes
        data = self.node(ref.id, NodeKind.AGENCY, name=ref.name, jurisdiction=agency_jur.name,
                         jurisdiction_id=jurisdiction_id(ref.jurisdiction), agency_kind=ref.kind,
                         collective=ref.collective, resolved=ref.resolved, key=ref.key)
        if mention.text != ref.name and mention.text not in data.get("aliases", []):
            data["aliases"] = sorted([*data.get("aliases", []), mention.text])
        data["confidence"] = max(data.get("confidence", 0.0), round(mention.confidence, 3))
        if not ref.resolved and not ref.collective and provenance is not None:
            data.setdefault("source_file", provenance.file)
            data.setdefault("line_start", mention.line or provenance.line_start)
        if new:
            self.edge(ref.id, self.jurisdiction(agency_jur), EdgeKind.PART_OF)
        return ref.id

    def resolved(self, mention: AgencyMention, jur: Jurisdiction) -> tuple[AgencyRef, Jurisdiction]:
        """The agency a mention stands for in ``jur`` and the jurisdiction of its node (resolved once: the
        resolution reads the mention's words, never its confidence or line)."""
        key = (mention.text, mention.key, mention.name, mention.collective, jur)
        if (known := self._refs.get(key)) is None:
            ref = resolve_agency(mention, None if jur.level == "national" else jur.key)
            known = self._refs[key] = (ref, jur if ref.jurisdiction == jur.key else jurisdiction_for(None, None))
        return known


def _document_jurisdiction(province: str | None, date: str | None, title: str) -> Jurisdiction:
    return jurisdiction_for(province, date, after_merger="sau hop nhat" in fold(title))


def build_graph(extractions: Iterable[Extraction]) -> BuildResult:
    """Resolve the records of all files and build one graph.

    Files of one name from different folders are told apart by their path in provenance; a file whose
    bytes equal an earlier one's is counted once (W205); two files that give the same document are
    reported (W204) and their identical tasks kept once.
    """
    b = _Builder()
    extractions = _once_each(_distinct_names(list(extractions)), b.issues)
    index = DocumentIndex()
    doc_ids: dict[tuple[str, str], str] = {}
    doc_jurs: dict[tuple[str, str], Jurisdiction] = {}
    claims: dict[str, tuple[Extraction, str]] = {}
    for ex in extractions:
        b.issues.extend(ex.issues)
        for doc in ex.documents:
            jur = _document_jurisdiction(doc.province, doc.date, doc.title)
            year = int(doc.date[:4]) if doc.date else None
            node_id = (document_id(jur.key, doc.number, year) if doc.number
                       else unnumbered_document_id(jur.key, doc.kind, doc.date, doc.title))
            node_id = _claim(b, claims, node_id, ex, doc)
            doc_ids[(ex.key, doc.key)] = node_id
            doc_jurs[(ex.key, doc.key)] = jur
            index.add_loaded(node_id, doc.number, jur.key, year)
        for cite in ex.citations:
            index.add_citation(cite, doc_jurs[(ex.key, cite.document)].key)
    index.finish()

    for ex in extractions:
        for doc in ex.documents:
            node_id = doc_ids[(ex.key, doc.key)]
            jur = doc_jurs[(ex.key, doc.key)]
            b.node(node_id, NodeKind.DOCUMENT, doc_kind=doc.kind, number=doc.number, issuer=doc.issuer,
                   jurisdiction=jur.name, jurisdiction_id=b.jurisdiction(jur), date=doc.date,
                   date_precision=doc.date_precision, title=doc.title, loaded=True,
                   appendices_cited=doc.appendices_cited or None, appendices_found=doc.appendices_found or None,
                   source_path=ex.source or None, **_prov(doc.provenance))
            if doc.issuer and (issuer := resolve_issuer(doc.issuer, jur.key)):
                b.edge(node_id, b.agency(AgencyMention(issuer.name, issuer.key, issuer.name), jur, doc.provenance),
                       EdgeKind.ISSUED_BY, doc.provenance)
    for node_id, cited in sorted(index.documents.items()):
        if node_id in b.nodes:
            continue
        jur = jurisdiction_for(None, None) if cited.jurisdiction == "vn" else _jurisdiction_by_key(doc_jurs, cited.jurisdiction)
        issuer = cited.issuers.most_common(1)[0][0] if cited.issuers else None
        date = cited.dates.most_common(1)[0][0] if cited.dates else None
        b.node(node_id, NodeKind.DOCUMENT, doc_kind=cited.kind, number=cited.number, title=cited.name,
               issuer=issuer, jurisdiction=jur.name, jurisdiction_id=b.jurisdiction(jur), date=date,
               date_precision="day" if date else None, loaded=False, cited_as=sorted(set(cited.texts))[:5])
        if issuer and (ref := resolve_issuer(issuer, None if jur.level == "national" else jur.key)):
            b.edge(node_id, b.agency(AgencyMention(ref.name, ref.key, ref.name), jur), EdgeKind.ISSUED_BY)
    for ex in extractions:
        _citation_edges(b, ex, index, doc_ids)
        _tasks(b, ex, doc_ids, doc_jurs, index)
        _targets(b, ex, doc_ids, doc_jurs)
    for cite in index.unmatched:
        b.issues.append(Warnings.W203.format(file=cite.provenance.file, line=cite.provenance.line_start, text=cite.text))
    _drop_weaker_citations(b)
    add_successions(b)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((node_id, b.nodes[node_id]) for node_id in sorted(b.nodes))
    graph.add_edges_from((src, dst, key, {"kind": key, **b.edges[(src, dst, key)]}) for (src, dst, key) in sorted(b.edges))
    return BuildResult(graph, b.issues)


def _distinct_names(extractions: list[Extraction]) -> list[Extraction]:
    """The extractions sorted by file name, those of one name from different folders renamed by as much of
    their path as tells them apart ("a/plan.txt", "b/plan.txt")."""
    by_name: dict[str, list[Extraction]] = defaultdict(list)
    for ex in sorted(extractions, key=lambda e: (e.file, e.key)):
        by_name[ex.file].append(ex)
    out: list[Extraction] = []
    for group in by_name.values():
        if len(group) == 1:
            out.extend(group)
            continue
        parts = [PurePath(ex.key).parts for ex in group]
        depth = 2
        while depth < max(map(len, parts)) and len({p[-depth:] for p in parts}) < len(parts):
            depth += 1
        out.extend(ex.renamed("/".join(p[-depth:])) for ex, p in zip(group, parts))
    return out


def _once_each(extractions: list[Extraction], issues: list[Issue]) -> list[Extraction]:
    """The extractions without those of files whose bytes equal an earlier file's (reported, W205)."""
    first: dict[str, Extraction] = {}
    out = []
    for ex in extractions:
        if ex.sha256 and ex.sha256 in first:
            issues.append(Warnings.W205.format(file=ex.file, other=first[ex.sha256].file))
            continue
        if ex.sha256:
            first[ex.sha256] = ex
        out.append(ex)
    return out


def _task_titles(ex: Extraction, document: str) -> set[str]:
    return {fold(t.title) for t in ex.tasks if t.document == document}


def _claim(b: _Builder, claims: dict[str, tuple[Extraction, str]], node_id: str, ex: Extraction,
           doc: DocumentRecord) -> str:
    """The node of a loaded document; another file's document of the same identity is reported (W204).

    A numbered document is one document whatever file gives it. An unnumbered one is identified only by
    kind, month, province and title: when both files list tasks and share fewer than half of them, they are
    two documents and this one is kept apart (``~2``).
    """
    base, n = node_id, 2
    while node_id in claims and claims[node_id][0].key != ex.key:
        other, other_doc = claims[node_id]
        mine, theirs = _task_titles(ex, doc.key), _task_titles(other, other_doc)
        if doc.number or not mine or not theirs or len(mine & theirs) * 2 >= min(len(mine), len(theirs)):
            b.issues.append(Warnings.W204.format(file=ex.file, line=doc.provenance.line_start, other=other.file,
                                                 document=node_id, outcome="read as one document; tasks "
                                                 "of the same number and title are kept once"))
            return node_id
        node_id, n = f"{base}~{n}", n + 1
        if node_id not in claims:
            b.issues.append(Warnings.W204.format(file=ex.file, line=doc.provenance.line_start, other=other.file,
                                                 document=base, outcome=f"their tasks differ: kept apart as {node_id}"))
    claims.setdefault(node_id, (ex, doc.key))
    return node_id


def _jurisdiction_by_key(doc_jurs: dict[tuple[str, str], Jurisdiction], key: str) -> Jurisdiction:
    return next(j for j in doc_jurs.values() if j.key == key)


def _citation_edges(b: _Builder, ex: Extraction, index: DocumentIndex, doc_ids: dict[tuple[str, str], str]) -> None:
    by_key: dict[str, Citation] = {c.key: c for c in ex.citations}
    for cite in ex.citations:
        target = index.citation_node(cite)
        if target is None:
            continue
        if cite.subject in by_key:
            subject = index.citation_node(by_key[cite.subject])
        else:
            subject = doc_ids.get((ex.key, cite.subject))
        if subject is None:
            continue
        relation = EdgeKind(cite.relation)
        if relation is EdgeKind.ISSUES:
            b.edge(target, subject, relation, cite.provenance, text=cite.text)
        else:
            b.edge(subject, target, relation, cite.provenance, text=cite.text)
    for doc in ex.documents:
        if doc.issued_with and doc.issued_with in {d.key for d in ex.documents}:
            b.edge(doc_ids[(ex.key, doc.issued_with)], doc_ids[(ex.key, doc.key)], EdgeKind.ISSUES, doc.provenance)


def _tasks(
    b: _Builder, ex: Extraction, doc_ids: dict[tuple[str, str], str], doc_jurs: dict[tuple[str, str], Jurisdiction],
    index: DocumentIndex,
) -> None:
    for task in ex.tasks:
        doc_id = doc_ids[(ex.key, task.document)]
        jur = doc_jurs[(ex.key, task.document)]
        node_id = task_id(doc_id, task.section, task.number)
        n = 2
        base = node_id
        while node_id in b.nodes:
            same = b.nodes[node_id]
            if same.get("source_file") != ex.file and fold(same.get("title") or "") == fold(task.title):
                same.setdefault("also_in", []).append(f"{ex.file}:{task.provenance.line_start}")
                break
            node_id, n = f"{base}~{n}", n + 1
        deadline = task.deadline
        b.node(node_id, NodeKind.TASK, document=doc_id, section=list(task.section), number=task.number,
               title=task.title, deadline_text=deadline.text if deadline else None,
               due=deadline.due if deadline else None, recurrence=deadline.recurrence if deadline else None,
               start=deadline.start if deadline else None,
               output=task.output, origin=task.origin, role=task.role, lead_unreadable=task.lead_unread,
               title_raw=task.title_raw,
               **_prov(task.provenance))
        b.edge(doc_id, node_id, EdgeKind.HAS_TASK, task.provenance)
        for key in task.sources:
            cite = next((c for c in ex.citations if c.key == key), None)
            target = index.citation_node(cite) if cite else None
            if target:
                b.edge(node_id, target, EdgeKind.IMPLEMENTS, cite.provenance, text=cite.text)
        for relation, mentions in ((EdgeKind.LEADS, task.lead), (EdgeKind.SUPPORTS, task.support)):
            for mention in mentions:
                agency = b.agency(mention, jur, task.provenance)
                b.edge(agency, node_id, relation, task.provenance, printed=mention.text,
                       confidence=round(min(task.provenance.confidence, mention.confidence), 3))


def _targets(
    b: _Builder, ex: Extraction, doc_ids: dict[tuple[str, str], str], doc_jurs: dict[tuple[str, str], Jurisdiction],
) -> None:
    for target in ex.targets:
        doc_id = doc_ids[(ex.key, target.document)]
        node_id = task_id(doc_id, target.section, target.number, kind="target")
        b.node(node_id, NodeKind.TARGET, document=doc_id, section=list(target.section), number=target.number,
               text=target.text, year=target.year, area=target.area, **_prov(target.provenance))
        b.edge(doc_id, node_id, EdgeKind.HAS_TARGET, target.provenance)
        for mention in target.monitor:
            agency = b.agency(mention, doc_jurs[(ex.key, target.document)], target.provenance)
            b.edge(agency, node_id, EdgeKind.MONITORS, target.provenance, printed=mention.text,
                   confidence=round(min(target.provenance.confidence, mention.confidence), 3))


def _drop_weaker_citations(b: _Builder) -> None:
    relations = {r.value for r in DOCUMENT_RELATIONS if r is not EdgeKind.CITES}
    stronger = {(s, d) for (s, d, k) in b.edges if k in relations}
    stronger |= {(d, s) for (s, d, k) in b.edges if k == EdgeKind.ISSUES.value}
    for key in [k for k in b.edges if k[2] == EdgeKind.CITES.value and (k[0], k[1]) in stronger]:
        del b.edges[key]
