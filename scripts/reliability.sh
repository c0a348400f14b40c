#!/usr/bin/env bash
# The crash suite (tests/reliability): SyncDesk under demo traffic while it is killed, its database
# crashes or cuts its connections, one of four instances dies, or the helpdesk's database goes away;
# each scenario must end with nothing lost and nothing applied twice. Writes its table into
# docs/reliability.md.
#
#   bash scripts/reliability.sh           the long form (about 15 minutes)
#   bash scripts/reliability.sh --short   the short form CI runs (ctest -L reliability)
set -euo pipefail
cd "$(dirname "$0")/.."

form=long
if [ "${1:-}" = "--short" ]; then
    form=short
elif [ $# -gt 0 ]; then
    echo "usage: scripts/reliability.sh [--short]" >&2
    exit 2
fi

bash scripts/install-deps.sh
bash scripts/build.sh
table=$(mktemp)
trap 'rm -f "$table"' EXIT
SYNCDESK_RELIABILITY=$form SYNCDESK_RELIABILITY_REPORT="$table" SYNCDESK_BINARY="$PWD/build/app/syncdesk" \
    SYNCDESK_SOURCE_DIR="$PWD" build/tests/tst_crashsuite
# The table goes between the markers of its form in docs/reliability.md.
python3 - "$form" "$table" "$(date -u +%Y-%m-%d)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import re, sys
form, table_file, day, cores, load = sys.argv[1:]
table = open(table_file).read().strip()
doc = open('docs/reliability.md').read()
begin, end = f'<!-- {form} form: begin -->', f'<!-- {form} form: end -->'
block = f'{begin}\nMeasured {day} on {cores} cores (load average {load} at the end).\n\n{table}\n{end}'
doc = re.sub(re.escape(begin) + '.*?' + re.escape(end), lambda m: block, doc, flags=re.S)
open('docs/reliability.md', 'w').write(doc)
PY
echo "docs/reliability.md: $form form updated"
