#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite: lint, then unit, integration, end to end.
# Usage: scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export REDACTOR_HOME="${REDACTOR_HOME:-$(mktemp -d)}"
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format: files need formatting (run .venv/bin/ruff format .)"; exit 1; }
echo "== pytest"
# -p no:cacheprovider keeps a read-only checkout clean; tiers run in order within one session
.venv/bin/python -m pytest -p no:cacheprovider "$@"
