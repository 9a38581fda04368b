"""A damaged store is never written over: E304 naming the damaged part, `store check`, `store repair`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import policykg.graph.store as store_module
from policykg.cli import main
from policykg.errors import StoreError
from policykg.graph.store import open_store
from policykg.pipeline import build

FIRST = "ha-noi-kh-308-2025.md"  # small files of the wild corpus: the tests build often
SECOND = "ho-chi-minh-kh-172-2025.md"
THIRD = "thai-nguyen-qd-26-2025.md"


def live(path: Path) -> Path:
    return path / (path / "CURRENT").read_text(encoding="utf-8").strip()


def listing(path: Path) -> dict[str, list[str]]:
    """Every file of the store folder (the lock file aside), to show that nothing was written or removed."""
    return {str(p.relative_to(path)): sorted(os.listdir(p)) if p.is_dir() else p.read_bytes()
            for p in sorted(path.rglob("*")) if p.name != ".lock"}


@pytest.fixture(scope="module")
def saved_twice(tmp_path_factory, wild_dir):
    """A store saved twice: the live snapshot holds two files, the one it replaced the first."""
    path = tmp_path_factory.mktemp("template") / "s"
    build([wild_dir / FIRST], path)
    previous = live(path)
    build([wild_dir / SECOND], path)
    return path, previous.name


@pytest.fixture
def two_saves(saved_twice, tmp_path):
    """A copy of :func:`saved_twice` for one test, and the path of its previous snapshot."""
    template, previous = saved_twice
    path = tmp_path / "s"
    shutil.copytree(template, path)
    return path, path / previous


def damage(path: Path, how: str) -> str:
    """Damage the store as a person or a crash might; what the error must name."""
    snapshot = live(path)
    if how == "no-current":
        (path / "CURRENT").unlink()
        return "CURRENT is missing, although snapshots are there"
    if how == "current-nowhere":
        (path / "CURRENT").write_text("snapshot-20990101T000000000000-1-deadbeef", encoding="utf-8")
        return "CURRENT names 'snapshot-20990101T000000000000-1-deadbeef', which is not a snapshot of the store"
    if how == "extraction-deleted":
        part = sorted((snapshot / "extractions").glob("*.json"))[1]
        part.unlink()
        return f"{snapshot.name}: extractions/{part.name} is missing"
    if how == "extraction-added":
        (snapshot / "extractions" / "00009.json").write_text("{}", encoding="utf-8")
        return f"{snapshot.name}: extractions/00009.json is not in the manifest"
    if how == "graph-changed":
        with open(snapshot / "graph.json", "a", encoding="utf-8") as handle:
            handle.write(" ")
        return f"{snapshot.name}: graph.json does not match its checksum (changed or damaged)"
    raise ValueError(how)


HOW = ["no-current", "current-nowhere", "extraction-deleted", "extraction-added", "graph-changed"]


@pytest.mark.parametrize("how", HOW)
def test_a_damaged_store_is_E304_for_readers_and_builds_leave_it_as_it_is(two_saves, wild_dir, how):
    path, _ = two_saves
    detail = damage(path, how)
    before = listing(path)
    for attempt in (lambda: open_store(path).load(),
                    lambda: build([wild_dir / THIRD], path),
                    lambda: build([wild_dir / THIRD], path, replace=True)):
        with pytest.raises(StoreError) as info:
            attempt()
        assert info.value.issue.code == "E304"
        assert str(info.value).startswith(f"E304 the store at {path} is damaged ({detail}): `policykg store check`")
    assert listing(path) == before


@pytest.mark.parametrize("how", HOW)
def test_repair_goes_back_to_the_last_complete_snapshot(two_saves, wild_dir, how):
    path, previous = two_saves
    damaged = live(path)
    damage(path, how)
    done = open_store(path).repair()
    pointer_only = how in {"no-current", "current-nowhere"}
    assert done.current == (damaged if pointer_only else previous).name and done.changed
    assert done.set_aside == ([] if pointer_only else [f"damaged-{damaged.name}"])
    assert done.lost == ([] if pointer_only else [str((wild_dir / SECOND).resolve())])
    assert (path / f"damaged-{damaged.name}").is_dir() != pointer_only  # set aside, not deleted
    assert open_store(path).check().ok
    assert open_store(path).load().files == ([FIRST, SECOND] if pointer_only else [FIRST])
    build([wild_dir / THIRD], path)  # builds work again
    assert open_store(path).load().files == [FIRST, *([SECOND] if pointer_only else []), THIRD]
    assert (path / f"damaged-{damaged.name}").is_dir() != pointer_only  # a later save leaves it alone


def test_repair_with_no_complete_snapshot_empties_the_store(tmp_path, wild_dir):
    path = tmp_path / "s"
    build([wild_dir / FIRST], path)
    only = live(path)
    (only / "graph.json").unlink()
    done = open_store(path).repair()
    assert (done.current, done.set_aside) == (None, [f"damaged-{only.name}"])
    assert not open_store(path).exists() and (path / f"damaged-{only.name}" / "manifest.json").exists()
    build([wild_dir / SECOND], path)
    assert open_store(path).load().files == [SECOND]  # the next build starts over


def test_repairing_a_whole_store_changes_nothing(two_saves):
    path, _ = two_saves
    before = listing(path)
    assert not open_store(path).repair().changed
    assert listing(path) == before


def test_cli_store_check_and_repair(two_saves, wild_dir):
    path, previous = two_saves
    runner = CliRunner()
    whole = runner.invoke(main, ["store", "check", "--store", str(path)])
    assert whole.exit_code == 0, whole.output
    assert whole.output.splitlines()[-1] == "Whole: every file matches the manifest."
    assert "(live) complete: 2 files" in whole.output and "(kept) complete: 1 files" in whole.output
    missing = damage(path, "extraction-deleted").split(": ", 1)[1]
    damaged = runner.invoke(main, ["store", "check", "--store", str(path)])
    assert damaged.exit_code == 1
    assert f"(live) damaged: {missing}" in damaged.output
    query = runner.invoke(main, ["query", "tasks", "--store", str(path)])
    assert query.exit_code == 2 and query.output.startswith("E304 ") and len(query.output.splitlines()) == 1
    built = runner.invoke(main, ["build", str(wild_dir / THIRD), "--store", str(path)])
    assert built.exit_code == 2 and built.output.startswith("E304 ") and "Traceback" not in built.output
    repaired = runner.invoke(main, ["store", "repair", "--store", str(path)])
    assert repaired.exit_code == 0
    assert repaired.output.splitlines() == [
        f"CURRENT now names {previous.name}, the newest complete snapshot.",
        f"Set aside: damaged-{damaged.output.split()[3]}",
        "Files the damaged snapshot held and the recovered one lacks (1); build them again:",
        f"  {(wild_dir / SECOND).resolve()}"]
    again = runner.invoke(main, ["store", "repair", "--store", str(path)])
    assert again.output == f"The store at {path} is whole; nothing to repair.\n"
    none = runner.invoke(main, ["store", "check", "--store", str(path.parent / "none")])
    assert none.exit_code == 2 and none.output.startswith("E302 ")


def test_a_read_only_store_is_read_and_a_build_into_it_is_E305(two_saves, wild_dir, monkeypatch):
    path, _ = two_saves
    real_open = os.open

    def read_only(file, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(13, "Permission denied")
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(store_module.os, "open", read_only)
    assert open_store(path).load().files == [FIRST, SECOND]  # readers take no lock and write nothing
    result = CliRunner().invoke(main, ["build", str(wild_dir / THIRD), "--store", str(path)])
    assert result.exit_code == 2
    assert result.output == f"E305 the store at {path} cannot be written: Permission denied\n"


def test_older_snapshots_without_checksums_are_read_and_counted(two_saves):
    path, _ = two_saves
    import json

    snapshot = live(path)
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    for n, key in enumerate(sorted(manifest["sources"])):  # as older versions wrote it: numbered, no checksums
        (snapshot / manifest["sources"][key]["part"]).rename(snapshot / "extractions" / f"{n:05d}.json")
    for newer in ("checksums", "sources", "summary", "issue_records"):
        del manifest[newer]
    (snapshot / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert open_store(path).load().files == [FIRST, SECOND]
    assert not open_store(path).check().live.verified
    (snapshot / "extractions" / "00000.json").unlink()
    with pytest.raises(StoreError, match=r"extractions/00000.json is missing"):
        open_store(path).load()
