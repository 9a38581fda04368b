"""The ontology and the reference data of policykg, as files beside this module.

- ``policykg.ttl``: the OWL ontology (ELI, W3C ORG, PROV-O, DCTERMS terms reused).
- ``agencies.yaml``: the gazetteer of agencies and collective phrases.
- ``provinces.yaml``: provincial units before and after the 2025 merger.
- ``document_codes.yaml``: what the parts of a document number mean.
- ``lexicon.yaml``: words of the genre extraction rules lean on (verbs that open a task's title).

>>> codes = document_codes()
>>> codes["types"]["NQ"]
'Nghị quyết'
>>> len(provinces()["after"])
34
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DATA_DIR", "ONTOLOGY_TTL", "agencies", "provinces", "document_codes", "lexicon"]

DATA_DIR = Path(__file__).resolve().parent
ONTOLOGY_TTL = DATA_DIR / "policykg.ttl"


@cache
def _load(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def agencies() -> dict[str, Any]:
    """The agency gazetteer: ``{"agencies": [...], "collectives": [...]}``."""
    return _load("agencies.yaml")


def provinces() -> dict[str, Any]:
    """Provincial units: ``{"before": [...63], "after": [...34], "effective": date}``."""
    return _load("provinces.yaml")


def document_codes() -> dict[str, Any]:
    """Document type and issuer codes of document numbers."""
    return _load("document_codes.yaml")


def lexicon() -> dict[str, Any]:
    """Words of the genre: ``{"task_openers": [...]}``."""
    return _load("lexicon.yaml")
