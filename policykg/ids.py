"""Stable, readable node IDs (**contract**): the one place they are made.

Loading the same file twice gives the same IDs, and two documents that cite the same document in
different words meet at one node. A bottom-level module: :mod:`policykg.resolve` and
:mod:`policykg.graph` both build IDs here, and neither needs the other for them.

>>> jurisdiction_id(None)
'jur:vn'
>>> document_id("vinh-long", "1925/QĐ-UBND", 2023)
'doc:vinh-long:1925-qd-ubnd:2023'
>>> document_id(None, "57-NQ/TW", 2024)
'doc:vn:57-nq-tw:2024'
>>> document_id(None, "193/2025/QH15", 2025)
'doc:vn:193-2025-qh15'
>>> law_id("Luật Tổ chức chính quyền địa phương", 2015)
'doc:vn:luat:to-chuc-chinh-quyen-dia-phuong:2015'
>>> unnumbered_document_id("vinh-phuc", "Kế hoạch", "2023-04", "Thực hiện Chiến lược")
'doc:vinh-phuc:ke-hoach:2023-04:thuc-hien-chien-luoc'
>>> agency_id("phu-tho-2025", "so-khoa-hoc-va-cong-nghe")
'agency:phu-tho-2025:so-khoa-hoc-va-cong-nghe'
>>> task_id("doc:yen-bai:ke-hoach:2025:x", ["III. NHIỆM VỤ", "2. Các nhiệm vụ ..."], "(12)")
'doc:yen-bai:ke-hoach:2025:x/task/iii/2/12'
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import slug

__all__ = [
    "NATIONAL",
    "jurisdiction_id",
    "document_id",
    "law_id",
    "unnumbered_document_id",
    "agency_id",
    "task_id",
]

NATIONAL = "vn"


def jurisdiction_id(key: str | None) -> str:
    """``jur:vn`` for the national level, ``jur:<province key>`` for a province."""
    return f"jur:{key or NATIONAL}"


def document_id(jurisdiction: str | None, number: str, year: int | None) -> str:
    """A numbered document: its jurisdiction (None = national), number and year (when the number lacks it)."""
    number_slug = slug(number)
    suffix = f":{year}" if year and str(year) not in number_slug.split("-") else ""
    return f"doc:{jurisdiction or NATIONAL}:{number_slug}{suffix}"


def law_id(name: str, year: int | None) -> str:
    """A law cited by name ("Luật Tổ chức chính quyền địa phương" of 2015)."""
    name_slug = re.sub(r"^luat-", "", slug(name))
    return f"doc:{NATIONAL}:luat:{name_slug}" + (f":{year}" if year else "")


def unnumbered_document_id(jurisdiction: str | None, kind: str, date: str | None, title: str) -> str:
    """A document whose number is blank: issuer's jurisdiction, kind, date and title."""
    return f"doc:{jurisdiction or NATIONAL}:{slug(kind)}:{date or 'undated'}:{slug(title)[:60].rstrip('-')}"


def agency_id(jurisdiction: str | None, key: str) -> str:
    """An agency of a jurisdiction (None = national) by its gazetteer key or slug."""
    return f"agency:{jurisdiction or NATIONAL}:{key}"


@lru_cache(maxsize=8192)
def _section_segment(label: str) -> str:
    m = re.match(r"^\s*(?:Điều\s+|Phụ lục\s+|PHỤ LỤC\s+)?([IVXL]+|[A-E]|\d+(?:\.\d+)*)\b", label)
    return slug(m.group(0)) if m else slug(label)[:30].rstrip("-")


def task_id(document: str, section: list[str], number: str, kind: str = "task") -> str:
    """A task (or, with ``kind="target"``, an indicator): its document, section path and number as printed."""
    parts = [_section_segment(s) for s in section] + [slug(number) or "0"]
    return f"{document}/{kind}/" + "/".join(p for p in parts if p)
