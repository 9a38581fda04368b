"""The reader registry, decoding of bytes with clear errors, and sniffing of a file's format.

Text readers take the file's decoded text: ``reader(text, file) -> Document``. Binary readers
(PDF, images, Word, spreadsheets; registered with ``binary=True``) take its bytes:
``reader(data, file) -> Document``; the format of a binary file is known from its first bytes
(:func:`sniff_binary`) as well as from its extension.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any
from pathlib import Path

from ...errors import Errors, InputError, Warnings
from ..document import Document
from ..source import decode_with_notes, read_bytes

__all__ = ["READERS", "BINARY_FORMATS", "register_reader", "sniff_format", "sniff_binary",
           "read_document", "strip_controls", "supported_suffixes"]

Reader = Callable[[Any, str], Document]
READERS: dict[str, Reader] = {}
BINARY_FORMATS: set[str] = set()
_SUFFIX_FORMATS: dict[str, str] = {".txt": "text", ".text": "text", "": "text", ".md": "markdown",
                                   ".markdown": "markdown", ".html": "html", ".htm": "html", ".xhtml": "html"}
_MAGIC: list[tuple[bytes, str]] = []  # (first bytes, format) of binary formats

_HTML = re.compile(r"<(?:!doctype\s+html|html|body|table|p|div|h[1-6])[\s>]", re.IGNORECASE)
_BAR_LINE = re.compile(r"^\s*\|\s*$", re.MULTILINE)
_PIPE_TABLE = re.compile(r"^\s*\|.*\|\s*\n\s*\|?\s*:?-{3,}", re.MULTILINE)
_MD_MARKS = re.compile(r"\*\*\S.*?\*\*|^#{1,6}\s+\S", re.MULTILINE | re.DOTALL)


def register_reader(name: str, reader: Reader, suffixes: tuple[str, ...] = (), *, binary: bool = False,
                    magic: tuple[bytes, ...] = ()) -> None:
    """Register ``reader`` under ``name`` for the given file suffixes: ``reader(text, file)``, or with
    ``binary=True`` ``reader(data, file)``; ``magic`` are first bytes that say a file is of this format."""
    READERS[name] = reader
    if binary:
        BINARY_FORMATS.add(name)
    for suffix in suffixes:
        _SUFFIX_FORMATS[suffix] = name
    _MAGIC.extend((prefix, name) for prefix in magic)


def supported_suffixes() -> frozenset[str]:
    """The file suffixes some registered reader reads ("" for files without one)."""
    return frozenset(_SUFFIX_FORMATS)


_ZIP_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"))  # what an Office ZIP holds, by format
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_binary(path: str | Path, head: bytes) -> str | None:
    """The binary format a file's first bytes say it is in (or its extension, for a binary format), else None.

    Office files are ZIPs: given the whole file, the parts inside tell Word (``word/document.xml``) from Excel
    (``xl/workbook.xml``). A ``.doc`` is an old Word file only when it is one (OLE or RTF): portals serve
    HTML pages under that name too, which are read as text.
    """
    for prefix, name in _MAGIC:
        if head.startswith(prefix):
            return name
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(head)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        if found := next((fmt for part, fmt in _ZIP_PARTS if part in names and fmt in READERS), None):
            return found
    by_suffix = _SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if by_suffix == "doc" and not head.startswith((_OLE, b"{\\rtf")):
        return None
    return by_suffix if by_suffix in BINARY_FORMATS else None


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


def read_document(path: str | Path, fmt: str | None = None, head: str | None = None) -> Document:
    """Read ``path`` with the reader its content and extension call for (or ``fmt``); control characters
    of text are removed first and reported (W108), text in a legacy Vietnamese encoding is converted to Unicode
    and reported (W109). ``head`` names the document when the file names none itself ("Kế hoạch 12/KH-UBND
    ngày 05/3/2025 của UBND tỉnh Bắc Ninh": a task list kept as a spreadsheet), see
    :func:`~policykg.loaders.readers.sheet.with_head`."""
    doc = _read(path, fmt)
    if head:
        from .sheet import with_head

        doc = with_head(doc, head)
    return doc


def _read(path: str | Path, fmt: str | None) -> Document:
    path = Path(path)
    if path.suffix.lower() not in _SUFFIX_FORMATS:
        known = ", ".join(sorted(s for s in _SUFFIX_FORMATS if s))
        raise InputError(Errors.E106.format(file=path.name, suffix=path.suffix, known=known))
    data = read_bytes(path)
    if not data.strip():
        raise InputError(Errors.E101.format(file=path.name))
    doc = _parse(path, fmt, data)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def _parse(path: Path, fmt: str | None, data: bytes) -> Document:
    binary = fmt if fmt in BINARY_FORMATS else None if fmt else sniff_binary(path, data)
    if binary:
        return READERS[binary](data, path.name)
    text, encodings = decode_with_notes(data, path.name)
    if not text.strip():
        raise InputError(Errors.E101.format(file=path.name))
    text, count, first = strip_controls(text)
    fmt = fmt or sniff_format(path, text)
    doc = READERS[fmt](text, path.name)
    if count:
        doc.issues.insert(0, Warnings.W108.format(file=doc.file, line=first, count=count, first=first))
    for encoding in reversed(encodings):
        doc.issues.insert(0, Warnings.W109.format(file=doc.file, encoding=encoding))
    return doc
