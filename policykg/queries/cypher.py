"""Named Cypher queries (``cypher/*.cypher``) against a Bolt server, with parameters.

Each file starts with ``//`` comments saying what it answers and a ``// params:`` line, resolved
from what a person types exactly as for the named SPARQL queries (:mod:`.named`). Values are sent as
parameters, never pasted into the query text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neo4j import Driver

from ..graph.bolt import encode_params
from .api import PolicyGraph
from .named import NamedQuery, QueryFiles, resolve_params

__all__ = ["CYPHER_DIR", "named_cypher", "load_cypher", "run_cypher"]

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
_FILES = QueryFiles(CYPHER_DIR, ".cypher", "//")


def named_cypher() -> dict[str, NamedQuery]:
    """The named Cypher queries shipped with policykg, by file stem."""
    return _FILES.named


def load_cypher(name_or_file: str) -> NamedQuery:
    """A named Cypher query, or a ``.cypher`` file given by path."""
    return _FILES.load(name_or_file)


def run_cypher(driver: Driver, name_or_file: str, params: dict[str, str], pg: PolicyGraph,
               dialect: str = "neo4j", database: str | None = None) -> list[dict[str, Any]]:
    """Rows of a named query (or ``.cypher`` file) with ``params`` resolved against ``pg`` and bound."""
    query = load_cypher(name_or_file)
    bound = resolve_params(query, params, pg)
    bound.update({k: v for k, v in params.items() if k not in bound})
    params_ = encode_params(bound, dialect)
    with driver.session(database=database) as session:
        return session.execute_read(lambda tx: [record.data() for record in tx.run(query.text, params_)])
