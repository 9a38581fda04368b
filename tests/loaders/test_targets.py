"""Indicators listed under dated headings of a plan's objectives."""

from conftest import VINH_PHUC, YEN_BAI


def test_yen_bai_dated_indicators(extractions):
    targets = extractions[YEN_BAI].targets
    years = {t.year for t in targets}
    assert years == {2025, 2030, 2035, 2040, 2045}
    first = targets[0]
    assert (first.text, first.year, first.area) == ("Tỷ lệ phủ sóng 5G trên địa bàn ≥ 60%.", 2025, "Phát triển hạ tầng")
    assert first.provenance.line_start == 66
    assert len([t for t in targets if t.year == 2025]) == 42
    assert all(t.monitor == [] for t in targets)  # the plan names no monitoring agency in the body


def test_prose_objectives_are_not_cut_into_indicators(extractions):
    assert extractions[VINH_PHUC].targets == []


def test_indicator_table_of_the_ocr_plan(extractions):
    from conftest import PHU_THO

    targets = extractions[PHU_THO].targets
    assert {t.year for t in targets} == {2025, 2030, 2045}
    by_number = {(t.year, t.area[:12] if t.area else None, t.number): t for t in targets}
    first = next(t for t in targets if t.number == "1.4" and t.year == 2025)
    assert first.text.startswith("100% Trung tam Phuc vy hanh chinh cong")
    assert [m.name for m in first.monitor] == ["Sở Khoa học và Công nghệ"]
    monitored = [t for t in targets if t.monitor]
    assert len(monitored) >= 0.8 * len(targets)
    assert len(by_number) >= 100
