"""The main job: read files, build the graph, keep it in a store.

``build`` adds files to what the store already holds (a file loaded again replaces its
own facts); a file that cannot be read is reported and, if it was loaded before, its
earlier records stay.
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
from .graph.store import open_store
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
    progress: Callable[[Path], None] | None = None,
) -> BuildReport:
    """Extract ``paths``, merge with the store (unless ``replace``), build the graph and save it.

    A run that loads no file leaves the store as it was (and creates none).
    """
    store = open_store(store_path)
    previous = store.load().extractions if store.exists() and not replace else {}
    files = collect_files(paths)
    new, problems = extract_many(files, progress)
    errors = [i for i in problems if i.code != "E104"]
    skipped = [i for i in problems if i.code == "E104"]
    merged = {**previous, **new}
    result = build_graph(merged.values())
    if new:
        store.save(merged, result.graph, result.issues)
    return BuildReport(result.graph, sorted(new), errors, result.issues, skipped)


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
