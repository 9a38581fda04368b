"""Task and indicator tables read from cells (Markdown and HTML pages): headers in any wording, spans,
groups, sub-groups and numbering that restarts."""

from __future__ import annotations

from policykg.loaders.cell_tables import cell_table_tasks, cell_targets, table_layout
from policykg.loaders.context import ExtractContext
from policykg.loaders.document import Block, Cell, Table
from policykg.loaders.readers.html import read_html
from policykg.loaders.tables import Column

CTX = ExtractContext(document="d0", file="x.md")


def _table(rows: list[list[str]]) -> Block:
    cells = [Cell(r, c, text, line_start=100 + r, line_end=100 + r) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Block("table", "", 100, 100 + len(rows), table=Table(cells))


def _rows(blocks: list[Block]) -> list[tuple]:
    tasks, _, _ = cell_table_tasks(blocks, context=CTX)
    return [(t.section, t.number, t.title, [m.name for m in t.lead], [m.name for m in t.support],
             t.deadline.text if t.deadline else None, t.output) for t in tasks]


def test_column_wording_variants():
    layout = table_layout(_table([["STT", "Nội dung công việc", "Đơn vị thực hiện", "Đơn vị phối hợp", "Sản phẩm", "Tiến độ"]]).table)
    assert layout.columns == [Column.NUMBER, Column.TITLE, Column.LEAD, Column.SUPPORT, Column.OUTPUT, Column.DEADLINE]
    alone = table_layout(_table([["TT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian"]]).table)
    assert alone.columns == [Column.NUMBER, Column.TITLE, Column.RESPONSIBLE, Column.DEADLINE]


def test_letter_groups_numbered_subgroups_and_restarted_numbers():
    rows = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
            ["A", "NHIỆM VỤ TRỌNG TÂM"],
            ["1", "Hạ tầng số"],
            ["1", "Nâng cấp mạng", "Sở Khoa học và Công nghệ", "Sở Tài chính", "2026"],
            ["2", "Kho dữ liệu", "Sở Tài chính", "", "2027"],
            ["B", "NHIỆM VỤ KHÁC"],
            ["1", "Đào tạo", "Sở Nội vụ", "Các sở, ban, ngành", "Hằng năm"]]
    block = _table(rows)
    for cell in block.table.cells:
        if cell.row == 2:
            cell.bold = True  # the sub-group's title is printed bold
    got = _rows([block])
    assert [(s, n, t) for s, n, t, *_ in got] == [
        (["A. NHIỆM VỤ TRỌNG TÂM", "1. Hạ tầng số"], "1", "Nâng cấp mạng"),
        (["A. NHIỆM VỤ TRỌNG TÂM", "1. Hạ tầng số"], "2", "Kho dữ liệu"),
        (["B. NHIỆM VỤ KHÁC"], "1", "Đào tạo"),
    ]
    assert got[1][4] == [] and got[2][4] == ["Các sở, ban, ngành"]


def test_header_cell_spanning_number_and_task_in_markdown():
    """The crawl loses the span: the header has one cell fewer than the rows, whose first cell is a number."""
    got = _rows([_table([["Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"],
                         ["1", "Rà soát văn bản", "Sở Tư pháp", "Sở Nội vụ", "Quý IV/2025"],
                         ["2", "Tập huấn", "Sở Tư pháp", "", "2026"]])])
    assert [(n, t, lead) for _, n, t, lead, *_ in got] == [("1", "Rà soát văn bản", ["Sở Tư pháp"]), ("2", "Tập huấn", ["Sở Tư pháp"])]


def test_header_cell_spanning_number_and_task_in_html():
    page = """<table><tr><th colspan="2">Nội dung nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th><th>Kết quả</th></tr>
    <tr><td>1</td><td>Lập đề án</td><td>Sở Y tế</td><td>Sở Tài chính</td><td>Đề án</td></tr></table>"""
    got = _rows(read_html(page, "x.html").blocks)
    assert got == [([], "1", "Lập đề án", ["Sở Y tế"], ["Sở Tài chính"], None, "Đề án")]


def test_two_header_rows_in_markdown_split_the_generic_column():
    got = _rows([_table([["TT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian"],
                         ["Chủ trì", "Phối hợp"],
                         ["1", "Lập quy hoạch", "Sở Xây dựng", "UBND cấp xã", "2026"]])])
    assert got == [([], "1", "Lập quy hoạch", ["Sở Xây dựng"], ["UBND cấp xã"], "2026", None)]


def test_repeated_header_and_column_numbers_are_skipped():
    got = _rows([_table([["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"], ["(1)", "(2)", "(3)", "(4)"],
                         ["1", "Lập đề án", "Sở Y tế", "2026"], ["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
                         ["2", "Báo cáo", "Sở Y tế", "2027"]])])
    assert [n for _, n, *_ in got] == ["1", "2"]


def test_tables_that_are_not_task_tables_give_nothing():
    assert _rows([_table([["TT", "Họ tên chủ hộ", "Kết quả bình xét"], ["1", "", ""]])]) == []


def test_indicator_table_gives_targets_with_monitors():
    block = _table([["TT", "Chỉ tiêu", "Cơ quan chủ trì theo dõi, đánh giá"],
                    ["I", "Đến năm 2030"],
                    ["1", "100% hồ sơ được xử lý trực tuyến", "Văn phòng UBND tỉnh"],
                    ["2", "Tỷ lệ dân số có danh tính số đạt 90%", "Công an tỉnh; Sở Khoa học và Công nghệ"]])
    targets = cell_targets([block], context=CTX)
    assert [(t.number, t.year, [m.name for m in t.monitor]) for t in targets] == [
        ("1", 2030, ["Văn phòng UBND tỉnh"]), ("2", 2030, ["Công an tỉnh", "Sở Khoa học và Công nghệ"])]
    assert cell_table_tasks([block], context=CTX)[0] == []
