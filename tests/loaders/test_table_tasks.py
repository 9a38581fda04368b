"""Appendix tables of PDF text: every numbered row a task, with its cells in the right columns."""

import pytest
from conftest import VINH_PHUC

from policykg.evaluation import score_table_tasks
from policykg.loaders.cells import line_features, segment
from policykg.loaders.extract import extract_source
from policykg.loaders.source import SourceText
from policykg.loaders.tables import Column, header_columns
from policykg.text import fold_chars


def _table_tasks(extractions, file):
    return [t for t in extractions[file].tasks if t.origin == "table"]


def test_all_87_rows_of_the_vinh_phuc_appendix(extractions):
    tasks = _table_tasks(extractions, VINH_PHUC)
    assert [t.number for t in tasks] == [str(n) for n in range(1, 88)]
    sections = {t.number: t.section for t in tasks}
    assert sections["1"][:3] == ["Phụ lục 1", "A. CÁC NỘI DUNG, NHIỆM VỤ ĐÃ PHÊ DUYỆT", "I. Kế hoạch thường xuyên hàng năm"]
    assert sections["31"][-1] == "C. Kế hoạch đến năm 2030"
    assert sections["46"][1] == "B. CÁC CHƯƠNG TRÌNH, NHIỆM VỤ KHÁC"
    assert sections["60"][-1].startswith("II. Nhiệm vụ được xác định tại Quyết định số 669/QĐ-UBND")


@pytest.mark.parametrize(("answers", "lead", "support", "deadline", "output"), [
    ("000_head_A.json", 45, 41, 40, 41),
    ("000_B.json", 40, 37, 40, 37),
])
def test_rows_agree_with_hand_checked_answers(extractions, load_eval, answers, lead, support, deadline, output):
    score = score_table_tasks(extractions[VINH_PHUC], load_eval(answers))
    assert score.found == score.expected
    assert score.title >= score.expected - 1
    assert (score.lead, score.support, score.deadline, score.output) >= (lead, support, deadline, output), score.misses


def test_single_responsibility_column(extractions):
    row = next(t for t in _table_tasks(extractions, VINH_PHUC) if t.number == "2")
    assert [a.name for a in row.lead] == ["Sở Y tế"]  # "Sở Y tế và các sở, ban, ngành, ...": first agency leads
    assert [a.key for a in row.support] == ["cac-so-ban-nganh", "ubnd-cap-huyen", "cac-co-quan-don-vi-lien-quan"]
    assert row.output == "Kế hoạch số 2367/KH-UBND ngày 09/4/2018"
    assert row.deadline.recurrence == "yearly" and row.deadline.start == "2018-01-01"


def test_page_break_inside_a_row_keeps_the_title_whole(extractions):
    row = next(t for t in _table_tasks(extractions, VINH_PHUC) if t.number == "3")
    assert row.title.endswith("sức khỏe nhân dân trong tình hình mới.")
    assert "khỏe" not in " ".join(a.text for a in row.lead + row.support)


def test_named_local_agency_is_kept_by_its_name(extractions, corpus_graph):
    row = next(t for t in _table_tasks(extractions, VINH_PHUC) if t.number == "59")
    assert [(a.text, a.key) for a in row.lead] == [("UBND thành phố Vĩnh Yên", None)]  # not in the gazetteer
    assert not any(i.code == "W201" and "Vĩnh Yên" in i.message for i in extractions[VINH_PHUC].issues)
    node = corpus_graph.nodes["agency:vinh-phuc:ubnd-thanh-pho-vinh-yen"]
    assert node["resolved"] and node["agency_kind"] == "UBND cấp huyện"


def test_unreadable_agency_is_kept_unresolved_and_reported(extractions):
    assert any(i.code == "W201" and "UBND các Năm huyện" in i.message for i in extractions[VINH_PHUC].issues)


def test_header_columns_in_any_order():
    assert header_columns("STT Nội dung Thời gian hoàn thành Cơ quan phối hợp Cơ quan chủ trì Sản phẩm") == [
        Column.NUMBER, Column.TITLE, Column.DEADLINE, Column.SUPPORT, Column.LEAD, Column.OUTPUT]


TABLE = """KẾ HOẠCH
Thực hiện Nghị quyết số 57-NQ/TW trên địa bàn tỉnh
I. TỔ CHỨC THỰC HIỆN
Các sở, ngành triển khai các nhiệm vụ tại Phụ lục kèm theo./.
PHỤ LỤC
STT
Nội dung nhiệm vụ
Thời gian
hoàn thành
Cơ quan
phối hợp
Cơ quan chủ
trì
Sản phẩm
I Chuyển đổi số
1.
Xây dựng kho dữ liệu dùng chung của
tỉnh phục vụ chỉ đạo điều hành
Quý IV/2026
Sở Tài chính; Văn
phòng UBND tỉnh
Sở Khoa học và
Công nghệ
Hệ thống được
vận hành
2.
Ban hành quy chế khai thác dữ liệu
Năm 2025
Các sở, ban, ngành
Sở Nội vụ
Quyết định của
UBND tỉnh
"""


def test_a_table_of_another_layout():
    lines = TABLE.splitlines()
    ex = extract_source(SourceText("t.txt", lines, [fold_chars(line) for line in lines]))
    rows = [t for t in ex.tasks if t.origin == "table"]
    got = [(t.number, t.title, [a.name for a in t.lead], [a.name for a in t.support], t.deadline.due, t.output) for t in rows]
    assert got == [
        ("1", "Xây dựng kho dữ liệu dùng chung của tỉnh phục vụ chỉ đạo điều hành", ["Sở Khoa học và Công nghệ"],
         ["Sở Tài chính", "Văn phòng UBND tỉnh"], "2026-12-31", "Hệ thống được vận hành"),
        ("2", "Ban hành quy chế khai thác dữ liệu", ["Sở Nội vụ"], ["Các sở, ban, ngành"], "2025-12-31",
         "Quyết định của UBND tỉnh"),
    ]
    assert rows[0].section == ["PHỤ LỤC", "I. Chuyển đổi số"]


def test_segment_prefers_cells_that_start_with_a_capital():
    lines = ["Xây dựng đề án phát triển", "nguồn nhân lực", "Sở Nội vụ", "Năm 2025"]
    blocks = segment(line_features(lines), [Column.TITLE, Column.LEAD, Column.DEADLINE])
    assert blocks == [[0, 1], [2], [3]]
