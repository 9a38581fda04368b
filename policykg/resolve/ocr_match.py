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
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..ontology import DATA_DIR
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
MIN_SCORE = 0.5  # below this confidence there is no match


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
        """The cheapest edits from ``true`` to ``ocr`` (both normalised); ``inf`` beyond ``cutoff``.

        >>> m = load_model()
        >>> m.distance("so y te", "sở y tế") < m.distance("so y te", "bộ y tế")
        True
        """
        n, m = len(true), len(ocr)
        inf = math.inf
        cost = self.cost
        blocks = self.blocks_by_true
        d = [[inf] * (m + 1) for _ in range(n + 1)]
        d[0][0] = 0.0
        for i in range(n + 1):
            row = d[i]
            if i:
                best_row = inf
            for j in range(m + 1):
                if i == 0 and j == 0:
                    continue
                best = inf
                if i and j:
                    best = d[i - 1][j - 1] + cost(true[i - 1], ocr[j - 1])
                if i:
                    best = min(best, d[i - 1][j] + cost(true[i - 1], EPS))
                if j:
                    best = min(best, row[j - 1] + cost(EPS, ocr[j - 1]))
                # learned multi-character edits ending here
                for tl in (1, 2):  # learned edits of one or two true characters
                    if i < tl:
                        continue
                    t = true[i - tl:i]
                    for o in blocks.get(t, ()):
                        ol = len(o)
                        if ol <= j and ocr[j - ol:j] == o:
                            best = min(best, d[i - tl][j - ol] + cost(t, o))
                for o in blocks.get(EPS, ()):  # two characters OCR adds
                    ol = len(o)
                    if ol <= j and ocr[j - ol:j] == o:
                        best = min(best, row[j - ol] + cost(EPS, o))
                row[j] = best
                if i:
                    best_row = min(best_row, best)
            if i and best_row > cutoff:
                return inf
        return d[n][m]

    def score(self, distance: float, length: int) -> float:
        """The calibrated confidence of a match at ``distance`` from a name of ``length`` characters.

        >>> m = load_model()
        >>> m.score(0.0, 20) > m.score(5.0, 20) > m.score(20.0, 20)
        True
        """
        x = distance / max(length, 1)
        z = self.calibration["a"] + self.calibration["b"] * x
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

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


@cache
def load_model(path: Path = MODEL_PATH) -> ConfusionModel:
    """The confusion model of the package's data file (read once)."""
    with open(path, encoding="utf-8") as handle:
        return ConfusionModel.from_dict(yaml.safe_load(handle))


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


def rank_ocr_agency(text: str, jurisdiction: str | None = None, model: ConfusionModel | None = None,
                    limit: int = 3) -> list[tuple[Candidate, float, float]]:
    """The nearest gazetteer names of an OCR'd string, best first: (candidate, distance, confidence),
    one per key."""
    model = model or load_model()
    ocr = normalize_ocr(text)
    if len(ocr) < 4:
        return []
    era = _era(jurisdiction)
    pool = [c for c in candidates() if era is None or c.era in (era, "both")]
    query = fold(ocr)
    hits = process.extract(query, [c.folded for c in pool], scorer=fuzz.ratio, limit=_PREFILTER)
    hits += process.extract(query.replace(" ", ""), [c.folded.replace(" ", "") for c in pool], scorer=fuzz.ratio,
                            limit=_PREFILTER // 2)
    best: dict[str, tuple[Candidate, float, float]] = {}
    for _, _, index in hits:
        cand = pool[index]
        dist = model.distance(ocr, cand.accented, cutoff=len(cand.accented) * 1.0)
        if math.isinf(dist):
            continue
        score = model.score(dist, len(cand.accented))
        key = cand.entry.key
        if key not in best or score > best[key][2]:
            best[key] = (cand, dist, score)
    return sorted(best.values(), key=lambda hit: -hit[2])[:limit]


def match_ocr_agency(text: str, jurisdiction: str | None = None) -> tuple[GazetteerEntry, float] | None:
    """The gazetteer name an OCR'd agency name stands for, and the confidence that it does (in [0, 1],
    calibrated: of the matches scored 0.9 or more, about 90 % or more are right); None below
    :data:`MIN_SCORE`. ``jurisdiction`` (a province key) keeps the agencies of its era. A name wrapped
    over two lines may be given with the line break or joined by a space.

    >>> entry, score = match_ocr_agency("Sở Xây dựng")
    >>> entry.key, round(score, 2)
    ('so-xay-dung', 1.0)
    >>> match_ocr_agency("SH Y té")[0].key, match_ocr_agency("Vin phong UBND tinh")[0].key
    ('so-y-te', 'van-phong-ubnd-tinh')
    >>> match_ocr_agency("Năm 2025") is None
    True
    """
    ranked = rank_ocr_agency(text, jurisdiction, limit=1)
    if not ranked or ranked[0][2] < MIN_SCORE:
        return None
    cand, _, score = ranked[0]
    return cand.entry, score
