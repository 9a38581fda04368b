"""Markdown: legal-portal pages as web crawlers convert them, and ordinary Markdown.

What the crawl of the portals looks like: paragraphs hard-wrapped and separated by blank
lines; ``**bold**`` and ``*italic*`` marks that may open on one line and close on another
("**IV. TỔ CHỨC" / "THỰC HIỆN**"); an HTML table written one cell per line, each cell
followed by a line holding only ``|``, a table opening with such a line and each row ending
with an empty cell. Ordinary Markdown adds ``#`` headings and pipe tables, which
markdown-it reads.

>>> text = "|\\n**ỦY BAN NHÂN DÂN**\\n|\\n*Hà Nội, ngày 20*\\n*tháng 11 năm 2025*\\n|\\n\\n**KẾ\\nHOẠCH**\\n\\n- Giao **Sở Y tế**\\nchủ trì."
>>> doc = read_markdown(text, "a.md")
>>> [(b.kind, b.text, b.line_start) for b in doc.blocks]
[('table', 'ỦY BAN NHÂN DÂN | Hà Nội, ngày 20 tháng 11 năm 2025', 2), ('heading', 'KẾ HOẠCH', 8), ('list_item', '- Giao Sở Y tế chủ trì.', 11)]
>>> [(c.row, c.col, c.text) for c in doc.blocks[0].table.cells]
[(0, 0, 'ỦY BAN NHÂN DÂN'), (0, 1, 'Hà Nội, ngày 20 tháng 11 năm 2025')]
>>> [(l.text, l.line) for l in doc.lines][:3]
[('ỦY BAN NHÂN DÂN', 2), ('Hà Nội, ngày 20 tháng 11 năm 2025', 4), ('', 7)]
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ...text import collapse_spaces, repair
from ..document import Cell, Document, TextLine
from .base import register_reader
from .blocks import MARKER_RE, table_block, text_block

__all__ = ["read_markdown", "strip_marks", "bar_table_rows"]

_MARK = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])|(\*\*|__)|(\*)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BAR = re.compile(r"^\s*\|\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_ROW_START = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVXLC]{1,6}|[A-Za-zĐđ])[.)]?\)?$")


def strip_marks(lines: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], bool, bool]:
    """Remove emphasis marks from lines read together; return the clean lines and whether all
    their letters are bold / italic.

    >>> strip_marks([("**1**. **Mục đích**", 5)])
    ([('1. Mục đích', 5)], True, False)
    >>> strip_marks([("**1. **100% cán bộ", 7)])[1]
    False
    """
    bold = italic = False
    letters = bold_letters = italic_letters = 0
    out: list[tuple[str, int]] = []
    for line, number in lines:
        chars: list[str] = []
        position = 0
        for m in _MARK.finditer(line):
            segment = line[position:m.start()]
            chars.append(segment)
            count = sum(1 for c in segment if c.isalpha())
            letters += count
            bold_letters += count if bold else 0
            italic_letters += count if italic else 0
            if m.group(1):
                chars.append(m.group(1))
            elif m.group(2):
                bold = not bold
            else:
                italic = not italic
            position = m.end()
        tail = line[position:]
        count = sum(1 for c in tail if c.isalpha())
        letters += count
        bold_letters += count if bold else 0
        italic_letters += count if italic else 0
        chars.append(tail)
        out.append((collapse_spaces("".join(chars)), number))
    return out, letters > 0 and bold_letters == letters, letters > 0 and italic_letters == letters


def _chunks(lines: list[str]) -> list[list[tuple[str, int]]]:
    chunks: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            current.append((line, number))
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _cell(piece: list[tuple[str, int]], row: int, col: int, fallback: int) -> Cell:
    clean, bold, _ = strip_marks(piece)
    text = collapse_spaces(" ".join(t for t, _ in clean))
    first = piece[0][1] if piece else fallback
    last = piece[-1][1] if piece else fallback
    return Cell(row, col, text, line_start=first, line_end=last, bold=bold and bool(text))


def bar_table_rows(chunk: list[tuple[str, int]]) -> list[list[list[tuple[str, int]]]]:
    """Rows of cells (each a list of its lines) of a table written one cell per line.

    A row ends at an empty cell, unless the row is still short of the table's width (the
    cells of its first row), the next cell does not open a row (a number) and the cells up to
    the next empty one still fit in the width — then the empty cell is a cell of the row.

    >>> chunk = [(t, n) for n, t in enumerate(["|", "TT", "|", "Nhiệm vụ", "|", "Chủ trì", "|", "|",
    ...                                        "1", "|", "Lập đề án", "|", "|", "|"], 1)]
    >>> [[" ".join(t for t, _ in cell) for cell in row] for row in bar_table_rows(chunk)]
    [['TT', 'Nhiệm vụ', 'Chủ trì'], ['1', 'Lập đề án', '']]
    """
    cells: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    opened = False
    for line, number in chunk:
        if _BAR.match(line):
            if not opened and not current and not cells:
                opened = True
                continue
            cells.append(current)
            current = []
        else:
            current.append((line, number))
    if current:
        cells.append(current)
    filled = [_has_text(cell) for cell in cells]
    width = next((k for k, has in enumerate(filled) if not has), len(cells))
    rows: list[list[list[tuple[str, int]]]] = []
    row: list[list[tuple[str, int]]] = []
    for k, cell in enumerate(cells):
        if filled[k]:
            row.append(cell)
            continue
        following = cells[k + 1] if k + 1 < len(cells) else None
        opens_row = following is None or (filled[k + 1] and _ROW_START.match(_plain(following)) is not None)
        run = next((j for j, has in enumerate(filled[k + 1:]) if not has), len(cells) - k - 1)
        overflows = run > 0 and len(row) + 1 + run > width
        if len(row) >= width or opens_row or overflows or (following is not None and filled[k + 1] and not row):
            if row:
                rows.append(row)
            row = []
        else:
            row.append(cell)
    if row:
        rows.append(row)
    return rows


def _has_text(cell: list[tuple[str, int]]) -> bool:
    return any(strip_marks([(t, n)])[0][0][0] for t, n in cell)


def _plain(cell: list[tuple[str, int]]) -> str:
    return collapse_spaces(" ".join(t for t, _ in strip_marks(cell)[0]))


def _bar_table(chunk: list[tuple[str, int]]) -> list[Cell]:
    out = []
    for r, row in enumerate(bar_table_rows(chunk)):
        for c, piece in enumerate(row):
            out.append(_cell(piece, r, c, chunk[0][1]))
    return out


def _pipe_table(chunk: list[tuple[str, int]]) -> list[Cell]:
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse("\n".join(line for line, _ in chunk))
    first = chunk[0][1]
    cells: list[Cell] = []
    row = -1
    col = 0
    row_line = first
    for k, tok in enumerate(tokens):
        if tok.type == "tr_open":
            row += 1
            col = 0
            row_line = first + (tok.map[0] if tok.map else 0)
        elif tok.type in {"th_open", "td_open"}:
            inline = tokens[k + 1]
            text, bold, _ = strip_marks([(inline.content, row_line)])
            cells.append(Cell(row, col, text[0][0], kind="column_header" if tok.type == "th_open" else "body",
                              line_start=row_line, line_end=row_line, bold=bold))
            col += 1
    return cells


def _split_list_lines(chunk: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """A chunk holds several list items when a line opening with a marker follows a line that ends a sentence."""
    parts: list[list[tuple[str, int]]] = [[]]
    for k, (line, number) in enumerate(chunk):
        previous = chunk[k - 1][0].rstrip(" *") if k else ""
        if k and MARKER_RE.match(line.lstrip("* ")) and previous.endswith((";", ":", ".", "./.")):
            parts.append([])
        parts[-1].append((line, number))
    return parts


def read_markdown(text: str, file: str) -> Document:
    """Read Markdown text (the portals' crawl or ordinary Markdown) into a :class:`Document`."""
    lines = [repair(line) for line in text.split("\n")]
    doc = Document(file, "markdown", [])
    for chunk in _chunks(lines):
        if doc.lines:
            doc.lines.append(TextLine("", chunk[0][1] - 1))
        if any(_BAR.match(line) for line, _ in chunk[:2]):
            cells = _bar_table(chunk)
        elif len(chunk) >= 2 and _PIPE_ROW.match(chunk[0][0]) and _PIPE_RULE.match(chunk[1][0]):
            cells = _pipe_table(chunk)
        else:
            cells = []
        if cells:
            doc.blocks.append(table_block(cells))
            doc.lines.extend(TextLine(c.text, c.line_start) for c in cells if c.text)
            continue
        for part in _split_list_lines(chunk):
            heading = bool(_HEADING.match(part[0][0]))
            if heading:
                part = [(_HEADING.sub("", part[0][0]), part[0][1]), *part[1:]]
            clean, bold, italic = strip_marks(part)
            if not any(t for t, _ in clean):
                continue
            block = text_block(clean, bold=bold, italic=italic, kind="heading" if heading else None)
            doc.blocks.append(block)
            doc.lines.extend(TextLine(t, n) for t, n in clean if t)
    return doc


register_reader("markdown", read_markdown, (".md", ".markdown"))
