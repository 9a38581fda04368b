"""Score extraction against the hand-checked answers of tests/data/wild (documents of other provinces).

Usage: python3 scripts/wild_report.py [--misses] [NAME ...]
Prints per document: tasks expected / found / lead right / support right / role right, tasks extracted on
lines the answers say are not tasks, documents whose head is right, indicators found, and what was extracted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from policykg.evaluation import score_tasks
from policykg.loaders import extract_file

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "data" / "wild"
CORPUS = ROOT.parent / "shared" / "corpus-wild"


def main(argv: list[str]) -> None:
    misses = "--misses" in argv
    names = [a for a in argv if not a.startswith("--")]
    files = sorted(ANSWERS.glob("*.json"))
    if names:
        files = [f for f in files if any(n in f.stem for n in names)]
    total = [0] * 9
    print(f"{'document':32} {'tasks':>5} {'found':>5} {'lead':>5} {'supp':>5} {'role':>5} {'extra':>5}  "
          f"{'head':>5} {'indicators':>10}")
    for path in files:
        answers = json.loads(path.read_text(encoding="utf-8"))
        ex = extract_file(CORPUS / answers["source"])
        s = score_tasks(ex, answers)
        row = [s.expected, s.found, s.lead, s.support, s.role, s.extra, s.documents_right, s.indicators, s.indicators_found]
        total = [a + b for a, b in zip(total, row)]
        origins = {o: sum(1 for t in ex.tasks if t.origin == o) for o in ("duties", "inline", "table", "list")}
        print(f"{path.stem:32} {s.expected:>5} {s.found:>5} {s.lead:>5} {s.support:>5} {s.role:>5} {s.extra:>5}  "
              f"{s.documents_right}/{s.documents:<3} {s.indicators_found:>4}/{s.indicators:<5} extracted: "
              + ", ".join(f"{k} {v}" for k, v in origins.items() if v) + f", indicators {len(ex.targets)}")
        if misses:
            for m in s.misses:
                print("     ", m)
    print(f"{'total':32} {total[0]:>5} {total[1]:>5} {total[2]:>5} {total[3]:>5} {total[4]:>5} {total[5]:>5}  "
          f"{total[6]:>5} {total[8]:>4}/{total[7]}")


if __name__ == "__main__":
    main(sys.argv[1:])
