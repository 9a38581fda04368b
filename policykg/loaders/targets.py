"""Indicators (chỉ tiêu): dated lists in a plan's objectives, and indicator tables.

In the body, the objectives section ("MỤC TIÊU") lists indicators under dated headings
("2.1. Đến hết năm 2025") and fields ("a) Phát triển hạ tầng"): each bullet is one
``Target`` with that year and field. General objectives ("Mục tiêu chung") are not
indicators. A bullet that starts with its own year ("Đến năm 2030, ...") takes that year.
"""

from __future__ import annotations

import re

from ..records import Provenance, TargetRecord
from ..text import collapse_spaces, fold_chars
from .context import ExtractContext
from .layout import BULLET_RE, LETTER_RE, NUMBERED_RE, Heading, Paragraph

__all__ = ["extract_listed_targets", "OBJECTIVES_SECTION"]

OBJECTIVES_SECTION = re.compile(r"^\s*m\S{0,2}c ti\S{0,2}u\b")
_YEAR_HEADING = re.compile(r"\b(?:d\S{0,2}n|t\S{0,2}i)(?: h\S{0,2}t)?(?: n\S{0,2}m)?\s+((?:19|20)\d\d)\b")
_GENERAL = re.compile(r"m\S{0,2}c ti\S{0,2}u (?:chung|t\S{0,2}ng qu\S{0,2}t)")


def extract_listed_targets(paras: list[Paragraph], headings: list[Heading], *, context: ExtractContext) -> list[TargetRecord]:
    """Targets listed as bullets in the objectives section."""
    document, file, confidence = context.document, context.file, context.confidence
    targets: list[TargetRecord] = []
    for h_index, heading in enumerate(headings):
        if heading.level != "roman" or not OBJECTIVES_SECTION.match(fold_chars(heading.title).lower()):
            continue
        end = headings[h_index + 1].index if h_index + 1 < len(headings) else len(paras)
        section = [f"{heading.number}. {heading.title}"]
        year: int | None = None
        year_label: str | None = None
        area: str | None = None
        general = False
        count = 0
        for para in paras[heading.index + 1:end]:
            folded = fold_chars(para.text).lower()
            if m := NUMBERED_RE.match(para.text):
                general = bool(_GENERAL.search(folded))
                dated = _YEAR_HEADING.search(fold_chars(m.group("rest")).lower())
                if dated and len(m.group("rest")) < 80:
                    year, year_label = int(dated.group(1)), collapse_spaces(para.text)
                    area = None
                elif "." not in m.group("num"):
                    year = year_label = area = None
                continue
            if m := LETTER_RE.match(para.text):
                area = collapse_spaces(m.group("rest")).rstrip(" :")
                continue
            if general or not BULLET_RE.match(para.text):
                continue
            text = collapse_spaces(BULLET_RE.sub("", para.text, count=1))
            own = _YEAR_HEADING.match(fold_chars(text).lower())
            target_year = int(own.group(1)) if own else year
            if target_year is None:
                continue
            count += 1
            targets.append(TargetRecord(
                document=document, section=section + ([year_label] if year_label else []), number=str(count),
                text=text, provenance=Provenance(file, para.line_start, para.line_end, "list", confidence),
                year=target_year, area=area,
            ))
    return targets
