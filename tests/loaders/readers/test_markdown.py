"""The Markdown reader: the legal portals' crawl (cell-per-line tables, marks across lines) and ordinary Markdown."""

from __future__ import annotations

import pytest

from policykg.loaders.readers import read_document
from policykg.loaders.readers.markdown import bar_table_rows, read_markdown, strip_marks


def _cells(lines: list[str]) -> list[list[str]]:
    chunk = [(t, n) for n, t in enumerate(lines, 1)]
    return [[" ".join(t for t, _ in cell) for cell in row] for row in bar_table_rows(chunk)]


def test_bar_table_rows_end_at_an_empty_cell():
    assert _cells(["|", "Số: 12/KH-UBND", "|", "Hà Nội, ngày 1", "tháng 2 năm 2025", "|", "|",
                   "ỦY BAN", "|", "CỘNG HÒA", "|"]) == [
        ["Số: 12/KH-UBND", "Hà Nội, ngày 1 tháng 2 năm 2025"], ["ỦY BAN", "CỘNG HÒA"]]


def test_bar_table_empty_cells_inside_a_row_are_kept_until_the_width():
    rows = _cells(["|", "TT", "|", "Tên", "|", "Kết quả", "|", "|", "1", "|", "|", "|", "|", "2", "|", "|", "|", "|"])
    assert rows == [["TT", "Tên", "Kết quả"], ["1", "", ""], ["2", "", ""]]


def test_bar_table_empty_middle_cell_is_a_cell_when_the_rest_fits():
    rows = _cells(["|", "TT", "|", "Nhiệm vụ", "|", "Phối hợp", "|", "Thời gian", "|", "|",
                   "1", "|", "Lập đề án", "|", "|", "Quý IV/2025", "|", "|"])
    assert rows[1] == ["1", "Lập đề án", "", "Quý IV/2025"]


def test_bar_table_row_spanned_sub_row_is_its_own_row():
    """A sub-row whose other cells span from the row above prints fewer cells: the empty cell before it ends the row."""
    rows = _cells(["|", "TT", "|", "Nhiệm vụ", "|", "Chủ trì", "|", "Thời gian", "|", "|",
                   "1", "|", "Lập đề án", "|", "Sở Y tế", "|", "2026", "|", "|",
                   "Triển khai đề án", "|", "Sở Tài chính", "|", "|", "2", "|", "Báo cáo", "|", "Sở Nội vụ", "|", "2027", "|"])
    assert rows[2] == ["Triển khai đề án", "Sở Tài chính"]
    assert rows[3] == ["2", "Báo cáo", "Sở Nội vụ", "2027"]


def test_marks_across_lines_make_a_bold_heading():
    doc = read_markdown("**IV. TỔ CHỨC\nTHỰC HIỆN**\n\n**1. **Sở Tư pháp\nchủ trì.", "x.md")
    heading, item = doc.blocks
    assert (heading.kind, heading.text, heading.bold, heading.marker) == ("heading", "IV. TỔ CHỨC THỰC HIỆN", True, "IV.")
    assert (item.kind, item.text, item.bold, item.line_at(len(item.text) - 3)) == ("list_item", "1. Sở Tư pháp chủ trì.", False, 5)


def test_strip_marks_keeps_escaped_characters():
    assert strip_marks([(r"Điều 3\*\* và *nghiêng*", 1)])[0] == [("Điều 3** và nghiêng", 1)]


def test_pipe_table_with_header():
    text = "| TT | Nhiệm vụ | Cơ quan chủ trì |\n|---|---|---|\n| 1 | Lập đề án | **Sở Y tế** |\n"
    table = read_markdown(text, "x.md").blocks[0]
    assert table.kind == "table"
    assert [[c.text for c in row] for row in table.table.rows()] == [["TT", "Nhiệm vụ", "Cơ quan chủ trì"],
                                                                     ["1", "Lập đề án", "Sở Y tế"]]
    assert table.table.rows()[0][0].kind == "column_header" and table.table.rows()[1][2].bold


def test_hash_headings():
    block = read_markdown("# KẾ HOẠCH\n\nnội dung", "x.md").blocks[0]
    assert (block.kind, block.text) == ("heading", "KẾ HOẠCH")


def test_recipients_and_signature_table_is_furniture():
    doc = read_markdown("|\nNơi nhận:\n- Như Điều 3;\n|\n**TM. ỦY BAN NHÂN DÂN**\n**CHỦ TỊCH**\n|", "x.md")
    assert [b.kind for b in doc.blocks] == ["furniture"]


@pytest.mark.parametrize("name", ["ho-chi-minh-qd-2820-2025.md", "bac-ninh-kh-141-2025.md", "chinh-phu-qd-2623-2025.md"])
def test_portal_pages_read_with_their_header_table(wild_dir, name):
    doc = read_document(wild_dir / name)
    assert doc.format == "markdown"
    header = doc.blocks[0]
    assert header.kind == "table" and header.table.n_rows == 2 and header.table.n_cols == 2
    number, date = header.table.rows()[1]
    assert number.text.startswith("Số:") and "ngày" in date.text and "năm 2025" in date.text
    assert all("**" not in b.text for b in doc.blocks)


def test_portal_task_table_reads_every_row(wild_dir):
    doc = read_document(wild_dir / "ho-chi-minh-qd-2820-2025.md")
    table = next(b for b in doc.tables if b.table.n_rows > 10)
    rows = table.table.rows()
    assert [c.text for c in rows[0]][:3] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì"]
    assert max(len(r) for r in rows) == 7  # no row runs over the header's width
    assert sum(1 for r in rows if r[0].text in {"I", "II", "III", "IV", "V", "VI"}) == 6
