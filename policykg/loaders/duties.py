"""Duties of the "TỔ CHỨC THỰC HIỆN" section and of decision articles ("Điều 2. Giao ...").

The section assigns duties per agency: a numbered block names the agency ("1. Sở Khoa
học và Công nghệ", "6. Văn phòng UBND tỉnh: Chủ trì, ...", "10. Đề nghị Ủy ban MTTQ ...")
and each bullet under it is one duty. A bullet that starts "Chủ trì" makes the block's
agency lead and the agencies after "phối hợp với" support; one that starts "Phối hợp
với X" makes X lead and the block's agency support; any other bullet is the block's
agency's own duty (role ``responsible``: it leads, nobody else is named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from ..errors import Issue, Warnings
from ..records import AgencyMention, Provenance, TaskRecord
from ..text import collapse_spaces, fold_chars
from .layout import ARTICLE_RE, BULLET_RE, NUMBERED_RE, Heading, Paragraph
from .mentions import agency_list

__all__ = ["DUTIES_SECTION", "extract_duties", "duty_roles"]

DUTIES_SECTION = re.compile(r"^\s*t\S{0,2} ch\S{0,3}c th\S{0,2}c hi\S{0,2}n\b")
_LEADS = re.compile(r"^(?:tinh\s+)?(?:tiep tuc\s+)?(?:la co quan thuong truc,?\s*)?ch\S{0,2}u tr\S{0,2}\b")
_SUPPORTS = re.compile(r"^(?:tinh\s+)?(?:tiep tuc\s+)?(?:tham gia\s+)?ph\S{0,2}i h\S{0,3}p\b")
_PARTNERS = re.compile(r"\bph\S{0,2}i h\S{0,3}p\s+(?:v\S{0,3}\s+)?")
_ASSIGN = re.compile(r"^\s*(?:giao(?:\s+cho)?|[dđp]\S{0,2} ngh\S{0,2}|y\S{0,2}u c\S{0,2}u)\s+")
_CLOSING = re.compile(r"^\s*tr\S{0,2}n d\S{0,2}y [l1]\S{0,2}\b")
_HEADING_STOP = re.compile(r"^[\s:,.\-–]*$")


@dataclass
class _Block:
    number: str
    label: str
    agencies: list[AgencyMention]


def duty_roles(folded_text: str) -> str:
    """``lead``, ``support`` or ``responsible`` from how a duty starts.

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


def _partners(doc: Doc, para: Paragraph, start: int) -> list[AgencyMention]:
    folded = fold_chars(doc.text).lower()
    out: list[AgencyMention] = []
    for m in _PARTNERS.finditer(folded, start):
        found, _ = agency_list(doc, m.end(), para.line_at)
        out.extend(a for a in found if a not in out)
    return out


def _duty(
    doc: Doc, para: Paragraph, start: int, block: _Block, section: list[str], number: str, document: str,
    file: str, confidence: float, role_at: int | None = None, line: int | None = None,
) -> TaskRecord:
    text = collapse_spaces(BULLET_RE.sub("", doc.text[start:], count=1))
    role = duty_roles(fold_chars(doc.text[start if role_at is None else role_at:]).lower())
    partners = _partners(doc, para, start)
    if role == "support" and partners:
        lead, support = partners, list(block.agencies)
    elif role == "support":
        lead, support = [], list(block.agencies)
    else:
        lead, support = list(block.agencies), partners
    line = line or para.line_at(start)
    provenance = Provenance(file, line, para.line_end, "duties", confidence)
    return TaskRecord(document, section, number, text, "duties", provenance, lead, support, role=role)


def _block_heading(doc: Doc, para: Paragraph, rest_at: int) -> tuple[list[AgencyMention], int, bool]:
    """The agencies a block heading names, where its own duty text (if any) starts, and
    whether the heading is itself an assignment ("Giao X chủ trì ...", "Đề nghị X phối hợp ...")."""
    folded = fold_chars(doc.text).lower()
    start = rest_at
    assigned = False
    if m := _ASSIGN.match(folded[start:]):
        start += m.end()
        assigned = True
    agencies, end = agency_list(doc, start, para.line_at)
    colon = doc.text.find(":", end)
    if agencies and colon != -1 and _HEADING_STOP.match(doc.text[end:colon]) is None and colon - end < 80 \
            and not re.search(r"\b(?:chu tri|phoi hop|thuc hien)\b", folded[end:colon]):
        end = colon
    if colon != -1 and _HEADING_STOP.match(doc.text[end:colon] or ":"):
        end = colon + 1
    return agencies, end, assigned


def extract_duties(
    paras: list[Paragraph], docs: list[Doc], headings: list[Heading], document: str, file: str,
    confidence: float = 1.0,
) -> tuple[list[TaskRecord], list[Issue]]:
    """Duties from the "TỔ CHỨC THỰC HIỆN" sections and "Giao ..." decision articles."""
    tasks: list[TaskRecord] = []
    issues: list[Issue] = []
    for h_index, heading in enumerate(headings):
        end = headings[h_index + 1].index if h_index + 1 < len(headings) else len(paras)
        if heading.level == "article":
            if re.search(r"\bgiao\b", fold_chars(paras[heading.index].text).lower()):
                tasks.extend(_article_duty(paras[heading.index], docs[heading.index], heading, document, file, confidence))
            continue
        if not DUTIES_SECTION.match(fold_chars(heading.title).lower()):
            continue
        section_label = f"{heading.number}. {heading.title}"
        block: _Block | None = None
        bullet = 0
        for i in range(heading.index + 1, end):
            para, doc = paras[i], docs[i]
            folded = fold_chars(para.text).lower()
            if _CLOSING.match(folded):
                break
            numbered = NUMBERED_RE.match(para.text)
            if numbered and "." not in numbered.group("num"):
                rest_at = numbered.start("rest")
                agencies, duty_at, assigned = _block_heading(doc, para, rest_at)
                label = collapse_spaces(para.text[rest_at:duty_at]).rstrip(" :.")
                if not agencies:
                    unresolved = _unresolved_heading(para.text[rest_at:])
                    if unresolved:
                        issues.append(Warnings.W201.format(file=file, line=para.line_start, text=unresolved))
                        agencies = [_unresolved_mention(unresolved, para.line_start)]
                        label, duty_at = unresolved, rest_at + para.text[rest_at:].find(unresolved) + len(unresolved)
                        colon = para.text.find(":", duty_at)
                        if colon != -1 and colon - duty_at < 3:
                            duty_at = colon + 1
                block = _Block(numbered.group("num"), label, agencies)
                bullet = 0
                if len(para.text[duty_at:].split()) >= 3:
                    bullet += 1
                    tasks.append(_duty(doc, para, rest_at if assigned else duty_at, block,
                                       [section_label, f"{block.number}. {block.label}"],
                                       f"{block.number}.{bullet}", document, file, confidence, role_at=duty_at,
                                       line=para.line_start))
                continue
            if block is None:
                continue
            bullet += 1
            tasks.append(_duty(doc, para, 0, block, [section_label, f"{block.number}. {block.label}"],
                               f"{block.number}.{bullet}", document, file, confidence))
    return tasks, issues


def _unresolved_heading(text: str) -> str | None:
    """A short block heading that names no known agency ("Ban Chỉ đạo ... tỉnh"): kept as printed."""
    head = text.split(":", 1)[0].strip()
    if (1 <= len(head.split()) <= 25 and not head.endswith((".", ";"))) or ":" in text[:200]:
        return collapse_spaces(head).rstrip(" .")
    return None


def _unresolved_mention(text: str, line: int) -> AgencyMention:
    return AgencyMention(text, None, text, False, 0.3, line)


def _article_duty(para: Paragraph, doc: Doc, heading: Heading, document: str, file: str, confidence: float) -> list[TaskRecord]:
    m = ARTICLE_RE.match(para.text)
    assert m is not None
    agencies, role_at, _ = _block_heading(doc, para, m.start("rest"))
    if not agencies:
        return []
    block = _Block(heading.number, heading.number, agencies)
    return [_duty(doc, para, m.start("rest"), block, [heading.number], heading.number, document, file, confidence,
                  role_at=role_at)]
