"""Plain text: PDF-extracted or OCR'd text, lines wrapped at the page width.

Page furniture (page numbers, the national motto, signature lines, "Nơi nhận" blocks) becomes
furniture blocks; wrapped lines are rejoined into paragraphs (:func:`~policykg.loaders.layout.paragraphs`);
task and indicator tables, which text prints without structure, are rebuilt from their lines into
tables of cells (:mod:`.text_tables`).
The text lines of the document are the file's lines, so that line-based readings (the head,
and the tables that PDF text prints cell after cell) keep working on the source as printed.

>>> doc = read_text("KẾ HOẠCH\\n\\n- Chủ trì, phối hợp với Sở Y tế\\ntriển khai.\\n12", "a.txt")
>>> [(b.kind, b.text, b.line_start, b.line_end) for b in doc.blocks]
[('heading', 'KẾ HOẠCH', 1, 1), ('list_item', '- Chủ trì, phối hợp với Sở Y tế triển khai.', 3, 4), ('furniture', '12', 5, 5)]
"""

from __future__ import annotations

from ...text import fold_chars, repair
from ..document import Block, Document, TextLine
from ..layout import furniture_mask, paragraphs
from ..source import SourceText
from .base import register_reader
from .blocks import classify
from .text_tables import text_tables

__all__ = ["read_text", "source_of", "is_ocr"]

_OCR_ACCENTED_SHARE = 0.15


def source_of(doc: Document) -> SourceText:
    """The document's text lines as a :class:`SourceText` (lines in reading order, with their source line numbers)."""
    lines = [line.text for line in doc.lines]
    identity = all(line.line == k + 1 for k, line in enumerate(doc.lines))
    return SourceText(doc.file, lines, [fold_chars(line) for line in lines],
                      None if identity else [line.line for line in doc.lines])


def read_text(text: str, file: str) -> Document:
    """Read plain text into a :class:`Document`."""
    lines = [repair(line) for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    src = SourceText(file, lines, [fold_chars(line) for line in lines])
    mask = furniture_mask(src)
    blocks: list[Block] = []
    for para in paragraphs(src, 0, len(lines), mask):
        blocks.append(Block(classify(para.text, False), para.text, para.line_start, para.line_end,
                            list(para.offsets), list(para.lines)))
    blocks += [Block("furniture", lines[i].strip(), i + 1, i + 1) for i in range(len(lines)) if mask[i] and lines[i].strip()]
    for block in blocks:
        if block.kind == "furniture" and not mask[block.line_start - 1]:
            block.kind = "paragraph"
    tables, issues = text_tables(src, mask, is_ocr(src))
    inside = [(t.line_start, t.line_end) for t in tables]
    blocks = [b for b in blocks if not any(a <= b.line_start and b.line_end <= z for a, z in inside)] + tables
    blocks.sort(key=lambda b: (b.line_start, b.kind != "table"))
    return Document(file, "text", blocks, [TextLine(line, k + 1) for k, line in enumerate(lines)], issues=issues)


def is_ocr(src: SourceText) -> bool:
    """True when the text lost most of its diacritics (OCR output): fuzzy matching is then on."""
    letters = [c for line in src.lines for c in line if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if ord(c) > 127) / len(letters) < _OCR_ACCENTED_SHARE


register_reader("text", read_text, (".txt", ".text", ""))
