"""Benchmark of the query API and the named SPARQL queries: p50 / p95 latency per query.

Usage: python3 scripts/bench_queries.py [--tasks 100000] [--repeat 20] [--page 100] [--corpus ../shared/corpus]
                                        [--rdflib-load]

For each graph (the corpus, then a synthetic graph of ``--tasks`` tasks):

- the API's questions (p50 / p95);
- loading the RDF form into Oxigraph: N-Triples written from the graph and bulk-loaded, in memory and into
  the SPARQL folder of a store (``policykg.graph.sparql_cache``), with triples per second, and the time to
  reopen that folder (what each ``policykg sparql`` after the first one pays); ``--rdflib-load`` also times
  the old way (rdflib's store API on Oxigraph, one triple at a time: about two minutes at 100,000 tasks);
- each named SPARQL query beside the API's answer to the same question: the whole answer and its first page
  (``--page`` rows, LIMIT in the query) on the on-disk store, the whole answer in memory, and the ratio of
  the page on disk to the API. On the corpus, rdflib's engine too.

Prints figures; asserts nothing. The synthetic graph comes from policykg.synthetic (plans of the genre
carrying out 57-NQ/TW through 71/NQ-CP, 34 provinces).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from policykg.graph.builder import build_graph
from policykg.graph.rdf import ntriples, to_oxigraph, to_rdf
from policykg.graph.sparql_cache import open_sparql_store
from policykg.graph.store import open_store
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


def _same_questions(pg: PolicyGraph, task: str, plan: str) -> dict[str, tuple[dict, object]]:
    """Per named query: its parameters and the API call answering the same question."""
    return {
        "chain_up": ({"document": plan}, lambda: [link for link in pg.chain(plan) if link.depth < 0]),
        "deadlines": ({"from": "2025-01-01", "to": "2025-12-31"},
                      lambda: pg.deadlines(between=("2025-01-01", "2025-12-31"))),
        "implementers": ({"document": "57-NQ/TW"}, lambda: pg.implementers("57-NQ/TW")),
        "overdue": ({"as_of": "2026-01-01"}, lambda: pg.deadlines(overdue_as_of="2026-01-01")),
        "owner": ({"task": task}, lambda: [pg.owner(task)]),
        "tasks_of_agency": ({"agency": "Sở KH&CN", "document": "57-NQ/TW"},
                            lambda: pg.tasks(agency="Sở KH&CN", role="lead", under="57-NQ/TW")),
        "tasks_under": ({"document": "57-NQ/TW"}, lambda: pg.tasks(under="57-NQ/TW")),
        "workload": ({"document": "57-NQ/TW"}, lambda: pg.workload(under="57-NQ/TW")),
    }


def _timings(runner: SparqlRunner, pg: PolicyGraph, questions: dict, repeat: int, page: int | None) -> dict:
    """p50 / p95 / rows of each named query on ``runner``: the whole answer, and the first ``page`` rows."""
    out = {}
    for name in named_queries():
        params, _ = questions[name]
        out[name] = _time(lambda n=name, p=params: runner.run(n, p, pg), repeat)
        if page:
            out[name + "#page"] = _time(lambda n=name, p=params: runner.run(n, p, pg, limit=page), repeat)
    return out


def _sparql(graph, pg: PolicyGraph, questions: dict, repeat: int, sparql_repeat: int, page: int,
            rdflib_load: bool) -> None:
    """Loads into Oxigraph (in memory, into a store's SPARQL folder, its reopen) and the named queries on each
    beside the API. The in-memory store is dropped before the folder is built and queried."""
    start = time.perf_counter()
    triples = sum(chunk.count(b"\n") for chunk in ntriples(graph))
    write_s = time.perf_counter() - start
    start = time.perf_counter()
    memory = SparqlRunner(store=to_oxigraph(graph))
    memory_s = time.perf_counter() - start
    print(f"RDF: {triples} triples; N-Triples written from the graph in {write_s:.1f} s; bulk-loaded in memory "
          f"(writing included) in {memory_s:.1f} s = {triples / memory_s:,.0f} triples/s")
    in_memory = _timings(memory, pg, questions, sparql_repeat, None)
    del memory
    if rdflib_load:
        start = time.perf_counter()
        old = to_rdf(graph)
        old_s = time.perf_counter() - start
        print(f"the old way, rdflib's store API on Oxigraph (to_rdf): {old_s:.1f} s = {len(old) / old_s:,.0f} triples/s")
        del old
    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    try:
        open_store(folder).save({}, graph, [])
        start = time.perf_counter()
        built = open_sparql_store(folder, lambda: graph)
        disk_s = time.perf_counter() - start
        size = sum(p.stat().st_size for p in built.path.rglob("*") if p.is_file())
        print(f"SPARQL folder of the store ({built.where}): built in {disk_s:.1f} s = {triples / disk_s:,.0f} "
              f"triples/s, {size / 1e6:.0f} MB on disk")
        del built
        reopen = []
        for _ in range(5):
            start = time.perf_counter()
            opened = open_sparql_store(folder, lambda: graph)
            reopen.append((time.perf_counter() - start) * 1000)
            assert opened.where == "disk"
        print(f"reopen of the SPARQL folder: p50 {statistics.median(reopen):.0f} ms (max {max(reopen):.0f} ms)")
        on_disk = _timings(SparqlRunner(store=opened.store), pg, questions, sparql_repeat, page)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{'named SPARQL query':<16} {'API p50':>8} {'rows':>7} | {'disk p50':>8} {'p95':>8} | "
          f"{'page p50':>8} {'p95':>8} {'rows':>5} | {'memory p50':>10} {'p95':>8} | {'page/API':>8}")
    for name in named_queries():
        api_p50, _, api_rows = _time(questions[name][1], repeat)
        (d50, d95, rows), (g50, g95, page_rows), (m50, m95, _) = (on_disk[name], on_disk[name + "#page"],
                                                                  in_memory[name])
        ratio = f"{g50 / api_p50:.0f}x" if api_p50 >= 0.05 else "-"
        print(f"{name:<16} {api_p50:>8.1f} {api_rows:>7} | {d50:>8.1f} {d95:>8.1f} | {g50:>8.1f} {g95:>8.1f} "
              f"{page_rows:>5} | {m50:>10.1f} {m95:>8.1f} | {ratio:>8}")
        if rows != api_rows and name != "owner":
            print(f"  (rows differ: SPARQL {rows}, API {api_rows})")


def _report(label: str, graph, repeat: int, sparql_repeat: int, page: int, rdflib_load: bool) -> None:
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
    task = tasks[len(tasks) // 2]
    questions = _same_questions(pg, task, pg.graph.nodes[task]["document"])
    _sparql(graph, pg, questions, repeat, sparql_repeat, page, rdflib_load)
    if len(tasks) > 20000:
        print("SPARQL (rdflib): skipped above 20,000 tasks (minutes per query; see the corpus figures)")
        return
    runner = SparqlRunner(graph, backend="rdflib")
    print(f"{'SPARQL (rdflib)':<34} {'p50 ms':>8} {'p95 ms':>8} {'rows':>8}")
    for name, (params, _) in questions.items():
        p50, p95, size = _time(lambda n=name, p=params: runner.run(n, p, pg), sparql_repeat)
        print(f"{name:<34} {p50:>8.1f} {p95:>8.1f} {size:>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--page", type=int, default=100, help="Rows of the first page timed for each SPARQL query.")
    parser.add_argument("--rdflib-load", action="store_true",
                        help="Also time the old load through rdflib's store API (minutes at 100,000 tasks).")
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    args = parser.parse_args()
    if args.corpus.exists():
        extractions, _ = extract_many(collect_files([args.corpus]))
        _report("corpus", build_graph(extractions.values()).graph, args.repeat, args.repeat, args.page,
                args.rdflib_load)
    start = time.perf_counter()
    graph = build_graph(synthetic_extractions(args.tasks, 34)).graph
    print(f"\nsynthetic graph built in {time.perf_counter() - start:.1f} s")
    _report(f"synthetic {args.tasks}", graph, args.repeat, max(3, args.repeat // 4), args.page, args.rdflib_load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
