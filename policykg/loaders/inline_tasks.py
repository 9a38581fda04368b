"""Tasks whose lead, support and deadline are written as labelled fields right after them.

Plans often write a task's owner and deadline in fields under it instead of a table::

    1. Rà soát, kiện toàn đội ngũ cán bộ ...          (a heading)
    - Thường xuyên rà soát, kiện toàn ...             (the task)
    Đơn vị chủ trì thực hiện: Các Sở, ngành, UBND cấp xã.
    Đơn vị phối hợp: Sở Nội vụ, Sở Tư pháp.
    Thời gian thực hiện: Thường xuyên.

or "- Cơ quan thực hiện: Sở X chủ trì, phối hợp với Sở Y" (one field saying both), "b) Cơ quan
thực hiện:" with "- Đơn vị chủ trì: ..." below it, several fields in one paragraph ("Cơ quan chủ
trì: X; Thời gian thực hiện: 2025"), or the fields after the task's own text in its paragraph.

Each run of fields closes the tasks written since the previous run (or since the section's
heading): the items that have nothing deeper under them; the item above them when nothing stands
between. "Nhiệm vụ: ..." holds a task's text; "Nội dung: ..." says what the item above it (an
activity, "a) Hoạt động 1") is, and that item is the task. Under an empty "Cơ quan thực hiện:",
each line names agencies ("+ Sở X chủ trì, phối hợp với ..."); a line that also says what its
agency does ("+ Sở Xây dựng đăng tải thông điệp ...") is a task of its own.

One ``TaskRecord`` per task, origin ``inline``: role ``lead`` when the fields name who leads
(``responsible`` for a line that says what its agency does), the deadline normalized by
:func:`~.deadlines.parse_deadline`, the output from "Sản phẩm" / "Kết quả".

>>> from policykg.loaders.readers.markdown import read_markdown
>>> from policykg.loaders.nlp import get_nlp
>>> from policykg.loaders.context import ExtractContext
>>> text = '''**KẾ HOẠCH**
...
... **II. NHIỆM VỤ**
...
... **1. Rà soát đội ngũ cán bộ**
...
... - Thường xuyên rà soát, kiện toàn đội ngũ.
...
... *Đơn vị chủ trì thực hiện:* Sở Nội vụ.
...
... *Đơn vị phối hợp:* Sở Tư pháp.
...
... *Thời gian thực hiện:* Thường xuyên.
... '''
>>> blocks = [b for b in read_markdown(text, "x.md").blocks if b.kind not in {"table", "furniture"}]
>>> docs = list(get_nlp().pipe(b.text for b in blocks))
>>> [(t.provenance.line_start, t.role, [m.name for m in t.lead], [m.name for m in t.support], t.deadline.recurrence)
...  for t in extract_inline_tasks(blocks, docs, context=ExtractContext("d0", "x.md"))]
[(7, 'lead', ['Sở Nội vụ'], ['Sở Tư pháp'], 'ongoing')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..records import AgencyMention, Deadline, Provenance, TaskRecord
from ..text import collapse_spaces, fold_chars
from .context import ExtractContext
from .deadlines import parse_deadline
from .duties import names_in, read_duty
from .layout import ARTICLE_RE, BULLET_RE, CHAPTER_RE, LETTER_RE, NUMBERED_RE, PAREN_NUM_RE, ROMAN_RE, Paragraph

__all__ = ["FIELD_KINDS", "extract_inline_tasks", "field_of", "fields_in"]

# What each field label says (folded, at the start of a paragraph or after "; " inside one).
FIELD_KINDS = ("lead", "actors", "support", "deadline", "output", "task", "content")
_LABELS = [
    ("lead", r"(?:don vi|co quan)\s+chu tri(?:\s+[^\s:;,.]+){0,4}"),
    ("support", r"(?:don vi|co quan)\s+phoi hop(?:\s+[^\s:;,.]+){0,3}"),
    ("actors", r"(?:don vi|co quan)\s+(?:thuc hien|duoc giao|phu trach)(?:\s+[^\s:;,.]+){0,2}"),
    ("deadline", r"(?:thoi gian|thoi han|tien do)(?:\s+[^\s:;,.]+){0,3}"),
    ("output", r"(?:san pham|ket qua)(?:\s+[^\s:;,.]+){0,3}"),
    ("task", r"nhiem vu(?:\s+cu the)?"),
    ("content", r"noi dung(?:\s+(?:thuc hien|hoat dong|cong viec))?"),
]
_LABEL_RE = re.compile("|".join(rf"(?P<{kind}>{pattern})\s*:" for kind, pattern in _LABELS))
_ATTRIBUTES = {"lead", "actors", "support", "deadline", "output"}
_AGENTS = {"lead", "actors", "support"}


@dataclass
class Field:
    """One labelled field of a paragraph: its kind and where its value lies in the paragraph's text."""

    kind: str
    start: int  # where the label starts
    value_start: int
    value_end: int


def _marker_end(text: str) -> int:
    for regex in (NUMBERED_RE, PAREN_NUM_RE, LETTER_RE):
        if m := regex.match(text):
            return m.start("rest")
    if m := BULLET_RE.match(text):
        return m.end()
    return 0


def fields_in(text: str) -> list[Field]:
    """The labelled fields of a paragraph, in order ("Cơ quan chủ trì: X; Thời gian thực hiện: 2025").

    >>> text = "- Cơ quan chủ trì: Sở Y tế; Thời gian thực hiện: 2025"
    >>> [(f.kind, text[f.value_start:f.value_end]) for f in fields_in(text)]
    [('lead', 'Sở Y tế'), ('deadline', '2025')]
    """
    folded = fold_chars(text).lower()
    out: list[Field] = []
    position = _marker_end(text)
    for m in _LABEL_RE.finditer(folded, position):
        at_start = not folded[position:m.start()].strip(" *_")
        after_separator = re.search(r"(?:[;.]|\s[-–])[\s*_]*$", folded[:m.start()]) is not None
        if not (at_start or (after_separator and (out or len(folded[position:m.start()].split()) >= 4))):
            continue
        if out:
            out[-1].value_end = m.start()
        out.append(Field(m.lastgroup, m.start(), m.end(), len(text)))
    for f in out:
        while f.value_end > f.value_start and text[f.value_end - 1] in " ;.*_":
            f.value_end -= 1
        while f.value_start < f.value_end and text[f.value_start] in " *_":
            f.value_start += 1
    return out


def field_of(text: str) -> str | None:
    """The kind of the field a paragraph opens with ("Đơn vị chủ trì thực hiện: ..." → ``lead``), or None.

    >>> field_of("Đơn vị chủ trì thực hiện: Sở Nội vụ."), field_of("- Thời gian thực hiện: Năm 2025"), field_of("1. Sở Y tế")
    ('lead', 'deadline', None)
    """
    found = fields_in(text)
    if found and not fold_chars(text[_marker_end(text):found[0].start]).strip(" *_"):
        return found[0].kind
    return None


def _rank(text: str) -> float:
    """The level of a paragraph's marker (smaller is higher); 99 for a paragraph with none."""
    if m := NUMBERED_RE.match(text):
        return 2 + m.group("num").count(".")
    if PAREN_NUM_RE.match(text):
        return 5
    if LETTER_RE.match(text):
        return 6
    if BULLET_RE.match(text):
        return 8 if text.lstrip().startswith("+") else 7
    return 99


def _is_section(text: str) -> bool:
    return bool(ROMAN_RE.match(text) or ARTICLE_RE.match(text) or CHAPTER_RE.match(text))


@dataclass
class _Group:
    """A run of fields: the paragraphs it spans and what they say."""

    first: int
    last: int
    lead: list[AgencyMention] = field(default_factory=list)
    support: list[AgencyMention] = field(default_factory=list)
    deadline: Deadline | None = None
    output: str | None = None
    role: str = "lead"
    extra: list[tuple[int, int]] = field(default_factory=list)  # (paragraph, text start) of lines that are tasks of their own


def _read_agents(group: _Group, kind: str, doc: Doc, para: Paragraph, start: int, end: int) -> None:
    """Fill a group's lead and support from one agents field's value."""
    if kind == "support":
        group.support.extend(m for m in names_in(doc, start, end, para.line_at) if m not in group.support)
        return
    reading = read_duty(doc, start, line_of=para.line_at)
    folded = fold_chars(doc.text[start:end]).lower()
    if reading is not None and reading.own_actor and re.search(r"\bch\S{0,2}u tr\S{0,2}\b|\bph\S{0,2}i h\S{0,3}p\b", folded):
        group.lead.extend(m for m in reading.lead if m not in group.lead)
        group.support.extend(m for m in reading.support if m not in group.support and m not in group.lead)
        if reading.role == "support":
            group.role = "support"
        return
    group.lead.extend(m for m in names_in(doc, start, end, para.line_at) if m not in group.lead)


def _group(paras: list[Paragraph], docs: list[Doc], kinds: list[list[Field]], first: int) -> _Group:
    """The run of fields that starts at paragraph ``first``, read."""
    group = _Group(first, first)
    i = first
    open_agents: float | None = None  # rank of an empty "Cơ quan thực hiện:" whose lines follow
    open_field: tuple[str, float] | None = None  # kind and rank of an empty field whose lines follow
    while i < len(paras):
        fields = kinds[i]
        rank = _rank(paras[i].text)
        if fields and fields[0].kind in _ATTRIBUTES and _opens(paras[i].text, fields[0]):
            open_agents = open_field = None
            for f in fields:
                if f.value_end <= f.value_start:
                    open_field = (f.kind, rank)
                if f.kind in _AGENTS and f.value_end <= f.value_start:
                    open_agents = rank
                elif f.kind in _AGENTS:
                    _read_agents(group, f.kind, docs[i], paras[i], f.value_start, f.value_end)
                elif f.kind == "deadline" and f.value_end > f.value_start:
                    group.deadline = parse_deadline(paras[i].text[f.value_start:f.value_end])
                elif f.kind == "output" and f.value_end > f.value_start:
                    group.output = collapse_spaces(paras[i].text[f.value_start:f.value_end])
        elif open_field is not None and open_agents is None and rank > open_field[1] and not fields:
            if open_field[0] == "deadline":  # "- Thời gian thực hiện:" with a line per step: the last due date
                found = parse_deadline(paras[i].text[_marker_end(paras[i].text):])
                if found.due and (group.deadline is None or (group.deadline.due or "") < found.due):
                    group.deadline = found
        elif open_agents is not None and rank > open_agents and not fields:
            start = _marker_end(paras[i].text)
            reading = read_duty(docs[i], start, line_of=paras[i].line_at)
            if reading is None or not reading.own_actor:
                break
            if group.lead and reading.role == "responsible":
                group.extra.append((i, start))
            else:
                _read_agents(group, "actors", docs[i], paras[i], start, len(paras[i].text))
        else:
            break
        group.last = i
        i += 1
    return group


def _opens(text: str, f: Field) -> bool:
    return not fold_chars(text[_marker_end(text):f.start]).strip(" *_")


def _task_range(paras: list[Paragraph], lo: int, first: int) -> int:
    """Where the tasks a run of fields closes start: going back from the run, the items it follows and the
    items above them, up to a sibling of those (an item of an earlier task) or ``lo``."""
    floor: float | None = None
    climbed = False
    k = first - 1
    while k >= lo:
        rank = _rank(paras[k].text)
        if floor is not None and (rank > floor or (rank == floor and climbed)):
            break
        climbed = climbed or (floor is not None and rank < floor)
        floor = rank
        k -= 1
    return k + 1


def _leaves(paras: list[Paragraph], kinds: list[list[Field]], lo: int, hi: int) -> list[tuple[int, int | None]]:
    """The tasks between paragraphs ``lo`` and ``hi`` (exclusive): (paragraph index, where its text starts or None
    for the whole paragraph), for the items that have nothing deeper under them."""
    items = [k for k in range(lo, hi)]
    out: list[tuple[int, int | None]] = []
    for n, k in enumerate(items):
        rank = _rank(paras[k].text)
        nxt = items[n + 1] if n + 1 < len(items) else None
        if nxt is not None and _rank(paras[nxt].text) > rank:
            continue  # something deeper follows: not a leaf
        own = kinds[k][0] if kinds[k] and _opens(paras[k].text, kinds[k][0]) else None
        content = _content_field(paras, kinds, items[:n + 1], rank)
        if content is not None:
            parent = _parent(paras, items[:items.index(content)], _rank(paras[content].text))
            if parent is not None and (parent, None) not in out:
                out.append((parent, None))
            continue
        if own is not None and own.kind == "task":
            if own.value_end > own.value_start:
                out.append((k, own.value_start))
            continue
        if own is not None:
            continue
        out.append((k, None))
    return out


def _content_field(paras: list[Paragraph], kinds: list[list[Field]], before: list[int], rank: float) -> int | None:
    """The "Nội dung:" field a leaf is (or lies under), if any."""
    level = rank
    for k in reversed(before):
        r = _rank(paras[k].text)
        if k != before[-1] and r >= level:
            continue
        level = r
        if kinds[k] and kinds[k][0].kind == "content" and _opens(paras[k].text, kinds[k][0]):
            return k
        if kinds[k] and kinds[k][0].kind == "task" and _opens(paras[k].text, kinds[k][0]):
            return None
    return None


def _parent(paras: list[Paragraph], before: list[int], rank: float) -> int | None:
    for k in reversed(before):
        if _rank(paras[k].text) < rank:
            return k
    return None


def extract_inline_tasks(paras: list[Paragraph], docs: list[Doc], *, context: ExtractContext) -> list[TaskRecord]:
    """Tasks followed by labelled fields ("Đơn vị chủ trì: ...", "Cơ quan thực hiện: ...", "Thời gian thực hiện: ...")."""
    document, file, confidence = context.document, context.file, context.confidence
    kinds = [fields_in(p.text) for p in paras]
    tasks: list[TaskRecord] = []
    lo = 0
    path: list[str] = []
    i = 0
    while i < len(paras):
        text = paras[i].text
        if _is_section(text):
            lo, path = i + 1, [collapse_spaces(text)]
            i += 1
            continue
        fields = kinds[i]
        if not fields or fields[0].kind not in _ATTRIBUTES:
            i += 1
            continue
        if not _opens(text, fields[0]):  # the task's own text, then its fields, in one paragraph
            group = _Group(i, i)
            for f in fields:
                if f.kind in _AGENTS and f.value_end > f.value_start:
                    _read_agents(group, f.kind, docs[i], paras[i], f.value_start, f.value_end)
                elif f.kind == "deadline":
                    group.deadline = parse_deadline(text[f.value_start:f.value_end])
                elif f.kind == "output":
                    group.output = collapse_spaces(text[f.value_start:f.value_end])
            end = fields[0].start
            while end > 0 and text[end - 1] in " .;-–*_":
                end -= 1
            if group.lead or group.support:
                tasks.append(_task(paras, i, _marker_end(text), end, group, path, document, file, confidence))
            lo = i + 1
            i += 1
            continue
        group = _group(paras, docs, kinds, i)
        if not any(f.kind in _AGENTS for k in range(group.first, group.last + 1) for f in kinds[k]) \
                and not (group.lead or group.support):
            i = group.last + 1
            continue
        for k, start in _leaves(paras, kinds, _task_range(paras, lo, group.first), group.first):
            end = len(paras[k].text)
            if start is None:
                start = _marker_end(paras[k].text)
            tasks.append(_task(paras, k, start, end, group, path, document, file, confidence))
        for k, start in group.extra:
            reading = read_duty(docs[k], start, line_of=paras[k].line_at)
            tasks.append(TaskRecord(document, path, _number(paras[k].text), collapse_spaces(paras[k].text[start:]),
                                    "inline", Provenance(file, paras[k].line_start, paras[k].line_end, "inline", confidence),
                                    reading.lead, reading.support, group.deadline, group.output, role=reading.role))
        lo = group.last + 1
        i = group.last + 1
    return tasks


def _number(text: str) -> str:
    for regex in (NUMBERED_RE, PAREN_NUM_RE, LETTER_RE):
        if m := regex.match(text):
            return m.group("num")
    return ""


def _task(paras: list[Paragraph], k: int, start: int, end: int, group: _Group, path: list[str], document: str,
          file: str, confidence: float) -> TaskRecord:
    para = paras[k]
    title = collapse_spaces(para.text[start:end]).strip(" :")
    role = group.role if group.lead or group.role == "support" else "responsible"
    return TaskRecord(
        document, list(path), _number(para.text), title, "inline",
        Provenance(file, para.line_start, paras[group.last].line_end, "inline", confidence),
        list(group.lead), [m for m in group.support if m not in group.lead], group.deadline, group.output, role=role,
    )
