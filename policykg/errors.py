"""The numbered catalogue of errors and warnings policykg reports.

Every problem a user sees has a code, so it can be looked up, filtered and tested:
``E1xx`` input files, ``E2xx`` extraction, ``E3xx`` stores, ``W1xx``-``W3xx`` warnings
about what was read but could not be read completely.

>>> str(Errors.E101.format(file="a.txt"))
'E101 a.txt: the file is empty'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Errors", "Warnings", "PolicyKGError", "InputError",
    "NotGenreError", "StoreError", "Issue"]


@dataclass(frozen=True)
class Issue:
    """One reported problem: code, file (if any) and a one-line message."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line:
            where += f":{self.line}"
        return f"{self.code} {where}: {self.message}" if where else f"{self.code} {self.message}"


class _Catalogue(str, Enum):
    def format(self, *, file: str | None = None, line: int | None = None, **kwargs: object) -> Issue:
        return Issue(self.name, self.value.format(**kwargs), file, line)


class Errors(_Catalogue):
    E101 = "the file is empty"
    E102 = "the file is binary, not text ({detail})"
    E103 = "the file is not valid {encoding} (invalid byte at offset {offset})"
    E104 = "not a policy document of the genre (plan, decision, directive, programme, regulation): {found}"
    E105 = "the file cannot be read: {detail}"
    E106 = "unsupported file type {suffix!r}; policykg reads {known}"
    E108 = "not a regular file ({kind}); policykg reads regular files only"
    E109 = "the file is too large ({size}); policykg reads files of up to {limit}"
    E110 = "the PDF cannot be read: {detail}"
    E111 = ("OCR needs Tesseract with its Vietnamese data: {detail}; install the Debian packages tesseract-ocr "
            "and tesseract-ocr-vie")
    E112 = ("a Word 97-2003 file (.doc) needs LibreOffice to be read: install the Debian package libreoffice-writer, "
            "or save it as .docx")
    E113 = "the table cannot be read: {detail}"
    E201 = "extraction failed: {detail}"
    E301 = "the store at {path} cannot be read: {detail}"
    E302 = "no store at {path}; run `policykg build` first"
    E303 = "the store at {path} is being written by another process (pid {pid}); try again or wait"
    E304 = ("the store at {path} is damaged ({detail}): `policykg store check` says what is damaged, "
            "`policykg store repair` goes back to the last complete snapshot")
    E305 = "the store at {path} cannot be written: {detail}"
    E401 = "the graph server cannot be reached: {detail}"
    E402 = "the graph server refused the credentials ({detail}); check NEO4J_USERNAME / NEO4J_PASSWORD"
    E403 = "the graph server failed: {detail}"
    E501 = "the output cannot be written: {detail}"
    E601 = "the query cannot be parsed: {detail}"
    E602 = "the query reaches outside the store ({what}): remote federation is refused{hint}"
    E603 = "the query names graphs outside the store ({what}): FROM and FROM NAMED are refused; queries run on the store's graph"
    E604 = "the file holds {kind}, not a SELECT query; policykg sparql runs SELECT queries only"
    E605 = "the params line is not valid: {detail} (expected name:type, ...; types: {types})"
    E606 = "no such query file"
    E607 = "the query file is a folder, not a file"
    E608 = "the query file is not valid UTF-8 (invalid byte at offset {offset})"
    E609 = "the query file cannot be read: {detail}"
    E610 = "the query failed: {detail}"


class Warnings(_Catalogue):
    W101 = "document number left blank ({text!r}); the number is reported as missing"
    W102 = "document date not found"
    W103 = "document date inferred from {source}: {date}"
    W104 = "issuer not stated in the heading; inferred from {source}"
    W105 = "province not found in the heading; inferred from {source}"
    W106 = "the document may be truncated: {detail}"
    W107 = "issuing decision cited with a blank number ({text!r})"
    W108 = "{count} control characters removed from the text (the first at line {first})"
    W109 = "the text was in {encoding} and was converted to Unicode"
    W110 = "pages {pages} have no text layer and could not be OCR'd: {detail}"
    W201 = "agency mention left unresolved: {text!r}"
    W202 = "the heading says {expected} tasks but {found} were found"
    W203 = "short document reference {text!r} matches no cited document"
    W204 = "{other} gives a document of the same identity ({document}): {outcome}"
    W205 = "the same bytes as {other}: its facts are counted once"
    W301 = "table row {number} (lines {lines}) could not be read fully: no {missing}"
    W303 = "table row {number} could not be found (its number is not legible): its text stays with the rows around it"
    W304 = "table row {number} (lines {lines}): its number is not legible; the row was placed where a title opens between its neighbours"


class PolicyKGError(Exception):
    """Base class of the errors policykg raises; carries an :class:`Issue`."""

    def __init__(self, issue: Issue):
        super().__init__(str(issue))
        self.issue = issue


class InputError(PolicyKGError):
    """A file cannot be read as a policy document."""


class NotGenreError(InputError):
    """A readable file that is not a document of the genre (a law, a news article, a price list): reported with
    what was found, and skipped."""


class StoreError(PolicyKGError):
    """A store cannot be read or written."""
