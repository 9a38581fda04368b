"""The agencies a table names surely, and a loose matcher over them for its cells that OCR garbled.

A plan's task table names the same few agencies row after row, and OCR garbles each occurrence its
own way ("S& Khoa hoc" / "S‘o KAhoa hQCA" / "S“’é?hoa h‘-fl‘i"). A reader who cannot match a cell to
the whole gazetteer still reads it as the one name of the table it comes closest to: against a dozen
names, a garbled cell is far nearer one than any other. :class:`TableNames` holds the names a table's
rows read surely (by their gazetteer forms) and matches a text to the nearest of them, when it is near
enough and nearer than the next by a margin; the confidence stays low, the fact is for review.

>>> from policykg.records import AgencyMention
>>> def sure(key, name):
...     return AgencyMention(name, key, name, False, 1.0)
>>> names = TableNames.of([sure("so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ"),
...                        sure("so-noi-vu", "Sở Nội vụ"), sure("so-tai-chinh", "Sở Tài chính")], times=1)
>>> names.match("S‘o KAhoa hQCA va Cong nghé").key, names.match("SON()IVU").key
('so-khoa-hoc-va-cong-nghe', 'so-noi-vu')
>>> names.match("Thuong xuyén"), names.match("Chinh sach")  # nearest "Sở Tài chính", but not near enough
(None, None)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract

from ..records import AgencyMention
from .nlp import gazetteer_entries
from ..text import collapse_spaces, squeeze

__all__ = ["TableNames"]

SURE = 0.9  # a name read at least this surely joins its table's names
MIN_RATIO = 60  # a text this near a table's name (rapidfuzz ratio of their letters) may be read as it...
MARGIN = 12  # ...when no other name of the table comes within this
CAP = 0.7  # the confidence at most of a name read so


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, ...]]:
    """Each agency's written forms (name and aliases), letters only."""
    out: dict[str, set[str]] = {}
    for entry in gazetteer_entries():
        if entry.written:
            out.setdefault(entry.key, set()).add(squeeze(entry.form))
    return {key: tuple(sorted(forms)) for key, forms in out.items()}


@dataclass(frozen=True, eq=False)
class TableNames:
    """A table's surely read agencies, each by its written forms (letters only)."""

    mentions: tuple[AgencyMention, ...]  # one per agency
    forms: tuple[str, ...]
    owners: tuple[int, ...]  # per form, its agency in ``mentions``

    @classmethod
    def of(cls, names: Iterable[AgencyMention], times: int = 2) -> TableNames:
        """The table's names: those read at least :data:`SURE` at least ``times`` (a misreading seldom repeats)."""
        mentions: dict[str, AgencyMention] = {}
        seen: Counter[str] = Counter()
        for m in names:
            if m.key and m.confidence >= SURE:
                seen[m.key] += 1
                if seen[m.key] >= times:
                    mentions.setdefault(m.key, m)
        forms, owners = [], []
        for k, m in enumerate(mentions.values()):
            for form in _forms().get(m.key, (squeeze(m.name),)):
                forms.append(form)
                owners.append(k)
        return cls(tuple(mentions.values()), tuple(forms), tuple(owners))

    def __len__(self) -> int:
        return len(self.mentions)

    def match(self, text: str) -> AgencyMention | None:
        """The table's name ``text`` is nearest, when :data:`MIN_RATIO` near and :data:`MARGIN` nearer than any
        other; its confidence is how near, at most :data:`CAP`."""
        letters = squeeze(text)
        if len(letters) < 4 or not self.forms:
            return None
        best: dict[int, float] = {}  # a name further than the margin below the least that counts cannot matter
        for _, score, k in extract(letters, self.forms, scorer=ratio, limit=None, score_cutoff=MIN_RATIO - MARGIN):
            owner = self.owners[k]
            best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked:
            return None
        top, score = ranked[0]
        if score < MIN_RATIO or len(ranked) > 1 and score - ranked[1][1] < MARGIN:
            return None
        m = self.mentions[top]
        return AgencyMention(collapse_spaces(text), m.key, m.name, m.collective,
                             round(min(CAP, score / 100), 3))

    def nearness(self, text: str, key: str | None) -> float:
        """How near ``text`` comes to the table's name ``key`` (rapidfuzz ratio of their letters; 0 for a name the
        table does not hold)."""
        letters = squeeze(text)
        return max((ratio(letters, form) for form, k in zip(self.forms, self.owners) if self.mentions[k].key == key),
                   default=0.0)

    @cached_property
    def keys(self) -> frozenset[str]:  # asked on every text a row's reading matches
        return frozenset(m.key for m in self.mentions if m.key)

    def within(self, general: Callable[[str], AgencyMention | None]) -> Callable[[str], AgencyMention | None]:
        """A matcher that reads a text as ``general`` does where that finds one of the table's names, else as the
        table's nearest name (:meth:`match`), else as ``general`` does."""
        return _Within(self, general)


@dataclass(frozen=True, eq=False)
class _Within:
    names: TableNames
    general: Callable[[str], AgencyMention | None]

    def __call__(self, text: str) -> AgencyMention | None:
        hit = self.general(text)
        if hit is not None and hit.key in self.names.keys:
            return hit
        return self.names.match(text) or hit
