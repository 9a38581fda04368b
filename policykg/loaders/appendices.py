"""Appendices a document refers to ("Chi tiết tại Phụ lục I", "Có Phụ lục II kèm theo") and the
appendices it holds (a "Phụ lục I" heading line), so that a missing appendix can be reported.

>>> from policykg.loaders.source import SourceText
>>> lines = ["KẾ HOẠCH", "Các chỉ tiêu (Chi tiết tại Phụ lục I kèm theo)", "(Có Phụ lục II kèm theo)",
...          "Phụ lục II", "TT Nhiệm vụ"]
>>> src = SourceText("a.txt", lines, [])
>>> appendices(src, 0, 5, [False] * 5)
([['1', 2], ['2', 3]], ['2'])
"""

from __future__ import annotations

import re

from ..text import fold_chars
from .source import SourceText
from .tables import APPENDIX_RE

__all__ = ["appendices"]

_REFERENCE = re.compile(r"ph\S{0,2}\s?l\S{0,2}c\s+(?P<num>[ivxl]{1,4}|\d{1,2})\b")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


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
        for ref in _REFERENCE.finditer(folded):
            cited.setdefault(_label(ref.group("num")), src.line_no(i))
    return [[label, line] for label, line in cited.items()], sorted(set(found))
