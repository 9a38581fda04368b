"""What a person types, to nodes: agency names in any form the resolver accepts, document numbers in any
common form ("57", "57-NQ/TW", "Nghị quyết 57", "7316/KH-UBND"), provinces by name.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("doc:vn:57-nq-tw:2024", kind="Document", number="57-NQ/TW", doc_kind="Nghị quyết")
>>> g.add_node("agency:vl:so-khoa-hoc-va-cong-nghe", kind="Agency", name="Sở Khoa học và Công nghệ",
...            key="so-khoa-hoc-va-cong-nghe", jurisdiction="Vĩnh Long")
>>> index = InputIndex(g)
>>> index.documents("Nghị quyết 57"), index.documents("57-nq/tw"), index.documents("57")
(['doc:vn:57-nq-tw:2024'], ['doc:vn:57-nq-tw:2024'], ['doc:vn:57-nq-tw:2024'])
>>> index.agencies("so khcn"), index.agencies("Sở KH&CN")
(['agency:vl:so-khoa-hoc-va-cong-nghe'], ['agency:vl:so-khoa-hoc-va-cong-nghe'])
"""

from __future__ import annotations

import re

import networkx as nx

from ..resolve.gazetteer import gazetteer
from ..text import fold

__all__ = ["InputIndex"]

_KIND_WORDS = re.compile(r"^(?:nghi quyet|quyet dinh|ke hoach|chuong trinh|chi thi|ket luan|thong tu|nghi dinh|"
                         r"luat|van ban|so)\s+", re.I)


def _number_key(number: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(number))


class InputIndex:
    """Lookups from typed text to node IDs, built once per graph."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._by_number: dict[str, list[str]] = {}
        self._by_head: dict[str, list[str]] = {}
        self._agencies_by_key: dict[str, list[str]] = {}
        self._agency_names: list[tuple[str, str]] = []
        for node, data in graph.nodes(data=True):
            if data.get("kind") == "Document" and data.get("number"):
                self._by_number.setdefault(_number_key(data["number"]), []).append(node)
                head = re.match(r"\d+", data["number"])
                if head:
                    self._by_head.setdefault(head.group(0), []).append(node)
            elif data.get("kind") == "Agency":
                if data.get("key"):
                    self._agencies_by_key.setdefault(data["key"], []).append(node)
                self._agency_names.append((fold(data.get("name", "")), node))
        self.gazetteer = gazetteer()

    def documents(self, text: str) -> list[str]:
        """Document nodes a typed reference stands for (a node ID is taken as is)."""
        if text in self.graph and self.graph.nodes[text].get("kind") == "Document":
            return [text]
        bare = _KIND_WORDS.sub("", fold(text).strip()).strip()
        bare = re.sub(r"^so\s+", "", bare)
        found = self._by_number.get(_number_key(bare))
        if found:
            return sorted(found)
        if re.fullmatch(r"\d+", bare):
            return sorted(self._by_head.get(bare, []))
        return []

    def agencies(self, text: str, jurisdiction: str | None = None) -> list[str]:
        """Agency nodes a typed name stands for, in every jurisdiction unless one is given."""
        if text in self.graph and self.graph.nodes[text].get("kind") == "Agency":
            return [text]
        folded = fold(text).strip()
        match = self.gazetteer.lookup(text, fuzzy=True)
        key = match.key if match is not None else None
        nodes = self._agencies_by_key.get(key, []) if key else [n for name, n in self._agency_names if folded == name]
        if jurisdiction:
            nodes = [n for n in nodes if fold(jurisdiction) in fold(self.graph.nodes[n].get("jurisdiction", ""))]
        return sorted(nodes)

