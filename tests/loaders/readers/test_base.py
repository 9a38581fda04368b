"""Sniffing the format of a file and the errors of bad input, whatever the reader."""

from __future__ import annotations

import pytest

from policykg.errors import InputError
from policykg.loaders.readers import read_document, sniff_format


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("a.txt", "<!DOCTYPE html><html><body><p>KẾ HOẠCH</p><p>x</p></body></html>", "html"),
    ("a.txt", "|\n**ỦY BAN NHÂN DÂN**\n|\n**CỘNG HÒA**\n|", "markdown"),
    ("a.txt", "| TT | Nhiệm vụ |\n|---|---|\n| 1 | a |", "markdown"),
    ("a.txt", "KẾ HOẠCH\nCăn cứ Luật Tổ chức chính quyền địa phương; a < b và c > d", "text"),
    ("a.html", "KẾ HOẠCH", "html"),
    ("a.md", "KẾ HOẠCH", "markdown"),
])
def test_sniff_format(name, text, expected):
    assert sniff_format(name, text) == expected


def test_unsupported_suffix_names_the_formats(tmp_path):
    path = tmp_path / "plan.xyz"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value).startswith("E106 plan.xyz:")
    assert all(s in str(info.value) for s in (".md", ".html", ".pdf", ".docx", ".xlsx", ".png"))


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_bad_bytes_are_reported_for_every_format(tmp_path, suffix):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes("KẾ HOẠCH".encode("utf-8") + b"\xff\xfe\x00x")
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value).split()[:2] in (["E103", f"bad{suffix}:"], ["E102", f"bad{suffix}:"])
