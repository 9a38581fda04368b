"""Named Cypher queries (``cypher/*.cypher``) against a Bolt server, with parameters.

Each file starts with ``//`` comments saying what it answers and a ``// params:`` line naming its
parameters and their types (``document``, ``agency_key``, ``task``, ``date``, ``text``), resolved from
what a person types exactly as for the named SPARQL queries. Values are sent as parameters, never pasted
into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from neo4j import Driver

from ..graph.bolt import encode_params
from .api import PolicyGraph, QueryError

__all__ = ["CYPHER_DIR", "NamedCypher", "named_cypher", "load_cypher", "run_cypher"]

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
_PARAMS = re.compile(r"^//\s*params:\s*(.*)$", re.M)


@dataclass(frozen=True)
class NamedCypher:
    name: str
    text: str
    description: str
    params: dict[str, str]


def _parse(name: str, text: str) -> NamedCypher:
    comments = [line[2:].strip() for line in text.splitlines() if line.startswith("//")]
    params: dict[str, str] = {}
    if m := _PARAMS.search(text):
        for item in filter(None, (p.strip() for p in m.group(1).split(","))):
            key, _, typ = item.partition(":")
            params[key.strip()] = (typ or "text").strip()
    return NamedCypher(name, text, " ".join(c for c in comments if not c.startswith("params:")), params)


@cache
def named_cypher() -> dict[str, NamedCypher]:
    return {p.stem: _parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CYPHER_DIR.glob("*.cypher"))}


def load_cypher(name_or_file: str) -> NamedCypher:
    if name_or_file in named_cypher():
        return named_cypher()[name_or_file]
    path = Path(name_or_file)
    if path.is_file():
        return _parse(path.stem, path.read_text(encoding="utf-8"))
    raise QueryError(f"no named Cypher query or file {name_or_file!r} (named: {', '.join(named_cypher())})")


def _value(typ: str, value: str, pg: PolicyGraph) -> Any:
    if typ == "document":
        return pg.document(value)
    if typ == "task":
        if value not in pg.graph or pg.graph.nodes[value].get("kind") != "Task":
            raise QueryError(f"no task {value!r}")
        return value
    if typ == "agency_key":
        keys = {pg.graph.nodes[n].get("key") for n in pg.agencies(value)} - {None}
        if len(keys) != 1:
            raise QueryError(f"{value!r} names no single agency of the gazetteer")
        return keys.pop()
    return value


def run_cypher(driver: Driver, name_or_file: str, params: dict[str, str], pg: PolicyGraph,
               dialect: str = "neo4j", database: str | None = None) -> list[dict[str, Any]]:
    """Rows of a named query (or ``.cypher`` file) with ``params`` resolved against ``pg`` and bound."""
    query = load_cypher(name_or_file)
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {', '.join(f'{m}=...' for m in missing)}")
    bound = {name: _value(typ, params[name], pg) for name, typ in query.params.items()}
    bound.update({k: v for k, v in params.items() if k not in bound})
    params_ = encode_params(bound, dialect)
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: [record.data() for record in tx.run(query.text, params_)])
