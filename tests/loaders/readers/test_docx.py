"""The Word reader: real plans of the corpus written as .docx (with python-docx) read as their Markdown is.

Each plan's Markdown is read by the Markdown reader; its blocks are written into a Word file — paragraphs
(bold where bold, dash items as Word bullets), tables with their cells' lines as paragraphs and the task
table's header rewritten the way Word files have it ("Cơ quan thực hiện" spanning "Chủ trì" and "Phối
hợp", the other header cells merged down) — and the extraction of the .docx is compared with the
extraction of the Markdown.
"""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from policykg.errors import InputError
from policykg.loaders.document import Block, Document
from policykg.loaders.extract import extract_file
from policykg.loaders.readers import read_document, sniff_binary
from policykg.loaders.readers.docx import read_docx
from policykg.loaders.readers.markdown import read_markdown, strip_marks
from policykg.text import collapse_spaces, fold

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus-wild"
_MARK = re.compile(r"^\s*(?:\d{1,3}|[IVX]{1,5}|[A-E])\s*[.)]?\s*$")
PLANS = ["bac-ninh-kh-141-2025.md", "ho-chi-minh-qd-2820-2025.md"]


def _cell_lines(raw: list[str], cell) -> list[str]:  # noqa: ANN001
    lines = [(raw[n - 1], n) for n in range(cell.line_start, cell.line_end + 1) if 0 < n <= len(raw)]
    clean, _, _ = strip_marks([(t, n) for t, n in lines if t.strip() not in {"|", ""}])
    out = [collapse_spaces(t) for t, _ in clean if collapse_spaces(t)]
    return out if out and collapse_spaces(" ".join(out)) == cell.text else [cell.text]


def _add_table(word: docx.document.Document, block: Block, raw: list[str]) -> None:
    table = block.table
    grid = [[None] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        grid[cell.row][cell.col] = cell
    header = next((r for r, row in enumerate(table.rows()) if {"co quan chu tri", "co quan phoi hop"}
                   <= {fold(c.text) for c in row}), None)
    extra = 1 if header is not None else 0
    out = word.add_table(rows=table.n_rows + extra, cols=table.n_cols)
    shift: dict[int, int] = {}  # rows that continue the task above (the crawl dropped the cells spanning down)
    for r, row in enumerate(table.rows()):
        if header is not None and r > header and 0 < len(row) < table.n_cols - 1 and not _MARK.match(row[0].text):
            shift[r] = 1
            above, here = r - 1 + extra, r + extra
            for col in [0, *range(len(row) + 1, table.n_cols)]:
                out.cell(above, col).merge(out.cell(here, col))
    for cell in table.cells:
        r = cell.row + (extra if header is not None and cell.row > header else 0)
        target = out.cell(r, cell.col + shift.get(cell.row, 0))
        if header is not None and cell.row == header:
            words = fold(cell.text)
            if words in {"co quan chu tri", "co quan phoi hop"}:
                out.cell(r + 1, cell.col).text = "Chủ trì" if "chu tri" in words else "Phối hợp"
                if "chu tri" in words:
                    target = target.merge(out.cell(r, cell.col + 1))
                    target.text = "Cơ quan thực hiện"
                continue
            target = target.merge(out.cell(r + 1, cell.col))
        elif cell.row_span > 1 or cell.col_span > 1:
            target = target.merge(out.cell(r + cell.row_span - 1, cell.col + cell.col_span - 1))
        lines = _cell_lines(raw, cell)
        target.paragraphs[0].text = ""
        for k, line in enumerate(lines):
            paragraph = target.paragraphs[0] if k == 0 else target.add_paragraph()
            paragraph.add_run(line).bold = cell.bold
    if header is not None:  # Word marks the header rows to repeat them on each page
        for tr in out._tbl.tr_lst[header:header + 2]:
            tr.get_or_add_trPr().append(tr.makeelement(qn("w:tblHeader"), {}))


def docx_of(md: Path) -> bytes:
    """A Word file of the plan in ``md``."""
    text = md.read_text(encoding="utf-8")
    raw = text.split("\n")
    doc = read_markdown(text, md.name)
    word = docx.Document()
    for block in doc.blocks:
        if block.table is not None:
            _add_table(word, block, raw)
            continue
        if block.kind == "list_item" and block.marker == "-":
            word.add_paragraph(style="List Bullet").add_run(block.body)
            continue
        word.add_paragraph().add_run(block.text).bold = block.bold
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _key(text: str) -> str:
    return fold(text)[:60]


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    folder = tmp_path_factory.mktemp("docx")
    out = {}
    for name in PLANS:
        md = CORPUS / name
        if not md.exists():
            pytest.skip(f"{md} is not there")
        path = folder / (md.stem + ".docx")
        path.write_bytes(docx_of(md))
        out[name] = (extract_file(md), extract_file(path), path)
    return out


@pytest.mark.parametrize("name", PLANS)
def test_docx_reads_as_the_markdown(pairs: dict[str, tuple], name: str) -> None:
    md, word, _ = pairs[name]
    head = lambda d: (d.kind, d.number, d.date, d.issuer, d.province, fold(d.title))  # noqa: E731
    assert [head(d) for d in word.documents] == [head(d) for d in md.documents]
    leads = {(_key(t.title), tuple(m.name for m in t.lead)) for t in word.tasks}
    same = [t for t in md.tasks if (_key(t.title), tuple(m.name for m in t.lead)) in leads]
    share = len(same) / len(md.tasks)
    print(f"{name}: {len(md.tasks)} tasks from the Markdown, {len(word.tasks)} from the .docx, "
          f"{len(same)} with the same title and lead ({share:.0%})")
    assert share >= 0.9
    assert abs(len(word.tasks) - len(md.tasks)) <= max(2, len(md.tasks) // 10)


def test_table_tasks_keep_their_cells(pairs: dict[str, tuple]) -> None:
    md, word, _ = pairs["ho-chi-minh-qd-2820-2025.md"]
    by_title = {(t.section[-1], t.number, _key(t.title)): t for t in word.tasks if t.origin == "table"}
    table = [t for t in md.tasks if t.origin == "table"]
    assert len(table) == 28 and len(by_title) == len(table)
    for task in table:
        got = by_title.get((task.section[-1], task.number, _key(task.title)))
        assert got is not None, task.title
        assert [m.name for m in got.support] == [m.name for m in task.support]
        assert (got.deadline and got.deadline.due) == (task.deadline and task.deadline.due)
        assert got.section == task.section


def test_lines_point_into_the_file(pairs: dict[str, tuple]) -> None:
    _, word, path = pairs["bac-ninh-kh-141-2025.md"]
    doc = read_document(path)
    numbers = [line.line for line in doc.lines if line.text]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)  # one number per line, in reading order
    texts = {line.line: line.text for line in doc.lines if line.text}
    for task in word.tasks:
        assert task.provenance.line_start in texts
    head = doc.blocks[0]
    assert head.kind == "table" and head.table is not None
    assert [c.text for c in head.table.cells][:1] == ["UỶ BAN NHÂN DÂN TỈNH BẮC NINH -------"]
    assert doc.lines[0].text == "UỶ BAN NHÂN DÂN"  # a cell's paragraphs are its lines


def test_merged_header_and_bullets(pairs: dict[str, tuple]) -> None:
    _, _, path = pairs["ho-chi-minh-qd-2820-2025.md"]
    doc = read_document(path)
    table = next(b.table for b in doc.blocks if b.table is not None and b.table.n_cols == 7)
    header = [(c.row, c.col, c.row_span, c.col_span, c.text, c.kind) for c in table.cells if c.row < 2]
    assert (0, 0, 2, 1, "TT", "column_header") in header
    assert (0, 2, 1, 2, "Cơ quan thực hiện", "column_header") in header
    assert (1, 3, 1, 1, "Phối hợp", "column_header") in header
    bullets = [b for b in doc.blocks if b.kind == "list_item" and b.marker == "-"]
    assert bullets and all(b.text.startswith("- ") for b in bullets)


def _numbered_docx() -> bytes:
    word = docx.Document()
    word.add_paragraph("I. MỤC ĐÍCH").runs[0].bold = True
    for text in ("Xây dựng đề án", "Rà soát văn bản"):
        word.add_paragraph(text, style="List Number")
    word.add_paragraph("Tăng cường", style="List Bullet")
    word.add_paragraph("KẾ HOẠCH", style="Heading 1")
    paragraph = word.add_paragraph()
    paragraph.add_run("Sở Y tế").bold = True
    paragraph.add_run(" chủ trì")
    paragraph.add_run().add_break()
    paragraph.add_run("dòng hai")
    outer = word.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Ngoài"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"n{r}{c}"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_numbering_bold_breaks_and_nested_tables() -> None:
    doc = read_docx(_numbered_docx(), "a.docx")
    got = [(b.kind, b.text, b.marker, b.bold, b.line_start, b.line_end) for b in doc.blocks if b.table is None]
    assert got == [
        ("heading", "I. MỤC ĐÍCH", "I.", True, 1, 1),
        ("list_item", "1. Xây dựng đề án", "1.", False, 2, 2),
        ("list_item", "2. Rà soát văn bản", "2.", False, 3, 3),
        ("list_item", "- Tăng cường", "-", False, 4, 4),
        ("heading", "KẾ HOẠCH", None, True, 5, 5),
        ("paragraph", "Sở Y tế chủ trì dòng hai", None, False, 6, 7),
    ]
    table = doc.blocks[-1].table
    assert [c.text for c in table.cells] == ["Ngoài", "n00 n01 n10 n11"]
    assert [line.text for line in doc.lines if line.text][-3:] == ["Ngoài", "n00 n01", "n10 n11"]


def test_zip_content_says_docx(tmp_path: Path) -> None:
    data = _numbered_docx()
    assert sniff_binary("a.bin", data) == "docx"
    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(InputError, match="E105 plan.docx: the file cannot be read: not a readable Word file"):
        read_document(path)


def _ole(tmp_path: Path) -> Path:
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return path


def test_doc_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(InputError) as err:
        extract_file(_ole(tmp_path))
    assert str(err.value) == ("E112 plan.doc: a Word 97-2003 file (.doc) needs LibreOffice to be read: install the "
                              "Debian package libreoffice-writer, or save it as .docx")


def test_doc_converted_by_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pairs: dict[str, tuple]) -> None:
    """A fake ``soffice`` on PATH that 'converts' by copying a prepared .docx: the .doc path runs end to end."""
    md, _, prepared = pairs["bac-ninh-kh-141-2025.md"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        "# soffice --headless --convert-to docx --outdir DIR FILE\n"
        f'[ "$1 $2 $3" = "--headless --convert-to docx" ] || exit 3\n'
        f'cp "{prepared}" "$5/$(basename "$6" .doc).docx"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    ex = extract_file(_ole(tmp_path))
    assert [(d.number, d.date) for d in ex.documents] == [(d.number, d.date) for d in md.documents]
    assert len(ex.tasks) >= 0.9 * len(md.tasks)
    assert read_document(_ole(tmp_path)).format == "doc"
    script.write_text("#!/bin/sh\necho 'source file could not be loaded' >&2\nexit 1\n")
    with pytest.raises(InputError, match=r"E105 plan.doc: the file cannot be read: LibreOffice could not convert it "
                                         r"\(exit 1: source file could not be loaded\)"):
        extract_file(_ole(tmp_path))


def test_html_saved_as_doc_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.doc"
    path.write_text("<html><body><p><b>KẾ HOẠCH</b></p><p>Số: 12/KH-UBND</p></body></html>", encoding="utf-8")
    assert read_document(path).format == "html"


def test_document_model_is_the_neutral_one() -> None:
    doc = read_docx(_numbered_docx(), "a.docx")
    assert isinstance(doc, Document) and doc.format == "docx"
