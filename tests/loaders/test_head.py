"""Document heads on the corpus: kind, number, issuer, province, date, title; decision + plan."""

from conftest import PHU_THO, VINH_LONG, VINH_PHUC, YEN_BAI

from policykg.evaluation import score_head


def _doc(extractions, file, kind="Kế hoạch"):
    return next(d for d in extractions[file].documents if d.kind == kind)


def _codes(extractions, file):
    return [i.code for i in extractions[file].issues]


def test_heads_agree_with_hand_checked_answers(extractions, load_eval):
    for file, answers in ((VINH_PHUC, "000_head_A.json"), (VINH_LONG, "001.json")):
        expected = load_eval(answers)
        assert score_head(extractions[file], expected["document"]).fields == {
            "kind": True, "number": True, "issuer": True, "province": True, "date": True, "title": True}
    decision = load_eval("001.json")["decision"]
    assert all(score_head(extractions[VINH_LONG], decision).fields.values())


def test_blank_number_is_reported_not_invented(extractions):
    plan = _doc(extractions, VINH_PHUC)
    assert plan.number is None
    assert plan.date == "2023-04" and plan.date_precision == "month"
    warnings = [str(i) for i in extractions[VINH_PHUC].issues if i.code == "W101"]
    assert warnings and "/KH-UBND" in warnings[0]
    assert "W107" in _codes(extractions, VINH_PHUC)  # the issuing decision's number is blank too


def test_decision_issues_plan(extractions):
    decision = _doc(extractions, VINH_LONG, "Quyết định")
    plan = _doc(extractions, VINH_LONG)
    assert decision.number == "1925/QĐ-UBND" and decision.date == "2023-08-16"
    assert plan.issued_with == decision.key
    assert plan.number is None


def test_ocr_head(extractions):
    plan = _doc(extractions, PHU_THO)
    assert (plan.number, plan.issuer, plan.province, plan.date) == ("7316/KH-UBND", "UBND tỉnh Phú Thọ", "Phú Thọ", "2025-10-22")


def test_head_without_header_is_inferred_and_flagged(extractions):
    plan = _doc(extractions, YEN_BAI)
    assert plan.issuer == "UBND tỉnh Yên Bái" and plan.province == "Yên Bái"
    assert plan.title.startswith("Triển khai thực hiện Nghị quyết số 71/NQ-CP")
    assert plan.date == "2025" and plan.date_precision == "year"
    assert {"W104", "W105", "W103", "W101"} <= set(_codes(extractions, YEN_BAI))
    assert plan.provenance.confidence < 1.0


def test_place_and_date_split_over_two_lines_in_plain_text(tmp_path):
    from policykg.loaders import extract_file

    path = tmp_path / "plan.txt"
    path.write_text("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 12/KH-UBND\nNghệ An, ngày\n20 tháng 11 năm 2025\n\nKẾ HOẠCH\n"
                    "Triển khai chuyển đổi số\n\nThực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, "
                    "UBND tỉnh ban hành Kế hoạch.\n" + "Nội dung kế hoạch được triển khai đồng bộ.\n" * 5, encoding="utf-8")
    plan = extract_file(path).documents[0]
    assert (plan.number, plan.date, plan.issuer) == ("12/KH-UBND", "2025-11-20", "UBND tỉnh Nghệ An")
