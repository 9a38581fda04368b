"""The HTML reader: blocks, bold, and tables with row and column spans, as the portals serve them."""

from __future__ import annotations

from policykg.loaders import extract_file
from policykg.loaders.readers.html import read_html

PAGE = """<!DOCTYPE html>
<html><head><title>x</title><script>var a = "<p>KẾ HOẠCH</p>";</script></head>
<body>
<table><tr><td><b>ỦY BAN NHÂN DÂN<br>TỈNH NGHỆ AN</b></td><td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc</td></tr>
<tr><td>Số: 99/KH-UBND</td><td><i>Nghệ An, ngày 3 tháng 11 năm 2025</i></td></tr></table>
<p align="center"><b>KẾ HOẠCH</b></p>
<p align="center"><b>Triển khai chuyển đổi số năm 2026</b></p>
<p>Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, UBND tỉnh ban hành Kế hoạch như sau:</p>
<p><b>I. TỔ CHỨC THỰC HIỆN</b></p>
<p><b>1. Sở Khoa học và Công nghệ</b></p>
<p>- Chủ trì, phối hợp với Sở Tài chính xây dựng kho dữ liệu dùng chung.</p>
<p><b>PHỤ LỤC</b></p>
<table>
<tr><th rowspan="2">TT</th><th rowspan="2">Nhiệm vụ</th><th colspan="2">Cơ quan thực hiện</th><th rowspan="2">Thời gian</th></tr>
<tr><th>Chủ trì</th><th>Phối hợp</th></tr>
<tr><td><b>I</b></td><td colspan="4"><b>Hạ tầng số</b></td></tr>
<tr><td>1</td><td>Nâng cấp trung tâm dữ liệu</td><td rowspan="2">Sở Khoa học và Công nghệ</td><td>Sở Tài chính</td><td>Quý IV/2026</td></tr>
<tr><td>2</td><td>Kết nối mạng chuyên dùng</td><td>Công an tỉnh</td><td>Năm 2026</td></tr>
</table>
<p>Nơi nhận:</p>
</body></html>
"""


def test_blocks_and_bold():
    doc = read_html(PAGE, "plan.html")
    texts = [(b.kind, b.text) for b in doc.blocks if b.kind != "table"]
    assert ("heading", "KẾ HOẠCH") in texts
    assert ("list_item", "- Chủ trì, phối hợp với Sở Tài chính xây dựng kho dữ liệu dùng chung.") in texts
    assert all("var a" not in b.text for b in doc.blocks)  # scripts are not text


def test_spans_are_kept():
    table = read_html(PAGE, "plan.html").tables[-1].table
    grid = table.grid()
    assert grid[0][2].text == "Cơ quan thực hiện" and grid[0][3] is grid[0][2]
    assert grid[4][2].text == "Sở Khoa học và Công nghệ"  # the lead spans rows 1 and 2
    assert grid[2][1].col_span == 4


def test_lines_are_source_lines():
    doc = read_html(PAGE, "plan.html")
    heading = next(b for b in doc.blocks if b.text == "KẾ HOẠCH")
    assert PAGE.split("\n")[heading.line_start - 1].count("KẾ HOẠCH") == 1


def test_html_page_extracts_head_duties_and_table_tasks(tmp_path):
    path = tmp_path / "nghe-an-99.txt"  # an HTML page saved with .txt: sniffed from its content
    path.write_text(PAGE, encoding="utf-8")
    ex = extract_file(path)
    plan = ex.documents[0]
    assert (plan.kind, plan.number, plan.issuer, plan.date) == ("Kế hoạch", "99/KH-UBND", "UBND tỉnh Nghệ An", "2025-11-03")
    duty = next(t for t in ex.tasks if t.origin == "duties")
    assert [m.name for m in duty.lead] == ["Sở Khoa học và Công nghệ"] and [m.name for m in duty.support] == ["Sở Tài chính"]
    rows = [(t.number, t.section[-1], [m.name for m in t.lead], [m.name for m in t.support]) for t in ex.tasks if t.origin == "table"]
    assert rows == [("1", "I. Hạ tầng số", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính"]),
                    ("2", "I. Hạ tầng số", ["Sở Khoa học và Công nghệ"], ["Công an tỉnh"])]


# --- what the fuzzer found (tests/loaders/test_fuzz.py) -----------------------------------------------


def test_spans_are_read_as_a_browser_reads_them():
    """``rowspan="²"`` passed str.isdigit() and crashed int(); "3px" and " 2" are 3 and 2, as in a browser."""
    page = ('<table><tr><td rowspan="²">a</td><td colspan="3px">b</td><td colspan=" 2">c</td>'
            '<td rowspan="-1" colspan="x">d</td></tr></table>')
    cells = read_html(page, "a.html").tables[0].table.cells
    assert [(c.text, c.row_span, c.col_span) for c in cells] == [("a", 1, 1), ("b", 1, 3), ("c", 1, 2), ("d", 1, 1)]


def test_huge_spans_are_clipped_to_the_table():
    """A rowspan of 10^8 made the reader mark 10^8 grid positions (a hang, then memory): a span reaches no
    further than the table's last row, and no table is wider than 1000 columns."""
    import signal

    def expire(signum, frame):
        raise TimeoutError("the spans were not clipped")

    page = ('<table><tr><td rowspan="99999999" colspan="1000000000">a</td><td>b</td></tr>'
            '<tr><td>c</td></tr></table>')
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    try:
        table = read_html(page, "a.html").tables[0].table
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [(c.text, c.row, c.col, c.row_span, c.col_span) for c in table.cells] == [
        ("a", 0, 0, 2, 1000), ("b", 0, 1000, 1, 1), ("c", 1, 1000, 1, 1)]
    assert (table.n_rows, table.n_cols) == (2, 1001)
    assert len(table.grid()) == 2


def test_deeply_nested_elements_are_read_without_recursion_or_quadratic_time():
    """3000 nested ``div``s overflowed the stack (RecursionError); 20000 nested ``b``s around text took
    half a minute (each piece of text walked all its parents)."""
    import time

    for tag, depth in (("div", 3000), ("ul><li", 3000), ("b", 20000)):
        page = "<p>KẾ HOẠCH</p>" + f"<{tag}>x" * depth + "chữ"
        start = time.perf_counter()
        doc = read_html(page, "a.html")
        assert time.perf_counter() - start < 10
        assert doc.blocks[0].text == "KẾ HOẠCH" and doc.blocks[-1].text.endswith("xchữ")
