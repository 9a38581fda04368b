"""Builds at the same time against one store: the write lock, E303, stale temporary folders, readers; and
incremental builds (unchanged files skipped, changed ones replaced, gone ones pruned) in one or more processes.

Real processes, made to meet at the lock deterministically: the test (or a helper process) holds the
lock first, and the builds report through ``on_wait`` that they are waiting before it is released.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pytest

from policykg.errors import StoreError
from policykg.graph.store import LOCK_FILE, lock_holder, open_store, store_lock
from policykg.pipeline import build, summary

HO_CHI_MINH = "ho-chi-minh-kh-172-2025.md"  # two small plans of the wild corpus
HA_NOI = "ha-noi-kh-308-2025.md"
BAC_NINH = "bac-ninh-kh-141-2025.md"
TIMEOUT = 120  # seconds: every wait of these tests is bounded

BUILD = """
import sys
from policykg.pipeline import build, summary
report = build([sys.argv[1]], sys.argv[2], on_wait=lambda pid: print(f"WAITING {pid}", file=sys.stderr, flush=True))
print("LOADED", *report.loaded, flush=True)
"""

HOLD = """
import sys
from policykg.graph.store import store_lock
with store_lock(sys.argv[1]):
    print("HELD", flush=True)
    sys.stdin.readline()
"""


def wait_for(predicate, what: str, timeout: float = TIMEOUT) -> None:
    """Poll ``predicate`` until it is true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextmanager
def held_by_another_process(store: Path):
    """Another process holds the store's write lock for the ``with`` block; yields its pid."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "HELD"
        yield proc.pid
    finally:
        proc.stdin.close()  # the holder reads end of input and lets go
        proc.wait(timeout=TIMEOUT)


def dead_pid() -> int:
    """The pid of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=TIMEOUT)
    return proc.pid


def folder_with(tmp_path: Path, name: str, source: Path) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    return folder


def test_two_builds_at_once_keep_both_documents(tmp_path, wild_dir):
    store = tmp_path / "store"
    inputs = [folder_with(tmp_path, "a", wild_dir / HO_CHI_MINH), folder_with(tmp_path, "b", wild_dir / HA_NOI)]
    logs = [(tmp_path / f"out{n}", tmp_path / f"err{n}") for n in range(2)]
    procs = []
    with store_lock(store):
        try:
            for folder, (out, err) in zip(inputs, logs):
                with open(out, "w") as stdout, open(err, "w") as stderr:
                    procs.append(subprocess.Popen([sys.executable, "-c", BUILD, str(folder), str(store)],
                                                  stdout=stdout, stderr=stderr))
            for proc, (_out, err) in zip(procs, logs):
                wait_for(lambda: "WAITING" in err.read_text() or proc.poll() is not None, "a build to wait")
                assert proc.poll() is None, err.read_text()
                assert err.read_text().splitlines().count(f"WAITING {os.getpid()}") == 1  # told once, the holder's pid
            assert not open_store(store).exists()  # nothing was saved while the lock was held
        except BaseException:
            for proc in procs:
                proc.kill()
            raise
    for proc, (out, err) in zip(procs, logs):
        assert proc.wait(timeout=TIMEOUT) == 0, err.read_text()
    assert [out.read_text().split() for out, _ in logs] == [["LOADED", HO_CHI_MINH], ["LOADED", HA_NOI]]
    contents = open_store(store).load()
    assert contents.files == [HA_NOI, HO_CHI_MINH]
    loaded = {d["source_file"] for _, d in contents.graph.nodes(data=True) if d["kind"] == "Document" and d.get("loaded")}
    assert loaded == {HA_NOI, HO_CHI_MINH}
    live = (store / "CURRENT").read_text().strip()
    others = sorted(p.name for p in store.iterdir() if p.name not in ("CURRENT", LOCK_FILE, live))
    assert len(others) == 1 and others[0] < live and not others[0].endswith(".tmp")  # the previous one; no temporary folder
    assert lock_holder(store) is None


def test_no_wait_fails_at_once_naming_the_holder(tmp_path, wild_dir):
    store = tmp_path / "store"
    build([wild_dir / HA_NOI], store)
    before = (store / "CURRENT").read_text()
    waited = []
    with held_by_another_process(store) as pid:
        assert lock_holder(store) == pid
        with pytest.raises(StoreError) as info:
            build([wild_dir / HO_CHI_MINH], store, wait=False, on_wait=waited.append)
    assert info.value.issue.code == "E303"
    assert str(info.value) == (f"E303 the store at {store} is being written by another process (pid {pid}); "
                               "try again or wait")
    assert waited == []
    assert (store / "CURRENT").read_text() == before
    assert open_store(store).load().files == [HA_NOI]
    build([wild_dir / HO_CHI_MINH], store, wait=False)  # once the holder is gone, it goes through
    assert open_store(store).load().files == [HA_NOI, HO_CHI_MINH]


def test_stale_temporary_folders_of_dead_writers_are_removed(tmp_path, wild_dir):
    store = tmp_path / "store"
    store.mkdir()
    gone = dead_pid()
    mine = os.getpid()
    with held_by_another_process(tmp_path / "elsewhere") as alive:
        names = {pid: f"snapshot-20260101T000000-{pid}-0badc0de.tmp" for pid in (gone, mine, alive)}
        for name in names.values():
            (store / name / "extractions").mkdir(parents=True)
            (store / name / "graph.json").write_text("{half written")
        (store / f"CURRENT-{gone}-0badc0de.tmp").write_text("snapshot-x")
        build([wild_dir / HA_NOI], store)
        assert not (store / names[gone]).exists()
        assert not (store / f"CURRENT-{gone}-0badc0de.tmp").exists()
        assert (store / names[mine] / "graph.json").exists()  # a live owner's folder is left alone
        assert (store / names[alive] / "graph.json").exists()
    assert open_store(store).load().files == [HA_NOI]


def test_readers_read_the_last_complete_snapshot_while_the_lock_is_held(tmp_path, wild_dir):
    store = tmp_path / "store"
    first = build([wild_dir / HA_NOI], store).graph
    with held_by_another_process(store) as pid:
        # a writer half-way: its temporary snapshot is on disk but CURRENT has not moved
        partial = store / f"snapshot-20260101T000000-{pid}-0badc0de.tmp"
        (partial / "extractions").mkdir(parents=True)
        (partial / "graph.json").write_text('{"nodes": [')
        contents = open_store(store).load()  # does not wait for the lock
        assert contents.files == [HA_NOI]
        assert set(contents.graph.nodes) == set(first.nodes)
        reader = subprocess.run([sys.executable, "-c", "import sys; from policykg.graph.store import open_store; "
                                 "print(*open_store(sys.argv[1]).load().files)", str(store)],
                                capture_output=True, text=True, timeout=TIMEOUT)
        assert (reader.returncode, reader.stdout.split()) == (0, [HA_NOI]), reader.stderr


def test_a_reader_follows_a_switch_made_while_it_reads(tmp_path, wild_dir, monkeypatch):
    store = tmp_path / "store"
    build([wild_dir / HA_NOI], store)
    reader = open_store(store)
    real_read = type(reader)._read
    switched = []

    def read_after_a_writer_switched(self, snapshot, **parts):
        if not switched:  # a writer saves twice (and so removes this snapshot) just as the reader opens it
            switched.append(snapshot)
            build([wild_dir / HO_CHI_MINH], store)
            build([wild_dir / BAC_NINH], store)
        return real_read(self, snapshot, **parts)

    monkeypatch.setattr(type(reader), "_read", read_after_a_writer_switched)
    contents = reader.load()
    assert not switched[0].exists()
    assert contents.files == sorted([HA_NOI, HO_CHI_MINH, BAC_NINH])


# --- incremental and parallel builds -------------------------------------------------------------------


def _copies(tmp_path: Path, wild_dir: Path, *names: str) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in names:
        shutil.copy(wild_dir / name, folder / name)
    return folder


def test_a_build_in_two_processes_makes_the_same_graph(tmp_path, wild_dir):
    from policykg.graph.store import graph_to_json

    folder = _copies(tmp_path, wild_dir, HO_CHI_MINH, HA_NOI, BAC_NINH)
    one = build([folder], tmp_path / "one", jobs=1)
    two = build([folder], tmp_path / "two", jobs=2)
    assert one.loaded == two.loaded and len(one.loaded) == 3
    assert graph_to_json(one.graph) == graph_to_json(two.graph)
    stored = [open_store(tmp_path / name).load().extractions for name in ("one", "two")]
    assert stored[0].keys() == stored[1].keys()


def test_unchanged_files_are_not_read_again_and_a_changed_one_replaces_its_facts(tmp_path, wild_dir):
    folder = _copies(tmp_path, wild_dir, HO_CHI_MINH, HA_NOI)
    store = tmp_path / "store"
    first = build([folder], store)
    assert sorted(first.added) == sorted(first.loaded) and not first.replaced and not first.unchanged
    snapshot = open_store(store).load()
    again = build([folder], store)
    assert again.loaded == [] and sorted(again.unchanged) == sorted(first.loaded)
    assert open_store(store).load().extractions.keys() == snapshot.extractions.keys()
    plan = folder / HA_NOI
    plan.write_text(plan.read_text(encoding="utf-8").replace("Kế hoạch", "Kế  hoạch", 1), encoding="utf-8")
    changed = build([folder], store)
    assert changed.replaced == [HA_NOI] and changed.unchanged == [HO_CHI_MINH] and not changed.added
    stored = open_store(store).load().extractions
    assert stored[str(plan.resolve())].sha256 != snapshot.extractions[str(plan.resolve())].sha256
    assert len(stored) == 2


def test_a_build_that_changes_nothing_reads_neither_records_nor_graph(tmp_path, wild_dir, monkeypatch):
    """The manifest alone says what is stored unchanged, and holds the counts and issues a build reports; the
    graph is read when asked for."""
    import policykg.graph.store as store_module
    from policykg.records import Extraction

    folder = _copies(tmp_path, wild_dir, HO_CHI_MINH, HA_NOI)
    first = build([folder], tmp_path / "store")
    reads = []
    real_graph = store_module.graph_from_json
    monkeypatch.setattr(Extraction, "from_dict", classmethod(lambda cls, data: reads.append("records")))
    monkeypatch.setattr(store_module, "graph_from_json", lambda data: reads.append("graph") or real_graph(data))
    again = build([folder], tmp_path / "store")
    assert sorted(again.unchanged) == sorted(first.loaded) and reads == []
    assert again.counts == summary(first.graph) and again.counts["tasks"] >= 25
    assert again.warnings == first.warnings
    assert nx.utils.graphs_equal(again.graph, first.graph) and reads == ["graph"]


def test_a_changed_file_writes_its_records_and_copies_the_others(tmp_path, wild_dir, monkeypatch):
    import policykg.graph.store as store_module
    from policykg.graph.store import part_name

    folder = _copies(tmp_path, wild_dir, HO_CHI_MINH, HA_NOI)
    store = tmp_path / "store"
    build([folder], store)
    before = open_store(store).check().current
    plan = folder / HA_NOI
    plan.write_text(plan.read_text(encoding="utf-8").replace("Kế hoạch", "Kế  hoạch", 1), encoding="utf-8")
    written = []
    real_write = store_module._write_json
    monkeypatch.setattr(store_module, "_write_json",
                        lambda target, data, **options: written.append(Path(target).name) or real_write(target, data, **options))
    assert build([folder], store).replaced == [HA_NOI]
    after = open_store(store).check()
    assert after.ok and after.live.verified
    kept, changed = (part_name(str((folder / name).resolve())) for name in (HO_CHI_MINH, HA_NOI))
    assert sorted(written) == sorted([Path(changed).name, "graph.json", "manifest.json"])
    old, new = store / before / kept, store / after.current / kept
    assert new.read_bytes() == old.read_bytes() and not new.samefile(old)  # a copy: damage to one is not in both
    assert (store / after.current / changed).read_bytes() != (store / before / changed).read_bytes()


def test_a_new_extractor_reads_every_file_again(tmp_path, wild_dir, monkeypatch):
    import policykg.pipeline as pipeline

    folder = _copies(tmp_path, wild_dir, HO_CHI_MINH)
    build([folder], tmp_path / "store")
    monkeypatch.setattr(pipeline, "extractor_version", lambda: "another")
    assert build([folder], tmp_path / "store").replaced == [HO_CHI_MINH]


def test_prune_removes_the_facts_of_files_gone_from_a_folder_named(tmp_path, wild_dir):
    folder = _copies(tmp_path, wild_dir, HO_CHI_MINH, HA_NOI)
    (tmp_path / "b").mkdir()
    elsewhere = _copies(tmp_path / "b", wild_dir, BAC_NINH)
    store = tmp_path / "store"
    build([folder, elsewhere], store)
    (folder / HA_NOI).unlink()
    kept = build([folder], store)  # without --prune the facts stay
    assert not kept.removed and len(open_store(store).load().extractions) == 3
    pruned = build([folder], store, prune=True)
    assert pruned.removed == [HA_NOI] and pruned.loaded == []
    left = open_store(store).load().extractions
    assert sorted(Path(key).name for key in left) == sorted([BAC_NINH, HO_CHI_MINH])
    assert not any(d.get("source_file") == HA_NOI for _, d in pruned.graph.nodes(data=True))


def test_files_a_dead_worker_leaves_are_read_in_the_build_process(tmp_path, wild_dir, monkeypatch):
    """A worker killed (out of memory, a crash in a native library) breaks the pool: what it had not
    returned is read by the build itself, and nothing is lost or read twice."""
    from concurrent.futures.process import BrokenProcessPool

    import policykg.pipeline as pipeline

    class DyingPool:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, fn, files, heads):
            yield fn(next(iter(files)), next(iter(heads)))
            raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", DyingPool)
    folder = _copies(tmp_path, wild_dir, HO_CHI_MINH, HA_NOI, BAC_NINH)
    report = build([folder], tmp_path / "store", jobs=2)
    assert len(report.loaded) == 3 and len(open_store(tmp_path / "store").load().extractions) == 3

