"""The cells of an OCR'd table row read jointly over the row's lines, by what the agency cells name.

OCR prints a row's cells side by side on each line, and a name wraps inside its narrow cell
("S& Khoa hoc" / "va Cong nghé"; "Van phong UBND" / "tinh; Cac So, ban," / "nganh; UBND cép" / "xa").
Cutting each line alone by position often puts a word in the neighbouring cell, and the names
break. Here every line's cuts between the columns may move a few words from where the cut by
position put them; a beam search over the row's lines keeps the cuts under which the agency
cells, each joined over the lines, read best as a list of known names (:func:`parse_names`),
less what moving words away from their columns costs. The lead cell's names are the row's lead,
the support cell's its supporters; a name still open at the end of a line is not yet penalised,
since the next line may finish it.

>>> from policykg.records import AgencyMention
>>> names = {"so khoa hoc va cong nghe": "so-khoa-hoc-va-cong-nghe", "ubnd cap xa": "ubnd-cap-xa"}
>>> def match(text):
...     key = names.get(text.lower().strip(" ,;"))
...     return AgencyMention(text, key, text, False, 0.9) if key else None
>>> line1 = [Word("Xay", (0, 2, 2)), Word("dung", (0, 2, 2)), Word("So", (2, 0, 1)), Word("Khoa", (2, 0, 1)),
...          Word("hoc", (2, 0.5, 0)), Word("UBND", (2, 1, 0))]
>>> line2 = [Word("va", (1, 0, 1)), Word("Cong", (1, 0, 1)), Word("nghe", (1, 0, 1)), Word("cap", (2, 1, 0)),
...          Word("xa", (2, 1, 0))]
>>> reading = read_row_cells([line1, line2], [(2, 5), (0, 3)], [False, True, True], match)
>>> [m.key for m in reading.agencies[1]], [m.key for m in reading.agencies[2]]
(['so-khoa-hoc-va-cong-nghe'], ['ubnd-cap-xa'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from rapidfuzz.fuzz import ratio

from ..records import AgencyMention
from ..text import squeeze

__all__ = ["Alternative", "Reading", "Word", "parse_names", "read_row_cells"]

Matcher = Callable[[str], "AgencyMention | None"]
Opener = Callable[[str], float]  # how well words begin an agency's name, 0 to 1
_Step = tuple[int, "AgencyMention | None"]  # where a reading's last piece starts, and the name it is (if any)
_Choice = tuple[int, tuple[int, ...]]  # a reading of a line (0: its own) and its cuts

MAX_NAME = 9  # words of the longest agency name
_JUNK = 1.0  # a word of an agency cell that is part of no name
_EXTRA_LEAD = 4.0  # each name of a lead cell after its first (cells led jointly exist, but are rare)
_NO_LEAD = 1.5  # a lead cell that names no one (a task table's rows each have a lead)
_LISTED_LEAD = 1.0  # a ";" in the lead cell (it separates the names of a list: most often the support cell's)
_COLLECTIVE_LEAD = 2.0  # a collective in the lead cell ("Các sở, ban, ngành" most often fills the support cell)
_MIN_CONFIDENCE = 0.6
_PIPE = 2.0  # a "|" the OCR kept between two words given to one cell
_MIN_BEGUN = 0.75  # words that begin a name at least this well are worth as a name begun...
_BEGUN = 0.7  # ...at this share of a whole name's worth
_RULE = 3.0  # a cut made elsewhere than at the "|" the OCR kept where the table rules that cut


@dataclass(frozen=True)
class Word:
    """A word of a line and what it costs, by position, in each of the row's cells (left to right)."""

    text: str
    costs: tuple[float, ...]
    pipe_before: bool = False
    opens: bool = False  # a name starts here (a cut may fall before it, however far from where position put it)
    rule: int | None = None  # the "|" before the word stands where this cut (between two cells) is ruled


@dataclass(frozen=True)
class Alternative:
    """Another reading of a line: its words with their costs by position placed otherwise (a line whose
    leading spaces the OCR lost, read as starting further right), their cuts, and what taking it costs."""

    words: list[Word]
    cuts: tuple[int, ...]
    cost: float
    slack: int = 1  # how far (in words) a cut may move from where position put it


@dataclass
class Reading:
    """The row's cells: per cell, its words line by line, and the agencies the agency cells name."""

    cells: list[list[str]]  # per cell, one piece of text per line ("" where the line has none)
    agencies: list[list[AgencyMention]]  # per cell (empty for cells that are not agency cells)
    score: float
    variants: list[int] = field(default_factory=list)  # per line, the reading it took (0: its own)


@lru_cache(maxsize=65536)
def _letters(word: str) -> int:
    return sum(c.isalpha() for c in word)


def _name_value(words: Sequence[str], hit: AgencyMention) -> float:
    return len(words) * (2 * hit.confidence - 0.8)


def parse_names(words: tuple[str, ...], match: Matcher, open_end: bool = False,
                lead: bool = False, opens: Opener | None = None) -> tuple[float, list[AgencyMention]]:
    """The best reading of a cell's words as a list of names: each name scores by its words and how well it
    matches; each word left out of every name costs :data:`_JUNK` (nothing for the trailing words when
    ``open_end``: the next line may complete them; with ``opens``, how well they begin a name, 0 to 1, scores
    them as a name begun, or as words of no name). A name never spans a ``;``.

    >>> from policykg.records import AgencyMention
    >>> match = lambda t: AgencyMention(t, "ubnd-cap-xa", t, True, 0.9) if t.lower() == "ubnd cap xa" else None
    >>> score, names = parse_names(("UBND", "cap", "xa;", "va"), match)
    >>> round(score, 3), [n.key for n in names]
    (2.0, ['ubnd-cap-xa'])
    >>> round(parse_names(("UBND", "cap"), match, open_end=True)[0], 3)
    0.0
    """
    return _parse(words, match, open_end, lead, opens)


@lru_cache(maxsize=200_000)
def _prefix_names(words: tuple[str, ...], match: Matcher) -> tuple[tuple[float, ...], tuple[_Step, ...]]:
    """The dynamic programme of :func:`parse_names` over ``words``: per prefix, its best score and the last step
    of that reading (where it starts, and the name it is, if any). A row's cells grow a line at a time, so each
    extends the programme of the cell before it."""
    if not words:
        return (0.0,), ((0, None),)
    best, back = _prefix_names(words[:-1], match)
    i = len(words)
    score, step = best[i - 1] - _junk(words[i - 1]), (i - 1, None)
    first = max(0, i - MAX_NAME)
    for j in range(i - 2, first - 1, -1):  # a name never spans a ";"
        if words[j].endswith(";"):
            first = j + 1
            break
    for j in range(first, i):
        if _letters(words[j]) == 0:
            continue
        hit = _match(" ".join(words[j:i]).strip(" ,;.:"), match)
        if hit is None:
            continue
        value = best[j] + _name_value(words[j:i], hit)
        if value > score:
            score, step = value, (j, hit)
    return best + (score,), back + (step,)


@lru_cache(maxsize=65536)
def _junk(word: str) -> float:
    """What a word left out of every name costs: :data:`_JUNK`, or little for a mark or a letter alone."""
    return _JUNK if _letters(word) >= 2 else 0.2


@lru_cache(maxsize=200_000)
def _parse(words: tuple[str, ...], match: Matcher, open_end: bool, lead: bool,
           opens: Opener | None = None) -> tuple[float, list[AgencyMention]]:
    n = len(words)
    best, back = _prefix_names(words, match)

    def tail(k: int) -> float:
        """What the words after ``k`` are worth at the end of a line whose cell goes on below."""
        if k == n or opens is None:
            return 0.0
        begun = opens(" ".join(words[k:n]))
        if begun >= _MIN_BEGUN:
            return (n - k) * (2 * begun - 0.8) * _BEGUN
        return -sum(_junk(w) for w in words[k:n])

    end = max(range(max(0, n - 4), n + 1), key=lambda k: best[k] + tail(k)) if open_end else n
    names: list[AgencyMention] = []
    k = end
    while k > 0:
        j, hit = back[k]
        if hit is not None:
            names.insert(0, hit)
        k = j
    score = best[end] + (tail(end) if open_end else 0.0)
    if lead and names:
        score -= _EXTRA_LEAD * (len(names) - 1) + _COLLECTIVE_LEAD * sum(m.collective for m in names)
        score -= _LISTED_LEAD * sum(w.endswith(";") for w in words[:end])
    elif lead and not open_end:
        score -= _NO_LEAD
    return score, names


@lru_cache(maxsize=100_000)
def _match(text: str, match: Matcher) -> AgencyMention | None:
    if len(re.sub(r"[^\w]", "", text)) < 4:
        return None
    hit = match(text)
    if hit is None:
        return None
    # the matcher may find a name inside a longer text: score the whole text against the name it found
    confidence = min(hit.confidence, ratio(squeeze(text), squeeze(hit.name)) / 100)
    if confidence < _MIN_CONFIDENCE:
        return None
    return AgencyMention(hit.text, hit.key, hit.name, hit.collective, round(confidence, 3), hit.line)


def _cut_options(words: list[Word], cuts: tuple[int, ...], slack: int, agency: list[bool]) -> list[tuple[int, ...]]:
    """Every monotone set of cuts (between ``len(cuts) + 1`` cells), each within ``slack`` words of where
    position put it, or before a word that opens a name or that a "|" the OCR kept precedes; a cut between two
    agency cells anywhere (OCR packs two narrow cells of names into a few words, where position says little)."""
    n = len(words)
    opens = [k for k, w in enumerate(words) if w.opens or w.pipe_before or k and words[k - 1].text.endswith(";")]
    ranges = [list(range(n + 1)) if agency[c] and agency[c + 1] else
              sorted(set(range(max(0, cut - slack), min(n, cut + slack) + 1)) | set(opens))
              for c, cut in enumerate(cuts)]
    return [option for option in product(*ranges) if all(a <= b for a, b in zip(option, option[1:]))]


class _LineCosts:
    """What giving a line's words to each cell costs by position (prefix sums: a cell's words cost in O(1))."""

    def __init__(self, words: list[Word], cells: int) -> None:
        self.texts = tuple(w.text for w in words)
        self.sums = [[0.0] for _ in range(cells)]
        for w in words:
            for c in range(cells):
                self.sums[c].append(self.sums[c][-1] + w.costs[c])
        self.pipes = [0]  # "|" kept before each word, counted
        for w in words:
            self.pipes.append(self.pipes[-1] + w.pipe_before)
        self.rules = {w.rule: k for k, w in enumerate(words) if w.rule is not None}  # cut -> the word it ruled

    def cost(self, edges: tuple[int, ...]) -> float:
        total = 0.0
        for c in range(len(edges) - 1):
            a, b = edges[c], edges[c + 1]
            total += self.sums[c][b] - self.sums[c][a]
            if b > a + 1:  # a "|" between two words of one cell
                total += _PIPE * (self.pipes[b] - self.pipes[a + 1])
        for cut, word in self.rules.items():
            if cut < len(edges) - 2 and edges[cut + 1] != word:
                total += _RULE
        return total


@dataclass(frozen=True)
class _State:
    cells: tuple[int, ...]  # the words of each agency cell so far (numbers of :class:`_Cells`)
    pieces: tuple[_Choice, ...]  # the reading and the cuts chosen on each line
    cost: float  # of the words' positions


class _Cells:
    """The word sequences of a row's agency cells as the beam grows them a line at a time, each held once under
    a number, with what it is worth as names: states compare and sum small numbers, and a cell's words are
    joined, hashed and parsed once however many states share it."""

    def __init__(self, match: Matcher, opens: Opener | None) -> None:
        self.words: list[tuple[str, ...]] = [()]
        self._number: dict[tuple[str, ...], int] = {(): 0}
        self._grown: dict[tuple[int, tuple[int, int, int]], int] = {}  # (cell, (line, cell, piece)) -> cell
        self._worth: dict[tuple[int, bool, bool], float] = {}
        self.match, self.opens = match, opens

    def grow(self, cell: int, piece: tuple[int, int, int], words: tuple[str, ...]) -> int:
        """The cell ``cell`` followed by ``words``: ``piece`` says which (its line, its cell, its number there)."""
        key = (cell, piece)
        if (found := self._grown.get(key)) is None:
            joined = self.words[cell] + words
            if (found := self._number.get(joined)) is None:
                found = self._number[joined] = len(self.words)
                self.words.append(joined)
            self._grown[key] = found
        return found

    def worth(self, cell: int, lead: bool, open_end: bool) -> float:
        """What the cell's words are worth as names (:func:`parse_names`)."""
        key = (cell, lead, open_end)
        if (found := self._worth.get(key)) is None:
            found = self._worth[key] = _parse(self.words[cell], self.match, open_end, lead, self.opens)[0]
        return found

    def value(self, state: _State, open_end: bool) -> float:
        """What the state's agency cells are worth as names (the first is the lead's), less what it costs."""
        return sum(self.worth(cell, c == 0, open_end) for c, cell in enumerate(state.cells)) - state.cost


def _line_options(readings: list[Alternative], agency: list[bool]) -> dict[tuple, tuple[_Choice, float]]:
    """Every cut of every reading of a line, by the words it gives the agency cells: the cheapest (the other
    cells' words are not read as names, so only their cost tells two cuts apart)."""
    options: dict[tuple, tuple[_Choice, float]] = {}
    for variant, reading in enumerate(readings):
        costs = _LineCosts(reading.words, len(agency))
        for option in _cut_options(reading.words, reading.cuts, reading.slack, agency):
            edges = (0, *option, len(reading.words))
            pieces = tuple(costs.texts[edges[c]:edges[c + 1]] for c in range(len(agency)) if agency[c])
            cost = reading.cost + costs.cost(edges)
            if pieces not in options or options[pieces][1] > cost:
                options[pieces] = ((variant, option), cost)
    return options


def read_row_cells(lines: list[list[Word]], cuts: list[tuple[int, ...]], agency: list[bool], match: Matcher,
                   opens: Opener | None = None, beam: int = 12, slack: int = 2,
                   others: list[list[Alternative]] | None = None) -> Reading:
    """Read a row's cells: ``lines`` of words, the cuts between its cells by position on each line (as
    many cuts as cells less one), which cells name agencies (the first of them leads). ``others`` gives,
    per line, other readings of it (its words placed otherwise, their cuts, what taking that reading costs);
    :attr:`Reading.variants` says which each line took (0: its own; k: the k-th of ``others``)."""
    names = sum(agency)
    held = _Cells(match, opens)
    states = [_State((0,) * names, (), 0.0)]
    for k, (words, line_cuts) in enumerate(zip(lines, cuts)):
        last = k == len(lines) - 1
        options = _line_options([Alternative(words, line_cuts, 0.0, slack), *(others[k] if others else ())], agency)
        distinct: list[dict[tuple[str, ...], int]] = [{} for _ in range(names)]  # each cell's pieces, numbered
        keyed = [(tuple(distinct[c].setdefault(pieces[c], len(distinct[c])) for c in range(names)), pieces, choice, cost)
                 for pieces, (choice, cost) in options.items()]
        grown: dict[tuple[int, ...], _State] = {}
        for state in states:
            for numbers, pieces, choice, cost in keyed:
                cells = tuple(held.grow(state.cells[c], (k, c, numbers[c]), pieces[c]) for c in range(names))
                if cells not in grown or grown[cells].cost > state.cost + cost:
                    grown[cells] = _State(cells, state.pieces + (choice,), state.cost + cost)
        ranked = sorted(grown.values(), key=lambda s: -held.value(s, not last))
        states = ranked[:beam] or states
    best = states[0]
    cells: list[list[str]] = [[] for _ in agency]
    for k, (variant, option) in enumerate(best.pieces):
        words = lines[k] if variant == 0 else others[k][variant - 1].words  # type: ignore[index]
        edges = (0, *option, len(words))
        for c in range(len(agency)):
            cells[c].append(" ".join(w.text for w in words[edges[c]:edges[c + 1]]))
    named = iter(_parse(held.words[cell], match, False, c == 0)[1] for c, cell in enumerate(best.cells))
    agencies = [next(named) if is_agency else [] for is_agency in agency]
    return Reading(cells, agencies, held.value(best, open_end=False), [v for v, _ in best.pieces])
