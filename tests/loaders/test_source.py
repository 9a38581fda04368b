"""Reading input files: bad input gives one coded InputError naming the file; good input gives numbered lines."""

from __future__ import annotations

import codecs
import shutil
import unicodedata
from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.loaders import extract_file
from policykg.loaders.source import read_source

VINH_PHUC = "000_09d279f00c1e9706.txt"
VINH_LONG = "001_2136b0a1750722ce.txt"
YEN_BAI = "003_97ead215d4cf5640.txt"
PHU_THO = "004_a6ece48c4c1ca826.txt"

PLAN_TEXT = "KẾ HOẠCH\nThực hiện Nghị quyết số 57-NQ/TW\n\nSở Khoa học và Công nghệ chủ trì.\n"

RECIPE = """Cách nấu phở bò Hà Nội

Nguyên liệu: xương bò, thịt bò, bánh phở, hành nướng, gừng, quế, hoa hồi.
Bước 1. Rửa sạch xương bò, chần qua nước sôi rồi rửa lại.
Bước 2. Nướng hành và gừng cho thơm, cạo sạch vỏ cháy.
Bước 3. Ninh xương trong sáu giờ, vớt bọt thường xuyên.
Khi ăn, chan nước dùng nóng lên bánh phở và thịt bò thái mỏng.
"""

NEWS = """Hà Nội: Mưa lớn gây ngập nhiều tuyến phố

Chiều 12/8, mưa lớn kéo dài khiến nhiều tuyến phố nội thành Hà Nội ngập sâu.
Công ty Thoát nước Hà Nội đã huy động lực lượng ứng trực tại các điểm ngập.
Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, mưa sẽ còn tiếp diễn trong những ngày tới.
"""

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes of Vietnamese text (base letter precomposed, tone mark combining, as Windows writes it)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            out += base.encode("cp1258") + "".join(c for c in parts if c in _TONE_MARKS).encode("cp1258")
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def assert_input_error(exc: InputError, code: str, name: str) -> None:
    assert isinstance(exc, InputError)
    assert exc.issue.code == code
    assert exc.issue.file == name
    assert str(exc).startswith(f"{code} {name}: ")


READERS = [pytest.param(read_source, id="read_source"), pytest.param(extract_file, id="extract_file")]


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  \n\n", b"\n" * 50], ids=["empty", "whitespace", "newlines"])
def test_empty_or_blank_file_is_E101(tmp_path, reader, data):
    path = write(tmp_path, "blank.txt", data)
    with pytest.raises(InputError) as info:
        reader(path)
    assert_input_error(info.value, "E101", "blank.txt")
    assert "empty" in str(info.value)


@pytest.mark.parametrize("reader", READERS)
def test_png_bytes_are_binary_E102(tmp_path, reader):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8
    path = write(tmp_path, "scan.txt", png)
    with pytest.raises(InputError) as info:
        reader(path)
    assert_input_error(info.value, "E102", "scan.txt")
    assert "NUL bytes" in str(info.value)


def test_nul_bytes_inside_text_are_binary_E102(tmp_path):
    path = write(tmp_path, "mixed.txt", PLAN_TEXT.encode("utf-8") + b"\x00\x00\x00\x00" + PLAN_TEXT.encode("utf-8"))
    with pytest.raises(InputError) as info:
        read_source(path)
    assert_input_error(info.value, "E102", "mixed.txt")


def test_many_control_characters_without_nul_are_binary_E102(tmp_path):
    path = write(tmp_path, "ctl.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 27]) * 40)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert_input_error(info.value, "E102", "ctl.txt")
    assert "control characters" in str(info.value)


def test_form_feeds_and_tabs_of_pdf_text_are_not_binary(tmp_path):
    # pdftotext puts a form feed between pages; those files must still read.
    text = "KẾ HOẠCH\tsố 12\n\fThực hiện\n" * 30
    src = read_source(write(tmp_path, "pages.txt", text))
    assert src.lines[0] == "KẾ HOẠCH\tsố 12"
    assert len(src.lines) == 60


@pytest.mark.parametrize("reader", READERS)
def test_cp1258_vietnamese_is_E103_with_the_byte_offset(tmp_path, reader):
    data = cp1258("KẾ HOẠCH\nThực hiện Nghị quyết\n")
    assert data[:1] == b"K" and data[1] >= 0x80  # the first non-ASCII byte is at offset 1
    path = write(tmp_path, "ansi.txt", data)
    with pytest.raises(InputError) as info:
        reader(path)
    assert_input_error(info.value, "E103", "ansi.txt")
    assert "UTF-8" in str(info.value)
    assert "offset 1)" in str(info.value)


def test_E103_offset_counts_bytes_not_characters(tmp_path):
    prefix = "Kế hoạch thực hiện\n".encode("utf-8")  # 19 characters, more bytes
    data = prefix + "Café crème".encode("latin-1")
    path = write(tmp_path, "latin.txt", data)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert_input_error(info.value, "E103", "latin.txt")
    offset = len(prefix) + len("Caf")
    assert len(prefix) != len("Kế hoạch thực hiện\n")
    assert f"offset {offset})" in str(info.value)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", ["plan.pdf", "PLAN.PDF", "plan.docx", "plan.txt.gz"])
def test_unsupported_suffix_is_E106(tmp_path, reader, name):
    path = write(tmp_path, name, PLAN_TEXT)  # good text: the suffix alone is refused
    with pytest.raises(InputError) as info:
        reader(path)
    assert_input_error(info.value, "E106", name)
    assert repr(path.suffix) in str(info.value)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", ["folder", "folder.txt"])
def test_a_directory_is_E105(tmp_path, reader, name):
    (tmp_path / name).mkdir()
    with pytest.raises(InputError) as info:
        reader(tmp_path / name)
    assert_input_error(info.value, "E105", name)
    assert "cannot be read" in str(info.value)


@pytest.mark.parametrize("reader", READERS)
def test_a_missing_file_is_E105(tmp_path, reader):
    with pytest.raises(InputError) as info:
        reader(tmp_path / "nope.txt")
    assert_input_error(info.value, "E105", "nope.txt")


@pytest.mark.parametrize("text", [RECIPE, NEWS], ids=["recipe", "news"])
def test_valid_text_that_is_not_a_policy_document_is_E104(tmp_path, text):
    path = write(tmp_path, "other.txt", text)
    assert read_source(path).lines[0]  # it reads fine as text...
    with pytest.raises(InputError) as info:  # ...but it is not a policy document
        extract_file(path)
    assert_input_error(info.value, "E104", "other.txt")



@pytest.mark.parametrize("data", [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, "  \n\n".encode("utf-16")],
                         ids=["utf8-bom", "utf16-bom", "utf16-blank"])
def test_a_file_with_only_a_bom_is_E101(tmp_path, data):
    path = write(tmp_path, "bom.txt", data)
    with pytest.raises(InputError) as info:
        extract_file(path)
    assert_input_error(info.value, "E101", "bom.txt")


@pytest.mark.parametrize("tail", [b"X", b"\x00\xd8A\x00"], ids=["odd-length", "lone-surrogate"])
def test_malformed_utf16_is_an_input_error(tmp_path, tail):
    path = write(tmp_path, "broken16.txt", codecs.BOM_UTF16_LE + PLAN_TEXT.encode("utf-16-le") + tail)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert info.value.issue.code in {"E102", "E103"}
    assert info.value.issue.file == "broken16.txt"


# --- good input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom"])
def test_utf16_with_bom_decodes_like_utf8(tmp_path, encoding):
    if encoding == "utf-16":
        data = PLAN_TEXT.encode("utf-16")
    elif encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + PLAN_TEXT.encode("utf-16-le")
    else:
        data = codecs.BOM_UTF16_BE + PLAN_TEXT.encode("utf-16-be")
    wide = read_source(write(tmp_path, "wide.txt", data))
    narrow = read_source(write(tmp_path, "narrow.txt", PLAN_TEXT))
    assert wide.lines == narrow.lines
    assert wide.lines[0] == "KẾ HOẠCH"
    assert wide.folded == narrow.folded


def test_utf8_bom_is_not_part_of_the_first_line(tmp_path):
    src = read_source(write(tmp_path, "bom.txt", codecs.BOM_UTF8 + PLAN_TEXT.encode("utf-8")))
    assert src.lines[0] == "KẾ HOẠCH"


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_give_the_same_lines_as_lf(tmp_path, newline):
    text = "KẾ HOẠCH\n\nThực hiện\n  \n- Sở Tài chính\n"
    lf = read_source(write(tmp_path, "lf.txt", text))
    other = read_source(write(tmp_path, "other.txt", text.replace("\n", newline)))
    assert other.lines == lf.lines == ["KẾ HOẠCH", "", "Thực hiện", "  ", "- Sở Tài chính"]
    assert not any("\r" in line for line in other.lines)


def test_lines_are_numbered_from_one_and_blank_lines_count(tmp_path):
    text = "KẾ HOẠCH\n\nMục đích\n\n\n1. Nhiệm vụ\nlast"
    src = read_source(write(tmp_path, "numbered.txt", text))
    assert src.file == "numbered.txt"
    assert len(src.lines) == len(src.folded) == 7  # no trailing newline: the last line still counts
    assert src.lines[src.line_no(0) - 1] == "KẾ HOẠCH"
    assert [src.line_no(i) for i, line in enumerate(src.lines) if line] == [1, 3, 6, 7]
    assert src.lines[2] == "Mục đích" and src.line_no(2) == 3
    assert src.lines[5] == "1. Nhiệm vụ" and src.line_no(5) == 6
    assert src.folded[5] == "1. nhiem vu"
    # a final newline ends the last line; it does not add an empty one
    assert read_source(write(tmp_path, "nl.txt", text + "\n")).lines == src.lines


def test_provenance_lines_follow_the_file_when_blank_lines_are_added(tmp_path, corpus_dir):
    """Every line number an extraction reports moves by exactly the number of blank lines put in front."""
    text = (corpus_dir / VINH_LONG).read_text(encoding="utf-8")
    plain = extract_file(write(tmp_path, VINH_LONG, text))
    (tmp_path / "shifted").mkdir()
    shifted = extract_file(write(tmp_path / "shifted", VINH_LONG, "\n\n\n" + text))
    assert len(plain.documents) == len(shifted.documents) == 2

    def lines(ex, skip_first_start=False):
        out = []
        for n, d in enumerate(ex.documents):
            out.append(d.provenance.line_end)
            if not (n == 0 and skip_first_start):  # the first document starts at the top of the file
                out.append(d.provenance.line_start)
        out += [p for t in ex.tasks for p in (t.provenance.line_start, t.provenance.line_end)]
        out += [p for c in ex.citations for p in (c.provenance.line_start, c.provenance.line_end)]
        out += [i.line for i in ex.issues if i.line is not None]
        return out

    before, after = lines(plain, True), lines(shifted, True)
    assert len(before) > 20
    assert after == [n + 3 for n in before]


# --- truncated documents ---------------------------------------------------------------------------


def _head(corpus_dir: Path, name: str, count: int, tmp_path: Path) -> Path:
    lines = (corpus_dir / name).read_text(encoding="utf-8").split("\n")
    assert len(lines) > count
    return write(tmp_path, "truncated.txt", "\n".join(lines[:count]) + "\n")


def test_first_60_lines_of_vinh_long_still_extract_the_decision(tmp_path, corpus_dir):
    # The first 60 lines of this file hold the whole decision (ending "./." and its "Nơi nhận" list)
    # and only the first line of the plan's heading, so the decision is extracted and nothing is lost.
    ex = extract_file(_head(corpus_dir, VINH_LONG, 60, tmp_path))
    assert ex.file == "truncated.txt"
    assert [d.kind for d in ex.documents] == ["Quyết định"]
    assert ex.documents[0].provenance.line_start == 1


@pytest.mark.parametrize("name", [VINH_PHUC, YEN_BAI, PHU_THO])
@pytest.mark.parametrize("count", [60, 300])
def test_a_truncated_plan_is_extracted_with_a_W106_warning(tmp_path, corpus_dir, name, count):
    ex = extract_file(_head(corpus_dir, name, count, tmp_path))
    assert [d.kind for d in ex.documents] == ["Kế hoạch"]
    w106 = [i for i in ex.issues if i.code == "W106"]
    assert len(w106) == 1
    assert w106[0].file == "truncated.txt"
    assert w106[0].line == count == ex.documents[0].provenance.line_end
    assert "truncated" in str(w106[0])


@pytest.mark.parametrize("name", [VINH_PHUC, VINH_LONG, YEN_BAI, PHU_THO])
def test_complete_corpus_files_have_no_W106(corpus_dir, name):
    ex = extract_file(corpus_dir / name)
    assert ex.documents
    assert not [i for i in ex.issues if i.code == "W106"]


@pytest.mark.parametrize("count", [120, 300])
def test_a_plan_truncated_after_its_decision_gets_W106(tmp_path, corpus_dir, count):
    ex = extract_file(_head(corpus_dir, VINH_LONG, count, tmp_path))
    assert [d.kind for d in ex.documents] == ["Quyết định", "Kế hoạch"]
    plan = ex.documents[1]
    assert plan.provenance.line_end == count
    assert [i.line for i in ex.issues if i.code == "W106"] == [count]


def test_ending_words_in_the_body_do_not_hide_truncation(tmp_path, corpus_dir):
    lines = (corpus_dir / PHU_THO).read_text(encoding="utf-8").split("\n")[:120]
    lines.insert(60, "Hồ sơ gửi về nơi nhận là Sở Khoa học và Công nghệ.")
    ex = extract_file(write(tmp_path, "truncated.txt", "\n".join(lines) + "\n"))
    assert [i.line for i in ex.issues if i.code == "W106"] == [121]


def test_an_oversized_paragraph_is_read_in_bounded_pieces(tmp_path, corpus_dir):
    """A paragraph over spaCy's 1,000,000-character limit (11,000 lines, no blank line; or one line) loads:
    the text is cut into bounded paragraphs, and the plan's own facts are all there."""
    from policykg.loaders.layout import MAX_PARAGRAPH_CHARS

    plan = (corpus_dir / "001_2136b0a1750722ce.txt").read_text(encoding="utf-8")
    line = "thực hiện rà soát, đánh giá các nhiệm vụ được giao theo kế hoạch của Ủy ban nhân dân tỉnh và"
    normal = extract_file(corpus_dir / "001_2136b0a1750722ce.txt")
    for name, tail in (("lines.txt", "\n".join([line] * 11_000)), ("one-line.txt", " ".join([line] * 11_000))):
        path = tmp_path / name
        path.write_text(plan + "\n" + tail + "\n", encoding="utf-8")
        assert path.stat().st_size > 1_000_000
        ex = extract_file(path)
        assert [d.number for d in ex.documents] == [d.number for d in normal.documents]
        assert {t.title for t in normal.tasks} <= {t.title for t in ex.tasks}
        assert all(len(t.title) <= MAX_PARAGRAPH_CHARS for t in ex.tasks)


def test_an_unexpected_error_is_that_files_error_and_the_others_load(tmp_path, corpus_dir, monkeypatch):
    """A bug met while extracting one file is reported for that file (E201, the error named), not a traceback."""
    from policykg.loaders import extract as extract_module
    from policykg.pipeline import build

    original = extract_module.extract_duties

    def fail_on_one(paras, docs, headings, *, context):
        if context.file == "broken.txt":
            raise KeyError("boom")
        return original(paras, docs, headings, context=context)

    monkeypatch.setattr(extract_module, "extract_duties", fail_on_one)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(corpus_dir / "003_97ead215d4cf5640.txt", folder / "broken.txt")
    shutil.copy(corpus_dir / "001_2136b0a1750722ce.txt", folder / "good.txt")
    report = build([folder], tmp_path / "store")
    assert report.loaded == ["good.txt"]
    assert [str(e) for e in report.errors] == ["E201 broken.txt: extraction failed: KeyError: 'boom'"]
