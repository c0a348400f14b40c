#pragma once

#include <QSqlDatabase>

namespace syncdesk {

// The connections a piece of sync work writes through: the backend database (which also holds the
// sync state: links, conflicts, history) and the dashboard database. When both systems share one
// database, both are the same connection and everything happens in one transaction.
struct SyncConnections
{
    QSqlDatabase backend;
    QSqlDatabase dashboard;

    bool shared() const { return backend.connectionName() == dashboard.connectionName(); }
};

} // namespace syncdesk
