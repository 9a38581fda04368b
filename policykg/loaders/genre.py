"""What a file that is not of the genre looks like: a law, a report, a news article, a price list.

A file with no kind heading of the genre (plan, decision, directive, programme, regulation) is
not loaded; it is reported with what was found — its heading, number, date and the documents it
cites — so the person who gave it can tell what it is.

>>> from policykg.loaders.readers.markdown import read_markdown
>>> describe(read_markdown("**LUẬT**\\n\\nBẢO VỆ DỮ LIỆU CÁ NHÂN\\n\\nCăn cứ Hiến pháp; Luật số 91/2025/QH15 ...", "law.md"))
'a law (heading “LUẬT”); 1 document number cited (91/2025/QH15)'
>>> describe(read_markdown("Giá vàng hôm nay tăng mạnh. Theo Nghị quyết 57-NQ/TW ...", "news.md"))
'no heading of a document, no “Số:” line; 1 document number cited (57-NQ/TW); reads like running text (a news article or a web page?)'
>>> from policykg.loaders.document import Block, Cell, Document, Table
>>> prices = Table([Cell(0, 0, "Mặt hàng"), Cell(0, 1, "Đơn giá (đồng)"), Cell(1, 0, "Xi măng"), Cell(1, 1, "1.500.000")])
>>> describe(Document("gia.html", "html", [Block("table", "", 1, 3, table=prices)]))
'no heading of a document, no “Số:” line; a price list (table with “Đơn giá (đồng)”)'
"""

from __future__ import annotations

import re

from .. import ontology
from ..text import collapse_spaces, fold, fold_chars
from .document import Document
from .nlp import DOCNUM_RE
from .readers.blocks import is_caps

__all__ = ["describe"]

_NUMBER_LINE = re.compile(r"^\s*s\S{0,2}\s*:\s*\S")
_PRICE = re.compile(r"\b(?:don gia|gia ban|gia (?:niem yet|thi truong|tham khao)|bang gia|muc gia|gia \(dong\))")
_OTHER_KINDS = {"luat": "a law", "nghi dinh": "a decree", "thong tu": "a circular", "bao cao": "a report",
                "to trinh": "a submission (tờ trình)", "cong van": "an official letter", "phap lenh": "an ordinance",
                "thong bao": "a notice", "ket luan": "a conclusion"}


def _kind_words() -> dict[str, str]:
    return {fold(k): k for k in ontology.document_codes()["kind_words"]}


def describe(doc: Document) -> str:
    """One line saying what a file not of the genre holds."""
    found: list[str] = []
    headings = [b for b in doc.blocks if b.kind in {"heading", "paragraph"} and is_caps(b.text) and len(b.text) < 40]
    kind_words = _kind_words()
    kind = next((b.text for b in headings if collapse_spaces(fold(b.text)).rstrip(" .:") in kind_words), None)
    if kind:
        what = _OTHER_KINDS.get(collapse_spaces(fold(kind)).rstrip(" .:"), "a document")
        found.append(f"{what} (heading “{collapse_spaces(kind)}”)")
    else:
        numbered = any(_NUMBER_LINE.match(fold_chars(line.text).lower()) for line in doc.lines[:60])
        found.append("no heading of a document" + ("" if numbered else ", no “Số:” line"))
    text = " ".join(b.text for b in doc.blocks if b.kind != "table")
    numbers = list(dict.fromkeys(re.sub(r"\s+", "", m.group(0)) for m in DOCNUM_RE.finditer(text)))
    if numbers:
        shown = ", ".join(numbers[:3]) + (", …" if len(numbers) > 3 else "")
        found.append(f"{len(numbers)} document number{'s' if len(numbers) > 1 else ''} cited ({shown})")
    for block in doc.tables:
        assert block.table is not None
        price = next((c.text for c in block.table.cells if _PRICE.search(fold_chars(c.text).lower())), None)
        if price:
            found.append(f"a price list (table with “{collapse_spaces(price)[:40]}”)")
            break
    if not kind and _task_list(doc):
        found.append("a task list that names no document: say whose tasks they are with --document "
                     "\"Kế hoạch 12/KH-UBND ngày 05/3/2025 của UBND tỉnh Bắc Ninh\" (or a title row naming it)")
    if not kind and not doc.tables and not headings and len(text) > 40:
        found.append("reads like running text (a news article or a web page?)")
    return "; ".join(found)


def _task_list(doc: Document) -> bool:
    """True when a table of ``doc`` is a task table (a task column and an agency column)."""
    from .cell_tables import table_layout

    return any(b.table is not None and (layout := table_layout(b.table)) is not None and layout.is_task_table
               for b in doc.tables)
