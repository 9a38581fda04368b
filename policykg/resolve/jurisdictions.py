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
>>> jurisdiction_for("TP. Hồ Chí Minh", "2025-11-01").key, jurisdiction_for("Thừa Thiên Huế", "2024-05").key
('ho-chi-minh-2025', 'hue')
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text import fold
from .gazetteer import Province, gazetteer

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


def _jurisdiction(unit: Province) -> Jurisdiction:
    effective = gazetteer().province_effective
    if unit.era == "before":
        merged = unit.merged_into and unit.merged_into != unit.key
        return Jurisdiction(unit.key, unit.name, "province", None, effective if merged else None)
    new = len(unit.formed_from) > 1
    return Jurisdiction(unit.key, unit.name, "province", effective if new else None, None)


def jurisdiction_for(province: str | None, date: str | None, after_merger: bool = False) -> Jurisdiction:
    """The jurisdiction of a document of ``province`` (any usual spelling) dated ``date`` (ISO, possibly partial)."""
    if not province:
        return national()
    g = gazetteer()
    effective = g.province_effective
    late = after_merger or (date is not None and len(date) >= 7 and date >= effective[: len(date)])
    unit = g.province(province, "after" if late else "before")
    if unit is not None:
        return _jurisdiction(unit)
    return Jurisdiction(fold(province).replace(" ", "-"), province, "province")


def merged_into(jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The post-2025 province a pre-2025 one became part of (None when it continues unchanged)."""
    if not jurisdiction.valid_to:
        return None
    for unit in gazetteer().provinces("before"):
        if unit.key == jurisdiction.key:
            target = next(u for u in gazetteer().provinces("after") if u.key == unit.merged_into)
            return _jurisdiction(target)
    return None


def jurisdiction_by_key(key: str) -> Jurisdiction:
    """The jurisdiction with this key (``vn``, a pre-merger province, or a ``...-2025`` province).

    >>> jurisdiction_by_key("vinh-phuc").valid_to, jurisdiction_by_key("phu-tho-2025").valid_from
    ('2025-07-01', '2025-07-01')
    """
    if key == "vn":
        return national()
    for era in ("before", "after"):
        for unit in gazetteer().provinces(era):
            if unit.key == key:
                return _jurisdiction(unit)
    raise KeyError(key)
