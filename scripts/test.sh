#!/usr/bin/env bash
# Installs what SyncDesk needs, builds it, and runs every test against a real, throw-away
# PostgreSQL cluster that the test run starts and stops itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
# The REST API tests use Node tools (jose, Redocly CLI, autocannon), pinned by package-lock.json.
(cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
# Includes the crash suite's short form (label reliability) and the replay of every fuzz corpus.
ctest --test-dir build --output-on-failure --parallel 2 --timeout 900
# Every parser fuzzed with libFuzzer, ASan and UBSan, in a clang build of its own (build-fuzz/): 60 s a
# target, two at a time; scripts/fuzz.sh --minutes N is the long form.
bash scripts/fuzz.sh
