"""The reader registry, decoding of bytes with clear errors, and sniffing of a file's format."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ...errors import Warnings
from ..document import Document
from ..source import read_text_file

__all__ = ["READERS", "SUPPORTED_SUFFIXES", "register_reader", "sniff_format", "read_document", "strip_controls"]

Reader = Callable[[str, str], Document]
READERS: dict[str, Reader] = {}
_SUFFIX_FORMATS: dict[str, str] = {".txt": "text", ".text": "text", "": "text", ".md": "markdown",
                                   ".markdown": "markdown", ".html": "html", ".htm": "html", ".xhtml": "html"}
SUPPORTED_SUFFIXES = frozenset(_SUFFIX_FORMATS)

_HTML = re.compile(r"<(?:!doctype\s+html|html|body|table|p|div|h[1-6])[\s>]", re.IGNORECASE)
_BAR_LINE = re.compile(r"^\s*\|\s*$", re.MULTILINE)
_PIPE_TABLE = re.compile(r"^\s*\|.*\|\s*\n\s*\|?\s*:?-{3,}", re.MULTILINE)
_MD_MARKS = re.compile(r"\*\*\S.*?\*\*|^#{1,6}\s+\S", re.MULTILINE | re.DOTALL)


def register_reader(name: str, reader: Reader, suffixes: tuple[str, ...] = ()) -> None:
    """Register ``reader(text, file) -> Document`` under ``name`` for the given file suffixes."""
    READERS[name] = reader
    for suffix in suffixes:
        _SUFFIX_FORMATS[suffix] = name


def sniff_format(path: str | Path, text: str) -> str:
    """The reader for a file: HTML or Markdown when the content says so, else what the extension says."""
    head = text[:20000]
    by_suffix = _SUFFIX_FORMATS.get(Path(path).suffix.lower(), "text")
    if by_suffix in {"html", "markdown"}:
        return by_suffix
    if _HTML.search(head) and head.count("<") > 3:
        return "html"
    if len(_BAR_LINE.findall(head)) >= 2 or _PIPE_TABLE.search(head) or len(_MD_MARKS.findall(head)) >= 3:
        return "markdown"
    return by_suffix


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> tuple[str, int, int]:
    r"""``text`` without control characters (tab and line breaks stay), how many were removed, and the
    1-based line of the first.

    >>> strip_controls("KẾ\x1bHOẠCH\nSở\x00 Y tế\x07")
    ('KẾHOẠCH\nSở Y tế', 3, 1)
    """
    first = _CONTROL.search(text)
    if first is None:
        return text, 0, 0
    clean, count = _CONTROL.subn("", text)
    return clean, count, text.count("\n", 0, first.start()) + 1


def read_document(path: str | Path, fmt: str | None = None) -> Document:
    """Read ``path`` with the reader its content and extension call for (or ``fmt``); control characters
    are removed first and reported (W108)."""
    text, count, first = strip_controls(read_text_file(path, frozenset(_SUFFIX_FORMATS)))
    fmt = fmt or sniff_format(path, text)
    doc = READERS[fmt](text, Path(path).name)
    if count:
        doc.issues.insert(0, Warnings.W108.format(file=doc.file, line=first, count=count, first=first))
    return doc
