"""Sync the graph to a Bolt/Cypher server (Neo4j, or FalkorDB's Bolt endpoint) with the official driver.

Every node is ``MERGE``d on its stable ID under its kind's label (``Document``, ``Task``, ``Target``,
``Agency``, ``Jurisdiction``), every edge under its kind's relationship type, in batched ``UNWIND``
statements; provenance stays as properties. Pushes are incremental: every node and relationship carries
``sync``, a hash of its content; a push reads back what the server holds (IDs and hashes, one query per
label and per type), writes only what is new or changed and deletes what the graph no longer holds. Pushing
the same graph twice sends nothing, a re-loaded document's stale facts disappear, a server emptied or edited
by someone else gets back what it lacks (``full=True`` rewrites everything), and a push interrupted half-way
converges when re-run.

Labels, relationship types and property names come from policykg's own data model (checked against
``[A-Za-z_]+``), never from document text; every value travels as a parameter.

Dialects: Neo4j takes a uniqueness constraint per label and thousands of rows per statement; FalkorDB takes
``CREATE INDEX FOR (n:L) ON (n.id)`` (no constraints, no ``IF NOT EXISTS``) and pastes the parameters into
the query text in a 4 KB buffer, so statements there are cut by size (:func:`batch_limits`) and a long value
is written in pieces.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import networkx as nx
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DatabaseError, ServiceUnavailable

from ..errors import Errors, PolicyKGError
from .model import EdgeKind, NodeKind

__all__ = ["BoltSettings", "BatchLimits", "PushStats", "batch_limits", "connect", "dialect_of", "encode_params",
           "open_server", "push", "split_credentials"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LABELS = {k.value for k in NodeKind}
_TYPES = {k.value for k in EdgeKind}


@dataclass(frozen=True)
class BoltSettings:
    """Where the server is; the password is never printed (``repr`` hides it)."""

    uri: str
    user: str | None = None
    password: str | None = None
    database: str | None = None

    def __post_init__(self) -> None:
        uri, user, password = split_credentials(self.uri)
        object.__setattr__(self, "uri", uri)
        object.__setattr__(self, "user", self.user or user)
        object.__setattr__(self, "password", self.password or password)

    def __repr__(self) -> str:
        return f"BoltSettings(uri={self.uri!r}, user={self.user!r}, password=***, database={self.database!r})"

    def scrub(self, text: str) -> str:
        """``text`` with the password (if any) replaced by ``***``."""
        return text.replace(self.password, "***") if self.password else text

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> BoltSettings:
        """Options first, then ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``."""
        return cls(uri or os.environ.get("NEO4J_URI") or "bolt://127.0.0.1:7687",
                   user or os.environ.get("NEO4J_USERNAME"), password or os.environ.get("NEO4J_PASSWORD"),
                   database or os.environ.get("NEO4J_DATABASE"))


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """A URI without the user and password written in it, and those (a password is never printed).

    >>> split_credentials("neo4j://neo4j:s3cret@db.example:7687")
    ('neo4j://db.example:7687', 'neo4j', 's3cret')
    >>> split_credentials("bolt://127.0.0.1:7687")
    ('bolt://127.0.0.1:7687', None, None)
    >>> split_credentials("bolt://u:p@[::1")[0]
    'bolt://[::1'
    """
    m = _USERINFO.match(uri)
    if m is None:
        return uri, None, None
    user, _, password = m.group("userinfo").partition(":")
    return m.group("scheme") + uri[m.end():], unquote(user) or None, unquote(password) or None


_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@?#]*)@")
_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


def connect(settings: BoltSettings) -> Driver:
    """A driver whose connection was checked; a URI of another scheme, a server that is down or one that
    refuses the credentials raises :class:`PolicyKGError` (E401 / E402) naming the URI, never the password.

    >>> connect(BoltSettings("http://user:pw@example.org"))
    Traceback (most recent call last):
    ...
    policykg.errors.PolicyKGError: E401 http://example.org: the graph server cannot be reached: unsupported URI scheme 'http' (policykg speaks Bolt: bolt://, neo4j://, with +s or +ssc for TLS)
    """
    scheme = settings.uri.split("://", 1)[0].lower() if "://" in settings.uri else ""
    if scheme not in _SCHEMES:
        detail = f"unsupported URI scheme {scheme!r}" if scheme else "not a URI"
        raise PolicyKGError(Errors.E401.format(
            file=settings.scrub(settings.uri),
            detail=f"{detail} (policykg speaks Bolt: bolt://, neo4j://, with +s or +ssc for TLS)"))
    auth = (settings.user, settings.password or "") if settings.user else None
    try:
        # one connection, reused: FalkorDB's Bolt endpoint fails every other handshake, and the CLI is sequential
        driver = GraphDatabase.driver(settings.uri, auth=auth, connection_timeout=5, max_transaction_retry_time=15,
                                      max_connection_pool_size=1, connection_acquisition_timeout=5)
        for attempt in range(3):  # FalkorDB's Bolt endpoint drops a handshake now and then
            try:
                driver.verify_connectivity()
                break
            except ServiceUnavailable:
                if attempt == 2:
                    raise
                time.sleep(0.2)
    except AuthError as err:
        raise PolicyKGError(Errors.E402.format(file=settings.uri, detail=type(err).__name__)) from None
    except (ServiceUnavailable, OSError, ValueError) as err:
        raise PolicyKGError(Errors.E401.format(file=settings.uri, detail=settings.scrub(str(err).split("\n")[0][:200]))) from None
    return driver


def open_server(settings: BoltSettings, dialect: str | None = None) -> tuple[Driver, str]:
    """A checked driver and the server's dialect (detected unless given). FalkorDB drops the connection
    after the query that tells the dialects apart fails there, so the driver is opened again."""
    driver = connect(settings)
    if dialect is not None:
        return driver, dialect
    dialect = dialect_of(driver, settings.database)
    if dialect == "falkordb":
        driver.close()
        driver = connect(settings)
    return driver, dialect


def dialect_of(driver: Driver, database: str | None = None) -> str:
    """``neo4j`` when the server answers ``dbms.components()``, else ``falkordb``."""
    try:
        with driver.session(database=database) as session:
            session.execute_read(lambda tx: tx.run("CALL dbms.components() YIELD name RETURN name").consume())
        return "neo4j"
    except (ClientError, DatabaseError):
        return "falkordb"


def encode_params(value: Any, dialect: str) -> Any:
    r"""Parameters as the server needs them. FalkorDB's Bolt endpoint unescapes backslashes in string
    parameters and fails on a single quote (``it's``): there each is escaped with a backslash, so the
    value stored is the value sent.

    >>> encode_params({"t": ["it's", "a\\b"]}, "falkordb") == {"t": ["it\\'s", "a\\\\b"]}
    True
    >>> encode_params("it's", "neo4j")
    "it's"
    """
    if dialect != "falkordb":
        return value
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [encode_params(v, dialect) for v in value]
    if isinstance(value, dict):
        return {k: encode_params(v, dialect) for k, v in value.items()}
    return value


def _value(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value):
        return value
    return json.dumps(value, ensure_ascii=False)


_SIMPLE = (str, int, float, bool)
_PROPERTY_NAMES: dict[str, bool] = {}  # name -> whether it is written (checked once per name)


def _props(data: dict[str, Any]) -> dict[str, Any]:
    """The properties a node or edge has on the server: its data without ``kind``, ``None`` values and names
    that are not plain identifiers; nested values as JSON text. (``sync``, the content hash, is added by
    :func:`push`.)

    >>> _props({"kind": "Task", "title": "Xây dựng", "due": None, "section": ["I", "2"], "box": {"x": 1}})
    {'title': 'Xây dựng', 'section': ['I', '2'], 'box': '{"x": 1}'}
    """
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        written = _PROPERTY_NAMES.get(key)
        if written is None:
            written = _PROPERTY_NAMES[key] = key not in ("kind", "sync", "id") and bool(_NAME.match(key))
        if written:
            out[key] = value if type(value) in _SIMPLE else _value(value)
    return out


_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def _digest(item: Any) -> str:
    """A short content hash of a JSON-able value (16 hex digits of BLAKE2b over its canonical JSON).

    >>> _digest(["Task", "t1", {"b": 1, "a": "x"}]) == _digest(["Task", "t1", {"a": "x", "b": 1}])
    True
    >>> len(_digest("x"))
    16
    """
    return hashlib.blake2b(_canonical(item).encode(), digest_size=8).hexdigest()


@dataclass
class _Item:
    """One node or edge as it is to be on the server."""

    labels: tuple[str, ...]  # (label,) for a node; (source label, type, target label) for an edge
    props: dict[str, Any]
    digest: str


def _items(graph: nx.MultiDiGraph) -> tuple[dict[tuple[str, str], _Item], dict[tuple[str, str, str], _Item]]:
    """Nodes keyed by (label, id) and edges keyed by (type, source id, target id), with their content hashes."""
    nodes: dict[tuple[str, str], _Item] = {}
    for node, data in graph.nodes(data=True):
        label = data["kind"]
        assert label in _LABELS, label
        props = _props(data)
        nodes[(label, node)] = _Item((label,), props, _digest([label, node, props]))
    edges: dict[tuple[str, str, str], _Item] = {}
    for src, dst, key, data in graph.edges(keys=True, data=True):
        triple = (graph.nodes[src]["kind"], key, graph.nodes[dst]["kind"])
        assert key in _TYPES, key
        props = _props(data)
        edges[(key, src, dst)] = _Item(triple, props, _digest([triple, src, dst, props]))
    return nodes, edges


def _stamp_of(nodes: dict, edges: dict) -> str:
    """One hash of every item's key and content hash (see :func:`_stamp`)."""
    digest = hashlib.sha1()
    for part in (nodes, edges):
        for key in sorted(part):
            digest.update(("\x1f".join(key) + "\x1e" + part[key].digest + "\n").encode())
    return digest.hexdigest()[:16]


def _stamp(graph: nx.MultiDiGraph) -> str:
    """A hash of the whole graph's content (the same graph, the same stamp): :attr:`PushStats.stamp`."""
    return _stamp_of(*_items(graph))


@dataclass(frozen=True)
class BatchLimits:
    """How a push cuts its writes: at most ``rows`` rows per ``UNWIND`` statement, at most ``bytes`` per
    statement (its text plus its parameters as the server sees them), ``statements`` statements per
    transaction."""

    rows: int
    bytes: int
    statements: int = 1


# Neo4j: thousands of rows per UNWIND (the driver manual's advice), one batch per transaction.
# FalkorDB's Bolt endpoint pastes the parameters into the query text in a 4,096-byte stack buffer
# ("CYPHER rows=[...] " + query): a longer statement smashes its stack and the server dies. So a statement
# is cut at 4,000 bytes of that text, and batches are grouped into transactions (BEGIN and COMMIT are
# round trips that do nothing there). Rows and statements per transaction: measured with
# scripts/bench_bolt.py --sweep (README).
_FALKORDB_BUFFER = 4096
_BATCH = {"neo4j": BatchLimits(rows=5000, bytes=16_000_000, statements=1),
          "falkordb": BatchLimits(rows=1000, bytes=_FALKORDB_BUFFER - 96, statements=50)}


def batch_limits(dialect: str, rows: int | None = None) -> BatchLimits:
    """The batch limits for a server dialect; ``rows`` (``--batch-size``) overrides the rows per statement.
    FalkorDB's byte limit is the server's and is never raised.

    >>> batch_limits("neo4j").rows, batch_limits("falkordb").bytes
    (5000, 4000)
    >>> batch_limits("falkordb", rows=10).rows
    10
    >>> batch_limits("neo4j", rows=0)
    Traceback (most recent call last):
    ...
    ValueError: the batch size is a number of rows, at least 1 (got 0)
    """
    limits = _BATCH.get(dialect, _BATCH["neo4j"])
    if rows is None:
        return limits
    if rows < 1:
        raise ValueError(f"the batch size is a number of rows, at least 1 (got {rows})")
    return BatchLimits(rows, limits.bytes, limits.statements)


def _size(value: Any) -> int:
    """Bytes ``value`` takes in FalkorDB's text form of a parameter (``'s'``, ``[a, b]``, ``%f`` floats);
    for other servers it is a fair measure of the payload.

    >>> text = "['ab', 1, 0.500000, NULL, true, ['é']]"
    >>> _size(["ab", 1, 0.5, None, True, ["é"]]) == len(text.encode())
    True
    """
    if isinstance(value, str):
        return len(value.encode()) + 2
    if isinstance(value, bool) or value is None:
        return 5 if value is False else 4
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, float):
        return len(f"{value:f}")
    if isinstance(value, list):
        return 2 + sum(_size(v) for v in value) + 2 * max(len(value) - 1, 0)
    if isinstance(value, dict):
        return 2 + sum(len(k) + 2 + _size(v) for k, v in value.items()) + 2 * max(len(value) - 1, 0)
    return len(str(value))


def _sized(value: Any, falkordb: bool) -> tuple[Any, int]:
    r"""``value`` encoded for the server (:func:`encode_params`) and its :func:`_size`, in one pass (the
    writer's inner loop: rows are lists of plain values).

    >>> _sized(["it's", 2, ["a"]], True)
    (["it\\'s", 2, ['a']], 19)
    """
    kind = type(value)
    if kind is str:
        if falkordb and ("\\" in value or "'" in value):
            value = value.replace("\\", "\\\\").replace("'", "\\'")
        return value, (len(value) if value.isascii() else len(value.encode())) + 2
    if kind is list:
        out, size = [], 2 + 2 * max(len(value) - 1, 0)
        for item in value:
            item, item_size = _sized(item, falkordb)
            out.append(item)
            size += item_size
        return out, size
    if kind is int:
        return value, len(str(value))
    value = encode_params(value, "falkordb" if falkordb else "neo4j")
    return value, _size(value)


def _overhead(query: str) -> int:
    """Bytes of a statement besides its rows: ``CYPHER rows=`` ... `` `` query and the terminating NUL."""
    return len("CYPHER rows= ") + len(query.encode()) + 1


class _Writer:
    """Statements of ``UNWIND $rows`` batches, cut by rows and by size (:class:`BatchLimits`), sent in
    transactions of ``limits.statements`` statements, in the order they were given."""

    def __init__(self, session, dialect: str, limits: BatchLimits | None = None) -> None:
        self.session = session
        self.dialect = dialect
        self.limits = limits or batch_limits(dialect)
        self.pending: list[tuple[str, list[Any]]] = []
        self.statements = 0
        self.rows = 0

    def run(self, query: str, rows: list[Any]) -> None:
        overhead = _overhead(query)
        batch: list[Any] = []
        size = 2
        falkordb = self.dialect == "falkordb"
        for row in rows:
            row, row_size = _sized(row, falkordb)
            row_size += 2
            if batch and (len(batch) >= self.limits.rows or overhead + size + row_size > self.limits.bytes):
                self._queue(query, batch)
                batch, size = [], 2
            if overhead + 2 + row_size > self.limits.bytes and self.dialect == "falkordb":
                raise PolicyKGError(Errors.E403.format(file=None, detail=(
                    f"one row of {row_size} bytes does not fit in a FalkorDB statement ({self.limits.bytes} bytes)")))
            batch.append(row)
            size += row_size
        if batch:
            self._queue(query, batch)

    def _queue(self, query: str, batch: list[Any]) -> None:
        self.pending.append((query, batch))
        self.statements += 1
        self.rows += len(batch)
        if len(self.pending) >= self.limits.statements:
            self.flush()

    def flush(self) -> None:
        """Send what is queued, in one transaction."""
        if self.pending:
            work, self.pending = self.pending, []
            self._write(work)

    def _write(self, work: list[tuple[str, list[Any]]]) -> None:
        def statements(tx) -> None:
            for query, rows in work:
                tx.run(query, rows=rows).consume()

        self.session.execute_write(statements)


def _units(value: str | list, dialect: str) -> int:
    """``size(value)`` as the server counts it: list elements; string characters (UTF-16 units on Neo4j)."""
    if isinstance(value, list):
        return len(value)
    return len(value.encode("utf-16-le")) // 2 if dialect == "neo4j" else len(value)


def _pieces(value: str | list, limit: int, dialect: str) -> list[str | list]:
    """``value`` cut into pieces of at most ``limit`` bytes each once encoded for the server; a character
    (or a list element) is never cut.

    >>> _pieces("abcdé", 6, "neo4j")
    ['abcd', 'é']
    >>> _pieces(["a", "b", "c"], 12, "neo4j")
    [['a', 'b'], ['c']]
    """
    out: list[Any] = []
    piece: list[Any] = []
    size = 2
    for part in value:
        part_size = _size(encode_params(part, dialect)) - (2 if isinstance(value, str) else -2)
        if piece and size + part_size > limit:
            out.append("".join(piece) if isinstance(value, str) else piece)
            piece, size = [], 2
        piece.append(part)
        size += part_size
    out.append("".join(piece) if isinstance(value, str) else piece)
    return out


def _fit(row: list[Any], names: list[str], budget: int, dialect: str) -> tuple[list[Any], dict[str, str | list]]:
    """A row that fits in ``budget`` bytes: its largest string or list values moved out (to be appended in
    pieces) until it does. ``names[i]`` names ``row[i]``; unnamed cells (ids) and ``sync`` are never moved.

    >>> _fit(["id", "x" * 20, "y" * 30, 1], ["", "a", "b", "c"], 40, "falkordb")
    (['id', 'xxxxxxxxxxxxxxxxxxxx', '', 1], {'b': 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'})
    """
    falkordb = dialect == "falkordb"
    size = _sized(row, falkordb)[1]
    if size <= budget:
        return row, {}
    moved: dict[str, str | list] = {}
    cells = sorted(((_sized(value, falkordb)[1], i) for i, (name, value) in enumerate(zip(names, row))
                    if name and name != "sync" and isinstance(value, (str, list)) and value), reverse=True)
    row = list(row)
    for cell_size, i in cells:
        if size <= budget:
            break
        moved[names[i]] = row[i]
        row[i] = "" if isinstance(row[i], str) else []
        size -= cell_size - 2
    return row, moved


@dataclass
class PushStats:
    """What a push did. ``nodes`` and ``relationships`` are the graph's; ``created``, ``updated``, ``deleted``
    and ``unchanged`` count nodes and relationships together (``changes`` has them apart); ``rows`` and
    ``statements`` are what was sent to write them."""

    nodes: int
    relationships: int
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    stamp: str = ""
    full: bool = False
    empty_server: bool = False
    rows: int = 0
    statements: int = 0
    limits: BatchLimits | None = None
    changes: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: what changed on the server.

        >>> PushStats(3, 2, created=1, updated=1, deleted=2, unchanged=3).summary()
        '1 created, 1 updated, 2 deleted, 3 unchanged'
        """
        return f"{self.created} created, {self.updated} updated, {self.deleted} deleted, {self.unchanged} unchanged"


def _schema(session, dialect: str) -> None:
    """An index (FalkorDB) or a uniqueness constraint (Neo4j) on ``id`` for each label. FalkorDB has no
    ``IF NOT EXISTS``: its indexes are listed first and only the missing ones made."""
    existing: set[str] = set()
    if dialect == "falkordb":
        try:
            existing = {label for label, props in session.execute_read(lambda tx: tx.run(
                "CALL db.indexes() YIELD label, properties RETURN label, properties").values()) if "id" in props}
        except (ClientError, DatabaseError):
            pass
    for label in sorted(_LABELS - existing):
        statement = (f"CREATE CONSTRAINT policykg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                     if dialect == "neo4j" else f"CREATE INDEX FOR (n:{label}) ON (n.id)")
        try:
            session.execute_write(lambda tx, q=statement: tx.run(q).consume())
        except (ClientError, DatabaseError):
            pass  # the server cannot make it (or made it meanwhile)


@dataclass
class _Server:
    """What the server holds under policykg's labels and types, as read back before a push."""

    nodes: dict[tuple[str, str], list[str | None]]  # (label, id) -> the hash of each node of that key
    labels: dict[str, set[str]]  # id -> the policykg labels it has nodes under
    null_nodes: Counter[str]  # label -> how many of its nodes have no id
    edges: dict[tuple[str, str, str], list[str | None]]  # (type, source id, target id) -> hashes
    null_edges: Counter[str]  # type -> how many of its relationships have an end without an id


_FALKORDB_MESSAGE = 60_000  # FalkorDB's endpoint hangs on a reply message over 64 KB (one Bolt chunk)


def _read_server(session, dialect: str) -> _Server:
    """Every policykg node's (label, id, hash) and relationship's (type, ends' ids, hash): one query per
    label and per type. FalkorDB's endpoint sends one message per record at some 30 µs each, and hangs on a
    message over 64 KB: there records are grouped by internal ID into lists sized from the longest ID."""
    def rows(query: str, **params: Any) -> list[list[Any]]:
        return session.execute_read(lambda tx: tx.run(query, **params).values())

    if dialect == "falkordb":
        longest = rows("MATCH (n) WHERE n.id IS NOT NULL RETURN max(size(toString(n.id))) AS m")[0][0] or 0
        per_node, per_edge = 4 * longest + 40, 8 * longest + 60  # bytes at most, 4 per character
        node_query = ("MATCH (n:{0}) RETURN id(n) / $group AS g, collect([n.id, left(toString(n.sync), 16)]) AS x",
                      max(1, min(1000, _FALKORDB_MESSAGE // per_node)))
        edge_query = ("MATCH (a)-[r:{0}]->(b) RETURN id(r) / $group AS g, "
                      "collect([a.id, b.id, left(toString(r.sync), 16)]) AS x",
                      max(1, min(1000, _FALKORDB_MESSAGE // per_edge)))

        def read(query: tuple[str, int], name: str) -> list[list[Any]]:
            return [item for _, group in rows(query[0].format(name), group=query[1]) for item in group]
    else:
        node_query = ("MATCH (n:{0}) RETURN n.id AS id, n.sync AS h", 0)
        edge_query = ("MATCH (a)-[r:{0}]->(b) RETURN a.id AS s, b.id AS d, r.sync AS h", 0)

        def read(query: tuple[str, int], name: str) -> list[list[Any]]:
            return rows(query[0].format(name))

    server = _Server(defaultdict(list), defaultdict(set), Counter(), defaultdict(list), Counter())
    for label in sorted(_LABELS):
        for node_id, digest in read(node_query, label):
            if node_id is None:
                server.null_nodes[label] += 1
                continue
            server.nodes[(label, node_id)].append(digest)
            server.labels[node_id].add(label)
    for rel in sorted(_TYPES):
        for src, dst, digest in read(edge_query, rel):
            if src is None or dst is None:
                server.null_edges[rel] += 1
                continue
            server.edges[(rel, src, dst)].append(digest)
    return server


def _write_rows(writer: _Writer, merge: str, match: str, target: str, names: list[str], keys: int,
                rows: list[list[Any]], dialect: str) -> None:
    """``rows`` of one shape (their first ``keys`` cells are ids, then the values of ``names``) written with
    ``merge`` and ``SET target = {...}``; a FalkorDB row too long for one statement gets its longest values
    appended in pieces (to what ``match`` finds, each piece only where the value has the length it had
    before it: a retried statement appends nothing twice), and its hash (``sync``) once every piece is
    there."""
    props = ", ".join(f"{name}: row[{keys + i}]" for i, name in enumerate(names))
    id_prop = "id: row[0], " if target == "n" else ""
    query = f"UNWIND $rows AS row {merge} SET {target} = {{{id_prop}{props}}}"
    if dialect != "falkordb":
        writer.run(query, rows)
        return
    budget = writer.limits.bytes - _overhead(query) - 4
    cells = [""] * keys + names
    short, split = [], []
    for row in rows:
        fitted, moved = _fit(row, cells, budget, dialect)
        if moved:
            sync = names.index("sync") + keys
            fitted[sync] = None  # the hash is written last
            split.append((row, moved))
        short.append(fitted)
    writer.run(query, short)
    for row, moved in split:
        for name, value in moved.items():
            assert _NAME.match(name)
            value_of = f"{target}.{name}"
            piece_query = (f"UNWIND $rows AS row {match} WITH {target}, row "
                           f"WHERE size({value_of}) = row[{keys + 1}] SET {value_of} = {value_of} + row[{keys}]")
            limit = writer.limits.bytes - _overhead(piece_query) - _size(encode_params(row[:keys], dialect)) - 40
            offset = 0
            for piece in _pieces(value, limit, dialect):
                writer.run(piece_query, [[*row[:keys], piece, offset]])
                offset += _units(piece, dialect)
        checks = " AND ".join(f"size({target}.{name}) = row[{keys + 1 + i}]" for i, name in enumerate(sorted(moved)))
        done_query = f"UNWIND $rows AS row {match} WITH {target}, row WHERE {checks} " \
                     f"SET {target}.sync = row[{keys}]"
        writer.run(done_query, [[*row[:keys], row[names.index("sync") + keys],
                                 *(_units(moved[name], dialect) for name in sorted(moved))]])


@dataclass
class _Plan:
    """What a push sends: deletions first (relationships by their ends' labels and IDs, relationships with an
    end that is no policykg node, relationships with an end without an ID, then nodes), then writes."""

    node_writes: dict[tuple[str, str], _Item] = field(default_factory=dict)
    edge_writes: dict[tuple[str, str, str], _Item] = field(default_factory=dict)
    edge_deletes: dict[tuple[str, str, str], list[list[Any]]] = field(default_factory=lambda: defaultdict(list))
    foreign_deletes: dict[str, list[list[Any]]] = field(default_factory=lambda: defaultdict(list))
    node_deletes: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    count: dict[str, dict[str, int]] = field(default_factory=lambda: {
        kind: dict.fromkeys(("created", "updated", "deleted", "unchanged"), 0) for kind in ("nodes", "relationships")})


def _plan(nodes: dict[tuple[str, str], _Item], edges: dict[tuple[str, str, str], _Item], server: _Server,
          full: bool) -> _Plan:
    """Compare the graph's items with the server's. A node key held twice, or an ID held under two policykg
    labels, is deleted and written anew; a node written anew (created or re-created) gets all its
    relationships written, since they are gone with it or never were."""
    plan = _Plan()
    nodes_count, edges_count = plan.count["nodes"], plan.count["relationships"]
    doomed = {key for key, digests in server.nodes.items()
              if key not in nodes or len(digests) > 1 or len(server.labels[key[1]]) > 1}
    doomed_ids = {node_id for node_id, labels in server.labels.items()
                  if all((label, node_id) in doomed for label in labels)}
    fresh: set[str] = set()
    for key, item in nodes.items():
        digests = server.nodes.get(key)
        if digests is None or key in doomed:
            fresh.add(key[1])
        elif not full and digests[0] == item.digest:
            nodes_count["unchanged"] += 1
            continue
        plan.node_writes[key] = item
        nodes_count["created" if digests is None else "updated"] += 1
    for label, node_id in doomed:
        plan.node_deletes[label].append(node_id)
    nodes_count["deleted"] = sum(1 for key in doomed if key not in nodes) + sum(server.null_nodes.values())

    gone: set[tuple[str, str, str]] = set()
    for key, digests in server.edges.items():
        rel, src, dst = key
        if src in doomed_ids or dst in doomed_ids:
            gone.add(key)  # deleted with its node
            continue
        src_labels, dst_labels = server.labels.get(src, set()), server.labels.get(dst, set())
        if len(src_labels) != 1 or len(dst_labels) != 1:
            plan.foreign_deletes[rel].append([src, dst])  # an end that is not a policykg node
            gone.add(key)
        elif key not in edges or len(digests) > 1:
            plan.edge_deletes[(next(iter(src_labels)), rel, next(iter(dst_labels)))].append([src, dst])
            gone.add(key)
    for key, item in edges.items():
        digests = server.edges.get(key)
        if (digests is not None and key not in gone and not full and digests[0] == item.digest
                and key[1] not in fresh and key[2] not in fresh):
            edges_count["unchanged"] += 1
            continue
        plan.edge_writes[key] = item
        edges_count["created" if digests is None else "updated"] += 1
    edges_count["deleted"] = sum(1 for key in server.edges if key not in edges) + sum(server.null_edges.values())
    return plan


def _send(writer: _Writer, plan: _Plan, server: _Server, dialect: str) -> None:
    """The plan's statements, in its order; labels, types and property names checked against the model."""
    for (src_label, rel, dst_label), rows in sorted(plan.edge_deletes.items()):
        writer.run(f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row[0]}})-[r:{rel}]->"
                   f"(b:{dst_label} {{id: row[1]}}) DELETE r", rows)
    for rel, rows in sorted(plan.foreign_deletes.items()):
        writer.run(f"UNWIND $rows AS row MATCH (a {{id: row[0]}})-[r:{rel}]->(b {{id: row[1]}}) DELETE r", rows)
    for rel in sorted(server.null_edges):
        writer.run(f"UNWIND $rows AS row MATCH (a)-[r:{rel}]->(b) WHERE a.id IS NULL OR b.id IS NULL DELETE r", [1])
    for label, ids in sorted(plan.node_deletes.items()):
        writer.run(f"UNWIND $rows AS row MATCH (n:{label} {{id: row}}) DETACH DELETE n", ids)
    for label in sorted(server.null_nodes):
        writer.run(f"UNWIND $rows AS row MATCH (n:{label}) WHERE n.id IS NULL DETACH DELETE n", [1])

    shapes: dict[tuple[tuple[str, ...], tuple[str, ...]], list[list[Any]]] = defaultdict(list)
    for (label, node_id), item in plan.node_writes.items():
        names = (*sorted(item.props), "sync")
        shapes[((label,), names)].append([node_id, *(item.props[n] for n in names[:-1]), item.digest])
    for (rel, src, dst), item in plan.edge_writes.items():
        names = (*sorted(item.props), "sync")
        shapes[(item.labels, names)].append([src, dst, *(item.props[n] for n in names[:-1]), item.digest])
    for (labels, names), rows in sorted(shapes.items(), key=lambda shape: (len(shape[0][0]), shape[0])):
        assert all(_NAME.match(n) for n in names)
        if len(labels) == 1:
            node = f"(n:{labels[0]} {{id: row[0]}})"
            _write_rows(writer, f"MERGE {node}", f"MATCH {node}", "n", list(names), 1, rows, dialect)
        else:
            src_label, rel, dst_label = labels
            assert src_label in _LABELS and dst_label in _LABELS and rel in _TYPES
            ends = f"MATCH (a:{src_label} {{id: row[0]}}) MATCH (b:{dst_label} {{id: row[1]}}) "
            _write_rows(writer, ends + f"MERGE (a)-[r:{rel}]->(b)", ends + f"MATCH (a)-[r:{rel}]->(b)",
                        "r", list(names), 2, rows, dialect)
    writer.flush()


def push(graph: nx.MultiDiGraph, driver: Driver, database: str | None = None, dialect: str | None = None, *,
         full: bool = False, batch_size: int | None = None, limits: BatchLimits | None = None) -> PushStats:
    """Make the server hold ``graph``: write the nodes and relationships that are new or changed, delete those
    the graph no longer holds, leave the rest alone.

    What the server holds is read back first (every policykg node's and relationship's ID and content hash,
    ``sync``); a node or relationship whose hash is the graph's is not sent again, so pushing the same graph
    twice sends nothing, and a server emptied or edited by someone else gets back what it lacks. ``full``
    writes everything again (for a server whose properties were changed by hand, hashes left as they were).
    ``batch_size`` overrides the dialect's rows per statement (:func:`batch_limits`); ``limits`` overrides
    all of them (benchmarks: a FalkorDB statement over 4,096 bytes kills that server).

    Order: stale relationships, then stale nodes (``DETACH DELETE``), then nodes, then relationships; each
    statement is idempotent, so a push that was interrupted converges when run again."""
    dialect = dialect or dialect_of(driver, database)
    limits = limits or batch_limits(dialect, batch_size)
    start = time.perf_counter()
    nodes, edges = _items(graph)
    with driver.session(database=database) as session:
        server = _read_server(session, dialect)
        plan = _plan(nodes, edges, server, full)
        _schema(session, dialect)
        writer = _Writer(session, dialect, limits)
        _send(writer, plan, server, dialect)
    count = plan.count
    totals = {c: count["nodes"][c] + count["relationships"][c] for c in ("created", "updated", "deleted", "unchanged")}
    empty = not server.nodes and not server.edges and not server.null_nodes and not server.null_edges
    return PushStats(graph.number_of_nodes(), graph.number_of_edges(), **totals, seconds=time.perf_counter() - start,
                     stamp=_stamp_of(nodes, edges), full=full, empty_server=empty, rows=writer.rows,
                     statements=writer.statements, limits=limits, changes=count)
