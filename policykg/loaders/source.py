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
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import Errors, InputError
from ..text import fold_chars, repair

__all__ = ["SourceText", "decode", "read_bytes", "read_source", "read_text_file", "SUPPORTED_SUFFIXES",
           "MAX_INPUT_BYTES"]

SUPPORTED_SUFFIXES = {".txt", ".text", ""}
MAX_INPUT_BYTES = 64 * 1024 * 1024  # a policy document is well under 1 MiB; anything this big is not one
_SNIFF_BYTES = 4096


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


def _utf16_without_bom(data: bytes) -> str | None:
    r"""``"utf-16-le"`` or ``"utf-16-be"`` when the NUL bytes of the first 4 KB fall at the odd (LE) or the even
    (BE) positions, as they do in UTF-16 text of Latin script (Vietnamese included) written without a
    byte-order mark; ``None`` for anything else (stray NULs, binary data).

    >>> _utf16_without_bom("Kế hoạch số 12".encode("utf-16-le")), _utf16_without_bom("Kế hoạch".encode("utf-16-be"))
    ('utf-16-le', 'utf-16-be')
    >>> _utf16_without_bom(b"Ke hoach\x00\x00\x00\x00so 12") is None
    True
    """
    sample = data[:_SNIFF_BYTES]
    units = len(sample) // 2
    if not units:
        return None
    even, odd = sample[0:units * 2:2].count(0), sample[1:units * 2:2].count(0)
    if odd >= 0.3 * units and even <= 0.02 * units:
        return "utf-16-le"
    if even >= 0.3 * units and odd <= 0.02 * units:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str) -> str:
    """Bytes to text (UTF-8, or UTF-16 with its byte-order mark or without one), or :class:`InputError`
    naming the problem."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding, label = "utf-16", "UTF-16"
    elif b"\x00" in data[:_SNIFF_BYTES]:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(Errors.E102.format(file=name, detail="NUL bytes"))
        label = encoding.upper() + " without a byte-order mark"
    else:
        encoding, label = "utf-8-sig", "UTF-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(Errors.E103.format(file=name, encoding=label, offset=exc.start)) from None
    sample = text[:8192]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v" or ch == "\x00")
    if control > max(8, len(sample) // 50):
        raise InputError(Errors.E102.format(file=name, detail=f"{control} control characters"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file of data"


def _size(n: int) -> str:
    return f"{n:,} bytes, {n / 1048576:.1f} MiB" if n >= 1048576 else f"{n:,} bytes"


def _cannot_read(name: str, detail: str) -> InputError:
    return InputError(Errors.E105.format(file=name, detail=detail))


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (:data:`MAX_INPUT_BYTES`), or
    :class:`InputError`: missing, a broken link, a directory (E105), not a regular file — a FIFO, a device,
    a socket (E108), too large (E109), unreadable (E105).

    The file is checked before it is opened, so a FIFO or ``/dev/zero`` never blocks or fills memory, and
    checked again once open (it may have been replaced meanwhile); ``limit + 1`` bytes are read rather than
    trusting the size the file had when it was checked, since files can grow.
    """
    path = Path(path)
    name = path.name
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise _cannot_read(name, f"a broken symbolic link (its target {os.readlink(path)!r} does not exist)")
        raise _cannot_read(name, "no such file") from None
    except OSError as exc:
        raise _cannot_read(name, exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise _cannot_read(name, "it is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(Errors.E108.format(file=name, kind=_kind(info.st_mode)))
    if info.st_size > limit:
        raise InputError(Errors.E109.format(file=name, size=_size(info.st_size), limit=_size(limit)))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket (or a FIFO without a writer) put in the file's place
            raise InputError(Errors.E108.format(file=name, kind="a socket or a FIFO")) from None
        raise _cannot_read(name, exc.strerror or str(exc)) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(Errors.E108.format(file=name, kind=_kind(mode)))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _cannot_read(name, exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise InputError(Errors.E109.format(file=name, size="more than " + _size(limit), limit=_size(limit)))
    return data


def read_text_file(path: str | Path, suffixes: frozenset[str] | set[str] = SUPPORTED_SUFFIXES) -> str:
    """The text of ``path`` (a file of one of ``suffixes``), or :class:`InputError`: unsupported type, unreadable,
    not a regular file, too large, binary, badly encoded or empty."""
    path = Path(path)
    name = path.name
    if path.suffix.lower() not in suffixes:
        raise InputError(Errors.E106.format(file=name, suffix=path.suffix, known=", ".join(sorted(s for s in suffixes if s))))
    text = decode(read_bytes(path), name)
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
