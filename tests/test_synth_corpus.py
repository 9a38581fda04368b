"""The genre generator of the benchmarks (scripts/synth_corpus.py): deterministic for a seed, and its plans
read by the same code as real files, in both layouts, to what it says they hold."""

import importlib.util
import json
from pathlib import Path

from policykg.evaluation import _keys
from policykg.loaders import extract_file

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "synth_corpus.py"


def _generator():
    spec = importlib.util.spec_from_file_location("synth_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_same_seed_writes_the_same_plans(tmp_path):
    synth = _generator()
    one = synth.write_corpus(4, seed=3, out=tmp_path / "a", rows=10)
    two = synth.write_corpus(4, seed=3, out=tmp_path / "b", rows=10)
    other = synth.write_corpus(4, seed=4, out=tmp_path / "c", rows=10)
    assert [f.read_bytes() for f in one] == [f.read_bytes() for f in two]
    assert [f.read_bytes() for f in one] != [f.read_bytes() for f in other]
    assert sorted(f.suffix for f in one) == [".md", ".md", ".txt", ".txt"]  # both layouts


def test_generated_plans_read_as_they_were_written(tmp_path):
    synth = _generator()
    files = synth.write_corpus(2, seed=11, out=tmp_path, rows=40)
    answers = json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))
    for file in files:
        ex, want = extract_file(file), answers[file.name]
        assert [d.number for d in ex.documents] == [want["number"]] and ex.documents[0].province == want["province"]
        assert any(c.relation == "IMPLEMENTS" and c.level == "national" for c in ex.citations)
        rows = {t.number: t for t in ex.tasks if t.origin == "table"}
        assert sorted(rows, key=int) == [t["number"] for t in want["tasks"]]
        leads = sum(_keys(rows[t["number"]].lead) == _keys([t["lead"]]) for t in want["tasks"])
        supporters = sum(_keys(rows[t["number"]].support) == _keys(t["support"]) for t in want["tasks"])
        assert leads >= 0.95 * len(want["tasks"]) and supporters >= 0.9 * len(want["tasks"]), file.name
        assert len(ex.targets) == 3 and len([t for t in ex.tasks if t.origin == "duties"]) == 12
