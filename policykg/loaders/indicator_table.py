"""Indicator tables: "TT | Chỉ tiêu | Cơ quan chủ trì theo dõi, đánh giá".

Rows are grouped by year ("I | Đến hết năm 2025") and by field ("1 | Lĩnh vực cải cách
hành chính"); each indicator row ("1.4 | 100% Trung tâm Phục vụ hành chính công ... Sở
Khoa học và Công nghệ") ends with the agencies that monitor it. OCR garbles the numbers
("42" for 4.2, "PRE" for 1.2), so a row also starts wherever a line ends with an agency;
lines between rows continue the row above.
"""

from __future__ import annotations

import re

from ..records import AgencyMention, Provenance, TargetRecord
from ..text import collapse_spaces, fold_chars
from .layout import DocumentSpan
from .mentions import mention
from .nlp import parse
from .ocr_rows import is_noise
from .source import SourceText
from .tables import APPENDIX_RE, Column, TableHeader

__all__ = ["extract_indicator_tables"]

_YEAR_GROUP = re.compile(r"^\s?\S{1,4}\s?\|?\s?[dđp]\S{0,2}n\s?(?:h\S{0,2}t\s?)?n\S{0,3}m\s?((?:19|20)\d\d)\b")
_SECTION = re.compile(r"^\s?(?P<num>[IVX]{1,4})\.\s+(?P<rest>\S.*)$")
_SUB = re.compile(r"^\s?(?P<a>\d{1,2})\s?[.,]\s?(?P<b>\d{1,2})\s?\|?\s?(?P<rest>.*)$")
_GLUED_SUB = re.compile(r"^\s?(?P<a>\d)(?P<b>\d{1,2})\s?\|?\s(?P<rest>.*)$")
_AREA = re.compile(r"^\s?(?P<num>\d{1,2})\s?\|\s?(?P<rest>\S.*)$")


def _monitors(line: str, ocr: bool) -> tuple[list[AgencyMention], int]:
    """Agencies at the end of a line, and where the indicator's own text stops."""
    doc = parse(line, ocr)
    ents = [e for e in doc.ents if e.label_ in {"AGENCY", "COLLECTIVE"} and e.ent_id_]
    found: list[AgencyMention] = []
    end = len(line.rstrip(" .;,"))
    cut = len(line)
    for ent in reversed(ents):
        if ent.end_char < end - 3:
            break
        found.insert(0, mention(ent))
        cut = ent.start_char
        end = len(line[:ent.start_char].rstrip(" ,;:"))
    return found, cut


def extract_indicator_tables(
    src: SourceText, span: DocumentSpan, mask: list[bool], headers: list[TableHeader], document: str,
    confidence: float, ocr: bool,
) -> list[TargetRecord]:
    """Targets of the indicator tables of one document."""
    targets: list[TargetRecord] = []
    tables = [h for h in headers if Column.INDICATOR in h.columns]
    if not tables:
        return targets
    header_lines = {k for h in tables for k in range(h.start, h.end)}
    year: int | None = None
    section: str | None = None
    area: str | None = None
    area_number: str | None = None
    current: TargetRecord | None = None
    lines: list[int] = []

    def close() -> None:
        if current is not None:
            current.text = collapse_spaces(current.text)
            current.provenance = Provenance(src.file, lines[0] + 1, lines[-1] + 1, "table",
                                            current.provenance.confidence)
            targets.append(current)

    for i in range(tables[0].start, span.end):
        if i in header_lines or mask[i] or not src.lines[i].strip():
            continue
        line = src.lines[i].strip()
        folded = fold_chars(line).lower()
        if APPENDIX_RE.match(folded) and i > tables[0].end:
            break
        if m := _SECTION.match(line):
            section = collapse_spaces(f"{m.group('num')}. {m.group('rest')}")
            continue
        if m := _YEAR_GROUP.match(folded):
            close()
            current, lines, year, area, area_number = None, [], int(m.group(1)), None, None
            continue
        if is_noise(line):
            continue
        monitors, cut = _monitors(line, ocr)
        sub = _SUB.match(line)
        glued = _GLUED_SUB.match(line)
        if (m := _AREA.match(line)) and not monitors and not sub:
            close()
            current, lines = None, []
            area, area_number = collapse_spaces(m.group("rest")), m.group("num")
            continue
        number = None
        text = line[:cut]
        if sub:
            number, text = f"{sub.group('a')}.{sub.group('b')}", sub.group("rest")[: max(0, cut - sub.start("rest"))]
        elif glued and glued.group("a") == area_number:
            number, text = f"{glued.group('a')}.{glued.group('b')}", glued.group("rest")[: max(0, cut - glued.start("rest"))]
        if number or (monitors and current is None):
            close()
            lines = [i]
            numbered = sum(1 for t in targets if t.year == year and t.area == area) + 1
            current = TargetRecord(
                document=document, section=[s for s in (section, f"Năm {year}" if year else None, area) if s],
                number=number or f"{area_number or ''}.{numbered}".lstrip("."), text=text, year=year, area=area,
                provenance=Provenance(src.file, i + 1, i + 1, "table", confidence * (0.7 if ocr else 1.0)),
                monitor=monitors,
            )
            continue
        if current is None:
            continue
        lines.append(i)
        current.text += " " + text
        current.monitor += [m for m in monitors if m not in current.monitor]
    close()
    return targets
