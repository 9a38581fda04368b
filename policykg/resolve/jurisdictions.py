"""Jurisdictions: the national level and the provinces before and after 1/7/2025.

A document of a merged province dated on or after the merger belongs to the new
province ("Phú Thọ (sau hợp nhất)"); before it, to the old one.

>>> jurisdiction_for("Phú Thọ", "2025-10-22").key
'phu-tho-2025'
>>> jurisdiction_for("Vĩnh Phúc", "2023-04").key
'vinh-phuc'
>>> jurisdiction_for("Hà Nội", "2025-10-01").key
'ha-noi'
>>> jurisdiction_for(None, None).key
'vn'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .. import ontology
from ..text import fold

__all__ = ["Jurisdiction", "jurisdiction_for", "jurisdiction_by_key", "national", "merged_into"]


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction: key (``vn`` or a province key), display name, level, validity."""

    key: str
    name: str
    level: str  # national | province
    valid_from: str | None = None
    valid_to: str | None = None


def national() -> Jurisdiction:
    """The national level."""
    return Jurisdiction("vn", "Việt Nam", "national")


@cache
def _units() -> tuple[dict[str, list[dict]], dict[str, list[dict]], str]:
    data = ontology.provinces()
    before: dict[str, list[dict]] = {}
    after: dict[str, list[dict]] = {}
    for table, units in ((before, data["before"]), (after, data["after"])):
        for unit in units:
            for form in [unit["name"], *(unit.get("aliases") or [])]:
                table.setdefault(fold(form), []).append(unit)
    return before, after, str(data["effective"])


def _jurisdiction(unit: dict, era: str, effective: str) -> Jurisdiction:
    merged = unit.get("merged_into") and unit["merged_into"] != unit["key"]
    if era == "before":
        return Jurisdiction(unit["key"], unit["name"], "province", None, effective if merged else None)
    new = len(unit.get("formed_from") or []) > 1
    return Jurisdiction(unit["key"], unit["name"], "province", effective if new else None, None)


def jurisdiction_for(province: str | None, date: str | None, after_merger: bool = False) -> Jurisdiction:
    """The jurisdiction of a document of ``province`` dated ``date`` (ISO, possibly partial)."""
    if not province:
        return national()
    before, after, effective = _units()
    key = fold(province)
    late = after_merger or (date is not None and len(date) >= 7 and date >= effective[: len(date)])
    if late and key in after:
        return _jurisdiction(after[key][0], "after", effective)
    if key in before:
        return _jurisdiction(before[key][0], "before", effective)
    if key in after:
        return _jurisdiction(after[key][0], "after", effective)
    return Jurisdiction(fold(province).replace(" ", "-"), province, "province")


def merged_into(jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The post-2025 province a pre-2025 one became part of (None when it continues unchanged)."""
    before, after, effective = _units()
    for units in before.values():
        for unit in units:
            if unit["key"] == jurisdiction.key and jurisdiction.valid_to:
                target = next(u for us in after.values() for u in us if u["key"] == unit["merged_into"])
                return _jurisdiction(target, "after", effective)
    return None


def jurisdiction_by_key(key: str) -> Jurisdiction:
    """The jurisdiction with this key (``vn``, a pre-merger province, or a ``...-2025`` province).

    >>> jurisdiction_by_key("vinh-phuc").valid_to, jurisdiction_by_key("phu-tho-2025").valid_from
    ('2025-07-01', '2025-07-01')
    """
    if key == "vn":
        return national()
    before, after, effective = _units()
    for era, table in (("before", before), ("after", after)):
        for units in table.values():
            for unit in units:
                if unit["key"] == key:
                    return _jurisdiction(unit, era, effective)
    raise KeyError(key)
