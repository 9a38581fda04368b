"""Deadlines as the genre writes them, normalized to a due date and a recurrence.

>>> parse_deadline("Năm 2023")
Deadline(text='Năm 2023', due='2023-12-31', recurrence=None, start=None)
>>> parse_deadline("Hằng năm")
Deadline(text='Hằng năm', due=None, recurrence='yearly', start=None)
>>> parse_deadline("Quý II/2025").due
'2025-06-30'
>>> parse_deadline("hoàn thành trước ngày 10/5/2025").due
'2025-05-10'
>>> d = parse_deadline("Giai đoạn 2026 - 2030")
>>> d.start, d.due
('2026-01-01', '2030-12-31')
>>> parse_deadline("Thuong xuyén").recurrence
'ongoing'
>>> parse_deadline("Thang 10/2025").due
'2025-10-31'
>>> parse_deadline("Quy IV/2025").due
'2025-12-31'
>>> parse_deadline("Sau khi có hướng dẫn của Trung ương").recurrence
'conditional'
>>> d = parse_deadline("Hàng năm, bắt đầu từ năm 2018")
>>> d.recurrence, d.start, d.due
('yearly', '2018-01-01', None)
>>> parse_deadline("Trước ngày 15/12 hằng năm").recurrence
'yearly'
>>> parse_deadline("Theo tiến độ dự án")
Deadline(text='Theo tiến độ dự án', due=None, recurrence=None, start=None)
"""

from __future__ import annotations

import calendar
import re

from ..records import Deadline
from ..text import collapse_spaces, fold, fold_chars

__all__ = ["parse_deadline", "find_deadline_phrase"]

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RECURRENCE = [
    (re.compile(r"\bh\S{0,2}ng (?:nam|năm)\b|\bhang nam\b|\bmoi nam\b|\bdinh ky hang nam\b"), "yearly"),
    (re.compile(r"\bh\S{0,2}ng quy\b|\bdinh ky hang quy\b"), "quarterly"),
    (re.compile(r"\bh\S{0,2}ng thang\b"), "monthly"),
    (re.compile(r"\bth\S{0,2}\S?ng xuy\S{0,2}n\b|\bli\S{0,2}n t\S{0,2}c\b"), "ongoing"),
    (re.compile(r"\bsau khi\b|\bkhi c\S{0,2} (?:h\S{0,2}\S?ng d\S{0,2}n|y\S{0,2}u c\S{0,2}u|quy\S{0,2}t d\S{0,2}nh)"), "conditional"),
]
_FROM_YEAR = re.compile(r"\b(?:b\S{0,2}t d\S{0,2}u )?t\S{0,2} n\S{0,2}m\s*((?:19|20)\d\d)\b")
_DAY = re.compile(r"\b(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d)\b")
_QUARTER = re.compile(r"\bquy\s*(iv|iii|ii|i|[1-4])\s*(?:/|nam|-)?\s*((?:19|20)\d\d)\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|nam|-)\s*((?:19|20)\d\d)\b")
_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_PHRASE = re.compile(
    r"(?:hoan thanh\s+)?(?:truoc|trong|den|cuoi)?\s*(?:ngay\s*\d{1,2}/\d{1,2}/\d{4}|quy\s*(?:iv|iii|ii|i|[1-4])\s*/?\s*\d{4}"
    r"|thang\s*\d{1,2}\s*/\s*\d{4}|nam\s+(?:19|20)\d\d)"
)


def _end_of_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def parse_deadline(text: str) -> Deadline:
    """Normalize a deadline phrase; the printed text is kept as it is."""
    key = fold(text)
    recurrence = next((name for regex, name in _RECURRENCE if regex.search(key)), None)
    due = start = None
    if m := _DAY.search(key):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            due = f"{year:04d}-{month:02d}-{day:02d}"
    elif m := _QUARTER.search(key):
        due = _end_of_month(int(m.group(2)), 3 * _ROMAN_QUARTERS[m.group(1)])
    elif (m := _MONTH.search(key)) and 1 <= int(m.group(1)) <= 12:
        due = _end_of_month(int(m.group(2)), int(m.group(1)))
    elif m := _RANGE.search(key):
        due = f"{int(m.group(2)):04d}-12-31"
        start = f"{int(m.group(1)):04d}-01-01"
    elif recurrence is None and (m := _YEAR.search(key)):
        due = f"{int(m.group(1)):04d}-12-31"
    if start is None and (m := _FROM_YEAR.search(key)):
        start = f"{int(m.group(1)):04d}-01-01"
    return Deadline(collapse_spaces(text), due, recurrence, start)


def find_deadline_phrase(text: str) -> str | None:
    """The deadline phrase inside a longer heading, as printed.

    >>> find_deadline_phrase("2. Các nhiệm vụ thực hiện hoàn thành trong năm 2025 (19 nhiệm vụ)")
    'hoàn thành trong năm 2025'
    """
    folded = fold_chars(text).lower()
    m = _PHRASE.search(folded)
    if not m:
        for regex, _ in _RECURRENCE:
            if r := regex.search(folded):
                return text[r.start():r.end()]
        return None
    return collapse_spaces(text[m.start():m.end()])
