#!/usr/bin/env bash
# Installs what SyncDesk needs, builds it, and starts it with demo data and live demo traffic on its
# private PostgreSQL (or on DATABASE_URL when set). Opens the window when a display is available,
# otherwise runs headless and says so. Extra arguments are passed to syncdesk (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec build/app/syncdesk --demo "$@"
