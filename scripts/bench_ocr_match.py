"""Benchmark of the OCR agency matcher on the windows an OCR table reader tries.

The workload: every window of 1-6 words of lines 1210-1700 of the OCR'd plan 004 (Phụ lục II),
taken right of the line's first '|' or, on a line without one, right of its first 55 characters
(the task column), distinct strings only. Most windows are not agency names.

Usage: PYTHONPATH=. python scripts/bench_ocr_match.py [--file PATH] [--first 1210] [--last 1700]

Prints the import time, the gazetteer's (shared with the rest of the pipeline, built apart), the setup
time (the first call: model and candidates loaded), the number of calls and the mean milliseconds per
call; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = next((ROOT.parent / "shared" / "corpus").glob("004_*.txt"), None)
MAX_WORDS = 6
TASK_COLUMN = 55


def workload(path: Path, first: int = 1210, last: int = 1700) -> list[str]:
    """The distinct 1-6 word windows of the agency columns of lines ``first``-``last`` (1-based, inclusive)."""
    lines = path.read_text(encoding="utf-8").splitlines()[first - 1:last]
    out: dict[str, None] = {}
    for line in lines:
        part = line.split("|", 1)[1] if "|" in line else line[TASK_COLUMN:]
        words = part.split()
        for i in range(len(words)):
            for n in range(1, MAX_WORDS + 1):
                if i + n <= len(words):
                    out.setdefault(" ".join(words[i:i + n]), None)
    return list(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--first", type=int, default=1210)
    parser.add_argument("--last", type=int, default=1700)
    args = parser.parse_args()
    strings = workload(args.file, args.first, args.last)

    start = time.perf_counter()
    from policykg.resolve.gazetteer import gazetteer
    from policykg.resolve.ocr_match import match_ocr_agency

    import_s = time.perf_counter() - start
    start = time.perf_counter()
    gazetteer().entries  # shared with the rest of the pipeline: timed apart
    gazetteer_s = time.perf_counter() - start
    start = time.perf_counter()
    match_ocr_agency("Sở Xây dựng")
    setup_s = time.perf_counter() - start

    start = time.perf_counter()
    matched = sum(match_ocr_agency(s) is not None for s in strings)
    total_s = time.perf_counter() - start
    print(f"import: {import_s:.3f} s; gazetteer: {gazetteer_s:.3f} s; "
          f"setup (first call: model, candidates): {setup_s:.3f} s")
    print(f"calls: {len(strings)} distinct strings, {matched} matched")
    print(f"mean: {total_s / len(strings) * 1000:.3f} ms per call ({total_s:.2f} s in all)")


if __name__ == "__main__":
    main()
