"""Read a text file into numbered lines, with clear errors for bad input.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_text("KẾ HOẠCH\\nThƣc̣ hiêṇ", encoding="utf-8")
>>> src = read_source(p)
>>> src.lines[1], src.folded[1]
('Thực hiện', 'thuc hien')

Text in a legacy Vietnamese encoding (TCVN3/ABC, VNI, Windows-1258), or TCVN3/VNI text already shown as
Windows-1252 characters, is recognised by how Vietnamese each reading looks and converted to Unicode;
:func:`decode_with_notes` names the encoding it converted from (warning W109 of a document):

>>> decode_with_notes("KÕ ho¹ch thùc hiÖn NghÞ quyÕt".encode("latin-1"), "a.txt")
('Kế hoạch thực hiện Nghị quyết', ['TCVN3 (ABC)'])
>>> decode_with_notes("Keá hoaïch thöïc hieän Nghò quyeát".encode("utf-8"), "a.txt")
('Kế hoạch thực hiện Nghị quyết', ['VNI, shown as Windows-1252 characters'])
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import Errors, InputError
from ..text import fold_chars, repair

__all__ = ["SourceText", "decode", "decode_with_notes", "encode_legacy", "LEGACY_ENCODINGS", "read_bytes",
           "read_source", "read_text_file", "SUPPORTED_SUFFIXES", "MAX_INPUT_BYTES"]

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
    """Bytes to text (UTF-8, UTF-16 with its byte-order mark or without one, or a legacy Vietnamese encoding
    converted to Unicode: :func:`decode_with_notes`), or :class:`InputError` naming the problem."""
    return decode_with_notes(data, name)[0]


def decode_with_notes(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes to text and the legacy encodings the text was converted from (empty for Unicode text), or
    :class:`InputError` naming the problem: binary data (E102), bytes that are neither UTF-8 nor a legacy
    Vietnamese encoding (E103).

    UTF-16 is told by its byte-order mark or by its NUL bytes; anything else is read as UTF-8. Bytes that are
    not UTF-8 are read in each legacy encoding (:data:`LEGACY_ENCODINGS`) and the reading that looks most
    Vietnamese is kept when it looks Vietnamese enough (:func:`_legacy_reading`); UTF-8 text that is TCVN3 or
    VNI shown as Windows-1252 characters ("KÕ ho¹ch", "Keá hoaïch") is converted as well.

    >>> decode_with_notes(encode_legacy("Thực hiện Nghị quyết", "cp1258"), "a.txt")
    ('Thực hiện Nghị quyết', ['Windows-1258'])
    >>> decode_with_notes("Kế hoạch".encode("utf-8"), "a.txt")
    ('Kế hoạch', [])
    """
    notes: list[str] = []
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
        legacy = _legacy_reading(data) if encoding == "utf-8-sig" else None
        if legacy is None:
            raise InputError(Errors.E103.format(file=name, encoding=label, offset=exc.start)) from None
        text, legacy_label = legacy
        notes.append(legacy_label)
    else:
        if encoding == "utf-8-sig" and not text.isascii():
            legacy = _mojibake_reading(text)
            if legacy is not None:
                text, legacy_label = legacy
                notes.append(legacy_label)
    sample = text[:8192]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v" or ch == "\x00")
    if control > max(8, len(sample) // 50):
        raise InputError(Errors.E102.format(file=name, detail=f"{control} control characters"))
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


# --- legacy Vietnamese encodings ------------------------------------------------------------------------------

LEGACY_ENCODINGS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258"}
"""The legacy encodings :func:`decode_with_notes` recognises: key → the name W109 gives."""

_MOJIBAKE = ", shown as Windows-1252 characters"
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_NUCLEI = sorted(("a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô "
                  "uơ ưa ưi ươ ưu uy yê iêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu yêu").split(), key=len, reverse=True)
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:" + "|".join(_NUCLEI)
                       + r")(?:ch|ng|nh|[cmnptk])?")
_WORD = re.compile(r"[^\W\d_]+")
_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_CP1252_BYTE = {ch: b for b, ch in _CP1252.items()}
_QUOTES = {0x91, 0x92, 0x93, 0x94}
_OPENING = {0x91, 0x93}
_ELLIPSIS = 0x85
_TCVN3_CONTROLS = re.compile("[\x01\x02\x04-\x06\x11-\x17]")  # capitals of TCVN3 (VN1) in the control range
_MIN_SYLLABLES = 3  # fewer Vietnamese syllables than this are no evidence of an encoding
_MIN_SHARE = 0.8  # share of the words with diacritics that must be Vietnamese syllables


@cache
def _tables() -> tuple[dict[int, str], frozenset[int], dict[str, str], re.Pattern[str]]:
    """TCVN3 byte → letter, the TCVN3 bytes that are punctuation outside capitals, VNI sequence → letter and the
    pattern of VNI sequences (longest first), from ``ontology/legacy_encodings.yaml``."""
    from ..ontology import DATA_DIR, load_yaml

    data = load_yaml(DATA_DIR / "legacy_encodings.yaml")
    tcvn = {int(code, 16): letter for letter, code in data["tcvn3"].items()}
    ambiguous = frozenset(int(code, 16) for code in data["tcvn3_ambiguous"])
    vni = {seq: letter for letter, seq in data["vni"].items()}
    for seq, letter in list(vni.items()):  # a capital vowel with a small mark ("Uûy ban" for "Ủy ban")
        if len(seq) == 2 and seq[0].isupper() and seq[0].lower() + seq[1] in vni:
            vni.setdefault(seq[0] + seq[1].lower(), letter)
    pattern = re.compile("|".join(re.escape(seq) for seq in sorted(vni, key=len, reverse=True)))
    return tcvn, ambiguous, vni, pattern


def _is_syllable(word: str) -> bool:
    """Whether ``word`` is a Vietnamese syllable: an onset, a vowel nucleus, a coda and at most one tone.

    >>> [_is_syllable(w) for w in ("nghiệp", "Quyết", "Đắk", "hoaïch", "kéa", "fỹr")]
    [True, True, True, False, False, False]
    """
    parts = unicodedata.normalize("NFD", word.lower())
    toneless = "".join(ch for ch in parts if ch not in _TONES)
    if len(parts) - len(toneless) > 1:
        return False
    return _SYLLABLE.fullmatch(unicodedata.normalize("NFC", toneless)) is not None


def _odd(ch: str) -> bool:
    """A character legacy text shows where a Vietnamese letter should be: Latin-1 symbols, C1 controls."""
    return "\x80" <= ch <= "\xbf" and ch != "\xa0" or ch == "\ufffd"


def _score(text: str) -> tuple[int, int]:
    """How Vietnamese ``text`` looks: (words with diacritics that are Vietnamese syllables, other such words
    plus odd symbols)."""
    good = bad = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if not word.isascii():
            if _is_syllable(word):
                good += 1
            else:
                bad += 1
    return good, bad + sum(1 for ch in text if _odd(ch))


def _looks_vietnamese(good: int, bad: int) -> bool:
    return good >= _MIN_SYLLABLES and good >= _MIN_SHARE * (good + bad)


def _capital(ch: str, tcvn: dict[int, str], ambiguous: frozenset[int]) -> bool:
    code = ord(ch)
    if code < 256 and code in tcvn:
        return code not in ambiguous and tcvn[code].isupper()
    return "A" <= ch <= "Z"


def _letter(ch: str, tcvn: dict[int, str], ambiguous: frozenset[int]) -> bool:
    return ch.isascii() and ch.isalpha() or ord(ch) in tcvn and ord(ch) not in ambiguous


def _typed_in_capitals(text: str) -> bool:
    """Whether a word of ``text`` has a small letter with a diacritic between capitals ("HOạCH"): the line was
    typed in a capitals font of the ABC set (.VnTimeH), which shows small letters' bytes as capitals."""
    for word in _WORD.findall(text):
        for i, ch in enumerate(word):
            if (ch.islower() and not ch.isascii() and any("A" <= c <= "Z" for c in word[:i])
                    and any("A" <= c <= "Z" for c in word[i + 1:])):
                return True
    return False


def _from_tcvn3(line: str) -> str:
    """A line of TCVN3 (each character below U+0100 standing for its byte) in Unicode.

    Bytes of capitals that Word documents in the ABC fonts use for punctuation (curly quotes, dashes) are
    letters only inside a word in capitals; a line whose letters were typed in a capitals font (.VnTimeH,
    which shows the small letters' bytes as capitals) is put in capitals.

    >>> _from_tcvn3("\\x93KÕ ho¹ch\\x94 \\x96 HO\\x84CH"), _from_tcvn3("Uû BAN NH©N D©N")
    ('“Kế hoạch” – HOẠCH', 'UỶ BAN NHÂN DÂN')
    """
    tcvn, ambiguous, _, _ = _tables()
    out = []
    for i, ch in enumerate(line):
        code = ord(ch)
        letter = tcvn.get(code) if code < 256 else None
        if letter is not None and code in ambiguous:
            before = line[i - 1] if i else " "
            after = line[i + 1] if i + 1 < len(line) else " "
            if code in _OPENING:  # Ị, Ỏ inside or at the end of a word in capitals; ‘ “ before a word
                inside = _capital(before, tcvn, ambiguous)
            elif code in _QUOTES:  # Ò, Õ inside a word in capitals; ’ ” after a word
                inside = (_letter(before, tcvn, ambiguous) and _letter(after, tcvn, ambiguous)
                          and (_capital(before, tcvn, ambiguous) or _capital(after, tcvn, ambiguous)))
            elif code == _ELLIPSIS:  # Ặ inside a word (ă is never the end of a syllable); … elsewhere
                inside = _letter(before, tcvn, ambiguous) and _letter(after, tcvn, ambiguous)
            else:  # Ó, Ọ, Ộ after a capital or inside a word; • – — elsewhere
                inside = (_capital(before, tcvn, ambiguous)
                          or _letter(before, tcvn, ambiguous) and _letter(after, tcvn, ambiguous))
            letter = letter if inside else None
        if letter is None and 0x80 <= code < 0xA0:
            letter = _CP1252.get(code, ch)
        out.append(ch if letter is None else letter)
    text = "".join(out)
    ascii_letters = [ch for ch in line if ch.isascii() and ch.isalpha()]
    if all(ch.isupper() for ch in ascii_letters) and _typed_in_capitals(text):
        text = text.upper()
    return text


def _from_vni(line: str) -> str:
    """A line of VNI (each character below U+0100 standing for its Windows-1252 byte) in Unicode.

    >>> _from_vni("Keá hoaïch thöïc hieän; UÛY BAN NHAÂN DAÂN")
    'Kế hoạch thực hiện; ỦY BAN NHÂN DÂN'
    """
    _, _, vni, pattern = _tables()
    line = "".join(_CP1252.get(ord(ch), ch) if "\x80" <= ch < "\xa0" else ch for ch in line)
    return pattern.sub(lambda m: vni[m.group()], line)


def _from_cp1258(line: str) -> str:
    return unicodedata.normalize("NFC", line.encode("latin-1").decode("cp1258", errors="replace"))


_READERS = {"tcvn3": _from_tcvn3, "vni": _from_vni, "cp1258": _from_cp1258}


def _best(lines: list[str | None], legacy: list[str], suffix: str = "") -> tuple[str, str] | None:
    """The best reading of the ``legacy`` lines (``None`` in ``lines``) among the legacy encodings, if one looks
    Vietnamese: (the whole text, the encoding's name)."""
    best: tuple[int, str, list[str]] | None = None
    for key, reader in _READERS.items():
        if suffix and key == "cp1258":
            continue
        read = [reader(line) for line in legacy]
        good, bad = _score("".join(read))
        if _looks_vietnamese(good, bad) and (best is None or good - bad > best[0]):
            best = (good - bad, key, read)
    if best is None:
        return None
    converted = iter(best[2])
    text = "".join(line if line is not None else next(converted) for line in lines)
    return text, LEGACY_ENCODINGS[best[1]] + suffix


def _legacy_reading(data: bytes) -> tuple[str, str] | None:
    """Bytes that are not UTF-8 read in the legacy encoding that makes them most Vietnamese, if any does.

    Lines that are UTF-8 stay so (a file put together from a Unicode part and a legacy part); the others are
    read in each legacy encoding, and a reading is kept when at least 80% of its words with diacritics are
    Vietnamese syllables (and at least 3 are).
    """
    lines: list[str | None] = []
    legacy: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for raw in data.splitlines(keepends=True):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = None
        if line is not None and not _TCVN3_CONTROLS.search(line) and (line.isascii() or _unicode_line(line)):
            lines.append(line)
        else:
            lines.append(None)
            legacy.append(raw.decode("latin-1"))
    return _best(lines, legacy)


def _unicode_line(line: str) -> bool:
    """Whether a line that is valid UTF-8 reads as Vietnamese in UTF-8 (legacy bytes may be valid UTF-8 by chance:
    a Windows-1258 tone mark before "…")."""
    good, bad = _score(line)
    return good > 0 and good >= bad


def _mojibake_reading(text: str) -> tuple[str, str] | None:
    """UTF-8 text that is TCVN3 or VNI shown as Windows-1252 (or Latin-1) characters, converted, if it is.

    Only when the text does not look Vietnamese as it is, and a reading looks Vietnamese and better; lines with
    characters outside Windows-1252 (Unicode Vietnamese letters among them) are Unicode already and stay.
    """
    good, bad = _score(text)
    if bad <= good:
        return None
    lines: list[str | None] = []
    legacy: list[str] = []
    for line in text.splitlines(keepends=True):
        if (line.isascii() and not _TCVN3_CONTROLS.search(line)
                or any(ord(ch) > 0xFF and ch not in _CP1252_BYTE for ch in line)):
            lines.append(line)
        else:
            lines.append(None)
            legacy.append("".join(chr(_CP1252_BYTE[ch]) if ch in _CP1252_BYTE else ch for ch in line))
    found = _best(lines, legacy, _MOJIBAKE)
    if found is None:
        return None
    new_good, new_bad = _score(found[0])
    return found if new_good - new_bad > good - bad + 2 else None


def encode_legacy(text: str, encoding: str) -> bytes:
    """``text`` in a legacy encoding (a key of :data:`LEGACY_ENCODINGS`), as a converter of the time wrote it:
    what the encoding cannot write becomes ``?``. Used to test the conversions by round trip.

    >>> encode_legacy("Kế hoạch “số 1”", "tcvn3"), encode_legacy("Kế hoạch", "vni")
    (b'K\\xd5 ho\\xb9ch \\x93s\\xe8 1\\x94', b'Ke\\xe1 hoa\\xefch')
    >>> encode_legacy("Thực hiện", "cp1258")  # ư and ê precomposed, the tones as combining marks
    b'Th\\xfd\\xf2c hi\\xea\\xf2n'
    """
    tcvn, _, vni, _ = _tables()
    out = bytearray()
    if encoding == "tcvn3":
        to_byte = {letter: code for code, letter in tcvn.items()}
        for ch in unicodedata.normalize("NFC", text):
            if ch.isascii():
                out += ch.encode("ascii")
            elif ch in to_byte:
                out.append(to_byte[ch])
            elif ch in _CP1252_BYTE or "\xa0" <= ch <= "\xff" and ord(ch) not in tcvn:
                out.append(_CP1252_BYTE.get(ch, ord(ch)))
            else:
                out += b"?"
        return bytes(out)
    if encoding == "vni":
        to_seq = {letter: seq for seq, letter in vni.items()}
        marks = {ch for seq in vni for ch in seq if not ch.isascii()}
        for ch in unicodedata.normalize("NFC", text):
            if ch in to_seq:
                out += to_seq[ch].encode("cp1252")
            elif ch.isascii() or ch not in marks and (ch in _CP1252_BYTE or "\xa0" <= ch <= "\xff"):
                out += ch.encode("cp1252")
            else:
                out += b"?"
        return bytes(out)
    if encoding == "cp1258":
        for ch in unicodedata.normalize("NFC", text):
            try:
                out += ch.encode("cp1258")
                continue
            except UnicodeEncodeError:
                pass
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            try:
                out += base.encode("cp1258") + tones.encode("cp1258")
            except UnicodeEncodeError:
                out += b"?"
        return bytes(out)
    raise ValueError(f"unknown legacy encoding {encoding!r}; known: {', '.join(LEGACY_ENCODINGS)}")


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
