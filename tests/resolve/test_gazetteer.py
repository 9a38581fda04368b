"""The one gazetteer: the agencies of the whole country in every spelling, near misses never merged,
the local tier as one collective, names kept with their qualifiers, and one object for everyone."""

import re
import unicodedata
from pathlib import Path

import networkx as nx
import pytest

import policykg
from policykg.loaders import mentions, nlp
from policykg.loaders.nlp import parse
from policykg.queries.inputs import InputIndex
from policykg.records import AgencyMention
from policykg.resolve.agencies import resolve_agency
from policykg.resolve.gazetteer import Gazetteer, gazetteer
from policykg.resolve.jurisdictions import jurisdiction_for
from policykg.text import fold

PACKAGE = Path(policykg.__file__).parent

# The specialised agencies every province has after 1/3/2025 (Nghị định 45/2025/NĐ-CP), and the provincial
# bodies beside them; the keys are the gazetteer's.
STANDARD = ["so-noi-vu", "so-tai-chinh", "so-tu-phap", "so-cong-thuong", "so-xay-dung", "so-nong-nghiep-va-moi-truong",
            "so-khoa-hoc-va-cong-nghe", "so-giao-duc-va-dao-tao", "so-y-te", "so-van-hoa-the-thao-va-du-lich",
            "so-van-hoa-va-the-thao", "so-du-lich", "so-dan-toc-va-ton-giao", "so-ngoai-vu", "thanh-tra-tinh",
            "van-phong-ubnd-tinh", "van-phong-doan-dbqh-va-hdnd-tinh", "cong-an-tinh", "bo-chi-huy-quan-su-tinh",
            "ban-quan-ly-cac-khu-cong-nghiep", "ban-quan-ly-khu-kinh-te", "bao-va-phat-thanh-truyen-hinh-tinh"]
MINISTRIES_2025 = ["bo-quoc-phong", "bo-cong-an", "bo-ngoai-giao", "bo-noi-vu", "bo-tu-phap", "bo-tai-chinh",
                   "bo-cong-thuong", "bo-nong-nghiep-va-moi-truong", "bo-xay-dung", "bo-van-hoa-the-thao-va-du-lich",
                   "bo-khoa-hoc-va-cong-nghe", "bo-giao-duc-va-dao-tao", "bo-y-te", "bo-dan-toc-va-ton-giao",
                   "ngan-hang-nha-nuoc-viet-nam", "thanh-tra-chinh-phu", "van-phong-chinh-phu"]


def _unaccented(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text)
                                                 if not unicodedata.combining(c)))


def _ents(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.ent_id_) for e in parse(text).ents if e.label_ in {"AGENCY", "COLLECTIVE"}]


@pytest.mark.parametrize("key", STANDARD)
def test_standard_departments_resolve_in_every_form_in_a_province(key):
    g = gazetteer()
    agency = g.agency(key)
    assert agency.level == "province" and agency.era in {"post2025", "both"}
    forms = [agency.name, *agency.aliases, _unaccented(agency.name)]
    forms += [] if agency.capitalised else [agency.name.lower()]
    for form in forms:
        assert g.lookup(form).key == key, form
        written = re.sub(r"\s+tỉnh$", "", form)
        match = g.lookup(f"{written} tỉnh Nghệ An")
        assert match.key == key and match.province.key == "nghe-an", form
        assert _ents(f"Giao {written} tỉnh Nghệ An chủ trì thực hiện") == [(f"{written} tỉnh Nghệ An", key)], form


def test_multi_word_departments_have_their_abbreviation():
    g = gazetteer()
    for key in STANDARD:
        agency = g.agency(key)
        if agency.name.startswith("Sở ") and len(agency.name.split()) > 4:
            assert agency.aliases, key


@pytest.mark.parametrize("key", MINISTRIES_2025)
def test_ministries_and_ministry_level_bodies_after_2025(key):
    g = gazetteer()
    agency = g.agency(key)
    assert agency.level == "national" and agency.era in {"post2025", "both"} and agency.source
    assert g.lookup(agency.name).key == key and _ents(f"Đề nghị {agency.name} hướng dẫn") == [(agency.name, key)]


def test_pre_2025_departments_stay_with_their_era():
    g = gazetteer()
    old = {a.key for a in g.agencies(level="province", era="pre2025")} - {a.key for a in g.agencies(era="post2025")}
    assert {"so-ke-hoach-va-dau-tu", "so-thong-tin-va-truyen-thong", "so-lao-dong-thuong-binh-va-xa-hoi"} <= old
    assert "so-nong-nghiep-va-moi-truong" not in {a.key for a in g.agencies(era="pre2025")}


@pytest.mark.parametrize("text, key, not_key", [
    ("Sở Nội vụ", "so-noi-vu", "so-ngoai-vu"),
    ("Sở Ngoại vụ", "so-ngoai-vu", "so-noi-vu"),
    ("Bộ Y tế", "bo-y-te", "so-y-te"),
    ("Sở Y tế", "so-y-te", "bo-y-te"),
    ("Sở Văn hóa và Thể thao", "so-van-hoa-va-the-thao", "so-van-hoa-the-thao-va-du-lich"),
])
def test_near_misses_are_never_merged(text, key, not_key):
    g = gazetteer()
    for found in (g.lookup(text), g.lookup(_unaccented(text)), g.lookup(text.lower(), fuzzy=True)):
        assert found.key == key != not_key
    assert g.fuzzy(fold(text))[0].key == key
    assert [k for _, k in _ents(f"phối hợp với {text} thực hiện")] == [key]


@pytest.mark.parametrize("text", [
    "UBND các phường, xã", "UBND cấp xã", "Chủ tịch UBND cấp xã", "UBND xã, phường, đặc khu", "UBND các xã, phường, đặc khu",
    "Ủy ban nhân dân các xã, phường", "Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu", "UBND các xã, phường và đặc khu",
    "UBND xã, phường", "UBND các xã, phường có liên quan",
])
def test_the_local_tier_is_one_collective(text):
    assert gazetteer().lookup(text).key == "ubnd-cap-xa"
    assert _ents(f"Giao {text} tổ chức thực hiện") == [(text, "ubnd-cap-xa")]  # one entity, never "UBND" + a fragment


def test_provincial_collectives_in_their_usual_forms():
    assert [k for _, k in _ents("Các Sở, ngành, đơn vị, UBND cấp xã triển khai")] == ["cac-so-ban-nganh", "ubnd-cap-xa"]
    assert [k for _, k in _ents("Các sở, ngành, UBND xã, phường, đặc khu căn cứ")] == ["cac-so-ban-nganh", "ubnd-cap-xa"]
    assert [k for _, k in _ents("phối hợp với các sở, ngành, địa phương có liên quan")] == ["cac-so-ban-nganh"]
    assert [k for _, k in _ents("Các sở, ban, ngành; các cơ quan, đơn vị liên quan")] == [
        "cac-so-ban-nganh", "cac-co-quan-don-vi-lien-quan"]
    assert [k for _, k in _ents("phối hợp với các ngân hàng thương mại, các doanh nghiệp")] == [
        "cac-ngan-hang", "cac-doanh-nghiep"]
    ref = resolve_agency(AgencyMention("Các Sở, ngành, đơn vị", None, "Các Sở, ngành, đơn vị", True), "nghe-an")
    assert ref.resolved and ref.id == "agency:nghe-an:cac-so-ban-nganh"


@pytest.mark.parametrize("text, key", [
    ("Thuế tỉnh Nghệ An", "thue-tinh"),
    ("Báo và Phát thanh, Truyền hình Cần Thơ", "bao-va-phat-thanh-truyen-hinh-tinh"),
    ("Bảo hiểm xã hội tỉnh Hà Tĩnh", "bao-hiem-xa-hoi-tinh"),
    ("Thống kê tỉnh Bắc Ninh", "thong-ke-tinh"),
    ("Trung tâm Phục vụ hành chính công tỉnh", "trung-tam-phuc-vu-hanh-chinh-cong-tinh"),
    ("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Nghệ An", "trung-tam-xuc-tien-dau-tu-tinh"),
    ("Ban Xúc tiến và Hỗ trợ đầu tư tỉnh", "trung-tam-xuc-tien-dau-tu-tinh"),
])
def test_branches_and_provincial_units_keep_their_names(text, key):
    assert _ents(f"phối hợp với {text}; Sở Tài chính") == [(text, key), ("Sở Tài chính", "so-tai-chinh")]


@pytest.mark.parametrize("text, kind", [
    ("Trung tâm Chuyển đổi số Thành phố", "Đơn vị sự nghiệp"),
    ("Kho bạc Nhà nước khu vực XI", "Cơ quan ngành dọc"),
    ("Ngân hàng Nhà nước khu vực 10", "Cơ quan ngành dọc"),
    ("Chi cục Hải quan khu vực XIX", "Cơ quan ngành dọc"),
    ("Chi cục Thuế khu vực III", "Cơ quan ngành dọc"),
])
def test_named_units_keep_their_whole_name(text, kind):
    assert _ents(f"phối hợp với {text}, Sở Tài chính") == [(text, ""), ("Sở Tài chính", "so-tai-chinh")]
    ref = resolve_agency(AgencyMention(text, None, text), "ho-chi-minh-2025")
    assert ref.resolved and ref.name == text and ref.kind == kind


def test_words_that_only_look_like_a_family_are_not_agencies():
    assert _ents("thực hiện nhiệm vụ Pháp chế, báo cáo Cục trưởng") == []
    assert _ents("BÁO CÁO KẾT QUẢ THỰC HIỆN") == []


def test_common_nouns_in_lower_case_are_not_agencies():
    assert _ents("tăng cường công tác thanh tra, đảm bảo tính công khai; các tổ chức phi chính phủ") == []
    assert _ents("Thanh tra tỉnh chủ trì, Chính phủ quy định") == [("Thanh tra tỉnh", "thanh-tra-tinh"),
                                                                    ("Chính phủ", "chinh-phu")]


def test_a_mention_naming_another_province_belongs_to_it():
    ref = resolve_agency(AgencyMention("Công an tỉnh Nghệ An", "cong-an-tinh", "Công an tỉnh"), "ha-tinh")
    assert ref.id == "agency:nghe-an:cong-an-tinh"
    same = resolve_agency(AgencyMention("Công an tỉnh Hà Tĩnh", "cong-an-tinh", "Công an tỉnh"), "ha-tinh")
    assert same.id == "agency:ha-tinh:cong-an-tinh"


def test_city_forms_of_provincial_agencies():
    assert _ents("Công an Thành phố chủ trì") == [("Công an Thành phố", "cong-an-tinh")]
    assert _ents("Văn phòng UBND Thành phố Hồ Chí Minh tổng hợp") == [
        ("Văn phòng UBND Thành phố Hồ Chí Minh", "van-phong-ubnd-tinh")]
    assert _ents("Ban Thường vụ Thành ủy") == [("Ban Thường vụ Thành ủy", "ban-thuong-vu-tinh-uy")]
    # "UBND thành phố X" is the provincial committee of a centrally-run city, a district's committee elsewhere
    assert _ents("UBND thành phố Cần Thơ") == [("UBND thành phố Cần Thơ", "ubnd-tinh")]
    assert _ents("UBND thành phố Vĩnh Yên") == [("UBND thành phố Vĩnh Yên", "")]


def test_the_34_provinces_and_the_63_resolve():
    g = gazetteer()
    after, before = g.provinces("after"), g.provinces("before")
    assert len(after) == 34 and len(before) == 63
    for unit in after:
        for form in (unit.name, *unit.aliases, f"tỉnh {unit.name}", _unaccented(unit.name)):
            assert g.province(form, "after").key == unit.key, form
            assert jurisdiction_for(form, "2025-11-01").key == unit.key, form
    for unit in before:
        assert jurisdiction_for(unit.name, "2024-05-01").key == unit.key


@pytest.mark.parametrize("text, key", [
    ("Thành phố Hồ Chí Minh", "ho-chi-minh-2025"), ("TP. Hồ Chí Minh", "ho-chi-minh-2025"),
    ("TP.HCM", "ho-chi-minh-2025"), ("TP HCM", "ho-chi-minh-2025"), ("Thành phố Huế", "hue"), ("Thừa Thiên Huế", "hue"),
    ("Thừa Thiên - Huế", "hue"), ("Thành phố Cần Thơ", "can-tho-2025"), ("TP. Cần Thơ", "can-tho-2025"),
    ("Hà Nội", "ha-noi"), ("Thành phố Hà Nội", "ha-noi"), ("Đắk Lắk", "dak-lak-2025"), ("Đăk Lăk", "dak-lak-2025"),
    ("Dak Lak", "dak-lak-2025"), ("Đồng Tháp", "dong-thap-2025"), ("Hà Tĩnh", "ha-tinh"), ("tỉnh Nghệ An", "nghe-an"),
    ("Ninh Bình", "ninh-binh-2025"), ("Lai Châu", "lai-chau"), ("Thái Nguyên", "thai-nguyen-2025"),
    ("Bắc Ninh", "bac-ninh-2025"), ("Phú Thọ", "phu-tho-2025"),
])
def test_usual_spellings_of_provinces(text, key):
    assert jurisdiction_for(text, "2025-11-20").key == key


def test_queries_loaders_and_resolvers_share_one_gazetteer():
    g = gazetteer()
    assert isinstance(g, Gazetteer) and gazetteer() is g
    assert InputIndex(nx.MultiDiGraph()).gazetteer is g
    assert nlp.gazetteer is mentions.gazetteer is gazetteer
    assert nlp.gazetteer_entries() is g.entries


def test_the_gazetteer_data_is_read_in_one_place():
    readers = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
               if "ontology.agencies()" in p.read_text(encoding="utf-8")]
    assert readers == ["resolve/gazetteer.py"]


def test_resolution_does_not_need_the_graph_for_ids():
    for path in (PACKAGE / "resolve").glob("*.py"):
        assert not re.search(r"from \.\.graph|import policykg\.graph", path.read_text(encoding="utf-8")), path.name


def test_no_name_form_is_claimed_by_two_agencies():
    assert gazetteer().conflicts() == {}
