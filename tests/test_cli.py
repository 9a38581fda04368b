"""The `policykg` command line: build, extract, export, exit codes and the store option."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from policykg.cli import main
from policykg.graph.store import open_store

VINH_PHUC = "000_09d279f00c1e9706.txt"
VINH_LONG = "001_2136b0a1750722ce.txt"
YEN_BAI = "003_97ead215d4cf5640.txt"
PHU_THO = "004_a6ece48c4c1ca826.txt"

DOCUMENT_KEYS = {"id", "kind", "number", "issuer", "jurisdiction", "date", "title", "loaded", "implements",
                 "based_on", "replaces", "issued_with", "source"}
TASK_KEYS = {"id", "document", "section", "number", "title", "lead", "support", "deadline", "output", "origin",
             "confidence", "source"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def summary_count(output: str, label: str) -> int:
    match = re.search(rf"\({re.escape(label)}\)\s+(\d+)\s*$", output, re.M)
    assert match, f"no summary line for {label!r} in:\n{output}"
    return int(match.group(1))


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory, corpus_dir):
    """The whole corpus built through the command line once: (store path, click result)."""
    store = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["build", str(corpus_dir), "--store", str(store)])
    return store, result


def loaded_documents(runner: CliRunner, store: Path) -> list[dict]:
    result = runner.invoke(main, ["export", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return [d for d in data["documents"] if d["loaded"]]


# --- build -----------------------------------------------------------------------------------------


def test_build_the_corpus(corpus_store):
    store, result = corpus_store
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"Store: {store}" in result.stdout
    assert ("Files loaded this run: 4 (4 new, 0 replacing their earlier facts); unchanged (not read again): 0"
            in result.stdout)
    assert summary_count(result.stdout, "documents loaded") == 5
    assert summary_count(result.stdout, "tasks") > 0
    assert summary_count(result.stdout, "agencies") > 0
    assert summary_count(result.stdout, "jurisdictions") > 0
    assert summary_count(result.stdout, "edges") > summary_count(result.stdout, "tasks")
    assert re.search(r"^Warnings: \d+$", result.stdout, re.M)
    assert open_store(store).load().files == [VINH_PHUC, VINH_LONG, YEN_BAI, PHU_THO]


def test_build_reports_a_bad_file_and_loads_the_rest(runner, tmp_path, corpus_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (VINH_PHUC, VINH_LONG):
        shutil.copy(corpus_dir / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    store = tmp_path / "s"
    result = runner.invoke(main, ["build", str(folder), "--store", str(store)])
    assert result.exit_code == 1, result.output
    errors = stderr_lines(result)
    assert len(errors) == 1
    assert errors[0].startswith("E101 ") and "empty.txt" in errors[0]
    assert "Files loaded this run: 2 (2 new," in result.stdout and "; failed: 1;" in result.stdout
    loaded = loaded_documents(runner, store)
    assert len(loaded) == 3
    assert sorted(d["source"]["file"] for d in loaded) == [VINH_PHUC, VINH_LONG, VINH_LONG]
    assert sorted(d["kind"] for d in loaded if d["source"]["file"] == VINH_LONG) == ["Kế hoạch", "Quyết định"]


def test_build_again_reads_only_what_changed_and_prunes_what_is_gone(runner, tmp_path, wild_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ho-chi-minh-kh-172-2025.md", "ha-noi-kh-308-2025.md"):
        shutil.copy(wild_dir / name, folder / name)
    store = tmp_path / "s"
    first = runner.invoke(main, ["build", str(folder), "--store", str(store), "--jobs", "2"])
    assert first.exit_code == 0 and "Files loaded this run: 2 (2 new, 0 replacing" in first.stdout
    again = runner.invoke(main, ["build", str(folder), "--store", str(store)])
    assert ("Files loaded this run: 0 (0 new, 0 replacing their earlier facts); unchanged (not read again): 2"
            in again.stdout)
    assert summary_count(again.stdout, "tasks") == summary_count(first.stdout, "tasks")
    (folder / "ha-noi-kh-308-2025.md").unlink()
    pruned = runner.invoke(main, ["build", str(folder), "--store", str(store), "--prune"])
    assert pruned.exit_code == 0 and "unchanged (not read again): 1; removed (--prune): 1;" in pruned.stdout
    assert summary_count(pruned.stdout, "tasks") < summary_count(first.stdout, "tasks")
    assert runner.invoke(main, ["build", str(folder), "--jobs", "0"]).exit_code == 2


def test_build_with_only_bad_files_exits_2(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00" + bytes(range(256)))
    result = runner.invoke(main, ["build", str(folder), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2, result.output
    errors = sorted(stderr_lines(result))
    assert len(errors) == 2
    assert errors[0].startswith("E101 empty.txt")
    assert errors[1].startswith("E102 image.txt")
    assert "Files loaded this run: 0 (0 new," in result.stdout and "; failed: 2;" in result.stdout


def test_build_a_missing_path_exits_2(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2, result.output
    errors = stderr_lines(result)
    assert len(errors) == 1
    assert errors[0].startswith("E105 ") and "nope.txt" in errors[0]


def test_build_needs_a_path(runner, tmp_path):
    result = runner.invoke(main, ["build", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "Missing argument" in result.output
    assert not (tmp_path / "s").exists()


# --- extract ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def phu_tho_json(corpus_dir):
    result = CliRunner().invoke(main, ["extract", str(corpus_dir / PHU_THO), "--format", "json"])
    return result


def test_extract_prints_the_json_contract(phu_tho_json):
    result = phu_tho_json
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"documents", "tasks", "targets", "agencies"} <= set(data)
    assert data["documents"] and data["tasks"] and data["agencies"]
    ids = {d["id"] for d in data["documents"]}
    for doc in data["documents"]:
        assert DOCUMENT_KEYS <= set(doc), DOCUMENT_KEYS - set(doc)
        assert isinstance(doc["loaded"], bool)
        for key in ("implements", "based_on", "replaces"):
            assert isinstance(doc[key], list) and set(doc[key]) <= ids
    loaded = [d for d in data["documents"] if d["loaded"]]
    assert len(loaded) == 1
    assert loaded[0]["source"]["file"] == PHU_THO
    for task in data["tasks"]:
        assert TASK_KEYS <= set(task), TASK_KEYS - set(task)
        assert task["document"] in ids
        assert set(task["source"]) == {"file", "line_start", "line_end"}
        assert task["source"]["file"] == PHU_THO
        assert 1 <= task["source"]["line_start"] <= task["source"]["line_end"]
        assert isinstance(task["lead"], list) and isinstance(task["support"], list)
        assert 0 < task["confidence"] <= 1


def test_extract_keeps_diacritics_and_resolves_ocr_agencies(phu_tho_json):
    result = phu_tho_json
    assert "Sở Khoa học và Công nghệ" in result.stdout  # ensure_ascii is off
    assert "\\u" not in result.stdout
    agencies = json.loads(result.stdout)["agencies"]
    assert any(a["name"] == "Sở Khoa học và Công nghệ" and a["jurisdiction"] == "Phú Thọ" for a in agencies)
    agency_ids = {a["id"] for a in agencies}
    tasks = json.loads(result.stdout)["tasks"]
    assert all(set(t["lead"]) | set(t["support"]) <= agency_ids for t in tasks)


def test_extract_an_empty_file_exits_2(runner, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["extract", str(tmp_path / "empty.txt")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert stderr_lines(result) == ["E101 empty.txt: the file is empty"]


def test_extract_does_not_write_a_store(runner, corpus_dir):
    with runner.isolated_filesystem():
        result = runner.invoke(main, ["extract", str(corpus_dir / VINH_LONG)], env={"POLICYKG_STORE": None})
        assert result.exit_code == 0, result.output
        assert list(Path(".").iterdir()) == []


# --- export ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def turtle(corpus_store):
    store, built = corpus_store
    assert built.exit_code == 0
    result = CliRunner().invoke(main, ["export", "--store", str(store), "--format", "ttl"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_export_turtle_parses(turtle):
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(graph) > 1000
    assert any(isinstance(o, rdflib.Literal) and str(o) == "Sở Khoa học và Công nghệ" for o in graph.objects())


def test_export_jsonld_parses_and_matches_turtle(runner, corpus_store, turtle):
    store, _ = corpus_store
    result = runner.invoke(main, ["export", "--store", str(store), "--format", "jsonld"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    from_jsonld = rdflib.Graph().parse(data=result.stdout, format="json-ld")
    from_turtle = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(from_jsonld) == len(from_turtle) > 1000


def test_export_to_a_file(runner, corpus_store, tmp_path):
    store, _ = corpus_store
    out = tmp_path / "graph.json"
    result = runner.invoke(main, ["export", "--store", str(store), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Wrote" in result.stderr and str(out) in result.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    printed = json.loads(runner.invoke(main, ["export", "--store", str(store)]).stdout)
    assert written == printed
    assert len([d for d in written["documents"] if d["loaded"]]) == 5


def test_export_without_a_store_exits_2(runner, tmp_path):
    missing = tmp_path / "no-store-here"
    result = runner.invoke(main, ["export", "--store", str(missing)])
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = stderr_lines(result)
    assert len(errors) == 1 and errors[0].startswith("E302 ")
    assert str(missing) in errors[0]
    assert not missing.exists()


# --- the store option ------------------------------------------------------------------------------


def test_store_defaults_to_dot_policykg(runner, corpus_dir):
    with runner.isolated_filesystem():
        env = {"POLICYKG_STORE": None}
        result = runner.invoke(main, ["build", str(corpus_dir / YEN_BAI)], env=env)
        assert result.exit_code == 0, result.output
        assert "Store: .policykg" in result.stdout
        assert (Path(".policykg") / "CURRENT").is_file()
        assert open_store(".policykg").load().files == [YEN_BAI]
        exported = runner.invoke(main, ["export"], env=env)
        assert exported.exit_code == 0, exported.output
        assert [d["source"]["file"] for d in json.loads(exported.stdout)["documents"] if d["loaded"]] == [YEN_BAI]


def test_store_from_the_environment(runner, corpus_dir):
    with runner.isolated_filesystem():
        env = {"POLICYKG_STORE": "X"}
        result = runner.invoke(main, ["build", str(corpus_dir / YEN_BAI)], env=env)
        assert result.exit_code == 0, result.output
        assert "Store: X" in result.stdout
        assert (Path("X") / "CURRENT").is_file()
        assert not Path(".policykg").exists()
        assert open_store("X").load().files == [YEN_BAI]
        assert runner.invoke(main, ["export"], env=env).exit_code == 0
        assert runner.invoke(main, ["export"], env={"POLICYKG_STORE": None}).exit_code == 2


def test_store_option_beats_the_environment(runner, corpus_dir):
    with runner.isolated_filesystem():
        result = runner.invoke(main, ["build", str(corpus_dir / YEN_BAI), "--store", "mine"],
                               env={"POLICYKG_STORE": "X"})
        assert result.exit_code == 0, result.output
        assert (Path("mine") / "CURRENT").is_file()
        assert not Path("X").exists()


def test_who_follows_the_restructuring(runner, corpus_store):
    store, _ = corpus_store
    result = runner.invoke(main, ["who", "phu-luc-1/b/ii/78", "--store", str(store), "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "Kế hoạch ghi (chủ trì): Sở Lao động, Thương binh và Xã hội" in result.stdout
    assert "Hiện nay (tính đến 2026-01-01): Sở Y tế — Phú Thọ" in result.stdout
    assert "Nghị định 45/2025/NĐ-CP" in result.stdout
    english = runner.invoke(main, ["who", "phu-luc-1/b/ii/78", "--store", str(store), "--lang", "en",
                                   "--format", "json", "--as-of", "2025-01-01"])
    [answer] = json.loads(english.stdout)
    assert [o["name"] for o in answer["owners"]] == ["Sở Lao động - Thương binh và Xã hội"]


def test_who_with_no_match_exits_1(runner, corpus_store):
    store, _ = corpus_store
    result = runner.invoke(main, ["who", "không có nhiệm vụ này", "--store", str(store)])
    assert result.exit_code == 1 and "no task matches" in result.stderr


def test_agencies_lists_mentions_aliases_and_unresolved(runner, corpus_store):
    store, _ = corpus_store
    result = runner.invoke(main, ["agencies", "--store", str(store), "--format", "json"])
    data = json.loads(result.stdout)
    science = next(a for a in data["agencies"] if a["id"] == "agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe")
    assert science["mentions"] > 50 and "S& Khoa hoc va Cong nghé" in science["aliases"]
    assert data["by_file"][PHU_THO]["mentions"] == sum(
        data["by_file"][PHU_THO][k] for k in ("resolved", "collective", "unresolved"))
    unresolved = runner.invoke(main, ["agencies", "--store", str(store), "--unresolved"])
    assert "UBND các Năm huyện, thành phố ?" in unresolved.stdout and "Sở Y tế" not in unresolved.stdout


def test_query_commands(runner, corpus_store):
    store, _ = corpus_store
    base = ["--store", str(store)]
    tasks = runner.invoke(main, ["query", "tasks", "--agency", "so khcn", "--under", "57", "--role", "lead",
                                 "--format", "json", *base])
    rows = json.loads(tasks.stdout)
    assert rows and all("Sở Khoa học và Công nghệ" in r["lead"] for r in rows)
    csv_text = runner.invoke(main, ["query", "workload", "--jurisdiction", "Phú Thọ", "--format", "csv", *base]).stdout
    assert csv_text.splitlines()[0].startswith("Cơ quan (ID),Tên,Địa bàn,Tập thể,Chủ trì")
    english = runner.invoke(main, ["query", "implementers", "57-NQ/TW", "--lang", "en", *base]).stdout
    assert english.splitlines()[0].split()[:3] == ["jurisdiction", "number", "title"] and "Yên Bái" in english
    chain = runner.invoke(main, ["query", "chain", "7316/KH-UBND", *base]).stdout
    assert "57-NQ/TW" in chain and "71/NQ-CP" in chain
    search = runner.invoke(main, ["query", "search", "chuyen doi so", "--limit", "3", "--format", "json", *base])
    assert len(json.loads(search.stdout)) == 3
    unknown = runner.invoke(main, ["query", "tasks", "--under", "999/XYZ", *base])
    assert unknown.exit_code == 1 and "no document matches" in unknown.stderr


def test_sparql_command(runner, corpus_store):
    store, _ = corpus_store
    result = runner.invoke(main, ["sparql", "implementers", "--param", "document=Nghị quyết 57", "--format", "json",
                                  "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert {r["jurisdiction"] for r in json.loads(result.stdout)} == {"Phú Thọ", "Yên Bái"}
    listed = runner.invoke(main, ["sparql", "--list"])
    assert "tasks_under (document):" in listed.stdout
    missing = runner.invoke(main, ["sparql", "tasks_under", "--store", str(store)])
    assert missing.exit_code == 1 and "--param document" in missing.stderr


def test_sparql_pages_and_keeps_the_store_on_disk(runner, corpus_store, monkeypatch):
    from policykg import cli

    store, _ = corpus_store
    base = ["sparql", "deadlines", "--param", "from=2025-01-01", "--param", "to=2025-12-31", "--store", str(store),
            "--format", "json"]
    whole = runner.invoke(main, base)
    assert whole.exit_code == 0, whole.output
    rows = json.loads(whole.stdout)
    assert len(rows) > 20
    assert [p.name.startswith("sparql-snapshot-") for p in store.iterdir() if p.name.startswith("sparql-")] == [True]
    monkeypatch.setattr(cli, "_load_graph", lambda store_: pytest.fail("the store's graph was read again"))
    page = runner.invoke(main, [*base, "--limit", "5", "--offset", "10"])
    assert page.exit_code == 0, page.output
    assert json.loads(page.stdout) == rows[10:15]
    assert json.loads(runner.invoke(main, [*base, "--limit", "0"]).stdout) == rows
    table = runner.invoke(main, [*base[:-2], "--limit", "3"])
    assert table.stdout.splitlines()[-1] == "(3)" and "--offset 3" in table.stderr
    bad = runner.invoke(main, [*base, "--limit", "-1"])
    assert bad.exit_code == 2 and "--limit" in bad.stderr


# --- reliability: strict dates, CSV cells never formulas ----------------------------------------------

BAD_DATES = [
    (["who", "x", "--as-of", "notadate"], "--as-of", "notadate"),
    (["query", "owner", "x", "--as-of", "2024-02-30"], "--as-of", "2024-02-30"),
    (["query", "tasks", "--due-before", "zzz"], "--due-before", "zzz"),
    (["query", "tasks", "--as-of", "2024-1-5"], "--as-of", "2024-1-5"),
    (["query", "workload", "--as-of", "2024-13-01"], "--as-of", "2024-13-01"),
    (["query", "deadlines", "--overdue-as-of", "yesterday"], "--overdue-as-of", "yesterday"),
    (["query", "deadlines", "--between", "a", "b"], "--between", "'a'"),
    (["query", "deadlines", "--between", "2025-01-01", "2025-02-30"], "--between", "2025-02-30"),
    (["check", "--as-of", "notadate"], "--as-of", "notadate"),
    (["viz", "-o", "x.html", "--as-of", "notadate"], "--as-of", "notadate"),
    (["report", "-o", "out", "--as-of", "notadate"], "--as-of", "notadate"),
    (["sparql", "deadlines", "--param", "from=notadate", "--param", "to=2025-12-31"], "--param from", "notadate"),
    (["sparql", "overdue", "--param", "as_of=2024-02-30"], "--param as_of", "2024-02-30"),
    (["cypher", "deadlines", "--param", "from=2025-01-01", "--param", "to=zzz"], "--param to", "zzz"),
]


@pytest.mark.parametrize(("args", "option", "value"), BAD_DATES)
def test_a_date_that_is_not_a_date_is_one_line_and_exit_2(runner, tmp_path, args, option, value):
    result = runner.invoke(main, [*args, "--store", str(tmp_path / "none")])
    assert result.exit_code == 2, result.output
    lines = stderr_lines(result)
    assert len(lines) == 1 and option in lines[0] and value in lines[0] and "is not a date" in lines[0], lines
    assert "Traceback" not in result.output and result.stdout == ""


def test_today_is_a_date(runner, corpus_store):
    import datetime as dt

    store, _ = corpus_store
    base = ["--store", str(store), "--format", "json"]
    today = dt.date.today().isoformat()
    keyword = runner.invoke(main, ["query", "deadlines", "--overdue-as-of", "today", *base])
    iso = runner.invoke(main, ["query", "deadlines", "--overdue-as-of", today, *base])
    assert keyword.exit_code == 0 and json.loads(keyword.stdout) == json.loads(iso.stdout) != []
    sparql = runner.invoke(main, ["sparql", "overdue", "--param", "as_of=today", *base])
    assert sparql.exit_code == 0 and sparql.stdout == runner.invoke(
        main, ["sparql", "overdue", "--param", f"as_of={today}", *base]).stdout


@pytest.fixture
def hostile_store(monkeypatch, tmp_path):
    """The CLI reads a small graph whose task titles, lead and output start like formulas (and no store is
    found: no SPARQL folder)."""
    from policykg import cli
    from policykg.graph.builder import build_graph
    from policykg.records import AgencyMention, DocumentRecord, Extraction, Provenance, TaskRecord

    p = Provenance("x.txt", 1, 2, "test")
    doc = DocumentRecord("d0", "Kế hoạch", "Kế hoạch", p, number="1/KH-UBND", province="Phú Thọ", date="2025-08-01")
    tasks = [TaskRecord("d0", ["Phụ lục"], str(k), title, "table", p, [AgencyMention("Sở Y tế", None, "Sở Y tế")],
                        [], None, "-output") for k, title in enumerate(["=cmd|' /C calc'!A0", "@SUM(A1)"], 1)]
    graph = build_graph([Extraction("x.txt", [doc], [], tasks)]).graph
    monkeypatch.setattr(cli, "_load_graph", lambda store: graph)
    monkeypatch.setenv("POLICYKG_STORE", str(tmp_path / "no-store"))


def csv_cells(text: str) -> set[str]:
    import csv
    import io

    return {cell for row in csv.reader(io.StringIO(text)) for cell in row}


@pytest.mark.parametrize("args", [["query", "tasks"], ["query", "tasks", "--under", "1/KH-UBND", "--lang", "en"],
                                  ["sparql", "tasks_under", "--param", "document=1/KH-UBND"]])
def test_csv_cells_are_never_formulas_unless_raw(runner, hostile_store, args):
    safe = runner.invoke(main, [*args, "--format", "csv"])
    assert safe.exit_code == 0, safe.output
    cells = csv_cells(safe.stdout)
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(A1)" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    raw = runner.invoke(main, [*args, "--format", "csv", "--csv-raw"])
    assert raw.exit_code == 0 and "=cmd|' /C calc'!A0" in csv_cells(raw.stdout)
    assert "'=cmd|' /C calc'!A0" not in csv_cells(raw.stdout)


def test_build_no_wait_fails_while_another_build_holds_the_store(tmp_path, corpus_dir):
    """--no-wait: E303 naming the process that writes the store, exit code 2, nothing written."""
    import subprocess
    import sys

    store = tmp_path / "s"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom policykg.graph.store import store_lock\n"
         f"with store_lock({str(store)!r}):\n    print('HELD', flush=True)\n    sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "HELD"
        result = CliRunner().invoke(main, ["build", str(corpus_dir / "003_97ead215d4cf5640.txt"), "--store", str(store),
                                           "--no-wait"])
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert result.exit_code == 2
    assert "E303" in result.output and f"(pid {holder.pid})" in result.output
    assert not (store / "CURRENT").exists()


def test_control_characters_are_removed_at_reading_and_every_writer_stays_valid(tmp_path, corpus_dir):
    """ESC, BEL, BS and a NUL past the first 4 KB: the file loads with a W108 warning; the report (with its
    workbook) is written and the RDF/XML export parses."""
    text = (corpus_dir / "001_2136b0a1750722ce.txt").read_text(encoding="utf-8")
    cut = text.index("Điều 2.")
    hostile = text[:5000] + "\x00" + text[5000:cut] + "Điều 2.\x1b[31m Giao\x07 Sở\x08 Y tế" + text[cut + 7:]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hostile.txt").write_text(hostile, encoding="utf-8")
    store = tmp_path / "s"
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(folder), "--store", str(store)])
    assert built.exit_code == 0 and "W108 hostile.txt:" in built.output
    assert "4 control characters removed" in built.output
    report = runner.invoke(main, ["report", "-o", str(tmp_path / "report"), "--store", str(store)])
    assert report.exit_code == 0 and (tmp_path / "report" / "tasks.xlsx").exists()
    xml = runner.invoke(main, ["export", "--format", "xml", "-o", str(tmp_path / "g.rdf"), "--store", str(store)])
    assert xml.exit_code == 0
    assert len(rdflib.Graph().parse(tmp_path / "g.rdf", format="xml")) > 100


@pytest.mark.parametrize("args", [
    ["viz", "-o", "{tmp}/x.html", "--depth", "-1"],
    ["viz", "-o", "{tmp}/x.html", "--max-tasks", "-5"],
    ["viz", "-o", "{tmp}/x.html", "--document", "1925/QĐ-UBND", "--agency", "Sở Y tế"],
])
def test_bad_view_options_are_one_line(tmp_path, corpus_store, args):
    result = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args] + ["--store", str(corpus_store[0])])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error:")


@pytest.mark.parametrize("command", [["export", "--format", "json", "-o"], ["check", "-o"], ["viz", "-o"],
                                     ["report", "-o"]])
@pytest.mark.parametrize("target", ["{tmp}/missing/folder/out.x", "/dev/full"])
def test_output_that_cannot_be_written_is_one_line(tmp_path, corpus_store, command, target):
    if target == "/dev/full" and (command[0] == "report" or not Path("/dev/full").exists()):
        pytest.skip("report writes a folder; /dev/full is a file")
    if command[0] == "report":  # report makes the folders it needs: it fails under a plain file
        (tmp_path / "missing").write_text("a plain file", encoding="utf-8")
    result = CliRunner().invoke(main, [*command, target.format(tmp=tmp_path), "--store", str(corpus_store[0])])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("E501 ") and len(result.stderr.strip().splitlines()) == 1
