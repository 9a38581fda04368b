"""Readable text: restore the diacritics of OCR'd (or folded) Vietnamese for display.

Tesseract without a good Vietnamese model prints "Trién khai xay dyng co so dir liéu"
for "Triển khai xây dựng cơ sở dữ liệu". :func:`restore` puts the accents back; the
raw OCR stays with the caller (keep it beside the restored text, e.g. ``title_raw``).

How: a syllable bigram model with stupid backoff, trained on the clean Vietnamese of the
shared corpus (``corpus/*.txt`` whose text is not OCR'd, ``corpus-wild/*.md`` with the
markup stripped) plus the gazetteer's agency names. For each word token the candidates are
the known accented syllables whose folded form (:func:`policykg.text.fold_chars`) equals the
token's folded form, or equals it after the usual OCR slips ("ir" for "ư", "y" for "ư",
"6" for "ô", "&" for "ở", ...), or lies one edit away; a Viterbi pass over the candidates
picks the sequence that maximises LM score + channel score (exact folded match ≫ OCR rule ≫
edit). Tokens without a candidate stay as they are (numbers, codes such as "57-NQ/TW",
punctuation, unknown words); letter case is carried over.

Text that already reads as clean Vietnamese (nearly every word a known syllable, many with
diacritics) is returned unchanged, so ``restore`` is idempotent on clean text; so is text where
fewer than half the words fold to a known syllable (English, garbage).

The model is built at first use from ``$POLICYKG_SHARED`` (default: the ``shared`` folder
beside the repository) and pickled under ``$POLICYKG_CACHE/restore`` (default
``~/.cache/policykg/restore``), keyed by a hash of the training files and of this module's
model version. Nothing from the documents is written into the repository.

>>> restore("Trién khai xay dyng co so dir liéu")
'Triển khai xây dựng cơ sở dữ liệu'
>>> restore("Nghị quyết số 57-NQ/TW ngày 22/12/2024")
'Nghị quyết số 57-NQ/TW ngày 22/12/2024'
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .text import fold_chars

__all__ = [
    "RestoreModel",
    "restore",
    "restore_confidence",
    "restore_model",
    "train_model",
    "training_files",
    "shared_dir",
]

MODEL_VERSION = "1"

# Characters Tesseract prints inside Vietnamese words, mapped to the letter they usually stand for.
_OCR_CHARS = {"0": "o", "1": "l", "4": "a", "6": "o", "8": "a", "&": "o", "€": "e", "¢": "e",
              "@": "a", "ﬁ": "fi", "ﬂ": "fl", "|": "l"}
_OCR_CLASS = "0-9&€¢@ﬁﬂ"
# Folded-string rewrites for the usual OCR slips (pattern → replacement), each tried alone and together.
_OCR_RULES = [("ir", "u"), ("ur", "u"), ("uw", "u"), ("ui", "u"), ("y", "u"), ("1", "i"), ("1", "l"),
              ("0", "o"), ("6", "o"), ("4", "a"), ("&", "o"), ("€", "e"), ("¢", "e"), ("ﬁ", "a"),
              ("in", "an"), ("ip", "ap"), ("im", "am"), ("ic", "ac"), ("ce", "cc"), ("nc", "n"),
              ("a", "u"), ("u", "a"), ("e", "a"), ("e", "o"), ("i", "a"), ("oe", "o"), ("ea", "a"),
              ("o6", "o"), ("3", "a"), ("¢", "o"), ("p", "d"), ("ud", "uo"), ("id", "io"),
              ("~d", "o"), ("~d", "a"), ("dd", "d")]
# A pattern that starts with "~" is not tried at the start of the word ("ndi" → "noi", not "d..." → "o...").
_WORD_CHARS = "A-Za-zÀ-ỹĐđƠơƯư\u0300-\u036f"
_WORD = re.compile(rf"^[{_WORD_CHARS}]+$")
_OCR_WORD = re.compile(rf"^(?=.*[{_WORD_CHARS}])[{_WORD_CHARS}{_OCR_CLASS}]{{1,7}}$")
_PIECES = re.compile(rf"([{_WORD_CHARS}{_OCR_CLASS}]+)")
_CODE = re.compile(r"\d.*[/\-.]|[/\-.].*\d|/")
_TOKEN_SPLIT = re.compile(r"(\s+)")
_MD_MARKUP = re.compile(r"\*\*|__|[*_#>|`]|\[([^\]]*)\]\([^)]*\)|<[^>]+>")
_TRAIN_TOKENS = re.compile(rf"[{_WORD_CHARS}]+|\d+|[^\s{_WORD_CHARS}\d]")
_BOS = "<s>"
_NUM = "<num>"

# Channel log-scores.
_EXACT = 0.0          # the folded forms agree
_RULE = -4.0          # one OCR rewrite makes them agree
_RULE2 = -7.0         # two rewrites
_EDIT = -9.0          # one edit apart
_SAME = 2.5           # the candidate is the token itself (accents and all)
_ACCENT = 0.7         # per accent mark the token and the candidate share
_KEEP = -3.0          # an unknown word kept as written (on top of the LM's unknown-word score)
_BACKOFF = math.log(0.4)
_MAX_CANDIDATES = 14


def shared_dir() -> Path:
    """``$POLICYKG_SHARED``, else the ``shared`` folder beside the repository."""
    env = os.environ.get("POLICYKG_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _accented_share(text: str) -> float:
    words = [w for w in re.findall(rf"[{_WORD_CHARS}]+", _nfc(text)) if len(w) > 1]
    if not words:
        return 0.0
    return sum(1 for w in words if fold_chars(w) != w.lower()) / len(words)


def training_files(root: Path | None = None, exclude: tuple[str, ...] = ()) -> list[Path]:
    """The clean text the model learns from: ``corpus/*.txt`` (OCR'd files left out: too few of
    their words carry diacritics) and ``corpus-wild/*.md`` except ``SOURCES.md``; names in
    ``exclude`` are left out too (held-out evaluation)."""
    root = root or shared_dir()
    files = sorted((root / "corpus").glob("*.txt")) + sorted(
        p for p in (root / "corpus-wild").glob("*.md") if p.name != "SOURCES.md")
    out = []
    for path in files:
        if path.name in exclude:
            continue
        if path.suffix == ".txt" and _accented_share(path.read_text(encoding="utf-8")) < 0.35:
            continue
        out.append(path)
    return out


def _strip_markup(text: str) -> str:
    return _MD_MARKUP.sub(lambda m: m.group(1) or " ", text)


def _sentences(text: str):
    """Lower-cased syllable sequences of ``text``: numbers as ``<num>``, broken at punctuation."""
    for line in _nfc(text).splitlines():
        seq: list[str] = []
        for tok in _TRAIN_TOKENS.findall(line):
            if tok[0].isdigit():
                seq.append(_NUM)
            elif _WORD.match(tok):
                seq.append(tok.lower())
            elif seq:
                yield seq
                seq = []
        if seq:
            yield seq


def _agency_names() -> list[str]:
    try:
        from .resolve.gazetteer import gazetteer
        g = gazetteer()
        return sorted({n for a in g.agencies() for n in (a.name, *a.aliases)})
    except Exception:  # the lexicon is a bonus: no gazetteer, no names
        return []


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


@dataclass
class RestoreModel:
    """Counts of a syllable bigram model and the index from folded forms to accented syllables."""

    unigrams: Counter = field(default_factory=Counter)
    bigrams: Counter = field(default_factory=Counter)
    by_fold: dict = field(default_factory=dict)      # folded syllable → accented syllables
    by_delete: dict = field(default_factory=dict)    # folded syllable with one char deleted → folded syllables
    total: int = 0

    def add(self, seq: list[str], weight: int = 1) -> None:
        prev = _BOS
        for syl in seq:
            self.unigrams[syl] += weight
            self.bigrams[(prev, syl)] += weight
            prev = syl
        self.unigrams[_BOS] += weight

    def finish(self) -> RestoreModel:
        by_fold: dict[str, set[str]] = defaultdict(set)
        for syl in self.unigrams:
            if syl not in (_BOS, _NUM):
                by_fold[fold_chars(syl)].add(syl)
        self.by_fold = {k: tuple(sorted(v, key=lambda s: -self.unigrams[s])) for k, v in by_fold.items()}
        by_delete: dict[str, set[str]] = defaultdict(set)
        for key in self.by_fold:
            if len(key) >= 3:
                for d in _deletes(key):
                    by_delete[d].add(key)
        self.by_delete = {k: tuple(sorted(v)) for k, v in by_delete.items()}
        self.total = sum(c for s, c in self.unigrams.items() if s != _BOS)
        return self

    def logp(self, prev: str, syl: str) -> float:
        """Stupid-backoff log score of ``syl`` after ``prev``."""
        pair = self.bigrams.get((prev, syl), 0)
        if pair:
            return math.log(pair / self.unigrams[prev])
        return _BACKOFF + math.log((self.unigrams.get(syl, 0) + 0.1) / self.total)

    def folded_keys(self, key: str) -> list[tuple[str, float]]:
        """Folded vocabulary forms ``key`` may stand for, with the channel score of each."""
        out: dict[str, float] = {}
        if key in self.by_fold:
            out[key] = _EXACT
        variants = {key: 0}
        for _ in range(2):
            for v, n in list(variants.items()):
                for pat, rep in _OCR_RULES:
                    inner = pat.startswith("~")
                    pat = pat.lstrip("~")
                    start = v.find(pat, 1 if inner else 0)
                    while start >= 0:
                        w = v[:start] + rep + v[start + len(pat):]
                        if w not in variants:
                            variants[w] = n + 1
                        start = v.find(pat, start + 1)
        for v, n in variants.items():
            if n and v in self.by_fold and v not in out:
                out[v] = _RULE if n == 1 else _RULE2
        if len(key) >= 4 and not out:
            near = set(self.by_delete.get(key, ()))
            for d in _deletes(key):
                near.update(self.by_fold.get(d, ()) and (d,))
                near.update(self.by_delete.get(d, ()))
            for k in near:
                if k not in out and abs(len(k) - len(key)) <= 1:
                    out[k] = _EDIT
        return list(out.items())


def train_model(files: list[Path], names: list[str] | None = None) -> RestoreModel:
    """A :class:`RestoreModel` from the text of ``files`` (markup of ``.md`` stripped) and ``names``."""
    model = RestoreModel()
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = _strip_markup(text)
        for seq in _sentences(text):
            model.add(seq)
    for name in names if names is not None else _agency_names():
        for seq in _sentences(name):
            model.add(seq)
    return model.finish()


def _cache_dir() -> Path:
    root = os.environ.get("POLICYKG_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "policykg") / "restore"


@cache
def restore_model() -> RestoreModel:
    """The model of the shared corpus, built at first use and pickled, keyed by the training files."""
    files = training_files()
    names = _agency_names()
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update("\n".join(names).encode())
    path = _cache_dir() / f"model-{digest.hexdigest()[:16]}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:
            pass
    model = train_model(files, names)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass
    return model


_OCR_MARKS = {"6": "\u0302", "€": "\u0302", "¢": "\u0302", "&": "\u031b", "4": "\u0303", "3": "\u0303"}


def _marks(text: str) -> set[str]:
    """The diacritics of ``text`` (lower-cased, NFD), with those the OCR characters stand for."""
    out = {ch for ch in unicodedata.normalize("NFD", text.lower()) if unicodedata.combining(ch)}
    return out | {_OCR_MARKS[ch] for ch in text if ch in _OCR_MARKS}


def _candidates(token: str, model: RestoreModel) -> list[tuple[str, float]]:
    lower = _nfc(token).lower()
    key = fold_chars(lower)
    keys = model.folded_keys(key)
    marks = _marks(lower)
    out: list[tuple[str, float]] = []
    for k, channel in keys:
        for syl in model.by_fold[k]:
            score = channel
            if syl == lower:
                score += _SAME if marks or not key.isascii() or lower != key else 0.0
            elif marks:
                score += _ACCENT * len(marks & _marks(syl))
            out.append((syl, score))
    out.sort(key=lambda c: -(c[1] + math.log(model.unigrams[c[0]] + 1) * 0.3))
    out = out[:_MAX_CANDIDATES]
    if out and key not in model.by_fold and _WORD.match(lower):
        out.append((lower, _KEEP))  # an unknown word, maybe a name: it may stay as written
    return out


def _with_case(token: str, syl: str) -> str:
    if _nfc(token).lower() == syl:
        return token
    letters = [ch for ch in token if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return syl.upper()
    if token[:1].isupper():
        return syl[:1].upper() + syl[1:]
    return syl


def _tokens(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (kind, piece): kind ``w`` a word to restore, ``n`` a number, ``o`` the rest."""
    out: list[tuple[str, str]] = []
    for chunk in _TOKEN_SPLIT.split(text):
        if not chunk:
            continue
        if chunk.isspace():
            out.append(("o", chunk))
            continue
        core = chunk.strip(".,;:!?()[]\"'“”‘’«»…-–")
        if _CODE.search(core) and re.search(r"\d|[A-Z]{2}", core):
            out.append(("o", chunk))
            continue
        for i, piece in enumerate(_PIECES.split(chunk)):
            if not piece:
                continue
            if i % 2 == 0:
                out.append(("o", piece))
            elif piece.isdigit():
                out.append(("n", piece))
            elif _WORD.match(piece) or _OCR_WORD.match(piece):
                out.append(("w", piece))
            else:
                out.append(("o", piece))
    return out


def _is_clean(words: list[str], model: RestoreModel) -> bool:
    if not words:
        return True
    known = sum(1 for w in words if _nfc(w).lower() in model.unigrams)
    accented = sum(1 for w in words if fold_chars(_nfc(w)) != _nfc(w).lower())
    return known >= 0.9 * len(words) and accented >= 0.25 * len(words)


def _viterbi(words: list[str], prev: str, model: RestoreModel) -> tuple[list[str | None], int]:
    """The best syllables for a run of words (``None`` where a word has no candidate), and how
    many words had an exact folded match."""
    cands = [_candidates(w, model) for w in words]
    confident = sum(1 for w, c in zip(words, cands)
                    if c and any(fold_chars(s) == fold_chars(_nfc(w).lower()) for s, _ in c))
    # states: syllable → (score, back-pointer list)
    states: dict[str, tuple[float, list[str | None]]] = {prev: (0.0, [])}
    for cs in cands:
        if not cs:
            # an unknown word: the chain goes on through it, with the context reset
            best = max(states.values(), key=lambda s: s[0])
            states = {_BOS: (best[0], best[1] + [None])}
            continue
        new: dict[str, tuple[float, list[str | None]]] = {}
        for syl, channel in cs:
            score, path = max(((s + model.logp(p, syl), path) for p, (s, path) in states.items()),
                              key=lambda t: t[0])
            new[syl] = (score + channel, path + [syl])
        states = new
    best = max(states.values(), key=lambda s: s[0])
    return best[1], confident


def restore_confidence(text: str, model: RestoreModel | None = None) -> tuple[str, float]:
    """``text`` with its diacritics restored, and the share of its words the model is sure of
    (text already clean counts as 1.0; otherwise the words whose folded form is a known syllable
    as written, i.e. restored without an OCR rewrite or an edit; 1.0 with no word).

    >>> restore_confidence("Trién khai xay dyng")[0]
    'Triển khai xây dựng'
    """
    model = model or restore_model()
    tokens = _tokens(text)
    words = [piece for kind, piece in tokens if kind == "w"]
    if not words:
        return text, 1.0
    if _is_clean(words, model):
        return text, 1.0
    known = sum(1 for w in words if model.folded_keys(fold_chars(_nfc(w).lower())))
    if known < 0.5 * len(words):  # not Vietnamese (or too broken to guess): leave it alone
        return text, known / len(words)
    out = [piece for _, piece in tokens]
    # runs of words separated only by white space, with the context before each run
    runs: list[tuple[str, list[int]]] = []
    prev, current = _BOS, None
    for i, (kind, piece) in enumerate(tokens):
        if kind == "w":
            if current is None:
                current = (prev, [])
                runs.append(current)
            current[1].append(i)
        elif kind == "o" and piece.isspace():
            continue
        else:
            current = None
            prev = _NUM if kind == "n" else _BOS
    confident = 0
    for context, indexes in runs:
        best, n = _viterbi([tokens[i][1] for i in indexes], context, model)
        confident += n
        for i, syl in zip(indexes, best):
            if syl is not None:
                out[i] = _with_case(tokens[i][1], syl)
    return "".join(out), confident / len(words)


def restore(text: str, model: RestoreModel | None = None) -> str:
    """``text`` with the diacritics of its Vietnamese words restored (see the module docstring)."""
    return restore_confidence(text, model)[0]
