"""Measure :mod:`policykg.text_restore` on held-out clean text: fold it (and optionally add OCR-like
noise), restore it with a model trained without that file, count the syllables that come back right.

    python scripts/eval_restore.py [--noise 0.1] [--files 8]
"""

from __future__ import annotations

import argparse
import random
import re

from policykg.text import fold_chars
from policykg.text_restore import _WORD_CHARS, _nfc, _strip_markup, restore, train_model, training_files

_SYL = re.compile(rf"[{_WORD_CHARS}]+")
# What Tesseract does to a folded syllable, roughly.
_NOISE = [("u", "ir"), ("u", "y"), ("o", "6"), ("o", "&"), ("e", "é"), ("a", "á"), ("l", "1"), ("o", "0")]


def sentences(path, limit: int = 400) -> list[str]:
    text = _nfc(_strip_markup(path.read_text(encoding="utf-8")))
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if len(_SYL.findall(line)) >= 5]
    return lines[:limit]


def degrade(line: str, noise: float, rng: random.Random) -> str:
    out = fold_chars(line)
    out = "".join(c if o.lower() == o or not c.isalpha() else c.upper() for c, o in zip(out, line))
    if not noise:
        return out
    words = out.split(" ")
    for i, w in enumerate(words):
        if rng.random() < noise:
            pat, rep = rng.choice(_NOISE)
            if pat in w:
                words[i] = w.replace(pat, rep, 1)
    return " ".join(words)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--noise", type=float, default=0.0)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--lines", type=int, default=200)
    args = ap.parse_args()
    rng = random.Random(0)
    files = [p for p in training_files() if p.suffix == ".md"]
    rng.shuffle(files)
    total = right = accented = 0
    for held in files[: args.files]:
        model = train_model(training_files(exclude=(held.name,)))
        t = r = 0
        for line in sentences(held, args.lines):
            got = _SYL.findall(restore(degrade(line, args.noise, rng), model))
            want = _SYL.findall(line)
            if len(got) != len(want):
                continue
            for g, w in zip(got, want):
                t += 1
                r += g == w
                accented += fold_chars(w) != w.lower()
        print(f"{held.name}: {r}/{t} = {r / max(t, 1):.3f}")
        total += t
        right += r
    print(f"ALL: {right}/{total} = {right / max(total, 1):.4f} (share of accented syllables {accented / max(total, 1):.2f})")


if __name__ == "__main__":
    main()
