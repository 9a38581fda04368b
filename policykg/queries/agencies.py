"""The agencies of a graph: mention counts, aliases seen, and the mentions left unresolved.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("agency:vl:so-y-te", kind="Agency", name="Sở Y tế", jurisdiction="Vĩnh Long", resolved=True,
...            collective=False, agency_kind="Sở", aliases=["Sở Y tế tỉnh"])
>>> g.add_node("t", kind="Task")
>>> _ = g.add_edge("agency:vl:so-y-te", "t", key="LEADS", kind="LEADS", mentions=2, source_file="a.txt")
>>> [(r.name, r.mentions, r.leads) for r in agency_rows(g)]
[('Sở Y tế', 2, 1)]
>>> mention_counts(g)["a.txt"]
{'mentions': 2, 'resolved': 2, 'collective': 0, 'unresolved': 0}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["AgencyRow", "agency_rows", "mention_counts"]

_ROLES = {"LEADS": "leads", "SUPPORTS": "supports", "MONITORS": "monitors"}


@dataclass
class AgencyRow:
    """One agency node and how the documents name it."""

    id: str
    name: str
    jurisdiction: str
    kind: str
    collective: bool
    resolved: bool
    named: bool
    mentions: int = 0
    leads: int = 0
    supports: int = 0
    monitors: int = 0
    aliases: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    source: str | None = None  # file:line of an unresolved mention


def agency_rows(graph: nx.MultiDiGraph) -> list[AgencyRow]:
    """Every agency node, sorted by jurisdiction and name."""
    rows = []
    for node_id, data in graph.nodes(data=True):
        if data.get("kind") != "Agency":
            continue
        row = AgencyRow(node_id, data.get("name", node_id), data.get("jurisdiction", ""),
                        data.get("agency_kind", ""), bool(data.get("collective")), bool(data.get("resolved")),
                        data.get("named", True) is not False, aliases=list(data.get("aliases", [])))
        if data.get("source_file"):
            row.source = f"{data['source_file']}:{data.get('line_start', '')}"
        for _, dst, key, edge in graph.out_edges(node_id, keys=True, data=True):
            if key in _ROLES:
                setattr(row, _ROLES[key], getattr(row, _ROLES[key]) + 1)
                row.mentions += int(edge.get("mentions", 1))
            elif key == "SUCCEEDED_BY":
                row.successors.append(graph.nodes[dst].get("name", dst))
        row.mentions += sum(int(e.get("mentions", 1)) for *_, k, e in graph.in_edges(node_id, keys=True, data=True)
                            if k == "ISSUED_BY")
        rows.append(row)
    return sorted(rows, key=lambda r: (r.jurisdiction, r.collective, not r.resolved, r.name))


def mention_counts(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Per source file: agency mentions in task and indicator rows, and how many resolved to a named
    agency, to a collective, or stayed unresolved."""
    out: dict[str, Counter] = {}
    for src, _, key, edge in graph.edges(keys=True, data=True):
        if key not in _ROLES or not edge.get("source_file"):
            continue
        node = graph.nodes[src]
        count = int(edge.get("mentions", 1))
        bucket = "collective" if node.get("collective") else "resolved" if node.get("resolved") else "unresolved"
        counter = out.setdefault(edge["source_file"], Counter())
        counter["mentions"] += count
        counter[bucket] += count
    return {file: {k: c[k] for k in ("mentions", "resolved", "collective", "unresolved")} for file, c in sorted(out.items())}
