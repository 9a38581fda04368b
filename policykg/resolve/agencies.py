"""Agencies: one node per gazetteer entry per jurisdiction; the rest reported as unresolved.

Names are read by the one :class:`~policykg.resolve.gazetteer.Gazetteer`. A provincial agency is
scoped by the jurisdiction of the document that names it ("Sở Tài chính" in a Vĩnh Long plan is Vĩnh
Long's) unless the mention names another province ("Công an tỉnh Nghệ An"); a national one (Bộ, Chính
phủ, ...) is one node for the country. An agency printed with its own name ("UBND thành phố Vĩnh
Yên", "Trường Đại học Hùng Vương") is resolved by that name, of the kind its first words say. A
mention the pipeline could not match keeps its printed text, a low confidence and ``resolved = False``.

>>> from policykg.records import AgencyMention
>>> ref = resolve_agency(AgencyMention("Sở KH&CN", "so-khoa-hoc-va-cong-nghe", "Sở Khoa học và Công nghệ"), "vinh-long")
>>> ref.id, ref.name, ref.resolved
('agency:vinh-long:so-khoa-hoc-va-cong-nghe', 'Sở Khoa học và Công nghệ', True)
>>> resolve_agency(AgencyMention("Bộ KH&CN", "bo-khoa-hoc-va-cong-nghe", "Bộ Khoa học và Công nghệ"), "vinh-long").id
'agency:vn:bo-khoa-hoc-va-cong-nghe'
>>> resolve_agency(AgencyMention("UBND thành phố Vĩnh Yên", None, "UBND thành phố Vĩnh Yên"), "vinh-phuc").kind
'UBND cấp huyện'
>>> resolve_issuer("UBND tỉnh Phú Thọ", "phu-tho-2025").id
'agency:phu-tho-2025:ubnd-tinh'
>>> resolve_issuer("Thủ tướng Chính phủ", None).id
'agency:vn:thu-tuong-chinh-phu'
>>> resolve_agency(AgencyMention("Công an tỉnh Nghệ An", "cong-an-tinh", "Công an tỉnh"), "ha-tinh").id
'agency:nghe-an:cong-an-tinh'
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from ..ids import NATIONAL, agency_id
from ..records import AgencyMention
from ..text import slug
from .gazetteer import Gazetteer, Province, gazetteer

__all__ = [
    "AgencyRef", "resolve_agency", "resolve_issuer", "gazetteer_name", "city_name"]


@dataclass(frozen=True)
class AgencyRef:
    """A resolved agency node."""

    id: str
    name: str
    jurisdiction: str
    kind: str
    collective: bool
    resolved: bool
    key: str | None


def _scope(g: Gazetteer, jurisdiction: str | None, province: Province | None) -> str:
    """The jurisdiction of a provincial agency: the document's, unless the mention names another province
    ("Công an tỉnh Nghệ An" in a Hà Tĩnh plan), taken in the document's era (before or after 1/7/2025)."""
    if province is None or jurisdiction in (None, NATIONAL):
        return jurisdiction or NATIONAL
    try:
        own = g.province_by_key(jurisdiction)
    except KeyError:
        return jurisdiction
    if own.name == province.name:
        return jurisdiction
    # a province that did not change keeps its key: its documents are read as of before the merger
    era = "before" if jurisdiction in {p.key for p in g.provinces("before")} else "after"
    named = g.province(province.name, era)
    return named.key if named is not None else jurisdiction


def resolve_agency(mention: AgencyMention, jurisdiction: str | None) -> AgencyRef:
    """The agency node a mention stands for, in the jurisdiction of the document naming it (or of the
    province the mention names)."""
    g = gazetteer()
    entry = g.get(mention.key)
    if entry is None and mention.collective and (key := g.collective_key(mention.name, collective=True)):
        entry = g.agency(key)
    unit = g.named_unit(mention.name) if entry is None and not mention.collective else None
    if unit is not None:
        jur = NATIONAL if unit.level == "national" else (jurisdiction or NATIONAL)
        return AgencyRef(agency_id(jur, slug(mention.name)[:80]), mention.name, jur, unit.kind, False, True, None)
    if entry is None:
        prefix = "collective" if mention.collective else "unresolved"
        jur = jurisdiction or NATIONAL
        return AgencyRef(agency_id(jur, f"{prefix}-{slug(mention.name)[:80]}"), mention.name, jur,
                         "Tập thể" if mention.collective else "Chưa xác định", mention.collective, False, None)
    if entry.level == "national":
        jur = NATIONAL
    else:
        match = g.lookup(mention.text) if mention.text else None
        jur = _scope(g, jurisdiction, match.province if match is not None and match.key == entry.key else None)
    return AgencyRef(agency_id(jur, entry.key), city_name(entry.name, jur), jur, entry.kind, entry.collective, True,
                     entry.key)


_CITY_WORDS = ((re.compile(r"\btỉnh\b"), "thành phố"), (re.compile(r"^Tỉnh ủy\b"), "Thành ủy"),
               (re.compile(r"^Tỉnh đoàn\b"), "Thành đoàn"))


def city_name(name: str, jurisdiction: str | None) -> str:
    """A provincial agency's name as a centrally-run city writes it: "Công an tỉnh" is "Công an thành phố"
    in Cần Thơ, "Tỉnh ủy" is "Thành ủy".

    >>> city_name("Công an tỉnh", "can-tho-2025"), city_name("Văn phòng UBND tỉnh", "ha-noi")
    ('Công an thành phố', 'Văn phòng UBND thành phố')
    >>> city_name("Công an tỉnh", "nghe-an"), city_name("Tỉnh ủy", "hue"), city_name("Sở Y tế", "hue")
    ('Công an tỉnh', 'Thành ủy', 'Sở Y tế')
    """
    if not jurisdiction or jurisdiction == NATIONAL:
        return name
    try:
        unit = gazetteer().province_by_key(jurisdiction)
    except KeyError:
        return name
    if unit.type != "thành phố":
        return name
    for pattern, city in _CITY_WORDS:
        name = pattern.sub(city, name)
    return name


def resolve_issuer(issuer: str, jurisdiction: str | None) -> AgencyRef | None:
    """The agency of an issuer name ("UBND tỉnh Phú Thọ", "Thủ tướng Chính phủ"), if the gazetteer knows it."""
    g = gazetteer()
    match = g.lookup(issuer) or g.lookup_prefix(issuer)
    if match is None or match.key is None:
        return None
    return resolve_agency(AgencyMention(issuer, match.key, match.name, match.collective), jurisdiction)


def gazetteer_name(key: str) -> tuple[str, bool]:
    """The canonical name of a gazetteer key and whether it is a collective.

    >>> gazetteer_name("so-noi-vu")
    ('Sở Nội vụ', False)
    """
    entry = gazetteer().agency(key)
    return entry.name, entry.collective
