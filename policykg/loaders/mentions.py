"""Agency mentions from the pipeline's entities: lists of agencies as the genre writes them.

>>> from policykg.loaders.nlp import get_nlp
>>> doc = get_nlp()("Phối hợp với Sở Tài chính, Sở Nội vụ và các cơ quan liên quan xây dựng kế hoạch")
>>> [m.name for m in agency_list(doc, len("Phối hợp với "))[0]]
['Sở Tài chính', 'Sở Nội vụ', 'Các cơ quan, đơn vị liên quan']
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ..records import AgencyMention
from ..resolve.gazetteer import gazetteer
from ..text import collapse_spaces, fold_chars

__all__ = ["mention", "agency_list", "LIST_GLUE"]

# What may stand between two agencies of one list: punctuation, "và", "cùng", "các".
LIST_GLUE = re.compile(r"^[\s,;]*(?:(?:va|cung|voi|cac)\b[\s,;]*)*$")


def mention(ent: Span, line: int | None = None) -> AgencyMention:
    """An :class:`AgencyMention` for a pipeline entity (``AGENCY`` or ``COLLECTIVE``)."""
    doc = ent.doc
    key = ent.ent_id_ or None
    confidence = doc.user_data.get("confidence", {}).get((ent.start, ent.end), 1.0)
    printed = collapse_spaces(ent.text).strip(" ,;:.")
    if key and key in gazetteer():
        name = gazetteer().name(key)
    else:
        key = None
        name = printed[:1].upper() + printed[1:]
    return AgencyMention(printed, key, name, ent.label_ == "COLLECTIVE", confidence, line)


def agency_list(doc: Doc, start_char: int, line_of=None) -> tuple[list[AgencyMention], int]:
    """The agencies listed from ``start_char`` on, and the character offset where the list ends.

    Agencies must follow one another with only list glue between them ("," "và" ";").
    """
    folded = fold_chars(doc.text).lower()
    out: list[AgencyMention] = []
    position = start_char
    for ent in doc.ents:
        if ent.end_char <= start_char or ent.label_ not in {"AGENCY", "COLLECTIVE"}:
            continue
        if ent.start_char < position:
            continue
        if not LIST_GLUE.match(folded[position:ent.start_char]):
            break
        out.append(mention(ent, line_of(ent.start_char) if line_of else None))
        position = ent.end_char
    return out, position
