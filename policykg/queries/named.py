"""Named queries kept as files (SPARQL ``.rq``, Cypher ``.cypher``) and the values of their parameters.

Each file opens with comments saying what it answers and a ``params:`` line naming its parameters and
their types: ``document`` (a document reference in any common form, resolved to its node ID),
``agency_key`` (an agency name in any form, resolved to its gazetteer key), ``task`` (a task ID),
``date`` and ``text`` (taken as typed). Comment lines in brackets are notes, not the description.

>>> from pathlib import Path
>>> files = QueryFiles(Path("."), ".rq", "#")
>>> q = files.parse("x", "# Tasks due by a date.\\n# params: to:date, document:document\\nSELECT ...")
>>> q.description, q.params
('Tasks due by a date.', {'to': 'date', 'document': 'document'})
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .api import PolicyGraph, QueryError

__all__ = ["NamedQuery", "QueryFiles", "resolve_params"]


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: dict[str, str]  # name -> type


class QueryFiles:
    """The named queries of one folder (files ending in ``suffix``, comments starting with ``comment``)."""

    def __init__(self, folder: Path, suffix: str, comment: str) -> None:
        self.folder, self.suffix, self.comment = folder, suffix, comment
        self._params = re.compile(rf"^{re.escape(comment)}\s*params:\s*(.*)$", re.M)

    def parse(self, name: str, text: str) -> NamedQuery:
        comments = [line[len(self.comment):].strip() for line in text.splitlines() if line.startswith(self.comment)]
        params: dict[str, str] = {}
        if m := self._params.search(text):
            for item in filter(None, (p.strip() for p in m.group(1).split(","))):
                key, _, typ = item.partition(":")
                params[key.strip()] = (typ or "text").strip()
        description = " ".join(c for c in comments if not c.startswith(("params:", "(")))
        return NamedQuery(name, text, description, params)

    @cached_property
    def named(self) -> dict[str, NamedQuery]:
        """The named queries shipped with policykg, by file stem."""
        return {p.stem: self.parse(p.stem, p.read_text(encoding="utf-8"))
                for p in sorted(self.folder.glob(f"*{self.suffix}"))}

    def load(self, name_or_file: str) -> NamedQuery:
        """A named query, or a query file given by path."""
        if name_or_file in self.named:
            return self.named[name_or_file]
        path = Path(name_or_file)
        if path.is_file():
            return self.parse(path.stem, path.read_text(encoding="utf-8"))
        raise QueryError(f"no named query or file {name_or_file!r} (named: {', '.join(self.named)})")


def resolve_params(query: NamedQuery, params: dict[str, str], pg: PolicyGraph) -> dict[str, Any]:
    """The declared parameters of ``query`` resolved from what was typed: node IDs for documents and tasks,
    the gazetteer key for an agency, the text itself for dates and text. A missing or unknown one raises
    :class:`QueryError`."""
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {', '.join(f'{m}=...' for m in missing)}")
    out: dict[str, Any] = {}
    for name, typ in query.params.items():
        value = params[name]
        if typ == "document":
            value = pg.document(value)
        elif typ == "task":
            if value not in pg.graph or pg.graph.nodes[value].get("kind") != "Task":
                raise QueryError(f"no task {value!r}")
        elif typ == "agency_key":
            keys = {pg.graph.nodes[n].get("key") for n in pg.agencies(value)} - {None}
            if len(keys) != 1:
                raise QueryError(f"{value!r} names no single agency of the gazetteer")
            value = keys.pop()
        out[name] = value
    return out
