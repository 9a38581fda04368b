"""Indicators (chỉ tiêu): dated lists in a plan's objectives, and indicator tables.

In the body, the objectives section ("MỤC TIÊU") lists indicators under dated headings
("2.1. Đến hết năm 2025") and fields ("a) Phát triển hạ tầng", "1.1. Mục tiêu 1. Lĩnh vực chính
trị"): each bullet is one ``Target`` with that year and field. A numbered item that states something
measurable ("1. 100% các xã, phường bố trí …") and a paragraph named as one ("Chỉ tiêu 2: Tỷ lệ … đạt
40%") are indicators too; prose paragraphs are not cut into indicators. General objectives ("Mục tiêu chung") are not indicators. An
indicator that names its own year ("Đến năm 2030, ...") takes that year; one with no year under no
dated heading takes the last year its text names, if any.
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
# A measurable statement: a share, a ratio, a floor ("100% ...", "tỷ lệ ... đạt 40", "ít nhất 10"), or "Chỉ tiêu 2: ..."
_MEASURE = re.compile(r"\d\s*%|\bph\S{0,2}n tr\S{0,2}m\b|\b(?:t\S{0,2} (?:l\S{0,2}|s\S{0,2}|su\S{0,2}t)|\S{0,2}t nh\S{0,2}t|t\S{0,2}i thi\S{0,2}u)\b[^.;]*\d"
                      r"|^\s*ch\S{0,2} ti\S{0,2}u\s*\d{1,2}\s*:")
_NAMED = re.compile(r"^\s*ch\S{0,2} ti\S{0,2}u\s*\d{1,2}\s*:")
_YEARS = re.compile(r"\b((?:19|20)\d\d)\b")


def _is_indicator(text: str) -> bool:
    """A statement of the objectives that can be measured.

    >>> _is_indicator("100% các xã, phường bố trí công chức"), _is_indicator("Chỉ tiêu 2: Giảm tỷ trọng lao động nữ")
    (True, True)
    >>> _is_indicator("Mục tiêu 1. Lĩnh vực chính trị"), _is_indicator("Phấn đấu đến cuối năm 2025 đạt các mục tiêu sau:")
    (False, False)
    """
    return bool(_MEASURE.search(fold_chars(text).lower()))


def _last_year(text: str) -> int | None:
    """The year an indicator's own text sets: the last one it names ("giai đoạn 2026 - 2030" → 2030)."""
    years = _YEARS.findall(text)
    return int(years[-1]) if years else None


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
            numbered = NUMBERED_RE.match(para.text)
            if (m := numbered) and not _is_indicator(m.group("rest")):
                general = bool(_GENERAL.search(folded))
                dated = _YEAR_HEADING.search(fold_chars(m.group("rest")).lower())
                if dated and len(m.group("rest")) < 80:
                    year, year_label = int(dated.group(1)), collapse_spaces(para.text)
                    area = None
                elif "." not in m.group("num"):
                    year = year_label = area = None
                if "." in m.group("num") and not dated:
                    area = collapse_spaces(m.group("rest")).rstrip(" :")
                continue
            if m := LETTER_RE.match(para.text):
                area = collapse_spaces(m.group("rest")).rstrip(" :")
                continue
            if general:
                continue
            text = collapse_spaces((BULLET_RE.sub("", para.text, count=1) if BULLET_RE.match(para.text) else
                                    (numbered.group("rest") if numbered else para.text)))
            if not BULLET_RE.match(para.text) and not (numbered or _NAMED.match(fold_chars(text).lower())):
                continue  # prose paragraphs of the objectives are not cut into indicators
            own = _YEAR_HEADING.match(fold_chars(text).lower())
            target_year = int(own.group(1)) if own else year
            if target_year is None and not _is_indicator(text):
                continue
            if target_year is None:
                target_year = _last_year(text)
            count += 1
            targets.append(TargetRecord(
                document=document, section=section + ([year_label] if year_label else []), number=str(count),
                text=text, provenance=Provenance(file, para.line_start, para.line_end, "list", confidence),
                year=target_year, area=area,
            ))
    return targets
