#!/usr/bin/env python3
"""Score the OCR'd Phú Thọ plan's Phụ lục II task table against its hand-checked rows (issue 15).

Usage: python scripts/ocr_table_score.py [TEXT ANSWERS]
  defaults: ../shared/corpus/004_a6ece48c4c1ca826.txt ../shared/eval/004_PLII_a.json

A row is found when a table task starts on the answer's line (or the line before or after it).
Prints rows found, leads right (by resolved key) among the found rows, and the F1 of the
supporters' keys over the found rows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's package, not an installed one

from policykg.evaluation import _keys
from policykg.loaders import extract_file

TEXT = "../shared/corpus/004_a6ece48c4c1ca826.txt"
ANSWERS = "../shared/eval/004_PLII_a.json"


def score(text: str = TEXT, answers: str = ANSWERS, verbose: bool = False) -> dict[str, float]:
    ex = extract_file(text)
    with open(answers, encoding="utf-8") as f:
        ans = json.load(f)
    by_line = {}
    for t in ex.tasks:
        if t.origin == "table":
            by_line.setdefault(t.provenance.line_start, t)
    found = lead = tp = fp = fn = 0
    for e in ans["tasks"]:
        t = next((by_line[line] for line in (e["line"], e["line"] - 1, e["line"] + 1) if line in by_line), None)
        if t is None:
            if verbose:
                print(f"  not found: {e['section']} row {e['number']} line {e['line']}")
            continue
        found += 1
        lead_ok = _keys(t.lead) == _keys(e["lead"])
        lead += lead_ok
        g, w = _keys(t.support), _keys(e["support"])
        tp += len(g & w)
        fp += len(g - w)
        fn += len(w - g)
        if verbose and (not lead_ok or g != w):
            print(f"  line {e['line']} row {e['number']}: lead {sorted(_keys(t.lead))} want {sorted(_keys(e['lead']))}; "
                  f"support extra {sorted(g - w)} missing {sorted(w - g)}")
    return {"found": found, "expected": len(ans["tasks"]), "lead": lead,
            "support_f1": 2 * tp / max(2 * tp + fp + fn, 1)}


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    s = score(*args[:2], verbose=verbose)
    print(f"rows found {s['found']}/{s['expected']} ({s['found'] / s['expected']:.2f}); "
          f"lead right {s['lead']}/{s['found']} ({s['lead'] / max(s['found'], 1):.2f}); "
          f"supporters F1 {s['support_f1']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
