"""Consistency checks over the graph: what a plan leaves unassigned or inconsistent, and what the 2025
restructuring left orphaned. Each check has an id, a severity and a message (Vietnamese, or English);
see :data:`~policykg.checks.findings.CHECKS`.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("d", kind="Document", doc_kind="Kế hoạch", number="1/KH-UBND", loaded=True, date="2025-01-02")
>>> g.add_node("d/task/1", kind="Task", document="d", number="1", title="Xây dựng kế hoạch", due="2024-12-31")
>>> _ = g.add_edge("d", "d/task/1", key="HAS_TASK", kind="HAS_TASK")
>>> sorted(f.check for f in run_graph_checks(g, as_of="2025-06-01"))
['due-before-plan', 'implements-nothing', 'no-lead', 'overdue']
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

from ..queries.owners import current_owner
from ..text import fold
from .findings import Finding, finding

__all__ = ["run_graph_checks", "node_label", "PLAN_KINDS"]

PLAN_KINDS = {"Kế hoạch", "Chương trình", "Chương trình hành động"}


def node_label(graph: nx.MultiDiGraph, node: str, lang: str = "vi") -> str:
    """A node named in words: "nhiệm vụ 12 «Xây dựng ...» (Kế hoạch 7316/KH-UBND)"."""
    data = graph.nodes[node]
    kind = data.get("kind")
    if kind == "Document":
        name = " ".join(x for x in (data.get("doc_kind"), data.get("number")) if x)
        if not data.get("number") and data.get("title"):
            name += f" «{data['title'][:60]}»"
        return f"{name} ({data.get('jurisdiction')})" if data.get("jurisdiction") else name
    if kind in {"Task", "Target"}:
        word = ("nhiệm vụ" if lang == "vi" else "task") if kind == "Task" else ("chỉ tiêu" if lang == "vi" else "indicator")
        text = data.get("title") or data.get("text") or ""
        doc = node_label(graph, data["document"], lang) if data.get("document") in graph else ""
        return f"{word} {data.get('number', '')} «{text[:70]}{'…' if len(text) > 70 else ''}» — {doc}"
    return data.get("name", node)


def _source(data: dict) -> dict:
    return {"file": data.get("source_file"), "line_start": data.get("line_start"), "line_end": data.get("line_end")}


def _agencies(graph: nx.MultiDiGraph, task: str, key: str) -> list[str]:
    return sorted(src for src, _, k in graph.in_edges(task, keys=True) if k == key)


def _led_parents(graph: nx.MultiDiGraph, tasks: list[str]) -> set[str]:
    """Tasks whose sub-tasks carry the leads: "29" of a plan whose "29.1" (same document and section) has a lead
    (a row that groups the rows under it names no lead of its own, and is no task left without one)."""
    def place(data: dict, number: str) -> tuple:
        return data.get("document"), tuple(data.get("section") or ()), number

    numbers = {place(graph.nodes[t], str(graph.nodes[t].get("number") or "").strip(".")): t for t in tasks}
    parents = set()
    for task in tasks:
        data = graph.nodes[task]
        number = str(data.get("number") or "").strip(".")
        if "." in number and _agencies(graph, task, "LEADS"):
            parent = numbers.get(place(data, number.rsplit(".", 1)[0]))
            if parent:
                parents.add(parent)
    return parents


def _task_checks(graph: nx.MultiDiGraph, task: str, as_of: str, lang: str, parent: bool = False) -> Iterator[Finding]:
    data = graph.nodes[task]
    doc = data.get("document")
    label = node_label(graph, task, lang)
    src = _source(data)
    leads, supports = _agencies(graph, task, "LEADS"), _agencies(graph, task, "SUPPORTS")
    names = lambda nodes: "; ".join(graph.nodes[n].get("name", n) for n in nodes)  # noqa: E731
    if not leads:
        if not parent:  # a row grouping led rows: they carry its leads, what stands in its own lead cell is debris
            unread = (data.get("lead_unreadable") or "")[:80]
            yield finding("lead-unreadable" if unread else "no-lead", task, doc, src, lang, task=label, text=unread)
    elif all(graph.nodes[n].get("collective") for n in leads):
        yield finding("collective-lead", task, doc, src, lang, task=label, leads=names(leads))
    elif len([n for n in leads if not graph.nodes[n].get("collective")]) > 1:
        yield finding("several-leads", task, doc, src, lang, task=label, leads=names(leads))
    for agency in sorted(set(leads) & set(supports)):
        yield finding("lead-also-supports", task, doc, src, lang, task=label, agency=names([agency]))
    due, text = data.get("due"), data.get("deadline_text")
    if not text and data.get("origin") in {"table", "list"}:
        yield finding("no-deadline", task, doc, src, lang, task=label)
    elif text and not due and not data.get("recurrence"):
        yield finding("unreadable-deadline", task, doc, src, lang, task=label, deadline=text)
    plan_date = graph.nodes[doc].get("date") if doc in graph else None
    if due and plan_date and due[: len(plan_date)] < plan_date:
        yield finding("due-before-plan", task, doc, src, lang, task=label, due=due, date=plan_date)
    if due and not data.get("recurrence") and due < as_of:
        yield finding("overdue", task, doc, src, lang, task=label, due=due, as_of=as_of)
    for agency in leads:
        ended = [(str(e.get("date")), dst) for _, dst, k, e in graph.out_edges(agency, keys=True, data=True)
                 if k == "SUCCEEDED_BY" and str(e.get("date", "")) <= as_of]
        if ended:
            owners = [o for o in current_owner(graph, task, as_of) if o.original == graph.nodes[agency].get("name")]
            successors = "; ".join(sorted({f"{o.name} ({o.jurisdiction})" for o in owners}))
            renamed = any(o.name != graph.nodes[agency].get("name") for o in owners)
            yield finding("lead-abolished" if renamed else "lead-province-merged", task, doc, src, lang, task=label,
                          agency=names([agency]), date=min(ended)[0], successors=successors)


def _document_checks(graph: nx.MultiDiGraph, lang: str) -> Iterator[Finding]:
    implemented = {dst for src, dst, k in graph.edges(keys=True) if k == "IMPLEMENTS"}
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("kind") != "Document":
            continue
        label = node_label(graph, node, lang)
        if not data.get("loaded"):
            if node in implemented:
                yield finding("cited-not-loaded", node, node, {}, lang, document=label)
            continue
        out = {k for _, _, k in graph.out_edges(node, keys=True)}
        if data.get("doc_kind") in PLAN_KINDS and not out & {"IMPLEMENTS", "BASED_ON"}:
            yield finding("implements-nothing", node, node, _source(data), lang, document=label)
        found = set(data.get("appendices_found") or [])
        for label_no, line in data.get("appendices_cited") or []:
            if label_no not in found:
                yield finding("appendix-missing", node, node, {"file": data.get("source_file"), "line_start": line,
                                                               "line_end": line}, lang,
                              document=label, label=label_no, line=line)


def _duplicates(graph: nx.MultiDiGraph, tasks: list[str], lang: str) -> Iterator[Finding]:
    seen: dict[tuple, str] = {}
    for task in tasks:
        data = graph.nodes[task]
        title = fold(data.get("title") or "")
        if len(title) < 25:
            continue
        key = (data.get("document", ""), title, tuple(_agencies(graph, task, "LEADS")))
        if key in seen:
            yield finding("duplicate-task", task, data.get("document"), _source(data), lang,
                          task=node_label(graph, task, lang), other=node_label(graph, seen[key], lang))
        else:
            seen[key] = task


def run_graph_checks(graph: nx.MultiDiGraph, as_of: str | dt.date | None = None, lang: str = "vi") -> list[Finding]:
    """Every graph check on ``graph``; overdue and abolished leads are judged at ``as_of`` (default today)."""
    as_of = (as_of or dt.date.today()).isoformat() if not isinstance(as_of, str) else as_of
    tasks = sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == "Task")
    out: list[Finding] = []
    parents = _led_parents(graph, tasks)
    for task in tasks:
        out.extend(_task_checks(graph, task, as_of, lang, task in parents))
    out.extend(_duplicates(graph, tasks, lang))
    out.extend(_document_checks(graph, lang))
    monitored = {dst for _, dst, k in graph.edges(keys=True) if k == "MONITORS"}
    mentions: dict[str, int] = defaultdict(int)
    first_doc: dict[str, str] = {}
    for src, dst, k, e in graph.edges(keys=True, data=True):
        if k in {"LEADS", "SUPPORTS", "MONITORS"}:
            mentions[src] += int(e.get("mentions", 1))
            first_doc.setdefault(src, graph.nodes[dst].get("document"))
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("kind") == "Target" and node not in monitored:
            out.append(finding("indicator-no-monitor", node, data.get("document"), _source(data), lang,
                               target=node_label(graph, node, lang)))
        elif data.get("kind") == "Agency" and not data.get("resolved") and not data.get("collective"):
            out.append(finding("unresolved-agency", node, first_doc.get(node),
                               {"file": data.get("source_file"), "line_start": data.get("line_start"),
                                "line_end": data.get("line_start")}, lang,
                               agency=data.get("name", node), mentions=mentions[node]))
    return out
