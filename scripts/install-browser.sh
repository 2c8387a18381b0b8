#!/bin/sh
# Install what the browser test of the HTML report needs: Chromium from the Debian archive and the Playwright
# Python package (which drives that Chromium; we never run `playwright install`, which downloads its own browsers).
# Idempotent: does nothing when /usr/bin/chromium exists and Playwright imports in the given Python.
#
# Usage: scripts/install-browser.sh .venv/bin/python
set -eu

PYTHON="${1:?usage: $0 PATH-TO-VENV-PYTHON}"
PLAYWRIGHT_VERSION="1.65.2"
CHROMIUM="/usr/bin/chromium"

if [ -x "$CHROMIUM" ] && "$PYTHON" -c "import playwright.sync_api" >/dev/null 2>&1; then
    exit 0
fi

if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "install-browser: installing chromium (Debian package)" >&2
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if ! "$PYTHON" -c "import playwright.sync_api" >/dev/null 2>&1; then
    echo "install-browser: installing playwright==$PLAYWRIGHT_VERSION into $PYTHON" >&2
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi
