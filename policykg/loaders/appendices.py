"""Appendices a document refers to ("Chi tiết tại Phụ lục I", "Có Phụ lục II kèm theo") and the
appendices it holds (a "Phụ lục I" heading line), so that a missing appendix can be reported.

>>> from policykg.loaders.source import SourceText
>>> lines = ["KẾ HOẠCH", "Các chỉ tiêu (Chi tiết tại Phụ lục I kèm theo)", "(Có Phụ lục II kèm theo)",
...          "theo Phụ lục III ban hành kèm theo Thông tư số 29/2024/TT-BTC", "Phụ lục II", "TT Nhiệm vụ"]
>>> src = SourceText("a.txt", lines, [])
>>> appendices(src, 0, 6, [False] * 6)
([['1', 2], ['2', 3]], ['2'])

An appendix of another document ("Phụ lục I của Nghị định số 30/2020/NĐ-CP") is not one the file should hold.
"""

from __future__ import annotations

import re

from ..text import fold_chars
from .source import SourceText
from .tables import APPENDIX_RE

__all__ = ["appendices"]

_REFERENCE = re.compile(r"ph\S{0,2}\s?l\S{0,2}c\s+(?P<num>[ivxl]{1,4}|\d{1,2})\b")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_KINDS = r"(?:ngh\S{0,2} (?:\S{0,2}\S?nh|quy\S{0,2}t)|th\S{0,2}ng t\S{0,2}|quy\S{0,2}t \S{0,2}\S?nh|k\S{0,2} ho\S{0,2}ch|lu\S{0,2}t|ch\S{0,2} th\S{0,2})"
# After a reference, the document whose appendix it is, when that is not the citing one ("... này").
_OTHER_DOCUMENT = re.compile(
    rf"[\s,)]*(?:\([^()]{{0,40}}\)\s*)?"
    rf"(?:(?:[^.;()]{{0,80}}?\s)?\(?(?:c\S{{0,2}}a|ban h\S{{0,2}}nh k\S{{0,2}}m theo|k\S{{0,2}}m theo|t\S{{0,2}}i)\s+)?"
    rf"{_KINDS}\s+(?!n\S{{0,2}}y\b)(?:s\S{{0,2}}\s+)?\d")


def _label(token: str) -> str:
    token = token.lower()
    if token.isdigit():
        return str(int(token))
    values = [_ROMAN[c] for c in token]
    return str(sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values)))


def appendices(src: SourceText, start: int, end: int, mask: list[bool]) -> tuple[list[list], list[str]]:
    """The appendices referred to in lines ``start``–``end`` (label, 1-based line; first reference of each)
    and the labels of the appendix headings found there ("Phụ lục" alone counts as "1")."""
    cited: dict[str, int] = {}
    found: list[str] = []
    for i in range(start, end):
        if mask[i]:
            continue
        folded = fold_chars(src.lines[i]).lower()
        if m := APPENDIX_RE.match(folded.strip()):
            found.append(_label(m.group("num")) if m.group("num") else "1")
            continue
        following = folded + " " + (fold_chars(src.lines[i + 1]).lower() if i + 1 < end else "")
        for ref in _REFERENCE.finditer(folded):
            if _OTHER_DOCUMENT.match(following, ref.end()):
                continue  # "Phụ lục II ban hành kèm theo Thông tư số 29/2024/TT-BTC": another document's appendix
            cited.setdefault(_label(ref.group("num")), src.line_no(i))
    return [[label, line] for label, line in cited.items()], sorted(set(found))
