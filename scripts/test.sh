#!/usr/bin/env bash
# The test command (README "Test"): installs everything the tests need on a fresh machine, runs ruff, then
# every test. Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x -m "not slow"`.
set -euo pipefail
cd "$(dirname "$0")/.."

# A real browser for tests/browser: Debian's Chromium, plus fonts so Chinese and emoji are visible in
# screenshots. Playwright drives this Chromium (never `playwright install`).
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
for font in fonts-wqy-microhei fonts-noto-color-emoji; do
  dpkg -s "$font" >/dev/null 2>&1 || packages+=("$font")
done
if command -v apt-get >/dev/null 2>&1; then
  export PLAYGROUND_REQUIRE_BROWSER=1  # a missing browser is then a failure, not a skip
  if [ ${#packages[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
else
  echo "apt-get not found: install Chromium yourself, or the browser tests will be skipped." >&2
fi

python -m pip install -q -r requirements-dev.txt

python -m ruff check .

export GRADIO_ANALYTICS_ENABLED=False
# One pytest-xdist worker per core. Tests of one xdist_group (the stand-in Space; each browser module) share a
# worker, and xdist hands out the largest groups first, so the long browser modules do not end the run alone.
python -m pytest -n auto --dist loadgroup "$@"
