"""Views of the graph that stay readable: a plan, an agency, a national document, a province, or the
neighbourhood of a node; large views are grouped (one node per plan and lead agency) instead of drawn
task by task.

>>> from policykg.synthetic import synthetic_graph
>>> g = synthetic_graph(tasks=60, provinces=2, seed=2)
>>> view = select(g, document="100/KH-UBND")
>>> view.kind, sum(1 for n in view.nodes if g.nodes[n]["kind"] == "Task")
('document', 60)
>>> select(g, under="57-NQ/TW", max_tasks=10).grouped
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from ..queries.api import PolicyGraph, QueryError
from ..text import fold

__all__ = ["View", "Group", "select"]

_TASK_KINDS = {"Task", "Target"}


@dataclass
class Group:
    """Tasks drawn as one node: those of ``document`` led by ``lead`` (None: no lead)."""

    id: str
    document: str
    lead: str | None
    tasks: list[str]


@dataclass
class View:
    kind: str  # document | agency | under | province | focus | overview
    title: str
    nodes: set[str]
    grouped: bool = False
    groups: list[Group] = field(default_factory=list)


def _documents_above(graph: nx.MultiDiGraph, docs: set[str]) -> set[str]:
    out, stack = set(), list(docs)
    while stack:
        node = stack.pop()
        for _, dst, key in graph.out_edges(node, keys=True):
            if key == "IMPLEMENTS" and graph.nodes[dst].get("kind") == "Document" and dst not in out:
                out.add(dst)
                stack.append(dst)
        for src, _, key in graph.in_edges(node, keys=True):
            if key == "ISSUES" and src not in out:
                out.add(src)
                stack.append(src)
    return out


def _with_agencies(graph: nx.MultiDiGraph, tasks: set[str]) -> set[str]:
    out = set(tasks)
    for task in tasks:
        for src, _, key in graph.in_edges(task, keys=True):
            if key in {"LEADS", "SUPPORTS", "MONITORS"}:
                out.add(src)
    return out


def _group(graph: nx.MultiDiGraph, tasks: set[str]) -> list[Group]:
    by: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for task in sorted(tasks):
        leads = sorted(src for src, _, k in graph.in_edges(task, keys=True) if k == "LEADS")
        by[(graph.nodes[task].get("document", ""), leads[0] if leads else None)].append(task)
    return [Group(f"group:{doc}|{lead or '-'}", doc, lead, members) for (doc, lead), members in sorted(
        by.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))]


def _finish(graph: nx.MultiDiGraph, kind: str, title: str, docs: set[str], tasks: set[str], max_tasks: int) -> View:
    docs = docs | _documents_above(graph, docs)
    if len(tasks) <= max_tasks:
        return View(kind, title, docs | _with_agencies(graph, tasks))
    groups = _group(graph, tasks)
    agencies = {g.lead for g in groups if g.lead}
    return View(kind, title, docs | agencies, grouped=True, groups=groups)


def select(graph: nx.MultiDiGraph, document: str | None = None, agency: str | None = None,
           under: str | None = None, province: str | None = None, focus: str | None = None, depth: int = 1,
           max_tasks: int = 300, pg: PolicyGraph | None = None) -> View:
    """The nodes of one view (the first option given wins; none: the overview of the whole graph).
    Views with more than ``max_tasks`` tasks are grouped per plan and lead agency."""
    pg = pg or PolicyGraph(graph)
    if document:
        doc = pg.document(document)
        tasks = {t for _, t, k in graph.out_edges(doc, keys=True) if k == "HAS_TASK"}
        view = _finish(graph, "document", graph.nodes[doc].get("title") or doc, {doc}, tasks, max_tasks)
        targets = {t for _, t, k in graph.out_edges(doc, keys=True) if k == "HAS_TARGET"}
        if not view.grouped and len(targets) <= max_tasks // 2:  # indicators too, while the page stays readable
            view.nodes |= _with_agencies(graph, targets)
        return view
    if agency:
        nodes = set(pg.agencies(agency))
        tasks = {t for n in nodes for _, t, k in graph.out_edges(n, keys=True) if k in {"LEADS", "SUPPORTS", "MONITORS"}}
        docs = {graph.nodes[t].get("document") for t in tasks} - {None}
        view = _finish(graph, "agency", agency, docs, tasks, max_tasks)
        view.nodes |= nodes
        return view
    if under:
        top = pg.document(under)
        docs = pg.documents_under(top)
        tasks = {t for d in docs for _, t, k in graph.out_edges(d, keys=True) if k == "HAS_TASK"}
        return _finish(graph, "under", graph.nodes[top].get("number") or top, docs, tasks, max_tasks)
    if province:
        place = fold(province)
        docs = {n for n, d in graph.nodes(data=True)
                if d.get("kind") == "Document" and d.get("loaded") and fold(d.get("jurisdiction", "")) == place}
        if not docs:
            raise QueryError(f"no loaded document of {province!r}")
        tasks = {t for d in docs for _, t, k in graph.out_edges(d, keys=True) if k == "HAS_TASK"}
        return _finish(graph, "province", province, docs, tasks, max_tasks)
    if focus:
        if focus not in graph:
            raise QueryError(f"no node {focus!r}")
        undirected = graph.to_undirected(as_view=True)
        near = set(nx.single_source_shortest_path_length(undirected, focus, cutoff=depth))
        near = {n for n in near if graph.nodes[n].get("kind") != "Jurisdiction"}
        return View("focus", graph.nodes[focus].get("title") or graph.nodes[focus].get("name") or focus, near)
    docs = {n for n, d in graph.nodes(data=True) if d.get("kind") == "Document" and d.get("loaded")}
    tasks = {n for n, d in graph.nodes(data=True) if d.get("kind") == "Task"}
    return _finish(graph, "overview", "policykg", docs, tasks, max_tasks)
