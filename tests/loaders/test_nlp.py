"""The spaCy pipeline: agency names in any spelling, never two agencies merged."""

import pytest

from policykg.loaders.nlp import fuzzy_lookup, get_nlp, parse


def _ents(text, ocr=False):
    doc = parse(text, ocr)
    return [(e.text, e.ent_id_) for e in doc.ents]


@pytest.mark.parametrize(
    "mention",
    ["Sở Khoa học và Công nghệ", "Sở KH&CN", "SKHCN", "sở khoa học và công nghệ", "SO KHOA HOC VA CONG NGHE",
     "Sở Khoa học và Công nghệ tỉnh"],
)
def test_spellings_of_one_agency(mention):
    assert ("so-khoa-hoc-va-cong-nghe" in {key for _, key in _ents(f"Giao {mention} chủ trì thực hiện")})


@pytest.mark.parametrize("mention", ["S& Khoa hoc va Cong nghé", "Sé Khoa hoc va Céng nghé", "S¢ Khoa hgc va Cong nghé"])
def test_ocr_garbled_names_resolve_only_in_ocr_mode(mention):
    assert ("so-khoa-hoc-va-cong-nghe" in {key for _, key in _ents(f"phối hợp với {mention} và", ocr=True)})


@pytest.mark.parametrize(
    ("mention", "key", "not_key"),
    [
        ("Sở Nội vụ", "so-noi-vu", "so-ngoai-vu"),
        ("Sở Ngoại vụ", "so-ngoai-vu", "so-noi-vu"),
        ("Sở Y tế", "so-y-te", "so-xay-dung"),
        ("Bộ Y tế", "bo-y-te", "so-y-te"),
        ("Sở Tài chính", "so-tai-chinh", "bo-tai-chinh"),
    ],
)
def test_near_misses_are_never_merged(mention, key, not_key):
    for ocr in (False, True):
        keys = {k for _, k in _ents(f"phối hợp với {mention} thực hiện", ocr=ocr)}
        assert key in keys and not_key not in keys


def test_fuzzy_lookup_rejects_too_distant_names():
    assert fuzzy_lookup("so ngoai giao") is None
    assert fuzzy_lookup("bo y te")[0].key == "bo-y-te"


def test_collective_phrases():
    ents = _ents("Chủ trì, phối hợp với các sở, ban, ngành, UBND các huyện, thành phố và các cơ quan, đơn vị có liên quan")
    assert [k for _, k in ents] == ["cac-so-ban-nganh", "ubnd-cap-huyen", "cac-co-quan-don-vi-lien-quan"]


def test_document_numbers_and_dates():
    doc = get_nlp()("Căn cứ Nghị quyết số 18/2020/NQ-HĐND ngày 14/12/2020 và Kế hoạch số 235-KH/TU ngày 18 tháng 4 năm 2025")
    assert [s.text for s in doc.spans["docnums"]] == ["18/2020/NQ-HĐND", "235-KH/TU"]
    assert len(doc.spans["dates"]) == 2
