#!/usr/bin/env bash
# Refreshes translations/*.ts from the sources (ui/ and app/). -I lets lupdate's own C++ parser find
# the headers ("ui/page.h"), so each tr() is filed under its class's full name (syncdesk::ui::Page),
# which is what the running window looks up. New strings then need their German text (Qt Linguist,
# or by hand); the English file holds only plural forms.
set -euo pipefail
cd "$(dirname "$0")/.."
LUPDATE=${LUPDATE:-/usr/lib/qt6/bin/lupdate}
"$LUPDATE" -no-obsolete -locations none -I . -I engine ui app -ts translations/syncdesk_de.ts
"$LUPDATE" -no-obsolete -pluralonly -locations none -I . -I engine ui app -ts translations/syncdesk_en.ts
