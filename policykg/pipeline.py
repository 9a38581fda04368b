"""The main job: read files, build the graph, keep it in a store.

``build`` adds files to what the store already holds. A file is identified by its resolved
path: loading a path again replaces the facts read from it before, and two files of one name
in different folders are two sources. A file that cannot be read is reported and, if it was loaded before, its
earlier records stay.

Builds may run at the same time against one store: each reads its files on its own, then
reads, merges and saves the store under the store's write lock, so the second merges with
what the first saved and no build's documents are lost.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "empty.txt").write_bytes(b"")
>>> report = build([folder / "empty.txt"], folder / "store")
>>> [str(e) for e in report.errors], (folder / "store").exists()
(['E101 empty.txt: the file is empty'], False)
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import Issue, PolicyKGError
from .graph.builder import build_graph
from .graph.model import NodeKind
from .graph.store import Store, open_store
from .loaders import extract_file
from .loaders.readers import supported_suffixes
from .records import Extraction

__all__ = ["BuildReport", "collect_files", "build", "extract_many", "merge", "summary"]


@dataclass
class BuildReport:
    """What a build did."""

    graph: nx.MultiDiGraph
    loaded: list[str] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)  # files that are not documents of the genre (E104)


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files of a format policykg reads inside folders named (recursively, sorted);
    a file reached twice (named and inside a folder named, or through a link) is listed once."""
    out: list[Path] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        found = (sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in supported_suffixes() - {""})
                 if path.is_dir() else [path])
        for file in found:
            if (real := os.path.realpath(file)) not in seen:
                seen.add(real)
                out.append(file)
    return out


def extract_many(
    files: list[Path], progress: Callable[[Path], None] | None = None, document_head: str | None = None,
) -> tuple[dict[str, Extraction], list[Issue]]:
    """Extract each file (keyed by :attr:`~policykg.records.Extraction.key`); the ones that fail give one
    error each and are left out. ``document_head`` names the document of a file that names none itself
    (a task list kept as a spreadsheet: ``build --document``)."""
    extractions: dict[str, Extraction] = {}
    errors: list[Issue] = []
    for file in files:
        try:
            ex = extract_file(file, document_head)
        except PolicyKGError as err:
            errors.append(err.issue)
        else:
            extractions[ex.key] = ex
        if progress:
            progress(file)
    return extractions, errors


def build(
    paths: Iterable[str | Path], store_path: str | Path | None = None, *, replace: bool = False,
    progress: Callable[[Path], None] | None = None, wait: bool = True,
    on_wait: Callable[[int], None] | None = None, document_head: str | None = None,
) -> BuildReport:
    """Extract ``paths``, merge with the store (unless ``replace``), build the graph and save it.

    The files are read first; the store is then read, merged and saved under its write lock. Another
    build holding it makes this one wait (``on_wait`` gets the holder's pid, once) or, with
    ``wait=False``, raise :class:`~policykg.errors.StoreError` E303 without touching the store.
    A run that loads no file leaves the store as it was (and creates none; it takes no lock).
    ``document_head`` names the document of the files that name none themselves (task lists kept as
    spreadsheets): "Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND tỉnh Bắc Ninh".
    """
    store = open_store(store_path)
    files = collect_files(paths)
    new, problems = extract_many(files, progress, document_head)
    errors = [i for i in problems if i.code != "E104"]
    skipped = [i for i in problems if i.code == "E104"]
    if not new:
        graph, issues = _merge_and_save(store, new, replace, save=False)
    else:
        with store.lock(wait=wait, on_wait=on_wait):
            graph, issues = _merge_and_save(store, new, replace, save=True)
    return BuildReport(graph, sorted(ex.file for ex in new.values()), errors, issues, skipped)


def merge(previous: dict[str, Extraction], new: dict[str, Extraction]) -> dict[str, Extraction]:
    """The store's extractions with ``new`` loaded into it: a source loaded again replaces its earlier
    records (records of older stores, which know only the file's name, are replaced by name).

    >>> old = {"plan.txt": Extraction("plan.txt"), "/a/x.txt": Extraction("x.txt", source="/a/x.txt")}
    >>> sorted(merge(old, {"/b/plan.txt": Extraction("plan.txt", source="/b/plan.txt")}))
    ['/a/x.txt', '/b/plan.txt']
    """
    names = {ex.file for ex in new.values()}
    kept = {key: ex for key, ex in previous.items() if key not in new and (ex.source or ex.file not in names)}
    return {**kept, **new}


def _merge_and_save(store: Store, new: dict[str, Extraction], replace: bool,
                    save: bool) -> tuple[nx.MultiDiGraph, list[Issue]]:
    """Add ``new`` to what the store holds (nothing, if ``replace``), build the graph, and save it if asked."""
    previous = store.load().extractions if store.exists() and not replace else {}
    merged = merge(previous, new)
    result = build_graph(merged.values())
    if save:
        store.save(merged, result.graph, result.issues)
    return result.graph, result.issues


def summary(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Counts a person wants after a build: documents (loaded / cited), tasks, agencies, edges."""
    kinds = Counter(data["kind"] for _, data in graph.nodes(data=True))
    loaded = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == NodeKind.DOCUMENT.value and d.get("loaded"))
    return {
        "documents_loaded": loaded,
        "documents_cited": kinds[NodeKind.DOCUMENT.value] - loaded,
        "tasks": kinds[NodeKind.TASK.value],
        "targets": kinds[NodeKind.TARGET.value],
        "agencies": kinds[NodeKind.AGENCY.value],
        "jurisdictions": kinds[NodeKind.JURISDICTION.value],
        "edges": graph.number_of_edges(),
    }
