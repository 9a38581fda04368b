"""The spaCy pipeline the extractors run on.

A blank multilingual pipeline (``spacy.blank("xx")``: rule tokenizer, syllables as
tokens) with rule-based components:

- ``policykg_fold_norm`` sets ``token.norm_`` to the folded form (no diacritics, lower
  case), so patterns match accented, unaccented and upper-case text alike;
- ``entity_ruler`` matches the gazetteer's agency names, aliases and collective phrases
  on ``NORM`` (labels ``AGENCY`` and ``COLLECTIVE``, ``ent_id_`` = gazetteer key): the patterns
  come from the one :class:`~policykg.resolve.gazetteer.Gazetteer`;
- ``policykg_agency_spans`` drops a name written in lower case where the words are a common noun
  ("công tác thanh tra", "chính phủ số") and extends a provincial agency by the province written
  after it ("Công an tỉnh Nghệ An", "Báo và Phát thanh, Truyền hình Cần Thơ");
- ``policykg_collectives`` marks collective phrases the gazetteer lacks word for word
  ("các sở, ban, ngành, đơn vị thuộc ...": label ``COLLECTIVE``, the id of the collective its
  head word names, if any) and agencies printed with their own name (the gazetteer's named units);
- ``policykg_fuzzy_agencies`` (OCR'd text only, ``doc.user_data["ocr"]``) finds garbled
  agency names by edit distance on the folded words;
- ``policykg_doc_numbers`` and ``policykg_dates`` put document numbers and dates in
  ``doc.spans["docnums"]`` and ``doc.spans["dates"]``.

Confidence of each agency entity is in ``doc.user_data["confidence"][(start, end)]``.

>>> nlp = get_nlp()
>>> doc = nlp("Giao Sở KH&CN chủ trì, phối hợp với Sở Tài chính tỉnh theo Quyết định số 569/QĐ-TTg ngày 11/5/2022")
>>> [(e.text, e.label_, e.ent_id_) for e in doc.ents]
[('Sở KH&CN', 'AGENCY', 'so-khoa-hoc-va-cong-nghe'), ('Sở Tài chính tỉnh', 'AGENCY', 'so-tai-chinh')]
>>> [(e.text, e.ent_id_) for e in nlp("Công an Thành phố, UBND các phường, xã và Kho bạc Nhà nước khu vực XI").ents]
[('Công an Thành phố', 'cong-an-tinh'), ('UBND các phường, xã', 'ubnd-cap-xa'), ('Kho bạc Nhà nước khu vực XI', '')]
>>> [s.text for s in doc.spans["docnums"]], [s.text for s in doc.spans["dates"]]
(['569/QĐ-TTg'], ['ngày 11/5/2022'])
"""

from __future__ import annotations

import itertools
import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..resolve.gazetteer import (
    GazetteerEntry,
    allowed_edits,
    fuzzy_lookup,
    fuzzy_lookup_loose,
    gazetteer,
    gazetteer_entries,
)
from ..text import fold_chars

__all__ = [
    "get_nlp",
    "doc_text",
    "parse",
    "GazetteerEntry",
    "gazetteer_entries",
    "DOCNUM_RE",
    "DATE_RE",
    "parse_date",
    "allowed_edits",
    "fuzzy_lookup",
    "fuzzy_lookup_loose",
]

# GazetteerEntry, gazetteer_entries, allowed_edits, fuzzy_lookup and fuzzy_lookup_loose live in
# policykg.resolve.gazetteer; they are re-exported here for the extractors that import them from this module.


# Document numbers: 569/QĐ-TTg, 57-NQ/TW, 18/2020/NQ-HĐND, 52 NQ/TW, 193/2025/QH15.
DOCNUM_RE = re.compile(
    r"(?<![\w/.])(?P<num>\d{1,5})(?:\s?/\s?(?P<year>(?:19|20)\d\d))?"
    r"(?:\s?[-/]\s?|\s)(?P<type>[A-ZĐ][A-Za-zĐđ]{0,5})\s?[-/]\s?"
    r"(?P<issuer>[A-ZĐ][A-Za-zĐđ0-9]{0,11}(?:-[A-ZĐ][A-Za-zĐđ0-9]{0,11})*)"
    r"|(?<![\w/.])(?P<lnum>\d{1,5})/(?P<lyear>(?:19|20)\d\d)/(?P<lcode>QH\d{1,2}|UBTVQH\d{1,2})"
)
# Dates on the folded text: "ngày 22 tháng 10 năm 2025", "ngày 16/8/2023", OCR "ngdy 22 thang 10 ndm 2025",
# a blank day "ngày   /4/2023", or "tháng 4 năm 2023".
DATE_RE = re.compile(
    r"\bng\S{0,2}y\s*(?P<day>\d{1,2})?\s*(?:/|\s-\s|\bth\S{0,3}ng\b)\s*(?P<month>\d{1,2})\s*(?:/|-|\bn\S{0,2}m\b)\s*(?P<year>(?:19|20)\d\d)\b"
    r"|\bth\S{0,3}ng\s+(?P<m2>\d{1,2})\s*(?:/|\bn\S{0,2}m\b)\s*(?P<y2>(?:19|20)\d\d)\b"
)


# Letters OCR reads for the digits of a date (folded text): I/l/| for 1, O for 0, S (Š) for 5, Z for 2.
_DIGIT_LOOKALIKES = str.maketrans("il|osz", "111052")
_DATE_NUMBER = re.compile(r"\b(?P<word>ng\S{0,2}y|th\S{0,3}ng|n\S{0,2}m)\s*(?P<num>[0-9il|osz]{1,4})(?![\w])")


def ocr_digits(folded: str) -> str:
    """A folded date line with the letters OCR reads for digits put back as digits, where a date number stands
    (after "ngày", "tháng", "năm"; a number glued to its word is split off).

    >>> ocr_digits("ha noi, ngay15 thang i1 nam 2024"), ocr_digits("ngay 1s thang ii nam 2o24")
    ('ha noi, ngay 15 thang 11 nam 2024', 'ngay 15 thang 11 nam 2024')
    >>> ocr_digits("thang nam nay")
    'thang nam nay'
    """
    def fix(m: re.Match[str]) -> str:
        num = m.group("num")
        if not any(c.isdigit() for c in num) and not (len(num) <= 2 and m.group("word").startswith("th")):
            return m.group(0)
        return f"{m.group('word')} {num.translate(_DIGIT_LOOKALIKES)}"
    return _DATE_NUMBER.sub(fix, folded)


def parse_date(match: re.Match[str]) -> tuple[str, str] | None:
    """ISO date (or partial ``YYYY-MM``) and its precision from a :data:`DATE_RE` match.

    >>> parse_date(DATE_RE.search("ngay 22 thang 10 nam 2025"))
    ('2025-10-22', 'day')
    >>> parse_date(DATE_RE.search("ngay  /4/2023"))
    ('2023-04', 'month')
    """
    day, month, year = match.group("day"), match.group("month") or match.group("m2"), match.group("year") or match.group("y2")
    m, y = int(month), int(year)
    if not 1 <= m <= 12:
        return None
    if day:
        d = int(day)
        if not 1 <= d <= 31:
            return None
        return f"{y:04d}-{m:02d}-{d:02d}", "day"
    return f"{y:04d}-{m:02d}", "month"


@Language.component("policykg_fold_norm")
def fold_norm(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = fold_chars(token.text).lower()
    return doc


def _char_spans(doc: Doc, regex: re.Pattern[str], text: str, label: str) -> list[Span]:
    spans = []
    for match in regex.finditer(text):
        span = doc.char_span(match.start(), match.end(), label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return filter_spans(spans)


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc (spaCy joins every token's text again on each ``doc.text``).

    >>> doc = get_nlp()("Sở Y tế chủ trì")
    >>> doc_text(doc) == doc.text == doc.user_data["text"]
    True
    """
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


@Language.component("policykg_doc_numbers")
def doc_numbers(doc: Doc) -> Doc:
    doc.spans["docnums"] = _char_spans(doc, DOCNUM_RE, doc_text(doc), "DOCNUM")
    return doc


@Language.component("policykg_dates")
def dates(doc: Doc) -> Doc:
    doc.spans["dates"] = _char_spans(doc, DATE_RE, fold_chars(doc_text(doc)), "DATE")
    return doc


_WORD_RE = re.compile(r"\S+")
# Words a collective phrase ("các sở, ban, ngành, đơn vị liên quan") is made of, folded.
_COLLECTIVE_HEADS = {"so", "ban", "nganh", "co quan", "don vi", "dia phuong", "to chuc", "doanh nghiep", "hoi",
                     "doan the", "truong", "bo", "huyen", "xa", "phuong", "tinh", "thanh pho", "thi xa", "thi tran",
                     "dac khu"}
_COLLECTIVE_WORDS = {"so", "ban", "nganh", "co", "quan", "don", "vi", "dia", "phuong", "doanh", "nghiep", "hoi",
                     "doan", "the", "truong", "lien", "va", "-", "bo", "thuoc", "huyen", "xa", "thi", "tran", "thanh",
                     "pho", "dai", "hoc", "cao", "dang", "nghe", "chuyen", "mon", "truc", "doc", "trung", "uong",
                     "cua", "dong", "tren", "trong", "dac", "khu"}
# Two words that open with a head word but name no body: "các cơ sở" (facilities), "các địa bàn" (areas),
# "các trường hợp" (cases), "các phương án" (options), "các ngành nghề" (trades), "các hội nghị" (meetings).
_NOT_HEADS = {"co so", "dia ban", "truong hop", "phuong an", "phuong thuc", "phuong phap", "phuong tien",
              "phuong huong", "nganh nghe", "hoi nghi", "hoi vien", "doan vien", "bo phan", "ban hanh", "so lieu"}
_UNDER = {"uy", "ban", "nhan", "dan", "ubnd", "tinh", "thanh", "pho", "trung", "uong"}
_ORG_QUALIFIERS = {"chinh", "tri", "xa", "hoi", "nghe", "nghiep", "kinh", "te", "khac", "doan", "the", "-"}
_COLLECTIVE_START = re.compile(
    r"\b(?:cac|mot so)\s+(?=\S)|(?:(?<=\bva )|(?<=\bvoi )|(?<=, )|(?<=; )|^)(?=co quan\b|don vi\b)"
)
_TRIM = ",;:.()“”\"'"


def _collective_end(words: list[str]) -> int:
    """How many of ``words`` (folded, after "các") a collective phrase spans; 0 if none."""
    n = 0
    last_good = 0
    has_head = False
    while n < len(words):
        word = words[n].strip(",;")
        if word == "to" and n + 1 < len(words) and words[n + 1].strip(",;") == "chuc":
            qualifiers = 0
            while n + 2 + qualifiers < len(words) and words[n + 2 + qualifiers].strip(",;") in _ORG_QUALIFIERS:
                qualifiers += 1
                if words[n + 1 + qualifiers].endswith((",", ";")):
                    break
            if qualifiers == 0 and not words[n + 1].endswith(",") and n + 2 < len(words) and words[n + 2] not in {"va", "lien"}:
                break
            n += 2 + qualifiers
            has_head = True
            last_good = n
            continue
        if word == "thuoc":
            k = n + 1
            while k < len(words) and k - n <= 5 and words[k].strip(",;") in _UNDER:
                k += 1
            if k > n + 1:
                n = last_good = k
                if words[k - 1].endswith(";"):
                    break
                continue
        pair = f"{word} {words[n + 1].strip(',;')}" if n + 1 < len(words) and not words[n].endswith((",", ";")) else ""
        if word not in _COLLECTIVE_WORDS or (n == 0 and pair in _NOT_HEADS):
            break
        if words[n].endswith(";"):
            n += 1
            last_good = n
            break
        n += 1
        if any(" ".join(w.strip(",;") for w in words[k:n]) in _COLLECTIVE_HEADS for k in range(max(0, n - 2), n)) \
                and pair not in _NOT_HEADS and " ".join(w.strip(",;") for w in words[max(0, n - 2):n]) not in _NOT_HEADS:
            has_head = True
        if word not in {"va", "-", "thuoc"}:
            last_good = n
    return last_good if has_head else 0


def _named_units(doc: Doc) -> list[Span]:
    """Agencies printed with their own name (the gazetteer's named units: "UBND thành phố Vĩnh Yên",
    "Kho bạc Nhà nước khu vực XI"); a name stops where another agency starts."""
    stops = frozenset(ent.start_char for ent in doc.ents)
    known = {(ent.start_char, ent.end_char) for ent in doc.ents}
    spans = []
    for start, end, unit in gazetteer().named_units_in(doc_text(doc), stops):
        # the gazetteer knows it by that name (a name in lower case runs on: it does not outrun a known one)
        if any(a == start and (b >= end or unit.name == "phrase") for a, b in known):
            continue
        span = doc.char_span(start, end, label="AGENCY", alignment_mode="contract")
        if span is not None and len(span.text) >= end - start - 1:
            spans.append(span)
    return spans


@Language.component("policykg_agency_spans")
def agency_spans(doc: Doc) -> Doc:
    """The ruler's agencies as the genre writes them: a name whose words are a common noun counts only
    with its capital ("Thanh tra tỉnh", not "công tác thanh tra"); a provincial agency goes on with the
    province written after it ("Công an tỉnh Nghệ An", "Sở Y tế Thành phố", "Báo và Phát thanh, Truyền
    hình Cần Thơ")."""
    g = gazetteer()
    spans = []
    changed = False
    for ent in doc.ents:
        agency = g.get(ent.ent_id_)
        if agency is not None and agency.capitalised and not any(c.isupper() for c in ent.text):
            changed = True
            continue
        province = agency is not None and agency.level == "province"
        suffix = g.province_suffix(doc_text(doc), ent.end_char) if province else None
        if suffix is not None:
            longer = doc.char_span(ent.start_char, suffix[0], label=ent.label_, alignment_mode="contract")
            if longer is not None and longer.end > ent.end:
                longer.id_ = ent.ent_id_
                spans.append(longer)
                changed = True
                continue
        spans.append(ent)
    if changed:
        doc.ents = filter_spans(spans)
        for span in doc.ents:
            if span.id_:
                for token in span:
                    token.ent_id_ = span.id_
    return doc


@Language.component("policykg_collectives")
def collectives(doc: Doc) -> Doc:
    """Collective phrases the gazetteer does not list word for word ("Các sở, ban, ngành, đơn vị thuộc ...")."""
    folded = fold_chars(doc_text(doc)).lower()
    exact = [(ent.start_char, ent.end_char) for ent in doc.ents]
    found = []
    for m in _COLLECTIVE_START.finditer(folded):
        words = [(w.start(), w.end()) for w in itertools.islice(_WORD_RE.finditer(folded, m.end()), 40)]
        n = _collective_end([folded[a:b] for a, b in words])
        if n:
            end = words[n - 1][1]
            while folded[end - 1] in ",;":
                end -= 1
            if any(a < end and m.start() < b and not (m.start() <= a and b <= end) for a, b in exact):
                continue
            span = doc.char_span(m.start(), end, label="COLLECTIVE", alignment_mode="expand")
            if span is not None:
                span.id_ = gazetteer().collective_key(span.text, collective=True) or ""
                found.append(span)
    for span in _named_units(doc):
        if not any(a < span.end_char and span.start_char < b and not (span.start_char <= a and b <= span.end_char)
                   for a, b in exact):
            span.id_ = ""
            found.append(span)
    if found:
        doc.ents = filter_spans(list(doc.ents) + found)
        for span in found:
            for token in span:
                token.ent_id_ = span.id_
    return doc


@Language.component("policykg_fuzzy_agencies")
def fuzzy_agencies(doc: Doc) -> Doc:
    confidence = doc.user_data.setdefault("confidence", {})
    for ent in doc.ents:
        confidence.setdefault((ent.start, ent.end), 1.0)
    if not doc.user_data.get("ocr"):
        return doc
    folded = fold_chars(doc_text(doc))
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(folded)]
    exact = [(ent.start_char, ent.end_char) for ent in doc.ents]

    def crosses(start: int, end: int) -> bool:
        return any(a < end and start < b and not (start <= a and b <= end) for a, b in exact)

    max_words = gazetteer().max_words
    found: list[Span] = []
    i = 0
    while i < len(words):
        match = None
        for n in range(min(max_words, len(words) - i), 0, -1):
            start, end = words[i][0], words[i + n - 1][1]
            end = start + len(folded[start:end].rstrip(_TRIM))
            if end <= start or crosses(start, end) or any(a == start and b == end for a, b in exact):
                continue
            hit = fuzzy_lookup(folded[start:end].strip(_TRIM))
            if hit:
                entry, dist = hit
                span = doc.char_span(start, end, label="COLLECTIVE" if entry.collective else "AGENCY",
                                     kb_id=entry.key, alignment_mode="expand")
                if span is not None:
                    span.id_ = entry.key
                    match = (span, n, 1.0 - dist / max(len(entry.folded), 1))
                    break
        if match:
            span, n, conf = match
            found.append(span)
            confidence[(span.start, span.end)] = round(0.9 * conf, 3)
            i += n
        else:
            i += 1
    if found:
        doc.ents = filter_spans(found + list(doc.ents))
        for span in found:
            for token in span:
                token.ent_id_ = span.id_
    return doc


def parse(text: str, ocr: bool = False) -> Doc:
    """Run the pipeline on ``text``; ``ocr=True`` turns on the fuzzy matching of garbled names.

    >>> [e.ent_id_ for e in parse("phối hợp với S& Khoa hoc va Cong nghé", ocr=True).ents]
    ['so-khoa-hoc-va-cong-nghe']
    """
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc.user_data["ocr"] = ocr
    return nlp(doc)


@cache
def get_nlp() -> Language:
    """The shared pipeline (built once per process)."""
    nlp = spacy.blank("xx")
    nlp.add_pipe("policykg_fold_norm")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM", "overwrite_ents": True})
    with nlp.select_pipes(enable=["policykg_fold_norm"]):
        ruler.add_patterns(gazetteer().patterns())
    nlp.add_pipe("policykg_agency_spans")
    nlp.add_pipe("policykg_collectives")
    nlp.add_pipe("policykg_fuzzy_agencies")
    nlp.add_pipe("policykg_doc_numbers")
    nlp.add_pipe("policykg_dates")
    return nlp
