"""Tables of plain text, rebuilt from lines into tables of cells.

PDF text and OCR'd text have no table structure: PDF text prints a row's cells one after the
other (cells recovered by :mod:`~policykg.loaders.cells`), OCR'd text runs across the row (cut by
:mod:`~policykg.loaders.ocr_rows`). This module runs those line readers and hands the result on in
the document model every format shares: a :class:`~policykg.loaders.document.Table` whose first row
holds the column headers (named by the column kind the header's words gave), whose group headings
("Phụ lục 1", "A. …", "I …", "1. Nhóm nhiệm vụ …") are rows of ``row_header`` cells, and whose body
rows carry each cell's lines, the reading's confidence (cut by position: lower) and, where the line
reader had to recognise an agency to know where a cell ends, the agencies it recognised.
Indicator tables ("TT | Chỉ tiêu | Cơ quan chủ trì theo dõi, đánh giá") are given the same way.
"""

from __future__ import annotations

from ...errors import Issue
from ...records import TargetRecord
from ..document import Block, Cell, Table
from ..indicator_table import extract_indicator_tables
from ..layout import DocumentSpan, document_spans
from ..ocr_rows import read_row_major
from ..source import SourceText
from ..table_tasks import read_column_major
from ..tables import Column, GroupHeading, TableHeader, TableRow, find_headers, scan_rows

__all__ = ["text_tables", "COLUMN_LABELS"]

# The header text a column of each kind is shown with; reading it back gives the same kind.
COLUMN_LABELS = {
    Column.NUMBER: "TT", Column.TITLE: "Nhiệm vụ", Column.LEAD: "Cơ quan chủ trì", Column.SUPPORT: "Cơ quan phối hợp",
    Column.RESPONSIBLE: "Trách nhiệm thực hiện", Column.OUTPUT: "Kết quả", Column.ISSUER: "Cơ quan ban hành",
    Column.DEADLINE: "Thời gian", Column.NOTE: "Ghi chú", Column.INDICATOR: "Chỉ tiêu",
    Column.MONITOR: "Cơ quan chủ trì theo dõi, đánh giá",
}
_ROW_MAJOR_CONFIDENCE = 0.6  # cells cut by position on OCR'd lines
_PLACED_CONFIDENCE = 0.7  # a row whose number is not legible, placed by layout (W304)


class _Grid:
    """Rows of cells being laid out for one table."""

    def __init__(self, columns: list[str], header: TableHeader):
        self.columns = columns
        self.cells: list[Cell] = [Cell(0, c, COLUMN_LABELS[k], kind="column_header", line_start=header.start + 1,
                                       line_end=header.end) for c, k in enumerate(columns)]
        self.rows = 1
        self.path: list[GroupHeading] = []

    def group(self, group: GroupHeading) -> None:
        label = Cell(self.rows, 0, group.label, kind="row_header", line_start=group.line, line_end=group.line,
                     level=group.level)
        text = Cell(self.rows, 1, group.text, kind="row_header", line_start=group.line, line_end=group.line,
                    col_span=max(1, len(self.columns) - 1))
        self.cells += [label, text]
        self.rows += 1

    def enter(self, path: list[GroupHeading]) -> None:
        """Group rows for the headings of ``path`` that the rows so far were not under."""
        keep = 0
        while keep < min(len(path), len(self.path)) and path[keep] is self.path[keep]:
            keep += 1
        for group in path[keep:]:
            self.group(group)
        self.path = list(path)

    def body(self, values: dict[str, tuple[str, list[int], list | None]], number: str, line: int, confidence: float) -> None:
        for c, kind in enumerate(self.columns):
            if kind == Column.NUMBER:
                self.cells.append(Cell(self.rows, c, number, line_start=line, line_end=line, confidence=confidence))
                continue
            text, lines, agencies = values.get(kind, ("", [], None))
            self.cells.append(Cell(self.rows, c, text, line_start=min(lines) if lines else 0,
                                   line_end=max(lines) if lines else 0, confidence=confidence, agencies=agencies))
        self.rows += 1

    def block(self) -> Block:
        lines = [c.line_start for c in self.cells if c.line_start] + [c.line_end for c in self.cells if c.line_end]
        return Block("table", "", min(lines), max(lines), table=Table(self.cells), confidence=min(
            (c.confidence for c in self.cells), default=1.0))


def _columns(header: TableHeader) -> list[str]:
    columns = list(header.columns)
    return columns if Column.NUMBER in columns else [Column.NUMBER, *columns]


def _task_grids(rows: list[TableRow], groups: list[GroupHeading]) -> list[Block]:
    grids: dict[tuple[str, ...], _Grid] = {}
    for row in sorted(rows, key=lambda r: r.raw.line):
        assert row.raw.header is not None
        key = tuple(_columns(row.raw.header))
        grid = grids.get(key)
        if grid is None:
            grid = grids[key] = _Grid(list(key), row.raw.header)
        grid.enter(row.raw.section)
        confidence = (_ROW_MAJOR_CONFIDENCE if row.raw.header.row_major else 1.0) * (_PLACED_CONFIDENCE if row.raw.inferred else 1.0)
        values = {k: (text, row.cell_lines.get(k, []), row.resolved.get(k)) for k, text in row.cells.items()}
        grid.body(values, row.raw.number, row.raw.line, confidence)
    return [g.block() for g in grids.values()]


def _indicator_grid(targets: list[TargetRecord], header: TableHeader, ocr: bool) -> Block | None:
    if not targets:
        return None
    columns = [Column.NUMBER, Column.INDICATOR, Column.MONITOR]
    grid = _Grid(columns, header)
    confidence = 0.7 if ocr else 1.0
    groups: dict[str, GroupHeading] = {}
    for target in targets:
        path = []
        for label in target.section:
            if label not in groups:
                head, _, rest = label.partition(". ")
                roman = head.isupper() and head.isalpha() and len(head) <= 5 and rest
                groups[label] = GroupHeading(len(path) + 1, head if roman else "", target.provenance.line_start,
                                             rest if roman else label)
            path.append(groups[label])
        grid.enter(path)
        lines = list(range(target.provenance.line_start, target.provenance.line_end + 1))
        grid.body({Column.INDICATOR: (target.text, lines, None),
                   Column.MONITOR: (", ".join(m.text for m in target.monitor), lines, list(target.monitor))},
                  target.number, target.provenance.line_start, confidence)
    return grid.block()


def _span_tables(src: SourceText, span: DocumentSpan, mask: list[bool], ocr: bool) -> tuple[list[Block], list[Issue]]:
    headers = find_headers(src, span.heading + 1, span.end)
    if not headers:
        return [], []
    blocks: list[Block] = []
    indicator_headers = [h for h in headers if Column.INDICATOR in h.columns]
    if indicator_headers:
        targets = extract_indicator_tables(src, span, mask, headers, "", 1.0, ocr)
        if (block := _indicator_grid(targets, indicator_headers[0], ocr)) is not None:
            blocks.append(block)
    rows, groups = scan_rows(src, min(span.body_end, headers[0].start), span.end, headers, mask)
    column_major = [r for r in rows if r.header is not None and Column.INDICATOR not in r.header.columns
                    and not r.header.row_major]
    table_rows = read_column_major(src, column_major)
    issues: list[Issue] = []
    task_headers = [h for h in headers if h.row_major and Column.INDICATOR not in h.columns]
    if task_headers:
        more, issues = read_row_major(src, span.body_end, span.end, task_headers, mask)
        table_rows += more
    return blocks + _task_grids(table_rows, groups), issues


def text_tables(src: SourceText, mask: list[bool], ocr: bool) -> tuple[list[Block], list[Issue]]:
    """The task and indicator tables of plain text, as table blocks, and what their reading could not do (W303, W304)."""
    blocks: list[Block] = []
    issues: list[Issue] = []
    for span in document_spans(src, mask):
        more, problems = _span_tables(src, span, mask, ocr)
        blocks += more
        issues += problems
    return blocks, issues
