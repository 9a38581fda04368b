"""The 2025 restructuring data: every fact names real gazetteer agencies, a date and an instrument."""

from policykg import ontology
from policykg.resolve.agencies import gazetteer_name
from policykg.resolve.restructuring import changes, is_district_unit, successors


def test_every_change_is_sourced_and_names_known_agencies():
    assert len(changes()) >= 14
    for change in changes():
        assert change.effective in {"2025-03-01", "2025-07-01"}
        assert "2025" in change.instrument
        gazetteer_name(change.from_key)
        for successor in change.to:
            gazetteer_name(successor.agency)
        if len(change.to) > 1:
            assert all(s.function for s in change.to), change.from_key  # a split says which function went where


def test_department_mergers():
    assert [s.agency for s in successors("so-ke-hoach-va-dau-tu", "province")[0].to] == ["so-tai-chinh"]
    assert [s.agency for s in successors("so-giao-thong-van-tai", "province")[0].to] == ["so-xay-dung"]
    both = {c.from_key for c in changes() if [s.agency for s in c.to] == ["so-nong-nghiep-va-moi-truong"]}
    assert both == {"so-nong-nghiep-va-phat-trien-nong-thon", "so-tai-nguyen-va-moi-truong"}
    split = successors("so-lao-dong-thuong-binh-va-xa-hoi", "province")[0]
    assert {s.agency for s in split.to} == {"so-noi-vu", "so-y-te", "so-giao-duc-va-dao-tao"}
    assert successors("so-ke-hoach-va-dau-tu", "national") == []  # a ministry key differs: bo-...


def test_district_level_and_provinces():
    assert is_district_unit("UBND huyện Tam Đảo") and not is_district_unit("UBND xã Tam Đảo")
    data = ontology.provinces()
    assert len(data["before"]) == 63 and len(data["after"]) == 34
    after = {u["key"] for u in data["after"]}
    assert all(u["merged_into"] in after for u in data["before"])
    into = {u["key"]: u["merged_into"] for u in data["before"]}
    assert into["vinh-phuc"] == into["hoa-binh"] == into["phu-tho"] == "phu-tho-2025"
    assert into["yen-bai"] == into["lao-cai"] == "lao-cai-2025"
    assert into["ben-tre"] == into["tra-vinh"] == into["vinh-long"]
