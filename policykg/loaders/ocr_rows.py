"""Rows of tables laid out across the line (OCR'd text): cells side by side on each line.

OCR prints a table row by row: each line holds a piece of every column, sometimes
separated by ``|``, and the row number may sit on the row's first line or halfway down
(vertically centred) or be lost. This module

1. finds row numbers in sequence, tolerating garbled digits ("171" for 17) and reporting
   the numbers it cannot find (W303) rather than inventing rows;
2. gives every other line to a row: to the row above when the table prints numbers on a
   row's first line, else to the nearest number;
3. learns, per table, where each column starts from the ``|`` the OCR kept, and cuts every
   line at those places (at the nearest word break; a ``|`` on the line wins);
4. joins each column's pieces into cells.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..errors import Issue, Warnings
from ..records import AgencyMention
from ..text import collapse_spaces, fold, fold_chars
from .nlp import fuzzy_lookup_loose, parse
from .source import SourceText
from .tables import APPENDIX_RE, NUMBERED_GROUP_RE, Column, GroupHeading, RawRow, TableHeader, TableRow

__all__ = ["read_row_major", "is_noise"]

_ANCHOR = re.compile(r"^\s?(?P<num>\d{1,3}(?:\.\d{1,2})?)\s?(?:[|.,:;]\s?|\s)(?P<rest>\S.*)$")
_ROMAN = re.compile(r"^\s?(?P<num>[IVX]{1,5}|I[1l]{1,3}|[1l]I{1,2}|V[1l]{1,3})\s?\|\s?(?P<rest>.*)$|^\s?(?P<num2>[IVX]{1,5}|Il|Ill)\s+(?P<rest2>[A-ZĐ].*)$")
_NOISE = re.compile(r"^[\W\d_]*(?:\b\w{1,2}\b[\W\d_]*){3,}$")


@dataclass
class _Line:
    index: int  # 0-based source line
    text: str


def _roman_value(token: str) -> str:
    return token.replace("1", "I").replace("l", "I")


def _plausible(token: str, expected: int, restart: bool = False) -> int | None:
    """The row number a (possibly garbled) token stands for, if it fits the sequence."""
    digits = token.split(".")[0]
    if not digits.isdigit():
        return None
    value = int(digits)
    if expected <= value <= expected + 3 or (restart and value == 1):
        return value
    for cut in (len(str(expected)), len(str(expected + 1))):
        if len(digits) > cut and expected <= int(digits[:cut]) <= expected + 3:
            return int(digits[:cut])
    return None


def _carries_agency(line: str, group: GroupHeading) -> bool:
    """True when a group line has cells right of its title and one of them names a known agency."""
    cells = [c for c in line.split("|")[2:] if c.strip()]
    return any(fuzzy_lookup_loose(fold(c.strip())) or _agency_spans(c) for c in cells)


def _sub_row(token: str, rows: list["_Row"]) -> str | None:
    """A sub-row number ("16.1", "17.3" — "171" where OCR lost the dot) under the last row."""
    if not rows:
        return None
    parent = rows[-1].number.split(".")[0]
    last_sub = int(rows[-1].number.split(".")[1]) if "." in rows[-1].number else 0
    if "." in token:
        major, minor = token.split(".", 1)
    elif len(token) == len(parent) + 1 and token.startswith(parent):
        major, minor = parent, token[len(parent):]
    else:
        return None
    if major == parent and minor.isdigit() and 1 <= int(minor) <= last_sub + 2 and int(minor) > last_sub:
        return f"{parent}.{int(minor)}"
    return None


def is_noise(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) < 4 or bool(_NOISE.match(text))


@dataclass
class _Row:
    number: str
    anchor: int  # 0-based line of the number
    section: list[GroupHeading]
    header: TableHeader
    lines: list[_Line]
    top_aligned: bool


def _scan(
    src: SourceText, start: int, end: int, headers: list[TableHeader], mask: list[bool], issues: list[Issue],
) -> list[_Row]:
    header_lines = {k for h in headers for k in range(h.start, h.end)}
    rows: list[_Row] = []
    path: dict[int, GroupHeading] = {}
    header: TableHeader | None = None
    expected = 1
    loose: list[_Line] = []  # lines not yet given to a row
    after_group = True
    top = True
    for i in range(start, end):
        if any(h.start == i for h in headers):
            header = next(h for h in headers if h.start == i)
        if i in header_lines or mask[i] or not src.lines[i].strip():
            continue
        line = src.lines[i]
        folded = fold_chars(line).lower()
        group = None
        if APPENDIX_RE.match(folded.strip()):
            group = GroupHeading(0, collapse_spaces(line), i + 1)
            header = None
        elif m := NUMBERED_GROUP_RE.match(folded):
            group = GroupHeading(1, m.group("num"), i + 1, collapse_spaces(line[m.start("rest"):]))
        elif header is None:
            continue
        elif (m := _ROMAN.match(line)) and not _ANCHOR.match(line):
            num = m.group("num") or m.group("num2")
            rest = m.group("rest") if m.group("num") else m.group("rest2")
            group = GroupHeading(2, _roman_value(num), i + 1, collapse_spaces(rest.split("|")[0]))
        if group is not None and group.level == 2 and is_noise(group.text):
            group = None
        if group is not None:
            _flush(rows, loose)
            for level in [k for k in path if k >= group.level]:
                del path[level]
            path[group.level] = group
            if group.level <= 1:
                expected = 1
            after_group = True
            if group.level == 2 and header is not None and _carries_agency(line, group):
                # a group line that names its own lead is itself a task ("VII | Xây dựng ... | Sở KH&CN | ...")
                rows.append(_Row(group.label, i, [path[k] for k in sorted(path)][:-1] + [group], header,
                                 [_Line(i, line.split("|", 1)[1] if "|" in line else line)], True))
                after_group = False
            continue
        m = _ANCHOR.match(line)
        value = _plausible(m.group("num"), expected, after_group) if m and "." not in m.group("num") else None
        sub = _sub_row(m.group("num"), rows) if m and value is None else None
        if sub is not None:
            _flush(rows, loose)
            rows.append(_Row(sub, i, [path[k] for k in sorted(path)], header, [_Line(i, m.group("rest"))], top))
            continue
        if value is None and m and "." in m.group("num"):
            value = _plausible(m.group("num"), expected, after_group)
        if value is not None:
            for missing in range(1 if value == 1 else expected, value):
                issues.append(Warnings.W303.format(file=src.file, line=i + 1, number=missing))
            if after_group:
                top = not loose  # the group's first number heads its row: the whole group is printed that way
            _flush(rows, loose)
            rows.append(_Row(str(value), i, [path[k] for k in sorted(path)], header, [_Line(i, m.group("rest"))], top))
            expected = value + 1
            after_group = False
            continue
        if not is_noise(line):
            loose.append(_Line(i, line.strip()))
    _flush(rows, loose)
    return rows


def _flush(rows: list[_Row], loose: list[_Line]) -> None:
    """Give loose lines to the row above."""
    if not loose:
        return
    if not rows:
        loose.clear()
        return
    rows[-1].lines.extend(loose)  # :func:`_assign_centred` moves them on where numbers are centred
    loose.clear()


def _assign_centred(rows: list[_Row]) -> None:
    """In tables whose numbers sit halfway down a row, lines above a number belong to that number's row."""
    for prev, row in zip(rows, rows[1:]):
        if row.top_aligned or prev.section != row.section:
            continue
        before = [ln for ln in prev.lines if ln.index > prev.anchor]
        if not before:
            continue
        below_prev = [ln for ln in before if ln.index - prev.anchor <= row.anchor - ln.index]
        above_row = [ln for ln in before if ln not in below_prev]
        prev.lines = [ln for ln in prev.lines if ln not in above_row]
        row.lines = above_row + row.lines


_MIN_TITLE = 40  # a task's title column is never narrower than this many characters
_MIN_GAP = 9  # nor any other column narrower than this


def _boundaries(rows: list[_Row], columns: int) -> list[float]:
    """Where each column after the title starts: the peaks of the table's ``|`` positions.

    Peaks are taken highest first, each at least :data:`_MIN_GAP` characters from the others.
    """
    positions = [m.start() + (4 if line.index == row.anchor else 0)
                 for row in rows for line in row.lines for m in re.finditer(r"\|", line.text)]
    counts = Counter(p for p in positions if p >= _MIN_TITLE)
    wanted = columns - 1
    smoothed = {p: sum(counts.get(p + d, 0) for d in (-2, -1, 0, 1, 2)) for p in counts}
    peaks: list[int] = []
    for p, _ in sorted(smoothed.items(), key=lambda kv: (-kv[1], kv[0])):
        if all(abs(p - q) >= _MIN_GAP for q in peaks):
            peaks.append(p)
        if len(peaks) == wanted:
            break
    while len(peaks) < wanted:
        peaks.append((max(peaks) if peaks else 55) + 14)
    return sorted(float(p) for p in peaks)


@lru_cache(maxsize=8192)
def _agency_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the agency names in an OCR'd line (cached: a line is cut and read several times)."""
    return tuple((e.start_char, e.end_char) for e in parse(text, ocr=True).ents if e.label_ in {"AGENCY", "COLLECTIVE"})


def _cut(text: str, bounds: list[float]) -> list[str]:
    """Cut a line into as many pieces as columns: at ``|`` where the OCR kept it, else at the word
    break nearest each boundary that does not split an agency's name (an agency's first word is preferred)."""
    spans = _agency_spans(text)
    starts = {a for a, _ in spans}
    inside = {k for a, b in spans for k in range(a + 1, b)}
    breaks = [0] + [m.end() for m in re.finditer(r" +", text)]
    pieces: list[str] = []
    position = 0
    for bound in bounds:
        pipe = text.find("|", position)
        if pipe != -1 and abs(pipe - bound) < 18:
            pieces.append(text[position:pipe])
            position = pipe + 1
            continue
        candidates = [b for b in breaks if b > position and b not in inside]
        if not candidates or bound >= len(text):
            pieces.append(text[position:])
            position = len(text)
            continue
        cut = min(candidates, key=lambda b: abs(b - bound) - (6 if b in starts else 0))
        pieces.append(text[position:cut])
        position = cut
    pieces.append(text[position:])
    return [p.strip(" |") for p in pieces]


def _right_part(text: str, title_width: float) -> tuple[int, str]:
    """Where a line's title column ends, and the rest of the line: at a ``|`` near the title's width,
    else where an agency's name starts near it, else at the word break nearest it."""
    pipes = [m.start() for m in re.finditer(r"\|", text) if title_width - 15 <= m.start() <= title_width + 12]
    if pipes:
        return pipes[0] + 1, text[pipes[0] + 1:]
    spans = [a for a, _ in _agency_spans(text) if title_width - 25 <= a <= title_width + 15]
    if spans:
        return spans[0], text[spans[0]:]
    breaks = [m.end() for m in re.finditer(r" +", text)]
    if not breaks or len(text) < title_width - 10:
        return len(text), ""
    cut = min(breaks, key=lambda b: abs(b - title_width))
    return cut, text[cut:]


_NAME_HEADS = {"ubnd", "cac", "so", "s&", "s¢", "se", "van", "vin", "cong", "ban", "bo", "uy", "truong", "hoi"}


def _until_next_name(words: list[str]) -> list[str]:
    """The words that continue a wrapped name, up to where the next agency's name starts."""
    out: list[str] = []
    for k, word in enumerate(words):
        # a name head ends the name, unless it follows the first word ("Sở Văn hóa", "Ủy ban ...")
        if k > 1 and fold(word).strip(",;") in _NAME_HEADS:
            break
        out.append(word)
    return out[:4]


def _resolve(text: str) -> AgencyMention | None:
    hit = fuzzy_lookup_loose(fold(text)) if len(fold(text)) >= 6 else None
    if hit is None:
        return None
    entry, dist = hit
    return AgencyMention(collapse_spaces(text), entry.key, entry.name, entry.collective,
                         round(0.9 * (1 - dist / max(len(entry.folded), 1)), 3))


def _continuations(raw: str, title_width: float, first: bool) -> list[str]:
    """Pieces of a line that may continue a wrapped lead name: the start of its first right-hand cell
    (on the first line, the cell's first name), the last words before that cell (a name pushed left by a
    short title line), or the first words of a line short enough to hold only right-hand cells."""
    cut, right = _right_part(raw, title_width)
    cell = re.split(r"\s*\|\s*|;", right.strip(" |"))[0].strip()
    pieces = []
    if cell:
        spans = _agency_spans(cell)
        if spans and spans[0][0] == 0:
            pieces.append(cell[: spans[0][1]])
        else:
            pieces.append(" ".join(_until_next_name((cell[: spans[0][0]] if spans else cell).split())))
    if not first:
        before = raw[:cut].split()
        tail = []
        for word in reversed(before[-4:]):
            if not word[:1].isupper():
                break
            tail.insert(0, word)
        if tail:
            pieces.append(" ".join(tail))
        if len(raw.strip()) < 30:
            pieces.append(" ".join(_until_next_name(raw.split())[:3]))
    return [p for p in pieces if p and len(p.split()) <= 6]


def _lead(row: "_Row", title_width: float) -> AgencyMention | None:
    """The lead: the first cell right of the title on the number's line, continued on the next lines
    (a name OCR wraps: "Vin phong" / "UBND tinh", "S& Van hoa," / "Thé thao va" / "Du lich")."""
    lines = sorted(row.lines, key=lambda ln: ln.index)
    start = next((k for k, ln in enumerate(lines) if ln.index == row.anchor), 0)
    text = ""
    best: AgencyMention | None = None
    for ln in lines[start:start + 4]:
        raw = ln.text if ln.index != row.anchor else " " * 4 + ln.text
        pieces = _continuations(raw, title_width, first=not text)
        if not pieces:
            break
        options = [(collapse_spaces(f"{text} {piece}"), _resolve(collapse_spaces(f"{text} {piece}"))) for piece in pieces]
        found = [(candidate, hit) for candidate, hit in options if hit]
        if found:
            candidate, hit = max(found, key=lambda pair: pair[1].confidence)
            if best is None or hit.confidence >= best.confidence:
                best, text = hit, candidate
                continue
            break
        if best is not None:
            break
        text = options[0][0]
    return best


def _canonical_orders(headers: list[TableHeader]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """OCR scrambles and loses words of multi-line headers: a header that names some of the columns of
    the document's fullest header takes that header's order (the most common among the fullest)."""
    if not headers:
        return {}
    longest = max(len(h.key) for h in headers)
    best = Counter(h.key for h in headers if len(h.key) == longest).most_common(1)[0][0]
    return {h.key: best if set(h.key) <= set(best) else h.key for h in headers}


def read_row_major(
    src: SourceText, start: int, end: int, headers: list[TableHeader], mask: list[bool],
) -> tuple[list[TableRow], list[Issue]]:
    """Rows of the row-major tables between ``start`` and ``end``, and the row numbers not found."""
    issues: list[Issue] = []
    rows = _scan(src, start, end, [h for h in headers if h.row_major], mask, issues)
    _assign_centred(rows)
    out = []
    by_table: dict[tuple[str, ...], list[_Row]] = {}
    canonical = _canonical_orders(headers)
    for row in rows:
        by_table.setdefault(canonical.get(row.header.key, row.header.key), []).append(row)
    for key, table_rows in by_table.items():
        columns = [c for c in key if c != Column.NUMBER]
        for row in table_rows:
            row.header = TableHeader(row.header.start, row.header.end, list(key), True)
        bounds = _boundaries(table_rows, len(columns))
        for row in table_rows:
            cells: dict[str, list[str]] = {c: [] for c in columns}
            cell_lines: dict[str, list[int]] = {c: [] for c in columns}
            for line in sorted(row.lines, key=lambda ln: ln.index):
                text = line.text
                if line.index == row.anchor:
                    text = " " * 4 + text  # the number's place
                for kind, piece in zip(columns, _cut(text, bounds)):
                    if piece.strip():
                        cells[kind].append(piece.strip())
                        cell_lines[kind].append(line.index + 1)
            raw = RawRow(row.number, row.anchor + 1, [ln.index for ln in row.lines], "", row.section, row.header)
            joined = {k: collapse_spaces(" ".join(v)) for k, v in cells.items()}
            resolved = {}
            if Column.LEAD in joined and (lead := _lead(row, bounds[0])):
                joined[Column.LEAD] = lead.text
                resolved[Column.LEAD] = [AgencyMention(lead.text, lead.key, lead.name, lead.collective,
                                                       lead.confidence, row.anchor + 1)]
            out.append(TableRow(raw, joined, {k: sorted(set(v)) for k, v in cell_lines.items()}, resolved))
    return out, issues
