#!/usr/bin/env python3
"""Score the OCR'd Phú Thọ plan's Phụ lục II task table against its hand-checked rows (issue 15).

Usage: python scripts/ocr_table_score.py [TEXT ANSWERS]
  defaults: ../shared/corpus/004_a6ece48c4c1ca826.txt ../shared/eval/004_PLII_a.json

A row is found when a table task starts on the answer's line (or the line before or after it).
Prints rows found, leads right (by resolved key) among the found rows, and the F1 of the
supporters' keys over the found rows (:func:`policykg.evaluation.score_table_tasks`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's package, not an installed one

from policykg.evaluation import score_table_tasks
from policykg.loaders import extract_file

TEXT = "../shared/corpus/004_a6ece48c4c1ca826.txt"
ANSWERS = "../shared/eval/004_PLII_a.json"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    text, answers = (paths + [TEXT, ANSWERS][len(paths):])[:2]
    with open(answers, encoding="utf-8") as f:
        s = score_table_tasks(extract_file(text), json.load(f))
    if verbose:
        for miss in s.misses:
            if miss["why"] in {"not found", "lead", "support"}:
                print(f"  row {miss['number']}: {miss['why']}" + (f" {miss['got']} want {miss['expected']}"
                                                                 if "got" in miss else ""))
    print(f"rows found {s.found}/{s.expected} ({s.found / s.expected:.2f}); "
          f"lead right {s.lead}/{s.found} ({s.lead / max(s.found, 1):.2f}); "
          f"supporters F1 {s.support_f1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
