"""Duties of "TỔ CHỨC THỰC HIỆN" and decision articles, on the corpus and on text of the genre."""

from conftest import PHU_THO, VINH_LONG, VINH_PHUC, YEN_BAI

from policykg.evaluation import score_duties
from policykg.loaders.extract import extract_document, extract_source
from policykg.loaders.nlp import gazetteer_entries
from policykg.loaders.readers.markdown import read_markdown
from policykg.loaders.source import SourceText
from policykg.text import fold, fold_chars


def _duties(extractions, file):
    return [t for t in extractions[file].tasks if t.origin == "duties"]


def test_vinh_long_duties_match_answers(extractions, load_eval):
    score = score_duties(extractions[VINH_LONG], load_eval("001.json"))
    assert (score.expected, score.found, score.role, score.agencies, score.partners, score.extra) == (17, 17, 17, 17, 17, 0)


def test_vinh_phuc_duties_match_answers(extractions, load_eval):
    score = score_duties(extractions[VINH_PHUC], load_eval("000_head_A.json"))
    assert score.expected == 30 and score.found == 30 and score.extra == 0
    assert score.role == 30 and score.agencies == 30
    # one bullet prints "đơn vịcó liên quan" (words glued by the PDF): that partner is kept as printed
    assert score.partners >= 29


def test_support_bullet_makes_partner_lead(extractions):
    bullet = next(t for t in _duties(extractions, VINH_LONG) if t.provenance.line_start == 608)
    assert bullet.role == "support"
    assert [a.name for a in bullet.lead][0] == "Sở Khoa học và Công nghệ"
    assert [a.name for a in bullet.support] == ["Sở Kế hoạch và Đầu tư"]


def test_decision_article_assigns_the_plan(extractions):
    article = next(t for t in _duties(extractions, VINH_LONG) if t.section == ["Điều 2"])
    assert article.role == "lead" and [a.key for a in article.lead] == ["so-khoa-hoc-va-cong-nghe"]


def test_ocr_duties_get_proper_names(extractions):
    duties = _duties(extractions, PHU_THO)
    leads = {a.name for t in duties for a in t.lead}
    assert {"Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Công an tỉnh",
            "Sở Văn hóa, Thể thao và Du lịch"} <= leads
    police = next(t for t in duties if t.section[-1].startswith("7.") and t.role == "lead")
    assert [a.name for a in police.support][:2] == ["Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh"]
    known_forms = {e.folded for e in gazetteer_entries()}
    # named agencies matched through OCR damage carry less than full confidence (collectives are matched by their head word)
    repaired = [a for t in duties for a in t.lead + t.support if a.key and not a.collective and fold(a.text) not in known_forms]
    assert repaired and all(a.confidence < 1.0 for a in repaired)


def test_unknown_agency_heading_is_kept_and_reported(extractions):
    unresolved = [a for t in _duties(extractions, PHU_THO) for a in t.lead if a.key is None and not a.collective]
    assert unresolved and unresolved[0].text.startswith("Ban Chi dao")
    assert unresolved[0].confidence <= 0.5
    assert any(i.code == "W201" for i in extractions[PHU_THO].issues)


def test_numbered_sentences_with_assignments(extractions):
    duties = _duties(extractions, YEN_BAI)
    assert [(t.role, [a.key for a in t.lead]) for t in duties][0] == ("lead", ["so-khoa-hoc-va-cong-nghe"])
    front = duties[-1]  # "Đề nghị Ủy ban MTTQ ... phối hợp ...": a request to the Front and the mass organisations
    assert front.role == "requested" and len(front.lead) == 2 and front.support == []


PLAN = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN
Số: 120/KH-UBND
Nghệ An, ngày 05 tháng 3 năm 2024
KẾ HOẠCH
Triển khai thực hiện Quyết định số 569/QĐ-TTg ngày 11/5/2022
của Thủ tướng Chính phủ trên địa bàn tỉnh
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Thực hiện Quyết định số 569/QĐ-TTg ngày 11/5/2022 của Thủ tướng Chính phủ, UBND tỉnh ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Cụ thể hóa các nhiệm vụ tại Quyết định số 569/QĐ-TTg.
II. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
- Chủ trì, phối hợp với Sở Xây dựng, Sở Tài chính và các đơn vị liên quan
triển khai các nội dung của Kế hoạch.
- Phối hợp với Sở Nội vụ rà soát tổ chức bộ máy.
2. Sở Ngoại vụ: Chủ trì, phối hợp với Sở KH&CN thu hút chuyên gia nước ngoài.
3. UBND các huyện, thị xã, thành phố
Tổ chức thực hiện Kế hoạch trên địa bàn.
Trên đây là Kế hoạch thực hiện Quyết định số 569/QĐ-TTg của UBND tỉnh./.
Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def test_plan_of_another_province():
    lines = PLAN.splitlines()
    ex = extract_source(SourceText("nghe-an.txt", lines, [fold_chars(l) for l in lines]))
    plan = ex.documents[0]
    assert (plan.number, plan.province, plan.issuer, plan.date) == ("120/KH-UBND", "Nghệ An", "UBND tỉnh Nghệ An", "2024-03-05")
    duties = [(t.number, t.role, [a.name for a in t.lead], [a.name for a in t.support]) for t in ex.tasks]
    assert duties == [
        ("1.1", "lead", ["Sở Y tế"], ["Sở Xây dựng", "Sở Tài chính", "Các cơ quan, đơn vị liên quan"]),
        ("1.2", "support", ["Sở Nội vụ"], ["Sở Y tế"]),
        ("2.1", "lead", ["Sở Ngoại vụ"], ["Sở Khoa học và Công nghệ"]),
        ("3.1", "responsible", ["UBND cấp huyện"], []),
    ]
    relations = {(c.relation, c.number or c.name) for c in ex.citations if c.subject == plan.key}
    assert ("IMPLEMENTS", "569/QĐ-TTg") in relations and ("BASED_ON", "Luật Tổ chức chính quyền địa phương") in relations
    assert not [i for i in ex.issues if i.code in {"W101", "W102", "W106"}]


# --- Rules of the genre, on small Markdown documents as the legal portals publish them --------------------


HEAD = """ỦY BAN NHÂN DÂN TỈNH NGHỆ AN

Số: 12/KH-UBND

Nghệ An, ngày 05 tháng 3 năm 2025

**KẾ HOẠCH**

**Triển khai thực hiện Nghị quyết số 57-NQ/TW**

**I. MỤC ĐÍCH, YÊU CẦU**

- Xác định rõ trách nhiệm của các cơ quan, đơn vị.

"""


def _read(body: str, head: str = HEAD) -> list[tuple[str, list[str], list[str]]]:
    """(role, leads, supports) of each duty of a Markdown document."""
    ex = extract_document(read_markdown(head + body, "x.md"))
    return [(t.role, [a.name for a in t.lead], [a.name for a in t.support]) for t in ex.tasks if t.origin == "duties"]


def test_section_names_that_assign_duties():
    for title in ("**III. PHÂN CÔNG NHIỆM VỤ**", "**IV. PHÂN CÔNG TRÁCH NHIỆM**", "**V. TRÁCH NHIỆM THỰC HIỆN**",
                  "**IV.**\n\n**TỔ CHỨC THỰC HIỆN**", "**IV. TỔ CHỨC**\n\n**THỰC HIỆN**"):
        body = f"{title}\n\n**1. Sở Y tế**\n\n- Hướng dẫn các cơ sở y tế triển khai.\n"
        assert _read(body) == [("responsible", ["Sở Y tế"], [])], title


def test_numbered_duties_section_and_requirements_outside_it():
    body = ("**II. NỘI DUNG**\n\n- Sở Tài chính có trách nhiệm bố trí kinh phí.\n\n"
            "**3. Tổ chức thực hiện**\n\n- Sở Tài chính có trách nhiệm bố trí kinh phí.\n")
    assert _read(body) == [("responsible", ["Sở Tài chính"], [])]


def test_agency_blocks_of_any_depth():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Các sở, ngành**\n\n**1.1. Sở Y tế**\n\n- Hướng dẫn triển khai.\n\n"
            "a) Sở Nội vụ:\n\n+ Rà soát tổ chức bộ máy.\n\n- Công an tỉnh: Bảo đảm an ninh trật tự.\n")
    assert _read(body) == [("responsible", ["Sở Y tế"], []), ("responsible", ["Sở Nội vụ"], []),
                           ("responsible", ["Công an tỉnh"], [])]


def test_agency_blocks_outside_a_duties_section_and_split_headings():
    body = ("**II. NHIỆM VỤ CỤ THỂ**\n\n**1. Sở Khoa học và**\n\n**Công nghệ**\n\n- Chủ trì xây dựng cơ sở dữ liệu.\n\n"
            "**2. Sở Tài chính, Sở Nội vụ**\n\n- Bố trí kinh phí, biên chế.\n")
    assert _read(body) == [("lead", ["Sở Khoa học và Công nghệ"], []),
                           ("responsible", ["Sở Tài chính", "Sở Nội vụ"], [])]


def test_split_agency_heading_in_pdf_text():
    lines = PLAN.splitlines()
    at = lines.index("3. UBND các huyện, thị xã, thành phố")
    lines[at:at + 1] = ["3. Sở", "Khoa học và Công nghệ"]
    ex = extract_source(SourceText("nghe-an.txt", lines, [fold_chars(l) for l in lines]))
    assert [(t.role, [a.name for a in t.lead]) for t in ex.tasks][-1] == ("responsible", ["Sở Khoa học và Công nghệ"])


def test_heading_with_its_duty_after_a_colon():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n6. Văn phòng UBND tỉnh: Chủ trì, phối hợp với Sở Tư pháp theo dõi việc thực hiện.\n\n"
            "7. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh: Tăng cường giám sát, phản biện xã hội.\n")
    assert _read(body) == [("lead", ["Văn phòng UBND tỉnh"], ["Sở Tư pháp"]),
                           ("requested", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], [])]


def test_role_sub_blocks_give_their_role_to_the_items_below():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Sở Y tế**\n\na) Chủ trì thực hiện các nhiệm vụ:\n\n"
            "- Xây dựng kế hoạch phòng dịch.\n\n- Kiểm tra an toàn thực phẩm.\n\n"
            "b) Phối hợp với Sở Tài chính thực hiện:\n\n- Thẩm định dự toán.\n\n- Sở Nội vụ bố trí biên chế.\n")
    assert _read(body) == [
        ("lead", ["Sở Y tế"], []), ("lead", ["Sở Y tế"], []),
        ("support", ["Sở Tài chính"], ["Sở Y tế"]), ("responsible", ["Sở Nội vụ"], []),
    ]


def test_a_duty_whose_items_detail_it_is_one_duty():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Sở Y tế**\n\n- Thực hiện chế độ báo cáo định kỳ như sau:\n\n"
            "+ Tên báo cáo: báo cáo tình hình thực hiện.\n\n+ Thời hạn gửi: trước ngày 15/12.\n\n- Kiểm tra việc thực hiện.\n")
    assert _read(body) == [("responsible", ["Sở Y tế"], []), ("responsible", ["Sở Y tế"], [])]


def test_role_phrasings():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Sở Y tế**\n\n"
            "- Chủ trì, phối hợp với Sở Tài chính lập dự toán.\n\n"
            "- Phối hợp với Sở Nội vụ rà soát biên chế.\n\n"
            "- Chủ động phối hợp với Công an tỉnh bảo đảm an ninh.\n\n"
            "- Căn cứ chức năng, nhiệm vụ được giao, chủ trì, phối hợp với Sở Tư pháp rà soát văn bản.\n\n"
            "- Khuyến khích các doanh nghiệp tham gia.\n\n"
            "- Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp tuyên truyền.\n\n"
            "- Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính bố trí biên chế.\n\n"
            "- Giao Thanh tra tỉnh kiểm tra việc thực hiện.\n\n"
            "- Sở Xây dựng chủ động phối hợp với Sở Tài chính thẩm định.\n\n"
            "- Tổ chức tập huấn cho cán bộ y tế.\n")
    assert _read(body) == [
        ("lead", ["Sở Y tế"], ["Sở Tài chính"]),
        ("support", ["Sở Nội vụ"], ["Sở Y tế"]),
        ("support", ["Công an tỉnh"], ["Sở Y tế"]),
        ("lead", ["Sở Y tế"], ["Sở Tư pháp"]),
        ("encouraged", ["Các doanh nghiệp"], []),
        ("requested", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], []),
        ("lead", ["Sở Nội vụ"], ["Sở Tài chính"]),
        ("responsible", ["Thanh tra tỉnh"], []),
        ("support", ["Sở Tài chính"], ["Sở Xây dựng"]),
        ("responsible", ["Sở Y tế"], []),
    ]


def test_request_block_makes_every_item_a_request():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n**3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức "
            "chính trị - xã hội**\n\n- Tuyên truyền, vận động Nhân dân.\n\n- Chủ trì, phối hợp với Sở Y tế giám sát.\n")
    front = ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các tổ chức chính trị - xã hội"]
    assert _read(body) == [("requested", front, []), ("requested", front, ["Sở Y tế"])]


def test_actors_of_their_own_in_a_duties_section():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n1. Sở Tài chính chủ trì, phối hợp với các sở, ngành bố trí kinh phí.\n\n"
            "2. Các sở, ban, ngành có trách nhiệm xây dựng kế hoạch; định kỳ báo cáo kết quả.\n\n"
            "3. Giao Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này.\n\n"
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các cơ quan, đơn vị phản ánh về Sở Tư pháp.\n")
    roles = _read(body)
    assert [r[0] for r in roles] == ["lead", "responsible", "responsible", "requested"]
    assert roles[0][1] == ["Sở Tài chính"] and roles[2][1] == ["Sở Tư pháp"]


DECISION = """ỦY BAN NHÂN DÂN TỈNH NGHỆ AN

Số: 95/2025/QĐ-UBND

Nghệ An, ngày 05 tháng 3 năm 2025

**QUYẾT ĐỊNH**

**Ban hành Quy chế phối hợp**

**QUYẾT ĐỊNH:**

**Điều 1.** Ban hành kèm theo Quyết định này Quy chế phối hợp.

**Điều 2.** Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp hướng dẫn thực hiện Quy chế.

**Điều 3.** Quyết định này có hiệu lực kể từ ngày 10 tháng 3 năm 2025.

**Điều 4.** Chánh Văn phòng UBND tỉnh, Giám đốc các Sở, Chủ tịch UBND các xã, phường và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.

**QUY CHẾ**

**Chương I**

**QUY ĐỊNH CHUNG**

**Điều 1. Phạm vi điều chỉnh**

1. Sở Tài chính có trách nhiệm quản lý tài sản công.

**Chương II**

**TỔ CHỨC THỰC HIỆN**

**Điều 12. Trách nhiệm của Sở Tài chính**

1. Hướng dẫn các cơ quan, đơn vị lập dự toán.

2. Chủ trì, phối hợp với Sở Nội vụ kiểm tra việc thực hiện.

**Điều 13. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh**

1. Tham gia giám sát việc thực hiện Quy chế.

**Điều 14. Nội dung Công an tỉnh có trách nhiệm chủ trì**

1. Nắm tình hình an ninh, trật tự.
"""


def test_decision_articles_and_regulation_chapters():
    duties = _read("", head=DECISION)
    assert duties == [
        ("lead", ["Sở Nội vụ"], ["Sở Tư pháp"]),  # Điều 2; not Điều 3 (entry into force), not Điều 4 (enacting clause)
        ("responsible", ["Sở Tài chính"], []),  # the articles of the chapter "TỔ CHỨC THỰC HIỆN"; not Chương I
        ("lead", ["Sở Tài chính"], ["Sở Nội vụ"]),
        ("requested", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], []),
        ("lead", ["Công an tỉnh"], []),
    ]


def test_names_the_gazetteer_lacks_are_kept_as_printed():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Ban Chỉ đạo phát triển khoa học, công nghệ tỉnh**\n\n"
            "- Chỉ đạo triển khai toàn diện.\n\n"
            "**2. Các đơn vị cấp nước sạch trên địa bàn tỉnh có trách nhiệm**\n\n- Mở rộng mạng lưới cấp nước.\n")
    ex = extract_document(read_markdown(HEAD + body, "x.md"))
    leads = [t.lead[0] for t in ex.tasks]
    assert [a.name for a in leads] == ["Ban Chỉ đạo phát triển khoa học, công nghệ tỉnh",
                                       "Các đơn vị cấp nước sạch trên địa bàn tỉnh"]
    assert all(a.key is None and a.confidence <= 0.5 for a in leads)
    assert any(i.code == "W201" for i in ex.issues)


def test_closing_paragraphs_are_not_duties():
    body = ("**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Sở Y tế**\n\n- Hướng dẫn các cơ sở y tế triển khai.\n\n"
            "Kế hoạch này thay thế Kế hoạch số 371/KH-UBND ngày 31/7/2023 của UBND tỉnh.\n\n"
            "Ủy ban nhân dân tỉnh giao Giám đốc các sở, Thủ trưởng các ban, ngành triển khai thực hiện./.\n")
    assert _read(body) == [("responsible", ["Sở Y tế"], [])]


def test_phoi_hop_without_voi_keeps_the_partner_whole():
    """ "Phối hợp Văn phòng ..." (no "với"): the partner's name is not cut as if "Văn" were "với"."""
    from policykg.loaders.extract import extract_document
    from policykg.loaders.readers.markdown import read_markdown

    text = ("**KẾ HOẠCH**\n\n**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Sở Xây dựng**\n\n"
            "- Phối hợp Văn phòng đăng ký đất đai đo đạc thửa đất.\n\n- Phối hợp v&i Sở Y tế kiểm tra.\n\n"
            "- Phéi h0’p vo1 Sở Nội vụ tập huấn.\n")
    tasks = extract_document(read_markdown(text, "x.md")).tasks
    assert [([m.name for m in t.lead], t.role) for t in tasks] == [(["Văn phòng Đăng ký đất đai"], "support"),
                                                                   (["Sở Y tế"], "support"), (["Sở Nội vụ"], "support")]


def test_a_list_of_partners_ends_where_no_group_of_agencies_starts():
    """ "… và các khu vực đẩy nhanh …": "các khu vực" (areas) is no group of agencies, "các đơn vị trực thuộc" is."""
    from policykg.loaders.extract import extract_document
    from policykg.loaders.readers.markdown import read_markdown

    text = ("**KẾ HOẠCH**\n\n**IV. TỔ CHỨC THỰC HIỆN**\n\n**1. Công an tỉnh**\n\n"
            "- Phối hợp với Tòa án nhân dân tỉnh và các khu vực đẩy nhanh tiến độ xét xử.\n\n"
            "- Phối hợp với Sở Y tế và các đơn vị trực thuộc tổ chức tập huấn.\n")
    first, second = extract_document(read_markdown(text, "x.md")).tasks
    assert [m.name for m in first.lead] == ["Tòa án nhân dân tỉnh"]
    assert [m.name for m in second.lead][:1] == ["Sở Y tế"] and len(second.lead) == 2
