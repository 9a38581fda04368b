"""Readers: one per format, each turning a file into a :class:`~policykg.loaders.document.Document`.

Readers are registered by name (:func:`register_reader`), like rdflib's parsers; the format of
a file is sniffed from its content as well as its extension (a ``.txt`` may hold Markdown or
HTML), see :func:`sniff_format`.

>>> sniff_format("a.txt", "<html><body><p>KẾ HOẠCH</p></body></html>")
'html'
>>> sniff_format("a.txt", "|\\n**UỶ BAN NHÂN DÂN**\\n|\\n")
'markdown'
>>> sniff_format("a.md", "KẾ HOẠCH")
'markdown'
>>> sniff_format("a.txt", "KẾ HOẠCH\\nThực hiện Nghị quyết số 57-NQ/TW")
'text'
"""

from .base import BINARY_FORMATS, READERS, read_document, register_reader, sniff_binary, sniff_format, supported_suffixes
from . import docx, html, markdown, ocr, pdf, sheet, text  # noqa: F401  (registers the readers)

__all__ = ["BINARY_FORMATS", "READERS", "read_document", "register_reader", "sniff_binary", "sniff_format",
           "supported_suffixes"]
