"""Files that are not documents of the genre are reported with what they hold, never crash, and are skipped by a build."""

from __future__ import annotations

import pytest

from policykg.errors import NotGenreError
from policykg.loaders import extract_file
from policykg.pipeline import build

LAW = """**QUỐC HỘI**

**LUẬT**

**BẢO VỆ DỮ LIỆU CÁ NHÂN**

*Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;*

Quốc hội ban hành Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.

**Điều 1. Phạm vi điều chỉnh**
"""
NEWS = """Chiều 20/11, tại Hà Nội, Bộ Khoa học và Công nghệ tổ chức hội thảo về chuyển đổi số.
Theo Nghị quyết 57-NQ/TW, đến năm 2030 kinh tế số chiếm 30% GDP. Các đại biểu đánh giá cao kết quả đạt được.
"""
PRICES = """<html><body><h3>Bảng giá vật liệu xây dựng tháng 11/2025</h3>
<table><tr><th>Mặt hàng</th><th>Đơn vị</th><th>Đơn giá (đồng)</th></tr><tr><td>Xi măng</td><td>tấn</td><td>1.500.000</td></tr></table>
</body></html>"""


@pytest.mark.parametrize(("name", "text", "said"), [
    ("luat.md", LAW, "a law (heading “LUẬT”); 1 document number cited (91/2025/QH15)"),
    ("tin-tuc.txt", NEWS, "reads like running text"),
    ("bang-gia.html", PRICES, "a price list (table with “Đơn giá (đồng)”)"),
])
def test_not_the_genre_is_reported_with_what_was_found(tmp_path, name, text, said):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotGenreError) as info:
        extract_file(path)
    message = str(info.value)
    assert message.startswith(f"E104 {name}: not a policy document of the genre") and said in message


def test_build_skips_files_not_of_the_genre_and_loads_the_others(tmp_path, wild_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "luat.md").write_text(LAW, encoding="utf-8")
    (folder / "plan.md").write_text((wild_dir / "ha-noi-kh-308-2025.md").read_text(encoding="utf-8"), encoding="utf-8")
    report = build([folder], tmp_path / "store")
    assert report.loaded == ["plan.md"] and report.errors == []
    assert [(i.code, i.file) for i in report.skipped] == [("E104", "luat.md")]


def test_every_wild_document_loads(wild_dir):
    for path in sorted(wild_dir.glob("*.md")):
        if path.name == "SOURCES.md":
            with pytest.raises(NotGenreError):
                extract_file(path)
            continue
        ex = extract_file(path)
        assert ex.documents, path.name
        assert all(d.kind and d.title for d in ex.documents), path.name
