"""Duties of "TỔ CHỨC THỰC HIỆN" and decision articles, on the corpus and on text of the genre."""

from conftest import PHU_THO, VINH_LONG, VINH_PHUC, YEN_BAI

from policykg.evaluation import score_duties
from policykg.loaders.extract import extract_source
from policykg.loaders.nlp import gazetteer_entries
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
    repaired = [a for t in duties for a in t.lead + t.support if a.key and fold(a.text) not in known_forms]
    assert repaired and all(a.confidence < 1.0 for a in repaired)


def test_unknown_agency_heading_is_kept_and_reported(extractions):
    unresolved = [a for t in _duties(extractions, PHU_THO) for a in t.lead if a.key is None and not a.collective]
    assert unresolved and unresolved[0].text.startswith("Ban Chi dao")
    assert unresolved[0].confidence <= 0.5
    assert any(i.code == "W201" for i in extractions[PHU_THO].issues)


def test_numbered_sentences_with_assignments(extractions):
    duties = _duties(extractions, YEN_BAI)
    assert [(t.role, [a.key for a in t.lead]) for t in duties][0] == ("lead", ["so-khoa-hoc-va-cong-nghe"])
    front = duties[-1]  # "Đề nghị Ủy ban MTTQ ... phối hợp ..." names supporters and no lead
    assert front.role == "support" and front.lead == [] and len(front.support) == 2


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
