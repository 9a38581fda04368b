#!/usr/bin/env bash
# Install everything policykg needs on a fresh machine (Python 3.11 with pip, Debian):
# the package and its Python dependencies, and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
    if command -v apt-get >/dev/null 2>&1; then
        $SUDO apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    else
        echo "setup.sh: install Chromium (the browser tests need it)" >&2
    fi
fi
