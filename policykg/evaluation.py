"""Measure extraction against hand-checked answers (the JSON format of ``shared/eval``).

Agency names are compared by the gazetteer entry they resolve to (or their folded text
when they resolve to none), so "Các cơ quan, đơn vị có liên quan" and "các cơ quan, đơn vị
liên quan" count as the same collective, and "Sở KH&CN" as "Sở Khoa học và Công nghệ".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .loaders.nlp import get_nlp
from .records import AgencyMention, Extraction, TargetRecord, TaskRecord
from .text import fold

__all__ = ["DutyScore", "HeadScore", "IndicatorScore", "TableScore", "TaskScore", "agency_key", "score_duties", "score_head",
           "score_indicators", "score_table_tasks", "score_tasks"]


def agency_key(name: str) -> str:
    """The comparison key of an agency name: its gazetteer key, else its folded text.

    >>> agency_key("Sở KH&CN") == agency_key("Sở Khoa học và Công nghệ tỉnh")
    True
    >>> agency_key("Các cơ quan, đơn vị có liên quan") == agency_key("các cơ quan, đơn vị liên quan")
    True
    """
    doc = get_nlp()(name)
    ents = [e for e in doc.ents if e.label_ in {"AGENCY", "COLLECTIVE"}]
    if ents and ents[0].ent_id_ and len(ents[0].text) >= 0.6 * len(name.strip()):
        return ents[0].ent_id_
    return fold(name).removesuffix(" tinh")


def _keys(items: list[str] | list[AgencyMention]) -> set[str]:
    return {(i.key or agency_key(i.text)) if isinstance(i, AgencyMention) else agency_key(i) for i in items}


@dataclass
class DutyScore:
    """How many hand-checked duties were found, and with which fields right."""

    expected: int = 0
    found: int = 0
    role: int = 0
    agencies: int = 0
    partners: int = 0
    extra: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)


def score_duties(extraction: Extraction, answers: dict[str, Any]) -> DutyScore:
    """Compare the ``duties`` of an eval file with the extraction's duty tasks (matched by line)."""
    score = DutyScore()
    duties = [t for t in extraction.tasks if t.origin == "duties"]
    by_line: dict[int, TaskRecord] = {t.provenance.line_start: t for t in duties}
    matched = set()
    for duty in answers.get("duties", []):
        score.expected += 1
        task = by_line.get(duty["line"]) or by_line.get(duty["line"] + 1) or by_line.get(duty["line"] - 1)
        if task is None:
            score.misses.append({"line": duty["line"], "why": "not found"})
            continue
        matched.add(id(task))
        score.found += 1
        own = _keys(duty.get("agencies") or [duty["agency"]])
        partners = _keys(duty.get("partners", []))
        role = duty["role"]
        got_role = task.role
        if got_role == role:
            score.role += 1
        mine, others = (task.support, task.lead) if role == "support" else (task.lead, task.support)
        if _keys(mine) == own:
            score.agencies += 1
        else:
            score.misses.append({"line": duty["line"], "why": "agencies", "expected": sorted(own), "got": sorted(_keys(mine))})
        if _keys(others) == partners:
            score.partners += 1
        else:
            score.misses.append({"line": duty["line"], "why": "partners", "expected": sorted(partners), "got": sorted(_keys(others))})
    score.extra = sum(1 for t in duties if id(t) not in matched)
    return score


@dataclass
class HeadScore:
    """Which head fields of a document agree with the answers."""

    fields: dict[str, bool] = field(default_factory=dict)


def score_head(extraction: Extraction, expected: dict[str, Any], kind: str | None = None) -> HeadScore:
    """Compare kind, number, issuer, province, date and title of the document of ``kind``."""
    kind = kind or expected["kind"]
    doc = next(d for d in extraction.documents if d.kind == kind)
    score = HeadScore()
    score.fields["kind"] = doc.kind == expected["kind"]
    score.fields["number"] = doc.number == expected.get("number")
    score.fields["issuer"] = fold(doc.issuer or "") == fold(expected.get("issuer") or "")
    if "province" in expected:
        score.fields["province"] = doc.province == expected["province"]
    score.fields["date"] = doc.date == expected.get("date")
    score.fields["title"] = fold(doc.title).replace('"', "") == fold(expected.get("title") or "").replace('"', "")
    return score


@dataclass
class TableScore:
    """How many hand-checked table rows were found, and with which cells right."""

    expected: int = 0
    found: int = 0
    lead: int = 0
    support: int = 0
    deadline: int = 0
    output: int = 0
    title: int = 0
    support_true: int = 0  # supporters named by both (for the F1 of supporters)
    support_extra: int = 0
    support_missed: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def support_f1(self) -> float:
        """F1 of the supporters over all found rows (each agency named as a supporter counts once per row)."""
        denominator = 2 * self.support_true + self.support_extra + self.support_missed
        return 2 * self.support_true / denominator if denominator else 1.0


def _same_text(a: str | None, b: str | None) -> bool:
    fa, fb = fold(a or "").replace(" ", ""), fold(b or "").replace(" ", "")
    return fa == fb or (bool(fa) and bool(fb) and (fa.startswith(fb) or fb.startswith(fa)))


def score_table_tasks(extraction: Extraction, answers: dict[str, Any]) -> TableScore:
    """Compare the ``tasks`` of an eval file with the extraction's table tasks: matched by the line the row starts
    on (±1) when the answers give it, or by its number and a span holding that line (where numbers sit halfway
    down their rows); else by row number (numbers repeat across a table's parts)."""
    score = TableScore()
    table = [t for t in extraction.tasks if t.origin == "table"]
    rows = {t.number: t for t in table}
    by_line: dict[int, TaskRecord] = {}
    for t in table:
        by_line.setdefault(t.provenance.line_start, t)
    for expected in answers.get("tasks", []):
        score.expected += 1
        if "line" in expected:
            line = expected["line"]
            task = next((by_line[n] for n in (line, line - 1, line + 1) if n in by_line), None) or next(
                (t for t in table if t.number == expected["number"]  # a row that starts above its number's line
                 and t.provenance.line_start <= line <= t.provenance.line_end), None)
        else:
            task = rows.get(expected["number"])
        if task is None:
            score.misses.append({"number": expected["number"], "why": "not found"})
            continue
        score.found += 1
        checks = {
            "lead": _keys(task.lead) == _keys(expected["lead"]),
            "support": _keys(task.support) == _keys(expected["support"]),
            "deadline": _same_text(task.deadline.text if task.deadline else None, expected.get("deadline")),
            "output": _same_text(task.output, expected.get("output")),
            "title": _same_text(task.title[: len(expected["title"])], expected["title"]),
        }
        got_support, want_support = _keys(task.support), _keys(expected["support"])
        score.support_true += len(got_support & want_support)
        score.support_extra += len(got_support - want_support)
        score.support_missed += len(want_support - got_support)
        for name, ok in checks.items():
            if ok:
                setattr(score, name, getattr(score, name) + 1)
            else:
                got = {"lead": sorted(_keys(task.lead)), "support": sorted(_keys(task.support)),
                       "deadline": task.deadline.text if task.deadline else None, "output": task.output,
                       "title": task.title[:80]}[name]
                want = {"lead": sorted(_keys(expected["lead"])), "support": sorted(_keys(expected["support"]))}.get(
                    name, expected.get(name))
                score.misses.append({"number": expected["number"], "why": name, "expected": want, "got": got})
    return score


@dataclass
class TaskScore:
    """Hand-checked tasks of any origin (duties, inline items, table rows) against an extraction, matched by line.

    ``extra`` counts extracted tasks on a line the answers say is not a task (``not_tasks``).
    """

    expected: int = 0
    found: int = 0
    lead: int = 0
    support: int = 0
    role: int = 0
    right: int = 0  # lead, support and role all right
    extra: int = 0
    documents: int = 0
    documents_right: int = 0
    indicators: int = 0
    indicators_found: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)


def _role(task: TaskRecord) -> str:
    return "lead" if task.origin == "table" else (task.role or "responsible")


def score_tasks(extraction: Extraction, answers: dict[str, Any]) -> TaskScore:
    """Compare the ``tasks``, ``documents`` and ``not_tasks`` of a hand-checked answer file (the format of
    ``tests/data/wild``) with an extraction. A task matches the extracted task that starts on its line
    (or one line off)."""
    score = TaskScore()
    by_line: dict[int, list[TaskRecord]] = {}
    for task in extraction.tasks:
        by_line.setdefault(task.provenance.line_start, []).append(task)
    used: set[int] = set()
    for expected in answers.get("tasks", []):
        score.expected += 1
        line = expected["line"]
        candidates = [t for n in (line, line - 1, line + 1) for t in by_line.get(n, []) if id(t) not in used]
        if not candidates:
            score.misses.append({"line": line, "why": "not found", "text": expected.get("text", "")[:60]})
            continue
        task = candidates[0]
        used.add(id(task))
        score.found += 1
        lead_ok = _keys(task.lead) == _keys(expected.get("lead", []))
        support_ok = _keys(task.support) == _keys(expected.get("support", []))
        role_ok = _role(task) == expected.get("role", "lead")
        score.lead += lead_ok
        score.support += support_ok
        score.role += role_ok
        score.right += lead_ok and support_ok and role_ok
        for name, ok, want, got in (("lead", lead_ok, expected.get("lead", []), task.lead),
                                    ("support", support_ok, expected.get("support", []), task.support)):
            if not ok:
                score.misses.append({"line": line, "why": name, "expected": sorted(_keys(want)), "got": sorted(_keys(got))})
        if not role_ok:
            score.misses.append({"line": line, "why": "role", "expected": expected.get("role"), "got": _role(task)})
    target_lines = {n for t in extraction.targets for n in range(t.provenance.line_start, t.provenance.line_end + 1)}
    for expected in answers.get("indicators", []):
        score.indicators += 1
        if expected["line"] in target_lines:
            score.indicators_found += 1
        else:
            score.misses.append({"line": expected["line"], "why": "indicator not found", "text": expected.get("text", "")[:60]})
    not_lines = {n["line"] for n in answers.get("not_tasks", [])}
    score.extra = sum(1 for t in extraction.tasks if t.provenance.line_start in not_lines)
    for expected in answers.get("documents", []):
        score.documents += 1
        doc = next((d for d in extraction.documents if d.kind == expected["kind"]
                    and abs(d.provenance.line_start - expected.get("line", d.provenance.line_start)) < 40
                    or d.kind == expected["kind"] and d.number and d.number == expected.get("number")), None)
        if doc is not None and doc.number == expected.get("number") and (doc.date or "") == (expected.get("date") or "") \
                and fold(doc.issuer or "") == fold(expected.get("issuer") or ""):
            score.documents_right += 1
        else:
            score.misses.append({"document": expected["kind"], "why": "head", "expected": [expected.get("number"), expected.get("issuer"), expected.get("date")],
                                 "got": [doc.number, doc.issuer, doc.date] if doc else None})
    return score


@dataclass
class IndicatorScore:
    """How many answer rows were found, and on how many of them the monitors are right."""

    expected: int = 0
    found: int = 0
    monitors: int = 0
    extra: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)


def _indicator_target(answer: dict[str, Any], targets: list[TargetRecord], used: set[int]) -> TargetRecord | None:
    low, high = answer["line"] - 1, answer.get("number_line", answer["line"]) + 1
    candidates = [t for t in targets if id(t) not in used and t.year == answer["year"]
                  and low <= t.provenance.line_start <= high]
    return min(candidates, key=lambda t: (t.number != answer["number"], abs(t.provenance.line_start - answer["line"])),
               default=None)


def score_indicators(targets: list[TargetRecord], answers: dict[str, Any]) -> IndicatorScore:
    """Match targets to the ``indicators`` of an eval file, and compare their monitors (as agency keys).

    An answer is found when a target starts on its ``line`` or ``number_line`` (or between them), one line
    of slack either side, with the answer's year (the one with the answer's number first, then the
    nearest); each target answers at most one row. ``extra`` counts the other targets within the answers'
    lines."""
    score = IndicatorScore()
    used: set[int] = set()
    rows = answers["indicators"]
    first, last = min(r["line"] for r in rows) - 1, max(r.get("number_line", r["line"]) for r in rows) + 1
    for answer in rows:
        score.expected += 1
        target = _indicator_target(answer, targets, used)
        if target is None:
            score.misses.append({"line": answer["line"], "number": answer["number"], "why": "not found"})
            continue
        used.add(id(target))
        score.found += 1
        got, want = _keys(target.monitor), _keys(answer["monitor"])
        if got == want:
            score.monitors += 1
        else:
            score.misses.append({"line": answer["line"], "number": answer["number"], "why": "monitor",
                                 "got": sorted(got), "expected": sorted(want)})
    score.extra = sum(1 for t in targets if id(t) not in used and first <= t.provenance.line_start <= last)
    return score
