"""Who owns a task today: its leads (or supporters) followed through ``SUCCEEDED_BY`` to a date.

A lead that was merged or split in the 2025 restructuring is read as the agency that received its
function (Nghị quyết 190/2025/QH15); a split answers with every successor and the function each took.
The agency printed in the plan stays in the answer as ``printed`` and ``original``.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("t", kind="Task", title="Chuyển đổi số")
>>> g.add_node("a", kind="Agency", name="Sở Thông tin và Truyền thông", jurisdiction="Vĩnh Phúc")
>>> g.add_node("b", kind="Agency", name="Sở Khoa học và Công nghệ", jurisdiction="Vĩnh Phúc")
>>> _ = g.add_edge("a", "t", key="LEADS", kind="LEADS", printed="Sở TT&TT")
>>> _ = g.add_edge("a", "b", key="SUCCEEDED_BY", kind="SUCCEEDED_BY", date="2025-03-01", instrument="NĐ 45/2025/NĐ-CP")
>>> [o.name for o in current_owner(g, "t", as_of="2026-01-01")]
['Sở Khoa học và Công nghệ']
>>> [o.name for o in current_owner(g, "t", as_of="2024-12-31")]
['Sở Thông tin và Truyền thông']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["Step", "Owner", "current_owner"]


@dataclass(frozen=True)
class Step:
    """One succession followed: to ``agency`` on ``date`` by ``instrument`` (``function`` for a split)."""

    agency: str
    name: str
    jurisdiction: str
    date: str
    instrument: str
    function: str | None = None


@dataclass(frozen=True)
class Owner:
    """An agency that owns a task at a date, and how it came to (``via``, empty when unchanged)."""

    agency: str
    name: str
    jurisdiction: str
    role: str  # lead | support
    original: str  # the agency the plan named
    printed: str  # as printed in the plan
    via: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def function(self) -> str | None:
        """The function this owner took over, when the named agency was split."""
        return next((s.function for s in reversed(self.via) if s.function), None)


def _follow(graph: nx.MultiDiGraph, agency: str, as_of: str, path: tuple[Step, ...]) -> list[tuple[str, tuple[Step, ...]]]:
    nexts = [(dst, data) for _, dst, key, data in graph.out_edges(agency, keys=True, data=True)
             if key == "SUCCEEDED_BY" and str(data.get("date", "")) <= as_of]
    if not nexts:
        return [(agency, path)]
    out = []
    for dst, data in sorted(nexts, key=lambda pair: pair[0]):
        if any(step.agency == dst for step in path):
            continue  # a cycle in bad data: stop here
        node = graph.nodes[dst]
        step = Step(dst, node.get("name", dst), node.get("jurisdiction", ""), str(data["date"]),
                    data.get("instrument", ""), data.get("function"))
        out += _follow(graph, dst, as_of, (*path, step))
    return out or [(agency, path)]


def current_owner(graph: nx.MultiDiGraph, task: str, as_of: str | dt.date | None = None,
                  role: str = "lead") -> list[Owner]:
    """The agencies that own ``task`` at ``as_of`` (default today) in ``role`` (``lead``, ``support``, ``any``)."""
    as_of = (as_of or dt.date.today()).isoformat() if not isinstance(as_of, str) else as_of
    kinds = {"lead": {"LEADS"}, "support": {"SUPPORTS"}, "any": {"LEADS", "SUPPORTS"}}[role]
    owners: list[Owner] = []
    for src, _, key, data in sorted(graph.in_edges(task, keys=True, data=True), key=lambda e: (e[2], e[0])):
        if key not in kinds:
            continue
        named = graph.nodes[src]
        for agency, path in _follow(graph, src, as_of, ()):
            node = graph.nodes[agency]
            owners.append(Owner(agency, node.get("name", agency), node.get("jurisdiction", ""),
                                "lead" if key == "LEADS" else "support", named.get("name", src),
                                data.get("printed", named.get("name", src)), path))
    return owners
