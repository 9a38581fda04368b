"""Named queries kept as files (SPARQL ``.rq``, Cypher ``.cypher``) and the values of their parameters.

Each file opens with comments saying what it answers and a ``params:`` line naming its parameters and
their types: ``document`` (a document reference in any common form, resolved to its node ID),
``agency_key`` (an agency name in any form, resolved to its gazetteer key), ``task`` (a task ID),
``date`` (parsed strictly: ``YYYY-MM-DD`` that exists, or ``today``; anything else raises
:class:`~policykg.dates.DateError` before the query runs) and ``text`` (taken as typed). Comment lines
in brackets are notes, not the description.

>>> from pathlib import Path
>>> files = QueryFiles(Path("."), ".rq", "#")
>>> q = files.parse("x", "# Tasks due by a date.\\n# params: to:date, document:document\\nSELECT ...")
>>> q.description, q.params
('Tasks due by a date.', {'to': 'date', 'document': 'document'})
>>> check_dates(q, {"to": "2025-12-31", "document": "57"})
{'to': '2025-12-31', 'document': '57'}
>>> check_dates(q, {"to": "2025-02-30"})
Traceback (most recent call last):
...
policykg.dates.DateError: --param to: '2025-02-30' is not a date (YYYY-MM-DD that exists, or today)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..dates import parse_date
from .api import PolicyGraph, QueryError

__all__ = ["NamedQuery", "QueryFiles", "check_dates", "resolve_params"]


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


def check_dates(query: NamedQuery, params: dict[str, str]) -> dict[str, str]:
    """``params`` with the values of the query's ``date`` parameters parsed strictly (``today`` becomes
    the ISO date); a value that is not a date raises :class:`~policykg.dates.DateError` naming the
    parameter. Parameters not given are left for :func:`resolve_params` to report."""
    return {name: parse_date(value, f"--param {name}") if query.params.get(name) == "date" else value
            for name, value in params.items()}


def resolve_params(query: NamedQuery, params: dict[str, str], pg: PolicyGraph) -> dict[str, Any]:
    """The declared parameters of ``query`` resolved from what was typed: node IDs for documents and tasks,
    the gazetteer key for an agency, dates as ISO strings (checked), the text itself for text. A missing or unknown one raises
    :class:`QueryError`."""
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {', '.join(f'{m}=...' for m in missing)}")
    params = check_dates(query, params)
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
