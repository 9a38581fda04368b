"""What every genre extractor is told about the document it reads: one keyword-only argument.

>>> ctx = ExtractContext(document="d0", file="plan.md", lines=(12, 480), confidence=0.8)
>>> ctx.document, ctx.ocr, ctx.lines
('d0', False, (12, 480))
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ExtractContext"]


@dataclass(frozen=True)
class ExtractContext:
    """The document being extracted: its local key, its file, the 1-based lines it spans, how sure its
    head is (``confidence``, the ceiling of every fact's confidence) and whether its text is OCR'd."""

    document: str
    file: str
    lines: tuple[int, int] = (0, 0)
    confidence: float = 1.0
    ocr: bool = False
