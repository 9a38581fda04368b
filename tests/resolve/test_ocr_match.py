"""The OCR confusion model and the matcher of OCR'd agency names."""

import pytest

from policykg.resolve.ocr_match import (MIN_SCORE, MODEL_PATH, ConfusionModel, load_model, match_ocr_agency,
                                       rank_ocr_agency)


@pytest.mark.parametrize("text,key", [
    ("S& Khoa hoc va Cong nghé", "so-khoa-hoc-va-cong-nghe"),
    ("S¢ Xay dung", "so-xay-dung"),
    ("36 Noi vu", "so-noi-vu"),
    ("SH Y té", "so-y-te"),
    ("Vin phong UBND tinh", "van-phong-ubnd-tinh"),
    ("Bénhviénda khoa", "benh-vien-da-khoa-tinh"),
    ("S& Khoa hoc va\nCong nghé", "so-khoa-hoc-va-cong-nghe"),
])
def test_ocr_names_resolve(text, key):
    hit = match_ocr_agency(text)
    assert hit is not None and hit[0].key == key
    assert 0.0 <= hit[1] <= 1.0


@pytest.mark.parametrize("text,key", [("Sở Khoa học và Công nghệ", "so-khoa-hoc-va-cong-nghe"),
                                      ("Sở Xây dựng", "so-xay-dung"), ("Văn phòng UBND tỉnh", "van-phong-ubnd-tinh")])
def test_clean_names_score_one(text, key):
    entry, score = match_ocr_agency(text)
    assert entry.key == key and score > 0.99


@pytest.mark.parametrize("text", ["Báo cáo kết quả", "Năm 2025", "", "abc"])
def test_unrelated_text_is_none(text):
    assert match_ocr_agency(text) is None


def test_model_file_loads():
    model = load_model(MODEL_PATH)
    assert model.meta["pairs"] > 100 and model.meta["characters"] > 1000 and model.meta["sources"]
    assert model.cost("a", "a") == 0.0 and model.cost("ọ", "o") < model.cost("o", "x")


def test_calibration_monotone():
    model = load_model()
    scores = [model.score(d, 20) for d in (0.0, 1.0, 2.0, 4.0, 8.0, 16.0)]
    assert all(a >= b for a, b in zip(scores, scores[1:])) and scores[0] > 0.9


# Cells of the OCR'd table of plan 004 (Phụ lục II, lines 1210-1700), as Tesseract read them.
@pytest.mark.parametrize("text,key", [
    ("Cac S&, ban, nganh", "cac-so-ban-nganh"),
    ("Céc S¢, ban, nganh;", "cac-so-ban-nganh"),
    ("Céic S6, ban, nginh:", "cac-so-ban-nganh"),
    ("S& N6i vu", "so-noi-vu"),
    ("S¢ X4y dung", "so-xay-dung"),
    ("SoY té", "so-y-te"),
    ("UBND cép X3", "ubnd-cap-xa"),
    ("UBND cén xi", "ubnd-cap-xa"),
    ("Vin phong UBND", "van-phong-ubnd-tinh"),
    ("Van phong\nUBND tinh", "van-phong-ubnd-tinh"),
    ("Coéng an tinh", "cong-an-tinh"),
    ("Gido duc va Pao tao:", "so-giao-duc-va-dao-tao"),
    ("Nong nghiép va Moi truomg", "so-nong-nghiep-va-moi-truong"),
    ("Ban Chap hanh Péang b tinh", "ban-chap-hanh-dang-bo-tinh"),
    ("S& Khoa hoc\nva Cong nghé", "so-khoa-hoc-va-cong-nghe"),
    ("Quyét dinh cua UBND", None),
    ("trién khai trén toan tinh", None),
    ("Béo cao, thong ké", None),
    ("Giai doan 2026-2030", None),
    ("M6 hinh duogc trién khai", None),
    ("Vin ban cta UBND tinh", None),
])
def test_ocr_table_cells(text, key):
    hit = match_ocr_agency(text)
    assert (hit[0].key if hit else None) == key


@pytest.mark.parametrize("text", ["Cac S&, ban, nganh", "36 Noi vu", "UBND cén xi", "Ban Chap hanh Péang b",
                                  "Trung tdm Phuc", "Quyét dinh cua UBND", "tinh than"])
def test_match_is_the_best_of_the_ranking(text):
    """The matcher's shortcuts (pre-filter, early abandon) give the first of the full ranking."""
    ranked = rank_ocr_agency(text, limit=1)
    expected = (ranked[0][0].entry.key, ranked[0][2]) if ranked and ranked[0][2] >= MIN_SCORE else None
    hit = match_ocr_agency(text)
    assert ((hit[0].key, hit[1]) if hit else None) == expected


def test_learned_insertions_and_deletions_of_two_characters():
    """The dynamic programme takes the learned edits with an empty side ("xx" added, "cd" lost)."""
    model = ConfusionModel.from_pairs([("xxab", "ab"), ("ab", "abcd"), ("sở y té", "sở y tế")])
    assert {("", "xx"), ("cd", "")} <= model.blocks
    assert model.distance("xxab", "ab") == model.cost("", "xx") < 2 * model.cost("", "x")
    assert model.distance("zxxab", "ab") == model.cost("", "z") + model.cost("", "xx")
    assert model.distance("ab", "abcd") == model.cost("cd", "") < model.cost("c", "") + model.cost("d", "")
