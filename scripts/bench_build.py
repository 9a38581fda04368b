#!/usr/bin/env python3
"""End-to-end benchmark of text → store at scale: generated plans built, rebuilt, indexed and checked.

Usage: python3 scripts/bench_build.py [--plans 1000] [--rows 100] [--seed 0] [--dir DIR] [--jobs 1 2]

The plans come from ``scripts/synth_corpus.py`` (written to DIR, or to a temporary folder; a DIR that already
holds ``answers.json`` is used as it is). Printed, per stage: wall time, and for each build its peak memory
(the largest resident set of the build process or any of its workers) and files per second:

- the floor: spaCy's bare tokenizer (the one policykg's pipeline uses) reading every file, in one process;
- a full build into a new store, for each ``--jobs`` N (each in its own process, so that peaks are its own);
- a rebuild with nothing changed, and one after one file changed (with the largest N);
- the query index (:class:`~policykg.queries.api.PolicyGraph` over the stored graph) and the graph checks.
Ratios to the floor are printed beside the times.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_BUILD = """
import json, resource, sys, time
from policykg.pipeline import build
start = time.perf_counter()
report = build([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]))
wall = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"wall": wall, "peak_kb": peak, "loaded": len(report.loaded), "unchanged": len(report.unchanged),
                  "tasks": report.counts["tasks"]}))
"""


def _build(folder: Path, store: Path, jobs: int) -> dict:
    """One build in a process of its own (``python -c``: no main module for the workers to import again)."""
    out = subprocess.run([sys.executable, "-c", _BUILD, str(folder), str(store), str(jobs)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _floor(files: list[Path]) -> float:
    from policykg.loaders.nlp import get_nlp

    tokenizer = get_nlp().tokenizer
    start = time.perf_counter()
    for file in files:
        tokenizer(file.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def _plans(args: argparse.Namespace) -> Path:
    folder = args.dir or Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    if not (folder / "answers.json").exists():
        sys.path.insert(0, str(ROOT / "scripts"))
        from synth_corpus import write_corpus

        start = time.perf_counter()
        write_corpus(args.plans, args.seed, folder, args.rows)
        print(f"generated {args.plans} plans of {args.rows} rows in {time.perf_counter() - start:.1f} s: {folder}")
    return folder


def _line(label: str, seconds: float, floor: float, extra: str = "") -> None:
    print(f"  {label:<40} {seconds:>9.2f} s  {seconds / floor:>6.2f}x floor  {extra}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    folder = _plans(args)
    files = sorted(p for p in folder.iterdir() if p.suffix in {".md", ".txt"})
    floor = _floor(files)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"{len(files)} files, {size:.1f} MB; floor (spaCy's bare tokenizer, one process): {floor:.2f} s")
    work = Path(tempfile.mkdtemp(prefix="policykg-bench-store-"))
    last = None
    for jobs in args.jobs:
        store = work / f"store-{jobs}"
        result = _build(folder, store, jobs)
        _line(f"build --jobs {jobs} ({result['tasks']} tasks)", result["wall"], floor,
              f"peak {result['peak_kb'] / 1024:.0f} MB, {len(files) / result['wall']:.1f} files/s")
        last, last_wall = (store, jobs), result["wall"]
    store, jobs = last
    again = _build(folder, store, jobs)
    _line(f"rebuild, nothing changed ({again['unchanged']} unchanged)", again["wall"], floor)
    changed = files[len(files) // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    one = _build(folder, store, jobs)
    _line(f"rebuild, one file changed ({one['loaded']} read)", one["wall"], floor,
          f"{one['wall'] / last_wall:.2f} of the build --jobs {jobs}")

    from policykg.checks.graph_checks import run_graph_checks
    from policykg.graph.store import open_store
    from policykg.queries.api import PolicyGraph

    start = time.perf_counter()
    graph = open_store(store).load_graph()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    PolicyGraph(graph)
    _line("store read (the graph, as a query does)", loaded, floor)
    _line("query index (PolicyGraph)", time.perf_counter() - start, floor)
    start = time.perf_counter()
    findings = run_graph_checks(graph, "2026-12-01")
    _line(f"graph checks ({len(findings)} findings)", time.perf_counter() - start, floor)
    print(f"  peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
