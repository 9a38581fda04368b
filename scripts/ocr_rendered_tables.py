#!/usr/bin/env python3
"""Score the OCR table reader on task tables printed in other layouts than 004's and OCR'd by Tesseract.

Usage: PYTHONPATH=. python scripts/ocr_rendered_tables.py [-v] [--hard] [--dpi N] [--psm N] [--out DIR]
                                                          [NAME ...]

For each plan (all of :data:`PLANS`, or those whose name contains a NAME): its task table — the rows of
its appendix table, or its inline tasks or duties laid out as one — is printed as an HTML page in the
plan's layout by headless Chromium, rasterised at 300 dpi (``--dpi``), OCR'd with ``tesseract - -l vie``
(plain text) and written with a short head to DIR (default: a temp folder). The file is read by
``extract_file``; its table rows are matched to the printed rows and scored: rows found, numbers right,
leads right (same agency keys), supporters' F1 (:func:`policykg.evaluation.score_table_tasks`). ``-v``
prints each printed row beside what the reader made of it; ``--hard`` adds :data:`HARD`, layouts where Tesseract's
text output itself defeats the reader (numbers dropped, cells printed column by column); ``--psm N`` passes a
page segmentation mode to Tesseract (6: one block of text, rows kept across the page, header words lost). OCR'd
pages are cached by the hash of the page (``$POLICYKG_CACHE/ocr-text``, else the system's temp dir): a second
run skips printing and OCR (what remains is the reading: seconds, or minutes for dong-thap's eight pages).

The machinery lives in ``tests/loaders/ocr_render.py`` (shared with ``tests/loaders/test_ocr_layouts.py``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's package, not an installed one
sys.path.insert(0, str(ROOT / "tests" / "loaders"))

from ocr_render import (  # noqa: E402
    DPI, LANDSCAPE_SANS, PORTRAIT_NARROW, PORTRAIT_SERIF_CENTRED, Figures, LayoutColumn, Plan, make_document,
    missing_tools, score)

from policykg.loaders import extract_file  # noqa: E402
from policykg.records import TaskRecord  # noqa: E402

PLANS = [
    Plan("ho-chi-minh-qd-2820-2025", "table", LANDSCAPE_SANS),  # its own appendix table, groups I-VI
    Plan("bac-ninh-kh-141-2025", "inline", PORTRAIT_SERIF_CENTRED),  # tasks with inline "Đơn vị chủ trì: ..."
    Plan("dong-thap-kh-556-2025", "duties", PORTRAIT_NARROW),  # duties of the agency blocks
]


# Layouts Tesseract's plain text output does not keep row by row (see the report of the issue):
# a "TT" header centred over two lines: the narrow number column, header and digits, is dropped;
# a wide title column beside sparse agency cells: from the second page on, cells come out column by column.
HARD = [
    Plan("bac-ninh-kh-141-2025", "inline", replace(
        PORTRAIT_SERIF_CENTRED, name="portrait-serif-tt", header_valign="middle",
        columns=(LayoutColumn("TT", "number", 6), *PORTRAIT_SERIF_CENTRED.columns[1:]))),
    Plan("dong-thap-kh-556-2025", "duties", replace(
        PORTRAIT_NARROW, name="portrait-narrow-wide-title",
        columns=(LayoutColumn("STT", "number", 6), LayoutColumn("Nội dung công việc", "title", 52),
                 LayoutColumn("Đơn vị chủ trì", "lead", 20), LayoutColumn("Đơn vị phối hợp", "support", 22)))),
]


def _agencies(mentions: list) -> str:
    return "; ".join(m.text for m in mentions) or "-"


def _show(figures: Figures) -> None:
    """Each printed row beside the reader's row it was matched to."""
    for row, task in figures.pairs:
        got: TaskRecord | None = task
        want = f"{row.number:>3} lead {'; '.join(row.lead)} | support {'; '.join(row.support) or '-'}"
        if got is None:
            print(f"  {want}\n      -> not found")
            continue
        print(f"  {want}\n      -> {got.number:>3} (line {got.provenance.line_start}) lead {_agencies(got.lead)}"
              f" | support {_agencies(got.support)}")


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def main(argv: list[str]) -> int:
    flags = {"-v", "--hard"}
    args = [a for a in argv if a not in flags]
    dpi = int(_option(args, "--dpi") or DPI)
    psm = int(psm_text) if (psm_text := _option(args, "--psm")) else None
    out = Path(_option(args, "--out") or tempfile.mkdtemp(prefix="ocr-layouts-"))
    names = [a for k, a in enumerate(args) if not a.startswith("--") and (k == 0 or args[k - 1] not in
                                                                           {"--dpi", "--out", "--psm"})]
    if missing := missing_tools():
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 2
    plans = PLANS + (HARD if "--hard" in argv else [])
    for plan in [p for p in plans if not names or any(n in f"{p.name} {p.layout.name}" for n in names)]:
        start = time.time()
        made = make_document(plan, out, dpi, psm)
        figures = score(extract_file(made.path), made.rows)
        print(f"{plan.name} ({plan.origin} rows, layout {plan.layout.name}, {made.pages} pages, "
              f"{time.time() - start:.0f} s): {made.path}")
        print(f"  {figures.line()}")
        if "-v" in argv:
            _show(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
