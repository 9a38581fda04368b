"""The 2025 restructuring as data: which agency took over from which, when, and by which instrument.

Facts come from ``ontology/restructuring.yaml`` (departments and ministries merged or split from
1/3/2025, the district level ended on 1/7/2025) and ``ontology/provinces.yaml`` (provinces merged on
1/7/2025). A split lists every successor with the function it took.

>>> [s.agency for s in successors("so-thong-tin-va-truyen-thong", "province")[0].to]
['so-khoa-hoc-va-cong-nghe', 'so-van-hoa-the-thao-va-du-lich']
>>> successors("so-y-te", "province")
[]
>>> is_district_unit("UBND thành phố Vĩnh Yên"), is_district_unit("UBND tỉnh Phú Thọ")
(True, False)
>>> province_merger().effective
'2025-07-01'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .. import ontology
from .gazetteer import gazetteer

__all__ = ["Successor", "Change", "ProvinceMerger", "changes", "successors", "is_district_unit",
           "district_successor", "province_merger"]


@dataclass(frozen=True)
class Successor:
    """An agency that took over the functions (or the named ``function``) of one that ended."""

    agency: str  # gazetteer key
    function: str | None = None


@dataclass(frozen=True)
class Change:
    """One agency ended on ``effective``; ``to`` took over, by ``instrument``."""

    level: str  # province | national
    effective: str  # ISO date
    instrument: str
    from_key: str
    to: tuple[Successor, ...]
    note: str | None = None


@dataclass(frozen=True)
class ProvinceMerger:
    effective: str
    instrument: str


@cache
def changes() -> tuple[Change, ...]:
    """Every agency change of the restructuring data, in file order."""
    return tuple(
        Change(item["level"], str(item["effective"]), item["instrument"], item["from"],
               tuple(Successor(s["agency"], s.get("function")) for s in item["to"]), item.get("note"))
        for item in ontology.restructuring()["changes"]
    )


def successors(key: str | None, level: str) -> list[Change]:
    """The changes that ended the agency ``key`` at ``level`` (``province`` or ``national``)."""
    return [c for c in changes() if c.from_key == key and c.level == level]


@cache
def _district() -> dict:
    return ontology.restructuring()["district_units"]


def is_district_unit(name: str) -> bool:
    """True for the people's committee of a named district-level unit ("UBND huyện Tam Đảo")."""
    return gazetteer().named_unit_kind(name) == _district()["kind"]


def district_successor() -> Change:
    """What followed every named district-level committee on 1/7/2025."""
    data = _district()
    return Change("province", str(data["effective"]), data["instrument"], "", (Successor(data["successor"]),))


def province_merger() -> ProvinceMerger:
    data = ontology.restructuring()["provinces"]
    return ProvinceMerger(str(data["effective"]), data["instrument"])
