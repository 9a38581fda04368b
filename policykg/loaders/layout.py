"""Layout of a policy document's text: page furniture, paragraphs, sections, documents.

PDF-extracted lines are wrapped at the page width and separated by stray blank lines;
this module masks page furniture (page numbers, national motto, "Nơi nhận" blocks,
signature lines), rejoins wrapped lines into paragraphs that remember their source
lines, and finds the documents of a file (a decision and the plan it issues), their
numbered sections and their appendices.

>>> from policykg.loaders.source import SourceText
>>> from policykg.text import fold_chars
>>> lines = ["KẾ HOẠCH", "", "- Chủ trì, phối hợp với Sở Y tế", "", "triển khai Quyết định số 569/QĐ-", "TTg.", "12"]
>>> src = SourceText("x.txt", lines, [fold_chars(l) for l in lines])
>>> [(p.text, p.line_start, p.line_end) for p in paragraphs(src, 0, len(lines), furniture_mask(src))]
[('KẾ HOẠCH', 1, 1), ('- Chủ trì, phối hợp với Sở Y tế triển khai Quyết định số 569/QĐ-TTg.', 3, 6)]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, cached_property

from .. import ontology
from ..text import collapse_spaces, fold, fold_chars
from .source import SourceText

__all__ = [
    "Paragraph",
    "Heading",
    "DocumentSpan",
    "furniture_mask",
    "paragraphs",
    "document_spans",
    "kind_heading",
    "sections",
    "is_duty_title",
    "CHAPTER_RE",
    "KIND_HEADINGS",
    "BULLET_RE",
    "NUMBERED_RE",
    "ROMAN_RE",
    "MAX_PARAGRAPH_CHARS",
]

KIND_HEADINGS = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "nghi quyet": "Nghị quyết",
    "chuong trinh": "Chương trình",
    "chuong trinh hanh dong": "Chương trình hành động",
    "ke hoach hanh dong": "Kế hoạch",
    "ke hoach trien khai": "Kế hoạch",
    "ke hoach thuc hien": "Kế hoạch",
    "chi thi": "Chỉ thị",
    "de an": "Đề án",
    "ket luan": "Kết luận",
    "thong bao": "Thông báo",
    "huong dan": "Hướng dẫn",
    "quy dinh": "Quy định",
    "quy che": "Quy chế",
    "quy trinh": "Quy trình",
    "phuong an": "Phương án",
    "chuong trinh phoi hop": "Chương trình phối hợp",
}

BULLET_RE = re.compile(r"^\s*(?:[-–—+•*]|\uf0b7|\uf02d)\s*")
NUMBERED_RE = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]\s*(?P<rest>.*)$")
PAREN_NUM_RE = re.compile(r"^\s*\((?P<num>\d{1,3})\)\s*(?P<rest>.*)$")
LETTER_RE = re.compile(r"^\s*(?P<num>[a-zđ])\)\s+(?P<rest>.*)$")
# Roman section numbers; OCR reads "III" as "I11" or "Ill".
ROMAN_RE = re.compile(r"^\s*(?P<num>[IVXL][IVXLl1]{0,4})\s*\.\s*(?P<rest>\S.*)$")
ARTICLE_RE = re.compile(r"^\s*(?P<num>(?:Điều|Dieu)\s+\d{1,2})\s*\.\s*(?P<rest>.*)$")

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?\s*$")
_MOTTO = re.compile(r"^\s*(cong hoa xa hoi chu nghia viet nam|doc .{1,3}p\s*-\s*t\S{0,2} do\s*-\s*h\S{0,2}nh ph\S{0,3}c)")
_SIGNATURE = re.compile(r"^\s*(?:t/?m\.?|kt\.?|tl\.?|tuq\.?)\s+(?:uy ban|ubnd|chu tich|hoi dong|ban thuong vu)|^\s*(?:pho )?chu tich\s*$")
_RECIPIENTS = re.compile(r"^\s*n\S{0,2}i nh\S{0,2}n\s*:")
_ORG_HEADER = re.compile(r"^\s*(?:uy ban nhan dan|hoi dong nhan dan|tinh uy|ban thuong vu)\b")
_APPENDIX = re.compile(r"^\s*ph\S{0,2}\s?l\S{0,2}c\s*(?:[ivx\d]{1,4}|so \d+)?\s*[.:]?\s*$")
_SENTENCE_END = (".", ":", ";", "!", "?", "./.", ")")
MAX_PARAGRAPH_CHARS = 20_000  # far beyond any paragraph of the genre; spaCy's own limit is 1,000,000


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _kind_heading(original: str, folded: str) -> str | None:
    key = collapse_spaces(folded).rstrip(" .")
    if key in KIND_HEADINGS and _is_caps_heading(original) and not original.rstrip().endswith(":"):
        return KIND_HEADINGS[key]
    return None


def furniture_mask(src: SourceText) -> list[bool]:
    """``mask[i]`` is True when line ``i`` is page furniture, not content.

    Masked: page numbers, the national motto, signature lines, and "Nơi nhận" blocks up
    to the next document heading, organisation header or appendix.
    """
    mask = [False] * len(src.lines)
    in_recipients = False
    for i, folded in enumerate(src.folded):
        low = folded.strip()
        if in_recipients:
            if _ORG_HEADER.match(low) or _APPENDIX.match(low) or _kind_heading(src.lines[i], folded) or _MOTTO.match(low):
                in_recipients = False
            else:
                mask[i] = True
                continue
        if _RECIPIENTS.match(low):
            in_recipients = True
            mask[i] = True
        elif _PAGE_NUMBER.match(low) or _MOTTO.match(low) or _SIGNATURE.match(low):
            mask[i] = True
    return mask


@dataclass
class Paragraph:
    """Wrapped lines rejoined; ``line_at(offset)`` gives the source line of a character."""

    text: str
    line_start: int
    line_end: int
    offsets: list[int] = field(repr=False, default_factory=list)
    lines: list[int] = field(repr=False, default_factory=list)

    @cached_property
    def folded(self) -> str:
        return fold_chars(self.text)

    def line_at(self, offset: int) -> int:
        """The 1-based source line holding character ``offset`` of :attr:`text`."""
        return self.lines[max(bisect.bisect_right(self.offsets, offset) - 1, 0)]


def _starts_paragraph(line: str, folded: str) -> bool:
    return bool(
        BULLET_RE.match(line) or NUMBERED_RE.match(line) or PAREN_NUM_RE.match(line) or LETTER_RE.match(line)
        or ROMAN_RE.match(line) or ARTICLE_RE.match(line) or _is_caps_heading(line) or _APPENDIX.match(folded)
        or line.lstrip().startswith("(")
    )


def _is_short_heading(para: Paragraph) -> bool:
    """A one-line numbered heading ("1. Mục đích", "4. Sở Giáo dục và Đào tạo") that the next line does not continue."""
    return para.line_start == para.line_end and bool(NUMBERED_RE.match(para.text)) and len(para.text.split()) <= 12 \
        and not para.text.rstrip().endswith((",", "-", "và"))


def paragraphs(
    src: SourceText, start: int, end: int, mask: list[bool] | None = None,
) -> list[Paragraph]:
    """Paragraphs of lines ``start``..``end`` (0-based, end exclusive), furniture skipped (a document's
    title is cut from the text after it by :meth:`~policykg.loaders.document.Block.split_after`).

    A paragraph holds at most :data:`MAX_PARAGRAPH_CHARS` characters: a run of text with no paragraph
    break longer than any the genre writes is cut at a line, so that the work stays linear in the input.
    """
    out: list[Paragraph] = []
    parts: list[list[str]] = []
    current: Paragraph | None = None
    size = 0
    last = ""
    previous_caps = False
    for i in range(start, end):
        if mask is not None and mask[i]:
            continue
        line = src.lines[i].strip()
        if not line:
            continue
        caps = _is_caps_heading(line)
        wrapped_hyphen = (
            current is not None and BULLET_RE.match(line) is not None and line.lstrip("-–+ ")[:1].islower()
            and not last.endswith(_SENTENCE_END)
        )
        new = (
            current is None
            or (_starts_paragraph(line, src.folded[i]) and not wrapped_hyphen)
            or previous_caps
            or (line[:1].isupper() and _is_short_heading(current))
            or (last.endswith(_SENTENCE_END) and line[:1].isupper())
            or size + len(line) > MAX_PARAGRAPH_CHARS
        )
        previous_caps = caps
        if new:
            current = Paragraph(line, i + 1, i + 1, [0], [i + 1])
            out.append(current)
            parts.append([line])
            size, last = len(line), line
            continue
        assert current is not None
        glue = "" if re.search(r"\w[-/]$", last[-2:]) else " "
        current.offsets.append(size + len(glue))
        current.lines.append(i + 1)
        parts[-1].append(glue + line)
        size += len(glue) + len(line)
        last = line
        current.line_end = i + 1
    for para, pieces in zip(out, parts):
        para.text = "".join(pieces)
    return out


@dataclass
class DocumentSpan:
    """Where one document lies in a file: 0-based line range, its kind heading, its appendices."""

    kind: str
    start: int
    heading: int
    end: int
    body_end: int


def kind_heading(text: str) -> str | None:
    """The document kind a heading names ("KẾ HOẠCH" → "Kế hoạch"), or None.

    >>> kind_heading("KẾ HOẠCH"), kind_heading("QUYẾT ĐỊNH:"), kind_heading("Kế hoạch")
    ('Kế hoạch', None, None)
    """
    return _kind_heading(text, fold_chars(text))


def document_spans(
    src: SourceText, mask: list[bool], headings: list[tuple[int, str]] | None = None,
) -> list[DocumentSpan]:
    """The documents of a file, found by their kind headings ("KẾ HOẠCH", "QUYẾT ĐỊNH", ...).

    ``headings`` are the (line index, kind) of the kind headings when a reader's blocks found
    them; else each line is tried. A document starts at the header block above its kind
    heading (the first one at the top of the file) and ends where the next one starts; its
    body ends at its first appendix ("Phụ lục ...").
    """
    if headings is None:
        headings = [(i, kind) for i, (line, folded) in enumerate(zip(src.lines, src.folded))
                    if (kind := _kind_heading(line, folded))]
    spans: list[DocumentSpan] = []
    for _n, (i, kind) in enumerate(headings):
        if spans and not _has_content_between(src, mask, spans[-1].heading, i):
            continue
        start = 0
        if spans:
            start = i
            while start - 1 > spans[-1].heading:
                folded = src.folded[start - 1].strip()
                if not folded or mask[start - 1] or _ORG_HEADER.match(folded) or _is_caps_heading(src.lines[start - 1]):
                    start -= 1
                else:
                    break
            spans[-1].end = start
            spans[-1].body_end = min(spans[-1].body_end, start)
        spans.append(DocumentSpan(kind, start, i, len(src.lines), len(src.lines)))
    for span in spans:
        for j in range(span.heading + 1, span.end):
            if _APPENDIX.match(src.folded[j].strip()):
                span.body_end = j
                break
    return spans


def _has_content_between(src: SourceText, mask: list[bool], a: int, b: int) -> bool:
    words = sum(len(src.lines[j].split()) for j in range(a + 1, b) if not mask[j])
    return words > 40


@dataclass
class Heading:
    """A numbered heading: its number as printed, its text and its 0-based paragraph index."""

    level: str  # roman | number | article
    number: str
    title: str
    index: int


# A chapter of a regulation: "Chương III" (its title on the next line) or "Chương III. TỔ CHỨC THỰC HIỆN".
CHAPTER_RE = re.compile(r"^\s*(?P<num>Ch\S{0,2}\s?ng\s+(?:[IVXL]{1,6}|\d{1,2}))\b\s*[.:\-–]?\s*(?P<rest>.*)$", re.IGNORECASE)
# A Roman number printed alone, its title on the next line ("IV." / "TỔ CHỨC THỰC HIỆN").
_ROMAN_ALONE = re.compile(r"^\s*(?P<num>[IVXL][IVXLl1]{0,4})\s*\.?\s*$")
# Articles numbered "Điều 14:" as well as "Điều 14."
_ARTICLE_ANY = re.compile(r"^\s*(?P<num>(?:Điều|Dieu)\s+\d{1,3})\s*[.:]\s*(?P<rest>.*)$")
_TITLE_JOINS = (",", "-", "–", " VÀ", " VA")


@cache
def _duty_titles() -> re.Pattern[str]:
    names = sorted((fold(n) for n in ontology.lexicon()["duties"]["sections"]), key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace(",", ",?") for n in names)
    # "TỔ CHỨC THỰC HIỆN" read by OCR with garbled marks ("TO CHUC THUC HIEN", "T6 CHUC THUC HIEN")
    return re.compile(rf"^(?:{alternatives}|t\S{{0,2}} ch\S{{0,3}}c th\S{{0,2}}c hi\S{{0,2}}n)\b"
                      rf"|(?:,|\bva)\s+(?:{alternatives})\b")


def is_duty_title(title: str) -> bool:
    """True when a heading's title says its section assigns duties to agencies.

    >>> is_duty_title("TỔ CHỨC THỰC HIỆN"), is_duty_title("Phân công nhiệm vụ"), is_duty_title("KHEN THƯỞNG, KỶ LUẬT VÀ TỔ CHỨC THỰC HIỆN")
    (True, True, True)
    >>> is_duty_title("Trách nhiệm của các cơ quan, đơn vị"), is_duty_title("MỤC TIÊU"), is_duty_title("Thời gian tổ chức thực hiện")
    (True, False, False)
    """
    return bool(_duty_titles().search(collapse_spaces(fold_chars(title).lower()).strip(" .:")))


def _title_paragraph(para: Paragraph) -> bool:
    """A paragraph that can carry (the rest of) a heading's title: capitals, no marker, a few words."""
    return _is_caps_heading(para.text) and not _starts_paragraph_marker(para.text) and len(para.text.split()) <= 30


def _starts_paragraph_marker(text: str) -> bool:
    return bool(BULLET_RE.match(text) or NUMBERED_RE.match(text) or LETTER_RE.match(text) or ROMAN_RE.match(text)
                or ARTICLE_RE.match(text))


def _roman_title(paras: list[Paragraph], index: int, title: str) -> tuple[str, int]:
    """A Roman heading's title and the index of its last paragraph: "IV. TỔ CHỨC" / "THỰC HIỆN" is one title."""
    if index + 1 < len(paras) and _title_paragraph(paras[index + 1]):
        joined = f"{title} {paras[index + 1].text.strip()}"
        if title.rstrip().upper().endswith(_TITLE_JOINS) or (is_duty_title(joined) and not is_duty_title(title)):
            return collapse_spaces(joined), index + 1
    return title, index


def sections(paras: list[Paragraph]) -> list[Heading]:
    """The headings of paragraphs: Roman-numbered sections ("I. MỤC ĐÍCH, YÊU CẦU"), chapters ("Chương III"
    with its title), articles ("Điều 2.") and numbered headings that assign duties ("3. Tổ chức thực hiện").

    A heading printed over two paragraphs ("IV." / "TỔ CHỨC THỰC HIỆN", "IV. TỔ CHỨC" / "THỰC HIỆN",
    "Chương III" / "TỔ CHỨC THỰC HIỆN") is one heading; its ``index`` is its last paragraph.

    >>> from policykg.loaders.document import Block
    >>> paras = [Block("paragraph", t, n, n) for n, t in enumerate(
    ...     ["I. MỤC ĐÍCH", "IV.", "TỔ CHỨC THỰC HIỆN", "Chương III", "TỔ CHỨC THỰC HIỆN", "Điều 14: Trách nhiệm thi hành",
    ...      "3. Tổ chức thực hiện", "4. Sở Y tế"], 1)]
    >>> [(h.level, h.number, h.title, h.index) for h in sections(paras)]  # doctest: +NORMALIZE_WHITESPACE
    [('roman', 'I', 'MỤC ĐÍCH', 0), ('roman', 'IV', 'TỔ CHỨC THỰC HIỆN', 2), ('chapter', 'Chương III', 'TỔ CHỨC THỰC HIỆN', 4),
     ('article', 'Điều 14', 'Trách nhiệm thi hành', 5), ('number', '3', 'Tổ chức thực hiện', 6)]
    """
    out: list[Heading] = []
    index = 0
    while index < len(paras):
        text = paras[index].text
        nxt = paras[index + 1] if index + 1 < len(paras) else None
        if (m := ROMAN_RE.match(text)) and _is_caps_heading(m.group("rest")[:40]):
            title, last = _roman_title(paras, index, m.group("rest").strip())
            out.append(Heading("roman", _roman(m.group("num")), title, last))
            index = last
        elif (m := _ROMAN_ALONE.match(text)) and nxt is not None and _title_paragraph(nxt):
            out.append(Heading("roman", _roman(m.group("num")), nxt.text.strip(), index + 1))
            index += 1
        elif (m := CHAPTER_RE.match(text)) and (m.group("rest").strip() or (nxt is not None and _title_paragraph(nxt))):
            number = collapse_spaces(m.group("num"))
            if m.group("rest").strip():
                out.append(Heading("chapter", number, m.group("rest").strip(), index))
            else:
                title, last = _roman_title(paras, index + 1, nxt.text.strip())
                out.append(Heading("chapter", number, title, last))
                index = last
        elif m := ARTICLE_RE.match(text) or _ARTICLE_ANY.match(text):
            out.append(Heading("article", m.group("num"), m.group("rest").strip(), index))
        elif (m := NUMBERED_RE.match(text)) and len(m.group("rest").split()) <= 12 and is_duty_title(m.group("rest")) \
                and not m.group("rest").rstrip().endswith((".", ";")):
            out.append(Heading("number", m.group("num"), m.group("rest").strip().rstrip(":"), index))
        index += 1
    return out


def _roman(number: str) -> str:
    return number.replace("1", "I").replace("l", "I")
