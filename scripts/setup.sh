#!/usr/bin/env bash
# Install everything policykg needs on a fresh machine (Python 3.11 with pip, Debian): the package
# and its Python dependencies; from Debian, Tesseract with its Vietnamese data (scans), poppler-utils
# and Ghostscript (PDF tools the tests use), and Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
PACKAGES=()
command -v chromium >/dev/null 2>&1 || PACKAGES+=(chromium)
command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie || PACKAGES+=(tesseract-ocr tesseract-ocr-vie)
command -v pdftoppm >/dev/null 2>&1 || PACKAGES+=(poppler-utils)
command -v gs >/dev/null 2>&1 || PACKAGES+=(ghostscript)
if [ ${#PACKAGES[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
    if command -v apt-get >/dev/null 2>&1; then
        $SUDO apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
    else
        echo "setup.sh: install ${PACKAGES[*]} (Debian package names)" >&2
    fi
fi
