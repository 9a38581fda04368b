"""The ontology and the reference data of policykg, as files beside this module.

- ``policykg.ttl``: the OWL ontology (ELI, W3C ORG, PROV-O, DCTERMS terms reused).
- ``agencies.yaml``: the gazetteer of agencies and collective phrases.
- ``provinces.yaml``: provincial units before and after the 2025 merger.
- ``document_codes.yaml``: what the parts of a document number mean.
- ``restructuring.yaml``: the 2025 restructuring (successions, with instrument and date).
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

__all__ = ["DATA_DIR", "ONTOLOGY_TTL", "load_yaml", "agencies", "provinces", "document_codes", "lexicon", "restructuring", "named_unit_kind"]

DATA_DIR = Path(__file__).resolve().parent
ONTOLOGY_TTL = DATA_DIR / "policykg.ttl"


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where PyYAML was built with it


def load_yaml(path: Path) -> Any:
    """A YAML data file, read with libyaml's safe loader when there is one (several times faster)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LOADER)  # noqa: S506 - a safe loader


@cache
def _load(name: str) -> dict[str, Any]:
    return load_yaml(DATA_DIR / name)


def agencies() -> dict[str, Any]:
    """The agency gazetteer's data: ``{"agencies": [...], "collectives": [...], "named_units": [...], ...}``.
    Read it through :func:`policykg.resolve.gazetteer.gazetteer`, which builds the name forms once."""
    return _load("agencies.yaml")


def provinces() -> dict[str, Any]:
    """Provincial units: ``{"before": [...63], "after": [...34], "effective": date}``."""
    return _load("provinces.yaml")


def document_codes() -> dict[str, Any]:
    """Document type and issuer codes of document numbers."""
    return _load("document_codes.yaml")


def lexicon() -> dict[str, Any]:
    """Words of the genre: ``{"task_openers": [...], "name_stops": [...], "proper_name_stops": [...]}``."""
    return _load("lexicon.yaml")


def restructuring() -> dict[str, Any]:
    """The 2025 restructuring: ``{"changes": [...], "district_units": {...}, "provinces": {...}}``."""
    return _load("restructuring.yaml")


def named_unit_kind(name: str) -> str | None:
    """The kind of an agency printed with its own name ("UBND thành phố Vĩnh Yên", "Trường Đại học Hùng
    Vương"), from the ``named_units`` of the gazetteer; None for any other text. Kept for the modules that
    import it from here: the rule is :meth:`policykg.resolve.gazetteer.Gazetteer.named_unit_kind`.

    >>> named_unit_kind("UBND thành phố Vĩnh Yên"), named_unit_kind("Trường Đại học Hùng Vương")
    ('UBND cấp huyện', 'Trường đại học')
    >>> named_unit_kind("UBND tỉnh") is None and named_unit_kind("Trường học") is None
    True
    """
    from ..resolve.gazetteer import gazetteer  # the gazetteer reads this package's data: imported on use

    return gazetteer().named_unit_kind(name)
