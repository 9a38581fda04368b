"""Reading input files: bad input gives one coded InputError naming the file; good input gives numbered lines."""

from __future__ import annotations

import codecs
import os
import shutil
import signal
import socket
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.loaders import extract_file
from policykg.loaders import source
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
    if reader is read_source:  # text only: binary
        assert_input_error(info.value, "E102", "scan.txt")
        assert "NUL bytes" in str(info.value)
    else:  # the first bytes say PNG: read as an image, which this one is not
        assert_input_error(info.value, "E105", "scan.txt")
        assert "image" in str(info.value)


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


def test_cp1258_vietnamese_is_converted_not_refused(tmp_path):
    data = cp1258("KẾ HOẠCH\nThực hiện Nghị quyết\n")
    assert data[:1] == b"K" and data[1] >= 0x80  # not UTF-8 from offset 1 (E103 before legacy encodings were read)
    assert read_source(write(tmp_path, "ansi.txt", data)).lines == ["KẾ HOẠCH", "Thực hiện Nghị quyết"]


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
@pytest.mark.parametrize("name", ["plan.xyz", "PLAN.XYZ", "plan.odt", "plan.txt.gz"])
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


@pytest.mark.parametrize("reader", READERS)
def test_a_broken_symlink_is_E105_naming_the_missing_target(tmp_path, reader):
    (tmp_path / "plan.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError) as info:
        reader(tmp_path / "plan.txt")
    assert_input_error(info.value, "E105", "plan.txt")
    assert "broken symbolic link" in str(info.value) and "gone.txt" in str(info.value)


@pytest.mark.parametrize("reader", READERS)
def test_a_symlink_to_a_good_file_is_read(tmp_path, reader):
    target = write(tmp_path, "real.txt", PLAN_TEXT)
    (tmp_path / "link.txt").symlink_to(target)
    assert read_source(tmp_path / "link.txt").lines[0] == "KẾ HOẠCH"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
@pytest.mark.parametrize("reader", READERS)
def test_a_file_without_read_permission_is_E105(tmp_path, reader):
    path = write(tmp_path, "secret.txt", PLAN_TEXT)
    path.chmod(0)
    with pytest.raises(InputError) as info:
        reader(path)
    assert_input_error(info.value, "E105", "secret.txt")
    assert "Permission denied" in str(info.value)


@pytest.mark.parametrize("reader", READERS)
def test_permission_denied_when_opening_is_one_E105_line(tmp_path, reader, monkeypatch):
    """The same, as root sees it when the file system refuses (a file of another user on NFS, say)."""
    path = write(tmp_path, "secret.txt", PLAN_TEXT)
    real_open = os.open

    def refuse(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError) as info:
        reader(path)
    assert str(info.value) == "E105 secret.txt: the file cannot be read: Permission denied"


@contextmanager
def _no_hang(seconds: int = 5):
    """Fail, rather than hang, if reading blocks (today's code blocked forever opening a FIFO)."""
    def expire(signum, frame):
        raise TimeoutError(f"reading blocked for {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", ["pipe.txt", "pipe"])
def test_a_fifo_is_E108_and_does_not_block(tmp_path, reader, name):
    os.mkfifo(tmp_path / name)
    with _no_hang(), pytest.raises(InputError) as info:
        reader(tmp_path / name)
    assert_input_error(info.value, "E108", name)
    assert "not a regular file (a FIFO)" in str(info.value)


@pytest.mark.parametrize("reader", READERS)
def test_a_symlink_to_a_fifo_is_E108(tmp_path, reader):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "plan.txt").symlink_to(tmp_path / "pipe")
    with _no_hang(), pytest.raises(InputError) as info:
        reader(tmp_path / "plan.txt")
    assert_input_error(info.value, "E108", "plan.txt")


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_a_character_device_is_E108(reader, device):
    # /dev/null read as an empty file (E101), /dev/zero and /dev/urandom without end, filling memory
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    with _no_hang(), pytest.raises(InputError) as info:
        reader(device)
    assert_input_error(info.value, "E108", Path(device).name)
    assert "a character device" in str(info.value)


@pytest.mark.parametrize("reader", READERS)
def test_a_socket_is_E108(tmp_path, reader):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.txt"))
        with pytest.raises(InputError) as info:
            reader(tmp_path / "sock.txt")
    assert_input_error(info.value, "E108", "sock.txt")
    assert "a socket" in str(info.value)


def test_a_fifo_swapped_in_after_the_check_is_E108_and_does_not_block(tmp_path, monkeypatch):
    """The file is checked again once open: a FIFO put in its place between the check and the open is
    opened without blocking and refused."""
    good = write(tmp_path, "plan.txt", PLAN_TEXT)
    info = os.stat(good)
    os.mkfifo(tmp_path / "pipe")
    real_stat, real_open = os.stat, os.open
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: info if Path(p) == good else real_stat(p, *a, **k))
    monkeypatch.setattr(os, "open", lambda p, *a, **k: real_open(tmp_path / "pipe" if Path(p) == good else p, *a, **k))
    with _no_hang(), pytest.raises(InputError) as err:
        read_source(good)
    assert_input_error(err.value, "E108", "plan.txt")


@pytest.mark.parametrize("reader", READERS)
def test_a_file_over_the_size_limit_is_E109_naming_size_and_limit(tmp_path, reader):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 65 MiB on paper, nothing on disk
        handle.write(b"KE HOACH\n")
        handle.truncate(65 * 1024 * 1024)
    with _no_hang(30), pytest.raises(InputError) as info:
        reader(path)
    assert_input_error(info.value, "E109", "huge.txt")
    assert str(info.value) == ("E109 huge.txt: the file is too large (68,157,440 bytes, 65.0 MiB); "
                               "policykg reads files of up to 67,108,864 bytes, 64.0 MiB")
    assert source.MAX_INPUT_BYTES == 64 * 1024 * 1024


def test_a_file_that_grows_past_the_limit_after_the_check_is_E109(tmp_path, monkeypatch):
    """The limit holds for what is read, not for the size the file had when it was checked."""
    monkeypatch.setattr(source, "MAX_INPUT_BYTES", 1000)
    path = write(tmp_path, "growing.txt", "x" * 900)
    real_fdopen = os.fdopen

    def grow_then_open(fd, *args, **kwargs):
        with open(path, "ab") as handle:
            handle.write(b"y" * 500)
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", grow_then_open)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert_input_error(info.value, "E109", "growing.txt")
    assert str(info.value) == ("E109 growing.txt: the file is too large (more than 1,000 bytes); "
                               "policykg reads files of up to 1,000 bytes")


def test_a_file_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(source, "MAX_INPUT_BYTES", len(PLAN_TEXT.encode("utf-8")))
    assert read_source(write(tmp_path, "plan.txt", PLAN_TEXT)).lines[0] == "KẾ HOẠCH"
    monkeypatch.setattr(source, "MAX_INPUT_BYTES", len(PLAN_TEXT.encode("utf-8")) - 1)
    with pytest.raises(InputError) as info:
        read_source(tmp_path / "plan.txt")
    assert_input_error(info.value, "E109", "plan.txt")


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


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected_and_decoded(tmp_path, reader, encoding, corpus_dir):
    text = (corpus_dir / VINH_LONG).read_text(encoding="utf-8")
    wide = write(tmp_path, VINH_LONG, text.encode(encoding))
    (tmp_path / "utf8").mkdir()
    narrow = write(tmp_path / "utf8", VINH_LONG, text)
    if reader is read_source:
        assert read_source(wide).lines == read_source(narrow).lines
    else:
        a, b = extract_file(wide), extract_file(narrow)
        assert [d.number for d in a.documents] == [d.number for d in b.documents] == ["1925/QĐ-UBND", None]
        assert [t.title for t in a.tasks] == [t.title for t in b.tasks] and a.tasks


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_short_utf16_without_a_bom_is_decoded(tmp_path, encoding):
    src = read_source(write(tmp_path, "wide.txt", PLAN_TEXT.encode(encoding)))
    assert src.lines == read_source(write(tmp_path, "narrow.txt", PLAN_TEXT)).lines


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_malformed_utf16_without_a_bom_is_E103(tmp_path, encoding):
    data = PLAN_TEXT.encode(encoding)
    half = len(data) // 2 & ~1
    lone = "\ud800".encode(encoding, "surrogatepass")
    path = write(tmp_path, "broken16.txt", data[:half] + lone + data[half:])
    with pytest.raises(InputError) as info:
        read_source(path)
    assert_input_error(info.value, "E103", "broken16.txt")
    assert f"not valid {encoding.upper()} without a byte-order mark (invalid byte at offset {half})" in str(info.value)


@pytest.mark.parametrize("data", [
    PLAN_TEXT.encode("utf-8") + b"\x00" + PLAN_TEXT.encode("utf-8"),
    b"\x00".join(PLAN_TEXT.encode("utf-8").split(b" ")),
    b"\x00\x01\x00\x02" * 200,
    bytes(range(256)) * 4,
], ids=["one-nul", "nul-for-space", "words", "all-bytes"])
def test_stray_nuls_that_are_not_utf16_stay_E102(tmp_path, data):
    with pytest.raises(InputError) as info:
        read_source(write(tmp_path, "nul.txt", data))
    assert_input_error(info.value, "E102", "nul.txt")


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


def test_an_unexpected_error_of_a_reader_is_that_files_E201(tmp_path, monkeypatch):
    """A bug met while reading a file (in the Markdown reader, say) is that file's E201 too, not a traceback."""
    from policykg.loaders.readers import READERS

    def broken(text, file):
        raise IndexError("list index out of range")

    monkeypatch.setitem(READERS, "markdown", broken)
    with pytest.raises(InputError) as info:
        extract_file(write(tmp_path, "plan.md", PLAN_TEXT))
    assert str(info.value) == "E201 plan.md: extraction failed: IndexError: list index out of range"
