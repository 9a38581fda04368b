"""Scanned pages and images read with Tesseract (its Vietnamese data) into positioned words.

Contract used by the PDF reader for pages without a text layer: :func:`ocr_pdf_pages`.
"""

from __future__ import annotations

from .geometry import Page

__all__ = ["ocr_pdf_pages"]


def ocr_pdf_pages(data: bytes, numbers: list[int], file: str) -> list[Page]:
    """The pages ``numbers`` (1-based) of the PDF ``data`` rendered and read by OCR, as positioned words
    in PDF points."""
    raise NotImplementedError("OCR is not available yet")
