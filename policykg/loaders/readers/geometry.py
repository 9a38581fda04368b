"""Pages of positioned words (from a PDF's text layer or from OCR) into the document model.

A geometric reader gives, for each page, its words with their boxes (and, from OCR, their
confidence; from a PDF, whether they are bold) and the ruling lines drawn on it;
:func:`pages_document` turns them into text lines in reading order, paragraphs and tables, with
the page and box of every block, line and cell. Coordinates are in points from the top-left corner
of the page (PDF user space with ``top`` growing downwards, as pdfplumber gives them; OCR pixel
boxes are scaled by the reader).

What it reads from the geometry:

* **lines** — words grouped by vertical overlap; a run of lines split by a common gutter (the head
  of a Vietnamese document: the issuer on the left, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on the
  right) is read left column first, then right column, as ``pdftotext`` prints it;
* **furniture** — page numbers and lines repeated at the top or bottom of the pages;
* **paragraphs** — wrapped lines joined, broken where the vertical gap, the boldness or the indent
  says a new paragraph starts, and within that by :func:`~policykg.loaders.layout.paragraphs`
  (markers "1.", "a)", "-", headings "I. ...") as the text reader does;
* **tables** — ruled tables from the drawn lines: the rules' x and y positions make a grid, a
  missing rule between two grid cells merges them (row and column spans), words go to the cell
  holding their centre, the cell's lines are joined; leading bold rows are column headers; a table
  that goes on at the top of the next page with the same columns is one table (a repeated header
  row dropped, a row cut by the page break joined); tables without drawn borders from column
  alignment (:func:`aligned_tables`), read into the same grid.

>>> page = Page(1, 595.0, 842.0, [Word("KẾ", 100, 50, 115, 60), Word("HOẠCH", 118, 50, 160, 60),
...                               Word("Số:", 50, 80, 65, 90), Word("12/KH-UBND", 68, 80, 120, 90)])
>>> doc = pages_document([page], "a.pdf", "pdf")
>>> [(line.text, line.line, line.page) for line in doc.lines]
[('KẾ HOẠCH', 1, 1), ('Số: 12/KH-UBND', 2, 1)]
>>> [(b.kind, b.text) for b in doc.blocks]
[('heading', 'KẾ HOẠCH'), ('paragraph', 'Số: 12/KH-UBND')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...text import collapse_spaces, fold_chars
from ..document import Block, Cell, Document, TextLine
from ..layout import furniture_mask, paragraphs
from ..source import SourceText
from .blocks import classify, table_block

__all__ = ["Word", "Rule", "Page", "pages_document", "text_lines", "ruled_tables", "aligned_tables"]

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    """A word on a page: its text, its box (x0, top, x1, bottom), how sure the reader is of it (0-1) and
    whether it is printed bold."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float = 1.0
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    """A ruling line drawn on a page (a table's border): from (x0, top) to (x1, bottom)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Page:
    """One page: its number (1-based), size, words and ruling lines."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


# ---------------------------------------------------------------- lines


@dataclass
class _Line:
    words: list[Word]
    page: int
    number: int = 0
    furniture: bool = False
    column: int = 0  # 0: the full width; 1 / 2: left / right column of a split run
    run: int = -1  # the split run it belongs to

    @property
    def text(self) -> str:
        return collapse_spaces(" ".join(w.text for w in self.words))

    @property
    def box(self) -> Box:
        return _union(self.words)

    @property
    def bold(self) -> bool:
        letters = [w for w in self.words if any(c.isalpha() for c in w.text)]
        return bool(letters) and all(w.bold for w in letters)

    @property
    def height(self) -> float:
        return max(w.bottom for w in self.words) - min(w.top for w in self.words)


def _union(items) -> Box:
    items = list(items)
    return (round(min(i.x0 for i in items), 1), round(min(i.top for i in items), 1),
            round(max(i.x1 for i in items), 1), round(max(i.bottom for i in items), 1))


def _group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines (by vertical overlap), top to bottom, each left to right."""
    lines: list[list[Word]] = []
    bounds: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        height = word.bottom - word.top
        for k in range(len(lines) - 1, max(len(lines) - 3, -1), -1):
            top, bottom = bounds[k]
            overlap = min(bottom, word.bottom) - max(top, word.top)
            if overlap > 0.5 * min(bottom - top, height):
                lines[k].append(word)
                bounds[k] = (min(top, word.top), max(bottom, word.bottom))
                break
        else:
            lines.append([word])
            bounds.append((word.top, word.bottom))
    out = [sorted(line, key=lambda w: w.x0) for line in lines]
    out.sort(key=lambda line: min(w.top for w in line))
    return out


def _gaps(words: list[Word], least: float) -> list[tuple[float, float]]:
    """The horizontal gaps wider than ``least`` between the words of a line."""
    return [(a.x1, b.x0) for a, b in zip(words, words[1:]) if b.x0 - a.x1 > least]


def _split_runs(lines: list[list[Word]]) -> list[tuple[int, int, float]]:
    """Runs (first, last line index, gutter x) of consecutive lines that a common gutter splits in two columns,
    at least two lines having words on both sides."""
    runs: list[tuple[int, int, float]] = []
    k = 0
    while k < len(lines):
        height = max(w.bottom for w in lines[k]) - min(w.top for w in lines[k])
        gaps = _gaps(lines[k], max(0.7 * height, 7.0))
        found = False
        for a, b in gaps:
            free = (a, b)
            first = last = k
            both = 1

            def fits(line: list[Word], free: tuple[float, float]) -> tuple[float, float] | None:
                lo, hi = free
                for w in line:
                    if w.x1 <= (lo + hi) / 2:
                        lo = max(lo, w.x1)
                    else:
                        hi = min(hi, w.x0)
                return (lo, hi) if hi - lo >= 8 else None

            j = k + 1
            while j < len(lines):
                gap = min(w.top for w in lines[j]) - max(w.bottom for w in lines[j - 1])
                if gap > 2.5 * height:
                    break
                narrowed = fits(lines[j], free)
                if narrowed is None:
                    break
                mid = (narrowed[0] + narrowed[1]) / 2
                if any(w.x1 <= mid for w in lines[j]) and any(w.x0 >= mid for w in lines[j]):
                    both += 1
                free, last, j = narrowed, j, j + 1
            if both >= 2 and last > first:
                runs.append((first, last, (free[0] + free[1]) / 2))
                k = last + 1
                found = True
                break
        if not found:
            k += 1
    return runs


def text_lines(words: list[Word], page: int) -> list[_Line]:
    """The lines of ``words`` in reading order: a run split by a gutter gives its left column, then its right.

    >>> ws = [Word("ỦY", 60, 50, 80, 62), Word("BAN", 84, 50, 110, 62), Word("CỘNG", 300, 50, 340, 62),
    ...       Word("HÒA", 344, 50, 370, 62), Word("Số:", 60, 66, 80, 78), Word("12", 84, 66, 95, 78),
    ...       Word("Hà", 300, 66, 320, 78), Word("Nội", 324, 66, 350, 78)]
    >>> [(line.text, line.column) for line in text_lines(ws, 1)]
    [('ỦY BAN', 1), ('Số: 12', 1), ('CỘNG HÒA', 2), ('Hà Nội', 2)]
    """
    lines = _group_lines(words)
    out: list[_Line] = []
    k = 0
    for n, (first, last, gutter) in enumerate(_split_runs(lines)):
        out.extend(_Line(line, page) for line in lines[k:first])
        run = lines[first:last + 1]
        for column, side in ((1, lambda w: w.x1 <= gutter), (2, lambda w: w.x1 > gutter)):
            out.extend(_Line(part, page, column=column, run=n) for line in run if (part := [w for w in line if side(w)]))
        k = last + 1
    out.extend(_Line(line, page) for line in lines[k:])
    return out


# ---------------------------------------------------------------- ruled tables


@dataclass
class _Grid:
    """A ruled table found on a page: column and row boundaries and its cells (row, col, spans, box, words)."""

    page: int
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int, Box, list[Word]]]

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def _cluster(values: list[float], tolerance: float = 2.5) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [round(sum(c) / len(c), 1) for c in out]


def _merge_segments(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear segments (position, start, end) that touch, joined."""
    out: list[list[float]] = []
    for pos, a, b in sorted(segments):
        if out and abs(out[-1][0] - pos) <= 1.5 and a <= out[-1][2] + 2.0:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out]


def ruled_tables(page: Page) -> list[_Grid]:
    """The ruled tables of a page: grids of at least two rows or two columns whose borders are drawn.

    >>> rules = [Rule(50, y, 350, y) for y in (100, 120, 140, 160)] + [Rule(x, 100, x, 160) for x in (50, 150, 250, 350)]
    >>> words = [Word("TT", 60, 105, 75, 115), Word("1", 60, 125, 65, 135), Word("Sở", 160, 125, 175, 135)]
    >>> [(r, c, rs, cs, [w.text for w in ws]) for r, c, rs, cs, _, ws in ruled_tables(Page(1, 595, 842, words, rules))[0].cells][:4]
    [(0, 0, 1, 1, ['TT']), (0, 1, 1, 1, []), (0, 2, 1, 1, []), (1, 0, 1, 1, ['1'])]
    """
    flat, upright = [], []
    for r in page.rules:
        w, h = abs(r.x1 - r.x0), abs(r.bottom - r.top)
        if h <= 2.5 and w > 4:
            flat.append(((r.top + r.bottom) / 2, min(r.x0, r.x1), max(r.x0, r.x1)))
        elif w <= 2.5 and h > 4:
            upright.append(((r.x0 + r.x1) / 2, min(r.top, r.bottom), max(r.top, r.bottom)))
    flat, upright = _merge_segments(flat), _merge_segments(upright)
    if len(flat) < 2 or len(upright) < 2:
        return []
    # connected components of crossing rules
    nodes = [("h", s) for s in flat] + [("v", s) for s in upright]
    parent = list(range(len(nodes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    slack = 3.0
    for i, (ki, (y, a, b)) in enumerate(nodes[:len(flat)]):
        for j in range(len(flat), len(nodes)):
            x, top, bottom = nodes[j][1]
            if a - slack <= x <= b + slack and top - slack <= y <= bottom + slack:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        groups.setdefault(find(i), []).append(i)
    grids = []
    for members in groups.values():
        hs = [nodes[i][1] for i in members if nodes[i][0] == "h"]
        vs = [nodes[i][1] for i in members if nodes[i][0] == "v"]
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _grid(page, hs, vs)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _grid(page: Page, hs, vs) -> _Grid | None:
    xs, ys = _cluster([x for x, _, _ in vs]), _cluster([y for y, _, _ in hs])
    # a row cut by a page break has no rule on its open side: the upright rules reach past the last flat one
    top, bottom = min(t for _, t, _ in vs), max(b for _, _, b in vs)
    if top < ys[0] - 6:
        ys.insert(0, round(top, 1))
    if bottom > ys[-1] + 6:
        ys.append(round(bottom, 1))
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1 or n_rows * n_cols < 2:
        return None

    def vertical_at(x: float, y: float) -> bool:
        return any(abs(vx - x) <= 2.5 and top - 1 <= y <= bottom + 1 for vx, top, bottom in vs)

    def flat_at(y: float, x: float) -> bool:
        return any(abs(hy - y) <= 2.5 and a - 1 <= x <= b + 1 for hy, a, b in hs)

    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for r in range(n_rows):
        ym = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols):
            xm = (xs[c] + xs[c + 1]) / 2
            if c + 1 < n_cols and not vertical_at(xs[c + 1], ym):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and not flat_at(ys[r + 1], xm):
                parent[find((r + 1, c))] = find((r, c))
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for p in parent:
        spans.setdefault(find(p), []).append(p)
    cells = []
    for members in spans.values():
        r0, c0 = min(r for r, _ in members), min(c for _, c in members)
        r1, c1 = max(r for r, _ in members), max(c for _, c in members)
        cells.append([r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]), []])
    if len(cells) < 2:
        return None
    cells.sort(key=lambda c: (c[0], c[1]))
    for word in page.words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        for cell in cells:
            x0, top, x1, bottom = cell[4]
            if x0 <= cx <= x1 and top <= cy <= bottom:
                cell[5].append(word)
                break
    return _Grid(page.number, xs, ys, [tuple(c) for c in cells])


# ---------------------------------------------------------------- tables without drawn borders

_RIVER = 8.0  # the narrowest gap between two columns of an unruled table, in points


def _free(line: list[Word], lo: float, hi: float) -> list[tuple[float, float]]:
    """The x-intervals of [lo, hi] that no word of ``line`` covers."""
    out, x = [], lo
    for w in line:
        if w.x0 > x:
            out.append((x, min(w.x0, hi)))
        x = max(x, w.x1)
    if x < hi:
        out.append((x, hi))
    return [(a, b) for a, b in out if b - a > 0]


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= _RIVER:
                out.append((lo, hi))
    return out


def _segments(line: list[Word]) -> int:
    """How many pieces the gaps of at least :data:`_RIVER` cut a line into."""
    return 1 + sum(1 for a, b in zip(line, line[1:]) if b.x0 - a.x1 >= _RIVER)


def _top(line: list[Word]) -> float:
    return min(w.top for w in line)


def _bottom(line: list[Word]) -> float:
    return max(w.bottom for w in line)


def aligned_tables(page: Page, words: list[Word]) -> list[_Grid]:
    """Tables whose borders are not drawn, found from column alignment.

    A table is a run of lines, close together, in which lines cut into three or more pieces by wide gaps (at
    least 8 pt) come back at least every few lines, and the gaps those lines share ("rivers") cut it into three
    or more columns. Lines between them are wrapped lines of their cells, or group rows whose text runs across
    the columns (a row of its own, one cell wide as the table). A row starts at a line with words in the first
    column, at a group row, or after a gap wider than the lines' usual spacing. A document's head and its
    signature block (two columns) are not tables.

    >>> def row(y, *cells): return [Word(t, x, y, x + 8 * len(t), y + 10) for x, t in cells]
    >>> words = (row(100, (50, "TT"), (90, "Nhiệm"), (300, "Chủ"), (420, "Thời")) + row(114, (50, "1"), (90, "Xây"),
    ...          (300, "Sở"), (420, "2025")) + row(128, (90, "dựng"), (300, "Y"))
    ...          + row(142, (50, "II"), (90, "NHIỆM VỤ CHUNG CỦA CÁC SỞ NGÀNH VÀ ĐỊA"))
    ...          + row(156, (50, "2"), (90, "Đào"), (300, "Sở"), (420, "2026")))
    >>> grid = aligned_tables(Page(1, 595, 842, words), words)[0]
    >>> len(grid.ys) - 1, len(grid.xs) - 1, [[w.text for w in ws] for *_, ws in grid.cells][4:10]
    (4, 4, [['1'], ['Xây', 'dựng'], ['Sở', 'Y'], ['2025'], ['II'], ['NHIỆM VỤ CHUNG CỦA CÁC SỞ NGÀNH VÀ ĐỊA']])
    """
    lines = _group_lines(words)
    pieces = [_segments(line) for line in lines]
    grids: list[_Grid] = []
    k = 0
    while k < len(lines):
        last = _aligned_run(lines, pieces, k)
        if last is None:
            k += 1
            continue
        run = lines[k:last + 1]
        lo, hi = min(w.x0 for line in run for w in line) - 1, max(w.x1 for line in run for w in line) + 1
        rivers = [(lo, hi)]
        for line, n in zip(run, pieces[k:last + 1]):
            if n >= 3:
                rivers = _intersect(rivers, _free(line, lo, hi))
        cuts = [b - 2 for a, b in rivers if a > lo and b < hi]  # where a column's text starts: the same on every page
        if (grid := _aligned_grid(page, run, cuts, lo, hi)) is not None:
            grids.append(grid)
        k = last + 1
    return grids


def _aligned_run(lines: list[list[Word]], pieces: list[int], k: int) -> int | None:
    """The last line of the unruled table that starts at line ``k``, or None: lines of three or more pieces that
    keep two or more rivers in common, with at most a dozen lines (wrapped cells) between two of them and no
    three lines in a row that cross the rivers (a paragraph after the table); lines between them that cross no
    river are wrapped lines of cells."""
    if pieces[k] < 3:
        return None
    lo = min(w.x0 for w in lines[k]) - 1
    hi = max(w.x1 for w in lines[k]) + 1
    rivers = [r for r in _free(lines[k], lo, hi) if r[0] > lo and r[1] < hi and r[1] - r[0] >= _RIVER]
    last, rows, crossing, j = k, 1, 0, k + 1
    while j < len(lines) and j - last <= 12 and len(rivers) >= 2:
        line = lines[j]
        if _top(line) - _bottom(lines[j - 1]) > 2.5 * (_bottom(line) - _top(line)):
            break
        if any(w.x0 < a and w.x1 > b for w in line for a, b in rivers) or min(w.x0 for w in line) < lo - 2:
            crossing += 1
            if crossing >= 3:
                break
        else:
            crossing = 0
            if pieces[j] >= 3:
                narrowed = _intersect(rivers, _free(line, lo, max(hi, max(w.x1 for w in line) + 1)))
                if len(narrowed) < 2:
                    break
                rivers, rows = narrowed, rows + 1
            last = j  # a row, or wrapped lines of its cells
        j += 1
    return last if rows >= 2 else None


def _aligned_grid(page: Page, run: list[list[Word]], cuts: list[float], lo: float, hi: float) -> _Grid | None:
    """The grid of an unruled run of lines: its column cuts, the rows its lines open, group rows one cell wide."""
    spanning = [any(w.x0 < c < w.x1 for w in line for c in cuts) for line in run]
    spacing = sorted(_top(b) - _bottom(a) for a, b in zip(run, run[1:]))
    usual = spacing[len(spacing) // 2] if spacing else 0.0
    starts = [0]
    for n in range(1, len(run)):
        first_column = any((w.x0 + w.x1) / 2 < cuts[0] for w in run[n])
        if spanning[n] and spanning[n - 1]:
            continue  # a group row's title over two lines
        if first_column or spanning[n] or spanning[n - 1] or _top(run[n]) - _bottom(run[n - 1]) > usual + 3:
            starts.append(n)
    ys = [_top(run[0]) - 1] + [_top(run[n]) - 0.5 for n in starts[1:]] + [_bottom(run[-1]) + 1]
    hs = [(y, lo, hi) for y in ys]
    vs = [(x, lo_y, hi_y) for x in (lo, hi) for lo_y, hi_y in [(ys[0], ys[-1])]]
    for r, first in enumerate(starts):
        if not spanning[first]:
            vs.extend((x, ys[r], ys[r + 1]) for x in cuts)
        elif not any(w.x0 < cuts[0] < w.x1 for w in run[first]):  # a group row: its number, then its title
            vs.append((cuts[0], ys[r], ys[r + 1]))
    return _grid(page, hs, vs)


def _join_lines(texts: list[str]) -> str:
    """Wrapped lines of a cell joined as the text reader joins them (no space after a word ending "-" or "/")."""
    out = ""
    for text in texts:
        if out:
            out += "" if re.search(r"\w[-/]$", out[-2:]) else " "
        out += text
    return out


# ---------------------------------------------------------------- the document


@dataclass
class _Table:
    grid: _Grid
    cells: list[Cell]
    header_rows: int
    first_page: int


_ROW_NUMBER = re.compile(r"^\s*(?:[IVXL]{1,6}|\d{1,3}(?:\.\d{1,3})*|[A-Za-z])\s*[.)]?\s*$")


def _header_rows(cells: list[Cell]) -> int:
    """How many leading rows are column headers: rows whose text is all bold (and the rows their cells span);
    without any bold in the table, a first row of short texts that are not numbers."""
    n_rows = max(c.row + c.row_span for c in cells)
    by_row: dict[int, list[Cell]] = {}
    for c in cells:
        by_row.setdefault(c.row, []).append(c)
    if any(c.bold for c in cells):
        count = 0
        while count < min(n_rows - 1, 3):
            row = [c for c in by_row.get(count, []) if c.text]
            if not row or not all(c.bold for c in row) or _ROW_NUMBER.match(min(row, key=lambda c: c.col).text):
                break
            count = max(count + 1, max(c.row + c.row_span for c in row))
        return count if count < n_rows else 0
    first = by_row.get(0, [])
    if n_rows > 1 and first and all(c.text and len(c.text) < 40 and not re.fullmatch(r"[\d.\s]+", c.text) for c in first) \
            and len(first) > 1:
        return max(c.row + c.row_span for c in first)
    return 0


def _table_cells(grid: _Grid) -> list[Cell]:
    cells = []
    for r, c, rs, cs, box, words in grid.cells:
        lines = [_Line(line, grid.page) for line in _group_lines(words)] if words else []
        text = _join_lines([line.text for line in lines])
        bold = bool(lines) and all(line.bold for line in lines if any(ch.isalpha() for ch in line.text)) \
            and any(ch.isalpha() for ch in text)
        confidence = min((w.confidence for w in words), default=1.0)
        cells.append(Cell(r, c, text, rs, cs, "body", 0, 0, bold, grid.page, box, confidence=confidence))
    return cells


def _column_map(a: _Grid, b: _Grid) -> dict[int, int] | None:
    """Where each column boundary of ``b`` is among those of ``a`` (a table going on over a page break, on a
    page where a column without borders is empty and so not seen), or None when ``b`` has other columns."""
    if not (a.xs[0] - 3 <= b.xs[0] < a.xs[1] and a.xs[-2] < b.xs[-1] <= a.xs[-1] + 3):
        return None  # the outer edges of a table without borders are where its text ends: they may move in
    out = {0: 0, len(b.xs) - 1: len(a.xs) - 1}
    for k, x in enumerate(b.xs[1:-1], start=1):
        near = min(range(len(a.xs)), key=lambda j: abs(a.xs[j] - x))
        if abs(a.xs[near] - x) > 3:
            return None
        out[k] = near
    return out


def _recolumn(table: _Table, into: _Grid, columns: dict[int, int]) -> None:
    """The cells of ``table`` numbered by the columns of ``into``."""
    for cell in table.cells:
        start, end = columns[cell.col], columns[cell.col + cell.col_span]
        cell.col, cell.col_span = start, end - start
    table.grid = _Grid(table.grid.page, list(into.xs), table.grid.ys, table.grid.cells)


def _row_texts(cells: list[Cell], row: int) -> list[str]:
    return [fold_chars(c.text).lower() for c in sorted(cells, key=lambda c: c.col) if c.row == row]


def _append(table: _Table, more: _Table) -> None:
    """``more`` (the table going on at the top of the next page) joined to ``table``."""
    cells = more.cells
    drop = 0
    if more.header_rows and all(_row_texts(cells, r) == _row_texts(table.cells, r) for r in range(more.header_rows)):
        drop = more.header_rows
    elif more.header_rows == 0 and table.header_rows and _row_texts(cells, 0) == _row_texts(table.cells, 0):
        drop = 1
    cells = [c for c in cells if c.row >= drop]
    offset = max(c.row + c.row_span for c in table.cells)
    first = [c for c in cells if c.row == drop]
    last_row = offset - 1
    previous = {c.col: c for c in table.cells if c.row <= last_row < c.row + c.row_span}
    # a row cut by the page break: its first column (the row number) is empty on the new page
    cut = first and not any(c.text for c in first if c.col == 0) and any(c.text for c in first) \
        and all(c.col in previous and previous[c.col].col_span == c.col_span for c in first)
    for c in cells:
        if cut and c.row == drop:
            into = previous[c.col]
            if c.text:
                into.text = _join_lines([t for t in (into.text, c.text) if t])
            continue
        c.row += offset - drop - (1 if cut else 0)
        table.cells.append(c)


def pages_document(pages: list[Page], file: str, fmt: str) -> Document:
    """The document of positioned words: text lines numbered through the whole file, each with its page and
    box; paragraphs, headings, list items, furniture and tables as blocks (see the module docstring)."""
    doc = Document(file, fmt, [])
    items: list[tuple[str, object]] = []  # ("line", _Line) | ("table", _Table) | ("page", Page)
    for page in pages:
        grids = ruled_tables(page)
        inside = {id(w) for g in grids for *_, words in g.cells for w in words}
        flow = [w for w in page.words if id(w) not in inside and w.text.strip()]
        unruled = aligned_tables(page, flow)
        if unruled:
            grids = sorted(grids + unruled, key=lambda g: g.ys[0])
            inside |= {id(w) for g in unruled for *_, words in g.cells for w in words}
            flow = [w for w in flow if id(w) not in inside]
        lines = text_lines(flow, page.number)
        entries: list[tuple[float, int, str, object]] = []
        for k, line in enumerate(lines):
            entries.append((line.box[1], k, "line", line))
        for grid in grids:
            cells = _table_cells(grid)
            if not any(c.text for c in cells):
                continue
            entries.append((grid.ys[0], -1, "table", _Table(grid, cells, _header_rows(cells), page.number)))
        # lines keep their reading order; a table goes before the first line below its top
        tables = sorted((e for e in entries if e[2] == "table"), key=lambda e: e[0])
        ordered: list[tuple[str, object]] = [("page", page)]
        for top, _, kind, obj in (e for e in entries if e[2] == "line"):
            while tables and tables[0][0] <= top and obj.column == 0:  # type: ignore[attr-defined]
                ordered.append(("table", tables.pop(0)[3]))
            ordered.append((kind, obj))
        ordered.extend(("table", t[3]) for t in tables)
        items.extend(ordered)
    _mark_furniture(items, pages)
    items = _join_tables(items)
    number = 0
    for kind, obj in items:
        if kind == "line":
            number += 1
            obj.number = number  # type: ignore[attr-defined]
            doc.lines.append(TextLine(obj.text, number, obj.page, obj.box))  # type: ignore[attr-defined]
        elif kind == "table":
            for cell in sorted(obj.cells, key=lambda c: (c.row, c.col)):  # type: ignore[attr-defined]
                number += 1
                cell.line_start = cell.line_end = number
                if cell.text:
                    doc.lines.append(TextLine(cell.text, number, cell.page, cell.box))
    doc.blocks = _blocks(items, file)
    return doc


def _mark_furniture(items: list[tuple[str, object]], pages: list[Page]) -> None:
    """Page numbers and lines repeated at the top or bottom of the pages are furniture."""
    heights = {p.number: p.height for p in pages}
    margin_lines = []
    for kind, obj in items:
        if kind != "line":
            continue
        height = heights[obj.page]  # type: ignore[attr-defined]
        top, bottom = obj.box[1], obj.box[3]  # type: ignore[attr-defined]
        if top < 0.09 * height or bottom > 0.91 * height:
            margin_lines.append(obj)
    seen: dict[str, set[int]] = {}
    for line in margin_lines:
        seen.setdefault(re.sub(r"\d+", "#", fold_chars(line.text).lower()), set()).add(line.page)
    repeated = {k for k, on in seen.items() if len(pages) >= 2 and len(on) >= max(2, len(pages) // 2)}
    for line in margin_lines:
        key = re.sub(r"\d+", "#", fold_chars(line.text).lower())
        if key in repeated or re.fullmatch(r"\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?(?:\s*/\s*\d{1,3})?\s*", key.replace("#", "1")):
            line.furniture = True


def _join_tables(items: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Tables that go on over a page break joined: the last thing of a page (before its furniture) is a table,
    the first thing of the next page a table with the same columns. Lines between the two that lie inside the
    table's columns but its first (the rest of a cell cut by the break, in a table without borders) are put
    back into the cells of its last row."""
    out: list[tuple[str, object]] = []
    for kind, obj in items:
        if kind == "table" and out:
            k = len(out) - 1
            crossed = False
            carried: list[int] = []
            while k >= 0 and (out[k][0] == "page" or out[k][0] == "line"):
                line = out[k][1]
                if out[k][0] == "page":
                    crossed = True
                elif not line.furniture:  # type: ignore[attr-defined]
                    if crossed:
                        break
                    carried.append(k)
                k -= 1
            columns = _column_map(out[k][1].grid, obj.grid) if k >= 0 and out[k][0] == "table" else None  # type: ignore
            if crossed and columns is not None:
                table = out[k][1]
                _recolumn(obj, table.grid, columns)  # type: ignore[arg-type]
                if carried and not _into_last_row(table, [out[i][1] for i in reversed(carried)]):  # type: ignore
                    out.append((kind, obj))
                    continue
                for i in carried:
                    del out[i]
                _append(table, obj)  # type: ignore[arg-type]
                continue
        out.append((kind, obj))
    return out


def _into_last_row(table: _Table, lines: list[_Line]) -> bool:
    """Put ``lines`` (the rest of the last row, at the top of the next page) into the cells of that row, by
    column; False (nothing changed) when a line starts in the first column or outside the table."""
    xs = table.grid.xs
    if any(min(w.x0 for w in line.words) < xs[1] - 3 or max(w.x1 for w in line.words) > xs[-1] + 3 for line in lines):
        return False
    last = max(c.row + c.row_span for c in table.cells) - 1
    row = {c.col + k: c for c in table.cells if c.row <= last < c.row + c.row_span for k in range(c.col_span)}
    for line in lines:
        for col in range(len(xs) - 1):
            words = [w for w in line.words if xs[col] <= (w.x0 + w.x1) / 2 < xs[col + 1]]
            if words and col in row:
                cell = row[col]
                cell.text = _join_lines([t for t in (cell.text, " ".join(w.text for w in words)) if t])
    return True


def _blocks(items: list[tuple[str, object]], file: str) -> list[Block]:
    """Blocks of the items: runs of lines broken by geometry, then into paragraphs as the text reader does."""
    blocks: list[Block] = []
    chunk: list[_Line] = []

    def flush() -> None:
        if chunk:
            blocks.extend(_paragraph_blocks(chunk, file))
            chunk.clear()

    previous: _Line | None = None
    for kind, obj in items:
        if kind == "page":
            continue
        if kind == "table":
            flush()
            table: _Table = obj  # type: ignore[assignment]
            for cell in table.cells:
                if cell.row < table.header_rows:
                    cell.kind = "column_header"
            block = table_block(table.cells)
            block.page, block.box = table.first_page, table.grid.box
            block.confidence = min((c.confidence for c in table.cells), default=1.0)
            blocks.append(block)
            previous = None
            continue
        line: _Line = obj  # type: ignore[assignment]
        if line.furniture:
            blocks.append(Block("furniture", line.text, line.number, line.number, page=line.page, box=line.box))
            continue
        if previous is not None and _breaks(previous, line):
            flush()
        chunk.append(line)
        previous = line
    flush()
    return blocks


def _breaks(previous: _Line, line: _Line) -> bool:
    """True when geometry says ``line`` does not go on the paragraph of ``previous``."""
    if line.column != previous.column or line.run != previous.run:
        return True
    if line.bold != previous.bold:
        return True
    if line.page != previous.page:
        return False
    height = max(min(previous.height, line.height), 1.0)
    gap = line.box[1] - previous.box[3]
    if gap > 0.45 * height or gap < -height:
        return True
    return False


def _paragraph_blocks(chunk: list[_Line], file: str) -> list[Block]:
    texts = [line.text for line in chunk]
    src = SourceText(file, texts, [fold_chars(t) for t in texts])
    mask = furniture_mask(src)
    out: list[Block] = []
    for para in paragraphs(src, 0, len(texts), mask):
        members = chunk[para.line_start - 1:para.line_end]
        bold = all(m.bold for m in members)
        numbers = [chunk[i - 1].number for i in para.lines]
        first = members[0]
        on_first = [m for m in members if m.page == first.page]
        block = Block(classify(para.text, bold), para.text, numbers[0], numbers[-1], list(para.offsets), numbers,
                      bold=bold, page=first.page, box=_union(_BoxOf(m.box) for m in on_first))
        block.confidence = min(w.confidence for m in members for w in m.words)
        out.append(block)
    for i, masked in enumerate(mask):
        if masked:
            line = chunk[i]
            out.append(Block("furniture", line.text, line.number, line.number, page=line.page, box=line.box))
    out.sort(key=lambda b: b.line_start)
    return out


@dataclass(frozen=True)
class _BoxOf:
    box: Box

    @property
    def x0(self) -> float:
        return self.box[0]

    @property
    def top(self) -> float:
        return self.box[1]

    @property
    def x1(self) -> float:
        return self.box[2]

    @property
    def bottom(self) -> float:
        return self.box[3]
