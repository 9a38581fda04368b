"""Documents: one node per document, however and wherever it is cited.

A provincial document's number only identifies it inside its province and year, so
its ID carries both; a citation without a year joins the dated citation of the same
number in the same jurisdiction; a short citation ("Nghị quyết 57") joins the full
number it abbreviates; a loaded document and its citations elsewhere are one node.

>>> from policykg.records import Citation, Provenance
>>> p = Provenance("a.txt", 1, 1, "reference")
>>> index = DocumentIndex()
>>> full = Citation("c0", "d0", "IMPLEMENTS", "Nghị quyết", "57-NQ/TW", p, number="57-NQ/TW", year=2024, level="national")
>>> bare = Citation("c1", "d0", "CITES", "Nghị quyết", "57-NQ/TW", p, number="57-NQ/TW", level="national")
>>> short = Citation("c2", "d0", "CITES", "Nghị quyết", "Nghị quyết 57", p, number="57", short=True)
>>> for c in (full, bare, short): index.add_citation(c, "yen-bai")
>>> index.finish()
>>> {index.citation_node(c) for c in (full, bare, short)}
{'doc:vn:57-nq-tw:2024'}
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..ids import NATIONAL, document_id, law_id
from ..records import Citation
from ..text import fold

__all__ = ["DocumentIndex", "CitedDocument"]


@dataclass
class CitedDocument:
    """What the citations of one document say about it."""

    id: str
    kind: str
    jurisdiction: str
    number: str | None = None
    name: str | None = None
    years: Counter = field(default_factory=Counter)
    dates: Counter = field(default_factory=Counter)
    issuers: Counter = field(default_factory=Counter)
    texts: list[str] = field(default_factory=list)


def _base(citation: Citation, jurisdiction: str | None) -> tuple[str, str]:
    scope = NATIONAL if citation.level == "national" else (jurisdiction or NATIONAL)
    if citation.number:
        return scope, fold(citation.number).replace(" ", "")
    return NATIONAL, "luat:" + fold(citation.name or citation.text)


class DocumentIndex:
    """Collects citations, then gives each one its document node ID."""

    def __init__(self) -> None:
        self._citations: list[tuple[Citation, str | None]] = []
        self._years: dict[tuple[str, str], set[int]] = defaultdict(set)
        self._ids: dict[int, str | None] = {}
        self.documents: dict[str, CitedDocument] = {}
        self.unmatched: list[Citation] = []

    def add_citation(self, citation: Citation, jurisdiction: str | None) -> None:
        """Register a citation made by a document of ``jurisdiction``."""
        self._citations.append((citation, jurisdiction))
        if not citation.short and citation.year:
            self._years[_base(citation, jurisdiction)].add(citation.year)

    def add_loaded(self, doc_id: str, number: str | None, jurisdiction: str | None, year: int | None) -> None:
        """A loaded document's number, so that citations of it reach its node."""
        if number and year:
            self._years[(jurisdiction or NATIONAL, fold(number).replace(" ", ""))].add(year)

    def _full_id(self, citation: Citation, jurisdiction: str | None) -> str:
        scope, base = _base(citation, jurisdiction)
        year = citation.year
        if year is None and len(self._years.get((scope, base), ())) == 1:
            year = next(iter(self._years[(scope, base)]))
        if citation.number:
            return document_id(None if scope == NATIONAL else scope, citation.number, year)
        return law_id(citation.name or citation.text, year)

    def finish(self) -> None:
        """Assign IDs: full citations first, then short ones against them."""
        by_short: dict[tuple[str, str], set[str]] = defaultdict(set)
        for citation, jurisdiction in self._citations:
            if citation.short:
                continue
            node = self._full_id(citation, jurisdiction)
            self._ids[id(citation)] = node
            self._note(node, citation, jurisdiction)
            if citation.number and (m := re.match(r"\d+", citation.number)):
                by_short[(fold(citation.kind).split()[0] + fold(citation.kind).split()[-1], m.group(0))].add(node)
        for citation, jurisdiction in self._citations:
            if not citation.short:
                continue
            kind = fold(citation.kind)
            candidates = by_short.get((kind.split()[0] + kind.split()[-1], citation.number or ""), set())
            if len(candidates) == 1:
                node = next(iter(candidates))
                self._ids[id(citation)] = node
                self._note(node, citation, jurisdiction)
            else:
                self._ids[id(citation)] = None
                self.unmatched.append(citation)

    def _note(self, node: str, citation: Citation, jurisdiction: str | None) -> None:
        scope = NATIONAL if citation.level == "national" else (jurisdiction or NATIONAL)
        doc = self.documents.setdefault(node, CitedDocument(node, citation.kind, scope))
        if citation.short:
            return
        doc.number = doc.number or citation.number
        doc.name = doc.name or citation.name
        if len(citation.kind) > len(doc.kind) and fold(doc.kind) in fold(citation.kind):
            doc.kind = citation.kind
        if citation.year:
            doc.years[citation.year] += 1
        if citation.date:
            doc.dates[citation.date] += 1
        if citation.issuer:
            doc.issuers[citation.issuer] += 2 if citation.issuer_explicit else 1
        doc.texts.append(citation.text)

    def citation_node(self, citation: Citation) -> str | None:
        """The node ID of a registered citation (None for a short citation that matches nothing)."""
        return self._ids.get(id(citation))
