#!/usr/bin/env bash
# Renders a screenshot of every page of the window (offscreen, demo data with live demo traffic) into
# docs/screenshots/. Needs the PostgreSQL server package (as the tests do); starts and stops a
# throw-away cluster of its own. BUILD_DIR picks the build folder (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$BUILD_DIR" --target syncdesk-screenshots syncdesk-test-cluster
state=$(mktemp -d)/cluster.ini
"$BUILD_DIR/tests/syncdesk-test-cluster" start "$state"
trap '"$BUILD_DIR/tests/syncdesk-test-cluster" stop "$state" >/dev/null' EXIT
SYNCDESK_TEST_STATE="$state" QT_QPA_PLATFORM=offscreen "$BUILD_DIR/tests/syncdesk-screenshots" docs/screenshots "$@"
