"""The spaCy pipeline the extractors run on.

A blank multilingual pipeline (``spacy.blank("xx")``: rule tokenizer, syllables as
tokens) with rule-based components:

- ``policykg_fold_norm`` sets ``token.norm_`` to the folded form (no diacritics, lower
  case), so patterns match accented, unaccented and upper-case text alike;
- ``entity_ruler`` matches the gazetteer's agency names, aliases and collective phrases
  on ``NORM`` (labels ``AGENCY`` and ``COLLECTIVE``, ``ent_id_`` = gazetteer key);
- ``policykg_collectives`` marks collective phrases the gazetteer lacks word for word
  ("các sở, ban, ngành, đơn vị thuộc ...": label ``COLLECTIVE``, no id);
- ``policykg_fuzzy_agencies`` (OCR'd text only, ``doc.user_data["ocr"]``) finds garbled
  agency names by edit distance on the folded words;
- ``policykg_doc_numbers`` and ``policykg_dates`` put document numbers and dates in
  ``doc.spans["docnums"]`` and ``doc.spans["dates"]``.

Confidence of each agency entity is in ``doc.user_data["confidence"][(start, end)]``.

>>> nlp = get_nlp()
>>> doc = nlp("Giao Sở KH&CN chủ trì, phối hợp với Sở Tài chính tỉnh theo Quyết định số 569/QĐ-TTg ngày 11/5/2022")
>>> [(e.text, e.label_, e.ent_id_) for e in doc.ents]
[('Sở KH&CN', 'AGENCY', 'so-khoa-hoc-va-cong-nghe'), ('Sở Tài chính', 'AGENCY', 'so-tai-chinh')]
>>> [s.text for s in doc.spans["docnums"]], [s.text for s in doc.spans["dates"]]
(['569/QĐ-TTg'], ['ngày 11/5/2022'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import spacy
from rapidfuzz.distance import Levenshtein
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .. import ontology
from ..text import collapse_spaces, fold, fold_chars

__all__ = [
    "get_nlp",
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


@dataclass(frozen=True)
class GazetteerEntry:
    """One name (canonical or alias) of a gazetteer entry, folded for matching."""

    key: str
    name: str
    form: str
    folded: str
    collective: bool
    level: str
    kind: str


def _province_names() -> list[str]:
    data = ontology.provinces()
    return sorted({unit["name"] for unit in [*data["before"], *data["after"]]})


def _forms(item: dict) -> list[str]:
    forms = [item["name"], *(item.get("aliases") or [])]
    if pattern := item.get("pattern"):
        forms += [pattern.format(province=name) for name in _province_names()]
    return forms


def _folded_variants(form: str, collective: bool) -> set[str]:
    """The folded form, without " - " joints, and without a trailing "tỉnh" when more than a word is left."""
    folded = fold(form)
    variants = {folded, folded.replace(" - ", " "), folded.replace(" - ", ", ")}
    variants |= {collapse_spaces(v.replace(",", " ")) for v in variants}
    if not collective:
        variants |= {v[: -len(" tinh")] for v in variants if v.endswith(" tinh") and len(v.split()) > 2}
    return variants


@cache
def gazetteer_entries() -> tuple[GazetteerEntry, ...]:
    """Every name and alias of the gazetteer (folded variants included), canonical names first."""
    data = ontology.agencies()
    out: list[GazetteerEntry] = []
    for collective, items in ((False, data.get("agencies", [])), (True, data.get("collectives", []))):
        for item in items:
            kind = item.get("kind", "Tập thể" if collective else "Khác")
            for form in _forms(item):
                for folded in sorted(_folded_variants(form, collective)):
                    out.append(GazetteerEntry(item["key"], item["name"], form, folded, collective,
                                              item.get("level", "province"), kind))
    return tuple(out)


def allowed_edits(name: str) -> int:
    """How many character edits an OCR'd mention of ``name`` may differ by.

    >>> allowed_edits("so noi vu"), allowed_edits("so khoa hoc va cong nghe")
    (1, 3)
    """
    return 1 + len(name) // 12


@cache
def _entries_by_words() -> dict[tuple[int, str], list[GazetteerEntry]]:
    by_len: dict[tuple[int, str], list[GazetteerEntry]] = {}
    for entry in gazetteer_entries():
        if len(entry.folded) >= 6:
            by_len.setdefault((len(entry.folded.split()), entry.folded[0]), []).append(entry)
    return by_len


# Characters OCR puts for others in this genre ("S&" / "S¢" for "Sở", "Pao tao" for "Đào tạo", "s6" for "số").
_OCR_EQUIVALENT = str.maketrans(
    {"&": "o", "¢": "o", "0": "o", "6": "o", "p": "d", "1": "l", "|": "l", "$": "s", "3": "a", "4": "a"}
)


def _ocr_key(folded: str) -> str:
    return re.sub(r"[^\w]", "", folded.translate(_OCR_EQUIVALENT).replace("()", "o"))


@cache
def _keyed_entries() -> dict[tuple[int, str], list[tuple[str, GazetteerEntry]]]:
    out: dict[tuple[int, str], list[tuple[str, GazetteerEntry]]] = {}
    for (words, first), entries in _entries_by_words().items():
        out[(words, first)] = [(_ocr_key(e.folded), e) for e in entries]
    return out


def fuzzy_lookup(folded_mention: str) -> tuple[GazetteerEntry, int] | None:
    """The gazetteer entry within :func:`allowed_edits` of a folded mention, and the distance.

    The first letter must agree, so "Bộ Y tế" is never taken for "Sở Y tế". Letters OCR
    confuses ("&" for "o", "p" for "đ") and spaces count as equal.

    >>> entry, dist = fuzzy_lookup("s& khoa hoc va cong nghe")
    >>> entry.name, dist
    ('Sở Khoa học và Công nghệ', 0)
    >>> fuzzy_lookup("s& gido duc va pao tao")[0].name
    'Sở Giáo dục và Đào tạo'
    >>> fuzzy_lookup("soy te")[0].name
    'Sở Y tế'
    >>> fuzzy_lookup("so ngoai vu")[0].name
    'Sở Ngoại vụ'
    >>> fuzzy_lookup("so noi vu")[0].name
    'Sở Nội vụ'
    """
    words = len(folded_mention.split())
    key = _ocr_key(folded_mention)
    best: tuple[GazetteerEntry, int] | None = None
    for n in (words, words + 1, words - 1):
        for entry_key, entry in _keyed_entries().get((n, folded_mention[:1]), []):
            limit = allowed_edits(entry.folded) - (0 if n == words else 1)
            if limit < 0 or abs(len(entry_key) - len(key)) > limit:
                continue
            dist = Levenshtein.distance(key, entry_key, score_cutoff=limit)
            if dist <= limit and (best is None or dist < best[1]):
                best = (entry, dist)
                if dist == 0:
                    return best
    return best


def fuzzy_lookup_loose(folded_mention: str) -> tuple[GazetteerEntry, int] | None:
    """Like :func:`fuzzy_lookup`, for a short text that should be one agency's name whatever its
    spacing ("s& gidoduc vabao tao"): words are not counted, only letters (first letter must agree).

    >>> fuzzy_lookup_loose("s& gidoduc vabao tao")[0].name
    'Sở Giáo dục và Đào tạo'
    >>> fuzzy_lookup_loose("van phong ubnd tinh")[0].name
    'Văn phòng UBND tỉnh'
    >>> fuzzy_lookup_loose("so noi vu") is not None and fuzzy_lookup_loose("so noi vu")[0].name
    'Sở Nội vụ'
    """
    key = _ocr_key(folded_mention)
    best: tuple[GazetteerEntry, int] | None = None
    for (_, first), entries in _keyed_entries().items():
        if first != folded_mention[:1]:
            continue
        for entry_key, entry in entries:
            limit = 1 + len(entry.folded) // 9
            if abs(len(entry_key) - len(key)) > limit:
                continue
            dist = Levenshtein.distance(key, entry_key, score_cutoff=limit)
            if dist <= limit and (best is None or dist < best[1]):
                best = (entry, dist)
    return best


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


@Language.component("policykg_doc_numbers")
def doc_numbers(doc: Doc) -> Doc:
    doc.spans["docnums"] = _char_spans(doc, DOCNUM_RE, doc.text, "DOCNUM")
    return doc


@Language.component("policykg_dates")
def dates(doc: Doc) -> Doc:
    doc.spans["dates"] = _char_spans(doc, DATE_RE, fold_chars(doc.text), "DATE")
    return doc


_WORD_RE = re.compile(r"\S+")
# Words a collective phrase ("các sở, ban, ngành, đơn vị liên quan") is made of, folded.
_COLLECTIVE_HEADS = {"so", "ban", "nganh", "co quan", "don vi", "dia phuong", "to chuc", "doanh nghiep", "hoi",
                     "doan the", "truong", "bo", "huyen", "xa", "phuong", "tinh", "thanh pho", "thi xa", "thi tran"}
_COLLECTIVE_WORDS = {"so", "ban", "nganh", "co", "quan", "don", "vi", "dia", "phuong", "doanh", "nghiep", "hoi",
                     "doan", "the", "truong", "lien", "va", "-", "bo", "thuoc", "huyen", "xa", "thi", "tran", "thanh",
                     "pho", "dai", "hoc", "cao", "dang", "nghe", "chuyen", "mon", "truc", "doc", "trung", "uong",
                     "cua", "dong", "tren", "trong"}
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
        if word not in _COLLECTIVE_WORDS:
            break
        if words[n].endswith(";"):
            n += 1
            last_good = n
            break
        n += 1
        if any(" ".join(w.strip(",;") for w in words[k:n]) in _COLLECTIVE_HEADS for k in range(max(0, n - 2), n)):
            has_head = True
        if word not in {"va", "-", "thuoc"}:
            last_good = n
    return last_good if has_head else 0


@cache
def _exact_collectives() -> dict[str, str]:
    return {e.folded: e.key for e in gazetteer_entries() if e.collective}


# An agency printed with its own name, which the gazetteer cannot list: the people's committee of a named
# local unit ("UBND thành phố Vĩnh Yên"), a named university, college or hospital ("Trường Đại học Hùng Vương").
_LOCAL_UBND = re.compile(
    r"\b(?:(?:ubnd|uy ban nhan dan)\s+(?:thanh pho|thi xa|huyen|quan|xa|phuong|thi tran)"
    r"|truong dai hoc|truong cao dang|benh vien)\s+(?=[^\W\d_])"
)


_NAME_STOP = {"cac", "so", "ubnd", "uy", "ban", "van", "quyet", "ke", "nghi", "nam", "va", "bo", "cong", "hoi"}


def _local_committees(doc: Doc, folded: str) -> list[Span]:
    spans = []
    for m in _LOCAL_UBND.finditer(folded):
        words = list(_WORD_RE.finditer(doc.text, m.end()))[:3]
        name_end = None
        for w in words:
            if not w.group(0)[:1].isupper() or fold(w.group(0)).strip(",;.") in _NAME_STOP:
                break
            name_end = w.end()
            if w.group(0).endswith((",", ";", ".")):
                break
        if name_end is None:
            continue
        span = doc.char_span(m.start(), name_end, label="AGENCY", alignment_mode="contract")
        if span is not None and span.text.rstrip(",;.") == span.text:
            spans.append(span)
        elif span is not None:
            trimmed = doc.char_span(m.start(), name_end - 1, label="AGENCY", alignment_mode="contract")
            if trimmed is not None:
                spans.append(trimmed)
    return spans


@Language.component("policykg_collectives")
def collectives(doc: Doc) -> Doc:
    """Collective phrases the gazetteer does not list word for word ("Các sở, ban, ngành, đơn vị thuộc ...")."""
    folded = fold_chars(doc.text).lower()
    exact = [(ent.start_char, ent.end_char) for ent in doc.ents]
    found = []
    for m in _COLLECTIVE_START.finditer(folded):
        words = [(w.start(), w.end()) for w in _WORD_RE.finditer(folded, m.end())][:40]
        n = _collective_end([folded[a:b] for a, b in words])
        if n:
            end = words[n - 1][1]
            while folded[end - 1] in ",;":
                end -= 1
            if any(a < end and m.start() < b and not (m.start() <= a and b <= end) for a, b in exact):
                continue
            span = doc.char_span(m.start(), end, label="COLLECTIVE", alignment_mode="expand")
            if span is not None:
                span.id_ = _exact_collectives().get(collapse_spaces(folded[span.start_char:span.end_char]), "")
                found.append(span)
    for span in _local_committees(doc, folded):
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
    folded = fold_chars(doc.text)
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(folded)]
    exact = [(ent.start_char, ent.end_char) for ent in doc.ents]

    def crosses(start: int, end: int) -> bool:
        return any(a < end and start < b and not (start <= a and b <= end) for a, b in exact)

    max_words = max((n for n, _ in _entries_by_words()), default=0)
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
    seen = set()
    patterns = []
    for entry in gazetteer_entries():
        if (entry.key, entry.folded) in seen:
            continue
        seen.add((entry.key, entry.folded))
        patterns.append({"label": "COLLECTIVE" if entry.collective else "AGENCY", "pattern": entry.folded, "id": entry.key})
    with nlp.select_pipes(enable=["policykg_fold_norm"]):
        ruler.add_patterns(patterns)
    nlp.add_pipe("policykg_collectives")
    nlp.add_pipe("policykg_fuzzy_agencies")
    nlp.add_pipe("policykg_doc_numbers")
    nlp.add_pipe("policykg_dates")
    return nlp
