"""Tasks whose lead, support and deadline are labelled fields written right after them."""

from policykg.loaders.context import ExtractContext
from policykg.loaders.inline_tasks import extract_inline_tasks, field_of
from policykg.loaders.nlp import get_nlp
from policykg.loaders.readers.markdown import read_markdown

HEAD = "**KẾ HOẠCH**\n\n**II. NHIỆM VỤ, GIẢI PHÁP**\n\n"


def _tasks(body: str):
    blocks = [b for b in read_markdown(HEAD + body, "x.md").blocks if b.kind not in {"table", "furniture"}]
    docs = list(get_nlp().pipe(b.text for b in blocks))
    return extract_inline_tasks(blocks, docs, context=ExtractContext("d0", "x.md"))


def _read(body: str):
    return [(t.provenance.line_start, t.role, [a.name for a in t.lead], [a.name for a in t.support],
             t.deadline.text if t.deadline else None) for t in _tasks(body)]


def test_fields_after_the_items_of_a_heading():
    body = ("**1. Rà soát, kiện toàn đội ngũ cán bộ**\n\n- Thường xuyên rà soát, kiện toàn đội ngũ.\n\n"
            "- Bố trí công chức làm công tác pháp chế.\n\n"
            "*Đơn vị chủ trì thực hiện: *Sở Nội vụ.\n\n*Đơn vị phối hợp: *Sở Tư pháp, Sở Tài chính.\n\n"
            "*Thời gian thực hiện: *Thường xuyên.\n\n"
            "- Tổ chức tập huấn kỹ năng xây dựng pháp luật.\n\n*Đơn vị chủ trì: *Sở Tư pháp.\n\n"
            "*Thời gian thực hiện: *Năm 2026.\n")
    assert _read(body) == [
        (7, "lead", ["Sở Nội vụ"], ["Sở Tư pháp", "Sở Tài chính"], "Thường xuyên"),
        (9, "lead", ["Sở Nội vụ"], ["Sở Tư pháp", "Sở Tài chính"], "Thường xuyên"),
        (17, "lead", ["Sở Tư pháp"], [], "Năm 2026"),
    ]
    assert _tasks(body)[0].deadline.recurrence == "ongoing" and _tasks(body)[2].deadline.due == "2026-12-31"


def test_heading_is_the_task_when_nothing_stands_between():
    body = ("1. Tổ chức tập huấn chuyên sâu về bảo vệ dữ liệu cá nhân\n\n"
            "- Cơ quan thực hiện: Sở Y tế chủ trì, phối hợp với Sở Nội vụ và các cơ quan có liên quan.\n\n"
            "- Thời gian thực hiện: Quý IV/2025.\n\n"
            "2. Biên soạn tài liệu\n\n- Cơ quan thực hiện: Sở Tư pháp.\n\n- Thời gian thực hiện: năm 2026.\n")
    tasks = _tasks(body)
    assert [(t.number, t.title) for t in tasks] == [("1", "Tổ chức tập huấn chuyên sâu về bảo vệ dữ liệu cá nhân"),
                                                    ("2", "Biên soạn tài liệu")]
    assert _read(body)[0][1:4] == ("lead", ["Sở Y tế"], ["Sở Nội vụ", "Các cơ quan, đơn vị liên quan"])
    assert tasks[0].deadline.due == "2025-12-31" and tasks[0].origin == "inline"


def test_task_field_and_agency_lines_under_an_empty_field():
    body = ("1.1. Xây dựng chiến lược dữ liệu:\n\na) Nhiệm vụ: Tham mưu rà soát, hoàn thiện chiến lược dữ liệu.\n\n"
            "b) Cơ quan thực hiện:\n\n- Đơn vị chủ trì: Sở Khoa học và Công nghệ.\n\n- Đơn vị phối hợp: Sở Nội vụ.\n\n"
            "c) Thời gian thực hiện: Hoàn thành trong năm 2025.\n\n"
            "1.2. Phát triển dữ liệu:\n\na) Nhiệm vụ:\n\n- Chuẩn hóa cơ sở dữ liệu.\n\n- Số hóa hồ sơ.\n\n"
            "b) Cơ quan thực hiện:\n\n- Đơn vị chủ trì: Sở Tài chính.\n")
    tasks = _tasks(body)
    assert [t.title for t in tasks] == ["Tham mưu rà soát, hoàn thiện chiến lược dữ liệu.", "Chuẩn hóa cơ sở dữ liệu.",
                                        "Số hóa hồ sơ."]
    assert [[a.name for a in t.lead] for t in tasks] == [["Sở Khoa học và Công nghệ"], ["Sở Tài chính"], ["Sở Tài chính"]]


def test_content_field_describes_the_activity_above_it():
    body = ("a) Hoạt động 1\n\n- Nội dung: Tổ chức Tháng hành động vì bình đẳng giới.\n\n"
            "- Cơ quan thực hiện:\n\n+ Sở Y tế chủ trì, phối hợp với Sở Nội vụ.\n\n"
            "+ Sở Xây dựng đăng tải thông điệp truyền thông trên bảng điện tử.\n")
    assert _read(body) == [(5, "lead", ["Sở Y tế"], ["Sở Nội vụ"], None),
                           (13, "responsible", ["Sở Xây dựng"], [], None)]


def test_fields_in_the_task_paragraph():
    body = ("- Xây dựng cơ sở dữ liệu giá. Cơ quan chủ trì: Sở Tài chính; Cơ quan phối hợp: Sở Công Thương; "
            "Thời gian thực hiện: Tháng 6/2026.\n")
    tasks = _tasks(body)
    assert [(t.title, t.deadline.due) for t in tasks] == [("Xây dựng cơ sở dữ liệu giá", "2026-06-30")]
    assert [a.name for a in tasks[0].support] == ["Sở Công Thương"]


def test_a_deadline_alone_is_not_a_task():
    body = "**2. Thời gian thực hiện**\n\n- Triển khai trong năm 2025.\n\n- Thời gian thực hiện: Năm 2025.\n"
    assert _tasks(body) == []
    assert field_of("Thời gian thực hiện: Năm 2025.") == "deadline" and field_of("2. Thời gian thực hiện") is None
