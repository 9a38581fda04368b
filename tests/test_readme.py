"""The README's set-up commands are the ones CI runs."""

import re

from conftest import ROOT


def _commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_the_two_commands():
    build, tests = _commands()[:2]
    assert build.startswith("bash scripts/setup.sh && policykg build ../shared/corpus")
    assert tests == "bash scripts/setup.sh && python3 -m pytest"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()[1] in ci
