"""The main job: read files, build the graph, keep it in a store.

``build`` adds files to what the store already holds. A file is identified by its resolved
path: loading a path again replaces the facts read from it before, and two files of one name
in different folders are two sources. A file that cannot be read is reported and, if it was loaded before, its
earlier records stay.

Builds may run at the same time against one store: each reads its files on its own, then
reads, merges and saves the store under the store's write lock, so the second merges with
what the first saved and no build's documents are lost.

A build is incremental: a file whose bytes and extractor version (:mod:`policykg.loaders.fingerprint`)
are those of its stored extraction is not read again; a changed file replaces exactly its own facts;
with ``prune``, the stored facts of files that were under a folder named and are gone are removed.
``jobs`` extracts files in that many processes; the results are merged in the files' order, so the
graph is the same whatever the number.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "empty.txt").write_bytes(b"")
>>> report = build([folder / "empty.txt"], folder / "store")
>>> [str(e) for e in report.errors], (folder / "store").exists()
(['E101 empty.txt: the file is empty'], False)
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import networkx as nx

from .errors import Issue, PolicyKGError
from .graph.builder import build_graph
from .graph.model import NodeKind
from .graph.store import SourceStamp, Store, open_store
from .loaders import extract_file
from .loaders.fingerprint import extractor_version, file_digest
from .loaders.readers import supported_suffixes
from .records import Extraction

__all__ = ["BuildReport", "collect_files", "build", "extract_many", "merge", "summary"]


@dataclass
class BuildReport:
    """What a build did. ``graph`` is the graph the store now holds: a build that changed nothing reads it from
    the store only when asked; ``counts`` are its :func:`summary`."""

    _graph: nx.MultiDiGraph | Callable[[], nx.MultiDiGraph]
    loaded: list[str] = field(default_factory=list)  # files extracted this run...
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)  # files that are not documents of the genre (E104)
    added: list[str] = field(default_factory=list)  # ...new to the store
    replaced: list[str] = field(default_factory=list)  # ...that replaced their earlier facts
    unchanged: list[str] = field(default_factory=list)  # files the store holds as they are: not read again
    removed: list[str] = field(default_factory=list)  # files gone from a folder named, their facts pruned
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def graph(self) -> nx.MultiDiGraph:
        if callable(self._graph):
            self._graph = self._graph()
        return self._graph


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
    jobs: int = 1,
) -> tuple[dict[str, Extraction], list[Issue]]:
    """Extract each file (keyed by :attr:`~policykg.records.Extraction.key`), in ``jobs`` processes; the ones
    that fail give one error each and are left out. ``document_head`` names the document of a file that
    names none itself (a task list kept as a spreadsheet: ``build --document``). The result is in the files'
    order whatever ``jobs`` is; a worker that dies leaves its files to be read here, one by one."""
    extractions: dict[str, Extraction] = {}
    errors: list[Issue] = []

    def keep(file: Path, result: tuple[Extraction | None, Issue | None]) -> None:
        ex, issue = result
        if ex is not None:
            extractions[ex.key] = ex
        else:
            errors.append(issue)
        if progress:
            progress(file)

    done = 0
    if jobs > 1 and len(files) > 1:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["policykg.loaders"])
        try:
            with ProcessPoolExecutor(min(jobs, len(files)), mp_context=context) as pool:
                for file, result in zip(files, pool.map(_extract_one, files, repeat(document_head))):
                    keep(file, result)
                    done += 1
        except BrokenProcessPool:
            pass
    for file in files[done:]:
        keep(file, _extract_one(file, document_head))
    return extractions, errors


def _extract_one(file: Path, document_head: str | None) -> tuple[Extraction | None, Issue | None]:
    try:
        return extract_file(file, document_head), None
    except PolicyKGError as err:
        return None, err.issue


def _unchanged(files: list[Path], stored: dict[str, SourceStamp], document_head: str | None) -> list[Path]:
    """The files whose stored extraction read the same bytes with the same extractor (a file named with
    ``--document`` is always read again: the name given may have changed)."""
    if document_head is not None:
        return []
    version = extractor_version()
    out = []
    for file in files:
        ex = stored.get(str(file.resolve()))
        if ex is not None and ex.extractor == version and ex.sha256 and _digest(file) == ex.sha256:
            out.append(file)
    return out


def _digest(file: Path) -> str | None:
    try:
        return file_digest(file)
    except OSError:  # unreadable now: read it, and let the reader name the problem
        return None


def _gone(paths: Iterable[str | Path], files: list[Path], stored: dict[str, SourceStamp]) -> list[str]:
    """The stored sources under a folder of ``paths`` that are not among ``files`` (deleted or moved away)."""
    folders = [os.path.realpath(p) for p in paths if Path(p).is_dir()]
    present = {str(f.resolve()) for f in files}
    return sorted(key for key in stored
                  if key not in present
                  and any(key.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders))


def build(
    paths: Iterable[str | Path], store_path: str | Path | None = None, *, replace: bool = False,
    progress: Callable[[Path], None] | None = None, wait: bool = True,
    on_wait: Callable[[int], None] | None = None, document_head: str | None = None,
    jobs: int = 1, prune: bool = False, folders: Iterable[str | Path] | None = None,
) -> BuildReport:
    """Extract ``paths``, merge with the store (unless ``replace``), build the graph and save it.

    The files are read first, those the store holds unchanged skipped, in ``jobs`` processes; the store
    is then read, merged and saved under its write lock. Another build holding it makes this one wait
    (``on_wait`` gets the holder's pid, once) or, with ``wait=False``, raise
    :class:`~policykg.errors.StoreError` E303 without touching the store. A run that changes nothing
    leaves the store as it was (and creates none; it takes no lock). ``prune`` removes the facts of
    files gone from the folders named (``folders``, else the folders among ``paths``). ``document_head``
    names the document of the files that name none themselves (task lists kept as spreadsheets):
    "Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND tỉnh Bắc Ninh".
    """
    paths = list(paths)
    store = open_store(store_path)
    files = collect_files(paths)
    stored = store.stamps() if store.exists() and not replace else {}
    unchanged = _unchanged(files, stored, document_head)
    skip = set(unchanged)
    new, problems = extract_many([f for f in files if f not in skip], progress, document_head, jobs)
    gone = _gone(paths if folders is None else folders, files, stored) if prune else []
    errors = [i for i in problems if i.code != "E104"]
    skipped = [i for i in problems if i.code == "E104"]
    if not new and not gone:  # nothing to save: what the store holds
        graph, issues, counts = _stored(store, bool(stored))
    else:
        with store.lock(wait=wait, on_wait=on_wait):
            graph, issues, counts = _merge_and_save(store, new, replace, gone)
    loaded = sorted(new.values(), key=lambda ex: ex.file)
    return BuildReport(graph, [ex.file for ex in loaded], errors, issues, skipped,
                       added=[ex.file for ex in loaded if ex.key not in stored],
                       replaced=[ex.file for ex in loaded if ex.key in stored],
                       unchanged=sorted(stored[str(f.resolve())].file for f in unchanged),
                       removed=[stored[key].file for key in gone], counts=counts)


def _stored(store: Store, exists: bool) -> tuple[nx.MultiDiGraph | Callable[[], nx.MultiDiGraph], list[Issue],
                                                  dict[str, int]]:
    """The graph of what the store holds (read when first asked for), its issues and counts; a store older than
    the kept counts gives them by building its graph again."""
    if not exists:
        empty = nx.MultiDiGraph()
        return empty, [], summary(empty)
    if (kept := store.summary()) is not None:
        return store.load_graph, kept[1], kept[0]
    result = build_graph(store.load_extractions().values())
    return result.graph, result.issues, summary(result.graph)


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
                    gone: Iterable[str] = ()) -> tuple[nx.MultiDiGraph, list[Issue], dict[str, int]]:
    """Add ``new`` to what the store holds (nothing, if ``replace``) less the sources ``gone``, build the graph,
    and save it."""
    previous = store.load_extractions() if store.exists() and not replace else {}
    gone = set(gone)
    merged = merge({key: ex for key, ex in previous.items() if key not in gone}, new)
    result = build_graph(merged.values())
    kept = [key for key, ex in merged.items() if previous.get(key) is ex]
    counts = summary(result.graph)
    store.save(merged, result.graph, result.issues, kept=kept, summary=counts)
    return result.graph, result.issues, counts


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
