"""Readable text: diacritics restored on OCR'd and folded Vietnamese (policykg.text_restore)."""

from __future__ import annotations

import re

import pytest

from policykg.text import fold_chars
from policykg.text_restore import _strip_markup, restore, restore_confidence, train_model, training_files

_SYL = re.compile(r"[A-Za-zÀ-ỹĐđƠơƯư]+")
HELD_OUT = ["ha-noi-kh-308-2025.md", "can-tho-kh-160-2025.md"]


@pytest.fixture(scope="module", autouse=True)
def _shared(corpus_dir, wild_dir):
    """The model is trained on the shared corpus: the fixtures fail clearly when it is missing."""


@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_accuracy_on_folded_text(wild_dir, name):
    # Folded text is lower case: compare ignoring case. Measured 0.94 over six held-out documents
    # (scripts/eval_restore.py, case kept); 0.88 leaves room.
    model = train_model(training_files(exclude=(name,)))
    text = _strip_markup((wild_dir / name).read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if len(_SYL.findall(line)) >= 5][:120]
    right = total = 0
    for line in lines:
        got, want = _SYL.findall(restore(fold_chars(line), model)), _SYL.findall(line)
        if len(got) == len(want):
            right += sum(g.lower() == w.lower() for g, w in zip(got, want))
            total += len(want)
    assert total > 500
    assert right / total >= 0.88, right / total


@pytest.mark.parametrize("ocr, clean", [
    ("Trién khai xay dyng co so dir liéu", "Triển khai xây dựng cơ sở dữ liệu"),
    ("Chuyén doi so linh vuwc cai cach hanh chinh", "Chuyển đổi số lĩnh vực cải cách hành chính"),
    ("Hoan thién h¢ sinh théai dir li¢u hanh chinh", "Hoàn thiện hệ sinh thái dữ liệu hành chính"),
    ("Van phong UBND tinh", "Văn phòng UBND tỉnh"),
    ("UBND cép x4", "UBND cấp xã"),
    ("ho so khi dir liéu da duoc s6 hoa", "hồ sơ khi dữ liệu đã được số hóa"),
])
def test_ocr_examples(ocr, clean):
    assert restore(ocr) == clean


def test_numbers_codes_and_punctuation_untouched():
    text = "Thyc hién Nghi quyét s6 57-NQ/TW ngay 22/12/2024; Quyét dinh 1229/QĐ-UBND (2025-2030), dat 95%"
    got = restore(text)
    for kept in ("57-NQ/TW", "22/12/2024;", "1229/QĐ-UBND", "(2025-2030),", "95%"):
        assert kept in got
    assert got.startswith("Thực hiện Nghị quyết số")


def test_idempotent_on_clean_text(wild_dir):
    lines = (wild_dir / "ha-noi-kh-308-2025.md").read_text(encoding="utf-8").splitlines()
    for line in lines[:300]:
        assert restore(line) == line
    clean = "Triển khai xây dựng cơ sở dữ liệu quản lý quy hoạch"
    assert restore(clean) == clean
    assert restore(restore("Trién khai xay dyng")) == restore("Trién khai xay dyng")


def test_confidence_and_edges():
    restored, share = restore_confidence("Trién khai xay dyng co so dir liéu")
    assert restored == "Triển khai xây dựng cơ sở dữ liệu" and 0.5 <= share <= 1.0
    assert restore_confidence("Triển khai xây dựng")[1] == 1.0
    assert restore("") == "" and restore("  2025 ") == "  2025 "
    assert restore("The text of pages of a legal portal") == "The text of pages of a legal portal"


def test_ocr_titles_are_restored_in_the_graph_and_found_by_search(extractions, corpus_graph):
    from conftest import PHU_THO, VINH_PHUC

    from policykg.queries.api import PolicyGraph

    tasks = extractions[PHU_THO].tasks
    restored = [t for t in tasks if t.title_raw]
    assert len(restored) >= 0.9 * len(tasks)
    assert any("Triển khai" in t.title and "Trién khai" in t.title_raw for t in restored)
    assert not [t for t in extractions[VINH_PHUC].tasks if t.title_raw]  # a clean file is left as it is
    node = next(n for n, d in corpus_graph.nodes(data=True) if d.get("title_raw") and "Triển khai" in d["title"])
    assert node in {r.task for r in PolicyGraph(corpus_graph).search(corpus_graph.nodes[node]["title"][:40])}
