"""``SUCCEEDED_BY`` edges: every agency of the graph followed through the 2025 restructuring.

For each agency node: a department or ministry that was merged or split is succeeded, in its own
jurisdiction, by the agencies that took its functions (one edge per successor, with the function
for a split); a named district-level committee by the province's communes (UBND cấp xã); and a
provincial agency of a merged province by the same agency of the new province. Successors are
added as agency nodes (``named = False`` when no document names them) and followed in turn, so
Sở Thông tin và Truyền thông of Vĩnh Phúc → Sở Khoa học và Công nghệ of Vĩnh Phúc (1/3/2025)
→ Sở Khoa học và Công nghệ of Phú Thọ (1/7/2025). Each edge carries its date and instrument.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import AgencyMention
from ..resolve.agencies import gazetteer_name
from ..resolve.jurisdictions import jurisdiction_by_key, merged_into
from ..resolve.restructuring import Change, district_successor, is_district_unit, province_merger, successors
from .model import NATIONAL, EdgeKind, NodeKind

if TYPE_CHECKING:
    from .builder import _Builder

__all__ = ["add_successions"]


def _changes_of(data: dict) -> list[Change]:
    jurisdiction = data["jurisdiction_id"].removeprefix("jur:")
    level = "national" if jurisdiction == NATIONAL else "province"
    found = successors(data.get("key"), level)
    if not found and level == "province" and not data.get("key") and is_district_unit(data["name"]):
        found = [district_successor()]
    return found


def add_successions(b: _Builder) -> None:
    """Add the successors of every agency node of ``b`` and the ``SUCCEEDED_BY`` edges to them."""
    pending = sorted(node_id for node_id, data in b.nodes.items() if data["kind"] == NodeKind.AGENCY.value)
    done: set[str] = set()
    while pending:
        node_id = pending.pop(0)
        if node_id in done:
            continue
        done.add(node_id)
        data = b.nodes[node_id]
        jur = jurisdiction_by_key(data["jurisdiction_id"].removeprefix("jur:"))
        for change in _changes_of(data):
            for successor in change.to:
                name, collective = gazetteer_name(successor.agency)
                target = _successor_node(b, AgencyMention(name, successor.agency, name, collective), jur)
                attrs = {"date": change.effective, "instrument": change.instrument, "function": successor.function}
                b.edge(node_id, target, EdgeKind.SUCCEEDED_BY, **{k: v for k, v in attrs.items() if v})
                pending.append(target)
            data["valid_to"] = change.effective
        if _changes_of(data) or not data.get("resolved") or (new := merged_into(jur)) is None:
            continue
        merger = province_merger()
        mention = AgencyMention(data["name"], data["key"], data["name"], bool(data.get("collective")))
        target = _successor_node(b, mention, new)
        b.edge(node_id, target, EdgeKind.SUCCEEDED_BY, date=merger.effective, instrument=merger.instrument)
        data["valid_to"] = merger.effective
        pending.append(target)


def _successor_node(b: _Builder, mention: AgencyMention, jur) -> str:
    existed = b.resolved(mention, jur)[0].id in b.nodes
    node_id = b.agency(mention, jur)
    if not existed:
        b.nodes[node_id]["named"] = False
    return node_id
