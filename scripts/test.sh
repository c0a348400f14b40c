#!/usr/bin/env bash
# Installs what SyncDesk needs, builds it, and runs every test against a real, throw-away
# PostgreSQL cluster that the test run starts and stops itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
# The REST API tests use Node tools (jose, Redocly CLI, autocannon), pinned by package-lock.json.
(cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
ctest --test-dir build --output-on-failure --parallel 2 --timeout 900
