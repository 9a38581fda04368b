"""Duties: who leads, supports or is responsible for what, as the sections that assign them say.

Where duties are assigned
    - sections whose title says so (:func:`~.layout.is_duty_title`): Roman ("IV. TỔ CHỨC THỰC
      HIỆN", "III. PHÂN CÔNG NHIỆM VỤ"), numbered ("3. Tổ chức thực hiện"), a regulation's chapter
      ("Chương III" / "TỔ CHỨC THỰC HIỆN") or article ("Điều 17. Trách nhiệm tổ chức thực hiện");
    - articles whose title names an agency ("Điều 16. Trách nhiệm của Sở Khoa học và Công nghệ",
      "Điều 15. Đề nghị Ủy ban MTTQ ...", "Điều 5. Nội dung Sở X có trách nhiệm chủ trì"): their
      clauses are that agency's duties;
    - agency blocks anywhere in the body: a numbered, lettered or bulleted heading that is only an
      agency's name ("1. Sở Khoa học và Công nghệ", "a) Sở Y tế:", "- Công an tỉnh:", "2.1. ...",
      "3. Sở Tài chính, Sở Nội vụ" — each leads, "9. Đề nghị Ủy ban MTTQ ..."): the items below it,
      at any deeper level, are its duties; its own duty may follow a colon ("6. Văn phòng UBND
      tỉnh: Chủ trì ...");
    - decision articles that are one sentence ("Điều 2. Giao Sở X chủ trì ...", "Điều 3. Giám đốc
      Sở X có trách nhiệm ..."), but not the enacting clause ("... chịu trách nhiệm thi hành Quyết
      định này") nor the entry into force.

In a duties section, an item that names its own actor is a duty even outside an agency block
("2. Sở Tài chính chủ trì, phối hợp với ...", "Giao Sở Tư pháp theo dõi ...", "Các sở, ban,
ngành có trách nhiệm ...").

Roles (``TaskRecord.role``), read from how a duty opens, after an opening clause ("Căn cứ
chức năng, nhiệm vụ được giao, ...", "Trong quá trình thực hiện, nếu có khó khăn, ..."):
    - "Chủ trì, phối hợp với Y ..." → ``lead``: the block's agency leads, Y supports;
    - "(Chủ động) Phối hợp với X ..." → ``support``: X leads, the block's agency supports;
    - "Đề nghị X ..." or an item of a "Đề nghị X" block → ``requested`` (X is asked, not ordered:
      the Front, mass organisations, Party boards, courts);
    - "Khuyến khích X ..." → ``encouraged``;
    - "Giao X chủ trì ..." → X leads; "Giao X ..." → X ``responsible``;
    - "X chủ trì ...", "X (chủ động) phối hợp với Y ...", "X có trách nhiệm ..." → as above with X
      as the actor;
    - anything else is the block's agency's own duty: ``responsible``.
A sub-block "a) Chủ trì thực hiện các nhiệm vụ:" / "b) Phối hợp với X thực hiện:" gives its role
to the items below it: under Chủ trì the block's agency leads; under Phối hợp it supports and the
agency the item (or the sub-block) names leads.

Words of the genre (section titles, opening clauses, person titles, agency head words) are in
``policykg/ontology/lexicon.yaml`` under ``duties``.

>>> duty_roles("chu tri, phoi hop voi so tai chinh ..."), duty_roles("chu dong phoi hop voi so y te")
('lead', 'support')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc

from .. import ontology
from ..errors import Issue, Warnings
from ..records import AgencyMention, Provenance, TaskRecord
from ..text import collapse_spaces, fold, fold_chars
from .context import ExtractContext
from .document import Block
from .layout import (
    ARTICLE_RE,
    BULLET_RE,
    LETTER_RE,
    NUMBERED_RE,
    PAREN_NUM_RE,
    Heading,
    Paragraph,
    _is_caps_heading,
    is_duty_title,
)
from .mentions import LIST_GLUE, mention
from .nlp import doc_text, parse

__all__ = ["DUTIES_SECTION", "ROLES", "agency_names", "duty_roles", "extract_duties", "names_in", "read_duty"]

ROLES = ("lead", "support", "responsible", "requested", "encouraged")
# Kept for callers that test a title: the Roman "TỔ CHỨC THỰC HIỆN" (see layout.is_duty_title for all).
DUTIES_SECTION = re.compile(r"^\s*t\S{0,2} ch\S{0,3}c th\S{0,2}c hi\S{0,2}n\b")

_LEAD_WORDS = r"ch\S{0,2}u tr\S{0,2}\b"
_SUPPORT_WORDS = r"ph\S{0,2}i h\S{0,3}p\b"
_LEADS = re.compile(
    rf"^(?:tinh\s+)?(?:tiep tuc\s+)?(?:(?:la|lam) co quan (?:thuong truc|dau moi),?\s*)?(?:co trach nhiem\s+)?{_LEAD_WORDS}"
)
_SUPPORTS = re.compile(
    rf"^(?:tinh\s+)?(?:tiep tuc\s+)?(?:chu dong\s*,?\s*)?(?:tich cuc\s*,?\s*)?(?:tham gia\s+)?(?:co trach nhiem\s+)?{_SUPPORT_WORDS}"
)
_PARTNERS = re.compile(
    rf"\b{_SUPPORT_WORDS}(?:\s+(?:chat che|thuong xuyen|dong bo|tot|cung))?(?:\s*,\s*(?:chat che|thuong xuyen))?\s*(?:v\S{{0,2}}[i1l]\s+)?"  # "với", also as OCR prints it ("v&i", "vo1"); not "Văn phòng"
)
_ASSIGN = re.compile(r"(?:giao(?:\s+cho)?|yeu cau)\s+")
_REQUEST = re.compile(r"(?:kinh\s+)?[dđp]\S{0,2} ngh\S{0,2}\s+")
_ENCOURAGE = re.compile(r"khuyen khich\s+")
# "X chủ động phối hợp với Y": X supports Y (a plain "X phối hợp với Y <verb>" is X's own task).
_KEEN = re.compile(r"[\s,]*(?:(?:co|chiu) trach nhiem\s+)?(?:chu dong|tham gia)")
_RESPONSIBLE = re.compile(r"\s*(?:co|chiu) trach nhiem\b\s*")
# The end of the duties: "Trên đây là Kế hoạch ...", "Ủy ban nhân dân tỉnh giao (yêu cầu) Giám đốc các sở ... triển khai".
_CLOSING = re.compile(r"^\s*tr\S{0,2}n d\S{0,2}y [l1]\S{0,2}\b"
                      r"|^\s*(?:uy ban nhan dan|ubnd) (?:tinh|thanh pho)\b[^,.;:]{0,20}?\s(?:giao|yeu cau)\s")
# The enacting clause and the entry into force of a decision: not duties.
_ENACTING = re.compile(
    r"thi hanh quyet dinh\b|quyet dinh (?:nay )?thi hanh\b|co hieu luc (?:thi hanh )?(?:ke )?tu\b"
    r"|^\s*quyet dinh nay co hieu luc|\b(?:ke hoach|quyet dinh|quy che|quy dinh|chi thi) nay (?:thay the|co hieu luc)\b"
)
# Lines above or between blocks that end them: "Mục 2. ...", "Chương III", a Roman number alone, a footnote "[1]".
_SECTION_LINE = re.compile(
    r"^\s*(?:m\S{0,2}c\s+\d{1,2}\b|ch\S{0,2}\s?ng\s+[ivxl\d]{1,6}\s*$|[ivxl]{1,5}\s*\.?\s*$|\[\d{1,3}\])")
_SENTENCE_END = (".", ";", "./.", ".\u201d", '."')


@cache
def _vocab() -> dict[str, re.Pattern[str]]:
    """Regexes on folded text built from the ``duties`` words of the lexicon."""
    words = ontology.lexicon()["duties"]

    def alternatives(key: str) -> str:
        return "|".join(re.escape(fold(w)).replace(r"\ ", r"\s+") for w in sorted(words[key], key=len, reverse=True))

    return {
        "opener": re.compile(rf"(?:{alternatives('openers')})\b"),
        "title": re.compile(rf"(?:{alternatives('person_titles')})\s+"),
        "head": re.compile(
            "(?!(?:" + "|".join(re.escape(w) for w in words["not_agency_heads"]) + r")\b)"
            "(?:" + "|".join(re.escape(w) for w in sorted(words["agency_heads"], key=len, reverse=True)) + r")(?=[\s,]|$)"),
        "owner": re.compile(rf"(?:{alternatives('article_owner')})\s+"),
        "collective": re.compile(rf"cac\s+(?:{alternatives('collective_heads')})\b"),
        "place": re.compile(rf"^(?:\s*,?\s+(?:{alternatives('place_words')}|{alternatives('level_words')})\b)+"),
        "stop": re.compile(rf"(?:{alternatives('name_stops')})\b"),
        "level": re.compile(rf"\b(?:{alternatives('level_words')})\b"),
    }


def duty_roles(folded_text: str) -> str:
    """``lead``, ``support`` or ``responsible`` from how a duty starts (folded text).

    >>> duty_roles("chu tri, phoi hop voi so tai chinh ...")
    'lead'
    >>> duty_roles("phei hop v&i so khoa hoc va cong nghe")
    'support'
    >>> duty_roles("tham muu cho ubnd tinh ...")
    'responsible'
    """
    text = BULLET_RE.sub("", folded_text).strip().lower()
    if _LEADS.match(text):
        return "lead"
    if _SUPPORTS.match(text):
        return "support"
    return "responsible"


# ---------------------------------------------------------------------------------------------
# Agency names


_NOT_PLACE = {"va", "cac", "so", "ubnd", "uy", "ban", "bo", "ke", "quyet", "nghi", "chuong", "luat", "hoi", "dieu"}


def _place_end(doc: Doc, folded: str, end: int) -> int:
    """Where the place an agency's name may end with stops ("Công an Thành phố|", "Sở Y tế tỉnh Phú Thọ|")."""
    text = doc_text(doc)
    m = _vocab()["place"].match(folded[end:])
    if m is None:
        return end
    end += m.end()
    for _ in range(3):  # the place's name: "tỉnh| Phú Thọ", "thành phố| Cần Thơ"
        w = re.match(r"[ \t]+(\S+)", text[end:])
        if w is None:
            break
        word = w.group(1)
        stripped = word.rstrip(",;:.)")
        key = fold(stripped)
        if not stripped[:1].isupper() or key in _NOT_PLACE or _vocab()["head"].match(stripped) \
                or _opener_verb(fold_chars(text[end + w.start(1):]).lower()):
            break
        end += w.start(1) + len(stripped)
        if stripped != word:
            break
    return end


def _with_text(m: AgencyMention, text: str, keep_key: bool) -> AgencyMention:
    """``m`` printed as ``text``: the same agency (a place added), or a name of its own, looked up again."""
    text = collapse_spaces(text).strip(" ,;:.")
    if keep_key:
        return AgencyMention(text, m.key, m.name, m.collective, m.confidence, m.line)
    return _looked_up(text, m.collective, m.line)


def _looked_up(text: str, collective: bool, line: int | None) -> AgencyMention:
    """A name the text printed whole, resolved when one gazetteer entry covers it ("Ủy ban nhân dân xã, phường"),
    else kept as printed with a low confidence."""
    doc = parse(text)
    ents = [e for e in doc.ents if e.label_ in {"AGENCY", "COLLECTIVE"}]
    if len(ents) == 1 and ents[0].start_char == 0 and ents[0].end_char >= 0.9 * len(text):
        found = mention(ents[0], line)
        return AgencyMention(text, found.key, found.name if found.key else text[:1].upper() + text[1:],
                             found.collective, found.confidence, line)
    return AgencyMention(text, None, text[:1].upper() + text[1:], collective, 0.5, line)


def _unresolved(text: str, line: int | None, confidence: float = 0.3) -> AgencyMention:
    text = collapse_spaces(text).strip(" ,;:.")
    return AgencyMention(text, None, text[:1].upper() + text[1:], False, confidence, line)


# Words a collective phrase cannot end with: the start of what follows it ("các Sở, ngành có| kế hoạch ...").
_TRAILING_WORD = re.compile(r"\s+(?:trong|có|trên|thuộc|của|tại|và|với|theo|đôn đốc)$")


def _trimmed(text: str, doc: Doc, start: int) -> str:
    """A collective's printed words without the ones that start what follows it (a preposition, a verb)."""
    while len(text.split()) > 2:
        m = _TRAILING_WORD.search(text)
        if m is None:
            m = re.search(r"\s+\S+$", text)
            if not _verb_at(doc, start + m.start() + 1):
                break
        text = text[:m.start()]
    return text


def _mention(ent, line_of=None) -> AgencyMention:
    """The mention of an entity, with the "các" printed before a collective ("các cơ quan có liên quan")."""
    found = mention(ent, line_of(ent.start_char) if line_of else None)
    if found.collective:  # "các cơ quan liên quan trong| phạm vi ...", "các sở, ngành liên quan bố| trí ..."
        text = _trimmed(found.text, ent.doc, ent.start_char)
        if text != found.text:
            found = AgencyMention(text, found.key, found.name, True, found.confidence, found.line)
    before = doc_text(ent.doc)[max(0, ent.start_char - 4):ent.start_char]
    if found.collective and fold_chars(before).lower() == "cac " and not found.text.lower().startswith("các"):
        return AgencyMention(before + found.text, found.key, found.name, True, found.confidence, found.line)
    return found


def _continues(text: str, folded: str, end: int, ent) -> bool:
    """True when ``ent``, printed right after a name that ends at ``end``, continues it ("các doanh nghiệp| viễn
    thông"): it starts in lower case, not with "các", and the name before does not end with "và"."""
    return ent.text[:1].islower() and not folded.startswith("cac ", ent.start_char) \
        and not re.search(r"\b(?:va|cung|,)\s*$", folded[max(0, end - 5):end])


def _mention_start(text: str, m: AgencyMention, before: int) -> int:
    found = text.rfind(m.text, 0, before)
    return found if found != -1 else before


def _printed_end(text: str, begin: int, found: AgencyMention, default: int) -> int:
    """Where a mention printed from ``begin`` ends (before the words trimmed off an entity)."""
    return begin + len(found.text) if text.startswith(found.text, begin) else default


def _verb_at(doc: Doc, position: int) -> bool:
    """True when a verb that starts a task (or ends a name) starts at ``position``."""
    rest = fold_chars(doc_text(doc)[position:position + 40]).lower()
    return _opener_verb(rest) or _vocab()["stop"].match(rest) is not None


def _ents(doc: Doc, start: int, end: int | None = None) -> list:
    return [e for e in doc.ents if e.label_ in {"AGENCY", "COLLECTIVE"} and e.start_char >= start
            and (end is None or e.end_char <= end)]


def _agency_run(doc: Doc, start: int, line_of=None) -> tuple[list[AgencyMention], int]:
    """The agencies listed from ``start`` on ("Sở Tài chính, Công an Thành phố và các đơn vị liên quan"),
    a place after a name kept with it, and where the list ends."""
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    out: list[AgencyMention] = []
    position = start
    for ent in _ents(doc, start):
        if ent.start_char < position:
            continue
        if not LIST_GLUE.match(folded[position:ent.start_char]):
            break
        if out and not text[position:ent.start_char].strip() and _continues(text, folded, position, ent):
            out[-1] = _with_text(out[-1], text[_mention_start(text, out[-1], position):ent.end_char], False)
            position = ent.end_char  # "các doanh nghiệp viễn thông": one name the gazetteer splits
            continue
        found = _mention(ent, line_of)
        begin = ent.start_char - (4 if found.text[:3].lower() == "các" and ent.text[:3].lower() != "các" else 0)
        position = _place_end(doc, folded, _printed_end(text, begin, found, ent.end_char))
        if position > ent.end_char:
            level = _vocab()["level"].search(folded, ent.end_char, position) is not None
            found = _with_text(found, text[ent.start_char:position], keep_key=not level)
        out.append(found)
    return out, position


def agency_names(doc: Doc, start: int, end: int, line_of=None, strict: bool = False) -> list[AgencyMention]:
    """The agencies a name written between ``start`` and ``end`` stands for, each as printed.

    Used where the text says where a name ends (a heading, an article's title, the words before
    "chủ trì"): names the gazetteer knows are resolved, a place after one is kept with it
    ("Công an Thành phố"), a person's title before one is dropped ("Giám đốc Sở Nội vụ" → Sở Nội
    vụ) unless the name is a collective ("Thủ trưởng các sở, ban, ngành"), and words the gazetteer
    lacks are kept as printed with a low confidence ("Các đơn vị cấp nước sạch trên địa bàn thành
    phố"). With ``strict``, a name that does not start with a known agency or a person's title
    gives nothing.

    >>> doc = parse("Công an Thành phố, Sở Tài chính và các tổ chức thành viên của Mặt trận")
    >>> [(m.text, m.key) for m in agency_names(doc, 0, len(doc.text))]  # doctest: +NORMALIZE_WHITESPACE
    [('Công an Thành phố', 'cong-an-tinh'), ('Sở Tài chính', 'so-tai-chinh'),
     ('các tổ chức thành viên của Mặt trận', None)]
    >>> [m.text for m in agency_names(parse("Giám đốc Sở Nội vụ"), 0, 18)]
    ['Sở Nội vụ']
    """
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    start = _skip_space(text, start)
    end = _strip_parenthesis(text, start, end)
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    if end <= start:
        return []
    line = line_of(start) if line_of else None
    if m := _DISTRIBUTIVE.match(text, start):  # "các Sở: Xây dựng, Tài chính, Nội vụ" → Sở Xây dựng, Sở Tài chính, ...
        names = [p.strip() for p in re.split(r",|;|\s(?:và|cùng)\s", text[m.end():end]) if p.strip()]
        return [_looked_up(f"{m.group(1)} {n}", False, line) for n in names]
    title = _vocab()["title"].match(folded, start)
    name_at = _skip_space(text, title.end()) if title else start
    ents = _ents(doc, name_at, end)
    if not ents or ents[0].start_char != name_at:
        if strict and not title:
            return []
        if not ents:
            return [_unresolved(text[start:end], line)]
    spans: list[list] = []  # [start, end, mention or None, keep the key]
    position = name_at
    for ent in ents:
        if ent.start_char < position:
            continue
        found = _mention(ent, line_of)
        _gap(spans, text, folded, position, ent.start_char)
        if spans:
            last = spans[-1]
            between = folded[last[1]:ent.start_char]
            previous = last[2]
            if (not between.strip() and (_continues(text, folded, last[1], ent) or ent.text[:1].isupper())
                    and not re.search(r"\b(?:va|cung)$", folded[last[0]:last[1]])) \
                    or (between.strip() == "," and ent.text[:1].islower() and not folded.startswith("cac ", ent.start_char)
                        and previous is not None and previous.collective):
                # one name the gazetteer splits: "các doanh nghiệp viễn thông", "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"
                last[1], last[3] = ent.end_char, False
                position = ent.end_char
                continue
        begin = ent.start_char - (4 if found.text[:3].lower() == "các" and ent.text[:3].lower() != "các" else 0)
        stop = _printed_end(text, begin, found, ent.end_char)
        spans.append([begin, stop, found, True])
        position = stop
    _gap(spans, text, folded, position, end)
    first = spans[0][2]
    if title and (first is None or first.collective or not first.key):
        spans[0][0] = start
    out = []
    for a, b, found, keep in spans:
        printed = text[a:b]
        if found is None:
            out.append(_unresolved(printed, line, 0.5))
        elif collapse_spaces(printed).strip(" ,;:.") == found.text:
            out.append(found)
        else:
            out.append(_with_text(found, printed, keep))
    return out


# Agencies of one kind listed by their own names: "các Sở: Xây dựng, Tài chính, Nội vụ", "Các Bộ: Công Thương, Tư pháp".
_DISTRIBUTIVE = re.compile(r"[Cc]ác\s+(Sở|Bộ|Ban|Cục|Vụ|Phòng)\s*:\s*(?=[A-ZĐÀ-Ỹ])")
# Words that qualify a name without being part of it ("trong phạm vi chức năng, nhiệm vụ của mình").
_QUALIFIER = re.compile(r"\s(?:trong pham vi|theo) (?:chuc nang|tham quyen|linh vuc)\b")
# Where a bounded name splits into names: a comma or semicolon, "và" / "cùng" before a capital or "các".
_PIECE_BREAK = re.compile(r"[,;]|\s(?:và|cùng|va|cung)\s+(?=[A-ZĐÀ-Ỹ]|các\s|cac\s)")


def _gap(spans: list[list], text: str, folded: str, start: int, end: int, attached: bool = True) -> None:
    """Read the words between two names (or after the last one) of a bounded name.

    Words right after a name, with no separator, go on it ("Công an| Thành phố", "Các đơn vị| cấp
    nước sạch ..."). After a separator, a piece that starts with a capital or "các" is a name of its
    own ("Đài Truyền hình Việt Nam", "các tổ chức thành viên của Mặt trận"), one in lower case goes on
    the name before it ("Các tổ chức, cá nhân và hộ gia đình ...", "Ủy ban nhân dân xã, phường").
    After a colon everything is part of the name ("... các xã: Gia Thuận, Tân Điền").
    """
    if start >= end or LIST_GLUE.match(folded[start:end]):
        return
    if spans and text.find(":", start, end) != -1:
        _extend(spans[-1], text, folded, start, end)
        return
    if q := _QUALIFIER.search(folded, start, end):  # "..., các sở Thành phố trong phạm vi chức năng, nhiệm vụ của mình và ..."
        after = _PIECE_BREAK.search(text, q.end(), end)
        while after is not None and not (text[_skip_space(text, after.end()):][:1].isupper()
                                         or folded.startswith("cac ", _skip_space(text, after.end()))):
            after = _PIECE_BREAK.search(text, after.end(), end)
        _gap(spans, text, folded, start, q.start())
        if after is not None:
            _gap(spans, text, folded, after.end(), end, attached=False)
        return
    cuts = [start] + [m.end() for m in _PIECE_BREAK.finditer(text, start, end)] + [end]
    for k in range(len(cuts) - 1):
        a = cuts[k]
        b = cuts[k + 1]
        if k + 1 < len(cuts) - 1:
            b = _PIECE_BREAK.search(text, a, end).start()
        lead = _skip_space(text, a)
        if m := re.match(r"(?:và|cùng)\s+", text[lead:b]):
            lead += m.end()
        tail = _trim_end(text, lead, b)
        if tail <= lead:
            continue
        if not spans:  # words before the first known name: a name the gazetteer lacks
            spans.append([lead, tail, None, False])
        elif attached and k == 0 and a == start and not text[start:lead].strip():
            _extend(spans[-1], text, folded, start, tail)
        elif text[lead:lead + 1].isupper() or folded.startswith("cac ", lead):
            spans.append([lead, tail, None, False])
        else:
            _extend(spans[-1], text, folded, spans[-1][1], tail)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    trimmed = re.sub(r"\s+(?:và|cùng|va|cung)$", "", text[start:end])
    return start + len(trimmed)


def _only_place(text: str, folded: str, start: int, end: int) -> bool:
    """True when the words between ``start`` and ``end`` only say where an agency is ("Thành phố", ", phường")."""
    words = folded[start:end].strip(" ,;")
    if not words:
        return True
    if _vocab()["level"].search(words):
        return False
    place = _vocab()["place"].match(" " + words)
    return (place is not None and place.end() == len(words) + 1) or all(
        w[:1].isupper() and fold(w) not in _NOT_PLACE and not _vocab()["head"].match(w)
        for w in text[start:end].strip(" ,;").split())


def _extend(span: list, text: str, folded: str, start: int, end: int) -> None:
    """Add the words after a name up to ``end`` to it: a place keeps its key, other words make it a name the
    gazetteer lacks."""
    if not text[start:end].strip(" ,;"):
        return
    span[3] = span[3] and _only_place(text, folded, span[1], end)
    span[1] = start + len(text[start:end].rstrip(" ,;"))


def names_in(doc: Doc, start: int, end: int, line_of=None) -> list[AgencyMention]:
    """The agencies a list written between ``start`` and ``end`` names ("Sở Nội vụ, Sở Tư pháp.", "Bộ Công an
    tiến hành rà soát ...; các bộ, cơ quan ngang bộ rà soát ..."): each part between semicolons is read up to
    the verb that follows its names.

    >>> [m.text for m in names_in(parse("Bộ Công an tiến hành rà soát; các bộ, cơ quan ngang bộ gửi kết quả"), 0, 64)]
    ['Bộ Công an', 'các bộ, cơ quan ngang bộ']
    """
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    out: list[AgencyMention] = []
    for piece in re.finditer(r"[^;]+", text[start:end]):
        a, b = start + piece.start(), start + piece.end()
        stop = _name_stop(text, folded, _skip_space(text, a))
        if stop is not None and stop < b:
            b = stop
        if text[a:b].strip(" ,.;"):
            out.extend(m for m in agency_names(doc, a, b, line_of) if m not in out)
    return out


def _strip_parenthesis(text: str, start: int, end: int) -> int:
    """A name's end before a parenthesis that explains it ("Sở Nội vụ (Cơ quan thường trực ...)")."""
    paren = text.find("(", start, end)
    return paren if paren > start else end


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _actor(doc: Doc, start: int, line_of=None) -> tuple[list[AgencyMention], int]:
    """The agencies a duty opens with (after a person's title: "Giám đốc Sở X có trách nhiệm"), and where they end.

    A name the gazetteer lacks counts when a role word follows it and it starts like an agency's name
    ("Sở Văn hóa và Thể thao chủ trì, ...").
    """
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    start = _skip_space(text, start)
    title = _vocab()["title"].match(folded, start)
    at = _skip_space(text, title.end()) if title else start
    ents = _ents(doc, at)
    if ents and ents[0].start_char == at:
        found, end = _agency_list(doc, at, line_of)
        comma = re.match(r"\s*,\s*", text[end:])
        if comma and not found[-1].collective and _verb_at(doc, end + comma.end()):
            return [], start  # "Thanh tra, kiểm tra, giám sát ...": a list of verbs, not an agency
        if title and (found[0].collective or not found[0].key):
            found[0] = _with_text(found[0], text[start:at] + found[0].text, keep_key=True)
        return found, end
    stop = _name_stop(text, folded, at)
    if stop is not None and _vocab()["head"].match(text, at) and len(text[at:stop].split()) <= 14:
        return agency_names(doc, start, stop, line_of), stop
    return [], start


def _name_stop(text: str, folded: str, start: int) -> int | None:
    """Where a name the gazetteer lacks ends, when a role word or a verb (in lower case) follows it within a few
    words ("Sở Văn hóa và Thể thao| chủ trì", "Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ| chỉ đạo")."""
    window = folded[start:start + 140]
    end = re.search(r"[.;:(]", window)
    window = window[:end.start()] if end else window
    for n, m in enumerate(re.finditer(r"\s(\S+)", window)):
        if n == 0 or not text[start + m.start(1)].islower() or window[:m.start()].endswith(","):
            continue  # a name has two words at least ("các tổ chức"); ", tổ chức" is a list's item, not a verb
        rest = window[m.start(1):]
        if _LEADS.match(rest) or _SUPPORTS.match(rest) or _RESPONSIBLE.match(" " + rest) or _opener_verb(rest) \
                or _vocab()["stop"].match(rest):
            return start + m.start()
    return None


def _agency_list(doc: Doc, start: int, line_of=None) -> tuple[list[AgencyMention], int]:
    """The agencies listed from ``start`` on, and where the list ends: read by the gazetteer, and where it
    stops on a name it lacks ("Bộ Tư lệnh Thành phố và các đơn vị có liên quan| triển khai ...", "Các Sở,
    ban, ngành, UBND xã, phường và ...| báo cáo"), up to the verb after the names, as printed."""
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    found, end = _agency_run(doc, start, line_of)
    rest = _skip_space(text, start) if not found else _after_glue(folded, end)
    if rest is None or not (_vocab()["head"].match(text, rest) or _vocab()["collective"].match(folded, rest)):
        return found, end
    stop = _name_stop(text, folded, rest)
    if stop is None or stop <= rest:
        return found, end
    more = [m for m in agency_names(doc, rest, stop, line_of) if m not in found]
    return found + more, stop


def _partners(doc: Doc, start: int, line_of=None) -> list[AgencyMention]:
    """The agencies after "phối hợp (với)" from ``start`` on."""
    folded = fold_chars(doc_text(doc)).lower()
    out: list[AgencyMention] = []
    for m in _PARTNERS.finditer(folded, start):
        found, _ = _agency_list(doc, m.end(), line_of)
        for a in found:
            if all((a.key or a.text) != (b.key or b.text) for b in out):
                out.append(a)
    return out


def _after_glue(folded: str, end: int) -> int | None:
    """Where the next name of a list starts after ", " or " và ", if the list goes on."""
    m = re.match(r"\s*(?:,|;|\bva\b|\bcung\b)\s*", folded[end:])
    return end + m.end() if m and m.group(0).strip() else None


# ---------------------------------------------------------------------------------------------
# Reading one duty


@dataclass
class _Frame:
    """An agency block (or a role sub-block inside one): whose duties the items below it are."""

    rank: float
    number: str
    label: str
    agencies: list[AgencyMention]
    role: str | None = None  # the role the items below take when they say none
    partners: list[AgencyMention] = field(default_factory=list)  # who leads the items of a "Phối hợp với X:" sub-block
    count: int = 0
    marked: bool = False  # an item with a marker was seen below it
    details: bool = False  # the items below detail one duty ("như sau:"): not duties of their own


@dataclass
class Reading:
    """How a duty reads: its role, who leads and who supports, and whether it named its own actor."""

    role: str
    lead: list[AgencyMention]
    support: list[AgencyMention]
    own_actor: bool = False


def _after_opener(doc: Doc, folded: str, start: int) -> int:
    """Where a duty's actor or role starts after an opening clause ("Căn cứ chức năng, nhiệm vụ, chủ trì ...",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc đề nghị các sở ...", "Hằng năm, các cơ quan ...")."""
    if not _vocab()["opener"].match(folded, start):
        return start
    stop = len(folded)
    for m in re.finditer(r"[.:]", folded[start:]):
        stop = start + m.start()
        break
    starts = {e.start_char for e in _ents(doc, start)}
    for m in re.finditer(r"[,;]\s*|\s+(?=(?:[dđp]\S{0,2} ngh\S{0,2}|giao)\s)", folded[start:stop]):
        at = start + m.end()
        rest = folded[at:]
        if at in starts or _LEADS.match(rest) or _SUPPORTS.match(rest) or _ASSIGN.match(rest) or _REQUEST.match(rest) \
                or _ENCOURAGE.match(rest):
            return at
    return start


def _role_at(folded: str, position: int) -> str:
    rest = folded[position:].lstrip(" ,")
    if m := _RESPONSIBLE.match(rest):
        rest = rest[m.end():]
    if _LEADS.match(rest):
        return "lead"
    if _SUPPORTS.match(rest):
        return "support"
    return "responsible"


def _assign(reading_role: str, actors: list[AgencyMention], partners: list[AgencyMention]) -> Reading:
    if reading_role == "support":
        return Reading("support", partners, actors, True)
    return Reading(reading_role, actors, [p for p in partners if p not in actors], True)


def read_duty(doc: Doc, start: int, frame_agencies: list[AgencyMention] | None = None, frame_role: str | None = None,
              frame_partners: list[AgencyMention] | None = None, line_of=None) -> Reading | None:
    """How the duty written from ``start`` on reads, inside a block of ``frame_agencies`` (if any).

    Returns None when there is no block and the duty names no actor.

    >>> doc = parse("Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát")
    >>> r = read_duty(doc, 0)
    >>> r.role, [m.name for m in r.lead], [m.name for m in r.support]
    ('lead', ['Sở Tài chính'], ['Sở Nội vụ'])
    >>> r = read_duty(parse("Phối hợp với Sở Y tế kiểm tra"), 0, [read_duty(doc, 0).lead[0]])
    >>> r.role, [m.name for m in r.lead], [m.name for m in r.support]
    ('support', ['Sở Y tế'], ['Sở Tài chính'])
    """
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    frame_agencies = list(frame_agencies or [])
    frame_partners = list(frame_partners or [])
    position = _after_opener(doc, folded, _skip_space(text, start))
    if m := re.match(r"(?:tiep tuc|dong thoi|trach nhiem cua)\s+", folded[position:]):
        position += m.end()
    partners = _partners(doc, position, line_of)
    if m := _ASSIGN.match(folded, position):
        actors, end = _actor(doc, m.end(), line_of)
        if actors:
            return _assign(_role_at(folded, end), actors, partners)
    if m := _REQUEST.match(folded, position):
        actors, _ = _actor(doc, m.end(), line_of)
        if actors or frame_agencies:
            support = [p for p in partners if p not in actors]
            return Reading("requested", actors or frame_agencies, support, bool(actors))
    if m := _ENCOURAGE.match(folded, position):
        actors, _ = _actor(doc, m.end(), line_of)
        if actors or frame_agencies:
            return Reading("encouraged", actors or frame_agencies, [], bool(actors))
    actors, end = _actor(doc, position, line_of)
    if actors:
        role = _role_at(folded, end)
        if role == "support" and not _KEEN.match(folded, end):
            role = "responsible"  # "Sở Tài chính phối hợp với các đơn vị liên quan thẩm định ...": its own task
        if frame_role in {"requested", "encouraged"} and role == "responsible":
            return Reading(frame_role, actors, partners, True)
        return _assign(role, actors, partners)
    if not frame_agencies:
        return None
    role = duty_roles(folded[position:])
    if frame_role in {"requested", "encouraged"}:
        return Reading(frame_role, frame_agencies, partners)
    if role == "lead" or (role == "responsible" and frame_role == "lead"):
        support = [p for p in partners + frame_partners if p not in frame_agencies]
        return Reading("lead", frame_agencies, support)
    if role == "support" or frame_role == "support":
        lead = partners or frame_partners
        if not lead and role == "responsible":
            lead, _ = _agency_run(doc, _first_agency(doc, position), line_of)
        return Reading("support", [a for a in lead if a not in frame_agencies], frame_agencies)
    return Reading("responsible", frame_agencies, partners)


def _first_agency(doc: Doc, start: int) -> int:
    ents = _ents(doc, start)
    return ents[0].start_char if ents else len(doc_text(doc))


# ---------------------------------------------------------------------------------------------
# Layout of the blocks


def _marker(text: str) -> tuple[float | None, str, int]:
    """The level of a paragraph's marker (smaller is higher), its number as printed, and where its text starts."""
    if m := NUMBERED_RE.match(text):
        return 2 + m.group("num").count("."), m.group("num"), m.start("rest")
    if m := PAREN_NUM_RE.match(text):
        return 5, m.group("num"), m.start("rest")
    if m := LETTER_RE.match(text):
        return 6, m.group("num"), m.start("rest")
    if m := BULLET_RE.match(text):
        return (8 if text.lstrip().startswith("+") else 7), "", m.end()
    return None, "", 0


def _is_section_line(para: Paragraph) -> bool:
    """A paragraph that is (part of) a heading above agency blocks: "Chương III", "Mục 2. ...", a title in capitals."""
    folded = fold_chars(para.text).lower().strip()
    return bool(_SECTION_LINE.match(folded)) or (_is_caps_heading(para.text) and _marker(para.text)[0] is None)


def _is_heading_block(para: Paragraph) -> bool:
    return getattr(para, "kind", None) == "heading" or bool(getattr(para, "bold", False))


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END)


@dataclass
class _Heading:
    """An agency heading read: its agencies, where its own duty starts (if any), the role it gives."""

    agencies: list[AgencyMention]
    label: str
    duty_at: int | None
    role: str | None


def _name_end(text: str, start: int) -> tuple[int, int | None]:
    """Where a heading's name ends and where a duty after its colon starts. A list of names after the colon
    is part of the name ("Ủy ban nhân dân các xã: Gia Thuận, Tân Điền", "các Sở: Xây dựng, Tài chính")."""
    colon = text.find(":", start)
    if colon == -1:
        return len(text), None
    after = text[colon + 1:].strip().rstrip(".;")
    pieces = [p.strip() for p in re.split(r"[,;]|\s(?:và|cùng)\s", after) if p.strip()]
    names = len(pieces) > 1 and all(p[:1].isupper() and len(p.split()) <= 5 for p in pieces)
    if after and (names or all(w[:1].isupper() for w in after.split())):
        return len(text), None
    return colon, colon + 1


def _agency_heading(doc: Doc, para: Paragraph, rank: float, rest_at: int, strong: bool) -> _Heading | None:
    """An agency heading ("1. Sở Y tế", "3. Đề nghị Ủy ban MTTQ ...:", "6. Văn phòng UBND tỉnh: Chủ trì ...",
    "11. Các đơn vị cấp nước sạch ... có trách nhiệm"), or None.

    Its name is made of agencies, with a place or a few words the gazetteer lacks; a short name that
    matches no agency ("Ban Chỉ đạo ...", "Doanh nghiệp, cộng đồng, tổ chức, cá nhân:") counts as one
    in a duties section when it heads a top-level block, or when it is printed as a heading.
    """
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    start = _skip_space(text, rest_at)
    role = None
    prefixed = owner = False
    if m := _REQUEST.match(folded, start):
        start, role, prefixed = m.end(), "requested", True
    elif m := _ENCOURAGE.match(folded, start):
        start, role, prefixed = m.end(), "encouraged", True
    elif m := _ASSIGN.match(folded, start):
        start, prefixed = m.end(), True
    elif (m := _vocab()["owner"].match(folded, start)) and not folded.startswith("noi dung", start):
        owner = folded[m.start():m.end()].rstrip().endswith("cua")
        start = m.end()  # "2. Trách nhiệm của Sở Nội vụ:", "3. Trách nhiệm các cơ quan, đơn vị ..."
    end, duty_at = _name_end(text, start)
    if m := re.search(r"\s(?:co|chiu) trach nhiem\s*[.]?\s*$", folded[start:end]):
        end = start + m.start()
    words = len(text[start:end].split())
    heading_block = _is_heading_block(para)
    if words == 0 or words > 30 or (_starts_sentence(doc, folded, start, end) and not heading_block):
        return None
    found, after = _agency_run(doc, _skip_space(text, _title_end(folded, start)))
    tail = folded[after:end].strip(" .,;")
    if duty_at is None and _ends_sentence(text) and not heading_block and not _DISTRIBUTIVE.match(text, start) \
            and (prefixed or not found or len(tail.split()) > 4):
        return None
    agencies = agency_names(doc, start, end, para.line_at, strict=True)
    if not agencies:
        opening = folded[start:end]
        if _LEADS.match(opening) or _SUPPORTS.match(opening) or _opener_verb(opening) \
                or not (text[start:start + 1].isupper() or (owner and words <= 15)):
            return None
        lenient = strong and rank <= 2 and words <= 25 and (duty_at is not None or not _ends_sentence(text))
        labelled = duty_at is not None and words <= 10  # "2. Chi nhánh Văn phòng đăng ký đất đai: Phối hợp ..."
        if not (owner or ((lenient or heading_block or labelled) and _vocab()["head"].match(text, start))):
            return None
        agencies = [_unresolved(text[start:end], para.line_at(start))]
    label = collapse_spaces(text[rest_at:end]).rstrip(" :.")
    if duty_at is not None and len(text[duty_at:].split()) < 3:
        duty_at = None
    return _Heading(agencies, label, duty_at, role)


def _title_end(folded: str, start: int) -> int:
    title = _vocab()["title"].match(folded, start)
    return title.end() if title else start


def _starts_sentence(doc: Doc, folded: str, start: int, end: int) -> bool:
    """True when the words after the agencies a heading opens with are a verb: it is a sentence, not a name."""
    found, after = _agency_run(doc, start)
    if not found:
        return False
    rest = folded[after:end].strip(" ,")
    if not rest:
        return False
    return bool(_LEADS.match(rest) or _SUPPORTS.match(rest) or _RESPONSIBLE.match(" " + rest) or _opener_verb(rest)
                or _vocab()["stop"].match(rest))


@cache
def _openers() -> tuple[str, ...]:
    return tuple(fold(w) for w in ontology.lexicon()["task_openers"])


def _opener_verb(folded_rest: str) -> bool:
    return folded_rest.startswith(_openers())


def _article_frame(doc: Doc, heading: Heading, para: Paragraph) -> _Frame | None:
    """The agency an article's title names as the owner of its clauses ("Trách nhiệm của Sở X", "Đề nghị X",
    "Nội dung X có trách nhiệm chủ trì"), or None."""
    m = ARTICLE_RE.match(doc_text(doc)) or re.match(r"^\s*(?:Điều|Dieu)\s+\d{1,3}\s*[.:]\s*", doc_text(doc))
    if m is None:
        return None
    text = doc_text(doc)
    folded = fold_chars(text).lower()
    start = m.start("rest") if "rest" in m.re.groupindex else m.end()
    if _ends_sentence(text) or len(text[start:].split()) > 35:
        return None
    role = None
    explicit = False
    if r := _REQUEST.match(folded, start):
        start, role, explicit = r.end(), "requested", True
    elif o := _vocab()["owner"].match(folded, start):
        explicit = folded[o.start():o.end()].rstrip().endswith("cua")
        start = o.end()
    else:
        return None
    end = len(text)
    if r := re.search(r"\s(?:co|chiu) trach nhiem(?:\s+(chu tri))?\s*$", folded[start:]):
        end = start + r.start()
        if r.group(1):
            role = "lead"
    elif not explicit and role is None:
        return None
    agencies = agency_names(doc, start, end, para.line_at, strict=not explicit)
    if not agencies:
        return None
    label = f"{heading.number}. {heading.title}"
    return _Frame(1.5, heading.number, label, agencies, role)


# ---------------------------------------------------------------------------------------------
# The walk


_LEVEL = {"chapter": 0, "roman": 1, "article": 2, "number": 3}


def _strong(paras: list[Paragraph], headings: list[Heading]) -> list[bool]:
    """Which paragraphs lie in a section that assigns duties (where items naming their actor are duties)."""
    out = [False] * len(paras)
    for k, heading in enumerate(headings):
        if not is_duty_title(heading.title):
            continue
        end = len(paras)
        for later in headings[k + 1:]:
            if _LEVEL[later.level] <= _LEVEL[heading.level]:
                end = later.index
                break
        if heading.level == "number":
            depth = heading.number.count(".")
            for i in range(heading.index + 1, end):
                if (m := NUMBERED_RE.match(paras[i].text)) and m.group("num").count(".") <= depth:
                    end = i
                    break
        for i in range(heading.index + 1, end):
            out[i] = True
    return out


def _joined(paras: list[Paragraph], docs: list[Doc], i: int) -> tuple[Paragraph, Doc, int]:
    """An agency heading printed over two paragraphs ("3. Đề nghị Ủy ban MTTQ Thành phố, Hội Liên hiệp" /
    "Phụ nữ Thành phố và ...", "1. Sở" / "Khoa học và Công nghệ") joined: the paragraph, its parse and
    how many paragraphs it took."""
    para, doc = paras[i], docs[i]
    if i + 1 >= len(paras):
        return para, doc, 1
    nxt = paras[i + 1]
    if _marker(nxt.text)[0] is not None or _ends_sentence(para.text) or para.text.rstrip().endswith(":") \
            or len(para.text.split()) > 20:
        return para, doc, 1
    short_head = len(para.text.split()) <= 3  # "1. Sở" / "Khoa học và Công nghệ ..." in PDF text
    if not short_head and (len(nxt.text.split()) > 14 or _ends_sentence(nxt.text) or not _is_heading_block(nxt)):
        return para, doc, 1
    text = f"{para.text.rstrip()} {nxt.text.strip()}"
    joined_doc = parse(text, bool(doc.user_data.get("ocr")))
    boundary = len(para.text.rstrip())
    if not any(e.start_char < boundary < e.end_char for e in joined_doc.ents):
        return para, doc, 1
    offsets = list(getattr(para, "offsets", [0])) + [boundary + 1 + o for o in getattr(nxt, "offsets", [0])]
    lines = list(getattr(para, "lines", [para.line_start])) + list(getattr(nxt, "lines", [nxt.line_start]))
    block = Block("paragraph", text, para.line_start, nxt.line_end, offsets, lines,
                  bold=getattr(para, "bold", False), marker=getattr(para, "marker", None))
    block.kind = getattr(para, "kind", "paragraph")
    return block, joined_doc, 2


def extract_duties(
    paras: list[Paragraph], docs: list[Doc], headings: list[Heading], *, context: ExtractContext,
) -> tuple[list[TaskRecord], list[Issue]]:
    """Duties of the blocks of a document's body (see the module's docstring for the rules)."""
    walk = _Walk(paras, docs, headings, context.document, context.file, context.confidence)
    i = 0
    while i < len(paras):
        i += walk.step(i)
    return walk.tasks, walk.issues


class _Walk:
    """One pass over a body's paragraphs, with the stack of blocks the current paragraph lies in."""

    def __init__(self, paras: list[Paragraph], docs: list[Doc], headings: list[Heading], document: str, file: str,
                 confidence: float) -> None:
        self.paras, self.docs, self.document, self.file, self.confidence = paras, docs, document, file, confidence
        self.strong = _strong(paras, headings)
        self.at = {h.index: h for h in headings}
        self.tasks: list[TaskRecord] = []
        self.issues: list[Issue] = []
        self.outer: list[str] = []  # labels of the section (and article) the walk is in
        self.stack: list[_Frame] = []
        self.stopped = False  # after "Trên đây là Kế hoạch ...": no more duties until the next heading
        self.in_article = False  # inside an article of a regulation (or decision)
        self.free = 0  # duties that name their own actor outside any block, numbered in order

    def step(self, i: int) -> int:
        """Read paragraph ``i``; how many paragraphs it took."""
        from .inline_tasks import field_of  # fields of inline tasks ("Đơn vị chủ trì: ...") are not duties

        para = self.paras[i]
        folded = fold_chars(para.text).lower()
        if i in self.at:
            self.heading(self.at[i], para, self.docs[i], folded)
            return 1
        if _CLOSING.match(folded):
            self.stopped = True
        if self.stopped or _ENACTING.search(folded) or field_of(para.text) is not None:
            return 1
        if _is_section_line(para):
            self.stack = []
            return 1
        rank, number, rest_at = _marker(para.text)
        if rank is None:
            return self.item(i, para, self.docs[i], folded, rank, number, rest_at, 1)
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        joined, doc, taken = _joined(self.paras, self.docs, i)
        if self.blocks_allowed(i) and self.agency_block(joined, doc, rank, number, rest_at, self.strong[i]):
            return taken
        return self.item(i, joined, doc, fold_chars(joined.text).lower(), rank, number, rest_at, taken)

    def blocks_allowed(self, i: int) -> bool:
        """Agency blocks count in a duties section, outside articles, and in an article whose title names its agency."""
        return self.strong[i] or not self.in_article or any(f.rank < 2 for f in self.stack)

    def heading(self, heading: Heading, para: Paragraph, doc: Doc, folded: str) -> None:
        """A section, chapter or article starts: the blocks end; an article may name its agency or be a duty."""
        self.stack, self.stopped = [], False
        label = f"{heading.number}. {heading.title}"
        if heading.level != "article":
            self.outer, self.in_article = [label], False
            return
        self.in_article = True
        self.outer = self.outer[:1] if self.outer and not self.outer[0].startswith(("Điều", "Dieu")) else []
        frame = _article_frame(doc, heading, para)
        if frame is not None:
            self.stack.append(frame)
            return
        self.outer = self.outer + [label]
        if _ENACTING.search(folded) or not _ends_sentence(para.text):
            return
        m = ARTICLE_RE.match(para.text) or re.match(r"^\s*(?:Điều|Dieu)\s+\d{1,3}\s*[.:]\s*", para.text)
        start = m.start("rest") if "rest" in m.re.groupindex else m.end()
        reading = read_duty(doc, start, line_of=para.line_at)
        if reading is not None and reading.own_actor:  # "Điều 2. Giao Sở X chủ trì ..."
            self.tasks.append(TaskRecord(
                self.document, self.outer[:-1] + [heading.number], heading.number, collapse_spaces(para.text[start:]),
                "duties", Provenance(self.file, para.line_start, para.line_end, "duties", self.confidence),
                reading.lead, reading.support, role=reading.role))

    def agency_block(self, para: Paragraph, doc: Doc, rank: float, number: str, rest_at: int, strong: bool) -> bool:
        """An agency heading opens a block (and may carry its first duty after a colon); True if it was one."""
        heading = _agency_heading(doc, para, rank, rest_at, strong)
        if heading is None:
            return False
        first = heading.agencies[0]
        if not first.key and first.confidence <= 0.3:
            self.issues.append(Warnings.W201.format(file=self.file, line=para.line_start, text=first.text))
        frame = _Frame(rank, number, f"{number}. {heading.label}", heading.agencies, heading.role)
        self.stack.append(frame)
        if heading.duty_at is not None:
            reading = read_duty(doc, heading.duty_at, frame.agencies, frame.role, line_of=para.line_at)
            if reading is not None:
                self.emit(para, doc, heading.duty_at, reading, "")
        return True

    def item(self, i: int, para: Paragraph, doc: Doc, folded: str, rank: float | None, number: str, rest_at: int,
             taken: int) -> int:
        """An item (or an unmarked paragraph): a duty of the block it lies in, or of the actor it names."""
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.details:
            return taken
        if rank is None and frame is not None and frame.marked and not _names_actor_or_role(doc, folded):
            return taken  # a paragraph continuing the item above
        reading = read_duty(doc, rest_at, frame.agencies if frame else None, frame.role if frame else None,
                            frame.partners if frame else None, para.line_at)
        if reading is None:
            return taken
        if frame is None and not (reading.own_actor and (self.strong[i] or self.assigns(doc, rest_at))):
            return taken
        nxt = self.paras[i + taken].text if i + taken < len(self.paras) else ""
        has_children = rank is not None and (_marker(nxt)[0] or 99) > rank
        opens_list = para.text.rstrip().endswith(":") and has_children
        if opens_list and _is_sub_block(folded, rest_at, reading):
            self.stack.append(_sub_frame(rank, number, frame, reading))
            return taken
        if frame is not None and rank is not None:
            frame.marked = True
        owner = self.owner()
        self.emit(para, doc, rest_at, reading, "" if owner else number)
        if owner is None and rank is not None:  # "11. Các sở, ban, ngành ... tham gia thực hiện." heads what follows
            actors = reading.support if reading.role == "support" else reading.lead
            role = reading.role if reading.role in {"requested", "encouraged"} else None
            label = f"{number}. {collapse_spaces(para.text[rest_at:rest_at + 60])}"
            self.stack.append(_Frame(rank, number, label, actors, role, count=1))
        if opens_list:  # "7. Thực hiện báo cáo định kỳ như sau:" — the items below detail this duty
            self.stack.append(_Frame(rank + 0.5, number, "", [], details=True))
        return taken

    def assigns(self, doc: Doc, rest_at: int) -> bool:
        """Outside duties sections and articles, an item that opens by assigning ("Giao X ...", "Đề nghị X ...",
        "Khuyến khích X ...") is a duty of X."""
        folded = fold_chars(doc_text(doc)).lower()
        at = _skip_space(doc_text(doc), rest_at)
        return not self.in_article and bool(_ASSIGN.match(folded, at) or _REQUEST.match(folded, at)
                                            or _ENCOURAGE.match(folded, at))

    def owner(self) -> _Frame | None:
        return next((f for f in reversed(self.stack) if f.agencies), None)

    def emit(self, para: Paragraph, doc: Doc, start: int, reading: Reading, number: str) -> None:
        frame = self.owner()
        path = self.outer + [f.label for f in self.stack if f.label]
        if frame is not None:
            frame.count += 1
            number = f"{frame.number}.{frame.count}"
        elif not number:
            self.free += 1
            number = str(self.free)
        text = collapse_spaces(BULLET_RE.sub("", doc_text(doc)[start:], count=1))
        provenance = Provenance(self.file, para.line_start, para.line_end, "duties", self.confidence)
        self.tasks.append(TaskRecord(self.document, path, number, text, "duties", provenance, reading.lead,
                                     reading.support, role=reading.role))


def _names_actor_or_role(doc: Doc, folded: str) -> bool:
    """An unmarked paragraph after an agency block's items is a duty of its own only when it opens with a role,
    an assignment or an agency; otherwise it continues the item above."""
    start = _after_opener(doc, folded, 0)
    rest = folded[start:]
    return bool(_LEADS.match(rest) or _SUPPORTS.match(rest) or _ASSIGN.match(rest) or _REQUEST.match(rest)
                or _ENCOURAGE.match(rest) or start in {e.start_char for e in _ents(doc, 0)})


def _is_sub_block(folded: str, rest_at: int, reading: Reading) -> bool:
    """A short item ending with a colon that gives its role or actor to the items below it ("a) Chủ trì thực
    hiện các nhiệm vụ:", "b) Phối hợp với Sở X thực hiện:", "2. Giao Công an tỉnh có trách nhiệm:"), as opposed
    to a duty whose items detail it ("7. Thực hiện báo cáo định kỳ như sau:")."""
    rest = folded[rest_at:].strip(" :")
    words = len(rest.split())
    if reading.own_actor:
        named = sum(len(m.text.split()) for m in reading.lead + reading.support)
        return words - named <= 10
    return words <= 12 and bool(_LEADS.match(rest) or _SUPPORTS.match(rest))


def _sub_frame(rank: float, number: str, frame: _Frame | None, reading: Reading) -> _Frame:
    """The frame of a sub-block: the items below take its role, and its agencies."""
    if reading.own_actor:
        agencies = reading.support if reading.role == "support" else reading.lead
        return _Frame(rank, number, "", agencies, None if reading.role == "responsible" else reading.role,
                      reading.lead if reading.role == "support" else [])
    agencies = frame.agencies if frame else []
    if reading.role == "support":
        return _Frame(rank, number, "", agencies, "support", reading.lead)
    role = reading.role if reading.role != "responsible" else (frame.role if frame else None)
    return _Frame(rank, number, "", agencies, role, reading.support if reading.role == "lead" else [])
