#pragma once

#include <QString>

namespace syncdesk::app {

// How SyncDesk's log lines look on stderr (SYNC_LOG_FORMAT / --log-format): "text" is one line per
// message with time, level and category; "json" is one JSON object per line ({"time", "level",
// "category", "message"}) for log collectors.
class LogFormat
{
public:
    static void install(const QString &format);
};

} // namespace syncdesk::app
