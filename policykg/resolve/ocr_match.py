"""OCR'd agency names matched against the gazetteer with a confusion model learned from data.

Tesseract loses or garbles the diacritics of Vietnamese ("S& Khoa hoc va Cong nghé", "36 Noi vu",
"Bénhviénda khoa"). ``ontology/ocr_confusions.yaml`` holds how often OCR writes each character (or
pair of characters) for each character of a gazetteer name, estimated by
``scripts/learn_ocr_confusions.py`` from the OCR'd corpus: every fragment of it that matches a
gazetteer name closely is aligned with that name (rapidfuzz Levenshtein opcodes) and the edits are
counted, then smoothed (add-k, with more prior mass for a letter read with other diacritics).

An edit costs ``-log P(ocr | true) + log P(true | true)``; the distance between an OCR'd string and
a name is the cheapest sequence of edits (a dynamic programme that also takes the learned
two-character edits, "rn" for "m"). :func:`match_ocr_agency` pre-filters the gazetteer's written
names with rapidfuzz, ranks them by that distance and turns the distance per character of the name
into a calibrated confidence (a logistic fitted on held-out pairs, stored in the model file).

An OCR'd table is read by trying every few words of its cells, most of them no name, so the matcher
is quick: a string no name comes near (rapidfuzz) is rejected before any weighted distance, only the
five nearest names are weighed, the programme gives up on a name that can no longer score as well as
the best so far, and its costs are read from lists made once per OCR'd string and per name.

>>> entry, score = match_ocr_agency("S& Khoa hoc va Cong nghé")
>>> entry.key, score >= 0.9
('so-khoa-hoc-va-cong-nghe', True)
>>> match_ocr_agency("36 Noi vu")[0].key, match_ocr_agency("Bénhviénda khoa")[0].key
('so-noi-vu', 'benh-vien-da-khoa-tinh')
>>> match_ocr_agency("Báo cáo kết quả") is None
True
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..ontology import DATA_DIR, load_yaml
from ..text import collapse_spaces, fold, repair
from .gazetteer import GazetteerEntry, gazetteer

__all__ = [
    "MODEL_PATH",
    "Candidate",
    "ConfusionModel",
    "candidates",
    "normalize_ocr",
    "alignment_units",
    "load_model",
    "match_ocr_agency",
    "rank_ocr_agency",
]

MODEL_PATH = DATA_DIR / "ocr_confusions.yaml"
EPS = ""  # the empty side of an insertion or a deletion
MAX_BLOCK = 2  # the longest side of a multi-character edit
_PREFILTER = 25  # names kept by the rapidfuzz pre-filter before the weighted distance
_SHORTLIST = 5  # the same for match_ocr_agency (over 50 000 windows of an OCR'd plan, the best came 3rd at worst)
MIN_SCORE = 0.5  # below this confidence there is no match
MIN_RATIO = 60.0  # match_ocr_agency: a string no name comes this close to (fuzz.ratio, folded) is no name
_CACHE = 1 << 16  # answers of match_ocr_agency kept


@dataclass(frozen=True)
class Candidate:
    """A written gazetteer name, in lower case with its diacritics (``accented``) and folded."""

    entry: GazetteerEntry
    accented: str
    folded: str
    era: str


def normalize_ocr(text: str) -> str:
    """An OCR'd string for alignment: NFC, lower case, a name wrapped over two lines joined
    ("Khoa hoc va Cong ng-\\nhé" → "khoa hoc va cong nghé"), spaces collapsed, ends stripped of punctuation.

    >>> normalize_ocr("S&  Khoa hoc va\\nCong ng-\\nhé,")
    's& khoa hoc va cong nghé'
    """
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return collapse_spaces(text.lower()).strip(" ,;:.()-–")


def _accented_variants(form: str, strip_province_word: bool) -> set[str]:
    """The gazetteer's variants of a written form (no " - " joints, no commas, no trailing "tỉnh"), accented."""
    low = collapse_spaces(repair(form).lower())
    variants = {low, low.replace(" - ", " "), low.replace(" - ", ", ")}
    variants |= {collapse_spaces(v.replace(",", " ")) for v in variants}
    if strip_province_word:
        variants |= {v[: -len(" tỉnh")] for v in variants if v.endswith(" tỉnh") and len(v.split()) > 2}
    return variants


def _fuzzy_form(entry: GazetteerEntry) -> bool:
    """A written name of 6 letters or more with a lower-case word: abbreviations alone ("CDC tỉnh") are left out."""
    if not entry.written or len(entry.folded) < 6:
        return False
    return any(any(c.islower() for c in w) for w in entry.form.split() if fold(w) != "tinh")


@cache
def candidates() -> tuple[Candidate, ...]:
    """The written names of the gazetteer the OCR matcher compares with (one per key and folded form)."""
    g = gazetteer()
    out: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    by_form: dict[tuple[str, str], set[str]] = {}
    for entry in g.entries:
        if _fuzzy_form(entry):
            by_form.setdefault((entry.key, entry.form), set()).add(entry.folded)
    for entry in g.entries:
        folded_forms = by_form.get((entry.key, entry.form))
        if not folded_forms or (entry.key, entry.form) in seen:
            continue
        seen.add((entry.key, entry.form))
        agency = g.agency(entry.key)
        for accented in sorted(_accented_variants(entry.form, not agency.collective)):
            folded = fold(accented)
            if folded in folded_forms:
                out.append(Candidate(entry, accented, folded, agency.era))
                folded_forms.discard(folded)
    return tuple(out)


def alignment_units(ocr: str, true: str) -> list[tuple[str, str]]:
    """The edits that turn a gazetteer name (``true``) into its OCR'd form, as (true, ocr) units:
    identities one character each, a run of differences of at most two characters a side as one
    unit ("m" → "rn"), longer runs character by character (Levenshtein opcodes).

    >>> alignment_units("s& y té", "sở y tế")
    [('s', 's'), ('ở', '&'), (' ', ' '), ('y', 'y'), (' ', ' '), ('t', 't'), ('ế', 'é')]
    >>> alignment_units("ban", "bản")[1], alignment_units("rn", "m")
    (('ả', 'a'), [('m', 'rn')])
    """
    out: list[tuple[str, str]] = []
    ops = Levenshtein.opcodes(true, ocr)
    run: list = []

    def flush() -> None:
        if not run:
            return
        t = "".join(true[op.src_start:op.src_end] for op in run)
        o = "".join(ocr[op.dest_start:op.dest_end] for op in run)
        if len(t) <= MAX_BLOCK and len(o) <= MAX_BLOCK:
            out.append((t, o))
        else:
            for op in run:
                ts, os_ = true[op.src_start:op.src_end], ocr[op.dest_start:op.dest_end]
                if op.tag == "replace":
                    out.extend(zip(ts, os_))
                elif op.tag == "delete":
                    out.extend((c, EPS) for c in ts)
                else:
                    out.extend((EPS, c) for c in os_)
        run.clear()

    for op in ops:
        if op.tag == "equal":
            flush()
            out.extend((c, c) for c in true[op.src_start:op.src_end])
        else:
            run.append(op)
    flush()
    return out


def _same_base(a: str, b: str) -> bool:
    return len(a) == len(b) == 1 and fold(a) == fold(b) and a.isalpha() and b.isalpha()


class ConfusionModel:
    """P(OCR unit | true unit) from aligned pairs, smoothed, as edit costs.

    ``P(o | t) = (c(t, o) + k·prior(t, o)) / (N(t) + k·V)``: ``N(t)`` how often the true unit was
    aligned (for the empty unit: the gaps of the names, where OCR may insert), ``V`` the OCR
    alphabet (+1 for a deletion), ``prior`` 1, or ``same_base`` for a letter read with other
    diacritics ("ọ" → "o"). Costs are relative to a correct reading: ``cost(t, t) = 0``.
    """

    def __init__(self, counts: dict[tuple[str, str], int], totals: dict[str, int], k: float = 0.5,
                 same_base: float = 20.0, calibration: dict | None = None, meta: dict | None = None) -> None:
        self.counts = dict(counts)
        self.totals = dict(totals)
        self.k = k
        self.same_base = same_base
        self.calibration = calibration or {"a": 6.0, "b": -40.0}
        self.meta = meta or {}
        alphabet = {o for (_, o) in self.counts if len(o) == 1} | {t for (t, _) in self.counts if len(t) == 1}
        self.vocab = max(len(alphabet) + 1, 2)
        self._cache: dict[tuple[str, str], float] = {}
        self.blocks = {(t, o) for (t, o) in self.counts
                       if (len(t) > 1 or len(o) > 1) and t != o}
        self.blocks_by_true: dict[str, list[str]] = {}
        for t, o in self.blocks:
            self.blocks_by_true.setdefault(t, []).append(o)
        self.block_units = {o for outs in self.blocks_by_true.values() for o in outs}
        self._names: dict[str, _Name] = {}
        self._cost_rows: dict[str, _Costs] = {}

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]], **kwargs) -> ConfusionModel:
        """Count the edits of (OCR'd, true) pairs, both normalised (:func:`normalize_ocr`)."""
        counts: Counter = Counter()
        totals: Counter = Counter()
        for ocr, true in pairs:
            for t, o in alignment_units(ocr, true):
                counts[(t, o)] += 1
            totals.update(true)
            totals.update(true[i:i + 2] for i in range(len(true) - 1))
            totals[EPS] += len(true) + 1
        counts[(EPS, EPS)] = totals[EPS] - sum(c for (t, _), c in counts.items() if t == EPS)
        return cls(counts, totals, **kwargs)

    def _log_p(self, t: str, o: str) -> float:
        prior = self.same_base if _same_base(t, o) else 1.0
        n = self.totals.get(t, 0)
        return math.log((self.counts.get((t, o), 0) + self.k * prior) / (n + self.k * self.vocab))

    def cost(self, t: str, o: str) -> float:
        """``-log P(o | t) + log P(t | t)`` (never below 0): what reading ``t`` as ``o`` costs.

        >>> m = load_model()
        >>> m.cost("a", "a"), m.cost("ọ", "o") < m.cost("o", "x")
        (0.0, True)
        """
        if t == o:
            return 0.0
        hit = self._cache.get((t, o))
        if hit is None:
            base = sum(self._log_p(c, c) for c in t) if t else self._log_p(EPS, EPS)
            hit = self._cache[(t, o)] = max(0.0, base - self._log_p(t, o))
        return hit

    def distance(self, ocr: str, true: str, cutoff: float = math.inf) -> float:
        """The cheapest edits from ``true`` to ``ocr`` (both normalised); ``inf`` beyond ``cutoff``
        (as soon as a row of the dynamic programme, a prefix of ``true``, costs more than ``cutoff``).

        >>> m = load_model()
        >>> m.distance("so y te", "sở y tế") < m.distance("so y te", "bộ y tế")
        True
        """
        return _Query(self, ocr).distance(true, cutoff)

    def _name(self, true: str) -> _Name:
        """``true`` prepared for the distances to many OCR'd strings (kept)."""
        name = self._names.get(true)
        if name is None:
            name = self._names[true] = _Name(self, true)
        return name

    def _costs(self, t: str) -> _Costs:
        """The costs of reading the true unit ``t`` as each OCR unit (kept, filled on use)."""
        costs = self._cost_rows.get(t)
        if costs is None:
            costs = self._cost_rows[t] = _Costs(self, t)
        return costs

    def score(self, distance: float, length: int) -> float:
        """The calibrated confidence of a match at ``distance`` from a name of ``length`` characters.

        >>> m = load_model()
        >>> m.score(0.0, 20) > m.score(5.0, 20) > m.score(20.0, 20)
        True
        """
        x = distance / max(length, 1)
        z = self.calibration["a"] + self.calibration["b"] * x
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def distance_bound(self, score: float, length: int) -> float:
        """A distance beyond which a name of ``length`` characters scores below ``score`` (slightly more
        than the exact bound, against rounding).

        >>> m = load_model()
        >>> m.score(m.distance_bound(0.9, 20), 20) <= 0.9 < m.score(m.distance_bound(0.9, 20) - 0.01, 20)
        True
        """
        a, b = self.calibration["a"], self.calibration["b"]
        if b >= 0:
            return math.inf
        score = min(max(score, 1e-12), 1.0 - 1e-12)
        x = (math.log(score / (1.0 - score)) - a) / b
        return max(x, 0.0) * max(length, 1) * (1.0 + 1e-9) + 1e-9

    def to_dict(self) -> dict:
        """The model as the data file holds it."""
        edits = []
        for (t, o), c in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if t == o:
                continue
            edits.append({"true": t, "ocr": o, "count": c, "cost": round(self.cost(t, o), 4),
                          "neg_log_p": round(-self._log_p(t, o), 4)})
        identities = {t: c for (t, o), c in sorted(self.counts.items()) if t == o}
        return {**self.meta, "smoothing": {"k": self.k, "same_base": self.same_base, "vocabulary": self.vocab},
                "calibration": self.calibration, "totals": dict(sorted(self.totals.items())),
                "identities": identities, "edits": edits}

    @classmethod
    def from_dict(cls, data: dict) -> ConfusionModel:
        """The model of a parsed data file."""
        counts = {(t, t): c for t, c in (data.get("identities") or {}).items()}
        counts.update({(e["true"], e["ocr"]): e["count"] for e in data.get("edits") or ()})
        meta = {k: v for k, v in data.items() if k not in {"smoothing", "calibration", "totals", "identities", "edits"}}
        smoothing = data.get("smoothing") or {}
        return cls(counts, data.get("totals") or {}, k=smoothing.get("k", 0.5),
                   same_base=smoothing.get("same_base", 20.0), calibration=data.get("calibration"), meta=meta)

    def save(self, path: Path = MODEL_PATH) -> None:
        """Write the model as YAML."""
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(self.to_dict(), handle, allow_unicode=True, sort_keys=False, width=120)


class _Costs(dict):
    """``cost(t, o)`` of one true unit ``t`` for each OCR unit ``o``, computed on first use."""

    def __init__(self, model: ConfusionModel, t: str) -> None:
        super().__init__()
        self.model = model
        self.t = t

    def __missing__(self, o: str) -> float:
        cost = self[o] = self.model.cost(self.t, o)
        return cost


class _Name:
    """A gazetteer name (the true side) prepared for the dynamic programme: the cost of deleting each
    of its characters, and for each prefix length ``i`` the learned multi-character edits of the
    true units ending there, as (true length, OCR unit, cost)."""

    def __init__(self, model: ConfusionModel, true: str) -> None:
        self.true = true
        self.deletions = [model.cost(t, EPS) for t in true]
        self.blocks: list[tuple[tuple[int, str, float], ...]] = [()]
        for i in range(1, len(true) + 1):
            units = [true[i - tl:i] for tl in (1, 2) if i >= tl]
            self.blocks.append(tuple((len(t), o, model.cost(t, o)) for t in units
                                     for o in model.blocks_by_true.get(t, ())))


class _Query:
    """An OCR'd string prepared for the dynamic programme against many names: the cost of inserting
    each of its characters, the end positions of every OCR unit of a learned multi-character edit
    that occurs in it, the learned two-character insertions ending at each position, and the cost
    of reading each true character as each of its characters (computed once per true character)."""

    def __init__(self, model: ConfusionModel, ocr: str) -> None:
        self.model = model
        self.ocr = ocr
        self.insertions = list(map(model._costs(EPS).__getitem__, ocr))
        self.ends = {o: [j for j in range(len(o), len(ocr) + 1) if ocr.startswith(o, j - len(o))]
                     for o in model.block_units if o in ocr}
        self.added: list[tuple[tuple[int, float], ...]] = [
            tuple((len(o), model.cost(EPS, o)) for o in model.blocks_by_true.get(EPS, ())
                  if len(o) <= j and ocr.startswith(o, j - len(o)))
            for j in range(len(ocr) + 1)]
        self.any_added = any(self.added)
        self._substitutions: dict[str, list[float]] = {}

    def substitutions(self, t: str) -> list[float]:
        """``cost(t, o)`` for each character ``o`` of the OCR'd string."""
        row = self._substitutions.get(t)
        if row is None:
            row = self._substitutions[t] = list(map(self.model._costs(t).__getitem__, self.ocr))
        return row

    def distance(self, true: str, cutoff: float = math.inf, bound: float = math.inf) -> float:
        """The weighted edit distance from the name ``true`` to the OCR'd string (:meth:`ConfusionModel.distance`).

        ``inf`` once a row costs more than ``cutoff``, or two rows in a row more than ``bound``: every
        path crosses one of two consecutive rows (an edit spans at most two true characters), so the
        distance would exceed ``bound``.
        """
        inf = math.inf
        name = self.model._name(true)
        m = len(self.ocr)
        insertions, added, ends = self.insertions, self.added, self.ends
        row = [0.0]
        left = 0.0
        for j in range(1, m + 1):
            left = min([left + insertions[j - 1]] + [row[j - ol] + c for ol, c in added[j]])
            row.append(left)
        before: list[float] = row
        previous_over = False
        for t, deletion, blocks in zip(name.true, name.deletions, name.blocks[1:]):
            substitutions = self.substitutions(t)
            seeds = [inf] * (m + 1)  # the learned multi-character edits ending in this row
            for tl, o, c in blocks:
                source = row if tl == 1 else before
                ol = len(o)
                for j in ends.get(o, ()):
                    if source[j - ol] + c < seeds[j]:
                        seeds[j] = source[j - ol] + c
            left = min(row[0] + deletion, seeds[0])
            out = [left]
            if self.any_added:
                for j in range(1, m + 1):
                    left = min([row[j - 1] + substitutions[j - 1], row[j] + deletion, left + insertions[j - 1],
                                seeds[j]] + [out[j - ol] + c for ol, c in added[j]])
                    out.append(left)
            else:
                for diagonal, up, s, ins, seed in zip(row, row[1:], substitutions, insertions, seeds[1:]):
                    v = diagonal + s
                    w = up + deletion
                    if w < v:
                        v = w
                    w = left + ins
                    if w < v:
                        v = w
                    if seed < v:
                        v = seed
                    out.append(v)
                    left = v
            lowest = min(out)
            over = lowest > bound
            if lowest > cutoff or (over and previous_over):
                return inf
            previous_over = over
            before, row = row, out
        return row[m]


@cache
def load_model(path: Path = MODEL_PATH) -> ConfusionModel:
    """The confusion model of the package's data file (read once, with libyaml's parser when there is one)."""
    return ConfusionModel.from_dict(load_yaml(path))


@cache
def _era(jurisdiction: str | None) -> str | None:
    """The organisation a province key belongs to: ``pre2025``, ``post2025``, or None (both / unknown)."""
    if not jurisdiction:
        return None
    g = gazetteer()
    before = {p.key for p in g.provinces("before")}
    after = {p.key for p in g.provinces("after")}
    if jurisdiction in before and jurisdiction not in after:
        return "pre2025"
    if jurisdiction in after and jurisdiction not in before:
        return "post2025"
    return None


@cache
def _pool(era: str | None) -> tuple[tuple[Candidate, ...], list[str], list[str]]:
    """The candidates of an era (all for None), their folded names, and the same without spaces."""
    pool = tuple(c for c in candidates() if era is None or c.era in (era, "both"))
    return pool, [c.folded for c in pool], [c.folded.replace(" ", "") for c in pool]


def _shortlist(ocr: str, jurisdiction: str | None, limit: int) -> tuple[list[Candidate], float]:
    """The names the rapidfuzz pre-filter keeps for a normalised OCR'd string: the ``limit`` nearest
    folded, then the ``limit // 2`` nearest with the spaces left out (each name once), and the best
    ``fuzz.ratio`` among them."""
    pool, folded, packed = _pool(_era(jurisdiction))
    query = fold(ocr)
    hits = process.extract(query, folded, scorer=fuzz.ratio, limit=limit)
    hits += process.extract(query.replace(" ", ""), packed, scorer=fuzz.ratio, limit=limit // 2)
    indices = dict.fromkeys(index for _, _, index in hits)
    return [pool[index] for index in indices], max((ratio for _, ratio, _ in hits), default=0.0)


def rank_ocr_agency(text: str, jurisdiction: str | None = None, model: ConfusionModel | None = None,
                    limit: int = 3) -> list[tuple[Candidate, float, float]]:
    """The nearest gazetteer names of an OCR'd string, best first: (candidate, distance, confidence),
    one per key. Every name the pre-filter keeps is weighed, however unlikely (no shortcut of
    :func:`match_ocr_agency`)."""
    model = model or load_model()
    ocr = normalize_ocr(text)
    if len(ocr) < 4:
        return []
    shortlist, _ = _shortlist(ocr, jurisdiction, _PREFILTER)
    query = _Query(model, ocr)
    best: dict[str, tuple[Candidate, float, float]] = {}
    for cand in shortlist:
        dist = query.distance(cand.accented, cutoff=len(cand.accented) * 1.0)
        if math.isinf(dist):
            continue
        score = model.score(dist, len(cand.accented))
        key = cand.entry.key
        if key not in best or score > best[key][2]:
            best[key] = (cand, dist, score)
    return sorted(best.values(), key=lambda hit: -hit[2])[:limit]


@lru_cache(maxsize=_CACHE)
def match_ocr_agency(text: str, jurisdiction: str | None = None) -> tuple[GazetteerEntry, float] | None:
    """The gazetteer name an OCR'd agency name stands for, and the confidence that it does (in [0, 1],
    calibrated: of the matches scored 0.9 or more, about 90 % or more are right); None below
    :data:`MIN_SCORE`. ``jurisdiction`` (a province key) keeps the agencies of its era. A name wrapped
    over two lines may be given with the line break or joined by a space.

    The first of :func:`rank_ocr_agency`, found faster: a string no name comes within
    :data:`MIN_RATIO` of (rapidfuzz, folded) is rejected before any weighted distance, only the
    nearest names of the pre-filter are weighed, and the dynamic programme gives up on a name as soon
    as it cannot score as well as the best so far (nor :data:`MIN_SCORE`). Answers are kept
    (``match_ocr_agency.cache_info()``).

    >>> entry, score = match_ocr_agency("Sở Xây dựng")
    >>> entry.key, round(score, 2)
    ('so-xay-dung', 1.0)
    >>> match_ocr_agency("SH Y té")[0].key, match_ocr_agency("Vin phong UBND tinh")[0].key
    ('so-y-te', 'van-phong-ubnd-tinh')
    >>> match_ocr_agency("Năm 2025") is None
    True
    """
    ocr = normalize_ocr(text)
    if len(ocr) < 4:
        return None
    shortlist, ratio = _shortlist(ocr, jurisdiction, _SHORTLIST)
    if ratio < MIN_RATIO:
        return None
    model = load_model()
    query = _Query(model, ocr)
    best: tuple[Candidate, float] | None = None
    floor = MIN_SCORE
    for cand in shortlist:
        length = len(cand.accented)
        dist = query.distance(cand.accented, cutoff=length * 1.0,
                              bound=model.distance_bound(floor, length))
        if math.isinf(dist):
            continue
        score = model.score(dist, length)
        if score >= floor and (best is None or score > best[1]):
            best, floor = (cand, score), score
    return None if best is None else (best[0].entry, best[1])
