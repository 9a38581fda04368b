"""Documents cited in a document's text, and why they are cited.

The relation follows how the genre writes it:

- ``BASED_ON``: a preamble sentence that starts "Căn cứ ...";
- ``IMPLEMENTS``: the title, and sentences of the preamble, the purpose section and the
  closing ("Trên đây là Kế hoạch ...") that start "Thực hiện", "Triển khai (thực hiện)",
  "Cụ thể hóa", "Tổ chức triển khai thực hiện";
- ``REPLACES``: a citation after "thay thế" / "bãi bỏ";
- ``CITES``: everything else.

A citation nested in another ("Kế hoạch số 235-KH/TU ... của Ban Thường vụ Tỉnh ủy thực
hiện Nghị quyết số 57-NQ/TW") is implemented by the citation it hangs from, not by the
document. "(sau đây gọi tắt là ...)" repeats a citation and is skipped.

>>> from policykg.loaders.nlp import get_nlp
>>> doc = get_nlp()("Thực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ và Kế hoạch số 235-KH/TU ngày 18/4/2025 của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị")
>>> [(c.number, c.kind, c.date, c.parent) for c in find_citations(doc)]
[('71/NQ-CP', 'Nghị quyết', '2025-04-01', None), ('235-KH/TU', 'Kế hoạch', '2025-04-18', None), ('57-NQ/TW', 'Nghị quyết', '2024-12-22', 1)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc

from .. import ontology
from ..resolve.gazetteer import gazetteer
from ..text import collapse_spaces, fold, fold_chars
from .nlp import DATE_RE, DOCNUM_RE, doc_text, parse_date

__all__ = [
    "issuer_for","FoundCitation", "find_citations", "sentence_relation", "normalize_number", "IMPLEMENTS_START"]

IMPLEMENTS_START = re.compile(
    r"^(?:[-+•]\s*)?(?:to chuc\s+)?(?:tiep tuc\s+)?(?:th\S{0,2}c hi\S{0,2}n|tri\S{0,2}n khai|c\S{0,2} th\S{0,2} h\S{0,2}a)\b"
    r"|^tr\S{0,2}n d\S{0,2}y l\S{0,2} k\S{0,2} ho\S{0,2}ch\b"
)
_BASED_ON_START = re.compile(r"^(?:[-+•]\s*)?c\S{0,2}n c\S{0,2}\b")
_NESTING = re.compile(r"\bth\S{0,2}c hi\S{0,2}n\b|\btri\S{0,2}n khai\b|\bc\S{0,2} th\S{0,2} h\S{0,2}a\b")
_REPLACING = re.compile(r"\bthay th\S{0,2}\b|\bb\S{0,2}i b\S{0,2}\b")
_ALIAS = re.compile(r"g\S{0,2}i t\S{0,2}t l\S{0,2}\s+(?:\S+\s+){0,5}$|g\S{0,2}i t\S{0,2}t l\S{0,2}\s*$")
_OF_AGENCY = re.compile(r"^\s*(?:,\s*)?c\S{0,3}a\s+$")
_SHORT_REF = re.compile(
    r"\b(?P<kind>nghi quyet|quyet dinh|ke hoach|chuong trinh hanh dong|chuong trinh|chi thi|nghi dinh)"
    r"\s+(?:so\s+)?(?P<num>\d{1,5})\b(?!\s*[-/]\s*[a-z0-9])"
)
_LAW = re.compile(r"\bLuật\s+(?=[A-ZĐÀ-Ỹa-zđ])")
_LAW_STOP = re.compile(r"\s+(?:ngày|số\s+\d|năm|được|đã|theo|tại|hiện hành)\b|[;().:“”\"]|,\s*(?=[a-zđà-ỹ])|\s+và\s+(?=[a-zđà-ỹ])")


@dataclass
class FoundCitation:
    """A citation found in one spaCy doc (a paragraph), before it is tied to a document."""

    start: int  # character offsets in the paragraph
    end: int
    kind: str
    text: str
    number: str | None = None
    name: str | None = None
    year: int | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_code: str | None = None
    issuer_explicit: bool = False
    level: str = "province"
    parent: int | None = None  # index of the citation this one is nested in
    relation_hint: str | None = None  # REPLACES when the text says "thay thế"
    short: bool = False


@dataclass(frozen=True)
class _IssuerCode:
    folded: str
    code: str
    issuer: str
    level: str
    prefix: bool  # "QH" also stands for "QH15"


@cache
def _codes() -> tuple[dict[str, tuple[str, str]], tuple[_IssuerCode, ...], dict[str, str]]:
    """Type codes (folded → code, kind), issuer codes, and kind words (folded → as written)."""
    data = ontology.document_codes()
    types = {fold(code): (code, kind) for code, kind in data["types"].items()}
    issuers = tuple(_IssuerCode(fold(i["code"]), i["code"], i["issuer"], i["level"], bool(i.get("prefix")))
                    for i in data["issuers"])
    kind_words = {fold(k): k for k in sorted(data["kind_words"], key=len, reverse=True)}
    return types, issuers, kind_words


def issuer_for(code: str) -> tuple[str, str, str] | None:
    """Canonical code, issuer and level for an issuer code, tolerating glued text ("TTgngày")."""
    _, issuers, _ = _codes()
    folded = fold(code)
    for entry in issuers:
        if folded == entry.folded or (entry.prefix and folded.startswith(entry.folded) and folded[len(entry.folded):].isdigit()):
            return (code if entry.prefix else entry.code), entry.issuer, entry.level
    for entry in sorted(issuers, key=lambda e: -len(e.folded)):
        if folded.startswith(entry.folded) and not entry.prefix:
            return entry.code, entry.issuer, entry.level
    return None


def normalize_number(match: re.Match[str]) -> tuple[str, str, str | None, int | None, str | None]:
    """Canonical number, kind from the type code, issuer code, year and issuer of a :data:`DOCNUM_RE` match.

    >>> normalize_number(DOCNUM_RE.search("Quyết định số 569/QĐ-TTgngày 11/5/2022"))
    ('569/QĐ-TTg', 'Quyết định', 'TTg', None, 'Thủ tướng Chính phủ')
    >>> normalize_number(DOCNUM_RE.search("Nghị quyết số 52 NQ/TW"))[0]
    '52-NQ/TW'
    >>> normalize_number(DOCNUM_RE.search("Nghị quyết số 193/2025/QH15"))[:4]
    ('193/2025/QH15', 'Luật', 'QH15', 2025)
    """
    types, _, _ = _codes()
    if match.group("lnum"):
        code = match.group("lcode")
        kind = "Nghị quyết" if code.startswith("UBTVQH") else "Luật"
        found = issuer_for(code)
        return f"{match.group('lnum')}/{match.group('lyear')}/{code}", kind, code, int(match.group("lyear")), found[1] if found else None
    num, year, type_code, issuer_code = match.group("num", "year", "type", "issuer")
    type_canon, kind = types.get(fold(type_code), (type_code, ""))
    found = issuer_for(issuer_code)
    issuer = None
    if found:
        issuer_code, issuer = found[0], found[1]
    text = match.group(0)
    party_style = not year and re.match(r"\d+\s?(?:-|\s(?=[A-ZĐ]))", text) is not None
    if party_style:
        number = f"{num}-{type_canon}/{issuer_code}"
    else:
        number = f"{num}/{year + '/' if year else ''}{type_canon}-{issuer_code}"
    return number, kind, issuer_code, int(year) if year else None, issuer


def _kind_before(folded: str, start: int) -> str | None:
    """The kind word written just before a number ("Chương trình hành động số 02-CTr/TU"), as written."""
    window = collapse_spaces(folded[max(0, start - 40):start])
    window = re.sub(r"\s*(?:s\S{0,2}\s*:?\s*)$", "", window).rstrip()
    for word, written in _codes()[2].items():
        if window.endswith(word):
            return written
    return None


def _issuer_after(doc: Doc, end_char: int, folded: str) -> str | None:
    """The agency named as "của X" right after a citation (and its date); ``folded`` is the folded text of
    ``doc`` (folded once for all its citations: folding it again for each made long paragraphs quadratic)."""
    for ent in doc.ents:
        if ent.start_char < end_char or ent.start_char - end_char > 60 or ent.label_ != "AGENCY":
            continue
        between = folded[end_char:ent.start_char]
        between = DATE_RE.sub(" ", between)
        if _OF_AGENCY.match(between):
            return ent.ent_id_ and _agency_name(ent.ent_id_)
    return None


def _agency_name(key: str) -> str | None:
    agency = gazetteer().get(key)
    return agency.name if agency is not None and not agency.collective else None


def _laws(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    while m := _LAW.search(text, pos):
        rest = text[m.end():]
        amending = re.match(r"sửa đổi,\s*bổ sung", rest)
        skip = amending.end() if amending else 0
        stop = _LAW_STOP.search(rest, skip)
        name_end = m.end() + (stop.start() if stop else len(rest))
        name = collapse_spaces(text[m.start():name_end])
        words = name.split()
        if 2 <= len(words) <= 30 and not name.endswith(" này"):
            out.append((m.start(), name_end, name))
        pos = max(name_end, m.end())
    return out


def find_citations(doc: Doc) -> list[FoundCitation]:
    """The citations of one paragraph, in order, with nesting and "thay thế" hints."""
    text = doc_text(doc)
    folded = fold_chars(text)
    dates = [(s.start_char, s.end_char, s.text) for s in doc.spans.get("dates", [])]
    found: list[FoundCitation] = []
    numbered_ranges = []
    for span in doc.spans.get("docnums", []):
        m = DOCNUM_RE.match(text, span.start_char)
        if not m:
            continue
        if _ALIAS.search(folded[max(0, m.start() - 50):m.start()]):
            numbered_ranges.append((m.start(), m.end()))
            continue
        number, kind, code, year, issuer = normalize_number(m)
        word = _kind_before(folded, m.start())
        if word and (not kind or fold(kind) in fold(word) or fold(word) in fold(kind)):
            kind = word
        if not kind:
            continue
        found_code = issuer_for(code) if code else None
        cite = FoundCitation(m.start(), m.end(), kind, collapse_spaces(m.group(0)), number=number, year=year,
                             issuer=issuer, issuer_code=code, level=found_code[2] if found_code else "province")
        _attach_date(cite, folded, dates)
        if explicit := _issuer_after(doc, cite.end, folded):
            cite.issuer, cite.issuer_explicit = explicit, True
        found.append(cite)
        numbered_ranges.append((m.start(), m.end()))
    for start, end, name in _laws(text):
        if any(a <= start < b for a, b in numbered_ranges):
            continue
        cite = FoundCitation(start, end, "Luật", name, name=name, level="national", issuer="Quốc hội")
        _attach_date(cite, folded, dates)
        found.append(cite)
    for m in _SHORT_REF.finditer(folded):
        if any(a <= m.start("num") < b for a, b in numbered_ranges) or _ALIAS.search(folded[max(0, m.start() - 50):m.start()]):
            continue
        found.append(FoundCitation(m.start(), m.end(), _codes()[2][m.group("kind")], text[m.start():m.end()],
                                   number=m.group("num"), short=True))
    found.sort(key=lambda c: c.start)
    _nest(found, folded)
    return found


def _attach_date(cite: FoundCitation, folded: str, dates: list[tuple[int, int, str]]) -> None:
    for start, end, _ in dates:
        if 0 <= start - cite.end <= 15:
            m = DATE_RE.search(folded, start)
            if m and (parsed := parse_date(m)):
                cite.date = parsed[0]
                cite.year = cite.year or int(parsed[0][:4])
                cite.end = max(cite.end, end)
            return


def _nest(found: list[FoundCitation], folded: str) -> None:
    previous_end = 0
    for index, cite in enumerate(found):
        between = folded[previous_end:cite.start]
        if _REPLACING.search(between):
            cite.relation_hint = "REPLACES"
        if index > 0 and ";" not in between and len(between) < 200:
            prev = found[index - 1]
            if _NESTING.search(between):
                cite.parent = index - 1
            elif prev.parent is not None and re.search(r"\bva\b|,", between):
                cite.parent = prev.parent
        previous_end = cite.end


def sentence_relation(folded_sentence: str, region: str) -> str:
    """The relation a sentence gives the documents it cites, by region of the document.

    >>> sentence_relation("can cu luat to chuc chinh quyen dia phuong", "preamble")
    'BASED_ON'
    >>> sentence_relation("- cu the hoa cac quan diem tai quyet dinh so 569", "purpose")
    'IMPLEMENTS'
    >>> sentence_relation("tiep tuc thuc hien nghi quyet so 107", "body")
    'CITES'
    """
    text = folded_sentence.strip()
    if region == "title":
        return "IMPLEMENTS" if IMPLEMENTS_START.match(text) else "CITES"
    if region == "preamble" and _BASED_ON_START.match(text):
        return "BASED_ON"
    if region in {"preamble", "purpose", "closing"} and IMPLEMENTS_START.match(text):
        return "IMPLEMENTS"
    return "CITES"
