"""Stores: where a built graph and the records behind it are kept between runs.

A small interface with backends registered by name (as rdflib does with its stores).
The default, ``directory``, keeps in one folder:

- ``CURRENT``: the name of the live snapshot folder;
- ``<snapshot>/extractions/*.json``: the records of each loaded file;
- ``<snapshot>/graph.json``: the graph (networkx node-link JSON);
- ``<snapshot>/manifest.json``: files, counts, warnings, policykg version.

A save writes a new snapshot beside the live one and then switches ``CURRENT`` with an
atomic rename, so a failed or interrupted run leaves the previous store as it was.

One writer at a time: :meth:`DirectoryStore.lock` takes an OS file lock (``fcntl.flock``)
on ``.lock`` in the store folder, which holds the writer's pid. A second writer waits for
it (``on_wait`` is told the holder's pid once) or, with ``wait=False``, fails with E303.
Readers never take the lock: they read the snapshot ``CURRENT`` names, which is always
complete. Temporary snapshot folders (``snapshot-<time>-<pid>-<random>.tmp``) are removed by
their owner, or by a later writer once their owner process is gone.

>>> import tempfile, networkx as nx
>>> store = open_store(tempfile.mkdtemp())
>>> store.exists()
False
>>> g = nx.MultiDiGraph(); g.add_node("jur:vn", kind="Jurisdiction", name="Việt Nam")
>>> store.save({}, g, [])
>>> store.load().graph.nodes["jur:vn"]["name"]
'Việt Nam'
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx

from .. import __version__
from ..errors import Errors, Issue, StoreError
from ..records import Extraction

__all__ = ["Store", "DirectoryStore", "StoreContents", "register_store", "open_store", "DEFAULT_STORE",
           "default_store_path", "LOCK_FILE", "store_lock", "lock_holder", "pid_alive", "temp_owner"]

DEFAULT_STORE = ".policykg"
LOCK_FILE = ".lock"
_TEMP_NAME = re.compile(r"^(?:snapshot-[0-9T]+|CURRENT)-(\d+)-[0-9a-z]+\.tmp$")
_HELD: dict[tuple[str, int], int] = {}  # (lock file, thread) -> depth: the lock is re-entrant within a thread


def default_store_path() -> Path:
    """``$POLICYKG_STORE`` if set, else ``./.policykg``."""
    return Path(os.environ.get("POLICYKG_STORE", DEFAULT_STORE))


@dataclass
class StoreContents:
    """What a store holds."""

    extractions: dict[str, Extraction]
    graph: nx.MultiDiGraph
    manifest: dict[str, Any] = field(default_factory=dict)


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists (or may exist: pids we cannot check count as alive).

    >>> pid_alive(os.getpid())
    True
    """
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temp_owner(name: str) -> int | None:
    """The pid a temporary snapshot (or pointer) name was made by, or None for other names.

    >>> temp_owner("snapshot-20260101T120000-4242-9f3a01bc.tmp"), temp_owner("snapshot-20260101T120000-4242-9f3a01bc")
    (4242, None)
    """
    match = _TEMP_NAME.match(name)
    return int(match.group(1)) if match else None


def _read_pid(handle: int) -> int | None:
    try:
        text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def lock_holder(folder: str | Path) -> int | None:
    """The pid written in a store's lock file, if any (the holder, while the lock is held).

    >>> import tempfile
    >>> lock_holder(tempfile.mkdtemp()) is None
    True
    """
    try:
        handle = os.open(Path(folder) / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return None
    try:
        return _read_pid(handle)
    finally:
        os.close(handle)


def _holder_pid(handle: int) -> int:
    """The pid in a held lock file; a holder that has just taken the lock is given a moment to write it."""
    for _ in range(50):
        pid = _read_pid(handle)
        if pid:
            return pid
        time.sleep(0.01)
    return 0


def _acquire(handle: int, folder: Path, wait: bool, on_wait: Callable[[int], None] | None) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pid = _holder_pid(handle)
    if not wait:
        raise StoreError(Errors.E303.format(path=str(folder), pid=pid or "unknown"))
    if on_wait:
        on_wait(pid)
    fcntl.flock(handle, fcntl.LOCK_EX)


@contextmanager
def store_lock(folder: str | Path, *, wait: bool = True, on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
    """Hold the write lock of the store folder (created if needed) for the ``with`` block.

    A lock held by another process makes this wait (calling ``on_wait(holder pid)`` once first) or,
    with ``wait=False``, raise :class:`StoreError` E303. Re-entrant within one thread.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with store_lock(folder):
    ...     with store_lock(folder, wait=False):
    ...         lock_holder(folder) == os.getpid()
    True
    >>> lock_holder(folder) is None
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = (os.path.realpath(folder / LOCK_FILE), threading.get_ident())
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(handle, folder, wait, on_wait)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            os.ftruncate(handle, 0)
    finally:
        os.close(handle)  # closing the descriptor releases the lock


class Store(ABC):
    """A place to keep the graph and its records."""

    name: ClassVar[str]

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @contextmanager
    def lock(self, *, wait: bool = True, on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
        """Be the only writer of the store for the ``with`` block (see :func:`store_lock`)."""
        with store_lock(self.path, wait=wait, on_wait=on_wait):
            yield

    @abstractmethod
    def exists(self) -> bool:
        """True when the store holds a saved graph."""

    @abstractmethod
    def load(self) -> StoreContents:
        """Read the store; raises :class:`StoreError` when it is missing or unreadable."""

    @abstractmethod
    def save(self, extractions: dict[str, Extraction], graph: nx.MultiDiGraph, issues: list[Issue]) -> None:
        """Replace the store's contents atomically."""


_BACKENDS: dict[str, type[Store]] = {}


def register_store(cls: type[Store]) -> type[Store]:
    """Class decorator: make a backend available to :func:`open_store` under ``cls.name``."""
    _BACKENDS[cls.name] = cls
    return cls


def open_store(path: str | Path | None = None, backend: str = "directory") -> Store:
    """The store at ``path`` (default :func:`default_store_path`) with the named backend."""
    if backend not in _BACKENDS:
        raise ValueError(f"unknown store backend {backend!r}; known: {', '.join(sorted(_BACKENDS))}")
    return _BACKENDS[backend](path if path is not None else default_store_path())


def graph_to_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link JSON of a graph (edges under ``"edges"``)."""
    return nx.node_link_data(graph, edges="edges")


def graph_from_json(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Read :func:`graph_to_json` output back."""
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def _write_json(path: Path, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@register_store
class DirectoryStore(Store):
    """JSON files in a folder, switched atomically through ``CURRENT``."""

    name = "directory"

    def _current(self) -> Path | None:
        pointer = self.path / "CURRENT"
        if not pointer.is_file():
            return None
        snapshot = self.path / pointer.read_text(encoding="utf-8").strip()
        return snapshot if snapshot.is_dir() else None

    def exists(self) -> bool:
        return self._current() is not None

    def load(self) -> StoreContents:
        """Read the snapshot ``CURRENT`` names; if a writer replaced it meanwhile, read the new one."""
        for _ in range(5):
            snapshot = self._current()
            if snapshot is None:
                raise StoreError(Errors.E302.format(path=str(self.path)))
            try:
                return self._read(snapshot)
            except FileNotFoundError as exc:
                if self._current() == snapshot:
                    raise StoreError(Errors.E301.format(path=str(self.path), detail=str(exc))) from None
        raise StoreError(Errors.E301.format(path=str(self.path), detail="the store kept changing while it was read"))

    def _read(self, snapshot: Path) -> StoreContents:
        try:
            with open(snapshot / "graph.json", encoding="utf-8") as handle:
                graph = graph_from_json(json.load(handle))
            extractions = {}
            for file in sorted((snapshot / "extractions").glob("*.json")):
                with open(file, encoding="utf-8") as handle:
                    ex = Extraction.from_dict(json.load(handle))
                extractions[ex.file] = ex
            with open(snapshot / "manifest.json", encoding="utf-8") as handle:
                manifest = json.load(handle)
        except FileNotFoundError:
            raise
        except (OSError, ValueError, KeyError, TypeError, AttributeError, nx.NetworkXError) as exc:
            raise StoreError(Errors.E301.format(path=str(self.path), detail=str(exc))) from None
        return StoreContents(extractions, graph, manifest)

    def save(self, extractions: dict[str, Extraction], graph: nx.MultiDiGraph, issues: list[Issue]) -> None:
        """Write a new snapshot and switch ``CURRENT`` to it, under the store lock (waiting for it)."""
        with self.lock():
            self.remove_stale()
            name = f"snapshot-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(4)}"
            self._write_snapshot(name, extractions, graph, issues)
            for old in self.path.glob("snapshot-*"):
                if old.name != name and temp_owner(old.name) is None:
                    shutil.rmtree(old, ignore_errors=True)

    def remove_stale(self) -> list[str]:
        """Remove the temporary folders and pointers of writers that are gone; the names removed."""
        removed = []
        for path in sorted(self.path.glob("*.tmp")):
            pid = temp_owner(path.name)
            if pid is not None and pid != os.getpid() and not pid_alive(pid):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(path.name)
        return removed

    def _write_snapshot(self, name: str, extractions: dict[str, Extraction], graph: nx.MultiDiGraph,
                        issues: list[Issue]) -> None:
        tmp = self.path / (name + ".tmp")
        pointer = self.path / f"CURRENT-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            (tmp / "extractions").mkdir(parents=True)
            for n, (_file, ex) in enumerate(sorted(extractions.items())):
                _write_json(tmp / "extractions" / f"{n:05d}.json", ex.to_dict())
            _write_json(tmp / "graph.json", graph_to_json(graph))
            _write_json(tmp / "manifest.json", {
                "policykg_version": __version__, "files": sorted(extractions),
                "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                "issues": [str(i) for i in issues],
            })
            tmp.rename(self.path / name)
            with open(pointer, "w", encoding="utf-8") as handle:
                handle.write(name)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(pointer, self.path / "CURRENT")
            _fsync_folder(self.path)
        except BaseException:
            if self._current() != self.path / name:
                shutil.rmtree(self.path / name, ignore_errors=True)
            shutil.rmtree(tmp, ignore_errors=True)
            pointer.unlink(missing_ok=True)
            raise
