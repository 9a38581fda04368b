"""The directory store: round trips, errors, atomic saves, and how `build` adds to it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

import policykg.graph.store as store_module
from policykg.errors import StoreError
from policykg.graph.store import LOCK_FILE, open_store
from policykg.loaders import extract_file
from policykg.pipeline import build

VINH_LONG = "001_2136b0a1750722ce.txt"  # a decision and the plan it issues
YEN_BAI = "003_97ead215d4cf5640.txt"  # one plan
VINH_PHUC = "000_09d279f00c1e9706.txt"  # a third


def edges(graph) -> dict:
    return {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}


def nodes(graph) -> dict:
    return dict(graph.nodes(data=True))


def loaded_documents(graph, file: str | None = None) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True)
                  if d["kind"] == "Document" and d.get("loaded") and (file is None or d.get("source_file") == file))


def snapshot(store_path: Path) -> Path:
    return store_path / (store_path / "CURRENT").read_text(encoding="utf-8").strip()


@pytest.fixture
def store_a(tmp_path, corpus_dir):
    """A store holding the Vĩnh Long file, and the build report."""
    path = tmp_path / "s"
    report = build([corpus_dir / VINH_LONG], store_path=path)
    assert report.loaded == [VINH_LONG] and not report.errors
    return path, report


# --- round trip ------------------------------------------------------------------------------------


def test_round_trip_keeps_the_graph(store_a):
    path, report = store_a
    contents = open_store(path).load()
    assert contents.graph.is_directed() and contents.graph.is_multigraph()
    assert report.graph.number_of_nodes() > 10 and report.graph.number_of_edges() > 10
    assert nodes(contents.graph) == nodes(report.graph)
    assert edges(contents.graph) == edges(report.graph)
    assert len(loaded_documents(contents.graph, VINH_LONG)) == 2


def test_round_trip_keeps_the_extractions(store_a, corpus_dir):
    path, _ = store_a
    contents = open_store(path).load()
    assert contents.files == [VINH_LONG]
    stored = contents.extractions[str((corpus_dir / VINH_LONG).resolve())]
    fresh = extract_file(corpus_dir / VINH_LONG)
    assert stored.tasks and stored.citations and stored.targets  # the comparison below is not vacuous
    assert stored == fresh and stored.sha256 == hashlib.sha256((corpus_dir / VINH_LONG).read_bytes()).hexdigest()
    assert contents.manifest["files"] == [stored.source]
    assert contents.manifest["nodes"] == contents.graph.number_of_nodes()
    assert contents.manifest["edges"] == contents.graph.number_of_edges()


def test_a_second_load_gives_the_same_contents(store_a):
    path, _ = store_a
    first, second = open_store(path).load(), open_store(path).load()
    assert first.extractions == second.extractions
    assert nodes(first.graph) == nodes(second.graph) and edges(first.graph) == edges(second.graph)


# --- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", ["missing", "empty-folder", "no-snapshot"])
def test_loading_a_missing_store_is_E302(tmp_path, make):
    path = tmp_path / "store"
    if make != "missing":
        path.mkdir()
    if make == "no-snapshot":
        (path / "CURRENT").write_text("snapshot-gone", encoding="utf-8")
    store = open_store(path)
    assert not store.exists()
    with pytest.raises(StoreError) as info:
        store.load()
    assert info.value.issue.code == "E302"
    assert str(info.value).startswith("E302 ")
    assert str(path) in str(info.value)


@pytest.mark.parametrize("garbage", [
    b"garbage{not json",
    b"",
    b"{}",
    b'{"nodes": 5, "edges": []}',
    b"\xff\xfe\x00binary",
    b"[]",
    b"null",
])
def test_a_changed_graph_json_is_E304_naming_it(store_a, garbage):
    path, _ = store_a
    (snapshot(path) / "graph.json").write_bytes(garbage)
    store = open_store(path)
    assert store.exists()
    with pytest.raises(StoreError) as info:
        store.load()
    assert info.value.issue.code == "E304"
    assert str(info.value).startswith(f"E304 the store at {path} is damaged ({snapshot(path).name}: graph.json does "
                                      "not match its checksum (changed or damaged)): `policykg store check`")


@pytest.mark.parametrize("garbage", [b"garbage{not json", b"", b"{}", b'{"nodes": 5, "edges": []}', b"[]", b"null"])
def test_a_corrupt_graph_json_of_a_store_without_checksums_is_E301(store_a, garbage):
    path, _ = store_a
    manifest = json.loads((snapshot(path) / "manifest.json").read_text(encoding="utf-8"))
    del manifest["checksums"]  # as older versions wrote it
    (snapshot(path) / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (snapshot(path) / "graph.json").write_bytes(garbage)
    with pytest.raises(StoreError) as info:
        open_store(path).load()
    assert info.value.issue.code == "E301"
    assert str(info.value).startswith(f"E301 the store at {path} cannot be read")


def test_corrupt_records_are_E304_and_a_corrupt_manifest_E301(store_a):
    path, _ = store_a
    snap = snapshot(path)
    part = sorted((snap / "extractions").glob("*.json"))[0]
    part.write_text('{"truncated": ', encoding="utf-8")
    with pytest.raises(StoreError) as info:
        open_store(path).load()
    assert info.value.issue.code == "E304" and f"extractions/{part.name} does not match its checksum" in str(info.value)
    (snap / "manifest.json").write_text('{"truncated": ', encoding="utf-8")
    with pytest.raises(StoreError) as info:
        open_store(path).load()
    assert info.value.issue.code == "E301" and "manifest.json" in str(info.value)


def test_unknown_backend_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown store backend 'nosuch'"):
        open_store(tmp_path, backend="nosuch")


# --- atomic saves ----------------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["graph.json", "manifest.json", "extractions"])
def test_a_failed_save_leaves_the_previous_store(store_a, corpus_dir, monkeypatch, failing):
    path, first = store_a
    first_snapshot = snapshot(path)
    real_write = store_module._write_json
    attempts = []

    def failing_write(target, data, **options):
        if failing in (Path(target).name, Path(target).parent.name):  # the new file's records: the one written
            attempts.append(Path(target))
            raise OSError(28, "No space left on device")
        return real_write(target, data, **options)

    monkeypatch.setattr(store_module, "_write_json", failing_write)
    with pytest.raises(StoreError) as info:
        build([corpus_dir / YEN_BAI], store_path=path)
    assert str(info.value) == f"E305 the store at {path} cannot be written: No space left on device"
    assert len(attempts) == 1  # the failure really happened inside the second save
    assert attempts[0].parent.name.endswith(".tmp") or attempts[0].parent.parent.name.endswith(".tmp")

    monkeypatch.undo()
    contents = open_store(path).load()
    assert snapshot(path) == first_snapshot
    assert contents.files == [VINH_LONG]
    assert nodes(contents.graph) == nodes(first.graph)
    assert edges(contents.graph) == edges(first.graph)
    assert not list(path.glob("*.tmp")), "a temporary snapshot folder was left behind"
    assert sorted(p.name for p in path.iterdir()) == sorted(["CURRENT", LOCK_FILE, first_snapshot.name])


def test_a_failed_switch_of_current_leaves_the_previous_store(store_a, corpus_dir, monkeypatch):
    path, first = store_a
    first_snapshot = snapshot(path)

    def failing_replace(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store_module.os, "replace", failing_replace)
    with pytest.raises(StoreError, match="^E305 .* cannot be written: Input/output error$"):
        build([corpus_dir / YEN_BAI], store_path=path)
    monkeypatch.undo()
    assert snapshot(path) == first_snapshot
    assert sorted(p.name for p in path.iterdir()) == sorted(["CURRENT", LOCK_FILE, first_snapshot.name])  # nothing left behind
    contents = open_store(path).load()
    assert contents.files == [VINH_LONG]
    assert nodes(contents.graph) == nodes(first.graph)


def test_a_good_save_keeps_the_snapshot_it_replaces_and_removes_older_ones(store_a, corpus_dir):
    path, _ = store_a
    first_snapshot = snapshot(path)
    build([corpus_dir / YEN_BAI], store_path=path)
    second_snapshot = snapshot(path)
    assert second_snapshot != first_snapshot and first_snapshot.exists()
    build([corpus_dir / VINH_PHUC], store_path=path)
    assert not first_snapshot.exists()
    assert sorted(p.name for p in path.iterdir()) == sorted(["CURRENT", LOCK_FILE, second_snapshot.name,
                                                            snapshot(path).name])


# --- build adds to the store -----------------------------------------------------------------------


def test_build_adds_files_to_the_store(store_a, corpus_dir):
    path, first = store_a
    report = build([corpus_dir / YEN_BAI], store_path=path)
    assert report.loaded == [YEN_BAI]  # this run loaded only B...
    contents = open_store(path).load()
    assert contents.files == [VINH_LONG, YEN_BAI]  # ...but the store holds both
    assert len(loaded_documents(contents.graph, VINH_LONG)) == 2
    assert len(loaded_documents(contents.graph, YEN_BAI)) == 1
    assert set(first.graph.nodes) <= set(contents.graph.nodes)


def test_building_a_file_again_does_not_duplicate_it(store_a, corpus_dir, monkeypatch):
    import policykg.pipeline as pipeline

    path, _ = store_a
    both = build([corpus_dir / YEN_BAI], store_path=path).graph
    unchanged = build([corpus_dir / VINH_LONG], store_path=path)
    assert unchanged.loaded == [] and unchanged.unchanged == [VINH_LONG]
    monkeypatch.setattr(pipeline, "extractor_version", lambda: "a newer extractor")
    again = build([corpus_dir / VINH_LONG], store_path=path)
    assert again.loaded == again.replaced == [VINH_LONG]
    graph = open_store(path).load().graph
    assert graph.number_of_nodes() == both.number_of_nodes()
    assert graph.number_of_edges() == both.number_of_edges()
    assert len(loaded_documents(graph, VINH_LONG)) == 2
    assert loaded_documents(graph) == loaded_documents(both)


def test_replace_starts_over(store_a, corpus_dir):
    path, _ = store_a
    report = build([corpus_dir / YEN_BAI], store_path=path, replace=True)
    assert report.loaded == [YEN_BAI]
    contents = open_store(path).load()
    assert contents.files == [YEN_BAI]
    assert loaded_documents(contents.graph, VINH_LONG) == []
    assert len(loaded_documents(contents.graph)) == 1
    alone = build([corpus_dir / YEN_BAI], store_path=path.parent / "alone").graph
    assert nodes(contents.graph) == nodes(alone)


def test_bad_files_among_good_ones(tmp_path, corpus_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (VINH_LONG, YEN_BAI):
        shutil.copy(corpus_dir / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00" + bytes(range(256)) * 4)
    report = build([folder], store_path=tmp_path / "s")
    assert sorted((e.code, e.file) for e in report.errors) == [("E101", "empty.txt"), ("E102", "image.txt")]
    assert all(str(e).startswith(f"{e.code} {e.file}: ") for e in report.errors)
    assert report.loaded == [VINH_LONG, YEN_BAI]
    contents = open_store(tmp_path / "s").load()
    assert contents.files == [VINH_LONG, YEN_BAI]
    assert len(loaded_documents(contents.graph)) == 3


def test_a_corrupt_new_version_keeps_the_stored_records(store_a, tmp_path):
    path, first = store_a
    before = open_store(path).load()
    other = tmp_path / "corrupt"
    other.mkdir()
    (other / VINH_LONG).write_bytes(b"\x00\x01\x02binary\x00" * 100)
    report = build([other / VINH_LONG], store_path=path)
    assert [(e.code, e.file) for e in report.errors] == [("E102", VINH_LONG)]
    assert report.loaded == []
    after = open_store(path).load()
    assert after.extractions == before.extractions
    assert nodes(after.graph) == nodes(first.graph)
    assert edges(after.graph) == edges(first.graph)


def test_a_run_that_loads_nothing_leaves_the_store(store_a, tmp_path):
    store_a, _ = store_a
    before = nodes(open_store(store_a).load().graph)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    report = build([empty], store_path=store_a, replace=True)
    assert [i.code for i in report.errors] == ["E101"] and report.loaded == []
    assert nodes(open_store(store_a).load().graph) == before
    fresh = tmp_path / "never"
    build([empty], store_path=fresh)
    assert not open_store(fresh).exists()


def test_two_inputs_with_the_same_name_in_two_folders_are_two_sources(tmp_path, corpus_dir):
    for folder, source in (("a", "000_09d279f00c1e9706.txt"), ("b", "001_2136b0a1750722ce.txt")):
        (tmp_path / folder).mkdir()
        shutil.copy(corpus_dir / source, tmp_path / folder / "plan.txt")
    report = build([tmp_path], store_path=tmp_path / "s")
    assert report.loaded == ["plan.txt", "plan.txt"] and not report.errors
    contents = open_store(tmp_path / "s").load()
    assert sorted(contents.extractions) == [str((tmp_path / f / "plan.txt").resolve()) for f in "ab"]
    assert {d.get("source_file") for _, d in contents.graph.nodes(data=True) if d.get("loaded")} == {"a/plan.txt",
                                                                                                    "b/plan.txt"}


def test_a_save_keeps_the_counts_and_issues_a_build_reports(tmp_path):
    import networkx as nx

    from policykg.errors import Issue

    store = open_store(tmp_path / "s")
    store.save({}, nx.MultiDiGraph(), [Issue("W203", "a citation matches no document", "plan.txt", 12)],
               summary={"tasks": 0, "edges": 0})
    assert store.summary() == ({"tasks": 0, "edges": 0}, [Issue("W203", "a citation matches no document", "plan.txt", 12)])
    manifest = json.loads((snapshot(tmp_path / "s") / "manifest.json").read_text(encoding="utf-8"))
    del manifest["summary"]  # as older versions wrote it: the build makes the graph again to count
    (snapshot(tmp_path / "s") / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert open_store(tmp_path / "s").summary() is None
