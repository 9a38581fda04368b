"""The head of a document: kind, number, issuer, province, date and title.

Heads are written the same way across the genre: an organisation header ("ỦY BAN NHÂN
DÂN / TỈNH VĨNH PHÚC"), "Số: 7316/KH-UBND", a place and date ("Phú Thọ, ngày 22 tháng 10
năm 2025"), the kind in capitals ("KẾ HOẠCH"), the title, and for a plan issued by a
decision "(Kèm theo Quyết định số 1925/QĐ-UBND ngày 16/8/2023 ...)". PDF extraction may
reorder those lines and OCR may garble them, so each field is looked for by its own
pattern, and what is missing is reported, not invented.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from rapidfuzz.distance import Levenshtein

from .. import ontology
from ..errors import Issue, Warnings
from ..text import collapse_spaces, fold
from .layout import _MOTTO, _ORG_HEADER, _SIGNATURE, DocumentSpan, _is_caps_heading
from ..resolve.gazetteer import gazetteer
from .nlp import DATE_RE, DOCNUM_RE, ocr_digits, parse_date
from .references import issuer_for
from .source import SourceText

__all__ = ["Head", "read_head", "IssuingReference", "match_province", "province_mentions"]

_NUMBER_LINE = re.compile(r"^\s*s\S{0,2}\s*:\s*(?P<rest>.*)$")
_BLANK_NUMBER = re.compile(r"(?:s\S{0,2}\s*:?\s*)(?P<blank>/\s*[a-z]{1,5}\s*-\s*[a-z]{2,8})")
_ISSUED_WITH = re.compile(r"^\s*\(\s*(?:ban h\S{0,2}nh\s+)?k\S{0,2}m theo (?P<kind>quy\S{0,2}t d\S{0,2}nh|k\S{0,2} ho\S{0,2}ch)")
_PLACE_DATE = re.compile(r"(?:^|\s)[a-z][a-z .]{1,30},\s*(?=ng\S{0,2}y)")
_PROVINCE_AFTER = re.compile(r"\b(?:tinh|thanh pho|tp\.?)\s+(?P<rest>[^\s,.;:()]+(?:\s+[^\s,.;:()]+){0,3})")
_UBND_HEADER = re.compile(r"\b(?:uy ban nhan dan|ubnd)\b")
_HDND_HEADER = re.compile(r"\bhoi dong nhan dan\b")
_CHAIR_HEADER = re.compile(r"^\s*chu tich (?:uy ban nhan dan|ubnd|nhan dan)\b")
_PARTY_HEADER = re.compile(r"\b(?:tinh uy|ban thuong vu tinh uy|ban chap hanh dang bo)\b")
_HEADER_WINDOW = 12
_PREAMBLE = re.compile(r"^(?:c\S{0,2}n c\S{0,2}|th\S{0,2}c hi\S{0,2}n|x\S{0,2}t \S{0,2}\S? ngh|theo \S{0,2}\S? ngh|tr\S{0,2}n c\S{0,2} s)\b")


@dataclass
class IssuingReference:
    """"(Kèm theo Quyết định số N ngày D ...)": the decision that issues this document."""

    kind: str
    number: str | None
    blank: str | None
    date: str | None
    precision: str | None
    line: int
    text: str


@dataclass
class Head:
    """The head fields of one document, with the lines they came from."""

    kind: str
    title: str
    title_lines: tuple[int, int]
    number: str | None
    blank_number: str | None  # the printed form of a number left blank ("/KH-UBND")
    issuer_kind: str | None  # UBND | HĐND | Tỉnh ủy
    province: str | None
    province_type: str
    date: str | None
    date_precision: str | None
    issued_with: IssuingReference | None
    issues: list[Issue]
    confidence: float
    national: bool = False  # issued by a national body (Thủ tướng Chính phủ, a ministry): no province


@cache
def _province_names() -> dict[str, tuple[str, str]]:
    """Folded name → (name, type) of every provincial unit, before and after 1/7/2025, from the gazetteer."""
    names: dict[str, tuple[str, str]] = {}
    units = gazetteer().provinces()
    for unit in sorted(units, key=lambda u: u.era != "before"):
        for form in [unit.name, *unit.aliases]:
            names.setdefault(fold(form), (unit.name, unit.type))
    return names


def match_province(folded_words: str) -> tuple[str, str] | None:
    """The province (name, type) a folded phrase starts with, allowing one OCR error per name.

    >>> match_province("phu tho doc 1ap - tw do")
    ('Phú Thọ', 'tỉnh')
    >>> match_province("vinh phoc")
    ('Vĩnh Phúc', 'tỉnh')
    >>> match_province("cua ubnd") is None
    True
    """
    words = folded_words.split()
    names = _province_names()
    for n in (4, 3, 2, 1):
        candidate = " ".join(words[:n])
        if len(words) < n:
            continue
        if candidate in names:
            return names[candidate]
        for name, value in names.items():
            if len(name.split()) == n and len(name) >= 6 and name[0] == candidate[:1]:
                if Levenshtein.distance(candidate, name, score_cutoff=1) <= 1:
                    return value
    return None


def province_mentions(folded_lines: list[str]) -> Counter[tuple[str, str]]:
    """How often each province is named as "tỉnh X" / "thành phố X" in the lines."""
    counts: Counter[tuple[str, str]] = Counter()
    for line in folded_lines:
        for m in _PROVINCE_AFTER.finditer(line):
            if hit := match_province(m.group("rest")):
                counts[hit] += 1
    return counts


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _title(src: SourceText, span: DocumentSpan) -> tuple[str, tuple[int, int]]:
    parts: list[str] = []
    first = last = src.line_no(span.heading)
    i = span.heading + 1
    blank_seen = False
    while i < span.end:
        line = src.lines[i].strip()
        folded = src.folded[i].strip()
        if not line:
            blank_seen = True
            i += 1
            continue
        caps = _is_caps_heading(line)
        caps_title = caps and (not parts or _all_caps(parts[-1]))
        starts_new = (line.startswith("(") or _ORG_HEADER.match(folded) or _MOTTO.match(folded) or (caps and not caps_title)
                      or collapse_spaces(folded.lower()) in _national_names() or _CHAIR_HEADER.match(folded.lower())
                      or (parts and line[:1].isupper() and _PREAMBLE.match(folded)))
        if parts and (starts_new or (blank_seen and not line[:1].islower() and not caps_title)):
            break
        if not parts and (starts_new or folded.startswith("can cu")):
            break
        if not parts:
            first = src.line_no(i)
        parts.append(line)
        last = src.line_no(i)
        blank_seen = False
        i += 1
        if len(parts) >= 8:
            break
    return collapse_spaces(" ".join(parts)), (first, last)


def _number(src: SourceText, lines: range) -> tuple[str | None, str | None]:
    """The number on the "Số:" line, or the blank form ("/KH-UBND") when the number is left blank."""
    for i in lines:
        m = _NUMBER_LINE.match(src.folded[i])
        if not m:
            continue
        rest = src.lines[i][m.start("rest"):]
        if num := DOCNUM_RE.search(rest):
            return re.sub(r"\s+", "", num.group(0)), None
        if blank := re.search(r"/\s*[A-ZĐ][A-Za-zĐđ]{0,5}\s*-\s*[A-ZĐ]{2,8}", rest):
            return None, blank.group(0).replace(" ", "")
    return None, None


def _issuing_reference(src: SourceText, span: DocumentSpan, lines: range) -> IssuingReference | None:
    for i in lines:
        m = _ISSUED_WITH.match(src.folded[i])
        if not m:
            continue
        text = src.lines[i].strip()
        kind = "Quyết định" if m.group("kind").startswith("quy") else "Kế hoạch"
        number = DOCNUM_RE.search(text)
        blank = None
        if not number:
            b = _BLANK_NUMBER.search(src.folded[i])
            blank = text[b.start("blank"):b.end("blank")].replace(" ", "") if b else None
        date = DATE_RE.search(src.folded[i])
        parsed = parse_date(date) if date else None
        return IssuingReference(
            kind, re.sub(r"\s+", "", number.group(0)) if number else None, blank,
            parsed[0] if parsed else None, parsed[1] if parsed else None, src.line_no(i), text,
        )
    return None


def _issuer_kind(folded_lines: list[str]) -> str | None:
    for line in folded_lines:
        if _CHAIR_HEADER.search(line):
            return "Chủ tịch UBND"
        if _UBND_HEADER.search(line):
            return "UBND"
        if _HDND_HEADER.search(line):
            return "HĐND"
        if _PARTY_HEADER.search(line):
            return "Tỉnh ủy"
    return None


def read_head(src: SourceText, span: DocumentSpan) -> Head:
    """Read the head of the document in ``span``; gaps are reported as :class:`Issue` warnings."""
    issues: list[Issue] = []
    file = src.file
    confidence = 1.0
    after_heading = range(span.heading + 1, min(span.heading + _HEADER_WINDOW, span.end))
    header = [*range(max(span.start, span.heading - 2 * _HEADER_WINDOW), span.heading + 1),
              *(i for i in after_heading if _ORG_HEADER.match(src.folded[i].strip()) or _is_caps_heading(src.lines[i]))]
    title, title_lines = _title(src, span)

    number, blank = _number(src, header)
    issued_with = _issuing_reference(src, span, after_heading)
    if number is None and blank is None:
        blank = _appendix_blank_number(src, span)

    date = precision = None
    for i in header:
        folded = src.folded[i]
        if _PLACE_DATE.search(folded) and not DATE_RE.search(folded) and i + 1 < len(src.lines):
            folded = f"{folded.rstrip()} {src.folded[i + 1].strip()}"  # "Hà Nội, ngày" / "20 tháng 11 năm 2025"
        if _NUMBER_LINE.match(folded) or _PLACE_DATE.search(folded):
            if (m := DATE_RE.search(ocr_digits(folded))) and (parsed := parse_date(m)):
                date, precision = parsed
                break
    if date is None and issued_with and issued_with.date:
        date, precision = issued_with.date, issued_with.precision
    if date is None:
        for i in range(span.body_end, span.end):
            if _ISSUED_WITH.match(src.folded[i]) and (m := DATE_RE.search(src.folded[i])) and (parsed := parse_date(m)):
                date, precision = parsed
                issues.append(Warnings.W103.format(file=file, line=src.line_no(i), source="the appendix heading", date=date))
                break

    header_folded = [src.folded[i] for i in header]
    national = _national_issuer(src, header, number or blank)
    issuer_kind = national or _issuer_kind(header_folded)
    if issuer_kind is None and (number or blank):
        code = (number or blank or "").rsplit("-", 1)[-1].upper()
        issuer_kind = {"UBND": "UBND", "HĐND": "HĐND", "HDND": "HĐND", "TU": "Tỉnh ủy", "CTUBND": "Chủ tịch UBND"}.get(code)
    if issuer_kind is None:
        signature = [src.folded[i] for i in range(span.heading, span.end) if _SIGNATURE.match(src.folded[i])]
        issuer_kind = _issuer_kind(signature)
        if issuer_kind:
            issues.append(Warnings.W104.format(file=file, line=src.line_no(span.heading), source="the signature block"))
            confidence = min(confidence, 0.8)

    province = None
    for line in header_folded if not national else []:
        for m in _PROVINCE_AFTER.finditer(line):
            if hit := match_province(m.group("rest")):
                province = hit
                break
        if province:
            break
    if province is None and not national:
        counts = province_mentions(src.folded[span.start:span.end])
        if counts:
            province = counts.most_common(1)[0][0]
            issues.append(Warnings.W105.format(file=file, line=src.line_no(span.heading),
                                               source=f"{counts[province]} mentions of “tỉnh {province[0]}” in the text"))
            confidence = min(confidence, 0.8)
    return Head(
        kind=span.kind, title=title, title_lines=title_lines, number=number, blank_number=blank, issuer_kind=issuer_kind,
        province=province[0] if province else None, province_type=province[1] if province else "tỉnh",
        date=date, date_precision=precision, issued_with=issued_with, issues=issues, confidence=confidence,
        national=bool(national),
    )


def _national_issuer(src: SourceText, header: list[int], number: str | None) -> str | None:
    """The national body that issues the document ("Thủ tướng Chính phủ", "Bộ Tài chính"), from the
    organisation header or the issuer code of its number (QĐ-TTg, NQ-CP)."""
    names = _national_names()
    for i in header:
        folded = collapse_spaces(src.folded[i])
        if folded in names:
            return names[folded]
        if _UBND_HEADER.search(folded) or _HDND_HEADER.search(folded) or _PARTY_HEADER.search(folded):
            return None
    if number and (hit := issuer_for(number.rsplit("-", 1)[-1])) and hit[2] == "national":
        return hit[1]
    return None


@cache
def _national_names() -> dict[str, str]:
    """Folded name → name of the national issuers of the document codes ("thu tuong chinh phu")."""
    return {fold(i["issuer"]): i["issuer"] for i in ontology.document_codes()["issuers"] if i["level"] == "national"}


def _appendix_blank_number(src: SourceText, span: DocumentSpan) -> str | None:
    for i in range(span.body_end, span.end):
        if _ISSUED_WITH.match(src.folded[i]) and (b := _BLANK_NUMBER.search(src.folded[i])):
            return src.lines[i][b.start("blank"):b.end("blank")].replace(" ", "")
    return None
