"""Named Cypher queries (``cypher/*.cypher``) against a Bolt server, with parameters.

Each file starts with ``//`` comments saying what it answers and a ``// params:`` line, resolved
from what a person types exactly as for the named SPARQL queries (:mod:`.named`). Values are sent as
parameters, never pasted into the query text.

A query is looked over before any server is reached (:func:`check_cypher`): brackets that do not close,
a string or a comment left open, a file of comments only (E601), and ``LOAD CSV`` or an ``apoc.load`` /
``apoc.import`` procedure, which make the server fetch a URL (E602). Comments and strings are skipped, so
they do not count:

>>> check_cypher(_FILES.parse("bad", "MATCH (n RETURN n", "bad.cypher"))
Traceback (most recent call last):
...
policykg.queries.named.QueryFileError: E601 bad.cypher: the query cannot be parsed: '(' opened at line 1, column 7 is never closed
>>> check_cypher(_FILES.parse("csv", "// not LOAD CSV\\nLOAD CSV FROM 'http://x/a.csv' AS r RETURN r", "csv.cypher"))
Traceback (most recent call last):
...
policykg.queries.named.QueryFileError: E602 csv.cypher: the query reaches outside the store (LOAD CSV): remote federation is refused
>>> check_cypher(_FILES.parse("ok", "// LOAD CSV is not called here\\nMATCH (t:Task {title: 'LOAD CSV ('}) RETURN t"))
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from neo4j import Driver
from neo4j.exceptions import ClientError, CypherSyntaxError

from ..errors import Errors
from ..graph.bolt import encode_params
from .api import PolicyGraph
from .named import NamedQuery, QueryFiles, first_line, resolve_params

__all__ = ["CYPHER_DIR", "named_cypher", "load_cypher", "check_cypher", "run_cypher"]

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
_FILES = QueryFiles(CYPHER_DIR, ".cypher", "//")


def named_cypher() -> dict[str, NamedQuery]:
    """The named Cypher queries shipped with policykg, by file stem."""
    return _FILES.named


def load_cypher(name_or_file: str) -> NamedQuery:
    """A named Cypher query, or a ``.cypher`` file given by path, checked by :func:`check_cypher` (any
    problem raises :class:`~policykg.queries.named.QueryFileError`)."""
    query = _FILES.load(name_or_file)
    check_cypher(query)
    return query


_CLOSE = {"(": ")", "[": "]", "{": "}"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_REMOTE_PROCEDURES = ("apoc.load.", "apoc.import.")


def check_cypher(query: NamedQuery) -> None:
    """Raise :class:`~policykg.queries.named.QueryFileError` when ``query`` cannot be Cypher (E601: a bracket,
    string or comment that does not close, no query at all) or makes the server fetch a URL (E602). The
    server's own parser has the last word (:func:`run_cypher`)."""
    words, problem = _scan(query.text)
    if problem is None and not words:
        problem = "the file holds no query, only comments"
    if problem:
        raise query.error(Errors.E601, detail=problem)
    for k, word in enumerate(words):
        remote = ("LOAD CSV" if word == "load" and words[k + 1:k + 2] == ["csv"]
                  else word if word.startswith(_REMOTE_PROCEDURES) else None)
        if remote:
            raise query.error(Errors.E602, what=remote, hint="")


def _scan(text: str) -> tuple[list[str], str | None]:
    """The words of ``text`` outside comments and strings (lower case), and the first lexical problem."""
    def at(i: int) -> str:
        line, column = text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)
        return f"line {line}, column {column}"

    words: list[str] = []
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if text.startswith("//", i):
            i = n if (j := text.find("\n", i)) < 0 else j
        elif text.startswith("/*", i):
            if (j := text.find("*/", i + 2)) < 0:
                return words, f"the comment opened at {at(i)} is never closed"
            i = j + 2
        elif ch in "'\"`":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" and ch != "`" else 1
            if j >= n:
                return words, f"the string or name opened with {ch} at {at(i)} is never closed"
            i = j + 1
        elif m := _WORD.match(text, i):
            words.append(m.group().lower())
            i = m.end()
        else:
            if ch in _CLOSE:
                stack.append((ch, i))
            elif ch in ")]}":
                if not stack or _CLOSE[stack[-1][0]] != ch:
                    return words, f"unexpected {ch!r} at {at(i)}"
                stack.pop()
            i += 1
    if stack:
        return words, f"{stack[-1][0]!r} opened at {at(stack[-1][1])} is never closed"
    return words, None


def run_cypher(driver: Driver, name_or_file: str | NamedQuery, params: dict[str, str], pg: PolicyGraph,
               dialect: str = "neo4j", database: str | None = None) -> list[dict[str, Any]]:
    """Rows of a named query (or ``.cypher`` file) with ``params`` resolved against ``pg`` and bound. A query the
    server cannot parse raises :class:`~policykg.queries.named.QueryFileError` E601 (another error of the
    statement E610), with the server's first line."""
    query = name_or_file if isinstance(name_or_file, NamedQuery) else _FILES.load(name_or_file)
    check_cypher(query)
    bound = resolve_params(query, params, pg)
    bound.update({k: v for k, v in params.items() if k not in bound})
    params_ = encode_params(bound, dialect)
    try:
        with driver.session(database=database) as session:
            return session.execute_read(lambda tx: [record.data() for record in tx.run(query.text, params_)])
    except CypherSyntaxError as exc:
        raise query.error(Errors.E601, detail=first_line(exc.message or str(exc))) from None
    except ClientError as exc:
        if not (exc.code or "").startswith("Neo.ClientError.Statement."):
            raise
        raise query.error(Errors.E610, detail=first_line(exc.message or str(exc))) from None
