#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace syncdesk {

// Record counts on both sides and the state of the change queue: what an admin glances at first.
struct DatabaseStatistics
{
    qint64 backendUsers = 0;
    qint64 backendConversations = 0;
    qint64 backendMessages = 0;
    qint64 backendTickets = 0;
    qint64 dashboardCustomers = 0;
    qint64 dashboardTickets = 0;
    qint64 pendingEvents = 0;
    qint64 deadEvents = 0;
    qint64 capturedLastMinute = 0;
    QDateTime oldestPendingAt;
    QDateTime collectedAt;

    // One query against a database holding both schemas. Counts of the big tables are planner
    // estimates (pg_class.reltuples) once they pass 100,000 rows, so this stays cheap.
    // `helpdesk`: the helpdesk's own database, when it has one; its records and queue are counted there.
    static Result<DatabaseStatistics> collect(QSqlDatabase &db, QSqlDatabase *helpdesk = nullptr);
};

} // namespace syncdesk
