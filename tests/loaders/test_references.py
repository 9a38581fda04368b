"""Citations: which documents a text names and why (IMPLEMENTS, BASED_ON, REPLACES, CITES)."""

from conftest import PHU_THO, VINH_LONG, VINH_PHUC, YEN_BAI

from policykg.loaders.nlp import get_nlp
from policykg.loaders.references import find_citations, sentence_relation


def _relations(extractions, file, subject_kind="Kế hoạch"):
    ex = extractions[file]
    key = next(d.key for d in ex.documents if d.kind == subject_kind)
    out = {}
    for c in ex.citations:
        if c.subject == key:
            out.setdefault(c.relation, set()).add(c.number or c.name)
    return out


def test_vinh_phuc_plan(extractions):
    rel = _relations(extractions, VINH_PHUC)
    assert rel["IMPLEMENTS"] == {"569/QĐ-TTg"}
    assert "569/QĐ-TTg" in rel["BASED_ON"]
    assert any(name.startswith("Luật Tổ chức Chính quyền địa phương") for name in rel["BASED_ON"])


def test_vinh_long_decision_and_plan(extractions):
    decision = _relations(extractions, VINH_LONG, "Quyết định")
    assert "569/QĐ-TTg" in decision["BASED_ON"] and "IMPLEMENTS" not in decision
    plan = _relations(extractions, VINH_LONG)
    assert plan["IMPLEMENTS"] == {"569/QĐ-TTg"}
    assert "4536/QĐ-UBND" not in plan["IMPLEMENTS"]  # "gắn với thực hiện Kế hoạch ..." is not the plan's purpose


def test_yen_bai_plan(extractions):
    rel = _relations(extractions, YEN_BAI)
    assert rel["IMPLEMENTS"] == {"71/NQ-CP", "235-KH/TU", "57-NQ/TW"}
    assert rel["REPLACES"] == {"46/KH-UBND"}


def test_phu_tho_plan_from_ocr(extractions):
    rel = _relations(extractions, PHU_THO)
    assert rel["IMPLEMENTS"] == {"71/NQ-CP", "02-CTr/TU", "57-NQ/TW"}


def test_nested_citation_implements_its_parent():
    doc = get_nlp()("Kế hoạch này thay thế Kế hoạch số 46/KH-UBND ngày 28/02/2025 của Ủy ban nhân dân tỉnh thực hiện "
                    "Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ và Kế hoạch số 219-KH/TU của Ban Thường vụ "
                    "Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW.")
    found = find_citations(doc)
    assert [(c.number, c.relation_hint, c.parent) for c in found] == [
        ("46/KH-UBND", "REPLACES", None), ("03/NQ-CP", None, 0), ("219-KH/TU", None, 0), ("57-NQ/TW", None, 2)]


def test_alias_after_goi_tat_la_is_not_a_second_citation():
    doc = get_nlp()("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị (sau đây gọi tắt là Nghị quyết số 57-NQ/TW).")
    found = find_citations(doc)
    assert len(found) == 1 and found[0].issuer == "Bộ Chính trị" and found[0].date == "2024-12-22"


def test_laws_by_name():
    doc = get_nlp()("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số "
                    "điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22/11/2019;")
    names = [(c.name, c.year) for c in find_citations(doc)]
    assert names == [("Luật Tổ chức chính quyền địa phương", 2015),
                     ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương", 2019)]


def test_sentence_relations():
    assert sentence_relation("can cu quyet dinh so 569", "preamble") == "BASED_ON"
    assert sentence_relation("can cu muc tieu cua chien luoc", "body") == "CITES"
    assert sentence_relation("tren day la ke hoach thuc hien nghi quyet", "closing") == "IMPLEMENTS"
    assert sentence_relation("trong qua trinh thuc hien, gan voi", "purpose") == "CITES"
