"""Tasks from the appendix tables: one ``Task`` (origin ``table``) per numbered row.

Each row keeps its section path (appendix, part, group), its cells and the lines they
came from. The lead cell's agencies lead, the support cell's support; in a single
"Trách nhiệm thực hiện" column the first agency named leads and the rest support. Agency
names a cell holds that the gazetteer does not know are kept as printed, with a low
confidence, and reported; rows that cannot be read fully are listed for review (W301).
"""

from __future__ import annotations

import re

from ..errors import Issue, Warnings
from ..ontology import named_unit_kind
from ..records import AgencyMention, Provenance, TaskRecord
from ..text import collapse_spaces, fold
from .cells import column_widths, line_features, segment
from .deadlines import parse_deadline
from .head import match_province
from .mentions import mention
from .nlp import parse
from .source import SourceText
from .tables import Column, GroupHeading, RawRow, TableRow

__all__ = ["cell_agencies", "section_labels", "read_column_major", "row_task", "row_issues"]

_GLUE = re.compile(r"^[\s,;.:&+/\-–và]*$|^(?:va|và|cac|các|voi|với)$", re.I)
_PAGE_START = re.compile(r"^ (?=\S)")


def section_labels(groups: list[GroupHeading]) -> list[str]:
    """Display labels of a row's groups: "Phụ lục 1", "A. CÁC NỘI DUNG ...", "I. Kế hoạch ..."."""
    out = []
    for g in groups:
        if g.level == 0 or not g.text:
            out.append(g.label)
        elif not g.label:
            out.append(g.text)
        else:
            out.append(f"{g.label}. {g.text}".rstrip(". ") if g.text else g.label)
    return out


def _join(lines: list[str]) -> str:
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        glue = "" if re.search(r"\w[-/]$", text) else " "
        text = f"{text}{glue}{line}" if text else line
    return collapse_spaces(text)


def cell_agencies(text: str, line: int | None = None, ocr: bool = False) -> tuple[list[AgencyMention], list[str]]:
    """The agencies a cell names, and the pieces of it that name no known agency.

    >>> found, rest = cell_agencies("Các Sở, ban, ngành; UBND cấp xã; Báo và Phát thanh, Truyền hình tỉnh")
    >>> [m.name for m in found], rest
    (['Các sở, ban, ngành', 'UBND cấp xã', 'Báo và Phát thanh, Truyền hình tỉnh'], [])
    >>> found, rest = cell_agencies("Sở Xây dựng; UBND thành phố Vĩnh Yên; Hội Doanh nhân trẻ")
    >>> [(m.name, m.key) for m in found], rest
    ([('Sở Xây dựng', 'so-xay-dung'), ('UBND thành phố Vĩnh Yên', None)], ['Hội Doanh nhân trẻ'])
    """
    doc = parse(text, ocr)
    found: list[AgencyMention] = []
    rest: list[str] = []
    position = 0
    for ent in doc.ents:
        if ent.label_ not in {"AGENCY", "COLLECTIVE"}:
            continue
        rest.extend(_leftovers(text[position:ent.start_char]))
        m = mention(ent, line)
        if m not in found:
            found.append(m)
        position = ent.end_char
    rest.extend(_leftovers(text[position:]))
    return found, rest


# A name the gazetteer does not know is still an agency's if it starts like one ("Hội Doanh nhân trẻ", "Trường Đại học ...").
_AGENCY_HEAD = re.compile(
    r"^(?:s\S{0,2}|ban|ubnd|uy ban|v\S{0,2}n ph\S{0,2}ng|trung t\S{0,2}m|b\S{0,2}nh vi\S{0,2}n|tr\S{0,3}ng|c\S{0,2}ng an|b\S{0,2}o"
    r"|\S{0,2}\S?i ph\S{0,2}t|h\S{0,2}i|li\S{0,2}n (?:hi\S{0,2}p|do\S{0,2}n)|qu\S{0,2}|c\S{0,2}c|c\S{0,2}ng ty|t\S{0,2}ng|vi\S{0,2}n|t\S{0,2}nh)\b"
)


def _leftovers(text: str) -> list[str]:
    out = []
    for piece in re.split(r"[;]|,\s*(?=[A-ZĐ])|\s+và\s+(?=[A-ZĐ])", text):
        piece = piece.strip(" ,.;:-–")
        piece = re.sub(r"^(?:và|va|các|cac)\s+", "", piece).strip()
        folded = fold(piece)
        if len(piece) < 4 or _GLUE.match(piece) or folded in {"tinh", "co lien quan", "lien quan"}:
            continue
        if (hit := match_province(re.sub(r"^(?:tinh|thanh pho)\s+", "", folded))) and len(fold(hit[0])) >= len(folded) - 10:
            continue  # the province after an agency's name ("... tỉnh Vĩnh Phúc")
        if _AGENCY_HEAD.match(folded) and len(piece.split()) <= 12:
            out.append(piece)
    return out


_SIDE_BY_SIDE = re.compile(r"\s{2,}(?=[A-ZĐÀ-Ỹ0-9“\"(])")
_YEAR_CELL = re.compile(r"(?<=[^\d\s]) (?=(?:Năm |năm )?(?:19|20)\d\d(?:\s*-\s*(?:19|20)?\d\d)?(?: |$))")
_NOT_BEFORE_YEAR = re.compile(r"(?:đến|tới|từ|năm|kỳ|đoạn|ngày|tháng|quý|/)$", re.I)


def _pieces(line: str) -> list[str]:
    """A physical line cut where cells sit side by side: after 2+ spaces, or around a year in a short line."""
    pieces = [p for p in _SIDE_BY_SIDE.split(line.strip()) if p.strip()]
    out = []
    for piece in pieces:
        if len(piece) < 30:
            cuts = [m.start() for m in _YEAR_CELL.finditer(piece) if not _NOT_BEFORE_YEAR.search(piece[:m.start()])]
            start = 0
            for cut in cuts:
                out.append(piece[start:cut])
                start = cut + 1
            rest = piece[start:]
            if (m := re.match(r"^((?:Năm |năm )?(?:19|20)\d\d(?:\s*-\s*(?:19|20)?\d\d)?) (?=[A-ZĐ])", rest)):
                out += [m.group(1), rest[m.end():]]
            else:
                out.append(rest)
        else:
            out.append(piece)
    return [p for p in out if p.strip()]


def _row_lines(src: SourceText, raw: RawRow) -> tuple[list[str], list[int], set[int]]:
    """The row's pieces of lines, the 0-based source line of each, and the pieces that open a page."""
    lines: list[str] = []
    indexes: list[int] = []
    page_starts: set[int] = set()
    sources = ([(raw.first_rest, raw.lines[0])] if raw.first_rest else []) + [(src.lines[i], i) for i in raw.lines[1:]]
    for text, index in sources:
        if lines and _PAGE_START.match(src.lines[index]) and index != raw.lines[0]:
            page_starts.add(len(lines))
        for piece in _pieces(text):
            lines.append(piece)
            indexes.append(index)
    return lines, indexes, page_starts


def read_column_major(src: SourceText, rows: list[RawRow]) -> list[TableRow]:
    """Rows printed column after column (PDF text) read into cells by :func:`~.cells.segment`."""
    prepared = []
    samples: dict[tuple[str, ...], dict[str, list[int]]] = {}
    for raw in rows:
        assert raw.header is not None
        columns = [c for c in raw.header.columns if c != Column.NUMBER]
        lines, indexes, page_starts = _row_lines(src, raw)
        features = line_features(lines, page_starts)
        prepared.append((raw, columns, lines, indexes, features))
        first = segment(features, columns)
        table = samples.setdefault(raw.header.key, {})
        for kind, block in zip(columns, first):
            table.setdefault(kind, []).extend(features[k].length for k in block[:-1])
    widths = {key: column_widths(table) for key, table in samples.items()}
    out = []
    for raw, columns, lines, indexes, features in prepared:
        blocks = segment(features, columns, widths[raw.header.key])
        cells = {kind: _join([lines[k] for k in block]) for kind, block in zip(columns, blocks)}
        cell_lines = {kind: sorted({indexes[k] + 1 for k in block}) for kind, block in zip(columns, blocks)}
        out.append(TableRow(raw, cells, cell_lines))
    return out


def row_task(row: TableRow, document: str, file: str, confidence: float, ocr: bool) -> tuple[TaskRecord, list[str]]:
    """The task of a table row read into cells, and what it lacks (title, lead, deadline)."""
    raw = row.raw
    missing: list[str] = []
    lead: list[AgencyMention] = []
    support: list[AgencyMention] = []
    unresolved: list[str] = []
    for kind in (Column.LEAD, Column.RESPONSIBLE, Column.SUPPORT):
        if kind not in row.cells or not row.cells[kind]:
            continue
        lines = row.cell_lines.get(kind) or [raw.line]
        found, rest = cell_agencies(row.cells[kind], lines[0], ocr)
        if kind in row.resolved:
            found, rest = list(row.resolved[kind]), []
        elif row.raw.confidence < 1.0:
            # cells cut by position (OCR rows): keep only names the gazetteer recognises
            found = [m for m in found if m.key]
            rest = []
        found = [m if m.key or m.collective or named_unit_kind(m.text) else
                 AgencyMention(m.text, None, m.name, False, 0.5, m.line) for m in found]
        found += [AgencyMention(piece, None, piece, False, 0.3, lines[0]) for piece in rest]
        unresolved += rest + [m.text for m in found if m.key is None and not m.collective and not named_unit_kind(m.text)]
        found = [m for k, m in enumerate(found) if not m.key or m.key not in {x.key for x in found[:k]}]
        if kind == Column.LEAD:
            lead += found
        elif kind == Column.SUPPORT:
            support += found
        elif found:
            lead.append(found[0])
            support += found[1:]
    title = row.cells.get(Column.TITLE) or row.cells.get(Column.INDICATOR) or ""
    deadline_text = row.cells.get(Column.DEADLINE)
    printed = row.cells.get(Column.LEAD) or row.cells.get(Column.RESPONSIBLE) or ""
    lead_unread = printed if not lead and sum(ch.isalpha() for ch in printed) >= 3 else None
    if not title:
        missing.append("title")
    if not lead:
        missing.append("lead")
    if Column.DEADLINE in row.cells and not deadline_text:
        missing.append("deadline")
    row_confidence = confidence * raw.confidence
    if missing:
        row_confidence *= 0.6
    if unresolved:
        row_confidence *= 0.8
    all_lines = [raw.line] + [n for lines in row.cell_lines.values() for n in lines]
    task = TaskRecord(
        document=document, section=section_labels(raw.section), number=raw.number, title=title, origin="table",
        provenance=Provenance(file, raw.line, max(all_lines), "table", round(row_confidence, 3)), lead_unread=lead_unread,
        lead=lead, support=support, deadline=parse_deadline(deadline_text) if deadline_text else None,
        output=row.cells.get(Column.OUTPUT) or None,
    )
    return task, missing


def row_issues(row: TableRow, document: str, file: str, confidence: float, ocr: bool) -> tuple[TaskRecord, list[Issue]]:
    """The task of a row and what to report of it: W301 when it lacks a title, lead or deadline; W201 per
    agency left unresolved."""
    task, missing = row_task(row, document, file, confidence, ocr)
    issues: list[Issue] = []
    if missing:
        issues.append(Warnings.W301.format(file=file, line=row.raw.line, number=row.raw.number,
                                           lines=f"{task.provenance.line_start}-{task.provenance.line_end}",
                                           missing=", ".join(missing)))
    for m in task.lead + task.support:
        if m.key is None and not m.collective and named_unit_kind(m.text) is None:
            issues.append(Warnings.W201.format(file=file, line=m.line or row.raw.line, text=m.text))
    return task, issues
