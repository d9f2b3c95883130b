#!/usr/bin/env bash
# The test command (README, .ci/run): install gongkai from this checkout's files into .venv, then run the tests.
# Everything the tests need is installed here; nothing is assumed to be on the machine already.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
# headless Chromium renders the evaluation report in a test; install it where we may (CI runs as root)
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
    || echo "warning: could not install chromium; the report-rendering test will be skipped"
fi
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
