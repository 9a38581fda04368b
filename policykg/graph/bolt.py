"""Sync the graph to a Bolt/Cypher server (Neo4j, or FalkorDB's Bolt endpoint) with the official driver.

Every node is ``MERGE``d on its stable ID under its kind's label (``Document``, ``Task``, ``Target``,
``Agency``, ``Jurisdiction``), every edge under its kind's relationship type, in batched ``UNWIND``
transactions; provenance stays as properties. Each push stamps what it wrote with a hash of the graph's
content and then deletes what carries another stamp: pushing the same graph twice changes nothing, a
re-loaded document's stale facts disappear, and a push interrupted half-way converges when re-run.

Labels, relationship types and property names come from policykg's own data model (checked against
``[A-Za-z_]+``), never from document text; every value travels as a parameter.

Dialects: Neo4j takes a uniqueness constraint per label and large batches; FalkorDB takes
``CREATE INDEX FOR (n:L) ON (n.id)`` (no constraints, no ``IF NOT EXISTS``) and drops the connection on
payloads of a few kilobytes, so batches there are cut by size and a long value is written in pieces.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import networkx as nx
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DatabaseError, ServiceUnavailable

from ..errors import Errors, PolicyKGError
from .model import EdgeKind, NodeKind

__all__ = ["BoltSettings", "connect", "open_server", "dialect_of", "push", "PushStats", "encode_params", "split_credentials"]

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


@dataclass
class PushStats:
    nodes: int
    relationships: int
    deleted: int
    seconds: float
    stamp: str


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


def _props(data: dict[str, Any], stamp: str) -> dict[str, Any]:
    out = {k: _value(v) for k, v in data.items() if v is not None and k != "kind" and _NAME.match(k)}
    out["sync"] = stamp
    return out


def _stamp(graph: nx.MultiDiGraph) -> str:
    digest = hashlib.sha1()
    for node in sorted(graph.nodes):
        digest.update(json.dumps([node, graph.nodes[node]], sort_keys=True, default=str).encode())
    for src, dst, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        digest.update(json.dumps([src, dst, key, data], sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


class _Writer:
    """Batches of rows for one statement, cut by count and by encoded size."""

    def __init__(self, session, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self.max_bytes = 2500 if dialect == "falkordb" else 4_000_000
        self.max_rows = 200 if dialect == "falkordb" else 2000

    def run(self, query: str, rows: list[dict[str, Any]], **params: Any) -> None:
        batch: list[dict[str, Any]] = []
        size = 0
        for row in rows:
            row_size = len(json.dumps(row, ensure_ascii=False).encode())
            if batch and (size + row_size > self.max_bytes or len(batch) >= self.max_rows):
                self._write(query, batch, params)
                batch, size = [], 0
            batch.append(row)
            size += row_size
        if batch:
            self._write(query, batch, params)

    def _write(self, query: str, batch: list[dict[str, Any]], params: dict[str, Any]) -> None:
        rows = encode_params(batch, self.dialect)
        extra = encode_params(params, self.dialect)
        self.session.execute_write(lambda tx: tx.run(query, rows=rows, **extra).consume())


def _split_long(rows: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """Rows with their long string values taken out, and those values as (id, property, value)."""
    short, long = [], []
    for row in rows:
        props = dict(row["props"])
        for key, value in list(props.items()):
            if isinstance(value, str) and len(value.encode()) > limit:
                long.append((row["id"], key, value))
                props[key] = ""
            elif isinstance(value, list) and len(json.dumps(value, ensure_ascii=False).encode()) > limit:
                long.append((row["id"], key, json.dumps(value, ensure_ascii=False)))
                props[key] = ""
        short.append({**row, "props": props})
    return short, long


def _chunks(text: str, limit: int) -> list[str]:
    out, piece = [], ""
    for ch in text:
        if len((piece + ch).encode()) > limit:
            out.append(piece)
            piece = ""
        piece += ch
    return out + [piece]


def _schema(session, dialect: str) -> None:
    for label in sorted(_LABELS):
        statement = (f"CREATE CONSTRAINT policykg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                     if dialect == "neo4j" else f"CREATE INDEX FOR (n:{label}) ON (n.id)")
        try:
            session.execute_write(lambda tx, q=statement: tx.run(q).consume())
        except (ClientError, DatabaseError):
            pass  # the index exists already (FalkorDB has no IF NOT EXISTS), or the server cannot make it


def push(graph: nx.MultiDiGraph, driver: Driver, database: str | None = None, dialect: str | None = None) -> PushStats:
    """Write ``graph`` to the server and remove what an earlier push wrote that ``graph`` no longer holds."""
    dialect = dialect or dialect_of(driver, database)
    stamp = _stamp(graph)
    start = time.perf_counter()
    nodes_by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        nodes_by_label[data["kind"]].append({"id": node, "props": _props(data, stamp)})
    edges_by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for src, dst, key, data in graph.edges(keys=True, data=True):
        kinds = (graph.nodes[src]["kind"], key, graph.nodes[dst]["kind"])
        edges_by_type[kinds].append({"src": src, "dst": dst, "props": _props(data, stamp)})
    deleted = 0
    with driver.session(database=database) as session:
        _schema(session, dialect)
        writer = _Writer(session, dialect)
        for label, rows in sorted(nodes_by_label.items()):
            assert label in _LABELS
            short, long = _split_long(rows, 1500) if dialect == "falkordb" else (rows, [])
            writer.run(f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props", short)
            for node_id, prop, value in long:
                assert _NAME.match(prop)
                for piece in _chunks(value, 1500):
                    writer.run(f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) "
                               f"SET n.{prop} = n.{prop} + row.piece", [{"id": node_id, "piece": piece}])
        for (src_label, rel, dst_label), rows in sorted(edges_by_type.items()):
            assert src_label in _LABELS and dst_label in _LABELS and rel in _TYPES
            writer.run(f"UNWIND $rows AS row MATCH (a:{src_label} {{id: row.src}}) MATCH (b:{dst_label} {{id: row.dst}}) "
                       f"MERGE (a)-[r:{rel}]->(b) SET r += row.props", rows)
        for statement in ([f"MATCH ()-[r:{rel}]->() WHERE r.sync IS NULL OR r.sync <> $stamp DELETE r RETURN count(r) AS c"
                           for rel in sorted(_TYPES)]
                          + [f"MATCH (n:{label}) WHERE n.sync IS NULL OR n.sync <> $stamp DETACH DELETE n RETURN count(n) AS c"
                             for label in sorted(_LABELS)]):
            deleted += session.execute_write(lambda tx, q=statement: tx.run(q, stamp=stamp).single()["c"])
    return PushStats(graph.number_of_nodes(), graph.number_of_edges(), deleted, time.perf_counter() - start, stamp)
