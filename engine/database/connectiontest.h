#pragma once

#include "core/result.h"

#include <QString>

namespace syncdesk {

struct ConnectionTestReport
{
    QString serverVersion; // "PostgreSQL 15.5 on x86_64..."
    QString database;
    QString user;
    int schemaVersion = 0; // SyncDesk migrations applied there; 0: not a SyncDesk database yet
};

// "Test connection" in the settings: parses a PostgreSQL URL, connects with a throw-away connection
// and asks the server who it is and whether SyncDesk's schema is there. Blocking; call it off the
// GUI thread. The failure is one sentence for a person (bad URL, unreachable host, wrong password).
class ConnectionTest
{
public:
    static Result<ConnectionTestReport> run(const QString &url);
};

} // namespace syncdesk
