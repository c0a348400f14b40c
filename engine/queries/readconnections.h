#pragma once

#include <QSqlDatabase>

namespace syncdesk {

// What a read model reads through: the product's database, which also holds the sync state, and the
// helpdesk's when it has one of its own (DASHBOARD_DATABASE_URL); otherwise `dashboard` is the same
// connection or left invalid. Read models that only read the sync state take it as a QSqlDatabase.
struct ReadConnections
{
    QSqlDatabase backend;
    QSqlDatabase dashboard;

    bool split() const
    {
        return dashboard.isValid() && dashboard.connectionName() != backend.connectionName();
    }
    operator QSqlDatabase &() { return backend; }
};

} // namespace syncdesk
