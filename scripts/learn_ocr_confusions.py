"""Learn the OCR confusion model (policykg/ontology/ocr_confusions.yaml) from OCR'd corpus text.

1. Every fragment of 1-9 words of the OCR'd text (lines joined, so a name wrapped over two lines is
   one fragment) is compared with the gazetteer's written names (folded, rapidfuzz ``fuzz.ratio``);
   fragments at ``--threshold`` or more, with no other agency within ``--margin``, are kept, the
   best of overlapping ones first. No OCR form is listed by hand.
2. Each kept (OCR'd fragment, accented gazetteer name) pair is aligned (Levenshtein opcodes) and its
   edits counted (:func:`policykg.resolve.ocr_match.alignment_units`), then smoothed (add-k).
3. Held out: the occurrences are split in two halves; a model estimated on one half ranks the names
   for the other half's fragments (and for fragments that match no name, whose answer is None).
   The logistic of distance per character is fitted on one direction's predictions and its
   reliability reported on the other's; the model written is estimated on all pairs, calibrated on
   all held-out predictions.

Usage: python scripts/learn_ocr_confusions.py [FILES...] [--out PATH] [--threshold 82] [--margin 4]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from policykg.resolve.gazetteer import fuzzy_lookup
from policykg.resolve.ocr_match import MIN_SCORE, MODEL_PATH, ConfusionModel, candidates, normalize_ocr, rank_ocr_agency
from policykg.text import fold

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = [ROOT.parent / "shared" / "corpus" / "004_a6ece48c4c1ca826.txt"]
MAX_WORDS = 9


def discover(text: str, threshold: float, margin: float) -> list[dict]:
    """The fragments of ``text`` that match a gazetteer name closely: {ocr, true, key, score, start}."""
    tokens = [m.group(0) for m in re.finditer(r"\S+", text)]
    pool = candidates()
    by_words: dict[int, list] = {}
    for cand in pool:
        by_words.setdefault(len(cand.folded.split()), []).append(cand)
    hits = []
    for i in range(len(tokens)):
        for n in range(1, MAX_WORDS + 1):
            if i + n > len(tokens):
                break
            frag = normalize_ocr(" ".join(tokens[i:i + n]))
            query = fold(frag)
            if len(query) < 6:
                continue
            group = [c for w in (n - 1, n, n + 1) for c in by_words.get(w, ())]
            found = process.extract(query, [c.folded for c in group], scorer=fuzz.ratio, limit=8,
                                    score_cutoff=threshold - margin)
            if not found or found[0][1] < threshold:
                continue
            best = group[found[0][2]]
            rival = max((s for _, s, j in found if group[j].entry.key != best.entry.key), default=0.0)
            if found[0][1] - rival < margin:
                continue
            hits.append({"ocr": frag, "true": best.accented, "key": best.entry.key, "score": found[0][1],
                         "start": i, "end": i + n})
    chosen, taken = [], set()
    for hit in sorted(hits, key=lambda h: (-h["score"], -(h["end"] - h["start"]), h["start"])):
        span = set(range(hit["start"], hit["end"]))
        if span & taken:
            continue
        taken |= span
        chosen.append(hit)
    negatives = []
    rng = random.Random(7)
    for _ in range(4000):
        i, n = rng.randrange(len(tokens)), rng.randint(2, 5)
        if set(range(i, i + n)) & taken or i + n > len(tokens):
            continue
        frag = normalize_ocr(" ".join(tokens[i:i + n]))
        if len(frag) >= 6 and re.search(r"[a-z]", fold(frag)):
            negatives.append({"ocr": frag, "true": None, "key": None, "start": i, "end": i + n})
    return sorted(chosen, key=lambda h: h["start"]), negatives


def predict(model: ConfusionModel, items: list[dict]) -> list[tuple[float, bool, str | None]]:
    """For each item: (distance per character of the best name, whether its key is the item's, that key)."""
    out = []
    for item in items:
        ranked = rank_ocr_agency(item["ocr"], model=model, limit=1)
        if not ranked:  # no name near: right for a negative, wrong for a name
            out.append((math.inf, item["key"] is None, None))
            continue
        cand, dist, _ = ranked[0]
        out.append((dist / len(cand.accented), cand.entry.key == item["key"], cand.entry.key))
    return out


def fit_logistic(xs: list[float], ys: list[bool]) -> dict:
    """``P(right) = 1 / (1 + exp(-(a + b·x)))`` by Newton's method (a little ridge for separable data)."""
    x = np.array([min(v, 5.0) for v in xs])
    y = np.array(ys, dtype=float)
    w = np.zeros(2)
    design = np.stack([np.ones_like(x), x], axis=1)
    for _ in range(100):
        p = 1 / (1 + np.exp(-(design @ w)))
        grad = design.T @ (y - p) - 0.01 * w
        hess = -(design.T * (p * (1 - p))) @ design - 0.01 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"a": round(float(w[0]), 4), "b": round(float(w[1]), 4), "feature": "distance / characters of the name"}


def reliability(calibration: dict, preds: list[tuple[float, bool, str | None]]) -> list[dict]:
    """Accuracy of the top name per bin of confidence (only predictions at MIN_SCORE or more are matches)."""
    model = ConfusionModel({}, {}, calibration=calibration)
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]
    rows = []
    for lo, hi in bins:
        inside = [(model.score(x * 100, 100) if math.isfinite(x) else 0.0, ok) for x, ok, _ in preds]
        inside = [(s, ok) for s, ok in inside if lo <= s < hi]
        rows.append({"bin": f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}", "n": len(inside),
                     "mean_score": round(sum(s for s, _ in inside) / len(inside), 3) if inside else None,
                     "accuracy": round(sum(ok for _, ok in inside) / len(inside), 3) if inside else None})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--threshold", type=float, default=82.0)
    parser.add_argument("--margin", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--show", action="store_true", help="print the discovered pairs")
    args = parser.parse_args(argv)
    started = time.time()
    pairs, negatives = [], []
    for path in args.files:
        found, neg = discover(path.read_text(encoding="utf-8"), args.threshold, args.margin)
        pairs += [{**h, "file": path.name} for h in found]
        negatives += neg
    # drop pairs the first model finds implausible (distance per character beyond median + 3 MAD), re-estimate
    first = ConfusionModel.from_pairs([(p["ocr"], p["true"]) for p in pairs])
    per_char = [first.distance(p["ocr"], p["true"]) / len(p["true"]) for p in pairs]
    med = float(np.median(per_char))
    mad = float(np.median([abs(v - med) for v in per_char]))
    cut = med + 3 * max(mad, 1e-3)
    dropped = [p for p, v in zip(pairs, per_char) if v > cut]
    pairs = [p for p, v in zip(pairs, per_char) if v <= cut]
    print(f"refinement: dropped {len(dropped)} pairs beyond {cut:.3f} per character: "
          f"{sorted({(p['ocr'], p['key']) for p in dropped})[:40]}", file=sys.stderr)
    if args.show:
        for p in pairs:
            print(f"{p['score']:5.1f}  {p['ocr']!r:45} → {p['true']!r} ({p['key']})")
    print(f"{len(pairs)} pairs ({len({p['ocr'] for p in pairs})} distinct OCR strings), {len(negatives)} negatives, "
          f"{time.time() - started:.1f}s", file=sys.stderr)

    rng = random.Random(args.seed)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    halves = [[pairs[i] for i in order[: len(order) // 2]], [pairs[i] for i in order[len(order) // 2:]]]
    neg_halves = [negatives[::2], negatives[1::2]]
    k = dict(k=0.5, same_base=20.0)
    preds = []
    report: dict = {"folds": []}
    for fold_index in (0, 1):
        train, test = halves[fold_index], halves[1 - fold_index]
        model = ConfusionModel.from_pairs([(p["ocr"], p["true"]) for p in train], **k)
        pos = predict(model, test)
        neg = predict(model, neg_halves[1 - fold_index])
        seen = {p["ocr"] for p in train}
        unseen = [ok for (_, ok, _), p in zip(pos, test) if p["ocr"] not in seen]
        base = [(hit := fuzzy_lookup(fold(p["ocr"]))) is not None and hit[0].key == p["key"] for p in test]
        report["folds"].append({"train_pairs": len(train), "test_pairs": len(test),
                                "top1_accuracy": round(sum(ok for _, ok, _ in pos) / len(pos), 3),
                                "top1_accuracy_unseen_strings": round(sum(unseen) / max(len(unseen), 1), 3),
                                "unseen_strings": len(unseen),
                                "baseline_fuzzy_lookup_accuracy": round(sum(base) / len(base), 3),
                                "negatives": len(neg)})
        preds.append(pos + neg)
    # calibration: is the top name the right key (a negative's never is); no name near → not scored
    preds = [[(x, ok and key is not None, key) for x, ok, key in fold_preds] for fold_preds in preds]
    scored = [[p for p in fold_preds if math.isfinite(p[0])] for fold_preds in preds]
    cal_01 = fit_logistic([x for x, _, _ in scored[0]], [ok for _, ok, _ in scored[0]])
    report["reliability_fit_on_fold0_measured_on_fold1"] = reliability(cal_01, scored[1])
    every = scored[0] + scored[1]
    calibration = fit_logistic([x for x, _, _ in every], [ok for _, ok, _ in every])
    # accuracy of the decisions (match ≥ MIN_SCORE else None) on held-out positives and negatives
    decide = ConfusionModel({}, {}, calibration=calibration)
    right = 0
    n_pos = sum(len(h) for h in halves)
    items = [*halves[1], *neg_halves[1], *halves[0], *neg_halves[0]]
    for (x, ok, _), item in zip(preds[0] + preds[1], items):
        matched = math.isfinite(x) and decide.score(x * 100, 100) >= MIN_SCORE
        right += ok if matched else item["key"] is None
    every_items = len(items)
    final = ConfusionModel.from_pairs([(p["ocr"], p["true"]) for p in pairs], calibration=calibration, **k)
    distinct = sum(1 for (t, o) in final.counts if t != o)
    final.meta = {
        "description": "OCR confusions of agency names: P(ocr unit | true unit), learned by "
                       "scripts/learn_ocr_confusions.py; cost = -log P(o|t) + log P(t|t).",
        "sources": sorted({p["file"] for p in pairs}),
        "pairs": len(pairs),
        "distinct_ocr_strings": len({p["ocr"] for p in pairs}),
        "characters": sum(len(p["true"]) for p in pairs),
        "distinct_confusions": distinct,
        "discovery": {"refinement_cut_per_character": round(cut, 4), "dropped_pairs": len(dropped),
                      "threshold": args.threshold, "margin": args.margin, "scorer": "rapidfuzz fuzz.ratio, folded"},
        "held_out": report,
        "reliability_all_held_out": reliability(calibration, every),
        "decision_accuracy_held_out": {"accuracy": round(right / every_items, 3), "names": n_pos,
                                       "negatives": every_items - n_pos,
                                       "rule": f"match when confidence >= {MIN_SCORE}, else None"},
    }
    final.save(args.out)
    import yaml
    print(yaml.safe_dump({k_: v for k_, v in final.meta.items() if k_ != "description"}, allow_unicode=True,
                         sort_keys=False, width=120))
    print(f"wrote {args.out} ({time.time() - started:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
