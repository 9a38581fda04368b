"""Task lists kept as spreadsheets: Excel workbooks (.xlsx, with openpyxl) and CSV files.

Each sheet becomes its *title rows* — the rows above the table's header ("UBND TỈNH BẮC NINH",
"DANH MỤC NHIỆM VỤ ... (Kèm theo Kế hoạch số 12/KH-UBND ngày 05/3/2025 ...)"), one heading or
paragraph block each — and one table block whose header row (found by its words: "Nhiệm vụ",
"Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm", in any order) is the
column header. Merged cells of a workbook are cell spans. Values are read, never formulas: a
workbook gives the values Excel last computed (``data_only``), dates are written "dd/mm/yyyy".

A task list is the tasks of a document. When a title row names the document — its kind and number,
and its date and issuer when given ("Kèm theo Kế hoạch số 12/KH-UBND ngày 05/3/2025 của UBND tỉnh
Bắc Ninh") — the row is read as that document's head ("UBND TỈNH BẮC NINH" / "Số: 12/KH-UBND ngày
05/3/2025" / "KẾ HOẠCH"), so genre extraction reads the sheet as the document with its tasks. When
no title row names it, ``read_document(path, head=...)`` (``policykg build --document``) gives the
name (:func:`with_head`).

Lines: a sheet row is a line, numbered as the spreadsheet numbers it (the rows of a second sheet
follow those of the first); ``TextLine.page`` is the sheet's number. A CSV record is a line
numbered by the file line where it starts.

>>> lines = name_lines("Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND tỉnh Bắc Ninh về chuyển đổi số")
>>> lines
['UBND TỈNH BẮC NINH', 'Số: 12/KH-UBND ngày 05/3/2025', 'KẾ HOẠCH', 'Về chuyển đổi số']
>>> name_lines("Danh mục nhiệm vụ năm 2025") is None
True
>>> doc = read_csv("TT,Nhiệm vụ,Cơ quan chủ trì\\n1,Xây dựng đề án,Sở Y tế\\n".encode(), "a.csv")
>>> [(c.row, c.col, c.kind, c.text, c.line_start) for c in doc.blocks[0].table.cells][:4]
[(0, 0, 'column_header', 'TT', 1), (0, 1, 'column_header', 'Nhiệm vụ', 1), (0, 2, 'column_header', 'Cơ quan chủ trì', 1), (1, 0, 'body', '1', 2)]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from ...errors import Errors, InputError
from ...text import collapse_spaces, fold_chars, repair
from ..document import Block, Cell, Document, TextLine
from ..layout import KIND_HEADINGS, kind_heading
from ..nlp import DATE_RE, DOCNUM_RE, parse_date
from ..source import decode
from ..tables import Column, header_columns
from .base import register_reader
from .blocks import table_block, text_block

__all__ = ["read_xlsx", "read_csv", "name_lines", "names_document", "with_head"]

_HEADER_SEARCH = 30  # rows of a sheet where its header is looked for
_KIND_RE = re.compile(r"\b(?:" + "|".join(sorted((re.escape(k) for k in KIND_HEADINGS), key=len, reverse=True)) + r")\b")
_KIND_CODES = {"Kế hoạch": "KH", "Quyết định": "QĐ", "Nghị quyết": "NQ", "Chỉ thị": "CT", "Chương trình": "CTR"}
_NUMBER_AFTER = re.compile(r"^\s*(?:s\S{0,2}\s*:?\s*)?(?=\d)")
_ISSUER = re.compile(r"\bcua\s+(?P<issuer>.+?)\s*(?=\bve\s|\bv/v\b|[,;()]|$)")
_ORGANISATION = re.compile(r"^\s*(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|tinh uy|ban thuong vu|thanh uy)\b")
_TITLE = re.compile(r"(?:^|\s)(?:ve|v/v)\s+(?P<title>.+?)\s*\)?\s*$")


@dataclass
class _Value:
    text: str
    bold: bool = False
    row_span: int = 1
    col_span: int = 1


# --- naming the document -----------------------------------------------------------------------

def name_lines(text: str, *, need_number: bool = False) -> list[str] | None:
    """The head lines of the document a one-line name gives ("Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND
    tỉnh Bắc Ninh về ..."): issuer in capitals, "Số: ... ngày ...", the kind heading, the title; None when it
    names no kind (or, with ``need_number``, no number right after the kind, of the kind's code)."""
    text = collapse_spaces(repair(text))
    folded = fold_chars(text)  # same length as the text: offsets carry over
    for m in _KIND_RE.finditer(folded):
        kind = KIND_HEADINGS[m.group(0)]
        rest, rest_folded = text[m.end():], folded[m.end():]
        number = None
        if (after := _NUMBER_AFTER.match(rest_folded)) and (num := DOCNUM_RE.match(rest, after.end())):
            number = re.sub(r"\s+", "", num.group(0))
            code = _KIND_CODES.get(kind)
            if code and fold_chars(num.group("type") or "").upper() != fold_chars(code).upper():
                number = None
        if need_number and number is None:
            continue
        lines: list[str] = []
        if issuer := _ISSUER.search(rest_folded):
            lines.append(rest[issuer.start("issuer"):issuer.end("issuer")].upper())
        date = DATE_RE.search(rest_folded)
        dated = f" ngày {rest[date.start():date.end()].split(maxsplit=1)[1]}" if date and parse_date(date) else ""
        if number or dated:
            lines.append(f"Số: {number or ''}{dated}".replace(":  ", ": "))
        lines.append(kind.upper())
        if title := _TITLE.search(rest_folded):
            words = rest[title.start("title"):title.end("title")].strip(" .)")
            lines.append(("Về " + words) if words else "")
        return [line for line in lines if line]
    return None


def names_document(doc: Document) -> bool:
    """True when a block of ``doc`` is a kind heading ("KẾ HOẠCH"): the file names its document itself."""
    return any(b.kind in {"heading", "paragraph"} and kind_heading(b.text) for b in doc.blocks)


def _head_blocks(lines: list[str], line: int, page: int | None = None) -> tuple[list[Block], list[TextLine]]:
    blocks = []
    for text in lines:
        block = text_block([(text, line)], bold=bool(kind_heading(text)))
        if kind_heading(text):
            block.kind = "heading"
        blocks.append(block)
    return blocks, [TextLine(t, line, page) for t in lines] + [TextLine("", line, page)]


def with_head(doc: Document, name: str) -> Document:
    """``doc`` with the head of the document ``name`` names put at its top (numbered line 0: not in the file),
    when the file names no document itself; :class:`InputError` when ``name`` names no kind of document."""
    lines = name_lines(name)
    if lines is None:
        raise InputError(Errors.E105.format(
            file=doc.file, detail=f"--document {name!r} names no kind of document (Kế hoạch, Quyết định, ...)"))
    if names_document(doc):
        return doc
    blocks, text_lines = _head_blocks(lines, 0)
    if not lines[-1].startswith("Về ") and doc.blocks and doc.blocks[0].kind == "table":
        # no title anywhere: a line that ends the head, so that the table's cells are not read as the title
        text_lines.insert(-1, TextLine(f"({doc.file})", 0))
    doc.blocks[:0] = blocks
    doc.lines[:0] = text_lines
    return doc


# --- a sheet into blocks -----------------------------------------------------------------------

def _header_row(rows: list[list[_Value | None]]) -> int | None:
    for r, row in enumerate(rows[:_HEADER_SEARCH]):
        kinds = [k[0] for v in row if v is not None and v.text and len(v.text) < 80 and (k := header_columns(v.text))]
        if Column.TITLE in kinds and len(set(kinds)) >= 2:
            return r
    return None


def _row_text(row: list[_Value | None]) -> tuple[str, bool]:
    texts = [v for v in row if v is not None and v.text]
    return collapse_spaces(" ".join(dict.fromkeys(v.text for v in texts))), bool(texts) and all(v.bold for v in texts)


def _title_rows(doc: Document, rows: list[tuple[int, str, bool]], page: int | None) -> None:
    """Add the title rows of a sheet: as they are, or — when one names the document and none is a kind heading
    of its own — with that row read as the document's head, the rows that are neither an organisation nor the
    motto being its title."""
    rows = [row for row in rows if row[1]]
    own = any(kind_heading(text) for _, text, _ in rows)
    named = None if own else next(((k, head) for k, (_, text, _) in enumerate(rows)
                                   if (head := name_lines(text, need_number=True))), None)
    titles: list[str] = []
    for k, (line, text, bold) in enumerate(rows):
        block = text_block([(text, line)], bold=bold)
        if named is not None and k != named[0] and block.kind != "furniture" and not _ORGANISATION.match(fold_chars(text)):
            titles.append(text)
            continue
        if named is not None and k == named[0]:
            continue
        doc.blocks.append(block)
        doc.lines.append(TextLine(text, line, page))
    if named is not None:
        head = named[1] + ([] if named[1][-1].startswith("Về ") or not titles else [" ".join(titles)])
        blocks, lines = _head_blocks(head, rows[named[0]][0], page)
        doc.blocks.extend(blocks)
        doc.lines.extend(lines)


def _sheet(doc: Document, rows: list[list[_Value | None]], numbers: list[int], page: int | None,
           check_width: bool = False) -> None:
    """Add a sheet's title rows and table to ``doc``; ``rows[r][c]`` is the value starting at (r, c), None where
    a merged cell covers the position; ``numbers[r]`` the line of row r."""
    while rows and not any(v is not None and v.text for v in rows[-1]):
        rows, numbers = rows[:-1], numbers[:-1]
    if not rows:
        return
    width = max((c + 1 for row in rows for c, v in enumerate(row) if v is not None and v.text), default=0)
    h = _header_row(rows)
    first = 0 if h is None else h
    if h is not None:
        _title_rows(doc, [(numbers[r], *_row_text(rows[r])) for r in range(h)], page)
        if check_width:
            header_width = sum(v.col_span for v in rows[h] if v is not None)
            for r in range(h + 1, len(rows)):
                extra = [v for v in rows[r][header_width:] if v is not None and v.text]
                if extra:
                    count = max(c + 1 for c, v in enumerate(rows[r]) if v is not None and v.text)
                    raise InputError(Errors.E113.format(
                        file=doc.file, line=numbers[r],
                        detail=f"row {numbers[r]} has {count} fields, the header (row {numbers[h]}) {header_width}"))
    header_rows = {first}
    cells: list[Cell] = []
    for r in range(first, len(rows)):
        for c, value in enumerate(rows[r][:width]):
            if value is None:
                continue
            if r in header_rows and value.row_span > 1:
                header_rows.update(range(r, r + value.row_span))
            end = numbers[min(r + value.row_span, len(rows)) - 1]
            cells.append(Cell(r - first, c, value.text, value.row_span, value.col_span,
                              "column_header" if h is not None and r in header_rows else "body",
                              numbers[r], end if value.text else numbers[r], value.bold and bool(value.text), page))
    if cells:
        block = table_block(cells)
        block.page = page
        doc.blocks.append(block)
        doc.lines.extend(TextLine(c.text, c.line_start, page) for c in cells if c.text)


# --- Excel -------------------------------------------------------------------------------------

def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return repair(collapse_spaces(str(value)))


def read_xlsx(data: bytes, file: str) -> Document:
    """Read an Excel workbook (.xlsx): each sheet's title rows and table."""
    import openpyxl

    try:
        # not read_only: a read-only worksheet does not know its merged cells; the file is at most 64 MiB
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise InputError(Errors.E105.format(file=file, detail=f"not a readable Excel workbook ({type(exc).__name__}: {exc})"[:200])) from None
    doc = Document(file, "xlsx", [], whole=False)
    offset = 0
    sheets = [ws for ws in book.worksheets if hasattr(ws, "merged_cells")]
    for page, ws in enumerate(sheets, start=1):
        n_rows, n_cols = ws.max_row or 0, ws.max_column or 0
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        covered = {(r, c) for m in merged.values() for r in range(m.min_row, m.max_row + 1)
                   for c in range(m.min_col, m.max_col + 1) if (r, c) != (m.min_row, m.min_col)}
        rows: list[list[_Value | None]] = []
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=n_rows, max_col=n_cols), start=1):
            values: list[_Value | None] = []
            for c, cell in enumerate(row, start=1):
                if (r, c) in covered:
                    values.append(None)
                    continue
                span = merged.get((r, c))
                bold = bool(cell.font is not None and cell.font.b)
                values.append(_Value(_text(cell.value), bold,
                                     span.max_row - span.min_row + 1 if span else 1, span.max_col - span.min_col + 1 if span else 1))
            rows.append(values)
        _sheet(doc, rows, [offset + r for r in range(1, len(rows) + 1)], page if len(sheets) > 1 else None)
        offset += len(rows)
    return doc


# --- CSV ---------------------------------------------------------------------------------------

def _decode(data: bytes, file: str) -> str:
    try:
        return decode(data, file)
    except InputError as err:
        if err.issue.code == "E102" and (nul := data.find(b"\x00")) >= 0:
            row = data.count(b"\n", 0, nul) + 1
            raise InputError(Errors.E113.format(file=file, line=row, detail=f"row {row} holds a NUL byte")) from None
        raise


def read_csv(data: bytes, file: str) -> Document:
    """Read a CSV file (its delimiter sniffed: comma, semicolon, tab or bar); a malformed file (a quote left
    open, a row longer than the header, a NUL byte) is :class:`InputError` E113 naming the row."""
    text = _decode(data, file)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), delimiter=dialect.delimiter, quotechar='"', doublequote=True, strict=True)
    rows: list[list[_Value | None]] = []
    numbers: list[int] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(Errors.E113.format(file=file, line=start, detail=f"row {start}: {exc}")) from None
        rows.append([_Value(repair(collapse_spaces(v))) for v in record])
        numbers.append(start)
    doc = Document(file, "csv", [], whole=False)
    _sheet(doc, rows, numbers, None, check_width=True)
    return doc


register_reader("xlsx", read_xlsx, (".xlsx", ".xlsm"), binary=True)
register_reader("csv", read_csv, (".csv", ".tsv"), binary=True)
