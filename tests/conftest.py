"""Shared fixtures: the corpus beside the repository, its extractions and its graph (built once)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policykg.graph.builder import build_graph
from policykg.loaders import extract_file

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))

VINH_PHUC = "000_09d279f00c1e9706.txt"
VINH_LONG = "001_2136b0a1750722ce.txt"
YEN_BAI = "003_97ead215d4cf5640.txt"
PHU_THO = "004_a6ece48c4c1ca826.txt"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = SHARED / "corpus"
    assert path.is_dir(), f"the corpus is expected at {path} (set POLICYKG_SHARED to the shared folder)"
    return path


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    return SHARED / "eval"


@pytest.fixture(scope="session")
def wild_dir() -> Path:
    path = SHARED / "corpus-wild"
    assert path.is_dir(), f"the wild corpus is expected at {path} (set POLICYKG_SHARED to the shared folder)"
    return path


@pytest.fixture(scope="session")
def wild_answers() -> dict[str, dict]:
    """The hand-checked answers of tests/data/wild, by the name of the document they answer."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "data" / "wild").glob("*.json"))}


@pytest.fixture(scope="session")
def wild_extractions(wild_dir, wild_answers):
    return {name: extract_file(wild_dir / answers["source"]) for name, answers in wild_answers.items()}


@pytest.fixture(scope="session")
def extractions(corpus_dir):
    return {p.name: extract_file(p) for p in sorted(corpus_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def corpus_graph(extractions):
    return build_graph(extractions.values()).graph


@pytest.fixture(scope="session")
def load_eval(eval_dir):
    def load(name: str) -> dict:
        with open(eval_dir / name, encoding="utf-8") as handle:
            return json.load(handle)

    return load
