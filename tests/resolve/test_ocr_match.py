"""The OCR confusion model and the matcher of OCR'd agency names."""

import pytest

from policykg.resolve.ocr_match import MODEL_PATH, load_model, match_ocr_agency


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
