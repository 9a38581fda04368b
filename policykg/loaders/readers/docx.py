"""Word documents (.docx) read with python-docx; old Word 97-2003 files (.doc) converted by LibreOffice first.

The body's paragraphs and tables are read in document order (the children of ``w:body``, content
controls opened). A paragraph is a block: a heading when its style is a heading style ("Heading 1",
"Title") or, as the genre writes them, when it is short and all bold or all capitals; its numbering
(``w:numPr``, its own or its style's) is rendered as the marker the genre prints — "1.", "a)", "II.",
"-" for bullets — from the numbering definitions' ``numFmt`` and ``lvlText``; a paragraph is bold when
all its letters are bold (the run's own ``w:b``, else its character style's, else the paragraph
style's chain). Tables keep their merged cells: ``gridSpan`` is a column span, ``vMerge`` a row span;
a cell's paragraphs are its lines; a table nested in a cell is flattened into the cell's lines, one
line per nested row. Rows marked as header rows (``w:tblHeader``) are column headers.

Lines are numbered through the file in reading order: each paragraph (and each piece of a paragraph
broken by ``w:br``) is one line, each paragraph of a table cell too; ``TextLine.line`` is that number,
so that "line 57" is the 57th line of text a person reads down the document.

>>> import io, docx as _docx
>>> d = _docx.Document()
>>> p = d.add_paragraph(); r = p.add_run("KẾ HOẠCH"); r.bold = True
>>> _ = d.add_paragraph("Xây dựng đề án", style="List Number")
>>> t = d.add_table(rows=2, cols=3); a = t.cell(0, 0).merge(t.cell(0, 1)); a.text = "Cơ quan"; t.cell(0, 2).text = "Thời gian"
>>> buf = io.BytesIO(); d.save(buf)
>>> doc = read_docx(buf.getvalue(), "a.docx")
>>> [(b.kind, b.text, b.line_start, b.bold) for b in doc.blocks[:2]]
[('heading', 'KẾ HOẠCH', 1, True), ('list_item', '1. Xây dựng đề án', 2, False)]
>>> [(c.row, c.col, c.col_span, c.text) for c in doc.blocks[2].table.cells if c.text]
[(0, 0, 2, 'Cơ quan'), (0, 2, 1, 'Thời gian')]
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import Errors, InputError
from ...text import collapse_spaces, repair
from ..document import Cell, Document, TextLine
from .base import register_reader
from .blocks import table_block, text_block

__all__ = ["read_docx", "read_doc", "convert_doc"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SOFFICE = ("soffice", "libreoffice")
_CONVERT_SECONDS = 120


def _val(element, name: str) -> str | None:  # noqa: ANN001 - an lxml element
    child = element.find(_W + name) if element is not None else None
    return child.get(_W + "val") if child is not None else None


def _on(element, name: str) -> bool | None:  # noqa: ANN001
    """The value of an on/off property (``w:b``): None when not set."""
    child = element.find(_W + name) if element is not None else None
    if child is None:
        return None
    return child.get(_W + "val", "true").lower() not in {"0", "false", "off", "none"}


# --- numbering -------------------------------------------------------------------------------------

def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letter(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else ""


def _format_number(n: int, fmt: str) -> str:
    """``n`` in a numbering format (``decimal``, ``lowerLetter``, ``upperRoman`` ...)."""
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """The numbering definitions of a file and the running counters of its lists."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    abstract: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId (lists sharing one count together)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> "_Numbering":  # noqa: ANN001 - a python-docx Document
        out = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return out
        abstracts: dict[str, dict[int, _Level]] = {}
        for node in root.findall(_W + "abstractNum"):
            abstracts[node.get(_W + "abstractNumId")] = {
                int(lvl.get(_W + "ilvl", "0")): _Level(_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "",
                                                      int(_val(lvl, "start") or 1))
                for lvl in node.findall(_W + "lvl")}
        for num in root.findall(_W + "num"):
            num_id, abstract_id = num.get(_W + "numId"), _val(num, "abstractNumId")
            levels = {k: _Level(v.fmt, v.text, v.start) for k, v in abstracts.get(abstract_id or "", {}).items()}
            for override in num.findall(_W + "lvlOverride"):
                ilvl = int(override.get(_W + "ilvl", "0"))
                level = levels.setdefault(ilvl, _Level())
                if (start := _val(override, "startOverride")) is not None:
                    level.start = int(start)
                if (lvl := override.find(_W + "lvl")) is not None:
                    level.fmt, level.text = _val(lvl, "numFmt") or level.fmt, _val(lvl, "lvlText") or level.text
            out.levels[num_id] = levels
            out.abstract[num_id] = f"{abstract_id}:{num_id}"
        return out

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """The marker of the next item of list ``num_id`` at level ``ilvl`` (counting it); None for no list."""
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return None
        level = levels.get(ilvl, _Level())
        counts = self.counters.setdefault(self.abstract[num_id], {})
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if level.fmt == "bullet":
            return "-"  # the genre prints its bullets as dashes, whatever glyph Word shows
        if level.fmt == "none":
            return None
        text = level.text
        for k in range(ilvl, -1, -1):
            outer = levels.get(k, _Level())
            text = text.replace(f"%{k + 1}", _format_number(counts.get(k, outer.start), outer.fmt))
        return text.strip() or None


# --- styles ----------------------------------------------------------------------------------------

def _style_chain(style) -> Iterator:  # noqa: ANN001 - a python-docx style
    seen = 0
    while style is not None and seen < 20:
        yield style
        style, seen = style.base_style, seen + 1


def _style_bold(style) -> bool | None:  # noqa: ANN001
    for s in _style_chain(style):
        if (bold := s.font.bold) is not None:
            return bold
    return None


def _style_numbering(style) -> tuple[str, int] | None:  # noqa: ANN001
    for s in _style_chain(style):
        ppr = s.element.pPr
        num = ppr.find(_W + "numPr") if ppr is not None else None
        if num is not None and _val(num, "numId"):
            return _val(num, "numId") or "0", int(_val(num, "ilvl") or 0)
    return None


def _heading_style(style) -> bool:  # noqa: ANN001
    for s in _style_chain(style):
        name = (s.name or "").lower()
        if name.startswith("heading") or name == "title":
            return True
    return False


# --- paragraphs ------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, document, file: str):  # noqa: ANN001
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        self.Paragraph, self.DocxTable = Paragraph, DocxTable
        self.document = document
        self.doc = Document(file, "docx", [])
        self.numbering = _Numbering.of(document)
        self.line = 0
        self._bold_cache: dict[int, bool | None] = {}

    def _para_style_bold(self, paragraph) -> bool:  # noqa: ANN001
        key = id(paragraph.style)
        if key not in self._bold_cache:
            self._bold_cache[key] = _style_bold(paragraph.style)
        return bool(self._bold_cache[key])

    def _runs(self, paragraph) -> Iterator:  # noqa: ANN001
        for item in paragraph.iter_inner_content():
            if hasattr(item, "runs"):  # a hyperlink
                yield from item.runs
            else:
                yield item

    def paragraph_lines(self, paragraph) -> tuple[list[str], bool]:  # noqa: ANN001
        """The pieces of a paragraph (``w:br`` breaks it) and whether all its letters are bold."""
        style_bold = self._para_style_bold(paragraph)
        pieces = [""]
        letters = bold_letters = 0
        for run in self._runs(paragraph):
            text = run.text
            bold = run.font.bold
            if bold is None and run.style is not None and run.style.type is not None:
                bold = _style_bold(run.style) if run.style.name != "Default Paragraph Font" else None
            bold = style_bold if bold is None else bold
            count = sum(1 for c in text if c.isalpha())
            letters += count
            bold_letters += count if bold else 0
            parts = text.replace("\r", "\n").split("\n")
            pieces[-1] += parts[0]
            pieces.extend(parts[1:])
        pieces = [repair(collapse_spaces(p.replace("\t", " "))) for p in pieces]
        return [p for p in pieces if p], letters > 0 and bold_letters == letters

    def numbering_of(self, paragraph) -> tuple[str, int] | None:  # noqa: ANN001
        ppr = paragraph._p.pPr
        num = ppr.find(_W + "numPr") if ppr is not None else None
        if num is not None and _val(num, "numId") is not None:
            return _val(num, "numId") or "0", int(_val(num, "ilvl") or 0)
        return _style_numbering(paragraph.style)

    def add_paragraph(self, paragraph) -> None:  # noqa: ANN001
        pieces, bold = self.paragraph_lines(paragraph)
        numbered = self.numbering_of(paragraph)
        marker = self.numbering.marker(*numbered) if numbered else None
        if not pieces:
            return
        if marker and not pieces[0].startswith(marker):
            pieces[0] = f"{marker} {pieces[0]}"
        lines = []
        for piece in pieces:
            self.line += 1
            lines.append((piece, self.line))
        kind = "heading" if _heading_style(paragraph.style) else None
        block = text_block(lines, bold=bold, kind=kind)
        if marker and block.kind == "paragraph":
            block.kind = "list_item"
        if marker and block.marker is None:
            block.marker = marker
        if self.doc.lines:
            self.doc.lines.append(TextLine("", block.line_start))
        self.doc.blocks.append(block)
        self.doc.lines.extend(TextLine(t, n) for t, n in lines)

    # --- tables --------------------------------------------------------------------------------

    def cell_lines(self, tc) -> tuple[list[tuple[str, int]], bool]:  # noqa: ANN001 - a CT_Tc
        """The lines of a table cell (its paragraphs; a nested table's rows, one line each) and whether it is all bold."""
        lines: list[tuple[str, int]] = []
        bolds: list[bool] = []
        for child in tc.iterchildren():
            if child.tag == _W + "p":
                paragraph = self.Paragraph(child, self.document._body)
                pieces, bold = self.paragraph_lines(paragraph)
                numbered = self.numbering_of(paragraph)
                marker = self.numbering.marker(*numbered) if numbered else None
                if pieces and marker and not pieces[0].startswith(marker):
                    pieces[0] = f"{marker} {pieces[0]}"
                for piece in pieces:
                    self.line += 1
                    lines.append((piece, self.line))
                    bolds.append(bold)
            elif child.tag == _W + "tbl":
                for tr in child.iter(_W + "tr"):
                    texts = [collapse_spaces(" ".join(t for t, _ in self.cell_lines(inner)[0]))
                             for inner in tr.findall(_W + "tc")]
                    # the nested cells consumed line numbers; the nested row is one line of the outer cell
                    if row := " ".join(t for t in texts if t):
                        lines.append((row, self.line))
                        bolds.append(False)
        return lines, bool(bolds) and all(bolds)

    def add_table(self, tbl) -> None:  # noqa: ANN001 - a CT_Tbl
        cells: list[Cell] = []
        open_cells: dict[int, Cell] = {}
        for r, tr in enumerate(tbl.findall(_W + "tr")):
            trpr = tr.find(_W + "trPr")
            header = _on(trpr, "tblHeader") is True
            before = _val(trpr, "gridBefore") if trpr is not None else None
            c = int(before or 0)
            for tc in tr.findall(_W + "tc"):
                tcpr = tc.find(_W + "tcPr")
                span = max(1, int(_val(tcpr, "gridSpan") or 1))
                vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
                merge = None if vmerge is None else (vmerge.get(_W + "val") or "continue")
                lines, bold = self.cell_lines(tc)
                if merge == "continue" and c in open_cells:
                    above = open_cells[c]
                    above.row_span = r - above.row + 1
                    if lines:  # text in a continued cell (rare): it belongs to the merged cell
                        above.text = collapse_spaces(f"{above.text} {' '.join(t for t, _ in lines)}")
                        above.line_end = lines[-1][1]
                        self.doc.lines.extend(TextLine(t, n) for t, n in lines)
                    c += span
                    continue
                text = collapse_spaces(" ".join(t for t, _ in lines))
                first = lines[0][1] if lines else self.line
                cell = Cell(r, c, text, 1, span, "column_header" if header else "body", first,
                            lines[-1][1] if lines else first, bold and bool(text))
                cells.append(cell)
                self.doc.lines.extend(TextLine(t, n) for t, n in lines)
                for k in range(c, c + span):
                    if merge == "restart":
                        open_cells[k] = cell
                    else:
                        open_cells.pop(k, None)
                c += span
        if cells:
            self.doc.blocks.append(table_block(cells))

    def walk(self, parent) -> None:  # noqa: ANN001 - the body or a content control
        for child in parent.iterchildren():
            if child.tag == _W + "p":
                self.add_paragraph(self.Paragraph(child, self.document._body))
            elif child.tag == _W + "tbl":
                self.add_table(child)
            elif child.tag == _W + "sdt" and (content := child.find(_W + "sdtContent")) is not None:
                self.walk(content)


def _open(data: bytes, file: str):  # noqa: ANN202 - a python-docx Document
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(Errors.E105.format(file=file, detail=f"not a readable Word file ({type(exc).__name__}: {exc})"[:200])) from None
    except Exception as exc:  # noqa: BLE001 - lxml's errors for damaged XML parts
        raise InputError(Errors.E105.format(file=file, detail=f"not a readable Word file ({type(exc).__name__}: {exc})"[:200])) from None


def read_docx(data: bytes, file: str) -> Document:
    """Read a Word (.docx) file into a :class:`Document`."""
    document = _open(data, file)
    reader = _Reader(document, file)
    reader.walk(document.element.body)
    return reader.doc


def convert_doc(data: bytes, file: str) -> bytes:
    """The .docx LibreOffice makes of a Word 97-2003 file (``soffice --headless --convert-to docx``), or
    :class:`InputError` E112 when LibreOffice is not installed (E105 when it fails)."""
    soffice = next((found for name in _SOFFICE if (found := shutil.which(name))), None)
    if soffice is None:
        raise InputError(Errors.E112.format(file=file))
    with tempfile.TemporaryDirectory(prefix="policykg-doc-") as folder:
        source = Path(folder) / (Path(file).stem + ".doc")
        source.write_bytes(data)
        env = {**os.environ, "HOME": folder}  # LibreOffice writes its profile under HOME
        try:
            done = subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", folder, str(source)],
                                  capture_output=True, timeout=_CONVERT_SECONDS, env=env, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(Errors.E105.format(file=file, detail=f"LibreOffice could not convert it ({exc})"[:200])) from None
        target = source.with_suffix(".docx")
        if done.returncode != 0 or not target.is_file():
            detail = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            raise InputError(Errors.E105.format(
                file=file, detail=f"LibreOffice could not convert it (exit {done.returncode}{': ' + detail[-1] if detail else ''})"[:200]))
        return target.read_bytes()


def read_doc(data: bytes, file: str) -> Document:
    """Read a Word 97-2003 (.doc) file: converted to .docx by LibreOffice, then read as one."""
    if isinstance(data, str):  # a .doc that held text other than HTML (RTF): LibreOffice reads it too
        data = data.encode("utf-8")
    doc = read_docx(convert_doc(data, file), file)
    doc.format = "doc"
    return doc


register_reader("docx", read_docx, (".docx",), binary=True)
register_reader("doc", read_doc, (".doc", ".rtf"), binary=True)  # sniff_binary tells OLE and RTF by content
