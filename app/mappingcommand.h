#pragma once

#include "config/syncsettings.h"

#include <QStringList>

namespace syncdesk::app {

// `syncdesk mapping show` prints the mapping in effect; `syncdesk mapping check [FILE]` reads a mapping
// file (the one in effect when none is named) and holds it against the configured databases'
// catalogues without changing them, printing every problem with its line in the file.
class MappingCommand
{
public:
    // Exit codes: 0 shown, or the mapping holds; 1 problems found or a database could not be read;
    // 2 usage error.
    static int run(const QStringList &arguments, const SyncSettings &settings);
};

} // namespace syncdesk::app
