"""Text normalization: repair PDF artifacts and build accent-insensitive matching keys.

The original text is kept for display; matching runs on a *folded* key: NFC,
PDF artifacts repaired, diacritics removed, ``đ`` → ``d``, lower case.

>>> repair("Thƣc̣ hiêṇ Kế hoac̣h")
'Thực hiện Kế hoạch'
>>> fold("  Sở  Khoa học và Công nghệ ")
'so khoa hoc va cong nghe'
>>> fold_chars("Đổi mới") == "doi moi"
True
>>> slug("Quyết định số 569/QĐ-TTg")
'quyet-dinh-so-569-qd-ttg'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["repair", "fold", "fold_chars", "slug", "collapse_spaces", "squeeze"]

# Characters that PDF font subsets put in place of Vietnamese letters.
_CHAR_REPAIRS = str.maketrans({"ƣ": "ư", "Ƣ": "Ư", "Ö": "Ú", "ö": "ú"})
# Tone marks: in Vietnamese they sit on a vowel; PDF extraction sometimes attaches them
# to the consonant that follows the vowel ("Thƣc̣" for "Thực").
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = set("aeiouyAEIOUY")
_SPACES = re.compile(r"\s+")
# a tone mark after something other than a vowel and its marks: where a mark may be misplaced
_TONE_AFTER_CONSONANT = re.compile("[^aeiouyAEIOUY\u0300-\u036f][\u0300-\u036f]*[\u0300\u0301\u0303\u0309\u0323]")


def _move_misplaced_tones(decomposed: str) -> str:
    chars = list(decomposed)
    out: list[str] = []
    for ch in chars:
        if ch in _TONE_MARKS and out:
            base_index = len(out) - 1
            while base_index >= 0 and unicodedata.combining(out[base_index]):
                base_index -= 1
            if base_index >= 0 and out[base_index].isalpha() and out[base_index] not in _VOWELS:
                vowel_index = base_index - 1
                while vowel_index >= 0 and (unicodedata.combining(out[vowel_index]) or out[vowel_index] in _VOWELS):
                    if out[vowel_index] in _VOWELS:
                        break
                    vowel_index -= 1
                if vowel_index >= 0 and out[vowel_index] in _VOWELS:
                    insert_at = vowel_index + 1
                    while insert_at < len(out) and unicodedata.combining(out[insert_at]):
                        insert_at += 1
                    out.insert(insert_at, ch)
                    continue
        out.append(ch)
    return "".join(out)


def repair(text: str) -> str:
    """Return ``text`` in NFC with the PDF artifacts of the genre repaired.

    ``ƣ`` becomes ``ư`` and a tone mark attached to a consonant moves to the vowel
    before it. Nothing else changes, so the result is still display text.
    """
    if text.isascii():
        return text
    text = text.translate(_CHAR_REPAIRS)
    decomposed = unicodedata.normalize("NFD", text)
    if _TONE_AFTER_CONSONANT.search(decomposed):
        decomposed = _move_misplaced_tones(decomposed)
    return unicodedata.normalize("NFC", decomposed)


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


class _FoldTable(dict):
    """``str.translate`` table of :func:`_fold_char`, filled as characters are first met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_chars(text: str) -> str:
    """Fold ``text`` (already NFC) character by character: same length as the input.

    Offsets in the folded string are offsets in ``text``, so a match found on the
    folded form can be cut out of the original.
    """
    return text.translate(_FOLD_TABLE)


def collapse_spaces(text: str) -> str:
    """Collapse runs of white space into one space and strip the ends."""
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """The matching key of ``text``: repaired, diacritics removed, lower case, spaces collapsed."""
    return collapse_spaces(fold_chars(repair(text)))


def squeeze(text: str) -> str:
    """The folded text's letters and digits alone: a key that OCR's lost and added spaces and marks do not change.

    >>> squeeze("Sở  Khoa học, và Công nghệ;"), squeeze("S& Khoahoc va Cong nghé")
    ('sokhoahocvacongnghe', 'skhoahocvacongnghe')
    """
    return re.sub(r"[^a-z0-9]", "", fold(text))


def slug(text: str) -> str:
    """An ASCII identifier fragment: the folded text with every run of other characters as ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
