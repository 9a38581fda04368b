"""Stores: where a built graph and the records behind it are kept between runs.

A small interface with backends registered by name (as rdflib does with its stores).
The default, ``directory``, keeps in one folder:

- ``CURRENT``: the name of the live snapshot folder;
- ``<snapshot>/extractions/*.json``: the records of each loaded file;
- ``<snapshot>/graph.json``: the graph (networkx node-link JSON);
- ``<snapshot>/manifest.json``: files, counts, warnings, policykg version.

A save writes a new snapshot beside the live one and then switches ``CURRENT`` with an
atomic rename, so a failed or interrupted run leaves the previous store as it was.

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

import json
import os
import shutil
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx

from .. import __version__
from ..errors import Errors, Issue, StoreError
from ..records import Extraction

__all__ = ["Store", "DirectoryStore", "StoreContents", "register_store", "open_store", "DEFAULT_STORE", "default_store_path"]

DEFAULT_STORE = ".policykg"


def default_store_path() -> Path:
    """``$POLICYKG_STORE`` if set, else ``./.policykg``."""
    return Path(os.environ.get("POLICYKG_STORE", DEFAULT_STORE))


@dataclass
class StoreContents:
    """What a store holds."""

    extractions: dict[str, Extraction]
    graph: nx.MultiDiGraph
    manifest: dict[str, Any] = field(default_factory=dict)


class Store(ABC):
    """A place to keep the graph and its records."""

    name: ClassVar[str]

    def __init__(self, path: str | Path):
        self.path = Path(path)

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
        snapshot = self._current()
        if snapshot is None:
            raise StoreError(Errors.E302.format(path=str(self.path)))
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
        except (OSError, ValueError, KeyError, TypeError, AttributeError, nx.NetworkXError) as exc:
            raise StoreError(Errors.E301.format(path=str(self.path), detail=str(exc))) from None
        return StoreContents(extractions, graph, manifest)

    def save(self, extractions: dict[str, Extraction], graph: nx.MultiDiGraph, issues: list[Issue]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"snapshot-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        tmp = self.path / (name + ".tmp")
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
            pointer = self.path / "CURRENT.tmp"
            pointer.write_text(name, encoding="utf-8")
            os.replace(pointer, self.path / "CURRENT")
        except BaseException:
            if self._current() != self.path / name:
                shutil.rmtree(self.path / name, ignore_errors=True)
            shutil.rmtree(tmp, ignore_errors=True)
            (self.path / "CURRENT.tmp").unlink(missing_ok=True)
            raise
        for old in self.path.glob("snapshot-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)
