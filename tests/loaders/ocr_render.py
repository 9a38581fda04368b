"""Task tables printed in other layouts than 004's and read back by Tesseract, text output only.

A clean corpus-wild plan (Markdown) is extracted; its tasks of one origin (the rows of its appendix task
table, or its inline tasks or duties laid out as one) are the truth: number, title, lead, supporters. They
are written as an HTML page in a :class:`Layout` (column order, labels and widths, font, page orientation,
borders), printed to PDF by headless Chromium, rasterised by ``pdftoppm`` and OCR'd with
``tesseract <page> - -l vie`` (plain text, like ``shared/corpus/004``). A short head (issuer, "Số:" line,
kind, title) is put above the OCR'd pages so that the file is a plan of the genre; the appendix heading
("PHỤ LỤC") and the table are OCR'd.

The reader's rows (``extract_file(...).tasks``, origin ``table``) are matched to the truth in order, by
title likeness (numbers may be garbled or lost), then scored by :func:`policykg.evaluation.score_table_tasks`
on the lines the matched rows start on: rows found, leads right (same agency keys), supporters' F1.

Nothing of the shared corpus is stored: documents are made at run time, the OCR'd text is cached by the
hash of the printed page (``$POLICYKG_CACHE/ocr-text``, else a folder under the system's temp dir).
Used by ``tests/loaders/test_ocr_layouts.py`` and ``scripts/ocr_rendered_tables.py``.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz.fuzz import partial_ratio

from policykg.evaluation import TableScore, score_table_tasks
from policykg.loaders import extract_file
from policykg.records import AgencyMention, Extraction, TaskRecord
from policykg.text import fold

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
WILD = SHARED / "corpus-wild"
DPI = 300

_FIELDS = ("number", "title", "lead", "support", "deadline", "output")
_ROMAN_HEADING = re.compile(r"^(?P<label>[IVX]{1,5})\.\s*(?P<text>.*)$")
_TITLE_CHARS = 320  # a longer title is cut at a word break: the rows stay a few lines high
_MATCH = 70  # least likeness (0-100) of a reader's title to a true title for the rows to be matched


@dataclass(frozen=True)
class LayoutColumn:
    """One printed column: its header text, the row field it shows and its width (percent of the table)."""

    label: str
    field: str
    width: int


@dataclass(frozen=True)
class Layout:
    """How a task table is printed."""

    name: str
    columns: tuple[LayoutColumn, ...]
    font: str = "Liberation Sans"
    size: float = 11.0  # points
    landscape: bool = False
    valign: str = "top"  # of the body's cells: "top" or "middle" (numbers and agencies centred beside the title)
    header_valign: str = "middle"
    separator: str = ", "  # between the agencies of a cell
    border: str = "0.75pt solid black"


# 004 prints "TT | Tên nhiệm vụ | Cơ quan chủ trì/Theo dõi | Cơ quan phối hợp | Kết quả | Thời gian hoàn
# thành" on portrait pages in a serif type, the output before the deadline. These layouts differ from it.
LANDSCAPE_SANS = Layout(
    "landscape-sans",
    (LayoutColumn("STT", "number", 5), LayoutColumn("Nội dung", "title", 37),
     LayoutColumn("Đơn vị chủ trì", "lead", 15), LayoutColumn("Đơn vị phối hợp", "support", 19),
     LayoutColumn("Thời gian hoàn thành", "deadline", 10), LayoutColumn("Sản phẩm", "output", 14)),
    font="Liberation Sans", size=11, landscape=True)
PORTRAIT_SERIF_CENTRED = Layout(
    "portrait-serif-centred",
    (LayoutColumn("STT", "number", 6), LayoutColumn("Nhiệm vụ", "title", 44),
     LayoutColumn("Cơ quan chủ trì", "lead", 16), LayoutColumn("Cơ quan phối hợp", "support", 20),
     LayoutColumn("Thời gian thực hiện", "deadline", 14)),
    font="DejaVu Serif", size=10.5, valign="middle", header_valign="top", separator="; ")
PORTRAIT_NARROW = Layout(
    "portrait-narrow",
    (LayoutColumn("STT", "number", 6), LayoutColumn("Nội dung công việc", "title", 40),
     LayoutColumn("Đơn vị chủ trì", "lead", 26), LayoutColumn("Đơn vị phối hợp", "support", 28)),
    font="Liberation Sans Narrow", size=12, border="1.5pt solid black")


@dataclass(frozen=True)
class Plan:
    """A corpus-wild plan and which of its tasks make the printed table (``table``, ``inline`` or ``duties``)."""

    name: str
    origin: str
    layout: Layout
    limit: int | None = None  # print only the first rows


@dataclass
class TruthRow:
    """A printed row: its cells and the agency keys the reader should give back."""

    number: str
    title: str
    lead: list[str]
    support: list[str]
    deadline: str = ""
    output: str = ""
    group: str = ""  # the Roman group heading above the row ("I. Hoàn thiện thể chế ...")


@dataclass
class Head:
    """What is written above the OCR'd pages, and what the appendix says it is attached to."""

    issuer: str
    number: str
    kind: str
    title: str


@dataclass
class Figures:
    """The reader's rows against the truth: the project's table score and the matched pairs."""

    score: TableScore
    numbers_right: int = 0  # matched rows whose number the reader got right
    pairs: list[tuple[TruthRow, TaskRecord | None]] = field(default_factory=list)
    extra: int = 0  # reader's rows matched to no printed row

    def line(self) -> str:
        """One line of figures."""
        s = self.score
        f1 = f"{s.support_f1:.2f}" if s.found else "n/a"
        return (f"rows found {s.found}/{s.expected} ({s.found / max(s.expected, 1):.2f}); "
                f"numbers right {self.numbers_right}/{s.found}; "
                f"lead right {s.lead}/{s.found} ({s.lead / max(s.found, 1):.2f}); "
                f"supporters F1 {f1}; rows matching no printed row {self.extra}")


# --- the truth --------------------------------------------------------------------------------------------


def _short(text: str, limit: int = _TITLE_CHARS) -> str:
    """``text`` cut at the last word break before ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _texts(mentions: list[AgencyMention]) -> list[str]:
    return list(dict.fromkeys(m.text for m in mentions))


def clean_extraction(name: str) -> Extraction:
    """The extraction of the clean corpus-wild plan ``name`` (file stem)."""
    return _clean_extraction(str(WILD / f"{name}.md"))


@lru_cache(maxsize=8)
def _clean_extraction(path: str) -> Extraction:
    return extract_file(path)


def plan_head(extraction: Extraction) -> Head:
    """The head of the plan's first document."""
    doc = extraction.documents[0]
    return Head(doc.issuer or "ỦY BAN NHÂN DÂN", doc.number or "", doc.kind, doc.title)


def truth_rows(plan: Plan) -> list[TruthRow]:
    """The rows to print: the plan's tasks of ``plan.origin`` that have a lead. Table rows keep their number
    and Roman group (sub-rows without a number of their own, "1b", are left out); other tasks are numbered
    1, 2, ... in order."""
    tasks = [t for t in clean_extraction(plan.name).tasks if t.origin == plan.origin and t.lead]
    rows: list[TruthRow] = []
    for task in tasks:
        if plan.origin == "table" and not task.number.isdigit():
            continue
        number = task.number if plan.origin == "table" else str(len(rows) + 1)
        heading = task.section[-1] if task.section else ""
        group = heading if plan.origin == "table" and _ROMAN_HEADING.match(heading) else ""
        rows.append(TruthRow(number, _short(task.title), _texts(task.lead), _texts(task.support),
                             task.deadline.text if task.deadline else "", _short(task.output or "", 120), group))
    return rows[: plan.limit] if plan.limit else rows


# --- printing ---------------------------------------------------------------------------------------------


def _css(layout: Layout) -> str:
    orientation = " landscape" if layout.landscape else ""
    return (f"@page {{ size: A4{orientation}; margin: 15mm 12mm 15mm 15mm; }}"
            f"body {{ font-family: '{layout.font}'; font-size: {layout.size}pt; }}"
            "p.c { text-align: center; margin: 0 0 4pt 0; }"
            "table { border-collapse: collapse; width: 100%; margin-top: 8pt; }"
            f"th, td {{ border: {layout.border}; padding: 3pt 5pt; vertical-align: {layout.valign}; "
            "text-align: left; }"
            f"th {{ text-align: center; vertical-align: {layout.header_valign}; font-weight: bold; }}"
            "td.n { text-align: center; } tr { page-break-inside: avoid; }")


def _cell(row: TruthRow, name: str, layout: Layout) -> str:
    value = getattr(row, name)
    if isinstance(value, list):
        value = layout.separator.join(value)
    css = ' class="n"' if name == "number" else ""
    return f"<td{css}>{html.escape(value)}</td>"


def _group_row(heading: str, layout: Layout) -> str:
    m = _ROMAN_HEADING.match(heading)
    label, text = (m.group("label"), m.group("text")) if m else ("", heading)
    return (f'<tr><td class="n"><b>{label}</b></td>'
            f'<td colspan="{len(layout.columns) - 1}"><b>{html.escape(text)}</b></td></tr>')


def page_html(head: Head, rows: list[TruthRow], layout: Layout) -> str:
    """The appendix as HTML: "PHỤ LỤC", its title and what it is attached to, then the table (its header
    repeated on every page, as Chromium prints a ``thead``)."""
    widths = "".join(f'<col style="width:{c.width}%">' for c in layout.columns)
    header = "".join(f"<th>{html.escape(c.label)}</th>" for c in layout.columns)
    body: list[str] = []
    group = ""
    for row in rows:
        if row.group and row.group != group:
            body.append(_group_row(row.group, layout))
            group = row.group
        body.append("<tr>" + "".join(_cell(row, c.field, layout) for c in layout.columns) + "</tr>")
    attached = f"(Kèm theo {head.kind} số {head.number} của {head.issuer})"
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{_css(layout)}</style></head><body>'
            f'<p class="c"><b>PHỤ LỤC</b></p>'
            f'<p class="c"><b>DANH MỤC NHIỆM VỤ TRIỂN KHAI THỰC HIỆN</b></p>'
            f'<p class="c"><i>{html.escape(attached)}</i></p>'
            f"<table>{widths}<thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            "</body></html>")


def chromium() -> str | None:
    """The Chromium binary, if there is one."""
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def missing_tools() -> list[str]:
    """What the OCR round trip needs and this machine lacks (empty when all is there)."""
    missing = [] if chromium() else ["chromium"]
    missing += [tool for tool in ("pdftoppm", "tesseract") if shutil.which(tool) is None]
    if "tesseract" not in missing and "vie" not in _tesseract_langs():
        missing.append("tesseract language data 'vie'")
    if not WILD.is_dir():
        missing.append(f"the corpus-wild plans ({WILD})")
    return missing


def _tesseract_langs() -> set[str]:
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    return {line.strip() for line in out.splitlines()[1:]}


def print_pages(page: str, folder: Path, dpi: int = DPI) -> list[Path]:
    """``page`` printed to PDF by headless Chromium and rasterised at ``dpi``: the PNG of each page."""
    folder.mkdir(parents=True, exist_ok=True)
    source, pdf = folder / "table.html", folder / "table.pdf"
    source.write_text(page, encoding="utf-8")
    binary = chromium()
    assert binary is not None, "Chromium is not installed"
    subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", source.as_uri()],
                   capture_output=True, check=True, timeout=120)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True, timeout=120)
    return sorted(folder.glob("page-*.png"))


def ocr_page(png: Path, psm: int | None = None) -> str:
    """Tesseract's plain text of one page image (``tesseract <png> - -l vie``; ``psm``: its page segmentation
    mode, default: Tesseract's own, 3)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread is faster here than Tesseract's default
    mode = ["--psm", str(psm)] if psm is not None else []
    out = subprocess.run(["tesseract", str(png), "-", "-l", "vie", *mode], capture_output=True, text=True, check=True,
                         timeout=300, env=env)
    return out.stdout.replace("\f", "").rstrip() + "\n"


def cache_dir() -> Path:
    """Where OCR'd pages are kept: ``$POLICYKG_CACHE/ocr-text``, else under the system's temp dir."""
    root = os.environ.get("POLICYKG_CACHE")
    return Path(root) / "ocr-text" if root else Path(tempfile.gettempdir()) / "policykg-ocr-text"


@lru_cache(maxsize=1)
def _tesseract_version() -> str:
    return subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False).stdout.split("\n")[0]


def ocr_html(page: str, dpi: int = DPI, psm: int | None = None) -> list[str]:
    """The OCR'd text of each page of ``page`` printed; cached by the hash of the page, the resolution, the
    segmentation mode and Tesseract's version."""
    mode = "" if psm is None else f" psm {psm}"
    key = hashlib.sha256(f"{page}\n{dpi}\n{_tesseract_version()}{mode}".encode()).hexdigest()[:24]
    cached = cache_dir() / f"{key}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="ocr-layout-") as tmp:
        pages = [ocr_page(png, psm) for png in print_pages(page, Path(tmp), dpi)]
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    return pages


def head_text(head: Head) -> str:
    """The few lines above the OCR'd pages: issuer, "Số:" line, kind heading, title."""
    return f"{head.issuer.upper()}\nSố: {head.number}\n\n{head.kind.upper()}\n{head.title}\n\n"


@dataclass
class Made:
    """An OCR'd document made from a plan."""

    path: Path
    rows: list[TruthRow]
    pages: int


def make_document(plan: Plan, folder: Path, dpi: int = DPI, psm: int | None = None) -> Made:
    """Print ``plan``'s table in its layout, OCR it and write head and text to ``folder``."""
    head = plan_head(clean_extraction(plan.name))
    rows = truth_rows(plan)
    pages = ocr_html(page_html(head, rows, plan.layout), dpi, psm)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{plan.name}-{plan.layout.name}{'' if psm is None else f'-psm{psm}'}.txt"
    path.write_text(head_text(head) + "\n\n".join(pages), encoding="utf-8")
    return Made(path, rows, len(pages))


# --- scoring ----------------------------------------------------------------------------------------------


def _likeness(truth: TruthRow, task: TaskRecord) -> float:
    """How alike a printed title and the reader's are (0-100, accents ignored): the start of the printed title
    found in the start of the reader's, or the start of the reader's found in the printed title (a row the reader
    started a line or two late, as where numbers sit halfway down their rows)."""
    want, got = fold(truth.title), fold(task.title_raw or task.title)
    if not want or not got:
        return 0.0
    return max(partial_ratio(want[:50], got[:160]), partial_ratio(got[:50], want) if len(got) >= 30 else 0.0)


def align(rows: list[TruthRow], tasks: list[TaskRecord]) -> list[TaskRecord | None]:
    """The reader's row matched to each printed row, in order (a dynamic programme over both sequences):
    a pair needs titles alike (:data:`_MATCH`); the same number counts for it."""
    n, m = len(rows), len(tasks)
    gain = [[_likeness(r, t) + (30 if r.number == t.number else 0) if _likeness(r, t) >= _MATCH else None
             for t in tasks] for r in rows]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = best[i + 1][j + 1] + gain[i][j] if gain[i][j] is not None else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], pair)
    out: list[TaskRecord | None] = []
    i = j = 0
    while i < n:
        if j < m and gain[i][j] is not None and best[i][j] == best[i + 1][j + 1] + gain[i][j]:
            out.append(tasks[j])
            i, j = i + 1, j + 1
        elif j < m and best[i][j] == best[i][j + 1]:
            j += 1
        else:
            out.append(None)
            i += 1
    return out


def score(extraction: Extraction, rows: list[TruthRow]) -> Figures:
    """The reader's table rows against the printed ones (see the module docstring)."""
    tasks = sorted((t for t in extraction.tasks if t.origin == "table"), key=lambda t: t.provenance.line_start)
    matched = align(rows, tasks)
    answers = {"tasks": [{"number": r.number, "line": t.provenance.line_start if t else -10, "title": r.title,
                          "lead": r.lead, "support": r.support, "deadline": r.deadline or None,
                          "output": r.output or None} for r, t in zip(rows, matched)]}
    figures = Figures(score_table_tasks(extraction, answers), pairs=list(zip(rows, matched)))
    figures.numbers_right = sum(1 for r, t in figures.pairs if t is not None and t.number == r.number)
    figures.extra = len(tasks) - sum(1 for t in matched if t is not None)
    return figures
