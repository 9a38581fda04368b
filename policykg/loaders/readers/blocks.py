"""Building blocks from lines of text, shared by the readers: join, classify, recognise furniture.

>>> b = text_block([("I. MỤC ĐÍCH,", 3), ("YÊU CẦU", 4)], bold=True)
>>> b.kind, b.text, b.marker, b.line_at(14)
('heading', 'I. MỤC ĐÍCH, YÊU CẦU', 'I.', 4)
>>> text_block([("- Chủ trì, phối hợp", 9)]).kind
'list_item'
>>> text_block([("Độc lập - Tự do - Hạnh phúc", 2)]).kind
'furniture'
>>> is_furniture_text("TM. ỦY BAN NHÂN DÂN"), is_furniture_text("Nơi nhận:"), is_furniture_text("Sở Y tế")
(True, True, False)
"""

from __future__ import annotations

import re

from ...text import collapse_spaces, fold_chars
from ..document import Block, Cell, Table

__all__ = ["text_block", "classify", "is_furniture_text", "is_caps", "table_block", "MARKER_RE"]

MARKER_RE = re.compile(
    r"^\s*(?:[-–—+•]|\uf0b7|\uf02d|\(\d{1,3}\)|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]|[a-zđ]\)|[IVXL]{1,5}\s*\.|"
    r"(?:Điều|Dieu)\s+\d{1,3}\s*[.:])(?=\s|$)"
)
_RULE = re.compile(r"^[\s\-_=*~.·…|]{3,}$")
_FURNITURE = re.compile(
    r"^\s*(?:c\S{0,2}ng h\S{0,2}a x\S{0,2} h\S{0,2}i ch\S{0,2} ngh\S{0,2}a vi\S{0,2}t nam\s*$"
    r"|\S{0,2}\S?c l\S{0,2}p\s*-\s*t\S{0,2} do\s*-\s*h\S{0,2}nh ph\S{0,3}c"
    r"|n\S{0,2}i nh\S{0,2}n\s*:"
    r"|(?:t/?m\.?|kt\.?|tl\.?|tuq\.?)\s+(?:uy ban|ubnd|chu tich|hoi dong|ban thuong vu|thu tuong|bo truong|chinh phu)"
    r"|(?:pho )?(?:chu tich|thu tuong)\s*$"
    r"|(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?\s*$)"
)


_CLOSING_CELL = re.compile(r"^\s*(?:n\S{0,2}i nh\S{0,2}n\s*:|(?:t/?m\.?|kt\.?|tl\.?|tuq\.?)\s+\S)")


def is_caps(text: str) -> bool:
    """True when the text has at least four letters and all are capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def is_furniture_text(text: str) -> bool:
    """Page furniture: the national motto, signature lines, "Nơi nhận", page numbers, rules."""
    return bool(_RULE.match(text) or _FURNITURE.match(fold_chars(text).lower()))


def classify(text: str, bold: bool) -> str:
    """``heading``, ``list_item``, ``paragraph`` or ``furniture`` from what a block's text looks like."""
    if not text.strip() or is_furniture_text(text):
        return "furniture"
    short = len(text) < 400
    if short and (bold or is_caps(text)):
        return "heading"
    if MARKER_RE.match(text):
        return "list_item"
    return "paragraph"


def text_block(lines: list[tuple[str, int]], bold: bool = False, italic: bool = False, kind: str | None = None) -> Block:
    """A block of the given (text, 1-based line) pieces, joined with single spaces."""
    text = ""
    offsets: list[int] = []
    numbers: list[int] = []
    for piece, number in lines:
        piece = collapse_spaces(piece)
        if not piece:
            continue
        if text:
            text += " "
        offsets.append(len(text))
        numbers.append(number)
        text += piece
    if not numbers:
        numbers, offsets = [lines[0][1] if lines else 0], [0]
    kind = kind or classify(text, bold)
    return Block(kind, text, numbers[0], numbers[-1], offsets, numbers, bold=bold, italic=italic)


def table_block(cells: list[Cell]) -> Block:
    """A table block; the recipients and signature table that closes a document is page furniture."""
    table = Table(cells)
    first = min((c.line_start for c in cells if c.line_start), default=0)
    last = max((c.line_end for c in cells), default=first)
    kind = "table"
    if any(_CLOSING_CELL.match(fold_chars(c.text).lower()) for c in cells):
        kind = "furniture"
    text = " | ".join(c.text for c in cells if c.text)
    return Block(kind, text, first, last, bold=all(c.bold for c in cells if c.text), table=table)
