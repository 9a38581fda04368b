"""Extract one file: documents, citations and tasks, with provenance and warnings.

>>> import tempfile, pathlib
>>> from policykg.errors import InputError
>>> p = pathlib.Path(tempfile.mkdtemp()) / "empty.txt"
>>> _ = p.write_bytes(b"")
>>> try:
...     extract_file(p)
... except InputError as err:
...     print(err)
E101 empty.txt: the file is empty
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from spacy.tokens import Doc

from ..errors import Errors, InputError, NotGenreError, PolicyKGError, Warnings
from ..records import Citation, DocumentRecord, Extraction, Provenance, TaskRecord
from ..text import fold_chars
from .appendices import appendices
from .duties import extract_duties
from .fingerprint import extractor_version
from .genre import describe
from .inline_tasks import extract_inline_tasks
from .head import Head, read_head
from .layout import (
    ROMAN_RE,
    MAX_PARAGRAPH_CHARS,
    DocumentSpan,
    Paragraph,
    _is_caps_heading,
    document_spans,
    furniture_mask,
    kind_heading,
    sections,
)
from .nlp import get_nlp
from .references import FoundCitation, find_citations, sentence_relation
from .cell_tables import cell_tables
from .document import Block, Document
from .readers import read_document
from .readers.text import is_ocr, read_text, source_of
from .context import ExtractContext
from .source import SourceText
from .table_tasks import section_labels
from .tables import GroupHeading
from .targets import extract_listed_targets
from .tasklist import extract_task_list

__all__ = ["extract_file", "extract_document", "extract_source"]

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\"“(-])")
_ISSUES_PLAN = re.compile(r"ban h\S{0,2}nh k\S{0,2}m theo quy\S{0,2}t \S{0,2}\S?nh n\S{0,2}y")
_PURPOSE = re.compile(r"^\s*m\S{0,2}c (?:d|p)\S{0,2}ch")
_CLOSING = re.compile(r"^\s*tr\S{0,2}n d\S{0,2}y [l1]\S{0,2}\b")
_HEAD_LINE = re.compile(r"^\s*s\S{0,2}\s*:|^[a-z][a-z .]{1,30},\s*ng\S{0,2}y\b")
_ENDING = re.compile(r"\./\.\s*$|^\s*n\S{0,2}i nh\S{0,2}n\s*:|^\s*t/?m\.?\s+(?:uy ban|ubnd|hoi dong|ban thuong vu)|^\s*kt\.?\s+chu tich")
# What a cited decree or circular does to the law it names after it in the same clause ("quy định chi tiết",
# "hướng dẫn thi hành"): that law is its object, not a basis of its own. ("sửa đổi, bổ sung" is not one of them: the
# amending law's own name holds those words.)
_DESCRIBES = re.compile(r"\b(?:quy dinh|huong dan|thi hanh)\b")
_CLAUSE_BREAK = re.compile(r";|\bcan cu\b")


def _describes(between: str) -> bool:
    """True when the text between two citations of one clause says what the first does to the second."""
    folded = fold_chars(between).lower()
    return bool(_DESCRIBES.search(folded)) and not _CLAUSE_BREAK.search(folded)


_ARTICLE_ONE = re.compile(r"^\s*dieu\s*1\b")
_ENDING_WINDOW = 80  # lines before the end of a document's body where its closing formula must be


def extract_file(path: str | Path, document_head: str | None = None) -> Extraction:
    """Read and extract ``path`` (any format a reader knows); raises :class:`InputError` for bad input.
    ``document_head`` names the document when the file names none itself (a task list kept as a spreadsheet).

    Whatever goes wrong inside the reading or the extraction of one file is that file's error (E201, with
    the error's kind and message), never a traceback that stops the other files.
    """
    try:
        document = read_document(path, head=document_head)
        result = extract_document(document)
        result.source, result.sha256 = str(Path(path).resolve()), document.sha256
        result.extractor = extractor_version()
        return result
    except PolicyKGError:
        raise
    except Exception as exc:  # noqa: BLE001 - one file's failure is reported and the others load
        raise InputError(Errors.E201.format(file=Path(path).name, detail=f"{type(exc).__name__}: {exc}"[:300])) from exc


def _issuer(head: Head) -> str | None:
    if head.national:
        return head.issuer_kind
    if not head.issuer_kind or not head.province:
        return None
    unit = "thành phố" if head.province_type == "thành phố" else "tỉnh"
    return f"{head.issuer_kind} {unit} {head.province}"


def _regions(paras: list[Block], head: Head, span: DocumentSpan, view: SourceText) -> list[str]:
    """The region of each paragraph: title, head, preamble, purpose, closing or body."""
    regions = []
    current = "preamble"
    first, last = head.title_lines
    for para in paras:
        folded = fold_chars(para.text).lower()
        if (m := ROMAN_RE.match(para.text)) and m.group("rest")[:1].isupper():
            current = "purpose" if _PURPOSE.match(fold_chars(m.group("rest")).lower()) else "body"
            regions.append("head")
            continue
        if folded.startswith(("dieu ", "quyet dinh:")):
            current = "body"
        if para.line_end >= first and para.line_start <= last and para.line_start > view.line_no(span.heading):
            regions.append("title")
        elif current == "preamble" and (para.text.startswith("(") or _HEAD_LINE.match(folded) or _is_caps_heading(para.text)):
            regions.append("head")
        elif _CLOSING.match(folded):
            regions.append("closing")
        else:
            regions.append(current)
    return regions


def _sentence_start(text: str, offset: int) -> int:
    start = 0
    for m in _SENTENCE_BREAK.finditer(text, 0, offset):
        start = m.end()
    return start


def _citation_records(
    found: list[FoundCitation], para: Paragraph, region: str, document: str, head: Head, file: str,
    first_key: int,
) -> list[Citation]:
    out: list[Citation] = []
    keys = [f"c{first_key + n}" for n in range(len(found))]
    for n, cite in enumerate(found):
        start = _sentence_start(para.text, cite.start)
        relation = sentence_relation(fold_chars(para.text[start:]).lower(), region)
        if relation == "BASED_ON" and n and found[n - 1].end >= start and _describes(para.text[found[n - 1].end:cite.start]):
            relation = "CITES"  # "Căn cứ Nghị định 96/2023/NĐ-CP ... quy định chi tiết Luật Khám bệnh": the law is its object
        confidence = 0.95 if relation != "CITES" else 0.9
        if cite.parent is not None:
            relation, subject = "IMPLEMENTS", keys[cite.parent]
            confidence = 0.8
            out.append(_record(cite, keys[n] + "n", document, "CITES", para, head, file, 0.9, document))
        elif cite.relation_hint == "REPLACES":
            relation, subject = "REPLACES", document
        else:
            subject = document
        out.append(_record(cite, keys[n], subject, relation, para, head, file, confidence, document))
    return out


def _record(
    cite: FoundCitation, key: str, subject: str, relation: str, para: Paragraph, head: Head, file: str,
    confidence: float, document: str,
) -> Citation:
    issuer = cite.issuer
    if cite.level == "province" and head.province and issuer and head.province not in issuer:
        issuer = f"{issuer} {head.province}"
    return Citation(
        key=key, subject=subject, relation=relation, kind=cite.kind, text=cite.text, document=document,
        provenance=Provenance(file, para.line_at(cite.start), para.line_at(max(cite.end - 1, cite.start)), "reference", confidence),
        number=cite.number, name=cite.name, year=cite.year, date=cite.date, issuer=issuer,
        issuer_explicit=cite.issuer_explicit, level=cite.level,
        province=head.province if cite.level == "province" else None, short=cite.short,
    )


def _parse(paras: list[Paragraph], ocr: bool) -> list[Doc]:
    nlp = get_nlp()
    docs = []
    for para in paras:
        doc = nlp.make_doc(para.text)
        doc.user_data["ocr"] = ocr
        docs.append(doc)
    return list(nlp.pipe(docs))


def extract_source(src: SourceText) -> Extraction:
    """Extract every document of plain text already read by :func:`~policykg.loaders.source.read_source`."""
    return extract_document(read_text("\n".join(src.lines), src.file))


_FORM = re.compile(r"^\s*m\S{0,2}u\s*(?:s\S{0,2}\s*)?(?:\d{1,3}|[ivx]{1,4})\b")


def _kind_headings(doc: Document, view: SourceText) -> list[tuple[int, str]]:
    """(index in the text lines, kind) of each block that is a kind heading ("KẾ HOẠCH"): the index of its last line.

    Kind headings of the forms an appendix gives ("Mẫu 03" ... "QUYẾT ĐỊNH" with dotted blanks) are not documents,
    nor is a decision's enacting word ("QUYẾT ĐỊNH", its colon lost by OCR) when "Điều 1" follows it.
    """
    index: dict[int, int] = {}
    same: dict[tuple[int, str], int] = {}  # (line, text) → index: lines a reader gave one number (a sheet's head)
    for k in range(len(view.lines)):
        index[view.line_no(k)] = k
        same[(view.line_no(k), view.lines[k].strip())] = k
    out = []
    form = False
    texts = [b for b in doc.blocks if b.kind in {"heading", "paragraph", "list_item"}]
    for n, block in enumerate(texts):
        if block.kind != "list_item" and _FORM.match(fold_chars(block.text).lower()):
            form = True
        if block.kind != "list_item" and (kind := kind_heading(block.text)) and block.line_end in index:
            enacting = n + 1 < len(texts) and _ARTICLE_ONE.match(fold_chars(texts[n + 1].text).lower())
            if not form and not enacting:
                out.append((same.get((block.line_end, block.text.strip()), index[block.line_end]), kind))
    return out


def _body_blocks(doc: Document, view: SourceText, span: DocumentSpan, title_end: int) -> list[Block]:
    """The text blocks of a document's body (its head included, its appendices not), cut after the title."""
    first, last = view.line_no(span.start), view.line_no(span.body_end - 1)
    out: list[Block] = []
    for block in doc.blocks:
        if block.kind in {"furniture", "table"} or not first <= block.line_start <= last:
            continue
        out.extend(piece for part in block.split_after(title_end) for piece in part.pieces(MAX_PARAGRAPH_CHARS))
    return out


def _span_blocks(doc: Document, view: SourceText, span: DocumentSpan) -> list[Block]:
    """The blocks after a document's kind heading (its tables and the headings above them)."""
    first, last = view.line_no(span.heading), view.line_no(span.end - 1)
    return [b for b in doc.blocks if first <= b.line_start <= last and b.kind != "furniture"]


def extract_document(doc: Document) -> Extraction:
    """Extract every document of a file a reader has read into a :class:`~.document.Document`."""
    view = source_of(doc)
    mask = furniture_mask(view)
    spans = document_spans(view, mask, _kind_headings(doc, view))
    if not spans:
        raise NotGenreError(Errors.E104.format(file=doc.file, found=describe(doc)))
    ocr = is_ocr(view)
    result = Extraction(doc.file, issues=[i for i in doc.issues if i.code in {"W108", "W109"}])
    heads: list[Head] = []
    bodies: list[list[Block]] = []
    for n, span in enumerate(spans):
        key = f"d{n}"
        head = read_head(view, span)
        heads.append(head)
        result.issues.extend(head.issues)
        confidence = head.confidence * (0.8 if ocr else 1.0)
        record = DocumentRecord(
            key=key, kind=head.kind, title=head.title,
            provenance=Provenance(doc.file, view.line_no(span.start), view.line_no(span.end - 1), "head", confidence),
            number=head.number, issuer=_issuer(head), province=head.province,
            date=head.date, date_precision=head.date_precision, issuer_level="national" if head.national else "province",
        )
        record.appendices_cited, record.appendices_found = appendices(view, span.heading + 1, span.end, mask)
        result.documents.append(record)
        paras = _body_blocks(doc, view, span, head.title_lines[1])
        bodies.append(paras)
        docs = _parse(paras, ocr)
        regions = _regions(paras, head, span, view)
        for para, parsed, region in zip(paras, docs, regions):
            if region == "head":
                continue
            found = [c for c in find_citations(parsed) if not (head.number and c.number == head.number)]
            result.citations.extend(_citation_records(found, para, region, key, head, doc.file, len(result.citations)))
        headings = sections(paras)
        context = ExtractContext(document=key, file=doc.file, lines=(record.provenance.line_start, record.provenance.line_end),
                                 confidence=confidence, ocr=ocr)
        duties, issues = extract_duties(paras, docs, headings, context=context)
        duties += extract_inline_tasks(paras, docs, context=context)
        listed, list_issues = extract_task_list(paras, headings, context=context)
        result.targets.extend(extract_listed_targets(paras, headings, context=context))
        blocks = _span_blocks(doc, view, span)
        tabled, table_issues, groups, table_targets = cell_tables(blocks, context=context)
        result.targets.extend(table_targets)
        table_issues = [i for i in doc.issues if i.code not in {"W108", "W109"} and i.line
                        and context.lines[0] <= i.line <= context.lines[1]] + table_issues
        _group_sources(result, groups, tabled, key, head, ocr)
        result.tasks.extend(duties + listed + tabled)
        result.issues.extend(issues + list_issues + table_issues)
        if doc.whole and not _has_ending(view, span):
            result.issues.append(Warnings.W106.format(file=doc.file, line=view.line_no(span.end - 1),
                                                      detail="no closing formula, signature or recipients list"))
    _link_issuing_decisions(result, heads, bodies)
    _complete_dates(result)
    for record, head in zip(result.documents, heads):
        if record.number is None and not (record.issued_with and record.issued_with.startswith("d")):
            result.issues.append(Warnings.W101.format(file=doc.file, line=record.provenance.line_start,
                                                      text=head.blank_number or "no “Số:” line"))
    _add_pages(result, doc)
    if ocr:
        _restore_titles(result)
    return result


def _restore_titles(result: Extraction) -> None:
    """Titles and outputs of an OCR'd file restored to proper Vietnamese for display (the title as read kept in
    ``title_raw``); see :mod:`policykg.text_restore`."""
    from ..text_restore import restore

    for task in result.tasks:
        title = restore(task.title)
        if title != task.title:
            task.title_raw, task.title = task.title, title
        if task.output:
            task.output = restore(task.output)


def _add_pages(result: Extraction, doc: Document) -> None:
    """Give every fact of a file with pages (PDF, scans) the page of its first line."""
    pages = {line.line: line.page for line in doc.lines if line.page is not None}
    if not pages:
        return
    for record in (*result.documents, *result.citations, *result.tasks, *result.targets):
        record.provenance = replace(record.provenance, page=pages.get(record.provenance.line_start))


_FROM_DOCUMENT = re.compile(r"(?:x\S{0,2}c \S{0,2}\S?nh t\S{0,2}i|theo|thu\S{0,2}c|giao t\S{0,2}i)\s")


def _group_sources(
    result: Extraction, groups: list[GroupHeading], tasks: list[TaskRecord], document: str, head: Head, ocr: bool,
) -> None:
    """A group heading that says where its tasks come from ("Nhiệm vụ được xác định tại Kế hoạch số 52/KH-UBND
    ...") makes its tasks carry out that document."""
    for group in groups:
        if not group.text or not _FROM_DOCUMENT.search(fold_chars(group.text).lower()):
            continue
        para = Paragraph(group.text, group.line, group.line, [0], [group.line])
        found = find_citations(_parse([para], ocr)[0])
        first_key = len(result.citations)
        result.citations.extend(_citation_records(found, para, "body", document, head, result.file, first_key))
        top = [f"c{first_key + n}" for n, cite in enumerate(found) if cite.parent is None and not cite.short][:1]
        label = section_labels([group])[0]
        for task in tasks:
            if label in task.section:
                task.sources.extend(top)


def _has_ending(src: SourceText, span: DocumentSpan) -> bool:
    """True when the closing formula ("./."), signature or "Nơi nhận" list ends the document's body."""
    last = span.body_end
    while last > span.heading + 1 and not src.lines[last - 1].strip():
        last -= 1
    window = range(max(span.heading + 1, last - _ENDING_WINDOW), min(last + 25, span.end))
    return any(_ENDING.search(src.folded[i].lower()) for i in window)


def _link_issuing_decisions(result: Extraction, heads: list[Head], bodies: list[list[Block]]) -> None:
    """Join a decision to the plan it issues, or cite the decision a plan says it comes with."""
    docs = result.documents
    for n, (record, head) in enumerate(zip(docs, heads)):
        ref = head.issued_with
        decision = None
        if n > 0 and docs[n - 1].kind == "Quyết định" and any(
            _ISSUES_PLAN.search(fold_chars(p.text).lower()) for p in bodies[n - 1]
        ):
            decision = docs[n - 1]
        if decision is not None:
            record.issued_with = decision.key
            record.issuer, record.issuer_level = decision.issuer or record.issuer, decision.issuer_level
            record.province = decision.province if decision.issuer else record.province
            if record.date is None:
                record.date, record.date_precision = decision.date, decision.date_precision
            if ref and ref.number and decision.number is None:
                decision.number = ref.number
            if ref and ref.date and decision.date is None:
                decision.date, decision.date_precision = ref.date, ref.precision
            continue
        if ref is None:
            continue
        if ref.number is None:
            result.issues.append(Warnings.W107.format(file=result.file, line=ref.line, text=ref.blank or ref.text))
            continue
        key = f"c{len(result.citations)}"
        result.citations.append(Citation(
            key=key, subject=record.key, relation="ISSUES", kind=ref.kind, text=ref.text, document=record.key,
            provenance=Provenance(result.file, ref.line, ref.line, "head", 0.95), number=ref.number,
            year=int(ref.date[:4]) if ref.date else None, date=ref.date, issuer=record.issuer,
            level="province", province=record.province,
        ))
        record.issued_with = key


def _complete_dates(result: Extraction) -> None:
    """A document with no date of its own is dated no earlier than the latest document it cites."""
    for record in result.documents:
        if record.date is not None:
            continue
        cited = [c.date for c in result.citations if c.subject == record.key and c.date]
        if cited:
            latest = max(cited)
            record.date, record.date_precision = latest[:4], "year"
            result.issues.append(Warnings.W103.format(file=result.file, line=record.provenance.line_start,
                                                      source="the latest date among the documents it cites", date=latest[:4]))
        else:
            result.issues.append(Warnings.W102.format(file=result.file, line=record.provenance.line_start))
