"""Rows of tables laid out across the line (OCR'd text): cells side by side on each line.

OCR prints a table row by row: each line holds a piece of every column, sometimes
separated by ``|``, and the row number may sit on the row's first line or halfway down
(vertically centred) or be lost. This module

1. finds row numbers in sequence, tolerating garbled digits ("171" for 17) and reporting
   the numbers it cannot find (W303) rather than inventing rows;
2. gives every other line to a row: to the row above when the table prints numbers on a
   row's first line, else to the nearest number;
3. learns, per table, where each column starts from the ``|`` the OCR kept (moved, per row, towards
   where the row's own lines show cell boundaries), and cuts every line into the columns by a dynamic
   programme over its words (:func:`cut_line`): position against those places, a ``|`` kept on the line,
   and what each word is (part of an agency's name, a deadline, an output word);
4. reads the row's cells jointly over its lines (:mod:`.ocr_agency_cells`): each line's cuts may move a few
   words, or to where a name opens, so that the agency cells joined over the lines read best as lists of
   names (a name wrapped over lines is one name);
5. reads the lead line by line around the row's number too (wrapped names joined), and confirms every name
   with the one matcher (:func:`match_agency`: the OCR confusions learned from data, a calibrated score).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract, extractOne

from ..errors import Issue, Warnings
from ..ontology import lexicon
from ..records import AgencyMention
from ..text import collapse_spaces, fold, fold_chars, squeeze
from ..resolve.ocr_match import match_ocr_agency
from ..resolve.gazetteer import GazetteerEntry
from .nlp import fuzzy_lookup_loose, gazetteer_entries, parse
from .ocr_agency_cells import MAX_NAME, Alternative, Matcher, Word, parse_names, read_row_cells
from .source import SourceText
from .table_names import TableNames
from .table_tasks import cell_agencies
from .tables import APPENDIX_RE, NUMBERED_GROUP_RE, Column, GroupHeading, RawRow, TableHeader, TableRow

__all__ = ["complete_name", "cut_line", "is_noise", "match_agency", "quick_match", "read_row_major"]

# a row number, then the ruling beside it as OCR reads it: "|", a dot, or "_" ("6_ | Thu thập")
_ANCHOR = re.compile(r"^\s?(?P<num>\d{1,3}(?:\.\d{1,2})?)_?\s?(?:[|.,:;]\s?|\s)(?P<rest>\S.*)$")
_ROMAN = re.compile(r"^\s?(?P<num>[IVX]{1,5}|I[1lL]{1,3}|[1l]I{1,2}|V[1lL]{1,3})\.?_?\s?\|\s?(?P<rest>.*)$"
                    r"|^\s?(?P<num2>[IVX]{1,5}|I[lL]{1,2})\.?\s+(?P<rest2>[A-ZĐ].*)$")
# a row number alone on its line, its cells printed below it as blocks (title, lead, support, ... in order)
_BARE = re.compile(r"^\s?(?P<num>\d{1,3}(?:\.\d{1,2})?)\s?\|?\s?(?P<rest>)$")
_NOISE = re.compile(r"^[\W\d_]*(?:\b\w{1,2}\b[\W\d_]*){3,}$")


@dataclass
class _Line:
    index: int  # 0-based source line
    text: str


def _roman_value(token: str) -> str:
    return token.replace("1", "I").replace("l", "I").replace("L", "I")


def _plausible(token: str, expected: int, restart: bool = False, ruled: bool = False) -> int | None:
    """The row number a (possibly garbled) token stands for, if it fits the sequence. Before the number
    column's ``|`` (``ruled``), the last digits of the expected number are that number: OCR lost the first
    ("7|" for 47)."""
    digits = token.split(".")[0]
    if not digits.isdigit():
        return None
    value = int(digits)
    if expected <= value <= expected + 3 or (restart and value == 1):
        return value
    if ruled and len(digits) < len(str(expected)) and str(expected).endswith(digits):
        return expected
    for cut in (len(str(expected)), len(str(expected + 1))):
        if len(digits) > cut and expected <= int(digits[:cut]) <= expected + 3:
            return int(digits[:cut])
    return None


def _carries_agency(line: str, group: GroupHeading) -> bool:
    """True when a group line has cells right of its title and one of them names a known agency."""
    cells = [c for c in line.split("|")[2:] if c.strip()]
    return any(fuzzy_lookup_loose(fold(c.strip())) or _agency_spans(c) or _cut_short([(0, c)]) for c in cells)


def _sub_row(token: str, last: str | None) -> str | None:
    """A sub-row number ("16.1", "17.3" — "171" where OCR lost the dot) under the row numbered ``last``."""
    if last is None:
        return None
    parent = last.split(".")[0]
    last_sub = int(last.split(".")[1]) if "." in last else 0
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


_HEADER_WORDS = {"tt", "stt", "ten", "nhiem", "vu", "co", "quan", "chu", "tri", "theo", "doi", "phoi", "hop",
                 "ket", "qua", "thoi", "gian", "hoan", "thanh", "san", "pham", "ghi"}


def _is_header_fragment(text: str) -> bool:
    """A piece of a repeated page header the header finder missed ("Co quan Co quan : Thoi gian")."""
    words = re.findall(r"[a-z]+", fold(text))
    known = sum(w in _HEADER_WORDS for w in words)
    return len(words) >= 2 and known >= 2 and known >= 0.7 * len(words)


@lru_cache(maxsize=1)
def _openers() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(fold(o).split()) for o in lexicon()["task_openers"])


_NUMBER_DEBRIS = re.compile(r"^[^\w\s]?[\dTgIlO]{1,3}\.?\s?\|\s?")
_LETTER_DEBRIS = re.compile(r"^[^\w\s]?[^\W\d_]\s+(?=[A-ZĐ])")  # a row number read as one letter ("m Triển khai")


def _opens_title(text: str) -> bool:
    """True when a line starts a task's title: a verb of the genre ("Xây dựng", "Triển khai"), capitalised,
    on a line long enough to hold the title column (an OCR-garbled row number before it is ignored)."""
    text = _LETTER_DEBRIS.sub("", _NUMBER_DEBRIS.sub("", text.strip()))
    if len(text) < 35 or not text[:1].isupper():
        return False
    words = re.sub(r"[^a-z0-9 ]", "", fold(text)).split()
    return any(ratio(" ".join(opener), " ".join(words[: len(opener)])) >= 80 for opener in _openers())


def _capitalised(text: str) -> bool:
    """True when a line may start a title that opens with no verb of the genre: a capital letter (what
    follows a title's first line is lower case) on a line long enough to hold the title column."""
    text = _NUMBER_DEBRIS.sub("", text.strip())
    if len(text) < 35 or not (text[:1].isupper() and text[:1].isalpha()):
        return False
    # a line that opens with an agency's name ("Chính phủ ban hành ...") goes on a title: titles open with
    # what is to be done, or with the collective that does it ("Các cơ quan, đơn vị ...")
    return not any(e.start_char == 0 and e.label_ == "AGENCY" for e in parse(text, ocr=True).ents)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman_int(token: str) -> int:
    values = [_ROMAN_VALUES[c] for c in token]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


@dataclass
class _Anchor:
    """Where a row's number (or a group line that is itself a row) was found."""

    number: str
    index: int  # 0-based line
    header: TableHeader
    top: bool = False  # heads its row whatever the table's layout
    inferred: bool = False  # number not legible: placed by the layout and the sequence


@dataclass
class _Section:
    """The lines under one group heading and the row numbers found among them."""

    path: list[GroupHeading]
    lines: list[_Line]
    anchors: list[_Anchor]


@dataclass
class _Row:
    number: str
    anchor: int  # 0-based line of the number
    section: list[GroupHeading]
    header: TableHeader
    lines: list[_Line]
    top_aligned: bool = True
    inferred: bool = False


def _to_roman(value: int) -> str:
    out = ""
    for number, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out, value = out + letters, value - number
    return out


def _group_of(line: str, header: TableHeader | None, roman: int | None, opens_rows: bool = False) -> GroupHeading | None:
    """The group heading a line opens, if any (Roman groups only in sequence after ``roman``).

    A Roman group out of sequence is taken when ``opens_rows`` (a row numbered 1 follows it): OCR garbles
    the numeral ("II" printed for III, "V_" for V), the rows restarting at 1 show the group; it is given
    the numeral of the sequence."""
    folded = fold_chars(line).lower()
    if APPENDIX_RE.match(folded.strip()):
        return GroupHeading(0, collapse_spaces(line), 0)
    if m := NUMBERED_GROUP_RE.match(folded):
        return GroupHeading(1, m.group("num"), 0, collapse_spaces(line[m.start("rest"):]))
    if header is None or _ANCHOR.match(line) or not (m := _ROMAN.match(line)):
        return None
    label = _roman_value(m.group("num") or m.group("num2"))
    rest = m.group("rest") if m.group("num") else m.group("rest2")
    value = _roman_int(label)
    if is_noise(rest):
        return None
    if not (roman is None and value <= 3 or roman is not None and roman < value <= roman + 3):
        if not opens_rows:
            return None
        label = _to_roman(1 if roman is None else roman + 1)
    return GroupHeading(2, label, 0, collapse_spaces(rest.split("|")[0]))


def _opens_rows(src: SourceText, begin: int, end: int, header_lines: set[int], mask: list[bool]) -> bool:
    """True when the first row number among the next few content lines is 1 (a group's rows restart)."""
    seen = 0
    for k in range(begin, end):
        if k in header_lines or mask[k] or not src.lines[k].strip():
            continue
        if m := _ANCHOR.match(src.lines[k]):
            return m.group("num") == "1"
        seen += 1
        if seen >= 3:
            break
    return False


def _scan(
    src: SourceText, start: int, end: int, headers: list[TableHeader], mask: list[bool], issues: list[Issue],
) -> list[_Section]:
    """The table's sections, each with its content lines and the row numbers found in sequence."""
    header_lines = {k for h in headers for k in range(h.start, h.end)}
    sections: list[_Section] = []
    path: dict[int, GroupHeading] = {}
    header: TableHeader | None = None
    expected, last, roman = 1, None, None
    group_line: int | None = None  # a group heading just read, whose title may wrap to the next line
    for i in range(start, end):
        if any(h.start == i for h in headers):
            header = next(h for h in headers if h.start == i)
        line = src.lines[i]
        if not line.strip() and group_line == i - 1:
            group_line = i  # a blank line between a heading and the rest of its title
        # a number alone on its line looks like a page number, but one that opens a row's blocks is a row's
        masked = mask[i] and not (_BARE.match(line) and _opens_blocks(src, i, end))
        if i in header_lines or masked or not line.strip() or _is_header_fragment(line):
            continue
        group = _group_of(line, header, roman, _opens_rows(src, i + 1, end, header_lines, mask))
        if group is not None:
            group.line = i + 1
            if group.level == 0:
                header = None
            for level in [k for k in path if k >= group.level]:
                del path[level]
            path[group.level] = group
            if group.level <= 1:
                expected, last, roman = 1, None, None
            else:
                roman = _roman_int(group.label)
            sections.append(_Section([path[k] for k in sorted(path)], [], []))
            group_line = i
            if group.level == 2 and header is not None and _carries_agency(line, group):
                # a group line that names its own lead is itself a task ("VII | Xây dựng ... | Sở KH&CN | ...")
                sections[-1].lines.append(_Line(i, line.split("|", 1)[1] if "|" in line else line))
                sections[-1].anchors.append(_Anchor(group.label, i, header, top=True))
                group_line = None
            continue
        if header is None or not sections:
            continue
        if group_line == i - 1 and re.match(r"^[\W\d]*[a-zđ]", line) and not _ANCHOR.match(line):
            path[max(path)].text = collapse_spaces(f"{path[max(path)].text} {line.strip(' |')}")
            continue  # the group heading's title wrapped onto this line
        group_line = None
        if roman is not None and re.match(r"^\s?[Il]\s?\|", line) and not sections[-1].anchors:
            line = "1" + line.lstrip()[1:]  # row 1 read as a Roman "I": groups go in sequence, so it is a number
        m = _ANCHOR.match(line) or (_BARE.match(line) if _opens_blocks(src, i, end) else None)
        number = None
        if m and "." not in m.group("num"):
            ruled = line[m.end("num"):].lstrip(" _").startswith("|")
            value = _plausible(m.group("num"), expected, restart=not sections[-1].anchors, ruled=ruled)
            number = str(value) if value is not None else None
        if m and number is None:
            number = _sub_row(m.group("num"), last)
        if m and number is None and "." in m.group("num"):
            value = _plausible(m.group("num"), expected)
            number = str(value) if value is not None else None
        if number is not None:
            sections[-1].anchors.append(_Anchor(number, i, header, top=not m.group("rest")))
            sections[-1].lines.append(_Line(i, m.group("rest")))
            last = number
            if "." not in number:
                expected = int(number) + 1
            continue
        if not is_noise(line):
            sections[-1].lines.append(_Line(i, line.strip()))
    return [s for s in sections if s.anchors]


def _opens_blocks(src: SourceText, i: int, end: int) -> bool:
    """True when the next line with text after ``i`` opens a task's title: a number alone on its line then
    heads a row whose cells OCR printed one after another, each its own block."""
    following = next((src.lines[k] for k in range(i + 1, min(i + 4, end)) if src.lines[k].strip()), "")
    return _opens_title(following)


def _skipped(before: str, after: str) -> list[int]:
    """Row numbers missing between two consecutive numbers of a table ("3" → "6": 4 and 5)."""
    low, high = int(before.split(".")[0]), int(after.split(".")[0])
    if "." in after or not before.isdigit() or high <= low + 1:
        return []
    return list(range(low + 1, high))


# what OCR prints in an empty title cell: marks, digits, a capital alone ("7 ‘ ‘ Sở ...", "A P Sau khi ...")
_CELL_DEBRIS = re.compile(r"^(?:[^\w\s]+|\d+|[A-Z]|\w\b(?<![a-z]))\s")


def _cells_only(text: str) -> bool:
    """True when a line holds only right-hand cells, its title column empty: it opens with debris (marks,
    digits, letters alone) where a title's text would stand, or it is short and opens with the name of one
    of a province's own bodies."""
    text = text.strip()
    if _CELL_DEBRIS.match(text):
        rest = text
        while (m := _CELL_DEBRIS.match(rest)) or re.match(r"^[a-z]\s", rest):
            rest = rest[(m.end() if m else 2):].lstrip()
        return rest[:1].isupper() or rest[:1] == "("
    if not text or len(text) >= 35 or not _is_name_head(fold(text.split()[0]).strip(",;"), local=True):
        return False
    # "Bộ Chính trị ..." ends a title: a national body opens no cell of a province's plan
    return not any(e.start_char == 0 and e.ent_id_ in _national() for e in parse(text, ocr=True).ents)


def _cells_above(section: _Section, start: int, floor: int, most: int = 3) -> int:
    """Where a row whose title opens on line ``start`` starts: on the lines right above (from ``floor`` on, none
    blank) that hold only its right-hand cells (:func:`_cells_only`), its cells taller than its title."""
    texts = {ln.index: ln.text for ln in section.lines}
    for _ in range(most):
        if start - 1 < floor or start - 1 not in texts or not _cells_only(texts[start - 1]):
            break
        start -= 1
    return start


def _block_end(section: _Section, index: int) -> int:
    """The line after the block of consecutive lines that follows line ``index``."""
    following = [ln.index for ln in section.lines if ln.index > index]
    end = following[0] + 1 if following else index + 1
    for i in following[1:]:
        if i != end:
            break
        end = i + 1
    return end


def _row_starts(section: _Section, top_aligned: bool) -> list[tuple[_Anchor, int]]:
    """Each row's anchor and the line its row starts at, adding rows whose number is lost where a title
    opens in the gap. Numbers head their row when ``top_aligned``; else they sit halfway down it."""
    openers = sorted(ln.index for ln in section.lines if _opens_title(ln.text))
    first = section.lines[0].index
    starts: list[tuple[_Anchor, int]] = []
    for k, anchor in enumerate(section.anchors):
        if k == 0:
            starts.append((anchor, anchor.index if anchor.top or top_aligned else first))
            continue
        before, start_before = starts[-1]
        skipped = _skipped(before.number, anchor.number)
        if anchor.top or top_aligned:
            gap = [i for i in openers if before.index < i < anchor.index]
            boundaries = gap + [anchor.index] if len(gap) == len(skipped) else [anchor.index]
        else:
            # titles open with a verb of the genre; else (a sub-row's noun phrase: "Cơ chế ...") with a capital
            gap = ([i for i in openers if before.index < i <= anchor.index]
                   or sorted(ln.index for ln in section.lines
                             if before.index < ln.index <= anchor.index and _capitalised(ln.text)))
            centre = 2 * before.index - start_before + 1  # where the row above ends if its number is centred
            if before.top:  # the block right under a number alone on its line (its title) is that row's own
                centre = max(centre, _block_end(section, before.index))
                gap = [i for i in gap if i >= centre]
            if gap:
                end = min(gap, key=lambda i: abs(i - centre))
                boundaries = [end] + [i for i in gap if i > end][: len(skipped)]
                boundaries = [_cells_above(section, b, before.index + 1) for b in boundaries]
            else:
                boundaries = [min(max(centre, before.index + 1), anchor.index)]
        for number, index in zip(skipped, boundaries[:-1]):
            starts.append((_Anchor(str(number), index, anchor.header, inferred=True), index))
        starts.append((anchor, boundaries[-1]))
    return starts


def _rows(sections: list[_Section], src: SourceText, issues: list[Issue]) -> list[_Row]:
    """Rows of every section, numbers lost to the OCR reported (W303) or placed by layout (W304)."""
    by_part: dict[int, list[_Section]] = {}
    for section in sections:
        by_part.setdefault(tuple(id(g) for g in section.path if g.level <= 1), []).append(section)
    rows: list[_Row] = []
    for part in by_part.values():
        numbered = [(s, a) for s in part for a in s.anchors if not a.top]
        heading = sum(_opens_title(next(ln.text for ln in s.lines if ln.index == a.index)) for s, a in numbered)
        leading = sum(s.lines[0].index == s.anchors[0].index for s in part)
        top_aligned = heading * 2 >= len(numbered) or leading * 2 > len(part)
        expected = 1
        for section in part:
            starts = _row_starts(section, top_aligned)
            for k, (anchor, begin) in enumerate(starts):
                stop = starts[k + 1][1] if k + 1 < len(starts) else float("inf")
                lines = [ln for ln in section.lines if begin <= ln.index < stop]
                if anchor.inferred and lines:  # the illegible number ("T |") is not part of the title
                    lines[0] = _Line(lines[0].index, _LETTER_DEBRIS.sub("", _NUMBER_DEBRIS.sub("", lines[0].text)))
                rows.append(_Row(anchor.number, anchor.index, section.path, anchor.header, lines,
                                 top_aligned or anchor.top, anchor.inferred))
                if anchor.inferred:
                    issues.append(Warnings.W304.format(file=src.file, line=anchor.index + 1, number=anchor.number,
                                                       lines=f"{lines[0].index + 1}-{lines[-1].index + 1}"))
                if not anchor.number.isdigit():  # a group that is itself a row, a sub-row
                    continue
                value = int(anchor.number)
                for missing in range(1 if value == 1 else expected, value):
                    issues.append(Warnings.W303.format(file=src.file, line=anchor.index + 1, number=missing))
                expected = value + 1
    return rows


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
def _line_names(text: str) -> tuple[tuple[int, int, str], ...]:
    """The agency names the recogniser finds in an OCR'd line: start, end and key of each (cached: a line is
    cut and read several times)."""
    return tuple((e.start_char, e.end_char, e.ent_id_) for e in parse(text, ocr=True).ents
                 if e.label_ in {"AGENCY", "COLLECTIVE"})


@lru_cache(maxsize=8192)
def _agency_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the agency names in an OCR'd line."""
    return tuple((start, end) for start, end, _ in _line_names(text))


# What a word of a cell looks like, by column kind (genre-general: deadlines and outputs of Vietnamese
# task tables, matched on folded text so that OCR that lost the diacritics still matches).
_DEADLINE_WORD = re.compile(
    r"^(?:(?:19|20)\d\d(?:\s?-\s?(?:19|20)?\d\d)?[.,;]?|\d{1,2}/(?:19|20)?\d\d|(?:[ivx]{1,3}|[1-4l]{1,2})/(?:19|20)\d\d"
    r"|nam|giai|doan|thuong|xuyen|quy|hang|dinh|ky|truoc|thang)$"
)
_OUTPUT_WORD = re.compile(r"^(?:bao|cao|ke|hoach|quyet|dinh|chuong|trinh|van|ban|de|an|nghi|nhiem|vu|he|thong|mo|hinh)$")
_AGENCY_KINDS = {Column.LEAD, Column.SUPPORT, Column.RESPONSIBLE, Column.ISSUER, Column.MONITOR}


@lru_cache(maxsize=1)
def _name_vocabulary() -> dict[int, tuple[str, ...]]:
    """The words of the gazetteer's agency names (of two letters or more), by length."""
    words = {w for e in gazetteer_entries() for w in re.findall(r"[a-z]{2,}", e.folded)}
    by_length: dict[int, list[str]] = {}
    for w in words:
        by_length.setdefault(len(w), []).append(w)
    return {n: tuple(ws) for n, ws in by_length.items()}


@lru_cache(maxsize=16384)
def _name_word(word: str) -> bool:
    """True when a word (folded, OCR-garbled) is close to a word of an agency's name ("ngh¢" for "nghe")."""
    word = re.sub(r"[^a-z]", "", word)
    if len(word) < 2:
        return False
    vocabulary = _name_vocabulary()
    return word in vocabulary.get(len(word), ())


@dataclass
class _Token:
    start: int
    end: int
    text: str
    agency: bool  # inside an agency's name the NER found on the line
    deadline: bool
    output: bool
    pipe_before: bool  # the OCR kept a "|" between this word and the one before
    name_word: bool = False  # looks like a word of an agency's name, though no name was found around it
    name_break: bool = False  # a name starts right after another with nothing between ("UBND tinh UBND cap xa")


def _tokens(text: str) -> list[_Token]:
    spans = _agency_spans(text)
    out: list[_Token] = []
    pipe = False
    for m in re.finditer(r"\|+|[^\s|]+", text):
        if m.group().startswith("|"):
            pipe = True
            continue
        word = re.sub(r"[^a-z0-9/\-]", "", fold(m.group()))
        inside = any(a <= m.start() < b for a, b in spans)
        opens = any(a == m.start() for a, _ in spans)
        glued = bool(out) and out[-1].agency and not re.search(r"[;,.]$", out[-1].text)
        out.append(_Token(m.start(), m.end(), m.group(), inside, bool(_DEADLINE_WORD.match(word)),
                          bool(_OUTPUT_WORD.match(word)), pipe, _name_word(word), opens and glued))
        pipe = False
    return out


def _fit(kind: str, token: _Token) -> float:
    """How well a word belongs to a column of ``kind`` by what it says (positive: belongs)."""
    if kind in _AGENCY_KINDS:
        return 1.0 if token.agency else 0.2 if token.name_word else -0.4 - (0.4 if token.deadline else 0.0)
    if kind == Column.DEADLINE:
        return (1.2 if token.deadline else -0.4) - (1.0 if token.agency else 0.0)
    if kind == Column.OUTPUT:
        return (0.3 if token.output else 0.0) - (0.8 if token.agency else 0.0)
    if kind == Column.TITLE:
        return 0.0 if token.agency or token.name_word else 0.1
    return 0.0


_POSITION_SCALE = 6.0  # characters of distance from its column that cost as much as one word's content
_POSITION_CAP = 1.0
_MOVE_CAP = 2.5  # the same in the joint reading, where a name's word is worth up to 1.2: words a title prints deep
# inside it ("... cách mạng khoa học, công nghệ") are the title's, not read as the lead cell's name
_PIPE = 5.0  # a "|" the OCR kept between two words of one column
_NAME_BREAK = 3.0  # two agencies' names side by side with no separator: most often two cells


def _position_cost(token: _Token, lo: float, hi: float, shift: float, cap: float = _POSITION_CAP) -> float:
    centre = (token.start + token.end) / 2 + shift
    dist = lo - centre if centre < lo else centre - hi if centre > hi else 0.0
    return min(dist / _POSITION_SCALE, cap)


def _assign(text: str, bounds: list[float], kinds: list[str], shift: float = 0.0) -> tuple[list[_Token], list[int], float]:
    """The words of a line, the column :func:`cut_line` gives each, and the score of that cut."""
    tokens = _tokens(text)
    k = len(kinds)
    edges = [0.0, *bounds, float("inf")]
    if not tokens:
        return [], [], 0.0
    neg = float("-inf")
    # a line that kept some "|" most often kept them all: a cut elsewhere costs more there
    unmarked = 1.0 if any(t.pipe_before for t in tokens) else 0.3
    best = [[neg] * k for _ in tokens]
    back = [[0] * k for _ in tokens]
    for j in range(k):
        best[0][j] = _fit(kinds[j], tokens[0]) - _position_cost(tokens[0], edges[j], edges[j + 1], shift)
    for i in range(1, len(tokens)):
        token = tokens[i]
        for j in range(k):
            own = _fit(kinds[j], token) - _position_cost(token, edges[j], edges[j + 1], shift)
            stay = best[i - 1][j] - (_PIPE if token.pipe_before else 0.0) - (_NAME_BREAK if token.name_break else 0.0)
            move, frm = max(((best[i - 1][q] - (0.0 if token.pipe_before or token.name_break else unmarked), q)
                             for q in range(j)),
                            default=(neg, j))
            if stay >= move:
                best[i][j], back[i][j] = stay + own, j
            else:
                best[i][j], back[i][j] = move + own, frm
    j = max(range(k), key=lambda c: best[-1][c])
    score = best[-1][j]
    columns = [0] * len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        columns[i] = j
        j = back[i][j]
    return tokens, columns, score


def cut_line(text: str, bounds: list[float], kinds: list[str], shift: float = 0.0) -> tuple[list[str], float]:
    """Cut an OCR'd line into the table's columns by a dynamic programme over its words.

    Each word goes to a column, in the columns' order; a word's cost is its distance from where the
    header's ``|`` put its column (``bounds``: where each column after the first starts; ``shift`` moves
    the line right, for a line whose first columns are empty and whose leading spaces the OCR dropped)
    less how well its content fits the column's kind (:func:`_fit`); a ``|`` the OCR kept between two
    words of the same column costs :data:`_PIPE`. Returns one piece per column and the score.
    """
    tokens, columns, score = _assign(text, bounds, kinds, shift)
    pieces: list[list[str]] = [[] for _ in kinds]
    for token, column in zip(tokens, columns):
        pieces[column].append(token.text)
    return [" ".join(p) for p in pieces], score


def column_starts(text: str, bounds: list[float], kinds: list[str]) -> list[float | None]:
    """Where each column after the first starts on a line cut by :func:`cut_line`, where the column
    before it is not empty (a boundary seen between two cells), else None."""
    tokens = _tokens(text)
    pieces, _ = cut_line(text, bounds, kinds)
    out: list[float | None] = []
    position = 0
    starts: list[int | None] = []
    for piece in pieces:
        n = len(piece.split())
        starts.append(tokens[position].start if n and position < len(tokens) else None)
        position += n
    for j in range(1, len(pieces)):
        out.append(float(starts[j]) if starts[j] is not None and pieces[j - 1] else None)
    return out


def _row_bounds(lines: list[str], bounds: list[float], kinds: list[str]) -> list[float]:
    """The table's column bounds adjusted to one row: OCR squeezes and stretches a row's spaces alike on its
    lines, so where the row's lines show a boundary between two cells (median), it is moved halfway there."""
    seen: list[list[float]] = [[] for _ in bounds]
    for text in lines:
        for j, start in enumerate(column_starts(text, bounds, kinds)):
            if start is not None:
                seen[j].append(start)
    out = [(b + statistics.median(s)) / 2 if s else b for b, s in zip(bounds, seen)]
    for j in range(1, len(out)):
        out[j] = max(out[j], out[j - 1] + 1)
    return out


def _line_shift(text: str, bounds: list[float], kinds: list[str], title_done: bool) -> float:
    """Where the row's title has ended (``title_done``: its last piece was short), a line may hold only the
    right-hand columns, its leading spaces lost: it is read shifted to start where the second column does
    when that reads better (:func:`cut_line`'s score). The shift to cut the line with."""
    if not (title_done and bounds and len(text) < bounds[0]):
        return 0.0
    plain = _assign(text, bounds, kinds)[2]
    return bounds[0] if _assign(text, bounds, kinds, shift=bounds[0])[2] > plain else 0.0


def _cut(text: str, bounds: list[float], kinds: list[str] | None = None, title_done: bool = False) -> list[str]:
    """Cut a line into as many pieces as columns (:func:`cut_line`), shifted where :func:`_line_shift` says."""
    kinds = kinds or [Column.TITLE] + [Column.NOTE] * len(bounds)
    pieces, _ = cut_line(text, bounds, kinds, _line_shift(text, bounds, kinds, title_done))
    return [p.strip(" |") for p in pieces]


def _right_parts(text: str, title_width: float) -> list[tuple[int, str]]:
    """Where a line's title column may end, and the rest of the line, likeliest first: at a ``|`` near the
    title's width; else where an agency's name starts near it, and at the word break nearest it or its neighbours
    (OCR squeezes and stretches the spaces, so the title's width varies by a word from line to line)."""
    pipes = [m.start() for m in re.finditer(r"\|", text) if title_width - 15 <= m.start() <= title_width + 12]
    if pipes:
        return [(pipes[0] + 1, text[pipes[0] + 1:])]
    spans = [a for a, _ in _agency_spans(text) if title_width - 10 <= a <= title_width + 15]
    out = [(spans[0], text[spans[0]:])] if spans else []
    breaks = [m.end() for m in re.finditer(r" +", text)]
    if not breaks or len(text) < title_width - 10:
        return out or [(len(text), "")]
    nearest = min(range(len(breaks)), key=lambda k: abs(breaks[k] - title_width))
    return out + [(breaks[k], text[breaks[k]:]) for k in (nearest, nearest - 1, nearest + 1) if 0 <= k < len(breaks)]


@lru_cache(maxsize=1)
def _local_heads() -> frozenset[str]:
    """The first words of the names of a province's own bodies ("so", "ubnd", "cac", "ban", ...; not "chinh")."""
    return frozenset(e.folded.split()[0] for e in gazetteer_entries() if e.folded and e.level != "national")


@lru_cache(maxsize=1)
def _name_heads() -> frozenset[str]:
    """The first words of the gazetteer's names ("so", "ubnd", "van", "cac", ...)."""
    return frozenset(e.folded.split()[0] for e in gazetteer_entries() if e.folded)


@lru_cache(maxsize=16384)
def _is_name_head(word: str, local: bool = False) -> bool:
    """True when a folded word is a first word of a name (of a province's own bodies, when ``local``), or the
    same with one character misread ("s&" for "so", "vin" for "van").

    >>> _is_name_head("s&"), _is_name_head("vin"), _is_name_head("va"), _is_name_head("khoa")
    (True, True, False, False)
    >>> _is_name_head("chinh"), _is_name_head("chinh", local=True)  # "Chính phủ": the government's
    (True, False)
    """
    def misread(a: str, b: str) -> bool:  # an OCR symbol for a letter, or a letter for another in a longer word
        return a != b and (not b.isalpha() or len(word) > 2)

    return any(len(head) == len(word) and sum(misread(a, b) for a, b in zip(head, word)) <= 1
               and all(a == b or misread(a, b) for a, b in zip(head, word))
               for head in (_local_heads() if local else _name_heads()))


def _until_next_name(words: list[str]) -> list[str]:
    """The words that continue a wrapped name, up to where the next agency's name starts."""
    out: list[str] = []
    for k, word in enumerate(words):
        # a name head ends the name, unless it follows the first word ("Sở Văn hóa", "Ủy ban ...")
        if k > 1 and _is_name_head(fold(word).strip(",;")):
            break
        out.append(word)
    return out[:4]


@lru_cache(maxsize=65536)
def _quick_lookup(folded: str) -> tuple[GazetteerEntry, int] | None:
    forms = [folded] + [folded[: m.end()] for m in re.finditer(r"\btinh\b", folded) if m.end() < len(folded)]
    hits = [hit for form in forms if len(form) >= 6 and (hit := fuzzy_lookup_loose(form))]
    return min(hits, key=lambda hit: hit[1]) if hits else None


def quick_match(text: str) -> AgencyMention | None:
    """The gazetteer's fast loose lookup, to search a row's many readings (the task rows confirm the leads they
    keep by :func:`match_agency`; the indicator reader uses it as is). "... truyền hình tỉnh Phú Thọ": the
    province after "tỉnh" is not part of the name."""
    found = _quick_lookup(fold(text))
    if found is None:
        return None
    entry, dist = found
    return AgencyMention(collapse_spaces(text), entry.key, entry.name, entry.collective,
                         round(0.9 * (1 - dist / max(len(entry.folded), 1)), 3))


def _continuations(raw: str, title_width: float, first: bool) -> list[str]:
    """Pieces of a line that may start or continue a wrapped lead name: the start of its first right-hand
    cell (on the first line, the cell's first name; after it, its first words too), the last words before
    that cell (a name pushed left by a short title line), or the first words of a line short enough to
    hold only right-hand cells."""
    pieces = []
    for cut, right in _right_parts(raw, title_width):
        cell = re.split(r"\s*\|\s*|;", right.strip(" |"))[0].strip()
        if cell:
            spans = _agency_spans(cell)
            if spans and spans[0][0] == 0:
                pieces.append(cell[: spans[0][1]])
            else:
                words = _until_next_name((cell[: spans[0][0]] if spans else cell).split())
                pieces += [" ".join(words[:n]) for n in range(len(words), 0 if first else 1, -1)]
        if not first:
            before = raw[:cut].split()
            pieces += [" ".join(before[-n:]) for n in range(1, min(4, len(before)) + 1)]
    if len(raw.strip()) < 30:
        words = raw.split()
        while first and words and len(words[0].strip(".,<>\\|")) <= 1:
            words = words[1:]  # OCR debris before a short line's first cell
        pieces.append(" ".join(_until_next_name(words)[:3]))
    return list(dict.fromkeys(p for p in pieces if p and len(p.split()) <= 6))


def _lead_from(lines: list[_Line], anchor: int, title_width: float) -> AgencyMention | None:
    """The lead read from the first of ``lines`` on: the first cell right of the title, continued on the
    next lines (a name OCR wraps: "Vin phong" / "UBND tinh", "S& Van hoa," / "Thé thao va" / "Du lich").
    Readings grow line by line while they resolve at least as well (:func:`_rank`) as the best so far."""
    texts = [""]
    best: AgencyMention | None = None
    for ln in lines[:4]:
        raw = ln.text if ln.index != anchor else " " * 4 + ln.text
        pieces = _continuations(raw, title_width, first=texts == [""])
        if not pieces:
            break
        options = list(dict.fromkeys(collapse_spaces(f"{text} {piece}") for text in texts for piece in pieces))
        found = [(candidate, hit) for candidate in options if (hit := quick_match(candidate))]
        if found:
            candidate, hit = max(found, key=lambda pair: _rank(pair[1]))
            if best is not None and _rank(hit) < _rank(best):
                break
            best = hit
            texts = [candidate] + [o for o in options if o != candidate][:7]
            continue
        texts = options[:8]  # a longer name may still resolve ("Báo và" / "Phát thanh," / "truyền hình tỉnh")
    return best


@lru_cache(maxsize=1)
def _national() -> frozenset[str]:
    return frozenset(e.key for e in gazetteer_entries() if e.level == "national")


def _rank(hit: AgencyMention) -> tuple[bool, bool, float]:
    """A plan's rows are rarely led by a collective ("Các sở, ban, ngành" is most often the support cell
    beside the lead) or by a national body (named in titles: "... của Chính phủ")."""
    return not hit.collective, hit.key not in _national(), hit.confidence


def _lead(row: _Row, title_width: float) -> AgencyMention | None:
    """The lead of a row: read from the number's line where numbers head their rows. Where they sit halfway
    down, the lead's cell is centred too: it is read from each of the lines just above the number's (from
    each line of a row whose number was lost), the best reading kept."""
    lines = sorted(row.lines, key=lambda ln: ln.index)
    at = next((k for k, ln in enumerate(lines) if ln.index == row.anchor), 0)
    if row.top_aligned and not row.inferred:
        return _lead_from(lines[at:], row.anchor, title_width)
    starts = range(len(lines)) if row.inferred else range(max(0, at - 3), at + 1)
    hits = [hit for k in starts if (hit := _lead_from(lines[k:], row.anchor, title_width))]
    return max(hits, key=_rank, default=None)


def match_agency(text: str) -> AgencyMention | None:
    """The one place an OCR'd name is matched to a known agency: the confusion model learned from the
    OCR'd corpus (:func:`~policykg.resolve.ocr_match.match_ocr_agency`), its calibrated score the confidence."""
    # "... truyền hình tỉnh Phú Thọ": the province after "tỉnh" is not part of the gazetteer's name
    words = text.split()
    forms = [text] + [" ".join(words[: k + 1]) for k, w in enumerate(words[:-1]) if fold(w) == "tinh"]
    found = next((hit for form in forms if (hit := match_ocr_agency(form))), None)
    if found is None:
        return None
    entry, score = found
    return AgencyMention(collapse_spaces(text), entry.key, entry.name, entry.collective, round(score, 3))


@lru_cache(maxsize=1)
def _squeezed_names() -> tuple[tuple[str, GazetteerEntry], ...]:
    """The gazetteer's written names, letters and digits only, each with an entry of that name."""
    names = {re.sub(r"[^a-z0-9]", "", e.folded): e for e in gazetteer_entries() if e.written}
    return tuple(sorted(names.items(), key=lambda item: item[0]))


@lru_cache(maxsize=64)
def _name_prefixes(length: int) -> tuple[str, ...]:
    return tuple(n[:length] for n, _ in _squeezed_names())


_COMPLETE_MIN = 0.4  # a name cut short keeps at least this share of its letters...
_COMPLETE_RATIO = 85  # ...read at least this well (rapidfuzz ratio against the name's first letters)...
_COMPLETE_MARGIN = 5  # ...and better than any other agency's name by this much


def complete_name(text: str) -> AgencyMention | None:
    """The one agency whose name ``text`` begins, where a cell kept only the start of a name ("S6 Khoahoc":
    the rest was lost to the next cell): None when several agencies' names begin so. Its confidence is low.

    >>> complete_name("SO Nong nghi¢p va Mo1").key, complete_name("S6 Khoahoc").key
    ('so-nong-nghiep-va-moi-truong', 'so-khoa-hoc-va-cong-nghe')
    >>> complete_name("Ban Quan") is None, complete_name("So yan hoa,") is None  # several names begin so
    (True, True)
    """
    squeezed = squeeze(text)
    if len(squeezed) < 8:
        return None
    names = _squeezed_names()
    best: dict[str, tuple[float, GazetteerEntry]] = {}  # per key, its best name (OCR drops letters: a longer start too)
    for length in (len(squeezed), len(squeezed) + 1, len(squeezed) + 2):
        for _, score, k in extract(squeezed, _name_prefixes(length), scorer=ratio, score_cutoff=_COMPLETE_RATIO,
                                   limit=None):
            name, entry = names[k]
            if len(squeezed) >= _COMPLETE_MIN * len(name) and score > best.get(entry.key, (0.0, entry))[0]:
                best[entry.key] = (score, entry)
    ranked = sorted(best.values(), key=lambda hit: -hit[0])
    if not ranked or len(ranked) > 1 and ranked[0][0] - ranked[1][0] < _COMPLETE_MARGIN:
        return None
    score, entry = ranked[0]
    return AgencyMention(collapse_spaces(text), entry.key, entry.name, entry.collective, round(0.6 * score / 100, 3))


@lru_cache(maxsize=65536)
def _name_begun(text: str) -> float:
    """How well ``text`` begins an agency's name (0 to 1): its letters against the names' first letters."""
    squeezed = squeeze(text)
    if len(squeezed) < 2:
        return 0.0
    found = extractOne(squeezed, _name_prefixes(len(squeezed)), scorer=ratio)
    return found[1] / 100 if found else 0.0


def _line_words(text: str, bounds: list[float], kinds: list[str], shift: float,
                cells: int) -> tuple[list[Word], tuple[int, ...], list[str]]:
    """A line's words for :func:`read_row_cells`: those the cut by position gives to the first ``cells``
    columns, what each costs by position in each of them, the cuts between them; and the pieces of the
    columns after them, as cut."""
    tokens, columns, _ = _assign(text, bounds, kinds, shift)
    edges = [0.0, *bounds, float("inf")]
    spans = _agency_spans(text)
    starts, ends = {a for a, _ in spans}, {b for _, b in spans}
    words = [Word(t.text, tuple(_position_cost(t, edges[c], edges[c + 1], shift, _MOVE_CAP) for c in range(cells)),
                  t.pipe_before, t.start in starts or k > 0 and tokens[k - 1].end in ends,
                  _ruled_cut(t, bounds[:cells - 1], shift) if t.pipe_before else None)
             for k, (t, column) in enumerate(zip(tokens, columns)) if column < cells]
    cuts = tuple(sum(1 for column in columns if column <= c) for c in range(cells - 1))
    rest = [" ".join(t.text for t, column in zip(tokens, columns) if column == c) for c in range(cells, len(kinds))]
    return words, cuts, rest


_RULE_NEAR = 6.0  # characters from a column's edge within which a "|" the OCR kept is that edge's rule


def _ruled_cut(token: _Token, bounds: list[float], shift: float) -> int | None:
    """The cut between two columns that a "|" kept before ``token`` rules: the column edge it stands at."""
    where = token.start + shift
    near = [c for c, bound in enumerate(bounds) if abs(where - bound) <= _RULE_NEAR]
    return min(near, key=lambda c: abs(where - bounds[c])) if near else None


def _rebased(text: str, bounds: list[float], columns: list[str], first: bool, most: int = 4) -> list[tuple[str, float]]:
    """The line with the blank OCR squeezed out before an agency cell put back: where a name starts, or a
    sentence ends, left of an agency column, the rest of the line is moved right to start that column. At most
    ``most``: first the whole line (for a line shorter than the title column and not the row's ``first``:
    where cells are centred down a row, a line may hold the right-hand cells alone), then from the line's first
    name (or first words that begin one well) to the lead column (the title's words come before it), then the
    starts of the names the recogniser finds, then the others, furthest right first; each with what reading
    the line so costs."""
    if columns[0] != Column.TITLE:
        return []
    tokens = _tokens(text)
    named = [k for k, t in enumerate(tokens) if k and not (t.agency and tokens[k - 1].agency)  # not inside a name
             and (t.agency or _is_name_head(fold(t.text).strip(",;")))]
    starts = sorted(set(named) | {k for k, t in enumerate(tokens) if k and tokens[k - 1].text.endswith((".", ";"))},
                    key=lambda k: (not tokens[k].agency, -k))
    agency = [c for c, kind in enumerate(columns[1:]) if kind in _AGENCY_KINDS]  # by the bound that starts each
    moves = [(0, c) for c in agency] if len(text) < bounds[0] and not first else []
    begun = [k for k in named if tokens[k].agency or _name_begun(" ".join(t.text for t in tokens[k:k + 3])) >= 0.8]
    moves += [(begun[0], agency[0])] if begun else []
    moves += [(k, c) for k in starts for c in agency]
    out = []
    for k, c in dict.fromkeys(moves):
        if tokens[k].start < bounds[c]:
            moved = text[: tokens[k].start] + " " * round(bounds[c] - tokens[k].start) + text[tokens[k].start:]
            out.append((moved, _MOVED_LINE if k == 0 else _MOVED_REST))
    return out[:most]


_MOVED_LINE = 2.5  # what reading a whole line as starting at an agency column costs, where position put it at the first
_MOVED_REST = 2.0  # what reading the rest of a line after its title so costs


def _moved_readings(text: str, bounds: list[float], columns: list[str], cells: int,
                    first: bool) -> tuple[list[Alternative], list[list[str]]]:
    """The line's other readings for :func:`read_row_cells` (:func:`_rebased`), and in each the pieces of the
    columns after its first ``cells``."""
    readings, rests = [], []
    for moved, cost in _rebased(text, bounds, columns, first):
        words, cuts, rest = _line_words(moved, bounds, columns, 0.0, cells)
        readings.append(Alternative(words, cuts, cost))
        rests.append(rest)
    return readings, rests


_OFF_CENTRE = 0.5  # a word of the lead cell, per line it stands further than one from a centred row's number


def _costlier(words: list[Word], cell: int, cost: float) -> list[Word]:
    """The words with giving them to ``cell`` costing ``cost`` more. Where a row's cells are centred down it, the
    lead cell (one name, a line or two) stands around the row's number; a taller cell (the support's list)
    reaches further up and down."""
    if not cost:
        return words
    return [replace(w, costs=tuple(c + cost if k == cell else c for k, c in enumerate(w.costs))) for w in words]


def _joint_cells(row: _Row, texts: list[str], bounds: list[float], columns: list[str],
                 match: Matcher = quick_match) -> tuple[
        dict[str, list[tuple[int, str]]], dict[str, list[AgencyMention]]]:
    """The cells of a row, each a list of (line, piece), and the names each agency cell holds, read jointly
    over the row's lines (:func:`read_row_cells`) up to the column after the last agency cell."""
    agency_at = [k for k, c in enumerate(columns) if c in _AGENCY_KINDS]
    cells = min(len(columns), agency_at[-1] + 2)
    lines = sorted(row.lines, key=lambda ln: ln.index)
    title_done = False
    words, cuts, others, rests = [], [], [], []
    for k, text in enumerate(texts):
        shift = _line_shift(text, bounds, columns, title_done)
        line_words, line_cuts, rest = _line_words(text, bounds, columns, shift, cells)
        if columns[0] == Column.TITLE:
            title_done = title_done or sum(len(w.text) + 1 for w in line_words[: line_cuts[0]]) < 0.6 * bounds[0]
        first = k == 0 and not _cells_only(text)  # a row's first line holds its title, unless it holds cells only
        moved, moved_rests = _moved_readings(text, bounds, columns, cells, first) if not shift else ([], [])
        if Column.LEAD in columns and not row.top_aligned:
            far = _OFF_CENTRE * max(0, abs(lines[k].index - row.anchor) - 1)
            line_words = _costlier(line_words, columns.index(Column.LEAD), far)
            moved = [replace(m, words=_costlier(m.words, columns.index(Column.LEAD), far)) for m in moved]
        words.append(line_words)
        cuts.append(line_cuts)
        others.append(moved)
        rests.append([rest, *moved_rests])  # per reading of the line, the pieces of the columns after its cells
    reading = read_row_cells(words, cuts, [c in _AGENCY_KINDS for c in columns[:cells]], match, _name_begun,
                             others=others)
    pieces: dict[str, list[tuple[int, str]]] = {c: [] for c in columns}
    for k, line in enumerate(lines):
        for c, kind in enumerate(columns):
            piece = reading.cells[c][k] if c < cells else rests[k][reading.variants[k]][c - cells]
            if piece.strip(" |"):
                pieces[kind].append((line.index + 1, piece.strip(" |")))
    return pieces, {kind: reading.agencies[c] for c, kind in enumerate(columns[:cells]) if kind in _AGENCY_KINDS}


def _canonical_orders(headers: list[TableHeader]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """OCR scrambles and loses words of multi-line headers: a header that names some of the columns of
    the document's fullest header takes that header's order (the most common among the fullest)."""
    if not headers:
        return {}
    longest = max(len(h.key) for h in headers)
    best = Counter(h.key for h in headers if len(h.key) == longest).most_common(1)[0][0]
    return {h.key: best if set(h.key) <= set(best) else h.key for h in headers}


_UNCONFIRMED = 0.5  # the confidence at most of a name only the loose lookup knows


def _confirmed(name: AgencyMention, line: int) -> AgencyMention:
    """A name the row's reading found, matched again by :func:`match_agency` for its key and confidence
    (kept at low confidence where only the loose lookup knows it)."""
    hit = match_agency(name.text)
    if hit is None:
        return AgencyMention(name.text, name.key, name.name, name.collective, min(name.confidence, _UNCONFIRMED), line)
    return AgencyMention(hit.text, hit.key, hit.name, hit.collective, hit.confidence, line)


def _is_deadline(text: str) -> bool:
    """A cell that reads as a deadline: a year, or mostly deadline words ("Quý I/2026", "Thường xuyên")."""
    words = [re.sub(r"[^a-z0-9/\-]", "", w) for w in fold(text).split()]
    hits = sum(bool(_DEADLINE_WORD.match(w)) for w in words if w)
    return bool(words) and (hits * 2 >= len(words) or bool(re.search(r"\b(?:19|20)\d\d\b", text)) and len(words) <= 6)


def _block_cells(lines: list[_Line], columns: list[str]) -> dict[str, list[tuple[int, str]]]:
    """The cells of a row OCR printed block after block under its number (a blank line between cells): the
    first block is the title; then, in the columns' order, blocks that name agencies fill the agency cells,
    a block that reads as a deadline the deadline, and the others the output (or notes)."""
    blocks: list[list[_Line]] = []
    for line in (ln for ln in lines if ln.text.strip()):
        if blocks and line.index == blocks[-1][-1].index + 1:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    pieces: dict[str, list[tuple[int, str]]] = {c: [] for c in columns}
    agency = [c for c in columns if c in _AGENCY_KINDS]
    other = next((c for c in (Column.OUTPUT, Column.NOTE) if c in columns), None)
    for k, block in enumerate(blocks):
        text = " ".join(ln.text for ln in block)
        if k == 0 and Column.TITLE in columns:
            kind = Column.TITLE
        elif agency and (_agency_spans(text) or quick_match(text)):
            kind = agency.pop(0)
        elif Column.DEADLINE in columns and _is_deadline(text):
            kind = Column.DEADLINE
        else:
            kind = other
        if kind is not None:
            pieces[kind] += [(ln.index + 1, ln.text.strip(" |")) for ln in block]
    return pieces


def _block_lead(pieces: dict[str, list[tuple[int, str]]]) -> dict[str, list[AgencyMention]]:
    """The names of a block row's lead cell (:func:`parse_names`), each confirmed by :func:`match_agency`."""
    cell = pieces.get(Column.LEAD)
    if not cell:
        return {}
    _, names = parse_names(tuple(" ".join(t for _, t in cell).split()), quick_match, lead=True)
    return {Column.LEAD: [_confirmed(m, cell[0][0]) for m in names]}


def _not_supporters(leads: list[AgencyMention], support: list[tuple[int, str]],
                    lines: Sequence[str] = ()) -> list[AgencyMention]:
    """Leads less a collective ("Các Sở, ban, ngành") the row's support cell names: read as the lead only
    because the lead cell could not be read, it is left unread (to review), not guessed; unless one of the row's
    ``lines`` prints it twice (in the lead cell and again in the support cell beside it)."""
    named = {m.key for m in cell_agencies(" ".join(t for _, t in support), None, ocr=True)[0]}
    doubtful = [m for m in leads if m.collective and m.key in named]
    if doubtful and any(_twice(line, m.key) for m in doubtful for line in lines):
        return leads
    return [m for m in leads if m not in doubtful]


def _twice(line: str, key: str | None) -> bool:
    return sum(found == key for _, _, found in _line_names(line)) >= 2


def _cut_short(cell: list[tuple[int, str]]) -> list[AgencyMention]:
    """The lead of a cell that no name matches whole but whose first words begin one agency's name only
    (:func:`complete_name`): the longest such start, at low confidence."""
    words = " ".join(t for _, t in cell).split(";")[0].split()
    for n in range(min(len(words), MAX_NAME), 1, -1):
        if hit := complete_name(" ".join(words[:n])):
            return [AgencyMention(hit.text, hit.key, hit.name, hit.collective, hit.confidence, cell[0][0])]
    return []


def _whole_cell(cell: list[tuple[int, str]], title: list[tuple[int, str]]) -> list[AgencyMention]:
    """The lead cell read whole by the learned matcher, where the joint reading's fast lookup found no name in it
    ("36 Tài chính": the confusion model knows what the lookup does not); also with the title's last word on
    the cell's first line before it (a garbled first word, "36", left to the title)."""
    if not cell:
        return []
    text = collapse_spaces(" ".join(t for _, t in cell).split(";")[0])
    before = next((t.split()[-1] for n, t in title if n == cell[0][0] and t.split()), "")
    for form in (text, f"{before} {text}") if before else (text,):
        if len(form) <= 60 and (hit := match_agency(form)):
            return [replace(hit, line=cell[0][0])]
    return []


def _row_lead(row: _Row, pieces: dict[str, list[tuple[int, str]]], joint: list[AgencyMention],
              title_width: float) -> list[AgencyMention]:
    """The lead of a row cut jointly: as the joint reading names it (``joint``; else the lead cell read whole,
    :func:`_whole_cell`), or as read line by line around its number (:func:`_lead`). A reading the learned
    matcher confirms comes first, then a name cut short (:func:`_cut_short`), then the loose lookup's; among
    equals, one that names no national body (a province's plan is led by its own departments) and one name
    alone (rows led jointly are rare). A collective that the line-by-line reading takes and the support cell
    names too is no reading (:func:`_not_supporters`)."""
    support = pieces.get(Column.SUPPORT, [])
    line = pieces[Column.LEAD][0][0] if pieces[Column.LEAD] else row.anchor + 1
    by_line = _not_supporters([_confirmed(lead, row.anchor + 1)] if (lead := _lead(row, title_width)) else [], support,
                              [ln.text for ln in row.lines])
    by_joint = [_confirmed(m, line) for m in joint]  # its own cell: a collective printed in both cells is kept
    by_cell = _whole_cell(pieces[Column.LEAD], pieces.get(Column.TITLE, [])) if not joint else []
    found = sorted((r for r in (by_joint, by_cell, by_line) if r),
                   key=lambda r: (any(m.key in _national() for m in r), len(r) > 1))
    readings = [r for r in found if min(m.confidence for m in r) > _UNCONFIRMED]
    readings += [_cut_short(pieces[Column.LEAD]), *found]
    return next((r for r in readings if r), [])


def _supporters(joint: list[AgencyMention], cell: list[tuple[int, str]]) -> list[AgencyMention]:
    """The supporters of a row cut jointly: the known names the recogniser of clean cells finds in the support
    cell (it also knows collectives no gazetteer name spells whole), then those the joint reading found that
    it missed (confirmed by :func:`match_agency`, else kept at low confidence)."""
    if not cell:
        return []
    line = cell[0][0]
    found = [m for m in cell_agencies(" ".join(t for _, t in cell), line, ocr=True)[0] if m.key]
    found += [_confirmed(m, line) for m in joint]
    return [m for k, m in enumerate(found) if m.key not in {x.key for x in found[:k]}]


def _table_row(row: _Row, bounds: list[float], columns: list[str], match: Matcher = quick_match) -> TableRow:
    """A row read into cells: block by block where its number stands alone (:func:`_block_cells`); jointly
    over its lines where the table has agency cells (its lead by :func:`_row_lead`, its supporters by
    :func:`_supporters`); else each line cut by position."""
    lines = sorted(row.lines, key=lambda ln: ln.index)
    texts = [(" " * 4 if line.index == row.anchor else "") + line.text for line in lines]  # the number's place
    resolved: dict[str, list[AgencyMention]] = {}
    if lines and lines[0].index == row.anchor and not lines[0].text.strip():  # a number alone: cells in blocks
        pieces = _block_cells(lines, columns)
        resolved = _block_lead(pieces)
    elif any(c in _AGENCY_KINDS for c in columns):
        row_bounds = _row_bounds(texts, bounds, columns)
        pieces, names = _joint_cells(row, texts, row_bounds, columns, match)
        if Column.LEAD in columns:
            resolved[Column.LEAD] = _row_lead(row, pieces, names[Column.LEAD], bounds[0])
            if not resolved[Column.LEAD] and sum(ch.isalpha() for _, t in pieces[Column.LEAD] for ch in t) < 3:
                pieces[Column.LEAD] = _placed(lines, texts, row_bounds, columns, Column.LEAD)
        if Column.SUPPORT in names:
            resolved[Column.SUPPORT] = _supporters(names[Column.SUPPORT], pieces[Column.SUPPORT])
    else:
        pieces = {c: [] for c in columns}
        title_done = False
        row_bounds = _row_bounds(texts, bounds, columns)
        for line, text in zip(lines, texts):
            cut = _cut(text, row_bounds, columns, title_done)
            title_done = title_done or columns[0] == Column.TITLE and len(cut[0]) < 0.6 * bounds[0]
            for kind, piece in zip(columns, cut):
                if piece.strip():
                    pieces[kind].append((line.index + 1, piece.strip()))
    first = min((ln.index for ln in row.lines), default=row.anchor)
    # a row starts at its first line (where numbers sit halfway down a row, above its number)
    raw = RawRow(row.number, min(first, row.anchor) + 1, [ln.index for ln in row.lines], "", row.section, row.header,
                 inferred=row.inferred)
    joined = {k: collapse_spaces(" ".join(p for _, p in v)) for k, v in pieces.items()}
    if resolved.get(Column.LEAD):
        joined[Column.LEAD] = "; ".join(m.text for m in resolved[Column.LEAD])
    return TableRow(raw, joined, {k: sorted({n for n, _ in v}) for k, v in pieces.items()}, resolved)


def _placed(lines: list[_Line], texts: list[str], bounds: list[float], columns: list[str],
            kind: str) -> list[tuple[int, str]]:
    """The pieces of a row's column ``kind`` as each line's cut by position places them: what stands in a cell
    that the joint reading emptied (its words given to the cells beside it), kept for review."""
    out = []
    for line, text in zip(lines, texts):
        piece = _cut(text, bounds, columns)[columns.index(kind)]
        if piece:
            out.append((line.index + 1, piece))
    return out


def read_row_major(
    src: SourceText, start: int, end: int, headers: list[TableHeader], mask: list[bool],
) -> tuple[list[TableRow], list[Issue]]:
    """Rows of the row-major tables between ``start`` and ``end``, and the row numbers not found."""
    issues: list[Issue] = []
    sections = _scan(src, start, end, [h for h in headers if h.row_major], mask, issues)
    rows = _rows(sections, src, issues)
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
        out += _reread_unsure(table_rows, [_table_row(row, bounds, columns) for row in table_rows], bounds, columns)
    return out, issues


def _unsure_lead(leads: list[AgencyMention]) -> bool:
    """A lead reading to try again: none, one the learned matcher does not confirm, a collective or a national
    body (a province's plan is led by its own departments)."""
    return not leads or any(m.confidence <= _UNCONFIRMED or m.collective or m.key in _national() for m in leads)


def _table_department(lead: AgencyMention | None, names: TableNames) -> bool:
    """A name the table reads surely that is neither a collective nor a national body."""
    return lead is not None and lead.key in names.keys and not (lead.collective or lead.key in _national())


def _reread_unsure(rows: list[_Row], read: list[TableRow], bounds: list[float], columns: list[str]) -> list[TableRow]:
    """The rows whose lead is unsure (:func:`_unsure_lead`) read again with the names the table's other rows
    read surely (:class:`TableNames`): a lead that comes out as one of them replaces the first reading's."""
    if Column.LEAD not in columns:
        return read
    names = TableNames.of(m for r in read for kind in (Column.LEAD, Column.SUPPORT) for m in r.resolved.get(kind, []))
    if not names:
        return read
    match = names.within(quick_match)
    out = []
    for row, first in zip(rows, read):
        leads = first.resolved.get(Column.LEAD, [])
        if _unsure_lead(leads) and first.cells.get(Column.LEAD):
            again = _table_row(row, bounds, columns, match).resolved.get(Column.LEAD, [])
            lead = again[0] if len(again) == 1 else None
            if _table_department(lead, names) and not (  # an unconfirmed department the first reading read closer
                    len(leads) == 1 and _table_department(leads[0], names)
                    and names.nearness(leads[0].text, leads[0].key) >= names.nearness(lead.text, lead.key)):
                first.resolved[Column.LEAD] = again
                first.cells[Column.LEAD] = "; ".join(m.text for m in again)
        out.append(first)
    return out
