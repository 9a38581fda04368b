"""The SPARQL folder beside a store's live snapshot: built once, opened by later queries, never seen half-built,
cleaned when its snapshot is gone, and answered from memory when the store cannot be written."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import networkx as nx
import pyoxigraph as ox
import pytest

from policykg.graph import sparql_cache
from policykg.graph.rdf import to_oxigraph
from policykg.graph.sparql_cache import (
    cache_folder,
    live_snapshot,
    open_sparql_store,
    remove_stale_caches,
)
from policykg.graph.store import open_store
from policykg.synthetic import synthetic_graph

TASK_COUNT = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a <https://w3id.org/policykg/ontology#Task> }"


def tasks_in(store: ox.Store) -> int:
    return int(next(iter(store.query(TASK_COUNT)))["n"].value)


def save(path, tasks: int) -> nx.MultiDiGraph:
    graph = synthetic_graph(tasks=tasks, provinces=1, seed=tasks)
    open_store(path).save({}, graph, [])
    return graph


def loader(path, calls: list):
    def load() -> nx.MultiDiGraph:
        calls.append(1)
        return open_store(path).load_graph()
    return load


def sparql_entries(path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.name.startswith("sparql-"))


def dead_pid() -> int:
    """The pid of a process that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_built_on_the_first_query_then_opened_without_reading_the_graph(tmp_path):
    save(tmp_path, 30)
    calls: list = []
    first = open_sparql_store(tmp_path, loader(tmp_path, calls))
    assert (first.where, calls) == ("built", [1])
    assert first.path == cache_folder(tmp_path, live_snapshot(tmp_path)) and first.path.is_dir()
    assert tasks_in(first.store) == 30
    second = open_sparql_store(tmp_path, loader(tmp_path, calls))
    assert (second.where, second.path, calls) == ("disk", first.path, [1])  # the graph was not read again
    assert tasks_in(second.store) == 30
    assert sparql_entries(tmp_path) == [first.path.name]  # nothing temporary left


def test_the_store_is_built_under_a_temporary_name_and_renamed_when_whole(tmp_path, monkeypatch):
    save(tmp_path, 10)
    final = cache_folder(tmp_path, live_snapshot(tmp_path))
    seen = []

    def watched(graph, path=None):
        seen.append((path.name, final.exists()))
        return to_oxigraph(graph, path)

    monkeypatch.setattr(sparql_cache, "to_oxigraph", watched)
    opened = open_sparql_store(tmp_path, lambda: open_store(tmp_path).load_graph())
    [(name, final_existed)] = seen
    assert name.startswith(final.name + "-") and name.endswith(".tmp") and not final_existed
    assert opened.where == "built" and tasks_in(opened.store) == 10


def test_when_another_builder_renames_first_its_store_is_opened_and_ours_dropped(tmp_path, monkeypatch):
    graph = save(tmp_path, 10)
    final = cache_folder(tmp_path, live_snapshot(tmp_path))

    def racing(graph_, path=None):
        built = to_oxigraph(graph_, path)
        other = to_oxigraph(synthetic_graph(tasks=4, provinces=1, seed=9), final)  # the other process wins
        del other
        return built

    monkeypatch.setattr(sparql_cache, "to_oxigraph", racing)
    opened = open_sparql_store(tmp_path, lambda: graph)
    assert opened.where == "built" and tasks_in(opened.store) == 4  # the winner's store, whole
    assert sparql_entries(tmp_path) == [final.name]


def test_a_folder_whose_snapshot_is_gone_is_removed_by_the_next_build(tmp_path):
    save(tmp_path, 5)
    first = open_sparql_store(tmp_path, lambda: open_store(tmp_path).load_graph()).path
    save(tmp_path, 6)  # the first snapshot is kept as the previous one
    second = open_sparql_store(tmp_path, lambda: open_store(tmp_path).load_graph()).path
    assert sparql_entries(tmp_path) == sorted([first.name, second.name])
    save(tmp_path, 7)  # the first snapshot is removed by the store
    third = open_sparql_store(tmp_path, lambda: open_store(tmp_path).load_graph())
    assert third.where == "built" and tasks_in(third.store) == 7
    assert sparql_entries(tmp_path) == sorted([second.name, third.path.name])


def test_stale_temporary_folders_and_other_formats_are_removed(tmp_path):
    save(tmp_path, 5)
    snapshot = live_snapshot(tmp_path)
    own = cache_folder(tmp_path, snapshot)
    dead = tmp_path / f"{own.name}-{dead_pid()}-0a1b2c3d.tmp"
    alive = tmp_path / f"{own.name}-{os.getppid()}-0a1b2c3d.tmp"  # a builder still running
    other_format = tmp_path / f"sparql-{snapshot}-0000000000"
    for folder in (dead, alive, other_format):
        folder.mkdir()
    assert remove_stale_caches(tmp_path) == sorted([dead.name, other_format.name])
    assert sparql_entries(tmp_path) == [alive.name]


def test_a_store_that_cannot_be_written_is_answered_from_memory(tmp_path, monkeypatch):
    graph = save(tmp_path, 12)

    def read_only(graph_, path=None):
        if path is not None:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return to_oxigraph(graph_)

    monkeypatch.setattr(sparql_cache, "to_oxigraph", read_only)
    opened = open_sparql_store(tmp_path, lambda: graph)
    assert opened.where == "memory" and opened.path is None and tasks_in(opened.store) == 12
    assert sparql_entries(tmp_path) == []


def test_a_damaged_folder_is_set_aside_and_built_again(tmp_path):
    save(tmp_path, 8)
    folder = cache_folder(tmp_path, live_snapshot(tmp_path))
    folder.mkdir()
    (folder / "CURRENT").write_text("not a database\n")
    opened = open_sparql_store(tmp_path, lambda: open_store(tmp_path).load_graph())
    assert opened.where == "built" and tasks_in(opened.store) == 8
    assert sparql_entries(tmp_path) == [folder.name]


def test_a_snapshot_replaced_while_the_graph_was_read_is_not_kept(tmp_path):
    save(tmp_path, 5)

    def read_then_replaced() -> nx.MultiDiGraph:
        graph = open_store(tmp_path).load_graph()
        save(tmp_path, 9)  # a build switched CURRENT meanwhile
        return graph

    opened = open_sparql_store(tmp_path, read_then_replaced)
    assert opened.where == "memory" and tasks_in(opened.store) == 5
    assert sparql_entries(tmp_path) == []


@pytest.mark.parametrize("setup", ["no store", "damaged pointer"])
def test_without_a_live_snapshot_the_graph_is_loaded_in_memory(tmp_path, setup):
    if setup == "damaged pointer":
        save(tmp_path, 3)
        (tmp_path / "CURRENT").write_text("snapshot-elsewhere\n")
    assert live_snapshot(tmp_path) is None
    opened = open_sparql_store(tmp_path, lambda: synthetic_graph(tasks=3, provinces=1, seed=1))
    assert opened.where == "memory" and tasks_in(opened.store) == 3


def test_a_damaged_folder_in_a_store_that_cannot_be_written_is_answered_from_memory(tmp_path, monkeypatch):
    graph = save(tmp_path, 6)
    folder = cache_folder(tmp_path, live_snapshot(tmp_path))
    folder.mkdir()
    (folder / "CURRENT").write_text("not a database\n")

    def refused(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    def read_only(graph_, path=None):
        if path is not None:
            refused()
        return to_oxigraph(graph_)

    monkeypatch.setattr(sparql_cache.os, "rename", refused)
    monkeypatch.setattr(sparql_cache, "to_oxigraph", read_only)
    opened = open_sparql_store(tmp_path, lambda: graph)
    assert opened.where == "memory" and tasks_in(opened.store) == 6
    assert sparql_entries(tmp_path) == [folder.name]  # left as it was
