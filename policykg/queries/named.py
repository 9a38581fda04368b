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

An empty ``params:`` line declares no parameters; a line that is not ``name:type, ...`` is one line (E605):

>>> files.parse("x", "# params:\\nSELECT ?s WHERE { ?s ?p ?o }").params
{}
>>> files.parse("x", "# params: to:day\\nSELECT ...", "q.rq")
Traceback (most recent call last):
...
policykg.queries.named.QueryFileError: E605 q.rq: the params line is not valid: unknown type 'day' of 'to' (expected name:type, ...; types: document, agency_key, task, date, text)

A query file that is missing, a folder or not UTF-8 is one line too (E606-E608), never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..dates import parse_date
from ..errors import Errors, PolicyKGError
from .api import PolicyGraph, QueryError

__all__ = ["NamedQuery", "QueryFiles", "QueryFileError", "PARAM_TYPES", "check_dates", "resolve_params", "first_line"]

PARAM_TYPES = ("document", "agency_key", "task", "date", "text")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class QueryFileError(PolicyKGError):
    """A query (a named one or a file given by path) that will not be run: it cannot be read or parsed, or
    it would reach outside the store. Carries an ``E6xx`` :class:`~policykg.errors.Issue` naming the file;
    the command line prints it as one line and exits with code 2."""


def first_line(text: str, limit: int = 160) -> str:
    """The first non-blank line of ``text``, stripped and cut to ``limit`` characters (an engine's error
    message can be a whole dump).

    >>> first_line("\\n  error at 1:24: expected one of a, b\\n more")
    'error at 1:24: expected one of a, b'
    >>> first_line("x" * 200, 10)
    'xxxxxxxxx…'
    """
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[:limit - 1] + "…"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: dict[str, str]  # name -> type
    source: str | None = None  # the file as given (None: a named query shipped with policykg)

    @property
    def where(self) -> str:
        """What error messages name: the file as given, or the name of a shipped query."""
        return self.source or self.name

    def error(self, code: Errors, **kwargs: object) -> QueryFileError:
        """The :class:`QueryFileError` ``code`` about this query."""
        return QueryFileError(code.format(file=self.where, **kwargs))


class QueryFiles:
    """The named queries of one folder (files ending in ``suffix``, comments starting with ``comment``)."""

    def __init__(self, folder: Path, suffix: str, comment: str) -> None:
        self.folder, self.suffix, self.comment = folder, suffix, comment
        # [ \t], not \s: an empty ``params:`` line must not take the next line as its value
        self._params = re.compile(rf"^{re.escape(comment)}[ \t]*params:[ \t]*(.*?)[ \t]*$", re.M)

    def parse(self, name: str, text: str, source: str | None = None) -> NamedQuery:
        """The query in ``text``: its description, its declared parameters (a ``params:`` line that is not
        ``name:type, ...`` raises :class:`QueryFileError` E605)."""
        comments = [line[len(self.comment):].strip() for line in text.splitlines() if line.startswith(self.comment)]
        params: dict[str, str] = {}
        if m := self._params.search(text):
            for item in filter(None, (p.strip() for p in m.group(1).split(","))):
                key, _, typ = (part.strip() for part in item.partition(":"))
                typ = typ or "text"
                detail = (f"{key!r} is not a parameter name" if not _NAME.match(key)
                          else f"unknown type {typ!r} of {key!r}" if typ not in PARAM_TYPES
                          else f"{key!r} is declared twice" if key in params else None)
                if detail:
                    raise QueryFileError(Errors.E605.format(file=source or name, detail=detail,
                                                            types=", ".join(PARAM_TYPES)))
                params[key] = typ
        description = " ".join(c for c in comments if not c.startswith(("params:", "(")))
        return NamedQuery(name, text, description, params, source)

    @cached_property
    def named(self) -> dict[str, NamedQuery]:
        """The named queries shipped with policykg, by file stem."""
        return {p.stem: self.parse(p.stem, p.read_text(encoding="utf-8"))
                for p in sorted(self.folder.glob(f"*{self.suffix}"))}

    def load(self, name_or_file: str) -> NamedQuery:
        """A named query, or a query file given by path. A word that names neither raises :class:`QueryError`;
        a path (it has a folder or the suffix, or it exists) that cannot be read raises :class:`QueryFileError`:
        E606 missing, E607 a folder, E608 not UTF-8, E609 unreadable."""
        if name_or_file in self.named:
            return self.named[name_or_file]
        path = Path(name_or_file)
        looks_like_path = path.suffix == self.suffix or len(path.parts) > 1 or path.exists()
        if not looks_like_path:
            raise QueryError(f"no named query or file {name_or_file!r} (named: {', '.join(self.named)})")
        return self.parse(path.stem, read_query_file(path, name_or_file), name_or_file)


def read_query_file(path: Path, source: str) -> str:
    """The text of a query file (UTF-8, a byte-order mark allowed); any failure is one :class:`QueryFileError`."""
    try:
        if path.is_dir():
            raise QueryFileError(Errors.E607.format(file=source))
        data = path.read_bytes()
    except FileNotFoundError:
        raise QueryFileError(Errors.E606.format(file=source)) from None
    except OSError as exc:
        raise QueryFileError(Errors.E609.format(file=source, detail=exc.strerror or str(exc))) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QueryFileError(Errors.E608.format(file=source, offset=exc.start)) from None


def check_dates(query: NamedQuery, params: dict[str, str]) -> dict[str, str]:
    """``params`` with the values of the query's ``date`` parameters parsed strictly (``today`` becomes
    the ISO date); a value that is not a date raises :class:`~policykg.dates.DateError` naming the
    parameter. Parameters not given are left for :func:`resolve_params` to report."""
    return {name: parse_date(value, f"--param {name}") if query.params.get(name) == "date" else value
            for name, value in params.items()}


def resolve_params(query: NamedQuery, params: dict[str, str], pg: PolicyGraph | None) -> dict[str, Any]:
    """The declared parameters of ``query`` resolved from what was typed: node IDs for documents and tasks,
    the gazetteer key for an agency, dates as ISO strings (checked), the text itself for text. A missing or unknown one raises
    :class:`QueryError`. ``pg`` may be None when no parameter is a document, a task or an agency."""
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {', '.join(f'{m}=...' for m in missing)}")
    if pg is None and (need := [p for p, typ in query.params.items() if typ in {"document", "task", "agency_key"}]):
        raise ValueError(f"query {query.name!r}: resolving --param {need[0]} needs the graph (pg)")
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
