"""The geometric reading of positioned words on small hand-made pages."""

from __future__ import annotations

from policykg.loaders.readers.geometry import Page, Rule, Word, pages_document


def _words(text: str, x: float, top: float, bold: bool = False, size: float = 10.0) -> list[Word]:
    out = []
    for piece in text.split():
        width = 5.0 * len(piece)
        out.append(Word(piece, x, top, x + width, top + size, bold=bold))
        x += width + 3.0
    return out


def _grid(xs, ys, skip_v=(), skip_h=()):
    """Rules of a grid; ``skip_v`` (x, row) and ``skip_h`` (y, col) are borders left out (merged cells)."""
    rules = []
    for r in range(len(ys) - 1):
        for x in xs:
            if (x, r) not in skip_v:
                rules.append(Rule(x, ys[r], x, ys[r + 1]))
    for c in range(len(xs) - 1):
        for y in ys:
            if (y, c) not in skip_h:
                rules.append(Rule(xs[c], y, xs[c + 1], y))
    return rules


def test_two_wrapped_lines_are_one_paragraph():
    words = _words("- Chủ trì, phối hợp với Sở Tài chính xây dựng", 60, 100) + _words("kho dữ liệu dùng chung.", 60, 112)
    doc = pages_document([Page(1, 595, 842, words)], "a.pdf", "pdf")
    assert [(b.kind, b.text, b.line_start, b.line_end, b.page) for b in doc.blocks] == [
        ("list_item", "- Chủ trì, phối hợp với Sở Tài chính xây dựng kho dữ liệu dùng chung.", 1, 2, 1)]
    assert doc.blocks[0].box == (60, 100, max(w.x1 for w in words), 122)


def test_a_gap_and_a_marker_break_paragraphs():
    words = (_words("I. MỤC ĐÍCH", 60, 100, bold=True) + _words("Căn cứ Luật Tổ chức", 60, 125)
             + _words("chính quyền địa phương;", 60, 137) + _words("a) Sở Y tế chủ trì.", 60, 149))
    doc = pages_document([Page(1, 595, 842, words)], "a.pdf", "pdf")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "I. MỤC ĐÍCH"), ("paragraph", "Căn cứ Luật Tổ chức chính quyền địa phương;"),
        ("list_item", "a) Sở Y tế chủ trì.")]
    assert doc.blocks[0].bold


def test_ruled_table_with_a_merged_header():
    xs, ys = [50, 100, 250, 400], [100, 120, 140, 160]
    # header: "TT" spans two rows; "Cơ quan" spans two columns over "Chủ trì" | "Phối hợp"
    rules = _grid(xs, ys, skip_v={(250, 0)}, skip_h={(120, 0)})
    words = (_words("TT", 55, 105, True) + _words("Cơ quan", 200, 105, True) + _words("Chủ trì", 110, 125, True)
             + _words("Phối hợp", 260, 125, True) + _words("1", 55, 145) + _words("Sở Y tế", 110, 145)
             + _words("Sở Tài chính", 260, 145) + _words("Kế hoạch này", 50, 200))
    doc = pages_document([Page(1, 595, 842, words, rules)], "a.pdf", "pdf")
    table = doc.tables[0].table
    assert [(c.row, c.col, c.row_span, c.col_span, c.text, c.kind) for c in table.cells] == [
        (0, 0, 2, 1, "TT", "column_header"), (0, 1, 1, 2, "Cơ quan", "column_header"),
        (1, 1, 1, 1, "Chủ trì", "column_header"), (1, 2, 1, 1, "Phối hợp", "column_header"),
        (2, 0, 1, 1, "1", "body"), (2, 1, 1, 1, "Sở Y tế", "body"), (2, 2, 1, 1, "Sở Tài chính", "body")]
    assert all(c.page == 1 and c.box for c in table.cells)
    assert doc.blocks[-1].text == "Kế hoạch này"
    assert [line.line for line in doc.lines] == sorted(line.line for line in doc.lines)


def test_table_over_two_pages_is_joined_and_its_repeated_header_dropped():
    xs = [50, 100, 300]
    first = Page(1, 595, 842, _words("TT", 55, 705, True) + _words("Nhiệm vụ", 110, 705, True)
                 + _words("1", 55, 725) + _words("Xây dựng đề án", 110, 725) + _words("2", 775, 810),
                 _grid(xs, [700, 720, 740]))
    second = Page(2, 595, 842, _words("TT", 55, 55, True) + _words("Nhiệm vụ", 110, 55, True)
                  + _words("2", 55, 75) + _words("Kết nối mạng", 110, 75) + _words("3", 775, 810),
                  _grid(xs, [50, 70, 90]))
    doc = pages_document([first, second], "a.pdf", "pdf")
    assert len(doc.tables) == 1
    rows = [[c.text for c in row] for row in doc.tables[0].table.rows()]
    assert rows == [["TT", "Nhiệm vụ"], ["1", "Xây dựng đề án"], ["2", "Kết nối mạng"]]
    assert [c.page for c in doc.tables[0].table.cells] == [1, 1, 1, 1, 2, 2]
    assert [b.kind for b in doc.blocks if b.kind == "furniture"] == ["furniture", "furniture"]  # page numbers


def test_row_cut_by_a_page_break_is_joined():
    xs = [50, 100, 300]
    first = Page(1, 595, 842, _words("1", 55, 725) + _words("Xây dựng đề án", 110, 725),
                 _grid(xs, [720, 760])[:-1] + [Rule(50, 720, 300, 720)])
    second = Page(2, 595, 842, _words("chuyển đổi số", 110, 55) + _words("2", 55, 85) + _words("Kết nối", 110, 85),
                  [Rule(x, 50, x, 100) for x in xs] + [Rule(50, 80, 300, 80), Rule(50, 100, 300, 100)])
    doc = pages_document([first, second], "a.pdf", "pdf")
    rows = [[c.text for c in row] for row in doc.tables[0].table.rows()]
    assert rows == [["1", "Xây dựng đề án chuyển đổi số"], ["2", "Kết nối"]]
