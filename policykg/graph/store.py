"""Stores: where a built graph and the records behind it are kept between runs.

A small interface with backends registered by name (as rdflib does with its stores).
The default, ``directory``, keeps in one folder:

- ``CURRENT``: the name of the live snapshot folder;
- ``<snapshot>/extractions/<digest of the source>.json``: the records of each loaded file;
- ``<snapshot>/graph.json``: the graph (networkx node-link JSON);
- ``<snapshot>/manifest.json``: files, counts, warnings, policykg version, the SHA-256 of
  every other file of the snapshot, and for each source the bytes and extractor its records were read
  with (:class:`SourceStamp`).

The parts are read on their own: :meth:`Store.stamps` (the manifest alone) tells a build which files
it need not read again, :meth:`Store.load_graph` is what a query needs, :meth:`Store.load_extractions`
what a build merges with. A save told which sources are ``kept`` as the live snapshot holds them copies
their files (the kernel copies the bytes; nothing is encoded again).

A save writes a new snapshot beside the live one and then switches ``CURRENT`` with an
atomic rename, so a failed or interrupted run leaves the previous store as it was. The
snapshot it replaced is kept (one previous snapshot) to recover from.

Loading verifies every file against the manifest's checksums: a missing or changed file, or a
``CURRENT`` that is missing or names no snapshot while snapshots are there, is E304 naming the
damaged part, and a build refuses to write over such a store. :meth:`DirectoryStore.check`
says what is damaged; :meth:`DirectoryStore.repair` points ``CURRENT`` back at the newest
complete snapshot and sets the damaged ones aside (``damaged-<name>``, never deleted).

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
import hashlib
import os
import re
import secrets
import shutil
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx
import orjson

from .. import __version__
from ..errors import Errors, Issue, StoreError
from ..records import Extraction

__all__ = ["Store", "DirectoryStore", "StoreContents", "SourceStamp", "SnapshotCheck", "StoreCheck", "Repair", "register_store",
           "open_store", "DEFAULT_STORE", "default_store_path", "LOCK_FILE", "store_lock", "lock_holder", "pid_alive",
           "temp_owner"]

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

    @property
    def files(self) -> list[str]:
        """The names of the files the store holds, sorted."""
        return sorted(ex.file for ex in self.extractions.values())


@dataclass(frozen=True)
class SourceStamp:
    """What the records of one stored source were read from: the file's name and SHA-256, and the extractor's
    version (:mod:`policykg.loaders.fingerprint`)."""

    file: str
    sha256: str | None
    extractor: str


@dataclass
class SnapshotCheck:
    """What :meth:`DirectoryStore.check` found in one snapshot folder."""

    name: str
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the sources the manifest lists (paths)
    nodes: int | None = None
    edges: int | None = None
    verified: bool = False  # every file matched a checksum (older snapshots have none)

    @property
    def complete(self) -> bool:
        return not self.problems


@dataclass
class StoreCheck:
    """The state of a store: the snapshot ``CURRENT`` names and every snapshot folder, newest first."""

    path: Path
    current: str | None = None
    pointer_problem: str | None = None
    snapshots: list[SnapshotCheck] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.current is None and self.pointer_problem is None

    @property
    def ok(self) -> bool:
        """True when ``CURRENT`` names a complete snapshot (or the store is empty)."""
        return self.empty or (self.pointer_problem is None and self.live is not None and self.live.complete)

    @property
    def live(self) -> SnapshotCheck | None:
        return next((s for s in self.snapshots if s.name == self.current), None)

    def problem(self) -> str:
        """The first damage found, as a phrase ("" when the store is whole)."""
        if self.pointer_problem:
            return self.pointer_problem
        live = self.live
        return f"{live.name}: {live.problems[0]}" if live and live.problems else ""


@dataclass
class Repair:
    """What :meth:`DirectoryStore.repair` did."""

    current: str | None  # the snapshot CURRENT names now (None: the store is now empty)
    set_aside: list[str] = field(default_factory=list)  # damaged snapshots renamed damaged-<name>
    lost: list[str] = field(default_factory=list)  # sources the damaged snapshot held and the recovered one lacks
    changed: bool = True


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
    key = (os.path.realpath(folder / LOCK_FILE), threading.get_ident())
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # a read-only store (or a file where the folder should be)
        raise StoreError(Errors.E305.format(path=str(folder), detail=exc.strerror or str(exc))) from None
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
        """True when the store holds something saved, complete or damaged (:meth:`load` says which)."""

    @abstractmethod
    def load(self) -> StoreContents:
        """Read the store; raises :class:`StoreError` when it is missing (E302), unreadable (E301) or damaged (E304)."""

    @abstractmethod
    def save(self, extractions: dict[str, Extraction], graph: nx.MultiDiGraph, issues: list[Issue], *,
             kept: Iterable[str] = (), summary: dict[str, int] | None = None) -> None:
        """Replace the store's contents atomically; a damaged store is not written over (E304). ``kept``: the
        sources whose records are those the store holds (a backend may keep them without writing them again);
        ``summary``: counts to keep beside the graph (:meth:`summary`)."""

    def load_graph(self) -> nx.MultiDiGraph:
        """The stored graph (a backend may read it without the records)."""
        return self.load().graph

    def load_extractions(self) -> dict[str, Extraction]:
        """The stored records, by source (a backend may read them without the graph)."""
        return self.load().extractions

    def stamps(self) -> dict[str, SourceStamp]:
        """What each stored source's records were read from, by source."""
        return {key: SourceStamp(ex.file, ex.sha256, ex.extractor) for key, ex in self.load_extractions().items()}

    def summary(self) -> tuple[dict[str, int], list[Issue]] | None:
        """The counts and the issues of the last save, if the store keeps them (else None: build the graph)."""
        return None


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
    """Read :func:`graph_to_json` output back (what ``nx.node_link_graph`` reads, added in bulk: the data is
    consumed).

    >>> g = nx.MultiDiGraph(); g.add_node("a", kind="Task"); g.add_edge("b", "a", key="LEADS", kind="LEADS")
    'LEADS'
    >>> back = graph_from_json(graph_to_json(g))
    >>> nx.utils.graphs_equal(back, g), list(back.edges(keys=True, data=True))
    (True, [('b', 'a', 'LEADS', {'kind': 'LEADS'})])
    """
    if not (data.get("directed") and data.get("multigraph")) or not isinstance(data.get("nodes"), list):
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    graph = nx.MultiDiGraph(**(data.get("graph") or {}))
    graph.add_nodes_from((node.pop("id"), node) for node in data["nodes"])
    graph.add_edges_from((edge.pop("source"), edge.pop("target"), edge.pop("key"), edge) for edge in data["edges"])
    return graph


def _json_bytes(data: Any, *, readable: bool = False) -> bytes:
    """``data`` as UTF-8 JSON (indented when people read it: the manifest)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 if readable else 0)


def _write_bytes(path: Path, payload: bytes) -> str:
    """Write ``payload`` and sync it to disk; its SHA-256."""
    with open(path, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    return hashlib.sha256(payload).hexdigest()


def _write_json(path: Path, data: Any, *, readable: bool = False) -> str:
    """Write ``data`` as JSON and sync it to disk; the SHA-256 of the bytes written."""
    return _write_bytes(path, _json_bytes(data, readable=readable))


def _copy_synced(source: Path, target: Path) -> None:
    """Copy a file's bytes (in the kernel where it can) and sync the copy to disk."""
    shutil.copyfile(source, target)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def part_name(key: str) -> str:
    """The snapshot file of a source's records: named by a digest of the source, so that it keeps its name
    from one snapshot to the next.

    >>> part_name("/data/plan.txt")
    'extractions/fd6191d0991d60e249c93f6b.json'
    """
    return f"extractions/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}.json"


def _fsync_folder(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


_SNAPSHOT = re.compile(r"^snapshot-[0-9T]+-\d+-[0-9a-f]+$")


class _Damaged(Exception):
    """A part of a snapshot is missing or does not match its checksum."""


@register_store
class DirectoryStore(Store):
    """JSON files in a folder, switched atomically through ``CURRENT``."""

    name = "directory"

    def _snapshot_names(self) -> list[str]:
        """The snapshot folders, newest first (their names begin with the time of the save)."""
        if not self.path.is_dir():
            return []
        return sorted((p.name for p in self.path.iterdir() if _SNAPSHOT.match(p.name) and p.is_dir()), reverse=True)

    def _pointer(self) -> tuple[Path | None, str | None]:
        """The snapshot ``CURRENT`` names, or None and what is wrong (None too when the store is empty)."""
        pointer = self.path / "CURRENT"
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            if self._snapshot_names():
                return None, "CURRENT is missing, although snapshots are there"
            return None, None
        except (OSError, UnicodeDecodeError) as exc:
            return None, f"CURRENT cannot be read ({getattr(exc, 'strerror', None) or exc})"
        if _SNAPSHOT.match(name) and (self.path / name).is_dir():
            return self.path / name, None
        if not self._snapshot_names():
            return None, None  # a pointer left without any snapshot: nothing was ever saved whole
        return None, f"CURRENT names {name[:80]!r}, which is not a snapshot of the store"

    def exists(self) -> bool:
        return self._pointer() != (None, None)

    def load(self) -> StoreContents:
        """Read the snapshot ``CURRENT`` names; if a writer replaced it meanwhile, read the new one."""
        return self._load_live(lambda snapshot: self._read(snapshot))

    def load_graph(self) -> nx.MultiDiGraph:
        """The live snapshot's graph, read without the records."""
        return self._load_live(lambda snapshot: self._read(snapshot, extractions=False)).graph

    def load_extractions(self) -> dict[str, Extraction]:
        """The live snapshot's records, read without the graph."""
        return self._load_live(lambda snapshot: self._read(snapshot, graph=False)).extractions

    def stamps(self) -> dict[str, SourceStamp]:
        """What each source's records were read from, from the manifest alone (a snapshot older than the stamps:
        from its records)."""
        manifest = self._load_live(self._manifest)
        sources = manifest.get("sources")
        if not isinstance(sources, dict):
            return super().stamps()
        return {key: SourceStamp(s["file"], s.get("sha256"), s.get("extractor", "")) for key, s in sources.items()}

    def summary(self) -> tuple[dict[str, int], list[Issue]] | None:
        """The counts and issues the last save kept in the manifest (None for a snapshot older than them)."""
        manifest = self._load_live(self._manifest)
        counts, issues = manifest.get("summary"), manifest.get("issue_records")
        if not isinstance(counts, dict) or not isinstance(issues, list):
            return None
        return counts, [Issue(*fields) for fields in issues]

    def _load_live(self, read: Callable[[Path], Any]) -> Any:
        """``read`` the snapshot ``CURRENT`` names; again from the new one if a writer replaced it meanwhile."""
        for _ in range(5):
            snapshot, problem = self._pointer()
            if snapshot is None:
                if problem is None:
                    raise StoreError(Errors.E302.format(path=str(self.path)))
                raise StoreError(Errors.E304.format(path=str(self.path), detail=problem))
            try:
                return read(snapshot)
            except _Damaged as exc:
                if self._pointer()[0] == snapshot:
                    raise StoreError(Errors.E304.format(path=str(self.path), detail=f"{snapshot.name}: {exc}")) from None
        raise StoreError(Errors.E301.format(path=str(self.path), detail="the store kept changing while it was read"))

    def _manifest(self, snapshot: Path) -> dict[str, Any]:
        try:
            data = (snapshot / "manifest.json").read_bytes()
        except FileNotFoundError:
            raise _Damaged("manifest.json is missing") from None
        try:
            manifest = orjson.loads(data)
        except ValueError as exc:
            raise StoreError(Errors.E301.format(path=str(self.path), detail=f"manifest.json: {exc}")) from None
        if not isinstance(manifest, dict):
            raise StoreError(Errors.E301.format(path=str(self.path), detail="manifest.json holds no manifest"))
        return manifest

    def _verified_bytes(self, snapshot: Path, name: str, checksums: dict[str, str]) -> bytes:
        try:
            data = (snapshot / name).read_bytes()
        except FileNotFoundError:
            raise _Damaged(f"{name} is missing") from None
        if checksums and hashlib.sha256(data).hexdigest() != checksums.get(name):
            raise _Damaged(f"{name} does not match its checksum (changed or damaged)")
        return data

    def _parts(self, snapshot: Path, manifest: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
        """The manifest's checksums and the extraction files the snapshot must hold; raises :class:`_Damaged`
        when the folder holds other extraction files than those (a file deleted or added)."""
        checksums = manifest.get("checksums") or {}
        if not isinstance(checksums, dict):
            raise StoreError(Errors.E301.format(path=str(self.path), detail="manifest.json: checksums are not a mapping"))
        held = sorted(f"extractions/{p.name}" for p in (snapshot / "extractions").glob("*.json"))
        if checksums:
            expected = sorted(k for k in checksums if k.startswith("extractions/"))
        elif isinstance(sources := manifest.get("sources"), dict):
            expected = sorted(str((s or {}).get("part")) for s in sources.values())
        else:  # an older snapshot: one file per source the manifest lists
            expected = [f"extractions/{n:05d}.json" for n in range(len(manifest.get("files") or []))]
        if missing := sorted(set(expected) - set(held)):
            raise _Damaged(f"{missing[0]} is missing" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
        if extra := sorted(set(held) - set(expected)):
            raise _Damaged(f"{extra[0]} is not in the manifest")
        return checksums, expected

    def _read(self, snapshot: Path, graph: bool = True, extractions: bool = True) -> StoreContents:
        manifest = self._manifest(snapshot)
        checksums, parts = self._parts(snapshot, manifest)
        records = {}
        try:
            network = (graph_from_json(orjson.loads(self._verified_bytes(snapshot, "graph.json", checksums)))
                       if graph else nx.MultiDiGraph())
            for name in parts if extractions else ():
                ex = Extraction.from_dict(orjson.loads(self._verified_bytes(snapshot, name, checksums)))
                records[ex.key] = ex
        except _Damaged:
            raise
        except OSError as exc:
            raise StoreError(Errors.E301.format(path=str(self.path), detail=exc.strerror or str(exc))) from None
        except (ValueError, KeyError, TypeError, AttributeError, nx.NetworkXError) as exc:
            raise StoreError(Errors.E301.format(path=str(self.path), detail=str(exc))) from None
        return StoreContents(records, network, manifest)

    def _check_snapshot(self, name: str, parse: bool = True) -> SnapshotCheck:
        """What is damaged in snapshot ``name``; ``parse=False`` trusts the JSON of files that match their
        checksum (only policykg writes them) and parses only the files of older snapshots without checksums."""
        found = SnapshotCheck(name)
        snapshot = self.path / name
        try:
            manifest = self._manifest(snapshot)
            found.files = [str(f) for f in manifest.get("files") or []]
            found.nodes, found.edges = manifest.get("nodes"), manifest.get("edges")
            checksums, parts = self._parts(snapshot, manifest)
            for part in ["graph.json", *parts]:
                data = self._verified_bytes(snapshot, part, checksums)
                if parse or not checksums:
                    orjson.loads(data)
            found.verified = bool(checksums)
        except _Damaged as exc:
            found.problems.append(str(exc))
        except StoreError as err:
            found.problems.append(err.issue.message.split(": ", 1)[-1])
        except (OSError, ValueError) as exc:
            found.problems.append(getattr(exc, "strerror", None) or str(exc))
        return found

    def check(self) -> StoreCheck:
        """Verify ``CURRENT`` and every snapshot folder against its manifest (nothing is changed).

        >>> import tempfile, networkx as nx
        >>> store = open_store(tempfile.mkdtemp())
        >>> store.save({}, nx.MultiDiGraph(), [])
        >>> (store.path / store.check().current / "graph.json").unlink()
        >>> found = store.check()
        >>> found.ok, found.problem().split(": ", 1)[1]
        (False, 'graph.json is missing')
        """
        snapshot, problem = self._pointer()
        result = StoreCheck(self.path, snapshot.name if snapshot else None, problem)
        result.snapshots = [self._check_snapshot(name) for name in self._snapshot_names()]
        return result

    def repair(self) -> Repair:
        """Point ``CURRENT`` at the newest complete snapshot, under the write lock; the damaged snapshots newer
        than it are renamed ``damaged-<name>``. With no complete snapshot the store is left empty (its damaged
        snapshots set aside), so the next build starts over.

        >>> import tempfile, networkx as nx
        >>> store = open_store(tempfile.mkdtemp())
        >>> store.save({}, nx.MultiDiGraph(), [])
        >>> (store.path / "CURRENT").unlink()
        >>> store.repair().current == store.check().current, store.check().ok
        (True, True)
        """
        with self.lock():
            found = self.check()
            if found.ok:
                return Repair(found.current, changed=False)
            good = next((s for s in found.snapshots if s.complete), None)
            damaged = [s for s in found.snapshots if not s.complete and (good is None or s.name > good.name)]
            for snap in damaged:
                os.replace(self.path / snap.name, self.path / f"damaged-{snap.name}")
            if good is not None:
                self._point_at(good.name)
            else:
                (self.path / "CURRENT").unlink(missing_ok=True)
            live = found.live
            lost = sorted(set(live.files) - set(good.files if good else [])) if live else []
            return Repair(good.name if good else None, [f"damaged-{s.name}" for s in damaged], lost)

    def _point_at(self, name: str) -> None:
        """Switch ``CURRENT`` to ``name`` atomically."""
        pointer = self.path / f"CURRENT-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            with open(pointer, "w", encoding="utf-8") as handle:
                handle.write(name)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(pointer, self.path / "CURRENT")
            _fsync_folder(self.path)
        finally:
            pointer.unlink(missing_ok=True)

    def save(self, extractions: dict[str, Extraction], graph: nx.MultiDiGraph, issues: list[Issue], *,
             kept: Iterable[str] = (), summary: dict[str, int] | None = None) -> None:
        """Write a new snapshot and switch ``CURRENT`` to it, under the store lock (waiting for it). The snapshot
        it replaces is kept; older ones are removed. A damaged store is left as it is (E304); a snapshot that cannot
        be written (full disk, read-only folder) is E305 and leaves the previous one live. The records of the
        sources ``kept`` are copied from the live snapshot (they are the ones it holds, checked against its
        checksums before the copy)."""
        with self.lock():
            live, problem = self._pointer()
            if live is not None and (damage := self._check_snapshot(live.name, parse=False).problems):
                problem = f"{live.name}: {damage[0]}"
            if problem:
                raise StoreError(Errors.E304.format(path=str(self.path), detail=problem))
            self.remove_stale()
            name = f"snapshot-{datetime.now().strftime('%Y%m%dT%H%M%S%f')}-{os.getpid()}-{secrets.token_hex(4)}"
            try:
                self._write_snapshot(name, extractions, graph, issues, self._kept_parts(live, kept), summary)
            except OSError as exc:  # a full disk, a read-only folder: the previous snapshot stays live
                raise StoreError(Errors.E305.format(path=str(self.path), detail=exc.strerror or str(exc))) from None
            for old in self._snapshot_names():
                if old not in {name, live.name if live else None}:
                    shutil.rmtree(self.path / old, ignore_errors=True)

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

    def _kept_parts(self, live: Path | None, kept: Iterable[str]) -> dict[str, tuple[Path, str]]:
        """The live snapshot's file and checksum of each source ``kept`` that it stores in a file of its own."""
        kept = set(kept)
        if live is None or not kept:
            return {}
        manifest = self._manifest(live)
        sources, checksums = manifest.get("sources") or {}, manifest.get("checksums") or {}
        return {key: (live / part, checksums[part]) for key in kept
                if (part := (sources.get(key) or {}).get("part")) and part in checksums}

    def _write_snapshot(self, name: str, extractions: dict[str, Extraction], graph: nx.MultiDiGraph,
                        issues: list[Issue], kept: dict[str, tuple[Path, str]], summary: dict[str, int] | None) -> None:
        tmp = self.path / (name + ".tmp")
        try:
            (tmp / "extractions").mkdir(parents=True)
            checksums, sources = {}, {}
            for key, ex in sorted(extractions.items()):
                part = part_name(key)
                if key in kept:
                    _copy_synced(kept[key][0], tmp / part)
                    checksums[part] = kept[key][1]
                else:
                    checksums[part] = _write_json(tmp / part, ex.to_dict())
                sources[key] = {"file": ex.file, "sha256": ex.sha256, "extractor": ex.extractor, "part": part}
            checksums["graph.json"] = _write_json(tmp / "graph.json", data := graph_to_json(graph))
            edges = len(data["edges"])
            _write_json(tmp / "manifest.json", {
                "policykg_version": __version__, "files": sorted(extractions),
                "nodes": graph.number_of_nodes(), "edges": edges,
                "issues": [str(i) for i in issues], "checksums": checksums, "sources": sources,
                "summary": summary, "issue_records": [[i.code, i.message, i.file, i.line] for i in issues],
            }, readable=True)
            tmp.rename(self.path / name)
            self._point_at(name)
        except BaseException:
            if self._pointer()[0] != self.path / name:
                shutil.rmtree(self.path / name, ignore_errors=True)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
