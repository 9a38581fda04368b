"""PDF files with a text layer, read with pdfplumber into positioned words and ruling lines.

Each page's words (with their boxes; bold when most of their characters are set in a font whose
name says "Bold") and the lines and rectangle edges drawn on it become a
:class:`~policykg.loaders.readers.geometry.Page`; :func:`~policykg.loaders.readers.geometry.pages_document`
reads lines, paragraphs and tables from them. Pages without a text layer (scans) are handed to
OCR (:func:`~policykg.loaders.readers.ocr.ocr_pdf_pages`); when OCR cannot read them, the
document says so (W110). A PDF that cannot be opened (encrypted, truncated, not a PDF) is one
input error (E110).

>>> from policykg.errors import InputError
>>> try:
...     read_pdf(b"%PDF-1.4 not really", "a.pdf")
... except InputError as e:
...     print(str(e).split(':')[0])
E110 a.pdf
"""

from __future__ import annotations

import io
import logging
import warnings

from ...errors import Errors, InputError, Warnings
from ..document import Document
from .base import register_reader
from .geometry import Page, Rule, Word, pages_document

__all__ = ["read_pdf", "pdf_pages"]


def _bold(chars: list[dict]) -> bool:
    letters = [c for c in chars if str(c.get("text", "")).isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if "bold" in str(c.get("fontname", "")).lower()) * 2 > len(letters)


def _page(page, number: int) -> Page:
    words = []
    for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, return_chars=True):
        text = w["text"].strip()
        if text:
            words.append(Word(text, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]),
                              bold=_bold(w.get("chars", []))))
    rules = [Rule(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"])) for e in page.edges]
    return Page(number, float(page.width), float(page.height), words, rules)


def pdf_pages(data: bytes, file: str) -> tuple[list[Page], list[int]]:
    """The pages of the PDF ``data`` as positioned words, and the numbers of the pages with no text layer."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                pages = [_page(page, k + 1) for k, page in enumerate(pdf.pages)]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds of errors on damaged or encrypted files
        detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")[:200] or type(exc).__name__
        raise InputError(Errors.E110.format(file=file, detail=detail)) from exc
    if not pages:
        raise InputError(Errors.E110.format(file=file, detail="it has no pages"))
    return pages, [p.number for p in pages if not p.words]


def read_pdf(data: bytes, file: str) -> Document:
    """Read a PDF into a :class:`Document` (pages without a text layer through OCR, see the module docstring)."""
    pages, empty = pdf_pages(data, file)
    issue = None
    if empty:
        try:
            from .ocr import ocr_pdf_pages

            read = {p.number: p for p in ocr_pdf_pages(data, empty, file)}
            pages = [read.get(p.number, p) for p in pages]
        except Exception as exc:  # noqa: BLE001 - OCR missing or failing leaves the pages unread, said once
            detail = str(exc) or type(exc).__name__
            issue = Warnings.W110.format(file=file, pages=_ranges(empty), detail=detail[:200])
    doc = pages_document(pages, file, "pdf")
    if issue is not None:
        doc.issues.append(issue)
    return doc


def _ranges(numbers: list[int]) -> str:
    """Page numbers as ranges: [1, 2, 3, 5] → "1-3, 5".

    >>> _ranges([1, 2, 3, 5])
    '1-3, 5'
    """
    out: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}-{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(out)


register_reader("pdf", read_pdf, (".pdf",), binary=True, magic=(b"%PDF-",))
