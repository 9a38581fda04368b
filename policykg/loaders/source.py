"""Read a text file into numbered lines, with clear errors for bad input.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_text("KẾ HOẠCH\\nThƣc̣ hiêṇ", encoding="utf-8")
>>> src = read_source(p)
>>> src.lines[1], src.folded[1]
('Thực hiện', 'thuc hien')
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..errors import Errors, InputError
from ..text import fold_chars, repair

__all__ = ["SourceText", "decode", "read_source", "read_text_file", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = {".txt", ".text", ""}


@dataclass
class SourceText:
    """A file's text lines (repaired NFC) and their folded keys.

    ``lines[i]`` is source line ``i + 1``, or line ``numbers[i]`` when the lines are a
    document's text in reading order (a reader's :attr:`~policykg.loaders.document.Document.lines`).
    """

    file: str
    lines: list[str]
    folded: list[str]
    numbers: list[int] | None = None

    def line_no(self, index: int) -> int:
        """The 1-based source line number of 0-based ``index``."""
        if self.numbers is None:
            return index + 1
        return self.numbers[min(max(index, 0), len(self.numbers) - 1)] if self.numbers else 0


def decode(data: bytes, name: str) -> str:
    """Bytes to text (UTF-8, or UTF-16 with its byte-order mark), or :class:`InputError` naming the problem."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    elif b"\x00" in data[:4096]:
        raise InputError(Errors.E102.format(file=name, detail="NUL bytes"))
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise InputError(Errors.E103.format(file=name, encoding=label, offset=exc.start)) from None
    sample = text[:8192]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v" or ch == "\x00")
    if control > max(8, len(sample) // 50):
        raise InputError(Errors.E102.format(file=name, detail=f"{control} control characters"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(path: str | Path, suffixes: frozenset[str] | set[str] = SUPPORTED_SUFFIXES) -> str:
    """The text of ``path`` (a file of one of ``suffixes``), or :class:`InputError`: unsupported type, unreadable,
    binary, badly encoded or empty."""
    path = Path(path)
    name = path.name
    if path.suffix.lower() not in suffixes:
        raise InputError(Errors.E106.format(file=name, suffix=path.suffix))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Errors.E105.format(file=name, detail=exc.strerror or str(exc))) from None
    text = decode(data, name)
    if not text.strip():
        raise InputError(Errors.E101.format(file=name))
    return text


def read_source(path: str | Path) -> SourceText:
    """Read ``path`` as plain text lines, or raise :class:`InputError` naming the file and the problem."""
    name = Path(path).name
    text = read_text_file(path)
    lines = [repair(line) for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return SourceText(name, lines, [fold_chars(line) for line in lines])
