"""Legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258, and TCVN3/VNI shown as Windows-1252 characters) are
detected, converted to Unicode and reported (W109); Unicode text and text that is not Vietnamese are not touched.

The legacy files are made here from real plans of the corpus by :func:`encode_legacy`, as a converter of the time
would write them; reading one must give the Unicode file's text and extraction.
"""

from __future__ import annotations

import functools
import random
import unicodedata

import pytest

from policykg.errors import InputError
from policykg.loaders.extract import extract_file
from policykg.loaders.readers import read_document
from policykg.loaders.source import decode_with_notes, encode_legacy, read_source

TXT = "001_2136b0a1750722ce.txt"
MD = "thai-nguyen-qd-26-2025.md"
NAMES = {"tcvn3": "TCVN3", "vni": "VNI", "cp1258": "Windows-1258"}
FORMS = ["tcvn3", "vni", "cp1258", "tcvn3-as-cp1252", "vni-as-cp1252"]


@functools.cache
def _writable(ch: str, encoding: str) -> bool:
    return ch == "?" or encode_legacy(ch, encoding) != b"?"


def unicode_text(path) -> str:
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).replace("\r\n", "\n")


def legacy_bytes(text: str, form: str) -> bytes:
    """``text`` in ``form``: the bytes of a legacy encoding, or (``…-as-cp1252``) those bytes shown as Windows-1252
    characters (Latin-1 where Windows-1252 has none) and saved in UTF-8, as portals publish them."""
    encoding, _, shown = form.partition("-as-")
    data = encode_legacy(text, encoding)
    if shown:
        data = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data).encode("utf-8")
    return data


def writable(text: str, form: str) -> str:
    """``text`` with what ``form`` cannot write as ``?``, as :func:`encode_legacy` writes it."""
    encoding = form.partition("-as-")[0]
    return "".join(ch if _writable(ch, encoding) else "?" for ch in text)


def source_file(request, name):
    return (request.getfixturevalue("corpus_dir") if name.endswith(".txt") else request.getfixturevalue("wild_dir")) / name


def facts(extraction):
    return [(t.number, t.title, [m.name for m in t.lead], [m.name for m in t.support]) for t in extraction.tasks]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", [TXT, MD])
def test_legacy_text_is_converted_and_reported(tmp_path, request, name, form):
    original = unicode_text(source_file(request, name))
    expected = writable(original, form)
    data = legacy_bytes(original, form)
    assert data != expected.encode("utf-8")
    text, notes = decode_with_notes(data, name)
    assert text == expected
    encoding = form.partition("-as-")[0]
    assert len(notes) == 1 and notes[0].startswith(NAMES[encoding])
    assert ("Windows-1252" in notes[0]) == form.endswith("cp1252")

    path = tmp_path / name
    path.write_bytes(data)
    doc = read_document(path)
    w109 = [i for i in doc.issues if i.code == "W109"]
    assert len(w109) == 1 and NAMES[encoding] in str(w109[0]) and w109[0].file == name
    assert str(w109[0]).startswith(f"W109 {name}: the text was in {NAMES[encoding]}")


@pytest.mark.parametrize("form", ["tcvn3", "vni-as-cp1252"])
@pytest.mark.parametrize("name", [TXT, MD])
def test_legacy_file_extracts_like_the_unicode_file(tmp_path, request, name, form):
    original = unicode_text(source_file(request, name))
    (tmp_path / "unicode").mkdir()
    (tmp_path / "legacy").mkdir()
    reference = tmp_path / "unicode" / name
    reference.write_text(writable(original, form), encoding="utf-8")
    legacy = tmp_path / "legacy" / name
    legacy.write_bytes(legacy_bytes(original, form))
    want, got = extract_file(reference), extract_file(legacy)
    assert want.tasks and facts(got) == facts(want)
    assert [d.title for d in got.documents] == [d.title for d in want.documents]
    assert [i.code for i in read_document(legacy).issues if i.code == "W109"] == ["W109"]
    assert not [i for i in read_document(reference).issues if i.code == "W109"]


def test_source_lines_of_a_tcvn3_file(tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes(encode_legacy("KẾ HOẠCH\nThực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị\n", "tcvn3"))
    assert read_source(path).lines == ["KẾ HOẠCH", "Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị"]


def test_capitals_typed_in_a_capitals_font_are_capitals(tmp_path):
    # .VnTimeH shows the bytes of small letters as capitals: "KÕ HO¹CH" is typed for KẾ HOẠCH
    data = "UBND TØNH PHó THä\nKÕ HO¹CH\nThùc hiÖn NghÞ quyÕt cña tØnh\n".encode("latin-1")
    assert decode_with_notes(data, "a.txt") == (
        "UBND TỈNH PHÚ THỌ\nKẾ HOẠCH\nThực hiện Nghị quyết của tỉnh\n", ["TCVN3 (ABC)"])


def test_cp1252_punctuation_of_abc_documents(tmp_path):
    data = "\x93KÕ ho¹ch\x94 \x96 HO\x84CH\x85 M\x02C TI£U \x95 C\x95 \x85\n".encode("latin-1")
    text, notes = decode_with_notes(data, "a.txt")
    assert text == "“Kế hoạch” – HOẠCH… MỤC TIÊU • CÓ …\n" and notes == ["TCVN3 (ABC)"]


def test_a_file_of_a_unicode_part_and_a_legacy_part(tmp_path):
    data = "Kế hoạch thực hiện\n".encode("utf-8") + encode_legacy("Thực hiện Nghị quyết của Chính phủ\n", "vni")
    assert decode_with_notes(data, "a.txt") == ("Kế hoạch thực hiện\nThực hiện Nghị quyết của Chính phủ\n", ["VNI"])


# --- what is not converted ---------------------------------------------------------------------------------


def test_unicode_vietnamese_is_not_touched(request):
    for name in (TXT, MD):
        path = source_file(request, name)
        text, notes = decode_with_notes(path.read_bytes(), name)
        assert notes == [] and text == path.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert not [i for i in read_document(path).issues if i.code == "W109"]


@pytest.mark.parametrize("text", [
    "Copyright © 2024 — all rights reserved. Café crème brûlée, naïve façade, Ökonomie für Straße ±5 °C.",
    "Le ministère a publié à Paris un rapport très détaillé où l'on lit que l'été sera chaud à Hanoï.",
    "Åsa Öberg — Ärende nr 12 ½ — © Ødegård ¶ § 3 « citation » ¹²³ ¼ µ ¸ ¹",
])
def test_latin1_text_is_not_taken_for_vietnamese(text):
    with pytest.raises(InputError) as info:
        decode_with_notes(text.encode("cp1252"), "a.txt")
    assert info.value.issue.code == "E103"
    # the same text saved in UTF-8 is read as it is
    assert decode_with_notes(text.encode("utf-8"), "a.txt") == (text, [])


def test_ascii_text_is_read_as_it_is():
    text = "Plain English text, with a price list: 3 apples, 2 pears.\nKe hoach so 12\n"
    assert decode_with_notes(text.encode("ascii"), "a.txt") == (text, [])


def test_random_latin1_bytes_are_E103():
    rng = random.Random(14)
    for _ in range(20):
        data = bytes(rng.choice(b"abcdefghiklmnopqrstuvxy      \n") if rng.random() < 0.8 else rng.randrange(0xA0, 0x100)
                     for _ in range(2000))
        with pytest.raises(InputError) as info:
            decode_with_notes(data, "r.txt")
        assert info.value.issue.code == "E103"


def test_a_few_legacy_words_are_not_enough():
    with pytest.raises(InputError):
        decode_with_notes("Ref. KÕ".encode("latin-1"), "a.txt")
