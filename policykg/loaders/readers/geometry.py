"""Pages of positioned words (from a PDF's text layer or from OCR) into the document model.

A geometric reader gives, for each page, its words with their boxes (and, from OCR, their
confidence) and the ruling lines drawn on it; :func:`pages_document` turns them into text lines
in reading order, paragraphs and tables, with the page and box of every block, line and cell.
Coordinates are in points from the top-left corner of the page (PDF user space with ``top``
growing downwards, as pdfplumber gives them; OCR pixel boxes are scaled by the reader).

>>> page = Page(1, 595.0, 842.0, [Word("KẾ", 100, 50, 115, 60), Word("HOẠCH", 118, 50, 160, 60),
...                               Word("Số:", 50, 80, 65, 90), Word("12/KH-UBND", 68, 80, 120, 90)])
>>> doc = pages_document([page], "a.pdf", "pdf")
>>> [(line.text, line.line, line.page) for line in doc.lines]
[('KẾ HOẠCH', 1, 1), ('Số: 12/KH-UBND', 2, 1)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document, TextLine
from .blocks import text_block

__all__ = ["Word", "Rule", "Page", "pages_document"]


@dataclass(frozen=True)
class Word:
    """A word on a page: its text, its box (x0, top, x1, bottom) and how sure the reader is of it (0-1)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float = 1.0


@dataclass(frozen=True)
class Rule:
    """A ruling line drawn on a page (a table's border): from (x0, top) to (x1, bottom)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Page:
    """One page: its number (1-based), size, words and ruling lines."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


def _lines(page: Page) -> list[list[Word]]:
    """The page's words grouped into lines (by vertical overlap), top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(page.words, key=lambda w: (w.top, w.x0)):
        if lines:
            last = lines[-1]
            top, bottom = min(w.top for w in last), max(w.bottom for w in last)
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap > 0.5 * min(bottom - top, word.bottom - word.top):
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def pages_document(pages: list[Page], file: str, fmt: str) -> Document:
    """The document of positioned words: one text line per line of words, numbered through the whole file;
    a paragraph block per line (a first reading: the layout of paragraphs and tables is for the readers to
    refine)."""
    doc = Document(file, fmt, [])
    number = 0
    for page in pages:
        for words in _lines(page):
            number += 1
            box = (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
                   max(w.bottom for w in words))
            text = " ".join(w.text for w in words)
            doc.lines.append(TextLine(text, number, page.number, box))
            block = text_block([(text, number)])
            block.page, block.box = page.number, box
            block.confidence = min(w.confidence for w in words)
            doc.blocks.append(block)
    return doc
