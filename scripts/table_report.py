#!/usr/bin/env python3
"""Per table: rows found, rows whose lead resolved to a known agency, rows with low confidence.

Usage: python3 scripts/table_report.py [PATH ...]   (default: ../shared/corpus)
With ../shared/eval beside the corpus, also scores the rows against the hand-checked answers.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from policykg.errors import PolicyKGError
from policykg.evaluation import score_table_tasks
from policykg.loaders import extract_file
from policykg.pipeline import collect_files

LOW = 0.7


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[1]
    paths = argv or [str(root.parent / "shared" / "corpus")]
    print(f"{'file':<28} {'table':<44} {'rows':>5} {'lead ok':>8} {'low conf':>9}")
    for file in collect_files(paths):
        try:
            ex = extract_file(file)
        except PolicyKGError as err:
            print(err)
            continue
        tables: dict[str, list] = defaultdict(list)
        for task in ex.tasks:
            if task.origin == "table":
                tables[" / ".join(s[:20] for s in task.section[:2])].append(task)
        skipped = [i for i in ex.issues if i.code == "W302"]
        for name, rows in tables.items():
            resolved = sum(1 for t in rows if t.lead and all(a.key for a in t.lead[:1]))
            low = sum(1 for t in rows if t.provenance.confidence < LOW)
            print(f"{file.name:<28} {name:<44} {len(rows):>5} {resolved:>8} {low:>9}")
        for issue in skipped:
            print(f"{file.name:<28} {'(not read) ' + issue.message[:33]:<44}")
        for answers in sorted((file.parent.parent / "eval").glob(file.name[:3] + "*.json")):
            data = json.loads(answers.read_text(encoding="utf-8"))
            if not data.get("tasks"):
                continue
            score = score_table_tasks(ex, data)
            found = max(score.found, 1)
            print(f"  vs {answers.name}: {score.found}/{score.expected} rows found ({score.found / score.expected:.2f}); "
                  f"lead {score.lead} ({score.lead / found:.2f} of found), support {score.support} (F1 "
                  f"{score.support_f1:.2f}), deadline {score.deadline}, output {score.output}, title {score.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
