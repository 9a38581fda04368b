"""Numbered tasks "(1) ... (n)" in a plan's body."""

from conftest import YEN_BAI

from policykg.loaders.layout import Heading, Paragraph
from policykg.loaders.context import ExtractContext
from policykg.loaders.tasklist import extract_task_list


def test_yen_bai_has_nineteen_2025_tasks_without_owner(extractions):
    tasks = [t for t in extractions[YEN_BAI].tasks if t.origin == "list"]
    assert [t.number for t in tasks] == [f"({n})" for n in range(1, 20)]
    assert all(t.lead == [] and t.support == [] for t in tasks)
    assert {t.deadline.due for t in tasks} == {"2025-12-31"}
    assert tasks[0].provenance.line_start == 538 and tasks[-1].provenance.line_start == 606
    assert tasks[7].title == "Xây dựng Cổng dữ liệu mở và kho dữ liệu dùng chung của tỉnh Yên Bái."
    assert not [i for i in extractions[YEN_BAI].issues if i.code == "W202"]


def _para(text, line):
    return Paragraph(text, line, line, [0], [line])


def test_declared_count_is_checked():
    paras = [_para("III. NHIỆM VỤ", 1), _para("1. Các nhiệm vụ hoàn thành trong năm 2026 (3 nhiệm vụ)", 2),
             _para("(1) Xây dựng đề án.", 3), _para("(2) Ban hành quy chế.", 4)]
    tasks, issues = extract_task_list(paras, [Heading("roman", "III", "NHIỆM VỤ", 0)], context=ExtractContext("d0", "x.txt"))
    assert len(tasks) == 2 and tasks[0].deadline.due == "2026-12-31"
    assert [i.code for i in issues] == ["W202"]


def test_numbered_items_outside_task_groups_are_not_tasks():
    paras = [_para("II. MỤC TIÊU", 1), _para("1. Mục tiêu chung", 2), _para("(1) Tăng trưởng kinh tế.", 3)]
    tasks, _ = extract_task_list(paras, [Heading("roman", "II", "MỤC TIÊU", 0)], context=ExtractContext("d0", "x.txt"))
    assert tasks == []
