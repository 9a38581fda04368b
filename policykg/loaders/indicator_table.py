"""Indicator tables of plain text: "TT | Chỉ tiêu | Cơ quan chủ trì theo dõi, đánh giá".

How the genre writes them: rows are grouped by year ("I | Đến hết năm 2025") and, within a year, by
field ("1 | Lĩnh vực cải cách hành chính", at times with its number lost); rows are numbered in
sequence within their field (1.1, 1.2, ...); a row's last cell names the agencies that monitor it.
Text from PDF or OCR prints a row's cells side by side: the number and the monitor cell on one line
(the row's middle line when the cells are centred), the indicator's text wrapped above and below it;
or the number, the text and the monitor cell one under another.

Reading, line by line:

- a row starts at its number: the next one of the sequence, also when OCR garbled it - two digits
  of which the second is the row's ("73" for 2.3), or, where the line shows a cell (a monitor or a
  "|"), any token with a digit ("29" for 2.2, ")5", "3¢", "L4") - or at a line that ends with a
  monitor while the row above has its own; a monitor cell alone above a number is that row's;
- the monitor cell is the agencies that end a line (the pipeline's entities, chained by list glue;
  on OCR'd text also the gazetteer's fuzzy match of the last words, OCR's garbled "Sở" - "36", "g5",
  "&" - read as such); a cell ending in "và các" or "," goes on on the next line; a lone dash is an
  empty cell; an agency followed by a full stop belongs to the text ("... của Bộ Y tế.");
- text lines between two numbered lines go to the row below from where its cell's sentence starts:
  when the numbered line continues a sentence (lower case), from the last line that starts one; else
  only after a line that ends a sentence;
- a monitor cell "Các sở, ngành: Y tế, Giáo dục, ..." names the departments of those sectors;
- a field whose number was lost is the short heading just before the first row of the next field;
- the column header that OCR repeats at each page's top ("TT Chi tié", "rhed dénh gia") is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from ..records import AgencyMention, Provenance, TargetRecord
from ..resolve.gazetteer import allowed_edits, gazetteer_entries
from ..text import collapse_spaces, fold, fold_chars
from .layout import DocumentSpan
from .mentions import LIST_GLUE, mention
from .nlp import parse
from .ocr_rows import is_noise, quick_match
from .source import SourceText
from .tables import APPENDIX_RE, Column, TableHeader

__all__ = ["extract_indicator_tables"]

_YEAR_GROUP = re.compile(r"^\s?\S{1,4}\s?\|?\s?[dđp]\S{0,2}n\s?(?:h\S{0,2}t\s?)?n\S{0,3}m\s?((?:19|20)\d\d)\b")
_SECTION = re.compile(r"^\s?(?P<num>[IVX]{1,4}|I[1lL]{1,3}|[1l]I{1,2})\.\s+(?P<rest>\S.*)$")
_TOKEN = re.compile(r"^\s*(?P<tok>[^\s|]{1,4})(?=[\s|]|$)\s*(?P<pipe>\|)?\s*(?P<rest>.*)$")
_CLEAN_NUMBER = re.compile(r"^(?P<a>\d{1,2})[.,](?P<b>\d{1,2})$")
_GLUED_NUMBER = re.compile(r"^(?P<a>\d)(?P<b>\d{1,2})$")
_GARBLED_NUMBER = re.compile(r"^(?=.*\d)(?![A-Za-z]6$)[^\s%]{1,2}$")  # ")5", "3¢", "L4"; not "C6" (OCR's "Có")
_DASH_CELL = re.compile(r"(?<=\w)\s[—–-]{1,2}$")
_CELL_END = re.compile(r"^[\s,;]*(?:(?P<open>va(?:\s+c\S{1,3})?|c\S{0,2}c)|tinh)?[\s,;]*$")  # after the last name
_SO_HEAD = re.compile(r"^(?:(?=\S*[\d&¢])\S{1,2}|[gS]\S?)$")  # OCR's "Sở": "36", "g5", "&", "S¢", "gy", "SH"
_DEBRIS = re.compile(r"^[^\w<>≤≥]+")
_SECTOR_LIST = re.compile(r"\bc\S{0,2}c\s+s\S{0,2},?\s+(?:ban,?\s+)?nganh\s?:\s?")  # "Các sở, ngành: Y tế, Giáo dục"
_HEADER_WORDS = ("tt", "stt", "chi", "tieu", "co", "quan", "chu", "tri", "theo", "doi", "danh", "gia")
_MIN_FUZZY = {2: 0.85, 3: 0.7}  # the least confidence of a fuzzy name of 2 words, of 3 or more
_MIN_WHOLE = 0.7  # of a line that is a name and nothing else
_MIN_WORDS = 0.3  # below this share of words (two letters or more), a line is OCR's debris (accents on their own)
_MAX_NAME_WORDS = 7
_HEADING_WIDTH = 60  # a field's heading is never longer than this without its number
_NUMBERED_HEADING_WIDTH = 90  # nor with it
_SECTION_REACH = 4  # lines above a table's header its section heading may stand (blank lines between)
_YOUNG = 5  # lines a monitor cell printed above its row's number may stand from it (blank lines between)
_MIN_PREFIX = 6  # letters of a sector's name the least to stand for the one department whose name starts so


@dataclass
class _Cell:
    """The monitor cell that ends a line: where it starts, the agencies it names, whether it goes on."""

    start: int
    agencies: list[AgencyMention]
    open: bool = False
    dash: bool = False  # a lone dash: the cell is there, empty or unreadable
    fragment: str | None = None  # a list of sectors: the start of a name it wraps to the next line


@dataclass
class _Line:
    """One line of the table: its number token, its indicator text and its monitor cell."""

    index: int
    text: str  # the line without its monitor cell
    rest: str = ""  # and without its first token, the row number if it is one
    token: str | None = None
    pipe: bool = False
    cell: _Cell | None = None


@dataclass
class _Row:
    """An indicator being read."""

    number: tuple[int, int] | None
    printed: bool = False  # the number was read off the row, not given by the sequence
    beside: bool = False  # the number's line holds text: the row's cells stand side by side
    lines: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    monitor: list[AgencyMention] = field(default_factory=list)
    has_cell: bool = False
    open: bool = False
    ended: bool = False  # the last line was the monitor cell alone: the row's cells are done
    fragment: str | None = None  # the row's cell is a list of sectors; the start of a name wrapped

    def add(self, line: _Line) -> None:
        if self.open and self.fragment is not None and line.cell is None:
            _continue_sectors(line, self.fragment)
        self.lines.append(line.index)
        if line.text:
            self.texts.append(line.text)
        self.ended = line.cell is not None and not line.text
        if line.cell is not None:
            self.has_cell = True
            self.open, self.fragment = line.cell.open, line.cell.fragment
            self.monitor += [m for m in line.cell.agencies if all(_key(m) != _key(o) for o in self.monitor)]

    @property
    def young(self) -> bool:
        """Only a monitor cell so far: a cell centred above the row's number."""
        return self.number is None and not self.texts


def _key(m: AgencyMention) -> str:
    return m.key or fold(m.text)


def _is_header_word(word: str) -> bool:
    return word in _HEADER_WORDS or (len(word) >= 2 and any(
        Levenshtein.distance(word, w, score_cutoff=1) <= 1 for w in _HEADER_WORDS if len(w) >= 3))


def _is_header_fragment(line: str, after_header: bool) -> bool:
    """A line of the column header repeated at a page's top, as OCR reads it ("TT Chi tié", "rhed dénh gia"): one
    of its words is the header's as printed, or the line before was the header's too ("hi tia")."""
    words = re.findall(r"[a-z]+", fold(line))
    return (0 < len(words) <= 6 and len(line) <= 40 and sum(map(_is_header_word, words)) >= 0.6 * len(words)
            and (after_header or any(w in _HEADER_WORDS for w in words)))


def _starts_cell(text: str) -> bool:
    """True when ``text`` may begin an indicator: capital, digit or comparison sign first."""
    text = _DEBRIS.sub("", text)
    return bool(text) and (text[0].isupper() or text[0].isdigit() or text[0] in "<>≤≥")


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(".")


def _spelled(part: list[str], least: float) -> AgencyMention | None:
    """The agency ``part`` (words) names, read with OCR's confusions, a garbled "Sở" first among them."""
    readings = [" ".join(part)] + ([" ".join(["So", *part[1:]])] if _SO_HEAD.match(part[0]) else [])
    for reading in readings:
        hit = quick_match(reading.strip(" ,;|"))
        if hit is not None and hit.confidence >= least:
            return hit
    return None


def _department(item: str) -> AgencyMention | None:
    """The department a sector's name stands for ("Y tế", "Giáo dục" in "các sở, ngành: Y tế, Giáo dục"): an
    agency's name, else "Sở" and the name, else the one department whose name starts so."""
    words = item.split()
    if not words:
        return None
    if hit := (len(words) > 1 and _spelled(words, _MIN_WHOLE)) or _spelled(["So", *words], _MIN_WHOLE):
        return hit
    if sum(c.isalpha() for c in item) < _MIN_PREFIX:
        return None
    wanted = "so " + fold(item)
    near = {(Levenshtein.distance(wanted, head), e.key, e.name, e.folded) for e in gazetteer_entries()
            if e.written and e.level == "province" and e.folded.startswith("so ")
            and (head := " ".join(e.folded.split()[: len(words) + 1]))
            and Levenshtein.distance(wanted, head) <= allowed_edits(head)}
    best = min((d for d, *_ in near), default=None)
    keys = {(key, name, folded) for d, key, name, folded in near if d == best}
    if best is None or len({key for key, _, _ in keys}) != 1:
        return None
    key, name, folded = min(keys)
    return AgencyMention(collapse_spaces(item), key, name, False, round(0.9 * (1 - best / len(folded)), 3))


def _sectors(text: str, fragment: str = "") -> tuple[list[AgencyMention], str]:
    """The departments a list of sectors names, and the start of a name it wraps to the next line."""
    found: list[AgencyMention] = []
    parts = [p.strip(" .;") for p in text.split(",")]
    for k, part in enumerate(parts):
        name = collapse_spaces(f"{fragment} {part}")
        hit = _department(name) if name else None
        if hit is not None:
            found.append(hit)
        fragment = name if hit is None and k == len(parts) - 1 else ""
    return found, fragment


def _continue_sectors(line: _Line, fragment: str) -> None:
    """A list of sectors wrapped onto ``line``: the names after its text's last full stop."""
    head, stop, tail = line.text.rpartition(". ")
    found, left = _sectors(tail, fragment) if stop else ([], fragment)
    if found:
        line.text = head + "."
        line.cell = _Cell(len(head) + 1, found, bool(left), fragment=left)


def _fuzzy_name(words: list[str], end: int, ocr: bool) -> tuple[AgencyMention, int] | None:
    """The longest name that the words ending at ``end`` spell, and where it starts."""
    if not ocr:
        return None
    for k in range(min(_MAX_NAME_WORDS, end), 1, -1):
        if hit := _spelled(words[end - k:end], _MIN_FUZZY[min(k, 3)]):
            return hit, end - k
    return None


def _fuzzy_chain(words: list[str], end: int, ocr: bool) -> tuple[list[AgencyMention], int]:
    """Agencies named right to left by the words before ``end``, with list glue between them."""
    found: list[AgencyMention] = []
    while end > 0:
        hit = _fuzzy_name(words, end, ocr)
        if hit is None:
            break
        found.insert(0, hit[0])
        end = hit[1]
        if end and words[end - 1].endswith("."):
            break  # a sentence ends there: the text's, not a name of the cell
        while end > 0 and LIST_GLUE.match(fold(words[end - 1]).strip(",;")) and fold(words[end - 1]) != "cac":
            end -= 1
    return found, end


def _entity_chain(line: str, ocr: bool) -> tuple[list[AgencyMention], int, bool]:
    """The pipeline's agencies that end ``line``: the agencies, where the first starts, whether the cell goes on."""
    ents = [e for e in parse(line, ocr).ents if e.label_ in {"AGENCY", "COLLECTIVE"} and e.ent_id_]
    folded = fold_chars(line).lower()
    found: list[AgencyMention] = []
    position, is_open = len(line), False
    for ent in reversed(ents):
        gap = folded[ent.end_char:position]
        if not found:
            m = _CELL_END.match(gap)
            if m is None:
                break
            is_open = bool(m.group("open")) or gap.rstrip().endswith(",")
        elif not LIST_GLUE.match(gap):
            break
        found.insert(0, mention(ent))
        position = ent.start_char
    return found, position, is_open


def _cell(line: str, ocr: bool) -> _Cell | None:
    """The monitor cell that ends ``line``, if any."""
    stripped = line.rstrip()
    if _DASH_CELL.search(stripped):
        return _Cell(len(stripped), [], dash=True)
    if m := _SECTOR_LIST.search(fold_chars(stripped).lower()):
        found, fragment = _sectors(stripped[m.end():])
        return _Cell(m.start(), found, True, fragment=fragment)
    if stripped.endswith("."):
        return None
    agencies, start, is_open = _entity_chain(stripped, ocr)
    spans = [m.span() for m in re.finditer(r"\S+", stripped)]
    words = [stripped[a:b] for a, b in spans]
    if ocr and not agencies and 2 <= len(words) < _MAX_NAME_WORDS and (hit := _spelled(words, _MIN_WHOLE)):
        return _Cell(0, [hit])
    end = sum(1 for a, _ in spans if a < start) if agencies else len(words)
    if not agencies and words and fold(words[-1]) == "tinh":
        end -= 1  # "Ngân hàng Nhà nước tỉnh": the province after the name
    more, end = _fuzzy_chain(words, end, ocr)
    agencies = more + agencies
    if not agencies:
        return None
    return _Cell(spans[end][0] if end < len(spans) else start, agencies, is_open)


def _text(part: str) -> str:
    """``part`` of a line as text; nothing if it is OCR's debris (accents printed on a line of their own)."""
    tokens = part.split()
    words = sum(1 for t in tokens if sum(c.isalpha() for c in t) >= 2)
    return collapse_spaces(part).strip(" |") if words and words >= _MIN_WORDS * len(tokens) else ""


def _read_line(index: int, raw: str, ocr: bool) -> _Line:
    line = raw.strip()
    cell = _cell(line, ocr)
    end = len(line) if cell is None else cell.start
    m = _TOKEN.match(line)
    if m is None or cell is not None and cell.start < m.start("rest"):  # no token, or the cell is the whole line
        return _Line(index, _text(line[:end]), cell=cell)
    return _Line(index, _text(line[:end]), _text(line[m.start("rest"):end]), m.group("tok"), bool(m.group("pipe")), cell)


def _reading(token: str) -> tuple[int | None, int | None, bool] | None:
    """What a row number token says: (field, position, printed whole); None when it is no number."""
    if m := _CLEAN_NUMBER.match(token):
        return int(m.group("a")), int(m.group("b")), True
    if m := _GLUED_NUMBER.match(token):
        return int(m.group("a")), int(m.group("b")), False
    if _GARBLED_NUMBER.match(token) or len(token) == 1 and token.isdigit():
        digits = [c for c in token if c.isdigit()]
        return (int(digits[0]), None, False) if token[0].isdigit() else (None, int(digits[-1]), False)
    return None


def _number(line: _Line, last: tuple[int, int]) -> tuple[int, int] | None:
    """The row number ``line`` starts with, read against the sequence (``last``: the number before)."""
    if line.token is None or (reading := _reading(line.token)) is None:
        return None
    a, b, whole = reading
    following, first_of_next = (last[0], last[1] + 1), (last[0] + 1, 1)
    if (a, b) in (following, first_of_next) or a is not None and b == following[1] and last[0]:
        return following if (a, b) != first_of_next else first_of_next  # "73", "3.7": the field's digit misread
    if whole and a is not None and b is not None:
        return a, b
    if a == last[0] and b is not None and following[1] < b <= following[1] + 2:
        return a, b  # a row lost before this one
    supported = line.cell is not None and not line.cell.dash or line.pipe
    if not supported or b == 0:
        return None
    return following if last[0] else None


def _area(line: _Line, last: tuple[int, int]) -> str | None:
    """The heading of the next field ("2 | Lĩnh vực Giáo dục và Đào tạo"), if ``line`` is one."""
    if line.cell is not None or line.token is None or not line.token.isdigit():
        return None
    if int(line.token) != last[0] + 1 and last != (0, 0) or not line.rest[:1].isupper() \
            or len(line.rest) > _NUMBERED_HEADING_WIDTH:
        return None
    return line.rest


def _is_heading(line: _Line) -> bool:
    """A field heading without its number: short, capitalised, no sentence, no cell."""
    text = line.text
    return (line.cell is None and line.token is not None and not line.token[:1].isdigit()
            and 0 < len(text) <= _HEADING_WIDTH and text[0].isupper() and not re.search(r"[.;:%]$", text))


def _split(pending: list[_Line], row: _Row | None, anchor: _Line) -> int:
    """Where the text lines between two rows stop continuing the one above: the index in ``pending``."""
    def boundary(k: int) -> bool:
        if not pending[k].text or not _starts_cell(pending[k].text):
            return False
        if k:
            return _ends_sentence(pending[k - 1].text)
        return row is None or row.ended or not row.texts or _ends_sentence(row.texts[-1])
    starts = [k for k in range(len(pending)) if boundary(k)]
    if anchor.text and not _starts_cell(anchor.text):  # the numbered line continues a sentence begun above
        return max(starts, default=max((k for k, ln in enumerate(pending) if ln.text and _starts_cell(ln.text)),
                                       default=len(pending)))
    return min(starts, default=len(pending))


class _Reader:
    """The rows of one indicator table, read line by line."""

    def __init__(self, src: SourceText, document: str, confidence: float) -> None:
        self.src, self.document, self.confidence = src, document, confidence
        self.targets: list[TargetRecord] = []
        self.year: int | None = None
        self.section: str | None = None
        self.area: str | None = None
        self.last = (0, 0)
        self.row: _Row | None = None
        self.pending: list[_Line] = []

    def close(self) -> None:
        """Finish the row being read, with the text lines after it."""
        row = self.row
        if row is not None:
            for line in self.pending:
                row.add(line)
            if not row.young:
                if row.number is None:
                    row.number = self.last = (self.last[0], self.last[1] + 1)
                self.targets.append(self._target(row))
            elif self.targets and not self.targets[-1].monitor:
                self.targets[-1].monitor = row.monitor  # a cell alone, and no number came: the row above's
        self.row, self.pending = None, []

    def _target(self, row: _Row) -> TargetRecord:
        assert row.number is not None
        number = f"{row.number[0]}.{row.number[1]}" if row.number[0] else str(row.number[1])
        lines = sorted(row.lines)
        return TargetRecord(
            document=self.document, section=[s for s in (self.section, f"Năm {self.year}" if self.year else None,
                                                         self.area) if s],
            number=number, text=collapse_spaces(" ".join(row.texts)), year=self.year, area=self.area,
            provenance=Provenance(self.src.file, self.src.line_no(lines[0]), self.src.line_no(lines[-1]), "table",
                                  self.confidence),
            monitor=row.monitor,
        )

    def group(self, *, section: str | None = None, year: int | None = None, area: str | None = None,
              area_number: int = 0) -> None:
        """A section, year or field heading: the rows after it are under it."""
        self.close()
        if section is not None:
            self.section = section
        if year is not None:
            self.year, self.area, self.last = year, None, (0, 0)
        if area is not None:
            self.area, self.last = area, (area_number, 0)

    def _numbers_row(self, line: _Line, number: tuple[int, int]) -> bool:
        """True when ``number`` is that of the row being read, which began above it (centred cells)."""
        row = self.row
        return (row is not None and not row.printed and (row.young or row.number == number)
                and line.index - row.lines[-1] <= _YOUNG)

    def open(self, line: _Line, number: tuple[int, int] | None, printed: bool = False) -> None:
        """Start a row at ``line`` (its number or its monitor cell)."""
        if number is not None and self._numbers_row(line, number):
            assert self.row is not None
            self.row.number, self.row.printed, self.last = number, printed, number
            self._flush()
            self.row.add(line)
            return
        heading = None
        if number is not None and number[0] != self.last[0] and number[1] == 1 and self.pending \
                and _is_heading(self.pending[-1]):
            heading = self.pending.pop().text  # a field heading whose number was lost
        cut = _split(self.pending, self.row, line)
        before, after = self.pending[:cut], self.pending[cut:]
        self.pending = before
        self.close()
        if heading is not None:
            self.area = heading
        if number is None and line.text:
            number = (self.last[0], self.last[1] + 1)
        if number is not None:
            self.last = number
        self.row = _Row(number, printed, beside=printed and bool(line.text))  # no number: a cell above its number
        for ln in after:
            self.row.add(ln)
        self.row.add(line)

    def _flush(self) -> None:
        assert self.row is not None
        for line in self.pending:
            self.row.add(line)
        self.pending = []

    def line(self, line: _Line) -> None:
        """A line that is neither a heading nor a header."""
        if (area := _area(line, self.last)) is not None:
            self.group(area=area, area_number=int(line.token or 0))
            return
        if (number := _number(line, self.last)) is not None:
            line.text = line.rest
            self.open(line, number, printed=True)
            return
        if line.cell is not None and line.cell.dash:
            line.cell = None  # a dash ending a line of text is the text's
        row, cell = self.row, line.cell
        if cell is None and not line.text:
            return
        if cell is None:
            self.pending.append(line)
        elif row is not None and (row.open or not row.has_cell and (line.text or not row.beside)):
            self._flush()
            row.add(line)
        elif line.text and not _starts_cell(line.text):
            line.cell = None
            self.pending.append(line)  # a sentence's end that names an agency
        else:
            self.open(line, None)


def _section_label(m: re.Match[str]) -> str:
    return collapse_spaces(f"{m.group('num')}. {m.group('rest')}")


def _section_above(src: SourceText, start: int, top: int) -> str | None:
    """The section heading just above a table's header ("I. Chỉ tiêu các nhiệm vụ có tính trọng tâm")."""
    for k in range(start - 1, max(top, start - _SECTION_REACH), -1):
        if src.lines[k].strip():
            m = _SECTION.match(src.lines[k].strip())
            return _section_label(m) if m else None
    return None


def extract_indicator_tables(
    src: SourceText, span: DocumentSpan, mask: list[bool], headers: list[TableHeader], document: str,
    confidence: float, ocr: bool,
) -> list[TargetRecord]:
    """Targets of the indicator tables of one document."""
    tables = [h for h in headers if Column.INDICATOR in h.columns]
    if not tables:
        return []
    header_lines = {k for h in tables for k in range(h.start, h.end)}
    reader = _Reader(src, document, confidence * (0.7 if ocr else 1.0))
    if section := _section_above(src, tables[0].start, span.heading):
        reader.group(section=section)
    after_header = False
    for i in range(tables[0].start, span.end):
        raw = src.lines[i]
        if mask[i] or not raw.strip():
            continue
        after_header = i in header_lines or _is_header_fragment(raw.strip(), after_header)
        if after_header:
            continue
        folded = fold_chars(raw.strip()).lower()
        if APPENDIX_RE.match(folded) and i > tables[0].end:
            break
        if m := _SECTION.match(raw.strip()):
            reader.group(section=_section_label(m))
        elif m := _YEAR_GROUP.match(folded):
            reader.group(year=int(m.group(1)))
        elif not is_noise(raw) or _TOKEN.match(raw) and _CLEAN_NUMBER.match(raw.strip()):
            reader.line(_read_line(i, raw, ocr))
    reader.close()
    return reader.targets
