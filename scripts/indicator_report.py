#!/usr/bin/env python3
"""Score an indicator table's extracted targets against hand-checked answers.

Usage: python scripts/indicator_report.py [-v] [TEXT ANSWERS]
  defaults: ../shared/corpus/004_a6ece48c4c1ca826.txt tests/data/eval_004_PLI.json

An answer is found when a target starts on its ``line`` or ``number_line`` (or between them), one
line of slack either side, with the answer's year (the one with the answer's number first, then the
nearest); each target answers at most one row. Monitors are right when the target's set of agency
keys (the gazetteer key of each mention, else the key of its text, as
:func:`policykg.evaluation.agency_key`) equals the answer's. Prints indicators found / expected,
monitors right / found, and with -v the rows not found or with the wrong monitors.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's package, not an installed one

from policykg.evaluation import agency_key
from policykg.loaders import extract_file
from policykg.records import AgencyMention, TargetRecord

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT.parent / "shared" / "corpus" / "004_a6ece48c4c1ca826.txt"
ANSWERS = ROOT / "tests" / "data" / "eval_004_PLI.json"

__all__ = ["IndicatorScore", "main", "monitor_keys", "score_indicators"]


@dataclass
class IndicatorScore:
    """How many answer rows were found, and on how many of them the monitors are right."""

    expected: int = 0
    found: int = 0
    monitors: int = 0
    extra: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)


def monitor_keys(items: list[str] | list[AgencyMention]) -> set[str]:
    """The comparison keys of monitors: an AgencyMention's key (else its text's), a name's key."""
    return {(i.key or agency_key(i.text)) if isinstance(i, AgencyMention) else agency_key(i) for i in items}


def _match(answer: dict[str, Any], targets: list[TargetRecord], used: set[int]) -> TargetRecord | None:
    low, high = answer["line"] - 1, answer.get("number_line", answer["line"]) + 1
    candidates = [t for t in targets if id(t) not in used and t.year == answer["year"]
                  and low <= t.provenance.line_start <= high]
    return min(candidates, key=lambda t: (t.number != answer["number"], abs(t.provenance.line_start - answer["line"])),
               default=None)


def score_indicators(targets: list[TargetRecord], answers: dict[str, Any]) -> IndicatorScore:
    """Match targets to the answers' indicators by line and year, and compare their monitors."""
    score = IndicatorScore()
    used: set[int] = set()
    rows = answers["indicators"]
    first, last = min(r["line"] for r in rows) - 1, max(r.get("number_line", r["line"]) for r in rows) + 1
    for answer in rows:
        score.expected += 1
        target = _match(answer, targets, used)
        if target is None:
            score.misses.append({"line": answer["line"], "number": answer["number"], "why": "not found"})
            continue
        used.add(id(target))
        score.found += 1
        got, want = monitor_keys(target.monitor), monitor_keys(answer["monitor"])
        if got == want:
            score.monitors += 1
        else:
            score.misses.append({"line": answer["line"], "number": answer["number"], "why": "monitor",
                                 "got": sorted(got), "expected": sorted(want)})
    score.extra = sum(1 for t in targets if id(t) not in used and first <= t.provenance.line_start <= last)
    return score


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    text, answers_path = (paths + [str(TEXT), str(ANSWERS)][len(paths):])[:2]
    answers = json.loads(Path(answers_path).read_text(encoding="utf-8"))
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
