"""Layout: page furniture masked, wrapped lines rejoined, documents of a file found."""

from conftest import VINH_LONG, VINH_PHUC

from policykg.loaders.layout import document_spans, furniture_mask, paragraphs
from policykg.loaders.source import SourceText, read_source
from policykg.text import fold, fold_chars


def _src(lines):
    return SourceText("t.txt", lines, [fold_chars(line) for line in lines])


def test_furniture_is_masked():
    lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH", "- 2 -",
             "Nội dung.", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
             "PHÓ CHỦ TỊCH", "PHỤ LỤC I", "Bảng"]
    mask = furniture_mask(_src(lines))
    assert [line for line, masked in zip(lines, mask) if not masked] == ["KẾ HOẠCH", "Nội dung.", "PHỤ LỤC I", "Bảng"]


def test_wrapped_hyphen_is_not_a_bullet():
    lines = ["- Xây dựng cơ chế phát triển kinh tế", "- xã hội của tỉnh.", "- Bố trí nguồn lực."]
    paras = paragraphs(_src(lines), 0, len(lines))
    assert [p.text for p in paras] == ["- Xây dựng cơ chế phát triển kinh tế - xã hội của tỉnh.", "- Bố trí nguồn lực."]


def test_decision_and_plan_are_two_documents(corpus_dir):
    src = read_source(corpus_dir / VINH_LONG)
    spans = document_spans(src, furniture_mask(src))
    assert [s.kind for s in spans] == ["Quyết định", "Kế hoạch"]
    assert spans[0].end == spans[1].start  # the plan's header block starts the second document


def test_no_furniture_in_extracted_text(extractions):
    for ex in extractions.values():
        for task in ex.tasks:
            key = fold(task.title)
            assert "noi nhan" not in key and "doc lap - tu do" not in key and "luu: vt" not in key, task.title


def test_appendix_is_not_body(corpus_dir):
    src = read_source(corpus_dir / VINH_PHUC)
    span = document_spans(src, furniture_mask(src))[0]
    assert fold(src.lines[span.body_end]).startswith("phu luc")
