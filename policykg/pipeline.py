"""The main job: read files, build the graph, keep it in a store.

``build`` adds files to what the store already holds (a file loaded again replaces its
own facts); a file that cannot be read is reported and, if it was loaded before, its
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

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import Errors, Issue, PolicyKGError
from .graph.builder import build_graph
from .graph.model import NodeKind
from .graph.store import Store, open_store
from .loaders import extract_file
from .loaders.readers import SUPPORTED_SUFFIXES
from .records import Extraction

__all__ = ["BuildReport", "collect_files", "build", "extract_many", "summary"]


@dataclass
class BuildReport:
    """What a build did."""

    graph: nx.MultiDiGraph
    loaded: list[str] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)  # files that are not documents of the genre (E104)


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files of a format policykg reads inside folders named (recursively, sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES - {""}))
        else:
            out.append(path)
    return out


def extract_many(
    files: list[Path], progress: Callable[[Path], None] | None = None,
) -> tuple[dict[str, Extraction], list[Issue]]:
    """Extract each file; the ones that fail give one error each and are left out."""
    extractions: dict[str, Extraction] = {}
    errors: list[Issue] = []
    seen: dict[str, Path] = {}
    for file in files:
        if file.name in seen:
            errors.append(Errors.E107.format(file=str(file), other=str(seen[file.name])))
            continue
        seen[file.name] = file
        try:
            ex = extract_file(file)
        except PolicyKGError as err:
            errors.append(err.issue)
        else:
            extractions[ex.file] = ex
        if progress:
            progress(file)
    return extractions, errors


def build(
    paths: Iterable[str | Path], store_path: str | Path | None = None, *, replace: bool = False,
    progress: Callable[[Path], None] | None = None, wait: bool = True,
    on_wait: Callable[[int], None] | None = None,
) -> BuildReport:
    """Extract ``paths``, merge with the store (unless ``replace``), build the graph and save it.

    The files are read first; the store is then read, merged and saved under its write lock. Another
    build holding it makes this one wait (``on_wait`` gets the holder's pid, once) or, with
    ``wait=False``, raise :class:`~policykg.errors.StoreError` E303 without touching the store.
    A run that loads no file leaves the store as it was (and creates none; it takes no lock).
    """
    store = open_store(store_path)
    files = collect_files(paths)
    new, problems = extract_many(files, progress)
    errors = [i for i in problems if i.code != "E104"]
    skipped = [i for i in problems if i.code == "E104"]
    if not new:
        graph, issues = _merge_and_save(store, new, replace, save=False)
    else:
        with store.lock(wait=wait, on_wait=on_wait):
            graph, issues = _merge_and_save(store, new, replace, save=True)
    return BuildReport(graph, sorted(new), errors, issues, skipped)


def _merge_and_save(store: Store, new: dict[str, Extraction], replace: bool,
                    save: bool) -> tuple[nx.MultiDiGraph, list[Issue]]:
    """Add ``new`` to what the store holds (nothing, if ``replace``), build the graph, and save it if asked."""
    previous = store.load().extractions if store.exists() and not replace else {}
    merged = {**previous, **new}
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
