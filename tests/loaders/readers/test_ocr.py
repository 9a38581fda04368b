"""OCR of scanned pages: real 150-dpi scans of Quyết định 3467/QĐ-BYT (../shared/scans), as images and as a
scanned PDF. Each scan is read by Tesseract once per session (the OCR cache lives in a session folder)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from policykg.errors import InputError
from policykg.loaders import extract_file
from policykg.loaders.readers import read_document, sniff_binary
from policykg.loaders.readers import ocr

SCANS = Path(os.environ.get("POLICYKG_SHARED", Path(__file__).resolve().parents[3].parent / "shared")) / "scans"

pytestmark = pytest.mark.skipif(not (SCANS / "page_0001.png").is_file(), reason=f"no scans at {SCANS}")


@pytest.fixture(scope="session", autouse=True)
def ocr_cache(tmp_path_factory):
    """A fresh OCR cache for the session: each scan is read once, later reads come from it."""
    folder = tmp_path_factory.mktemp("policykg-cache")
    old = os.environ.get("POLICYKG_CACHE")
    os.environ["POLICYKG_CACHE"] = str(folder)
    yield folder / "ocr"
    if old is None:
        os.environ.pop("POLICYKG_CACHE", None)
    else:
        os.environ["POLICYKG_CACHE"] = old


@pytest.fixture(scope="session")
def head_png(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scans") / "qd-3467-p1.png"
    shutil.copy(SCANS / "page_0001.png", path)
    return path


@pytest.fixture(scope="session")
def head_extraction(head_png):
    return extract_file(head_png)


@pytest.fixture(scope="session")
def appendix_pages():
    return ocr.image_pages((SCANS / "page_0003.png").read_bytes(), "page_0003.png")


def test_images_are_sniffed_by_their_first_bytes():
    assert sniff_binary("scan.bin", (SCANS / "page_0001.png").read_bytes()[:16]) == "image"
    assert sniff_binary("a.bin", b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image"
    assert sniff_binary("a.bin", b"II*\x00\x08\x00") == sniff_binary("a.bin", b"MM\x00*\x00") == "image"
    assert sniff_binary("a.TIFF", b"????") == "image"


def test_head_page_gives_the_decision(head_extraction):
    head = head_extraction.documents[0]
    assert head.kind == "Quyết định"
    assert head.number == "3467/QĐ-BYT"
    assert head.issuer == "Bộ Y tế"
    assert head.title.startswith("Giá dịch vụ khám bệnh, chữa bệnh áp dụng tại Bệnh viện")
    # the date line comes out as "ngày15 tháng I1 năm 2024" (or "II"): letters read for digits are read as digits
    assert head.date == "2024-11-15"
    assert len(head_extraction.documents) == 1  # "QUYÉT ĐỊNH" (colon lost) before "Điều 1" is no second document
    assert head.provenance.file == "qd-3467-p1.png"


def test_head_page_gives_the_cited_bases(head_extraction):
    based_on = {c.number for c in head_extraction.citations if c.relation == "BASED_ON" and c.number}
    assert {"96/2023/NĐ-CP", "95/2022/NĐ-CP", "23/2024/TT-BYT", "21/2024/TT-BYT"} <= based_on
    laws = [c for c in head_extraction.citations if c.relation == "BASED_ON" and c.kind == "Luật"]
    assert len(laws) == 2  # Luật Khám bệnh, chữa bệnh and Luật Giá (names with OCR slips)


def test_ocr_blocks_have_pages_boxes_and_confidences(head_png):
    doc = read_document(head_png)  # from the cache
    assert doc.format == "image"
    assert doc.lines[0].page == 1 and doc.lines[0].box is not None
    assert any(line.text.startswith("Số:3467") for line in doc.lines[:5])
    assert all(0.0 <= block.confidence <= 1.0 for block in doc.blocks)
    assert sum(block.confidence for block in doc.blocks) / len(doc.blocks) > 0.5
    # boxes are in points: the A4 page at 150 dpi is 595 x 842
    x0, top, x1, bottom = doc.lines[0].box
    assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842


def test_words_confidences_and_units(appendix_pages):
    (page,) = appendix_pages
    assert abs(page.width - 595) < 2 and abs(page.height - 842) < 2
    assert page.words and all(0.0 <= w.confidence <= 1.0 for w in page.words)
    assert all(0 <= w.x0 < w.x1 <= page.width and 0 <= w.top < w.bottom <= page.height for w in page.words)
    texts = {w.text for w in page.words}
    assert {"STT", "Mức", "52.600", "200.000"} <= texts


def test_table_grid_is_found(appendix_pages):
    (page,) = appendix_pages
    horizontal = [r for r in page.rules if r.top == r.bottom]
    vertical = [r for r in page.rules if r.x0 == r.x1]
    assert len(horizontal) + len(vertical) == len(page.rules)
    # the table: 5 full-width rules (top, under the header, under the group row, between the rows, bottom)
    wide = [r for r in horizontal if r.x1 - r.x0 > 450]
    assert len(wide) == 5
    assert len(horizontal) - len(wide) <= 3  # underlines of the head
    # 4 column borders; the one before "Mức giá" is broken by the group row spanning the columns: 5 segments
    assert 4 <= len(vertical) <= 6
    columns = sorted({round(r.x0 / 5) for r in vertical})
    assert len(columns) == 4
    left, right = min(r.x0 for r in wide), max(r.x1 for r in wide)
    assert all(left - 3 <= r.x0 <= right + 3 for r in vertical)
    assert all(min(r.top for r in wide) - 3 <= r.top < r.bottom <= max(r.top for r in wide) + 3 for r in vertical)


def test_second_read_comes_from_the_cache(head_png, head_extraction, monkeypatch, ocr_cache):
    import pytesseract

    calls = []
    real = pytesseract.image_to_data
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert list(ocr_cache.rglob("*.json"))
    again = extract_file(head_png)
    assert calls == []
    assert again.documents[0].number == "3467/QĐ-BYT"


def test_scanned_pdf_pages(appendix_pages):
    buffer = io.BytesIO()
    first, second = (Image.open(SCANS / name).convert("RGB") for name in ("page_0003.png", "page_0001.png"))
    first.save(buffer, "PDF", resolution=150, save_all=True, append_images=[second])
    pages = ocr.ocr_pdf_pages(buffer.getvalue(), [1, 2], "scan.pdf")
    assert [p.number for p in pages] == [1, 2]
    assert all(abs(p.width - 595) < 2 and abs(p.height - 842) < 2 for p in pages)  # A4 (1240-1241 px wide)
    # the same page read from the image and from the PDF gives the same table grid, in the same unit
    assert len(pages[0].rules) == len(appendix_pages[0].rules)
    assert {"Mức", "52.600", "200.000"} <= {w.text for w in pages[0].words}  # "STT" may come out as "SIT"
    assert any(w.text.startswith("Số:3467") for w in pages[1].words)


def test_multipage_tiff_and_broken_images(tmp_path, monkeypatch):
    blank = Image.new("L", (300, 200), 255)
    path = tmp_path / "two.tiff"
    blank.save(path, save_all=True, append_images=[blank.copy()], dpi=(150, 150))
    doc = read_document(path)
    assert doc.format == "image" and doc.lines == []
    assert len(ocr._frames(path.read_bytes(), "two.tiff")) == 2
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(InputError) as info:
        read_document(broken)
    assert str(info.value).startswith("E105 broken.png:") and "\n" not in str(info.value)


@pytest.mark.parametrize("how", ["no program", "no vie"])
def test_missing_tesseract_is_one_line(tmp_path, monkeypatch, how):
    import pytesseract

    if how == "no program":
        monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    else:
        monkeypatch.setattr(pytesseract, "get_languages", lambda *a, **k: ["eng", "osd"])
    path = tmp_path / "scan.png"
    Image.new("L", (200, 100), 255).save(path)
    with pytest.raises(InputError) as info:
        extract_file(path)
    message = str(info.value)
    assert message.startswith("E111 scan.png: OCR needs Tesseract with its Vietnamese data:")
    assert "tesseract-ocr-vie" in message and "\n" not in message


def test_a_scanned_pdf_is_read_through_ocr_with_its_table(tmp_path):
    """The same pages as a scanned PDF (no text layer): the PDF reader hands them to OCR; the appendix page's
    ruled table comes out as a table of cells, with pages on every line."""
    path = tmp_path / "qd-3467-scan.pdf"
    first, second = (Image.open(SCANS / name).convert("RGB") for name in ("page_0001.png", "page_0003.png"))
    first.save(path, "PDF", resolution=150, save_all=True, append_images=[second])
    doc = read_document(path)
    assert doc.format == "pdf" and not [i for i in doc.issues if i.code == "W110"]
    assert {line.page for line in doc.lines} == {1, 2}
    tables = [b.table for b in doc.tables if b.page == 2]
    assert tables and max(t.n_rows for t in tables) >= 3
    assert any("52.600" in c.text for t in tables for c in t.cells)
    ex = extract_file(path)
    assert (ex.documents[0].number, ex.documents[0].date) == ("3467/QĐ-BYT", "2024-11-15")
    assert ex.documents[0].provenance.page == 1
