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
# Everything but the browser on one pytest-xdist worker per core (tests of one xdist_group, the stand-in Space,
# share a worker). Then the browser tests on their own, one at a time: a Chromium page and the app it drives
# compete with nothing, so their waits measure the app, not the neighbours (beside xdist workers they flaked).
# Exit status 5 is "no tests selected", e.g. `bash scripts/test.sh tests/unit` leaves the second run empty.
status=0
PLAYGROUND_BROWSER_TESTS=skip python -m pytest -n auto --dist loadgroup "$@" || status=$?
[ "$status" -eq 5 ] && status=0
browser=0
PLAYGROUND_BROWSER_TESTS=only python -m pytest -n 0 "$@" || browser=$?
[ "$browser" -eq 5 ] && browser=0
exit $(( status != 0 ? status : browser ))
