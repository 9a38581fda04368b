"""The format-neutral document model: what every reader produces and genre extraction reads.

A :class:`Document` is an ordered list of :class:`Block` — headings, paragraphs, list
items, tables and page furniture — each with its provenance (file and 1-based line span;
page and box for formats that have pages). Tables follow the model that industrial document
readers settled on (docling's ``TableItem``, Azure Document Intelligence, Google Document
AI): a :class:`Table` is a list of :class:`Cell`, each with its row and column index, its
row and column span, a kind (``column_header``, ``row_header``, ``body``) and the lines it
came from.

Besides blocks, a document keeps its *text lines* in reading order (``Document.lines``):
the display text of each source line with mark-up removed, and one logical line per table
cell. Zones whose layout is line-based — the head of a document ("Số: …", "Hà Nội, ngày …")
— are read from them; everything else is read from blocks.

>>> doc = Document("a.md", "markdown", [
...     Block("heading", "KẾ HOẠCH", 3, 3, bold=True),
...     Block("list_item", "- Chủ trì, phối hợp với Sở Y tế", 5, 6, marker="-", offsets=[0, 20], lines=[5, 6]),
... ])
>>> doc.blocks[1].line_at(25), doc.blocks[1].body
(6, 'Chủ trì, phối hợp với Sở Y tế')
>>> t = Table([Cell(0, 0, "TT", kind="column_header"), Cell(0, 1, "Nhiệm vụ", kind="column_header"),
...            Cell(1, 0, "1"), Cell(1, 1, "Xây dựng đề án")])
>>> [[c.text for c in row] for row in t.rows()]
[['TT', 'Nhiệm vụ'], ['1', 'Xây dựng đề án']]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from ..errors import Issue
from ..text import fold_chars

__all__ = ["BLOCK_KINDS", "CELL_KINDS", "Cell", "Table", "Block", "TextLine", "Document", "format_blocks", "format_text"]

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table", "furniture")
CELL_KINDS = ("column_header", "row_header", "body")

_MARKER = re.compile(
    r"^\s*(?:[-–—+•*]|\uf0b7|\uf02d|\(\d{1,3}\)|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]|[a-zđ]\)|[IVXL]{1,5}\s*[.)]"
    r"|(?:Điều|Dieu)\s+\d{1,3}\s*[.:]|[A-E]\.)\s*"
)


@dataclass
class Cell:
    """One table cell: position, spans, kind and text; ``line_start``/``line_end`` are 1-based source lines."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    kind: str = "body"
    line_start: int = 0
    line_end: int = 0
    bold: bool = False
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    level: int | None = None  # for a row header that heads a group of rows: its depth, when the reader knows it
    confidence: float = 1.0  # how sure the reader is of the cell (cut by position in OCR'd text: lower)
    agencies: list[Any] | None = None  # agency mentions a reader had to recognise to find the cell's end (OCR rows)


@dataclass
class Table:
    """A grid of cells. ``rows()`` gives each row's cells in column order (spanned cells once, where they start)."""

    cells: list[Cell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return max((c.row + c.row_span for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.col_span for c in self.cells), default=0)

    def rows(self) -> list[list[Cell]]:
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return [sorted(row, key=lambda c: c.col) for row in out]

    def grid(self) -> list[list[Cell | None]]:
        """Every (row, column) position with the cell covering it; a spanned cell fills all its positions."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    grid[r][c] = cell
        return grid


@dataclass
class Block:
    """A block of a document: its kind, display text and provenance.

    ``offsets[k]`` is where source line ``lines[k]`` starts in :attr:`text`, so a match found in
    the text maps back to its line (:meth:`line_at`). ``marker`` is the list or heading marker as
    printed ("-", "1.", "a)", "IV.", "Điều 2."); ``bold`` is true when the whole block is bold.
    """

    kind: str
    text: str
    line_start: int
    line_end: int
    offsets: list[int] = field(default_factory=list, repr=False)
    lines: list[int] = field(default_factory=list, repr=False)
    bold: bool = False
    italic: bool = False
    marker: str | None = None
    table: Table | None = None
    confidence: float = 1.0
    page: int | None = None
    box: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if not self.offsets:
            self.offsets, self.lines = [0], [self.line_start]
        if self.marker is None and self.kind in {"list_item", "heading", "paragraph"} and (m := _MARKER.match(self.text)):
            self.marker = m.group(0).strip() or None

    @cached_property
    def folded(self) -> str:
        return fold_chars(self.text)

    @property
    def body(self) -> str:
        """The text after the marker."""
        if self.marker and self.text.lstrip().startswith(self.marker):
            return self.text.lstrip()[len(self.marker):].strip()
        return self.text.strip()

    def line_at(self, offset: int) -> int:
        """The 1-based source line holding character ``offset`` of :attr:`text`."""
        return self.lines[max(bisect.bisect_right(self.offsets, offset) - 1, 0)]

    def split_after(self, line: int) -> list["Block"]:
        """The block cut after source line ``line`` (itself when ``line`` is not inside it).

        >>> b = Block("paragraph", "Ban hành Kế hoạch Căn cứ Luật", 3, 4, [0, 18], [3, 4])
        >>> [(p.text, p.line_start) for p in b.split_after(3)]
        [('Ban hành Kế hoạch', 3), ('Căn cứ Luật', 4)]
        """
        if not self.line_start <= line < self.line_end or line not in self.lines:
            return [self]
        k = self.lines.index(line) + 1
        while k < len(self.lines) and self.lines[k] == line:
            k += 1
        if k >= len(self.lines):
            return [self]
        cut = self.offsets[k]
        first = Block(self.kind, self.text[:cut].rstrip(), self.line_start, line, self.offsets[:k], self.lines[:k],
                      self.bold, self.italic, self.marker, None, self.confidence, self.page, self.box)
        rest = Block(self.kind, self.text[cut:], self.lines[k], self.line_end, [o - cut for o in self.offsets[k:]],
                     self.lines[k:], self.bold, self.italic, None, None, self.confidence, self.page, self.box)
        return [first, rest]

    def pieces(self, limit: int) -> list["Block"]:
        """The block cut into pieces of at most ``limit`` characters, at spaces (a line longer than any the
        genre writes is cut too; each piece keeps the lines it holds).

        >>> [(p.text, p.line_start) for p in Block("paragraph", "aaa bbb ccc", 7, 7).pieces(8)]
        [('aaa bbb', 7), ('ccc', 7)]
        """
        if len(self.text) <= limit:
            return [self]
        out: list[Block] = []
        start = 0
        while start < len(self.text):
            end = min(start + limit, len(self.text))
            if end < len(self.text) and (space := self.text.rfind(" ", start + 1, end)) > start:
                end = space
            first, last = self.line_at(start), self.line_at(max(end - 1, start))
            keep = [k for k, o in enumerate(self.offsets) if start <= o < end]
            offsets = [0] + [self.offsets[k] - start for k in keep if self.offsets[k] > start]
            lines = [first] + [self.lines[k] for k in keep if self.offsets[k] > start]
            out.append(Block(self.kind, self.text[start:end].strip(), first, last, offsets, lines, self.bold,
                             self.italic, self.marker if start == 0 else None, None, self.confidence, self.page, self.box))
            start = end + 1 if end < len(self.text) and self.text[end] == " " else end
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "lines": [self.line_start, self.line_end]}
        for name in ("marker", "page", "box"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.bold:
            out["bold"] = True
        if self.confidence < 1.0:
            out["confidence"] = self.confidence
        if self.table is not None:
            out["table"] = {"rows": self.table.n_rows, "cols": self.table.n_cols,
                            "cells": [{k: v for k, v in asdict(c).items() if v not in (None, False) and k != "agencies"}
                                      for c in self.table.cells]}
        else:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class TextLine:
    """One line of the document's text in reading order: display text and its 1-based source line (for
    formats with pages, the line's number in the text the readers recovered), its page and box."""

    text: str
    line: int
    page: int | None = None
    box: tuple[float, float, float, float] | None = None


@dataclass
class Document:
    """A file read by a reader: its blocks, its text lines, and what the reader noticed."""

    file: str
    format: str
    blocks: list[Block]
    lines: list[TextLine] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # what the reader could not read (W303, W304)
    whole: bool = True  # the file holds whole documents (head to signature); False: a task list kept as a sheet
    sha256: str = ""  # of the bytes the file was read from

    @property
    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "format": self.format, "issues": [str(i) for i in self.issues],
                "blocks": [b.to_dict() for b in self.blocks]}


def format_text(doc: Document) -> str:
    """The text the reader recovered, in reading order, with a marker where each page begins (formats with
    pages), so that a person can check what the tool saw.

    >>> print(format_text(Document("a.pdf", "pdf", [], [TextLine("KẾ HOẠCH", 1, 1), TextLine("Số: 12/KH-UBND", 2, 2)])))
    --- a.pdf: trang 1 / page 1 ---
    KẾ HOẠCH
    --- a.pdf: trang 2 / page 2 ---
    Số: 12/KH-UBND
    """
    out: list[str] = []
    page = None
    for line in doc.lines:
        if line.page is not None and line.page != page:
            page = line.page
            out.append(f"--- {doc.file}: trang {page} / page {page} ---")
        out.append(line.text)
    return "\n".join(out)


def format_blocks(doc: Document, width: int = 110) -> str:
    """The document model as a person reads it: one line per block (lines, kind, marks, text), tables as rows of cells.

    >>> print(format_blocks(Document("a.md", "markdown", [Block("heading", "KẾ HOẠCH", 3, 3, bold=True)])))
    a.md (markdown): 1 blocks, 0 tables
          3-3  heading    bold  KẾ HOẠCH
    """
    out = [f"{doc.file} ({doc.format}): {len(doc.blocks)} blocks, {len(doc.tables)} tables", *map(str, doc.issues)]
    for block in doc.blocks:
        flags = " ".join(f for f, on in (("bold", block.bold), (f"[{block.marker}]", bool(block.marker))) if on)
        where = f"{block.line_start}-{block.line_end}" + (f" p{block.page}" if block.page else "")
        if block.table is None:
            text = block.text if len(block.text) <= width else block.text[:width - 1] + "…"
            out.append(f"{where:>9}  {block.kind:<10} {flags:<5} {text}")
            continue
        table = block.table
        out.append(f"{where:>9}  {block.kind:<10} {table.n_rows} rows × {table.n_cols} columns")
        for r, row in enumerate(table.rows()):
            cells = " | ".join(
                (c.text[:40] + ("…" if len(c.text) > 40 else ""))
                + (f" ⟨{c.row_span}×{c.col_span}⟩" if c.row_span > 1 or c.col_span > 1 else "")
                + (" (h)" if c.kind == "column_header" else "")
                for c in row)
            out.append(f"{'':>9}    r{r:<3} {cells}")
    return "\n".join(out)
