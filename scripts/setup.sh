#!/usr/bin/env bash
# Install everything policykg needs on a fresh machine (Python 3.11 with pip).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
