"""The graph model in one place: node kinds and edge kinds; the stable, readable IDs
(**contract**) are made in :mod:`policykg.ids` and re-exported here.

>>> document_id(None, "57-NQ/TW", 2024), agency_id("phu-tho-2025", "so-y-te")
('doc:vn:57-nq-tw:2024', 'agency:phu-tho-2025:so-y-te')
>>> EdgeKind.LEADS.value
'LEADS'
"""

from __future__ import annotations

from enum import Enum

from ..ids import (
    NATIONAL,
    agency_id,
    document_id,
    jurisdiction_id,
    law_id,
    task_id,
    unnumbered_document_id,
)

__all__ = [
    "NodeKind",
    "EdgeKind",
    "DOCUMENT_RELATIONS",
    "NATIONAL",
    "jurisdiction_id",
    "document_id",
    "law_id",
    "unnumbered_document_id",
    "agency_id",
    "task_id",
]


class NodeKind(str, Enum):
    DOCUMENT = "Document"
    TASK = "Task"
    TARGET = "Target"
    AGENCY = "Agency"
    JURISDICTION = "Jurisdiction"


class EdgeKind(str, Enum):
    IMPLEMENTS = "IMPLEMENTS"
    BASED_ON = "BASED_ON"
    CITES = "CITES"
    ISSUES = "ISSUES"
    REPLACES = "REPLACES"
    ISSUED_BY = "ISSUED_BY"
    HAS_TASK = "HAS_TASK"
    LEADS = "LEADS"
    SUPPORTS = "SUPPORTS"
    HAS_TARGET = "HAS_TARGET"
    MONITORS = "MONITORS"
    SUCCEEDED_BY = "SUCCEEDED_BY"
    MERGED_INTO = "MERGED_INTO"
    PART_OF = "PART_OF"


# Document → document relations, strongest first: a CITES edge is dropped where another one says more.
DOCUMENT_RELATIONS = (EdgeKind.ISSUES, EdgeKind.REPLACES, EdgeKind.IMPLEMENTS, EdgeKind.BASED_ON, EdgeKind.CITES)
