#pragma once

#include <QSqlDatabase>

namespace syncdesk {

// The connections a piece of sync work writes through: the backend database (which also holds the
// sync state: links, conflicts, history) and the dashboard database. When both systems share one
// database, both are the same connection and everything happens in one transaction. When the
// dashboard has its own database, a worker also has `dashboardClaims`, a second connection to it
// that holds the claims of the dashboard's events until the writes of both sides have committed.
struct SyncConnections
{
    QSqlDatabase backend;
    QSqlDatabase dashboard;
    QSqlDatabase dashboardClaims;

    bool shared() const { return backend.connectionName() == dashboard.connectionName(); }
};

} // namespace syncdesk
