"""Text normalization: repairs, folded keys, slugs."""

import pytest

from policykg.text import fold, fold_chars, repair, slug


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Thƣc̣ hiêṇ", "Thực hiện"),
        ("Quyết điṇh", "Quyết định"),
        ("Viñh Phúc", "Vĩnh Phúc"),
        ("Kế hoac̣h", "Kế hoạch"),
        ("CHIẾN LƢỢC", "CHIẾN LƯỢC"),
        ("TỈNH VĨNH PHÖC", "TỈNH VĨNH PHÚC"),
    ],
)
def test_repair_fixes_pdf_artifacts(broken, fixed):
    assert repair(broken) == fixed


def test_repair_leaves_correct_text_alone():
    text = "Sở Khoa học và Công nghệ chủ trì, phối hợp với Ủy ban nhân dân các huyện"
    assert repair(text) == text


def test_fold_is_accent_and_case_insensitive():
    assert fold("ĐỔI MỚI  Sáng tạo") == fold("doi moi sang tao") == "doi moi sang tao"
    assert fold("Sở Nội vụ") != fold("Sở Ngoại vụ")


def test_fold_chars_keeps_offsets():
    text = "Quyết định số 569/QĐ-TTg ngày 11/5/2022"
    folded = fold_chars(text)
    assert len(folded) == len(text)
    start = folded.index("569")
    assert text[start:start + 10] == "569/QĐ-TTg"


def test_slug_is_ascii():
    assert slug("Sở Lao động - Thương binh và Xã hội") == "so-lao-dong-thuong-binh-va-xa-hoi"
