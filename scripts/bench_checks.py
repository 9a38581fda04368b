"""Benchmark of `policykg check`: time of the graph checks and of the SHACL validation, and finding counts,
on the corpus and on a synthetic graph (default 100,000 tasks).

Usage: python3 scripts/bench_checks.py [--tasks 100000] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from policykg.checks.graph_checks import run_graph_checks
from policykg.checks.shacl import run_shacl
from policykg.graph.builder import build_graph
from policykg.pipeline import collect_files, extract_many
from policykg.synthetic import synthetic_extractions


def _report(label: str, graph) -> None:
    start = time.perf_counter()
    found = run_graph_checks(graph, "2026-11-23")
    graph_s = time.perf_counter() - start
    start = time.perf_counter()
    shapes = run_shacl(graph)
    shacl_s = time.perf_counter() - start
    tasks = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "Task")
    print(f"\n== {label}: {tasks} tasks; graph checks {graph_s:.2f} s, SHACL {shacl_s:.2f} s, "
          f"{len(found) + len(shapes)} findings")
    for check, count in sorted(Counter(f.check for f in found + shapes).items()):
        print(f"  {check:<30} {count:>7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    args = parser.parse_args()
    if args.corpus.exists():
        extractions, _ = extract_many(collect_files([args.corpus]))
        _report("corpus", build_graph(extractions.values()).graph)
    _report(f"synthetic {args.tasks}", build_graph(synthetic_extractions(args.tasks, 34)).graph)
    return 0


if __name__ == "__main__":
    sys.exit(main())
