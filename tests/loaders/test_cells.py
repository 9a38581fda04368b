"""Cells of column-by-column PDF text (policykg.loaders.cells): the block scores read off prefix sums are the
sums over the block's lines, and a row splits into its cells."""

import itertools

from policykg.loaders.cells import _EMPTY_PENALTY, _BlockScores, _line_fit, line_features, segment
from policykg.loaders.tables import Column

ROW = ["Xây dựng cơ sở dữ liệu chuyên ngành y tế của tỉnh,", "kết nối với hệ thống quốc gia", "Sở Y tế",
       "Sở Tài chính; Sở Khoa học và", "Công nghệ; UBND các xã, phường", "Quyết định của", "UBND tỉnh", "Năm 2026"]
COLUMNS = [Column.TITLE, Column.LEAD, Column.SUPPORT, Column.OUTPUT, Column.DEADLINE]


def _naive(kind, block, first, width, relaxed, last):
    """The block's score summed line by line, as the scores are defined."""
    if not block:
        return 0.0 if relaxed else _EMPTY_PENALTY.get(kind, -0.5)
    score = sum(_line_fit(kind, f) for f in block)
    split_cost = 0.6 if kind in {Column.TITLE, Column.INDICATOR, Column.NOTE} else 1.2
    score -= split_cost * sum(1 for a, b in zip(block, block[1:]) if b.starts_upper and not a.runs_on and not relaxed)
    if not first and not relaxed:
        score -= 4.0 if block[0].starts_lower else 0.0
        score += 0.4 if kind == Column.OUTPUT and block[0].output_start else 0.0
    score -= 2.0 if block[-1].runs_on and not last else 0.0
    if width:
        score -= sum(min(1.5 * abs(f.length - width) / max(width, 8.0), 2.0) for f in block[:-1])
        score -= 1.5 if block[-1].length > 1.35 * width + 3 else 0.0
    return score


def test_block_scores_from_prefix_sums_are_the_sums_over_the_lines():
    features = line_features(ROW)
    widths = {Column.TITLE: 50.0, Column.SUPPORT: 30.0}
    for relaxed in (False, True):
        scores = _BlockScores(features, COLUMNS, widths, relaxed)
        for c, (i, j) in itertools.product(range(len(COLUMNS)), itertools.combinations(range(len(ROW) + 1), 2)):
            for last in (False, True):
                want = _naive(COLUMNS[c], features[i:j], c == 0, widths.get(COLUMNS[c]), relaxed, last)
                assert abs(scores.score(c, i, j, last) - want) < 1e-9, (c, i, j)
        assert scores.score(1, 3, 3, False) == (0.0 if relaxed else _EMPTY_PENALTY[Column.LEAD])


def test_a_row_splits_into_its_cells():
    cells = segment(line_features(ROW), COLUMNS)
    assert [[ROW[i] for i in cell] for cell in cells] == [ROW[0:2], ROW[2:3], ROW[3:5], ROW[5:7], ROW[7:8]]
