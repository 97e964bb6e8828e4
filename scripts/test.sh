#!/usr/bin/env bash
# The whole test suite: lint, then every test. Window-level tests run on a virtual X screen.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check kiosk tests tools
xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
  .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
