"""Plain records the query API answers with, and their table form (pandas-free).

>>> rows = [AgencyLoad("agency:x:so-y-te", "Sở Y tế", "X", False, 3, 1, 0, 1)]
>>> header, table = as_table(rows)
>>> header[:3], table[0][:3]
(['agency', 'name', 'jurisdiction'], ['agency:x:so-y-te', 'Sở Y tế', 'X'])
>>> as_table(rows, lang="vi")[0][1]
'Tên'

CSV cells that a spreadsheet would run as a formula are neutralised (OWASP, CSV injection): text that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``. Numbers stay
numbers (``-5`` as an int is written as it is); ``raw=True`` writes every cell untouched, for machines.

>>> csv_text(["title", "n"], [["=cmd|' /C calc'!A0", -5], ["-5", 3]]).splitlines()
['title,n', "'=cmd|' /C calc'!A0,-5", "'-5,3"]
>>> csv_text(["title"], [["=1+1"]], raw=True).splitlines()
['title', '=1+1']
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields
from typing import Any

from .owners import Owner

__all__ = ["FORMULA_TRIGGERS", "LABELS", "AgencyLoad", "ChainLink", "CompareRow", "ImplementerRow", "OwnerAnswer",
           "TaskRow", "as_table", "csv_text", "safe_cell", "to_csv"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


@dataclass
class TaskRow:
    """A task with its owners as named, its deadline and output, and where it is written."""

    task: str
    document: str
    number: str
    title: str
    lead: list[str]
    support: list[str]
    deadline: str | None
    due: str | None
    recurrence: str | None
    output: str | None
    jurisdiction: str
    source_file: str | None
    line_start: int | None
    line_end: int | None
    confidence: float | None
    page: int | None = None


@dataclass
class OwnerAnswer:
    """``owner(task)``: the task as written, and its owners today (through the 2025 restructuring)."""

    task: TaskRow
    leads_today: list[Owner] = field(default_factory=list)
    supports_today: list[Owner] = field(default_factory=list)


@dataclass
class ChainLink:
    """One document of an implementation chain: ``depth`` < 0 above the asked document, > 0 below."""

    document: str
    depth: int
    via: str | None
    kind: str | None
    number: str | None
    title: str | None
    jurisdiction: str
    date: str | None
    loaded: bool
    tasks: int
    source_file: str | None


@dataclass
class ImplementerRow:
    """A plan carrying out a document, with task counts per lead agency."""

    jurisdiction: str
    document: str
    kind: str | None
    number: str | None
    title: str | None
    date: str | None
    tasks: int
    without_lead: int
    leads: dict[str, int]
    source_file: str | None


@dataclass
class AgencyLoad:
    """An agency's workload."""

    agency: str
    name: str
    jurisdiction: str
    collective: bool
    led: int
    supported: int
    monitored: int
    overdue: int


@dataclass
class CompareRow:
    """An agency (by canonical name) and the tasks it leads in each jurisdiction."""

    name: str
    by_jurisdiction: dict[str, int]


LABELS = {
    "task": "Nhiệm vụ (ID)", "document": "Văn bản", "number": "Số", "title": "Tên", "lead": "Chủ trì",
    "support": "Phối hợp", "deadline": "Thời hạn", "due": "Hạn", "recurrence": "Lặp lại", "output": "Kết quả",
    "jurisdiction": "Địa bàn", "source_file": "Tệp", "line_start": "Từ dòng", "line_end": "Đến dòng",
    "confidence": "Độ tin cậy", "agency": "Cơ quan (ID)", "name": "Tên", "collective": "Tập thể",
    "led": "Chủ trì", "supported": "Phối hợp", "monitored": "Theo dõi chỉ tiêu", "overdue": "Quá hạn",
    "depth": "Cấp", "via": "Qua", "kind": "Loại", "date": "Ngày", "loaded": "Đã đọc", "tasks": "Số nhiệm vụ",
    "without_lead": "Chưa có chủ trì", "leads": "Chủ trì (số nhiệm vụ)", "by_jurisdiction": "Theo địa bàn",
}


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def as_table(records: list[Any], lang: str = "en") -> tuple[list[str], list[list[Any]]]:
    """A header (field names, or Vietnamese labels with ``lang="vi"``) and one row of cells per record."""
    if not records:
        return [], []
    names = [f.name for f in fields(records[0])]
    header = [LABELS.get(n, n) for n in names] if lang == "vi" else names
    return header, [[_cell(getattr(r, n)) for n in names] for r in records]


def safe_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: text starting with one of :data:`FORMULA_TRIGGERS` gets a
    leading single quote, so it is shown as text and never run; anything else is returned unchanged.

    >>> safe_cell("@SUM(A1)"), safe_cell(chr(9) + "x"), safe_cell("Sở Y tế"), safe_cell(-5), safe_cell(None)
    ("'@SUM(A1)", "'\\tx", 'Sở Y tế', -5, None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(header: list[Any], rows: list[list[Any]], raw: bool = False) -> str:
    """A header and rows as CSV text, every text cell passed through :func:`safe_cell` unless ``raw``."""
    clean = (lambda v: v) if raw else safe_cell
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([clean(h) for h in header])
    writer.writerows([clean(v) for v in row] for row in rows)
    return out.getvalue()


def to_csv(records: list[Any], lang: str = "en", raw: bool = False) -> str:
    """The records as CSV text (UTF-8, for Excel add a BOM when writing); text that would run as a
    formula is neutralised unless ``raw`` (see :func:`safe_cell`)."""
    header, rows = as_table(records, lang)
    return csv_text(header, rows, raw)
