"""The JSON export (**contract**, see the design notes): documents, tasks, targets, agencies.

Extensions beyond the contract: ``cites`` on documents, ``jurisdictions``, and per-edge
``source`` where it helps (``lead_sources``); names keep their Vietnamese diacritics.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .model import EdgeKind, NodeKind

__all__ = ["to_json_dict", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1


def _source(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data.get("source_file"):
        out["file"] = data["source_file"]
        for key in ("line_start", "line_end", "page"):
            if data.get(key) is not None:
                out[key] = data[key]
    return out


def _out(graph: nx.MultiDiGraph, node: str, kind: EdgeKind) -> list[str]:
    return sorted(t for _, t, k in graph.out_edges(node, keys=True) if k == kind.value)


def _in(graph: nx.MultiDiGraph, node: str, kind: EdgeKind) -> list[str]:
    return sorted(s for s, _, k in graph.in_edges(node, keys=True) if k == kind.value)


def to_json_dict(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The contract JSON object of a graph.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("doc:vn:57-nq-tw:2024", kind="Document", doc_kind="Nghị quyết", number="57-NQ/TW", loaded=False)
    >>> to_json_dict(g)["documents"][0]["number"]
    '57-NQ/TW'
    """
    documents, tasks, targets, agencies, jurisdictions = [], [], [], [], []
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind == NodeKind.DOCUMENT.value:
            issued_with = _in(graph, node, EdgeKind.ISSUES)
            documents.append({
                "id": node, "kind": data.get("doc_kind"), "number": data.get("number"),
                "issuer": data.get("issuer"), "jurisdiction": data.get("jurisdiction"), "date": data.get("date"),
                "title": data.get("title"), "loaded": bool(data.get("loaded")),
                "implements": _out(graph, node, EdgeKind.IMPLEMENTS),
                "based_on": _out(graph, node, EdgeKind.BASED_ON),
                "replaces": _out(graph, node, EdgeKind.REPLACES),
                "cites": _out(graph, node, EdgeKind.CITES),
                "issues": _out(graph, node, EdgeKind.ISSUES),
                "issued_with": issued_with[0] if issued_with else None,
                "source": _source(data),
            })
        elif kind == NodeKind.TASK.value:
            tasks.append({
                "id": node, "document": data.get("document"), "section": data.get("section", []),
                "number": data.get("number"), "title": data.get("title"),
                "lead": _in(graph, node, EdgeKind.LEADS), "support": _in(graph, node, EdgeKind.SUPPORTS),
                "deadline": ({"text": data.get("deadline_text"), "due": data.get("due"), "recurrence": data.get("recurrence"),
                              "start": data.get("start")}
                             if data.get("deadline_text") else None),
                "output": data.get("output"), "origin": data.get("origin"), "role": data.get("role"),
                "confidence": data.get("confidence"), "source": _source(data),
            })
        elif kind == NodeKind.TARGET.value:
            targets.append({
                "id": node, "document": data.get("document"), "section": data.get("section", []),
                "number": data.get("number"), "text": data.get("text"), "year": data.get("year"),
                "area": data.get("area"),
                "monitor": _in(graph, node, EdgeKind.MONITORS), "source": _source(data),
            })
        elif kind == NodeKind.AGENCY.value:
            agencies.append({
                "id": node, "name": data.get("name"), "jurisdiction": data.get("jurisdiction"),
                "kind": data.get("agency_kind"), "collective": bool(data.get("collective")),
                "resolved": bool(data.get("resolved")), "aliases": data.get("aliases", []),
                "confidence": data.get("confidence"),
            })
        elif kind == NodeKind.JURISDICTION.value:
            merged = _out(graph, node, EdgeKind.MERGED_INTO)
            jurisdictions.append({
                "id": node, "name": data.get("name"), "level": data.get("level"),
                "valid_from": data.get("valid_from"), "valid_to": data.get("valid_to"),
                "merged_into": merged[0] if merged else None,
            })
    return {"schema_version": SCHEMA_VERSION, "documents": documents, "tasks": tasks, "targets": targets,
            "agencies": agencies, "jurisdictions": jurisdictions}
