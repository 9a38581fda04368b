#!/usr/bin/env python3
"""Score an indicator table's extracted targets against hand-checked answers.

Usage: python scripts/indicator_report.py [-v] [TEXT ANSWERS]
  defaults: the answers' ``source`` in ../shared/corpus, tests/data/eval_004_PLI.json

Scored by :func:`policykg.evaluation.score_indicators`. Prints indicators found / expected, monitors
right / found, and with -v the rows not found or with the wrong monitors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's package, not an installed one

from policykg.evaluation import score_indicators
from policykg.loaders import extract_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
ANSWERS = ROOT / "tests" / "data" / "eval_004_PLI.json"

__all__ = ["main"]


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    answers_path = paths[1] if len(paths) > 1 else ANSWERS
    answers = json.loads(Path(answers_path).read_text(encoding="utf-8"))
    text = paths[0] if paths else CORPUS / answers["source"]
    s = score_indicators(extract_file(text).targets, answers)
    if verbose:
        for miss in s.misses:
            print(f"  line {miss['line']} {miss['number']}: {miss['why']}"
                  + (f" got {miss['got']} want {miss['expected']}" if "got" in miss else ""))
    print(f"indicators found {s.found}/{s.expected} ({s.found / s.expected:.2f}); "
          f"monitors right {s.monitors}/{s.found} ({s.monitors / max(s.found, 1):.2f}); "
          f"extra targets in the table {s.extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
