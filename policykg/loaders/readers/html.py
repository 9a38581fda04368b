"""HTML pages as the legal portals serve them, read with a real HTML parser (BeautifulSoup).

Block elements (``p``, ``h1``–``h6``, ``li``, ``div`` holding only text) become blocks; ``br``
breaks a block's lines; a block is bold when all its letters sit in ``b``/``strong`` (or a
``font-weight: bold`` style); tables keep ``colspan``/``rowspan`` as cell spans. Lines are the
source lines of the page, as the parser reports them. Scripts, styles and navigation are skipped.

>>> page = '''<html><body><table><tr><td><b>ỦY BAN NHÂN DÂN<br>TỈNH NGHỆ AN</b></td>
... <td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr></table>
... <p align="center"><b>KẾ HOẠCH</b></p><p>- Giao <b>Sở Y tế</b> chủ trì.</p>
... <table><tr><th rowspan="2">TT</th><th colspan="2">Cơ quan</th></tr><tr><th>Chủ trì</th><th>Phối hợp</th></tr></table>
... </body></html>'''
>>> doc = read_html(page, "a.html")
>>> [(b.kind, b.text) for b in doc.blocks][1:3]
[('heading', 'KẾ HOẠCH'), ('list_item', '- Giao Sở Y tế chủ trì.')]
>>> [(c.row, c.col, c.row_span, c.col_span, c.text) for c in doc.blocks[3].table.cells]
[(0, 0, 2, 1, 'TT'), (0, 1, 1, 2, 'Cơ quan'), (1, 1, 1, 1, 'Chủ trì'), (1, 2, 1, 1, 'Phối hợp')]
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ...text import collapse_spaces, repair
from ..document import Cell, Document, TextLine
from .base import register_reader
from .blocks import table_block, text_block

__all__ = ["read_html"]

_SKIP = {"script", "style", "noscript", "head", "nav", "header", "footer", "form", "button", "select", "iframe", "svg"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "blockquote", "pre", "td", "th", "dd", "dt", "section",
           "article", "center", "main", "body", "ul", "ol", "dl", "figure", "caption", "tbody", "thead", "tr", "table"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)


def _is_bold(node: Tag, known: dict[int, bool] | None = None) -> bool:
    """True when ``node`` sits in ``b``/``strong`` (or a bold style) inside its block, or in a ``th``.

    ``known`` remembers the answer for each element walked through, so text nested thousands of ``b`` deep
    is not walked up again for every piece."""
    known = {} if known is None else known
    path: list[int] = []
    answer = False
    parent: Tag | None = node
    while parent is not None:
        if id(parent) in known:
            answer = known[id(parent)]
            break
        path.append(id(parent))
        if parent.name in {"b", "strong"} or _BOLD_STYLE.search(parent.get("style", "") or ""):
            answer = True
            break
        if parent.name in {"p", "td", "th", "li", "div", "body"}:
            answer = parent.name in {"th"}
            break
        parent = parent.parent
    known.update(dict.fromkeys(path, answer))
    return answer


def _lines_of(node: Tag, start_line: int) -> tuple[list[tuple[str, int]], bool]:
    """The text lines of an element (``br`` and newlines in the source break lines) and whether all of it is bold."""
    lines: list[tuple[str, int]] = [("", start_line)]
    letters = bold_letters = 0
    line = start_line
    known: dict[int, bool] = {}
    for piece in node.descendants:
        if isinstance(piece, Tag):
            if piece.name == "br":
                lines.append(("", line))
            continue
        if not isinstance(piece, NavigableString) or piece.parent is None or piece.parent.name in _SKIP:
            continue
        text = str(piece)
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if k:
                line += 1
                lines.append(("", line))
            count = sum(1 for c in part if c.isalpha())
            letters += count
            if count and _is_bold(piece.parent, known):
                bold_letters += count
            lines[-1] = (lines[-1][0] + part, lines[-1][1])
    return [(repair(collapse_spaces(t)), n) for t, n in lines if t.strip()], letters > 0 and bold_letters == letters


def _with_block_children(root: Tag) -> set[int]:
    """The ids of the elements under ``root`` that hold a block element at any depth: one pass from the
    innermost elements out, so deep nesting costs no more than flat markup (and no recursion)."""
    out: set[int] = set()
    for node in reversed(list(root.descendants)):
        parent = node.parent
        if isinstance(node, Tag) and parent is not None and (node.name in _BLOCKS or id(node) in out):
            out.add(id(parent))
    return out


_MAX_COLUMNS = 1000  # HTML caps colspan at 1000; a table wider than that is not a table of a policy document
_SPAN = re.compile(r"\s*\+?([0-9]+)")


def _span(value: object, cap: int) -> int:
    """A ``rowspan``/``colspan`` as a browser reads it (leading ASCII digits, else 1), at least 1 and at most
    ``cap``."""
    m = _SPAN.match(str(value)) if value is not None else None
    return max(1, min(int(m.group(1)), cap)) if m else 1


def _table(node: Tag) -> list[Cell]:
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    rows = [tr for tr in node.find_all("tr") if tr.find_parent("table") is node]
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            # a span reaches no further than the table's last row and its 1000th column (browsers clip them too)
            row_span = _span(td.get("rowspan"), len(rows) - r)
            col_span = _span(td.get("colspan"), max(1, _MAX_COLUMNS - c))
            lines, bold = _lines_of(td, td.sourceline or 0)
            text = collapse_spaces(" ".join(t for t, _ in lines))
            first = lines[0][1] if lines else (td.sourceline or 0)
            cells.append(Cell(r, c, text, row_span, col_span, "column_header" if td.name == "th" else "body",
                              first, lines[-1][1] if lines else first, bold and bool(text)))
            for dr in range(row_span):
                for dc in range(col_span):
                    taken.add((r + dr, c + dc))
            c += col_span
    return cells


def read_html(text: str, file: str) -> Document:
    """Read an HTML page into a :class:`Document`."""
    soup = BeautifulSoup(text, "html.parser")
    doc = Document(file, "html", [])
    root = soup.body or soup
    nested = _with_block_children(root)
    # depth first through the elements that hold blocks, with a stack of where each level is (no recursion:
    # a page may nest its elements thousands deep)
    stack = [(root, iter(list(root.children)))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        if child.name == "table":
            cells = _table(child)
            if cells:
                doc.blocks.append(table_block(cells))
                doc.lines.extend(TextLine(c.text, c.line_start) for c in cells if c.text)
            continue
        if child.name in _BLOCKS and id(child) in nested:
            stack.append((child, iter(list(child.children))))
            continue
        if child.name not in _BLOCKS and id(child) not in nested and node is not root:
            continue
        lines, bold = _lines_of(child, child.sourceline or 0)
        if not lines:
            continue
        kind = "heading" if re.fullmatch(r"h[1-6]", child.name or "") else None
        block = text_block(lines, bold=bold, kind=kind)
        if child.name == "li" and block.kind == "paragraph":
            block.kind = "list_item"
        if doc.lines:
            doc.lines.append(TextLine("", block.line_start))
        doc.blocks.append(block)
        doc.lines.extend(TextLine(t, n) for t, n in lines)
    return doc


register_reader("html", read_html, (".html", ".htm", ".xhtml"))
