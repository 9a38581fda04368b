"""Cells of column-by-column PDF text: split a row's lines into its columns.

PDF extraction prints a table row cell after cell: the task's lines, then the lead
agency's, then the supporters', the output's, the deadline's. Cells are recovered by
dynamic programming over the row's lines: each column takes a contiguous block (maybe
empty), in the header's order, scored by what the lines contain (agency names for agency
columns, deadline phrases for the deadline column, long text for the task), by where a
block starts (a new cell starts with a capital or a digit, a wrapped line does not), and —
in a second pass — by how well the lines fit the width each column wraps at in that
table. A row cut by a page break lists the rest of its cells again after the break; that
part is split the same way and appended cell by cell.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from spacy.tokens import Doc

from ..text import fold_chars
from .nlp import get_nlp
from .tables import Column

__all__ = ["LineFeatures", "line_features", "segment", "column_widths"]

_DEADLINE_WORDS = re.compile(
    r"^(?:t\S{0,2} |h\S{0,2}ng )?n\S{0,2}m\s*,?$|\b(?:19|20)\d\d\b|\bh\S{0,2}ng n\S{0,2}m\b|\bth\S{0,2}\S?ng xuy\S{0,2}n\b|\bqu\S?y\s*(?:[ivx]{1,3}|[1-4])\b"
    r"|\bth\S{0,2}ng\s*\d|\bgiai d\S{0,2}n\b|\bn\S{0,2}m\s*\d|\bd\S{0,2}nh k\S{0,2}\b|\bh\S{0,2}ng qu\S{0,2}\b"
)
_OUTPUT_START = re.compile(
    r"^(?:quy\S{0,2}t d\S{0,2}nh|k\S{0,2} ho\S{0,2}ch|ngh\S{0,2} quy\S{0,2}t|d\S{0,2} \S{0,2}n|b\S{0,2}o c\S{0,2}o|v\S{0,2}n b\S{0,2}n"
    r"|ch\S{0,2}\S?ng tr\S{0,2}nh|ch\S{0,2} th\S{0,2}|h\S{0,2} th\S{0,2}ng|c\S{0,2} s\S{0,2} d\S{0,2} li\S{0,2}u|\d{1,3}\s*%)"
)
_SAME_AS_ABOVE = re.compile(r"^nh\S{0,2} tr\S{0,2}n\b")
_RUNS_ON = re.compile(r"(?:\b(?:số|ngày|của|và|về|tại|theo|với|trên|đến|từ|các|cua|ngay|theo|voi)|[,\-–/&])\s*$", re.I)
_AGENCY_COLUMNS = {Column.LEAD, Column.SUPPORT, Column.RESPONSIBLE, Column.ISSUER, Column.MONITOR}
_EMPTY_PENALTY = {
    Column.TITLE: -10.0, Column.INDICATOR: -10.0, Column.LEAD: -3.0, Column.RESPONSIBLE: -3.0, Column.MONITOR: -2.0,
    Column.SUPPORT: -0.5, Column.OUTPUT: -0.5, Column.ISSUER: -0.5, Column.DEADLINE: -1.0, Column.NOTE: 0.0,
}


@dataclass(frozen=True)
class LineFeatures:
    """What a line of a cell looks like."""

    text: str
    length: int
    starts_upper: bool
    starts_lower: bool
    agency: float  # share of its characters inside agency names
    deadline: bool
    output_start: bool
    same_as_above: bool
    page_start: bool
    runs_on: bool  # the line cannot end a cell: it ends with "số", "của", "và", ",", or inside an agency name


def line_features(lines: list[str], page_starts: set[int] | None = None) -> list[LineFeatures]:
    """Features of each line; agency names are found on the lines joined, so names wrapped over lines count."""
    stripped = [line.strip() for line in lines]
    joined = " ".join(stripped)
    nlp = get_nlp()
    doc: Doc = nlp(joined)
    covered = [False] * len(joined)
    inside = [False] * len(joined)  # a line break inside an agency name
    for ent in doc.ents:
        for k in range(ent.start_char, ent.end_char):
            covered[k] = True
            inside[k] = k > ent.start_char
    out = []
    offset = 0
    for index, line in enumerate(stripped):
        end = offset + len(line)
        runs_on = bool(_RUNS_ON.search(line)) or (end < len(joined) and inside[end])
        chars = [k for k in range(offset, offset + len(line)) if not joined[k].isspace() and joined[k] not in ",;.-"]
        agency = sum(covered[k] for k in chars) / len(chars) if chars else 0.0
        folded = fold_chars(line).lower()
        first = line[:1]
        out.append(LineFeatures(
            text=line, length=len(line), starts_upper=first.isupper() or first.isdigit() or first in "“\"(",
            starts_lower=first.islower(), agency=agency, deadline=bool(_DEADLINE_WORDS.search(folded)) and len(line) < 40,
            output_start=bool(_OUTPUT_START.match(folded)), same_as_above=bool(_SAME_AS_ABOVE.match(folded)),
            page_start=bool(page_starts and index in page_starts), runs_on=runs_on,
        ))
        offset += len(line) + 1
    return out


def _line_fit(kind: str, f: LineFeatures) -> float:
    if kind in _AGENCY_COLUMNS:
        return 2.0 * f.agency - 1.0 - (0.5 if f.deadline and f.agency < 0.5 else 0.0)
    if kind == Column.DEADLINE:
        return (1.0 if f.deadline else -1.0) - (1.0 if f.agency > 0.5 else 0.0)
    if kind in {Column.TITLE, Column.INDICATOR}:
        return 0.4 - (1.0 if f.agency > 0.7 else 0.0) + (0.2 if f.length >= 35 else 0.0)
    if kind == Column.OUTPUT:
        return 0.1 - (0.3 if f.agency > 0.7 else 0.0) - (0.5 if f.deadline and f.length < 15 else 0.0)
    if kind == Column.NOTE:
        return 0.5 if f.same_as_above else -0.05
    return 0.0


class _BlockScores:
    """What giving lines ``i:j`` to a column scores, in O(1) a block: the sums over a block's lines (content fit,
    breaks before a capitalised line, misfit to the column's width) are read off prefix sums made once per row."""

    def __init__(self, features: list[LineFeatures], columns: list[str], widths: dict[str, float] | None,
                 relaxed: bool) -> None:
        self.features, self.columns, self.relaxed = features, columns, relaxed
        self.widths = [widths.get(kind) if widths else None for kind in columns]
        self.fits = [_prefix(_line_fit(kind, f) for f in features) for kind in columns]
        # a capitalised line after a line that could end a cell probably starts the next cell: pair (p, p + 1)
        self.breaks = _prefix(float(b.starts_upper and not a.runs_on) for a, b in zip(features, features[1:]))
        self.misfits = [_prefix(min(1.5 * abs(f.length - width) / max(width, 8.0), 2.0) for f in features)
                        if width else None for width in self.widths]

    def score(self, c: int, i: int, j: int, last_column: bool) -> float:
        kind, relaxed = self.columns[c], self.relaxed
        if i == j:
            return 0.0 if relaxed else _EMPTY_PENALTY.get(kind, -0.5)
        score = self.fits[c][j] - self.fits[c][i]
        if not relaxed:
            split_cost = 0.6 if kind in {Column.TITLE, Column.INDICATOR, Column.NOTE} else 1.2
            score -= split_cost * (self.breaks[j - 1] - self.breaks[i])
        head = self.features[i]
        if c > 0 and not relaxed:
            if head.starts_lower:
                score -= 4.0
            if kind == Column.OUTPUT and head.output_start:
                score += 0.4
        if self.features[j - 1].runs_on and not last_column:
            score -= 2.0
        if kind == Column.ISSUER and j - i > 3:
            score -= j - i - 3
        width = self.widths[c]
        if width:
            score -= self.misfits[c][j - 1] - self.misfits[c][i]
            if self.features[j - 1].length > 1.35 * width + 3:
                score -= 1.5
        return score


def _prefix(values) -> list[float]:
    out = [0.0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _dp(features: list[LineFeatures], columns: list[str], widths: dict[str, float] | None, relaxed: bool) -> list[list[int]]:
    n, k = len(features), len(columns)
    neg = float("-inf")
    best = [[neg] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    blocks_of = _BlockScores(features, columns, widths, relaxed)
    for c in range(k):
        for i in range(n + 1):
            if best[c][i] == neg:
                continue
            if c == 0 and not relaxed and i != 0:
                continue
            for j in range(i, n + 1):
                score = best[c][i] + blocks_of.score(c, i, j, j == n)
                if score > best[c + 1][j]:
                    best[c + 1][j] = score
                    back[c + 1][j] = i
    blocks: list[list[int]] = [[] for _ in range(k)]
    j = n
    for c in range(k, 0, -1):
        i = back[c][j]
        blocks[c - 1] = list(range(i, j))
        j = i
    return blocks


def segment(
    features: list[LineFeatures], columns: list[str], widths: dict[str, float] | None = None,
) -> list[list[int]]:
    """Line indexes of each column's cell (``columns`` without the number column).

    Lines after a page break (``page_start``) continue the cells: they are split again
    and appended column by column.
    """
    breaks = [i for i, f in enumerate(features) if f.page_start and i > 0]
    parts = [0, *breaks, len(features)]
    cells: list[list[int]] = [[] for _ in columns]
    for part, (a, b) in enumerate(zip(parts, parts[1:])):
        blocks = _dp(features[a:b], columns, widths, relaxed=part > 0)
        for c, block in enumerate(blocks):
            cells[c].extend(a + i for i in block)
    return cells


def column_widths(samples: dict[str, list[int]]) -> dict[str, float]:
    """The width each column wraps at: the upper quartile of its non-final line lengths."""
    out = {}
    for kind, lengths in samples.items():
        if len(lengths) >= 3:
            out[kind] = statistics.quantiles(lengths, n=4)[2]
    return out
