"""Task and indicator tables read from cells: the tables of Markdown and HTML pages (and any
reader that gives a table's cells).

The header row is found by its words ("TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
Thời gian hoàn thành | Kết quả/Sản phẩm", in any order and wording); a second header row under
a spanning "Cơ quan thực hiện" gives the kinds of the columns it spans; a header cell that spans
the number and task columns is told by the body rows, whose first cell is a number. Body rows are
then:

- **group rows**: a Roman number (I, II) or a letter (A, B) with a title, or a single spanning
  cell: they start a group of the section path, and row numbers restart under each;
- **sub-group rows**: a number and a title with no agency, deadline or output cell;
- **task rows**: one task each; a row whose number cell is missing (a cell spanning rows in
  the page) continues the task above: it takes the cells it lacks from that row;
- header rows repeated at page breaks and column-number rows ("(1) | (2) | ...") are skipped.

>>> from policykg.loaders.document import Cell, Table, Block
>>> rows = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
...         ["I", "Hoàn thiện thể chế"],
...         ["1", "Rà soát văn bản", "Sở Tư pháp", "Các sở, ngành", "Quý IV/2025"],
...         ["II", "Hạ tầng số"],
...         ["1", "Xây dựng trung tâm dữ liệu", "Sở Khoa học và Công nghệ", "Sở Tài chính", "2026"]]
>>> table = Table([Cell(r, c, t, line_start=10 * r + c, line_end=10 * r + c) for r, row in enumerate(rows) for c, t in enumerate(row)])
>>> from policykg.loaders.context import ExtractContext
>>> tasks, issues, groups = cell_table_tasks([Block("table", "", 0, 44, table=table)], context=ExtractContext("d0", "a.md"))
>>> [(t.section, t.number, t.title, [m.name for m in t.lead], t.deadline.due) for t in tasks]
[(['I. Hoàn thiện thể chế'], '1', 'Rà soát văn bản', ['Sở Tư pháp'], '2025-12-31'), (['II. Hạ tầng số'], '1', 'Xây dựng trung tâm dữ liệu', ['Sở Khoa học và Công nghệ'], '2026-12-31')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Issue
from ..records import Provenance, TargetRecord, TaskRecord
from ..text import collapse_spaces, fold_chars
from .context import ExtractContext
from .document import Block, Cell, Table
from .table_tasks import cell_agencies, row_issues, section_labels
from .tables import APPENDIX_RE, Column, GroupHeading, RawRow, TableHeader, TableRow, header_columns

__all__ = ["TableLayout", "table_layout", "cell_tables", "cell_table_tasks", "cell_targets"]

_AGENCY_COLUMNS = {Column.LEAD, Column.SUPPORT, Column.RESPONSIBLE, Column.MONITOR}
_FILLED_COLUMNS = _AGENCY_COLUMNS | {Column.DEADLINE, Column.OUTPUT}
_NUMBER = re.compile(r"^\s*(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})\s*[.)]?\s*$")
_ROMAN = re.compile(r"^\s*(?P<num>[IVXL]{1,6})\s*[.)]?\s*$")
_LETTER = re.compile(r"^\s*(?P<num>[A-HĐ])\s*[.)]?\s*$")
_COLUMN_NUMBERS = re.compile(r"^\s*\(?\s*(?:\d{1,2}|[a-z])\s*\)?\s*$")
_EXECUTING = re.compile(r"^(?:c\S{0,2} quan|\S{0,2}\S?n v\S{0,2})(?: th\S{0,2}c hi\S{0,2}n)?\s*$|th\S{0,2}c hi\S{0,2}n$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_GROUP = re.compile(r"^\s*(?:\S{0,4}\s)?(?:[dđp]\S{0,2}n\s?(?:h\S{0,2}t\s?)?)?n\S{0,3}m\s?(?:19|20)\d\d\s*$")
_MARKER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVXL]{1,6}|[A-HĐ])\s*[.)]?\s*$")


def _cell_kind(text: str) -> str | None:
    folded = collapse_spaces(fold_chars(text).lower())
    if not folded:
        return None
    if _EXECUTING.search(folded) and "chu tri" not in folded and "phoi hop" not in folded:
        return Column.RESPONSIBLE
    kinds = header_columns(text)
    return kinds[0] if kinds else None


@dataclass
class TableLayout:
    """Where a table's header ends and the kind of each of its columns (None: a column of no use here)."""

    header_rows: int
    columns: list[str | None]

    @property
    def is_task_table(self) -> bool:
        return Column.TITLE in self.columns and bool(_AGENCY_COLUMNS & set(self.columns))

    @property
    def is_indicator_table(self) -> bool:
        return Column.INDICATOR in self.columns and bool(_AGENCY_COLUMNS & set(self.columns))


def _header_row(rows: list[list[Cell]]) -> int | None:
    for r, row in enumerate(rows[:4]):
        kinds = [k for k in (_cell_kind(c.text) for c in row) if k]
        if (Column.TITLE in kinds or Column.INDICATOR in kinds) and len(set(kinds)) >= 2:
            return r
    return None


def _sub_header(row: list[Cell]) -> list[str] | None:
    kinds = [_cell_kind(c.text) for c in row if c.text]
    if kinds and all(k in _AGENCY_COLUMNS | {Column.DEADLINE, Column.OUTPUT} for k in kinds):
        return [k for k in kinds if k]
    return None


def table_layout(table: Table) -> TableLayout | None:
    """The header and column kinds of a task or indicator table; None for any other table."""
    rows = table.rows()
    h = _header_row(rows)
    if h is None:
        return None
    spanned = any(c.col_span > 1 or c.row_span > 1 for c in table.cells)
    header = rows[h]
    sub = _sub_header(rows[h + 1]) if h + 1 < len(rows) else None
    if spanned:
        grid = table.grid()
        columns: list[str | None] = []
        for c in range(table.n_cols):
            kinds = [_cell_kind(grid[r][c].text) for r in range(h, h + (2 if sub else 1)) if grid[r][c] is not None]
            kinds = [k for k in kinds if k]
            columns.append(kinds[-1] if kinds else None)
    else:
        columns = [_cell_kind(c.text) for c in header]
        if sub:
            generic = next((k for k, kind in enumerate(columns) if kind in {Column.RESPONSIBLE, None} and k > 0), None)
            if generic is not None:
                columns[generic:generic + 1] = sub
    if sub:
        if Column.SUPPORT in columns:
            columns = [Column.LEAD if k == Column.RESPONSIBLE else k for k in columns]
    elif Column.SUPPORT in columns and Column.RESPONSIBLE in columns and Column.LEAD not in columns:
        columns = [Column.LEAD if k == Column.RESPONSIBLE else k for k in columns]
    layout = TableLayout(h + (2 if sub else 1), columns)
    body = rows[layout.header_rows:]
    numbered = [row for row in body if row and _NUMBER.match(row[0].text)]
    if columns and columns[0] != Column.NUMBER and numbered:
        wider = sum(1 for row in numbered if len(row) > len(columns))
        if spanned and len(columns) > 1 and columns[0] == columns[1]:
            columns[0] = Column.NUMBER
        elif wider * 2 >= len(numbered):
            columns.insert(0, Column.NUMBER)
    if Column.MONITOR in columns and Column.TITLE in columns and Column.INDICATOR not in columns:
        columns[columns.index(Column.TITLE)] = Column.INDICATOR
    return layout


def _values(row: list[Cell], table: Table, layout: TableLayout, grid: list[list[Cell | None]] | None,
            r: int) -> dict[str, Cell]:
    """The cell of each column kind in row ``r`` (empty cells too: a column the row leaves blank)."""
    out: dict[str, Cell] = {}
    if grid is not None:
        for c, kind in enumerate(layout.columns[:table.n_cols]):
            cell = grid[r][c] if c < len(grid[r]) else None
            if kind and cell is not None and kind not in out and (not cell.text or cell not in out.values()):
                out[kind] = cell
        return out
    for cell, kind in zip(row, layout.columns):
        if kind and kind not in out:
            out[kind] = cell
    return out


def _continuation(row: list[Cell], layout: TableLayout) -> dict[str, Cell]:
    """A short row with no number: its cells fill the task's own columns in order (title first)."""
    order = [k for k in layout.columns if k and k != Column.NUMBER]
    out: dict[str, Cell] = {}
    cells = [c for c in row if c.text]
    if cells and len(cells[0].text) < 60 and cell_agencies(cells[0].text)[0]:
        order = [k for k in order if k != Column.TITLE]
    for cell, kind in zip(cells, order):
        out[kind] = cell
    return out


def _is_header_again(row: list[Cell]) -> bool:
    """A header repeated at a page break, or the row of column numbers under a header ("(1) | (2) | ...")."""
    if any(c.kind == "column_header" for c in row):
        return True
    texts = [c.text for c in row if c.text]
    if texts and all(_COLUMN_NUMBERS.match(t) for t in texts):
        return True
    kinds = [_cell_kind(t) for t in texts]
    return len(texts) >= 3 and sum(1 for k in kinds if k) >= len(texts) - 1


def _line_span(cells: list[Cell]) -> tuple[int, int]:
    lines = [c.line_start for c in cells if c.text] + [c.line_end for c in cells if c.text]
    return (min(lines), max(lines)) if lines else (0, 0)


def _label_type(label: str, text: str) -> str:
    if _ROMAN.match(label):
        return "roman"
    if _LETTER.match(label):
        return "letter"
    if _NUMBER.match(label):
        return "number"
    return "year" if _YEAR_GROUP.match(fold_chars(text).lower()) else "text"


class _Path:
    """The groups a row is under. Appendices are outermost; the other kinds of group heading (Roman,
    letter, number, year, plain text) nest in the order the table first uses them."""

    def __init__(self, appendix: GroupHeading | None):
        self.levels: dict[str, int] = {}
        self.path: dict[int, GroupHeading] = {0: appendix} if appendix else {}

    def enter(self, label: str, text: str, line: int, level: int | None = None) -> GroupHeading:
        if level is not None:
            pass
        elif APPENDIX_RE.match(fold_chars(label).lower().strip()):
            level = 0
        else:
            level = self.levels.setdefault(_label_type(label, text), len(self.levels) + 1)
        group = GroupHeading(level, label, line, text)
        for k in [k for k in self.path if k >= level]:
            del self.path[k]
        self.path[level] = group
        return group

    def groups(self) -> list[GroupHeading]:
        return [self.path[k] for k in sorted(self.path)]


def _group_row(row: list[Cell], values: dict[str, Cell], number: str, first: str, texts: list[str],
               previous: TableRow | None) -> tuple[str, str, int | None] | None:
    """(label, text, level) when the row heads a group: cells the reader marked as row headers; a Roman number
    or a letter with a title; a single spanning cell; a bold number and title with no agency, deadline or output."""
    if all(c.kind == "row_header" for c in row if c.text) and any(c.kind == "row_header" for c in row):
        heads = [c for c in row if c.kind == "row_header"]
        return heads[0].text, collapse_spaces(" ".join(c.text for c in heads[1:])), heads[0].level
    filled = [k for k, v in values.items() if k in _FILLED_COLUMNS and v.text]
    if m := (_ROMAN.match(number or first) or _LETTER.match(number or first)):
        if not filled or len(texts) <= 2:
            return m.group("num"), collapse_spaces(" ".join(texts[1:])), None
        return None
    if len(texts) == 1 and not _NUMBER.match(texts[0]) and (previous is None or len(texts[0]) < 250):
        return "", texts[0], None
    bold = row[0].bold or (len(row) > 1 and row[1].bold)
    if (m := _NUMBER.match(number or first)) and not filled and len(texts) <= 2 and bold:
        return m.group("num"), collapse_spaces(" ".join(texts[1:])), None
    return None


@dataclass
class _Reading:
    rows: list[TableRow]
    groups: list[GroupHeading]
    layout: TableLayout


def _read(block: Block, appendix: GroupHeading | None) -> _Reading | None:
    table = block.table
    if table is None or (layout := table_layout(table)) is None:
        return None
    rows = table.rows()
    spanned = any(c.col_span > 1 or c.row_span > 1 for c in table.cells if c.kind != "row_header")
    grid = table.grid() if spanned else None
    header = TableHeader(block.line_start - 1, block.line_start, [k or Column.NOTE for k in layout.columns], False)
    path = _Path(appendix)
    groups: list[GroupHeading] = []
    out: list[TableRow] = []
    previous: TableRow | None = None
    continued = 0
    for r in range(layout.header_rows, len(rows)):
        row = rows[r]
        texts = [c.text for c in row if c.text]
        if not texts or _is_header_again(row):
            continue
        first = row[0].text if row else ""
        short = grid is None and len(row) < len(layout.columns) and not _MARKER.match(first) \
            and not any(c.kind == "row_header" for c in row)
        values = _continuation(row, layout) if short else _values(row, table, layout, grid, r)
        number_cell = values.get(Column.NUMBER)
        number = number_cell.text.strip() if number_cell is not None else ""
        if grid is not None and number_cell is not None and number_cell.row != r:
            number = ""  # a number spanning rows belongs to the row where it starts
        if (heading := _group_row(row, values, number, first, texts, previous)) is not None:
            label, text, level = heading
            groups.append(path.enter(label, text, row[0].line_start, level))
            previous = None
            continue
        if not number and previous is not None and not _NUMBER.match(first):
            values = values if short else _continuation(row, layout)
            continued += 1
            number = f"{previous.raw.number}{'abcdefghijklmnopqrstuvwxyz'[min(continued, 25)]}"
            inherited, inherited_lines = dict(previous.cells), dict(previous.cell_lines)
        else:
            continued = 0
            inherited, inherited_lines = {}, {}
            if not number:
                number = _NUMBER.match(first).group("num") if _NUMBER.match(first) else str(len(out) + 1)
        number = number.rstrip(".)")
        own = {k: v for k, v in values.items() if k != Column.NUMBER}
        cells = {**inherited, **{k: v.text for k, v in own.items() if v.text or k not in inherited}}
        cell_lines = {**inherited_lines, **{k: list(range(v.line_start, v.line_end + 1)) if v.text else []
                                            for k, v in own.items() if v.text or k not in inherited}}
        if Column.TITLE in inherited and Column.TITLE not in own:
            cells.pop(Column.TITLE)
        resolved = {k: list(v.agencies) for k, v in own.items() if v.agencies is not None}
        line = number_cell.line_start if number_cell is not None and number_cell.text else _line_span(row)[0]
        confidence = min((c.confidence for c in row), default=1.0)
        raw = RawRow(number, line, [], "", path.groups(), header, confidence=confidence)
        table_row = TableRow(raw, cells, cell_lines, resolved)
        out.append(table_row)
        if continued == 0:
            previous = table_row
    return _Reading(out, groups, layout)


def _appendix_before(blocks: list[Block], table: Block) -> GroupHeading | None:
    label = None
    for block in blocks:
        if block.line_start >= table.line_start:
            break
        if block.kind != "table" and APPENDIX_RE.match(fold_chars(block.text).lower().strip()):
            label = GroupHeading(0, collapse_spaces(block.text).title() if block.text.isupper() else block.text,
                                 block.line_start)
    return label


def _readings(blocks: list[Block]) -> list[_Reading]:
    out = []
    for block in blocks:
        if block.kind != "table":
            continue
        reading = _read(block, _appendix_before(blocks, block))
        if reading is not None:
            out.append(reading)
    return out


def cell_table_tasks(blocks: list[Block], *, context: ExtractContext) -> tuple[list[TaskRecord], list[Issue], list[GroupHeading]]:
    """Tasks of the task tables among ``blocks`` (a document's blocks), the problems met, and the group rows."""
    return _tasks(_readings(blocks), context)


def cell_tables(
    blocks: list[Block], *, context: ExtractContext,
) -> tuple[list[TaskRecord], list[Issue], list[GroupHeading], list[TargetRecord]]:
    """Tasks, problems and group rows of the task tables, and the indicators of the indicator tables, among
    ``blocks``: each table is read once."""
    readings = _readings(blocks)
    return (*_tasks(readings, context), _targets(readings, context))


def _tasks(readings: list[_Reading], context: ExtractContext) -> tuple[list[TaskRecord], list[Issue], list[GroupHeading]]:
    tasks: list[TaskRecord] = []
    issues: list[Issue] = []
    groups: list[GroupHeading] = []
    for reading in readings:
        if not reading.layout.is_task_table or reading.layout.is_indicator_table:
            continue
        groups += reading.groups
        for row in reading.rows:
            if not row.cells.get(Column.TITLE) and not any(row.cells.get(k) for k in _AGENCY_COLUMNS):
                continue
            task, problems = row_issues(row, context.document, context.file, context.confidence, context.ocr)
            tasks.append(task)
            issues += problems
    return tasks, issues, groups


def _year_and_area(groups: list[GroupHeading], text: str) -> tuple[int | None, str | None]:
    """An indicator's year: that of the innermost group that names one ("Đến hết năm 2025"), else one in its
    text; its area: the innermost group that is neither numbered nor a year."""
    year = area = None
    for group in reversed(groups):
        if year is None and (m := _YEAR.search(group.text)) and _YEAR_GROUP.match(fold_chars(group.text).lower()):
            year = int(m.group(0))
        if area is None and year is None and group.level and not group.label:
            area = group.text
    if year is None and (m := _YEAR.search(" ".join([*(g.text for g in groups), text]))):
        year = int(m.group(0))
    return year, area


def cell_targets(blocks: list[Block], *, context: ExtractContext) -> list[TargetRecord]:
    """Indicators of the indicator tables among ``blocks`` ("Chỉ tiêu | Cơ quan chủ trì theo dõi"), with their monitors."""
    return _targets(_readings(blocks), context)


def _targets(readings: list[_Reading], context: ExtractContext) -> list[TargetRecord]:
    targets: list[TargetRecord] = []
    for reading in readings:
        if not reading.layout.is_indicator_table:
            continue
        for row in reading.rows:
            text = row.cells.get(Column.INDICATOR)
            if not text:
                continue
            monitor = []
            for kind in (Column.MONITOR, Column.LEAD, Column.RESPONSIBLE):
                if kind in row.resolved:
                    monitor += row.resolved[kind]
                elif row.cells.get(kind):
                    monitor += cell_agencies(row.cells[kind], row.raw.line, context.ocr)[0]
            year, area = _year_and_area(row.raw.section, text)
            lines = [n for ls in row.cell_lines.values() for n in ls] or [row.raw.line]
            targets.append(TargetRecord(
                document=context.document, section=section_labels(row.raw.section), number=row.raw.number, text=text,
                provenance=Provenance(context.file, min(lines), max(lines), "table", context.confidence * row.raw.confidence),
                year=year, area=area, monitor=monitor,
            ))
    return targets
