"""Task and indicator tables of the appendices (Phụ lục): headers, group headings, rows.

A table is found by its header ("TT / Nhiệm vụ / Cơ quan chủ trì / Cơ quan phối hợp /
Kết quả / Thời gian ..."), in whatever column order it has; the header repeated at page
breaks is recognised and skipped. Rows start at their number ("1.", "16.1", "61"), taken
in sequence so that numbers inside cells ("2030", "9001: 2008") are not mistaken for rows;
group headings ("I Kế hoạch thường xuyên hàng năm", "A. CÁC NỘI DUNG ...", "1. Nhóm nhiệm
vụ trọng tâm") above the rows become the rows' section path.

How a row's lines are split into cells depends on how the text was extracted: PDF text
lists each cell's lines one after the other (column by column, see :mod:`.cells`); OCR
text runs across the row, cell pieces side by side on each line (see :mod:`.ocr_rows`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import AgencyMention
from ..text import collapse_spaces, fold_chars
from .source import SourceText

__all__ = [
    "Column",
    "TableHeader",
    "RawRow",
    "TableRow",
    "GroupHeading",
    "APPENDIX_RE",
    "NUMBERED_GROUP_RE",
    "find_headers",
    "header_columns",
    "scan_rows",
    "ROW_START",
]


class Column:
    """Column kinds of the genre's tables."""

    NUMBER = "number"
    TITLE = "title"
    LEAD = "lead"
    SUPPORT = "support"
    RESPONSIBLE = "responsible"  # "Trách nhiệm thực hiện": first agency leads, the rest support
    OUTPUT = "output"
    ISSUER = "issuer"  # "Cơ quan ban hành"
    DEADLINE = "deadline"
    NOTE = "note"
    INDICATOR = "indicator"  # "Chỉ tiêu"
    MONITOR = "monitor"  # "Cơ quan chủ trì theo dõi, đánh giá"


# Header words per column kind, folded; OCR-tolerant where the genre's OCR garbles them.
_CONCEPTS: list[tuple[str, re.Pattern[str]]] = [
    (Column.MONITOR, re.compile(r"ch\S{0,2} tr\S{0,2}\s*(?:/\s*)?theo d\S{0,2}i|theo d\S{0,2}i,? (?:d|p)\S{0,2}nh gi")),
    (Column.RESPONSIBLE, re.compile(r"tr\S{0,2}ch nhi\S{0,3}m(?: th\S{0,2}c\s*hi\S{0,2}n)?")),
    (Column.LEAD, re.compile(r"(?:c\S{0,2} quan |d\S{0,2}n v\S{0,2} )?ch\S{0,2} tr\S{0,2}\b")),
    (Column.SUPPORT, re.compile(r"(?:c\S{0,2} quan )?ph\S{0,2}i h\S{0,3}p")),
    (Column.ISSUER, re.compile(r"c\S{0,2} quan ban h\S{0,2}nh")),
    (Column.OUTPUT, re.compile(r"s\S{0,2} v\S{0,2}n b\S{0,2}n ban h\S{0,2}nh|k\S{0,2}t qu\S{0,2}|s\S{0,2}n ph\S{0,2}m|c\S{0,2}p ban h\S{0,2}nh")),
    (Column.DEADLINE, re.compile(r"th\S{0,2}i gian|ti\S{0,2}n \S{0,2}\S{0,2}")),
    (Column.NOTE, re.compile(r"ghi ch\S{0,2}")),
    (Column.INDICATOR, re.compile(r"ch\S{0,2} ti\S{0,2}u")),
    (Column.TITLE, re.compile(r"(?:t\S{0,2}n )?nhi\S{0,3}m v\S{0,2}|n\S{0,2}i dung")),
]
_HEADER_START = re.compile(r"^\s*(?:s\S{0,2}\s*)?s?tt\b|^\s*s\S{0,2}\s*$")
_GENERIC_AGENCY = re.compile(r"\bc\S{0,2} quan\b")
ROW_START = re.compile(r"^\s*(?P<num>\d{1,3}(?:\.\d{1,2})?)(?:\s*[.)|]\s*|\s+(?=\S)|\s*$)(?P<rest>.*)$")
_ROMAN_GROUP = re.compile(r"^\s*(?P<num>[IVX]{1,5}|I[1l]{1,2}|[A-E])(?=\s|[.|]|$)\s*(?:[.|]\s*)?(?P<rest>(?:\S.*)?)$")
NUMBERED_GROUP_RE = re.compile(r"^\s*(?P<num>\d{1,2})\.\s+(?P<rest>nh\S{0,2}m\b.*|nhi\S{0,3}m v\S{0,2}\b.*)$")
APPENDIX_RE = re.compile(r"^\s*ph\S{0,2}\s?l\S{0,2}c\s*(?P<num>[ivx\d]{1,4})?\s*[.:]?\s*$")


@dataclass
class TableHeader:
    """A header block: its lines (0-based, end exclusive) and its column kinds in order."""

    start: int
    end: int
    columns: list[str]
    row_major: bool

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.columns)


@dataclass
class GroupHeading:
    """A heading above rows: "Phụ lục II", "A. ...", "I Kế hoạch ...", "1. Nhóm nhiệm vụ trọng tâm"."""

    level: int  # 0 appendix, 1 part (A/B or numbered group), 2 Roman group
    label: str
    line: int  # 1-based
    text: str = ""


@dataclass
class RawRow:
    """The lines of one numbered row, before its cells are read."""

    number: str
    line: int  # 1-based line of the number
    lines: list[int] = field(default_factory=list)  # 0-based indexes of the row's lines (number line first)
    first_rest: str = ""  # text after the number on its line
    section: list[GroupHeading] = field(default_factory=list)
    header: TableHeader | None = None
    roman: bool = False  # a Roman group line that itself carries agencies
    inferred: bool = False  # its number is not legible: the row was placed by layout and sequence
    confidence: float = 1.0  # how sure the reading of its cells is (cells cut by position, row placed by layout: lower)


@dataclass
class TableRow:
    """A row read into cells: column kind → text, and the 1-based lines of each cell."""

    raw: RawRow
    cells: dict[str, str]
    cell_lines: dict[str, list[int]]
    resolved: dict[str, list[AgencyMention]] = field(default_factory=dict)  # agencies a reader already matched


def header_columns(text: str) -> list[str]:
    """Column kinds named in a header text, in order of appearance.

    >>> header_columns("TT Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Cấp ban hành/sản phẩm Thời gian thực hiện Ghi chú")
    ['number', 'title', 'lead', 'support', 'output', 'deadline', 'note']
    >>> header_columns("Số TT Nhiệm vụ Số văn bản ban hành Cơ quan ban hành Trách nhiệm thực hiện Thời gian thực hiện Ghi chú")
    ['number', 'title', 'output', 'issuer', 'responsible', 'deadline', 'note']
    >>> header_columns("TT Tén nhiém vu Co quan Co quan Két qua Thoi gian chu tri/Theo phdi hop hoan thanh doi")
    ['number', 'title', 'lead', 'support', 'output', 'deadline']
    >>> header_columns("TT Chi tiêu Co quan chu tri theo doi, danh gia")
    ['number', 'indicator', 'monitor']
    """
    folded = collapse_spaces(fold_chars(text).lower())
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    if m := re.match(r"^\s*(?:s\S{0,2}\s*)?s?tt\b", folded):
        found.append((m.start(), Column.NUMBER))
        taken.append((m.start(), m.end()))
    for kind, regex in _CONCEPTS:
        for m in regex.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if kind in {c for _, c in found} and kind != Column.LEAD:
                continue
            found.append((m.start(), kind))
            taken.append((m.start(), m.end()))
    # an unqualified "Cơ quan" heads a column whose kind a later header line gives ("chủ trì", "phối hợp")
    generic = [m.start() for m in _GENERIC_AGENCY.finditer(folded) if not any(a <= m.start() < b for a, b in taken)]
    kinds = [k for _, k in sorted(found)]
    if generic:
        pending = [k for k in (Column.LEAD, Column.SUPPORT) if k in kinds]
        if len(pending) == len(generic):
            found = [(p, k) for p, k in found if k not in pending] + list(zip(generic, pending))
    order = []
    for _, kind in sorted(found):
        if kind not in order:
            order.append(kind)
    if Column.MONITOR in order and Column.INDICATOR not in order and Column.TITLE in order:
        order[order.index(Column.TITLE)] = Column.INDICATOR
    return order


def find_headers(src: SourceText, start: int, end: int) -> list[TableHeader]:
    """Header blocks between lines ``start`` and ``end`` (0-based)."""
    headers: list[TableHeader] = []
    i = start
    while i < end:
        folded = src.folded[i].strip().lower()
        if not _HEADER_START.match(folded):
            i += 1
            continue
        block: list[int] = []
        j = i
        while j < end and len(block) < 16:
            line = src.lines[j].strip()
            if not line:
                j += 1
                continue
            if block and (ROW_START.match(line) and _row_number_ok(line) or _ROMAN_GROUP.match(line)):
                break
            if len(line) > 110:
                break
            if block and len(line) > 45 and not any(r.search(src.folded[j].lower()) for _, r in _CONCEPTS):
                break  # a line of the table's first row, not of its header
            block.append(j)
            j += 1
        text = " ".join(src.lines[k] for k in block)
        columns = header_columns(text)
        if Column.NUMBER in columns and len(columns) >= 3:
            row_major = any(sum(1 for _, r in _CONCEPTS if r.search(src.folded[k].lower())) >= 3 for k in block)
            top = i
            if not row_major and len(_cells(src.folded[i].lower())) >= 4:
                # the header runs across the page but wraps: "STT Nhiệm vụ Cơ quan Cơ quan phối | Thời gian" /
                # "chủ trì hợp thực hiện" (every column name on the first line, or begun there)
                row_major = True
                block = [k for k in block if k == i or _continues_header(src.folded[k].lower())]
                if block[-1] > i and not _continues_header(src.folded[block[-1]].lower()):
                    block = block[:-1]
            if row_major and (above := _word_above(src, i, max(start, headers[-1].end if headers else start))) is not None:
                top = above  # "Thời gian" printed above the line of the other names ("... hoàn thành Sản phẩm")
            if row_major and (merged := _merged_columns(src, top, i, block)) and len(merged) > len(columns):
                columns = merged
            headers.append(TableHeader(top, block[-1] + 1, columns, row_major))
            i = block[-1] + 1
        else:
            i += 1
    return headers


_UNIT = re.compile(r"\bd\S{0,2}n v\S{0,2}\b")  # "Đơn vị" of "Đơn vị chủ trì", "Đơn vị phối hợp"
_AGENCY_COLUMNS = {Column.LEAD, Column.SUPPORT, Column.ISSUER, Column.MONITOR, Column.RESPONSIBLE}
_NAMES = [r for _, r in _CONCEPTS] + [_GENERIC_AGENCY, _UNIT]


def _spans(folded: str) -> list[tuple[int, int]]:
    """Where column names stand in a header line (folded): concepts, and "Cơ quan"/"Đơn vị" whose kind wraps."""
    spans: list[tuple[int, int]] = []
    if m := re.match(r"^\s*(?:s\S{0,2}\s*)?s?tt\b", folded):
        spans.append((m.start(), m.end()))
    for regex in _NAMES:
        for m in regex.finditer(folded):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def _cells(folded: str) -> list[str]:
    """A header line cut into column cells: each name opens a cell; words after a whole name ("hoàn thành"
    after "Đơn vị phối hợp") are a cell of their own, after a bare "Cơ quan" they are the rest of its name."""
    spans = _spans(folded)
    cells: list[list[str]] = []
    state = None  # the last cell: "name" (a whole name), "open" (a bare "Cơ quan"), "gap" (other words)
    for m in re.finditer(r"\||[^\s|]+", folded):
        if m.group() == "|":
            state = None
            continue
        span = next(((a, b) for a, b in spans if a == m.start()), None)
        if span is not None:
            generic = bool(_GENERIC_AGENCY.fullmatch(folded[span[0]:span[1]]) or _UNIT.fullmatch(folded[span[0]:span[1]]))
            agency = set(header_columns(folded[span[0]:span[1]])) <= _AGENCY_COLUMNS
            if state != "open" or generic or not agency:
                cells.append([])
            state = "open" if generic else "name"
        elif not any(a <= m.start() < b for a, b in spans) and state not in ("open", "gap") or not cells:
            cells.append([])
            state = "gap"
        cells[-1].append(m.group())
    return [" ".join(c) for c in cells if c and re.search(r"[a-z]", " ".join(c))]


def _continues_header(folded: str) -> bool:
    """A line whose every word continues a column name wrapped from the header line above
    ("chủ trì hợp thực hiện"), not a line of the first row."""
    words = re.findall(r"[a-z]+", folded)
    return bool(words) and all(w in _HEADER_TAILS for w in words)


_HEADER_TAILS = {"chu", "tri", "theo", "doi", "danh", "gia", "phoi", "hop", "thuc", "hien", "hoan", "thanh", "san",
                 "pham", "ket", "qua", "ban", "hanh", "gian", "thoi", "ghi", "chu", "nhiem", "vu", "quan", "co", "don",
                 "vi", "cap", "tien", "do", "noi", "dung", "ten", "cong", "viec", "ngay"}


def _word_above(src: SourceText, i: int, floor: int) -> int | None:
    """The line just above a header line that holds one column's name alone ("Thời gian"), printed higher
    because its cell wraps over more lines than the others."""
    k = i - 1
    while k >= floor and not src.lines[k].strip():
        k -= 1
    if k < floor or k < i - 2:
        return None
    folded = src.folded[k].strip().lower()
    return k if len(_spans(folded)) == 1 and _continues_header(folded) and header_columns(folded) else None


def _merged_columns(src: SourceText, top: int, first: int, block: list[int]) -> list[str] | None:
    """Column kinds of a header printed across the page over several lines: the words of the lines above and
    below the first line (the one with "STT") join its cells, in order, where they complete most names."""
    cells = _cells(src.folded[first].lower())
    above = [w for k in range(top, first) for w in src.folded[k].lower().split() if re.search(r"[a-z]", w)]
    below = [w for k in block if k > first for w in src.folded[k].lower().split() if re.search(r"[a-z]", w)]
    if not cells or len(above) > 4 or len(below) > 10:
        return None

    def splits(words: list[str], slots: int):
        """Every way to share ``words``, in order, among ``slots`` cells (each takes a run, maybe empty)."""
        if slots == 1:
            yield [words]
            return
        for cut in range(len(words) + 1):
            for rest in splits(words[cut:], slots - 1):
                yield [words[:cut], *rest]

    best: tuple[int, list[str]] | None = None
    for head in splits(above, len(cells)):
        for tail in splits(below, len(cells)):
            texts = [" ".join([*h, c, *t]) for h, c, t in zip(head, cells, tail)]
            kinds = [header_columns(t) for t in texts]
            named = sum(len(k) == 1 for k in kinds)
            if best is None or named > best[0]:
                best = (named, [k[0] for k in kinds if len(k) == 1])
    if best is None or best[0] < len(cells) - 1:
        return None
    order: list[str] = []
    for kind in best[1]:
        if kind not in order:
            order.append(kind)
    return order


def _row_number_ok(line: str) -> bool:
    m = ROW_START.match(line)
    return bool(m) and len(m.group("num").split(".")[0]) <= 3


def _next_numbers(last: str | None) -> set[str]:
    if last is None:
        return {"1", "1.1"}
    parts = last.split(".")
    major = int(parts[0])
    out = {str(major + 1), f"{major}.1", f"{major + 1}.1"}
    if len(parts) == 2:
        out.add(f"{major}.{int(parts[1]) + 1}")
    return out


def _group(line: str, folded: str, last_number: str | None) -> GroupHeading | None:
    text = line.strip()
    if m := APPENDIX_RE.match(folded.strip()):
        return GroupHeading(0, collapse_spaces(text), 0)
    if (m := re.match(r"^\s*(?P<num>[A-E])\.\s+(?P<rest>\S.*)$", text)) and m.group("rest")[:8].isupper():
        return GroupHeading(1, m.group("num"), 0, collapse_spaces(m.group("rest")))
    if m := NUMBERED_GROUP_RE.match(folded):
        return GroupHeading(1, m.group("num"), 0, collapse_spaces(text[m.start("rest"):]))
    if (m := _ROMAN_GROUP.match(text)) and (not m.group("rest") or m.group("rest")[:1].isupper() or m.group("rest")[:1] in "|"):
        num = m.group("num").replace("1", "I").replace("l", "I")
        if len(num) == 1 and num in "ABCDE" and not m.group("rest"):
            return None
        return GroupHeading(2, num, 0, collapse_spaces(m.group("rest").lstrip("| ")))
    return None


def scan_rows(
    src: SourceText, start: int, end: int, headers: list[TableHeader], mask: list[bool],
) -> tuple[list[RawRow], list[GroupHeading]]:
    """Numbered rows of the tables between ``start`` and ``end``, with their group headings.

    Lines of repeated headers and masked furniture are skipped; a row's lines run to the
    next row, group heading or appendix.
    """
    header_lines = {k for h in headers for k in range(h.start, h.end)}
    rows: list[RawRow] = []
    groups: list[GroupHeading] = []
    path: dict[int, GroupHeading] = {}
    current: RawRow | None = None
    header: TableHeader | None = None
    last_number: str | None = None
    pending_group: GroupHeading | None = None
    restart = True
    for i in range(start, end):
        if any(h.start == i for h in headers):
            header = next(h for h in headers if h.start == i)
        if i in header_lines or mask[i]:
            continue
        line = src.lines[i]
        if not line.strip():
            continue
        folded = src.folded[i].lower()
        m = ROW_START.match(line)
        number = m.group("num") if m else None
        allowed = _next_numbers(last_number) | ({"1"} if restart else set())
        if m and header is not None and number in allowed and not _looks_like_value(m):
            current = RawRow(number, i + 1, [i], m.group("rest").strip(), [path[k] for k in sorted(path)], header)
            rows.append(current)
            last_number = number
            pending_group = None
            restart = False
            continue
        group = _group(line, folded, last_number)
        if group is not None and (group.level < 2 or header is not None):
            group.line = i + 1
            groups.append(group)
            for level in [k for k in path if k >= group.level]:
                del path[level]
            path[group.level] = group
            restart = True
            current = None
            pending_group = group
            continue
        if pending_group is not None and current is None:
            pending_group.text = collapse_spaces(f"{pending_group.text} {line.strip()}")
            continue
        if current is not None:
            current.lines.append(i)
    return rows, groups


def _looks_like_value(m: re.Match[str]) -> bool:
    """A number that is a value, not a row number: "2030", "100%", "05/3/2014"."""
    rest = m.group("rest")
    return bool(re.match(r"^(?:%|/|\d|-\s*\d|năm\b)", rest.strip()))
