"""The query API: "which agency owns what, under which higher-level document".

:class:`PolicyGraph` indexes a graph once (tasks per agency and role, documents' tasks, due dates, folded
titles) so that each question is answered from the indexes. Every answer is a list of plain records
with provenance (source file and lines); :func:`~policykg.queries.records.as_table` turns any of them
into a header and rows, for a terminal, CSV or Excel.

``under`` is transitive through ``IMPLEMENTS`` and ``ISSUES``: the tasks of a plan that implements
71/NQ-CP are under 57-NQ/TW when 71/NQ-CP implements 57-NQ/TW, and the tasks of a plan are under what
the decision issuing it implements.

>>> from policykg.synthetic import synthetic_graph
>>> pg = PolicyGraph(synthetic_graph(tasks=40, provinces=2, seed=1))
>>> len(pg.tasks(under="57-NQ/TW")) == len(pg.tasks())
True
>>> rows = pg.workload(jurisdiction="Hà Nội")
>>> rows[0].led >= rows[-1].led
True
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from ..dates import parse_date
from ..text import fold
from .inputs import InputIndex
from .owners import current_owner
from .records import (
    AgencyLoad,
    ChainLink,
    CompareRow,
    ImplementerRow,
    OwnerAnswer,
    TaskRow,
)

__all__ = ["PolicyGraph", "QueryError"]

_UP = ("IMPLEMENTS",)  # document → what it carries out


class QueryError(ValueError):
    """An input names nothing in the graph (an unknown agency, document or task)."""


def _iso(value: str | dt.date | None, name: str | None = None) -> str | None:
    """A date argument as an ISO string (``today`` allowed); a value that is not a date raises
    :class:`~policykg.dates.DateError` (a ``ValueError``) instead of being compared as text.

    >>> _iso("2026-01-01"), _iso(None)
    ('2026-01-01', None)
    >>> _iso("yesterday", "overdue_as_of")
    Traceback (most recent call last):
    ...
    policykg.dates.DateError: overdue_as_of: 'yesterday' is not a date (YYYY-MM-DD that exists, or today)
    """
    return None if value is None else parse_date(value, name)


class PolicyGraph:
    """A graph with the indexes the questions need."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self.inputs = InputIndex(graph)
        self._tasks: list[str] = []
        self._doc_tasks: dict[str, list[str]] = defaultdict(list)
        self._task_doc: dict[str, str] = {}
        self._role: dict[str, dict[str, list[str]]] = {"lead": defaultdict(list), "support": defaultdict(list)}
        self._task_agencies: dict[str, dict[str, list[str]]] = {"lead": defaultdict(list), "support": defaultdict(list)}
        self._monitors: Counter = Counter()
        self._task_sources: dict[str, list[str]] = defaultdict(list)
        self._implemented_by: dict[str, list[str]] = defaultdict(list)
        self._issued: dict[str, list[str]] = defaultdict(list)
        self._due: list[tuple[str, str]] = []
        self._titles: list[tuple[str, str]] = []
        for node, data in graph.nodes(data=True):
            if data.get("kind") == "Task":
                self._tasks.append(node)
                if data.get("due"):
                    self._due.append((data["due"], node))
                self._titles.append((node, fold(f"{data.get('title') or ''} {data.get('output') or ''}")))
        for src, dst, key in graph.edges(keys=True):
            if key == "HAS_TASK":
                self._doc_tasks[src].append(dst)
                self._task_doc[dst] = src
            elif key in ("LEADS", "SUPPORTS"):
                role = "lead" if key == "LEADS" else "support"
                self._role[role][src].append(dst)
                self._task_agencies[role][dst].append(src)
            elif key == "MONITORS":
                self._monitors[src] += 1
            elif key == "IMPLEMENTS":
                if graph.nodes[src].get("kind") == "Task":
                    self._task_sources[dst].append(src)
                else:
                    self._implemented_by[dst].append(src)
            elif key == "ISSUES":
                self._issued[src].append(dst)
        self._tasks.sort()
        self._due.sort()
        self._rows = {t: self._make_row(t) for t in self._tasks}
        by_jur: dict[str, set[str]] = defaultdict(set)
        for task, row in self._rows.items():
            by_jur[fold(row.jurisdiction)].add(task)
        self._by_jur = {k: frozenset(v) for k, v in by_jur.items()}
        self._due_fixed = [(d, t) for d, t in self._due if not self._rows[t].recurrence]
        # per document: how many of its tasks each agency leads, and how many tasks have no lead
        self._doc_leads: dict[str, Counter] = defaultdict(Counter)
        self._doc_without_lead: Counter = Counter()
        for doc, doc_tasks in self._doc_tasks.items():
            for t in doc_tasks:
                leads = self._task_agencies["lead"].get(t, [])
                self._doc_leads[doc].update(leads)
                if not leads:
                    self._doc_without_lead[doc] += 1
        self._under_cache: dict[str, frozenset[str]] = {}

    # --- inputs -------------------------------------------------------------------------------
    def document(self, ref: str) -> str:
        """The one document node ``ref`` names (a national document first when several share a number)."""
        found = self.inputs.documents(ref)
        if not found:
            raise QueryError(f"no document matches {ref!r}")
        return sorted(found, key=lambda n: (not n.startswith("doc:vn:"), n))[0]

    def agencies(self, ref: str, jurisdiction: str | None = None) -> list[str]:
        found = self.inputs.agencies(ref, jurisdiction)
        if not found:
            raise QueryError(f"no agency matches {ref!r}")
        return found

    def _jurisdiction_match(self, node: str, jurisdiction: str | None) -> bool:
        return jurisdiction is None or fold(jurisdiction) == fold(self.graph.nodes[node].get("jurisdiction", ""))

    # --- structure ----------------------------------------------------------------------------
    def documents_under(self, document: str) -> set[str]:
        """``document`` and every document that carries it out, transitively (IMPLEMENTS, and a plan issued
        by a decision that does)."""
        seen = {document}
        stack = [document]
        while stack:
            node = stack.pop()
            for below in self._implemented_by.get(node, []) + self._issued.get(node, []):
                if below not in seen:
                    seen.add(below)
                    stack.append(below)
        return seen

    def _tasks_under(self, document: str) -> frozenset[str]:
        if document not in self._under_cache:
            docs = self.documents_under(document)
            out = {t for d in docs for t in self._doc_tasks.get(d, [])}
            out.update(t for d in docs for t in self._task_sources.get(d, []))
            self._under_cache[document] = frozenset(out)
        return self._under_cache[document]

    def _row(self, task: str) -> TaskRow:
        return self._rows[task]

    def _make_row(self, task: str) -> TaskRow:
        data = self.graph.nodes[task]
        name = lambda n: self.graph.nodes[n].get("name", n)  # noqa: E731
        return TaskRow(
            task, data.get("document", self._task_doc.get(task, "")), data.get("number", ""), data.get("title") or "",
            [name(a) for a in self._task_agencies["lead"].get(task, [])],
            [name(a) for a in self._task_agencies["support"].get(task, [])],
            data.get("deadline_text"), data.get("due"), data.get("recurrence"), data.get("output"),
            self.graph.nodes.get(data.get("document", ""), {}).get("jurisdiction", ""),
            data.get("source_file"), data.get("line_start"), data.get("line_end"), data.get("confidence"),
            data.get("page"),
        )

    # --- questions ----------------------------------------------------------------------------
    def owner(self, task: str, as_of: str | dt.date | None = None) -> OwnerAnswer:
        """Lead and supporters of ``task`` as the plan names them, and the owners at ``as_of`` (default today)."""
        if task not in self.graph or self.graph.nodes[task].get("kind") != "Task":
            raise QueryError(f"no task {task!r}")
        return OwnerAnswer(self._row(task), current_owner(self.graph, task, _iso(as_of, "as_of"), "lead"),
                           current_owner(self.graph, task, _iso(as_of, "as_of"), "support"))

    def tasks(self, agency: str | None = None, role: str = "any", under: str | None = None,
              jurisdiction: str | None = None, due_before: str | dt.date | None = None,
              as_of: str | dt.date | None = None) -> list[TaskRow]:
        """Tasks, filtered: by agency (and ``role``: lead, support, any), under a document (transitively),
        in a jurisdiction, due before a date. With ``as_of``, an agency also owns the tasks of the agencies
        it succeeded (a task given to Sở Thông tin và Truyền thông is Sở Khoa học và Công nghệ's today)."""
        as_of, due_before = _iso(as_of, "as_of"), _iso(due_before, "due_before")
        sets: list[set[str] | frozenset[str]] = []
        if agency is not None:
            roles = ["lead", "support"] if role == "any" else [role]
            nodes = set(self.agencies(agency))
            if as_of is not None:
                nodes |= {p for n in nodes for p in self._predecessors(n, as_of)}
            sets.append({t for r in roles for n in nodes for t in self._role[r].get(n, [])})
        if under is not None:
            sets.append(self._tasks_under(self.document(under)))
        if jurisdiction is not None:
            sets.append(self._by_jur.get(fold(jurisdiction), frozenset()))
        if due_before is not None:
            cut = bisect.bisect_left(self._due, (due_before, ""))
            sets.append({t for _, t in self._due[:cut]})
        if not sets:
            return [self._rows[t] for t in self._tasks]
        sets.sort(key=len)
        keep = set(sets[0]).intersection(*sets[1:])
        if len(keep) * 8 > len(self._tasks):  # a large answer: walk the sorted task list instead of sorting it
            return [self._rows[t] for t in self._tasks if t in keep]
        return [self._rows[t] for t in sorted(keep)]

    def _predecessors(self, agency: str, as_of: str) -> set[str]:
        out: set[str] = set()
        stack = [agency]
        while stack:
            node = stack.pop()
            for src, _, key, data in self.graph.in_edges(node, keys=True, data=True):
                if key == "SUCCEEDED_BY" and str(data.get("date", "")) <= as_of and src not in out:
                    out.add(src)
                    stack.append(src)
        return out

    def chain(self, document: str) -> list[ChainLink]:
        """The implementation chain of a document: up to the national documents it carries out (depth < 0),
        itself (0), down to the documents that carry it out (depth > 0) with their task counts."""
        start = self.document(document)
        links = [self._link(start, 0, None)]
        frontier, seen, depth = [start], {start}, 0
        while frontier:
            depth -= 1
            nxt = []
            for node in frontier:
                ups = [d for _, d, k in self.graph.out_edges(node, keys=True) if k in _UP]
                ups += [s for s, _, k in self.graph.in_edges(node, keys=True) if k == "ISSUES"]
                for up in sorted(ups):
                    if up not in seen:
                        seen.add(up)
                        nxt.append(up)
                        links.append(self._link(up, depth, node))
            frontier = nxt
        frontier, depth = [start], 0
        while frontier:
            depth += 1
            nxt = []
            for node in frontier:
                for down in sorted(self._implemented_by.get(node, []) + self._issued.get(node, [])):
                    if down not in seen:
                        seen.add(down)
                        nxt.append(down)
                        links.append(self._link(down, depth, node))
            frontier = nxt
        return sorted(links, key=lambda link: (link.depth, link.document))

    def _link(self, node: str, depth: int, via: str | None) -> ChainLink:
        data = self.graph.nodes[node]
        return ChainLink(node, depth, via, data.get("doc_kind"), data.get("number"), data.get("title"),
                         data.get("jurisdiction", ""), data.get("date"), bool(data.get("loaded")),
                         len(self._doc_tasks.get(node, [])), data.get("source_file"))

    def implementers(self, document: str) -> list[ImplementerRow]:
        """The loaded plans under a document, per province, with their task counts per lead agency."""
        start = self.document(document)
        out = []
        for doc in sorted(self.documents_under(start) - {start}):
            data = self.graph.nodes[doc]
            if not data.get("loaded"):
                continue
            tasks = self._doc_tasks.get(doc, [])
            leads = Counter()
            for agency, count in self._doc_leads[doc].items():
                leads[self.graph.nodes[agency].get("name", agency)] += count
            out.append(ImplementerRow(data.get("jurisdiction", ""), doc, data.get("doc_kind"), data.get("number"),
                                      data.get("title"), data.get("date"), len(tasks),
                                      self._doc_without_lead[doc],
                                      dict(leads.most_common()), data.get("source_file")))
        return sorted(out, key=lambda r: (r.jurisdiction, r.document))

    def workload(self, jurisdiction: str | None = None, under: str | None = None,
                 as_of: str | dt.date | None = None) -> list[AgencyLoad]:
        """Per agency: tasks led, tasks supported, indicators monitored, and overdue tasks at ``as_of``
        (default today), most tasks led first."""
        today = _iso(as_of, "as_of") or dt.date.today().isoformat()
        scope = self._tasks_under(self.document(under)) if under is not None else None
        rows = []
        agencies = set(self._role["lead"]) | set(self._role["support"]) | set(self._monitors)
        for agency in agencies:
            if not self._jurisdiction_match(agency, jurisdiction):
                continue
            led = [t for t in self._role["lead"].get(agency, []) if scope is None or t in scope]
            supported = [t for t in self._role["support"].get(agency, []) if scope is None or t in scope]
            if not led and not supported and (scope is not None or not self._monitors[agency]):
                continue
            overdue = sum(1 for t in led if (due := self._rows[t].due) and due < today and not self._rows[t].recurrence)
            data = self.graph.nodes[agency]
            rows.append(AgencyLoad(agency, data.get("name", agency), data.get("jurisdiction", ""),
                                   bool(data.get("collective")), len(led), len(supported),
                                   self._monitors[agency] if scope is None else 0, overdue))
        return sorted(rows, key=lambda r: (-r.led, -r.supported, r.name, r.agency))

    def deadlines(self, between: tuple[str | dt.date, str | dt.date] | None = None,
                  overdue_as_of: str | dt.date | None = None) -> list[TaskRow]:
        """Tasks due in ``between`` (inclusive), or overdue at ``overdue_as_of`` (due before it and not
        recurring), soonest first."""
        overdue_as_of = _iso(overdue_as_of, "overdue_as_of")
        if between is not None:
            low, high = _iso(between[0], "between"), _iso(between[1], "between")
            lo = bisect.bisect_left(self._due, (low, ""))
            hi = bisect.bisect_right(self._due, (high, "\uffff"))
            picked = self._due[lo:hi]
        else:
            picked = self._due
        if overdue_as_of is not None:
            cut = bisect.bisect_left(self._due_fixed, (overdue_as_of, ""))
            late = self._due_fixed[:cut]
            picked = late if between is None else [p for p in late if p in set(picked)]
        return [self._row(t) for _, t in picked]

    def compare(self, document: str, kinds_of_agency: Iterable[str] | None = None) -> list[CompareRow]:
        """The same national document across provinces: per kind of agency (its canonical name, e.g.
        "Sở Khoa học và Công nghệ"), how many tasks it leads in each province's plans under it."""
        start = self.document(document)
        kinds = {fold(k) for k in kinds_of_agency} if kinds_of_agency else None
        counts: dict[str, Counter] = defaultdict(Counter)
        docs = self.documents_under(start)
        keep: dict[str, bool] = {}

        def wanted(agency: str) -> bool:
            if agency not in keep:
                data = self.graph.nodes[agency]
                keep[agency] = kinds is None or any(fold(data.get("name", "")).startswith(k)
                                                    or k == fold(data.get("agency_kind", "")) for k in kinds)
            return keep[agency]

        for doc in docs:
            place = self.graph.nodes[doc].get("jurisdiction", "")
            for agency, count in self._doc_leads.get(doc, {}).items():
                if wanted(agency):
                    counts[self.graph.nodes[agency].get("name", agency)][place] += count
        extra = {t for d in docs for t in self._task_sources.get(d, [])}  # tied by their group, not their plan
        for task in extra:
            if self._task_doc.get(task) not in docs:
                for agency in self._task_agencies["lead"].get(task, []):
                    if wanted(agency):
                        counts[self.graph.nodes[agency].get("name", agency)][self._rows[task].jurisdiction] += 1
        return sorted((CompareRow(name, dict(sorted(c.items()))) for name, c in counts.items()),
                      key=lambda r: (-sum(r.by_jurisdiction.values()), r.name))

    def search(self, text: str, limit: int | None = None) -> list[TaskRow]:
        """Tasks whose title or output contains ``text``, accent-insensitive ("chuyen doi so")."""
        query = fold(text)
        hits = [task for task, folded in self._titles if query in folded]
        hits.sort()
        return [self._row(t) for t in hits[:limit]]
