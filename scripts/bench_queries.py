"""Benchmark of the query API and the named SPARQL queries: p50 / p95 latency per query.

Usage: python3 scripts/bench_queries.py [--tasks 100000] [--repeat 20] [--corpus ../shared/corpus]

Prints figures; asserts nothing. The synthetic graph comes from policykg.synthetic (plans of the genre
carrying out 57-NQ/TW through 71/NQ-CP, 34 provinces).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from policykg.graph.builder import build_graph
from policykg.pipeline import collect_files, extract_many
from policykg.queries.api import PolicyGraph
from policykg.queries.sparql import SparqlRunner, named_queries
from policykg.synthetic import synthetic_extractions


def _time(func, repeat: int) -> tuple[float, float, int]:
    func()  # warm up
    times = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(func())
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))], size


def _api_queries(pg: PolicyGraph, province: str, task: str):
    return {
        "owner(task)": lambda: [pg.owner(task)],
        "tasks(agency, lead, under 57)": lambda: pg.tasks(agency="Sở KH&CN", role="lead", under="57-NQ/TW"),
        "tasks(agency, jurisdiction)": lambda: pg.tasks(agency="so khcn", jurisdiction=province),
        "tasks(under, due_before)": lambda: pg.tasks(under="Nghị quyết 57", due_before="2026-01-01"),
        "chain(71/NQ-CP)": lambda: pg.chain("71/NQ-CP"),
        "implementers(57-NQ/TW)": lambda: pg.implementers("57-NQ/TW"),
        "workload(jurisdiction, under)": lambda: pg.workload(jurisdiction=province, under="57-NQ/TW"),
        "deadlines(2025)": lambda: pg.deadlines(between=("2025-01-01", "2025-12-31")),
        "deadlines(overdue)": lambda: pg.deadlines(overdue_as_of="2026-01-01"),
        "compare(57, Sở)": lambda: pg.compare("57-NQ/TW", ["Sở"]),
        "search(chuyen doi so)": lambda: pg.search("chuyen doi so"),
    }


def _report(label: str, graph, repeat: int, sparql_repeat: int) -> None:
    tasks = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Task")
    start = time.perf_counter()
    pg = PolicyGraph(graph)
    index_s = time.perf_counter() - start
    province = next((pg.graph.nodes[pg.graph.nodes[t]["document"]]["jurisdiction"] for t in tasks), "")
    print(f"\n== {label}: {len(tasks)} tasks, {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges; "
          f"index built in {index_s:.2f} s")
    print(f"{'API query':<34} {'p50 ms':>8} {'p95 ms':>8} {'rows':>8}")
    for name, func in _api_queries(pg, province, tasks[len(tasks) // 2]).items():
        p50, p95, size = _time(func, repeat)
        print(f"{name:<34} {p50:>8.1f} {p95:>8.1f} {size:>8}")
    for backend in ("oxigraph", "rdflib"):
        if backend == "rdflib" and len(tasks) > 20000:
            print("SPARQL (rdflib): skipped above 20,000 tasks (minutes per query; see the corpus figures)")
            continue
        start = time.perf_counter()
        runner = SparqlRunner(graph, backend=backend)
        load_s = time.perf_counter() - start
        print(f"{'SPARQL (' + backend + ')':<34} {'p50 ms':>8} {'p95 ms':>8} {'rows':>8}   load {load_s:.1f} s")
        params = {"document": "57-NQ/TW", "agency": "Sở KH&CN", "task": tasks[len(tasks) // 2], "text": "chuyen doi so",
                  "from": "2025-01-01", "to": "2025-12-31", "as_of": "2026-01-01"}
        for name in named_queries():
            p50, p95, size = _time(lambda n=name, r=runner, p=params: r.run(n, p, pg), sparql_repeat)
            print(f"{name:<34} {p50:>8.1f} {p95:>8.1f} {size:>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    args = parser.parse_args()
    if args.corpus.exists():
        extractions, _ = extract_many(collect_files([args.corpus]))
        _report("corpus", build_graph(extractions.values()).graph, args.repeat, args.repeat)
    start = time.perf_counter()
    graph = build_graph(synthetic_extractions(args.tasks, 34)).graph
    print(f"\nsynthetic graph built in {time.perf_counter() - start:.1f} s")
    _report(f"synthetic {args.tasks}", graph, args.repeat, max(3, args.repeat // 4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
