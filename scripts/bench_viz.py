"""Benchmark of the browser views: page size, render time in Python, and load-to-settled time in headless
Chromium, for the corpus views and for the overview of a synthetic graph (default 100,000 tasks).

Usage: python3 scripts/bench_viz.py [--tasks 100000] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from policykg.graph.builder import build_graph
from policykg.pipeline import collect_files, extract_many
from policykg.synthetic import synthetic_extractions
from policykg.text import slug
from policykg.viz import render, select

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def _measure(browser, graph, label: str, options: dict, folder: Path) -> None:
    start = time.perf_counter()
    view = select(graph, **options)
    page_html = render(graph, view, as_of="2026-11-23")
    render_s = time.perf_counter() - start
    path = folder / f"{slug(label)}.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-settled='1']", timeout=180000)
    load_s = time.perf_counter() - start
    nodes, edges = page.evaluate("[nodes.length, edges.length]")
    page.close()
    print(f"{label:<34} {path.stat().st_size / 1024:>8.0f} KB {render_s:>8.2f} s {load_s:>8.2f} s {nodes:>7} {edges:>7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    args = parser.parse_args()
    print(f"{'view':<34} {'size':>11} {'render':>10} {'load':>10} {'nodes':>7} {'edges':>7}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        if args.corpus.exists():
            extractions, _ = extract_many(collect_files([args.corpus]))
            graph = build_graph(extractions.values()).graph
            for label, options in [("corpus: plan 7316/KH-UBND", {"document": "7316/KH-UBND"}),
                                   ("corpus: agency Sở KH&CN", {"agency": "Sở KH&CN"}),
                                   ("corpus: under 57-NQ/TW", {"under": "57-NQ/TW"}),
                                   ("corpus: overview", {})]:
                _measure(browser, graph, label, options, Path(tmp))
        graph = build_graph(synthetic_extractions(args.tasks, 34)).graph
        _measure(browser, graph, f"synthetic {args.tasks}: overview", {}, Path(tmp))
        _measure(browser, graph, f"synthetic {args.tasks}: one plan", {"document": "150/KH-UBND"}, Path(tmp))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
