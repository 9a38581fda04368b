"""Finding a task from what a person types: its ID, the end of its ID, or words of its title.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("doc:x/task/b/12", kind="Task", title="Xây dựng cơ sở dữ liệu chuyển đổi số")
>>> find_tasks(g, "task/b/12"), find_tasks(g, "co so du lieu chuyen doi so")
(['doc:x/task/b/12'], ['doc:x/task/b/12'])
"""

from __future__ import annotations

import networkx as nx

from ..text import fold

__all__ = ["find_tasks"]


def find_tasks(graph: nx.MultiDiGraph, ref: str) -> list[str]:
    """Task IDs matching ``ref``: the exact ID, else IDs ending with it, else titles containing it
    (accent-insensitive), in ID order."""
    tasks = sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == "Task")
    if ref in graph and graph.nodes[ref].get("kind") == "Task":
        return [ref]
    if found := [t for t in tasks if t.endswith(ref)]:
        return found
    words = fold(ref)
    return [t for t in tasks if words in fold(graph.nodes[t].get("title") or "")]
