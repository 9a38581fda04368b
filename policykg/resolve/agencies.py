"""Agencies: one node per gazetteer entry per jurisdiction; the rest reported as unresolved.

A provincial agency is scoped by the jurisdiction of the document that names it ("Sở
Tài chính" in a Vĩnh Long plan is Vĩnh Long's); a national one (Bộ, Chính phủ, ...) is one
node for the country. An agency printed with its own name ("UBND thành phố Vĩnh
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
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .. import ontology
from ..graph.model import NATIONAL, agency_id
from ..records import AgencyMention
from ..text import fold, slug

__all__ = ["AgencyRef", "resolve_agency", "resolve_issuer", "gazetteer_name"]


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


@cache
def _entries() -> dict[str, dict]:
    data = ontology.agencies()
    out = {}
    for group, collective in (("agencies", False), ("collectives", True)):
        for item in data.get(group, []):
            out[item["key"]] = {**item, "collective": collective}
    return out


@cache
def _by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, item in _entries().items():
        for form in [item["name"], *(item.get("aliases") or [])]:
            out.setdefault(fold(form), key)
    return out


def resolve_agency(mention: AgencyMention, jurisdiction: str | None) -> AgencyRef:
    """The agency node a mention stands for, in the jurisdiction of the document naming it."""
    entry = _entries().get(mention.key or "")
    named_kind = ontology.named_unit_kind(mention.name) if entry is None and not mention.collective else None
    if named_kind is not None:
        jur = jurisdiction or NATIONAL
        return AgencyRef(agency_id(jur, slug(mention.name)[:80]), mention.name, jur, named_kind, False, True, None)
    if entry is None:
        prefix = "collective" if mention.collective else "unresolved"
        jur = jurisdiction or NATIONAL
        return AgencyRef(agency_id(jur, f"{prefix}-{slug(mention.name)[:80]}"), mention.name, jur,
                         "Tập thể" if mention.collective else "Chưa xác định", mention.collective, False, None)
    jur = NATIONAL if entry.get("level") == "national" else (jurisdiction or NATIONAL)
    return AgencyRef(agency_id(jur, entry["key"]), entry["name"], jur, entry.get("kind", "Tập thể"),
                     entry["collective"], True, entry["key"])


def resolve_issuer(issuer: str, jurisdiction: str | None) -> AgencyRef | None:
    """The agency of an issuer name ("UBND tỉnh Phú Thọ", "Thủ tướng Chính phủ"), if the gazetteer knows it."""
    folded = fold(issuer)
    key = _by_name().get(folded)
    if key is None:
        # drop the province name after "tỉnh" / the trailing province: "UBND tỉnh Phú Thọ" -> "UBND tỉnh"
        words = folded.split()
        for n in range(len(words) - 1, 0, -1):
            if (key := _by_name().get(" ".join(words[:n]))) is not None:
                break
    if key is None:
        return None
    entry = _entries()[key]
    return resolve_agency(AgencyMention(issuer, key, entry["name"], entry["collective"]), jurisdiction)


def gazetteer_name(key: str) -> tuple[str, bool]:
    """The canonical name of a gazetteer key and whether it is a collective.

    >>> gazetteer_name("so-noi-vu")
    ('Sở Nội vụ', False)
    """
    entry = _entries()[key]
    return entry["name"], entry["collective"]
