"""The RDF form of a store's live snapshot, kept on disk in Oxigraph for SPARQL queries.

Loading the RDF form of a large graph takes seconds even with Oxigraph's bulk loader (5 million triples
for 100,000 tasks); opening an Oxigraph folder already loaded takes milliseconds. So the first SPARQL
query of a snapshot loads it once into a folder beside the snapshot, and the next queries open that:

- ``<store>/sparql-<snapshot>-<format>/``: an Oxigraph (RocksDB) folder holding exactly the triples of
  :func:`~policykg.graph.rdf.to_rdf` for that snapshot's graph, in the default graph. ``<format>`` is a
  digest of the RDF mapping and the pyoxigraph version (:func:`cache_format`): another version of the
  mapping makes and reads its own folder. A snapshot never changes once written, so its folder never
  goes stale while the snapshot exists.
- It is built in ``<store>/sparql-<snapshot>-<format>-<pid>-<random>.tmp`` and renamed into place when
  complete: a reader sees a whole store or none. When two processes build at once, the first rename
  wins; the other drops its copy and opens the winner's.
- Opened read-only, so any number of readers share it without locks.
- Each build removes the folders of snapshots that are gone (the store keeps the live snapshot and the
  one before), folders of another format, and temporary folders whose builder has exited.
- A store folder that cannot be written (read-only, full) still answers: the triples are bulk-loaded
  into memory instead (:attr:`SparqlStore.where` says ``"memory"``).

The graph is read only when the folder has to be built (``load_graph`` is called at most once), and the
folder is kept only when the live snapshot is still the one it was read from.

>>> import tempfile, networkx as nx
>>> from policykg.graph.store import open_store
>>> folder = tempfile.mkdtemp()
>>> g = nx.MultiDiGraph(); g.add_node("jur:vn", kind="Jurisdiction", name="Việt Nam")
>>> open_store(folder).save({}, g, [])
>>> first = open_sparql_store(folder, lambda: open_store(folder).load_graph())
>>> first.where, len(first.store)
('built', 3)
>>> again = open_sparql_store(folder, lambda: 1 / 0)  # opened from disk: the graph is not read
>>> again.where, again.path == first.path, len(again.store)
('disk', True, 3)
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from . import rdf
from .rdf import to_oxigraph
from .store import pid_alive

__all__ = [
    "CACHE_PREFIX",
    "SparqlStore",
    "cache_folder",
    "cache_format",
    "live_snapshot",
    "open_sparql_store",
    "remove_stale_caches",
]

CACHE_PREFIX = "sparql-"
_SNAPSHOT = r"snapshot-[0-9T]+-\d+-[0-9a-f]+"  # as DirectoryStore names its snapshots
_SNAPSHOT_NAME = re.compile(rf"^{_SNAPSHOT}$")
_CACHE = re.compile(rf"^{CACHE_PREFIX}({_SNAPSHOT})-([0-9a-f]+)$")
_TEMP = re.compile(rf"^{CACHE_PREFIX}{_SNAPSHOT}-[0-9a-f]+-(\d+)-[0-9a-f]+\.tmp$")


@dataclass
class SparqlStore:
    """An Oxigraph store holding the RDF form of a graph, and where it came from: ``"disk"`` (a folder built
    earlier, opened read-only), ``"built"`` (built on disk now) or ``"memory"`` (bulk-loaded in memory: no
    snapshot to key a folder by, or the folder cannot be written)."""

    store: ox.Store
    where: str
    path: Path | None = None


@lru_cache(maxsize=1)
def cache_format() -> str:
    """The digest naming the folders this code makes: the RDF mapping (the source of
    :mod:`policykg.graph.rdf`) and the pyoxigraph version. Any change to either gives new folders."""
    digest = hashlib.sha256(ox.__version__.encode())
    try:
        digest.update(Path(rdf.__file__).read_bytes())
    except OSError:  # no source beside the module: the version alone
        pass
    return digest.hexdigest()[:10]


def cache_folder(store_path: str | Path, snapshot: str) -> Path:
    """The folder of the SPARQL store of ``snapshot`` in the store at ``store_path``."""
    return Path(store_path) / f"{CACHE_PREFIX}{snapshot}-{cache_format()}"


def live_snapshot(store_path: str | Path) -> str | None:
    """The name of the snapshot ``CURRENT`` names in a directory store, or None (no store there, or a pointer
    that names no snapshot: reading the store will say what is wrong)."""
    path = Path(store_path)
    try:
        name = (path / "CURRENT").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if _SNAPSHOT_NAME.match(name) and (path / name).is_dir() else None


def remove_stale_caches(store_path: str | Path) -> list[str]:
    """Remove the SPARQL folders of snapshots that are gone or of another :func:`cache_format`, and the
    temporary folders of builders that have exited; the names removed. A folder that cannot be removed is
    left (the next build tries again)."""
    path = Path(store_path)
    removed = []
    fmt = cache_format()
    try:
        names = sorted(p.name for p in path.iterdir() if p.name.startswith(CACHE_PREFIX))
    except OSError:
        return removed
    for name in names:
        cache = _CACHE.match(name)
        temp = _TEMP.match(name)
        stale = (cache is not None and (cache.group(2) != fmt or not (path / cache.group(1)).is_dir())) or (
            temp is not None and int(temp.group(1)) != os.getpid() and not pid_alive(int(temp.group(1))))
        if stale:
            shutil.rmtree(path / name, ignore_errors=True)
            if not (path / name).exists():
                removed.append(name)
    return removed


def _open(folder: Path) -> ox.Store | None:
    """The store in ``folder`` opened read-only, or None when it cannot be opened (damaged)."""
    try:
        return ox.Store.read_only(str(folder))
    except (OSError, RuntimeError):  # RocksDB's "Corruption: ..." comes as a RuntimeError
        return None


def _set_aside(folder: Path) -> None:
    """Move a damaged folder out of the way (renamed as a temporary folder of this process) and remove it."""
    aside = folder.with_name(f"{folder.name}-{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        os.rename(folder, aside)
    except OSError:  # another reader did it, or the store cannot be written (then it is answered from memory)
        return
    shutil.rmtree(aside, ignore_errors=True)


def _build(folder: Path, graph: nx.MultiDiGraph) -> None:
    """Bulk-load ``graph`` into a temporary folder beside ``folder``, close it and rename it to ``folder``.
    If another process renamed its own copy into place first, this copy is dropped."""
    temp = folder.with_name(f"{folder.name}-{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        store = to_oxigraph(graph, temp)
        store.optimize()  # compacts the bulk loader's files: lookups read 3-4 times faster afterwards
        del store  # closes the database: nothing is written after the rename
        try:
            os.rename(temp, folder)
        except OSError:
            if not folder.is_dir():
                raise
        else:
            _fsync_folder(folder.parent)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _fsync_folder(path: Path) -> None:
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def open_sparql_store(store_path: str | Path, load_graph: Callable[[], nx.MultiDiGraph]) -> SparqlStore:
    """The Oxigraph store of the live snapshot of the directory store at ``store_path``: its folder opened
    read-only, or built there first from ``load_graph()`` (which must read that store). Without a snapshot
    (no store, a damaged pointer), when the snapshot changed while the graph was read, or when the folder
    cannot be written, the graph is bulk-loaded in memory. Errors of ``load_graph`` are raised as they come."""
    store_path = Path(store_path)
    snapshot = live_snapshot(store_path)
    if snapshot is None:
        return SparqlStore(to_oxigraph(load_graph()), "memory")
    folder = cache_folder(store_path, snapshot)
    if folder.is_dir():
        if (opened := _open(folder)) is not None:
            return SparqlStore(opened, "disk", folder)
        _set_aside(folder)
    graph = load_graph()
    if live_snapshot(store_path) != snapshot:  # a build replaced the snapshot meanwhile: which one was read?
        return SparqlStore(to_oxigraph(graph), "memory")
    try:
        remove_stale_caches(store_path)
        _build(folder, graph)
    except (OSError, RuntimeError):  # a read-only store, a full disk (RocksDB's IO errors): answer from memory
        return SparqlStore(to_oxigraph(graph), "memory")
    if (opened := _open(folder)) is None:
        return SparqlStore(to_oxigraph(graph), "memory")
    return SparqlStore(opened, "built", folder)
