"""The PDF reader on real PDFs: corpus-wild plans printed by Chromium, compared with their Markdown."""

from __future__ import annotations

from collections import Counter

import pytest

from policykg.errors import InputError
from policykg.loaders import extract_file
from policykg.loaders.readers import read_document
from policykg.text import fold_chars

from .conftest import WILD

# measured on the Chromium prints (tasks of the Markdown found in the PDF with the same lead / all)
PLANS = {
    "bac-ninh-kh-141-2025": 0.95,  # 23/24
    "dong-thap-kh-556-2025": 0.95,  # 42/43
    "ha-noi-kh-308-2025": 0.85,  # 14/16
    "ho-chi-minh-kh-172-2025": 1.0,  # 9/9
    "ho-chi-minh-qd-2820-2025": 0.9,  # 44/47; a table of 35 rows over 7 pages
}


def _key(task) -> str:
    return fold_chars(" ".join(task.title.split())).lower()[:60]


@pytest.mark.parametrize("name", sorted(PLANS))
def test_pdf_print_reads_as_its_markdown(name, wild_pdf):
    md, pdf = extract_file(WILD / f"{name}.md"), extract_file(wild_pdf(name))
    head = [(d.kind, d.number, d.date, d.issuer) for d in md.documents]
    assert [(d.kind, d.number, d.date, d.issuer) for d in pdf.documents] == head
    pairs = Counter((_key(t), tuple(sorted(m.name for m in t.lead))) for t in pdf.tasks)
    same = sum((pairs & Counter((_key(t), tuple(sorted(m.name for m in t.lead))) for t in md.tasks)).values())
    assert same >= PLANS[name] * len(md.tasks), (same, len(md.tasks))
    assert len(pdf.tasks) <= 1.2 * len(md.tasks) + 2


def _same_lead(md, pdf) -> int:
    pairs = Counter((_key(t), tuple(sorted(m.name for m in t.lead))) for t in pdf.tasks)
    return sum((pairs & Counter((_key(t), tuple(sorted(m.name for m in t.lead))) for t in md.tasks)).values())


def test_a_task_table_printed_without_borders_is_read_from_its_columns(wild_pdf):
    """Measured: 24 of the 47 tasks with the same lead (42 with borders); the rows of the first pages come out
    whole, later pages lose their header where a cell cut by a page break starts in the number column."""
    name = "ho-chi-minh-qd-2820-2025"
    md, pdf = extract_file(WILD / f"{name}.md"), extract_file(wild_pdf(name, borders=False))
    assert _same_lead(md, pdf) >= 22
    doc = read_document(wild_pdf(name, borders=False))
    first = next(b.table for b in doc.tables if b.table.n_cols == 7)
    assert [c.text for c in first.rows()[0]][:3] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì"]
    assert [c.text for c in first.rows()[1]][:1] == ["I"] and first.rows()[1][1].col_span == 6  # a group row
    assert [c.text for c in first.rows()[2]][2:3] == ["Sở Tài chính"]


def test_unruled_reading_finds_no_table_in_running_text(wild_pdf):
    doc = read_document(wild_pdf("ha-noi-kh-308-2025", borders=False))
    assert [b.table.n_cols for b in doc.tables] == [b.table.n_cols for b in read_document(wild_pdf("ha-noi-kh-308-2025")).tables]


def test_table_over_pages_is_one_table(wild_pdf):
    doc = read_document(wild_pdf("ho-chi-minh-qd-2820-2025"))
    tables = [b for b in doc.tables if b.table.n_cols == 7]
    assert len(tables) == 1
    table = tables[0].table
    assert [c.text for c in table.rows()[0]][:3] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì"]
    assert all(c.kind == "column_header" for c in table.rows()[0])
    assert table.n_rows >= 34 and len({c.page for c in table.cells}) >= 5
    assert all(c.page and c.box for c in table.cells)


def test_lines_are_numbered_through_the_file_with_pages(wild_pdf):
    doc = read_document(wild_pdf("ha-noi-kh-308-2025"))
    numbers = [line.line for line in doc.lines]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert all(line.page and line.box for line in doc.lines)
    assert len({line.page for line in doc.lines}) >= 2
    assert all(b.page and b.box for b in doc.blocks)


def test_head_columns_are_read_left_then_right(wild_pdf):
    doc = read_document(wild_pdf("bac-ninh-kh-141-2025"))
    texts = [fold_chars(line.text).lower() for line in doc.lines[:10]]
    issuer = next(k for k, t in enumerate(texts) if t.startswith("uy ban nhan dan"))
    number = next(k for k, t in enumerate(texts) if t.startswith("so:"))
    motto = next(k for k, t in enumerate(texts) if t.startswith("cong hoa"))
    assert issuer < number < motto
    assert not any("cong hoa" in t and "uy ban" in t for t in texts)


def test_extract_text_shows_page_markers(wild_pdf, capsys):
    from policykg.cli import main

    path = wild_pdf("ho-chi-minh-kh-172-2025")
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(path), "--text"])
    out = capsys.readouterr().out
    assert exit_.value.code in (0, None)
    assert f"--- {path.name}: trang 1 / page 1 ---" in out and f"--- {path.name}: trang 2 / page 2 ---" in out
    assert "KẾ HOẠCH" in out


def test_truncated_pdf_is_one_input_error(wild_pdf, tmp_path):
    data = wild_pdf("ho-chi-minh-kh-172-2025").read_bytes()
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(data[:2000])
    with pytest.raises(InputError) as error:
        read_document(bad)
    assert str(error.value).startswith("E110 cut.pdf: the PDF cannot be read") and "\n" not in str(error.value)


def test_text_named_pdf_is_one_input_error(tmp_path):
    """A file named .pdf that holds text is not read as text: the name says PDF, the bytes are not one (E110)."""
    path = tmp_path / "plan.pdf"
    path.write_text("KẾ HOẠCH\nSố: 12/KH-UBND\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_document(path)
    assert str(error.value).startswith("E110 plan.pdf:")


def test_pages_without_text_layer_are_reported(tmp_path, wild_pdf):
    """A scan (an image-only PDF made by Ghostscript): OCR not available → W110 for its pages, no crash."""
    import shutil
    import subprocess

    if shutil.which("gs") is None:
        pytest.skip("Ghostscript is not available")
    scan = tmp_path / "scan.pdf"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfimage8", "-r50", "-dLastPage=2",
                    f"-sOutputFile={scan}", str(wild_pdf("ho-chi-minh-kh-172-2025"))], check=True)
    import policykg.loaders.readers.ocr as ocr

    def unavailable(data, numbers, file):
        raise NotImplementedError("OCR is not available yet")

    original, ocr.ocr_pdf_pages = ocr.ocr_pdf_pages, unavailable
    try:
        doc = read_document(scan)
    finally:
        ocr.ocr_pdf_pages = original
    assert [str(i) for i in doc.issues] == ["W110 scan.pdf: pages 1-2 have no text layer and could not be OCR'd: "
                                           "OCR is not available yet"]
