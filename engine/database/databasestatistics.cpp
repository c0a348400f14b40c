#include "database/databasestatistics.h"

#include "database/sql.h"

namespace syncdesk {

Result<DatabaseStatistics> DatabaseStatistics::collect(QSqlDatabase &db, QSqlDatabase *helpdesk)
{
    if (helpdesk && helpdesk->connectionName() != db.connectionName()) {
        auto product = collect(db);
        auto other = product ? collect(*helpdesk) : product;
        if (!other)
            return other;
        DatabaseStatistics both = product.value();
        both.dashboardCustomers = other->dashboardCustomers;
        both.dashboardTickets = other->dashboardTickets;
        both.pendingEvents += other->pendingEvents;
        both.deadEvents += other->deadEvents;
        both.capturedLastMinute += other->capturedLastMinute;
        if (other->oldestPendingAt.isValid()
            && (!both.oldestPendingAt.isValid() || other->oldestPendingAt < both.oldestPendingAt))
            both.oldestPendingAt = other->oldestPendingAt;
        return Result<DatabaseStatistics>::success(both);
    }
    // Exact count for small tables, the planner's estimate for big ones.
    const auto count = [](const char *table) {
        return QStringLiteral(
                   "(SELECT CASE WHEN c.reltuples > 100000 THEN c.reltuples::bigint "
                   "ELSE (SELECT count(*) FROM %1) END FROM pg_class c WHERE c.oid = '%1'::regclass)")
            .arg(QLatin1String(table));
    };
    const QString statement =
        QStringLiteral("SELECT %1, %2, %3, %4, %5, %6, "
                       "(SELECT count(*) FROM sync.outbox WHERE status = 'pending'), "
                       "(SELECT count(*) FROM sync.outbox WHERE status = 'dead'), "
                       "(SELECT count(*) FROM sync.outbox WHERE captured_at > now() - interval '1 minute'), "
                       "(SELECT min(captured_at) FROM sync.outbox WHERE status = 'pending'), now()")
            .arg(count("backend.users"), count("backend.conversations"), count("backend.messages"),
                 count("backend.tickets"), count("dashboard.customers"), count("dashboard.tickets"));
    auto rows = sql::run(db, statement);
    if (!rows)
        return Result<DatabaseStatistics>::failure(rows.error());
    if (!rows.value().next())
        return Result<DatabaseStatistics>::failure(QStringLiteral("no statistics returned"));
    const QSqlQuery &row = rows.value();
    DatabaseStatistics stats;
    stats.backendUsers = row.value(0).toLongLong();
    stats.backendConversations = row.value(1).toLongLong();
    stats.backendMessages = row.value(2).toLongLong();
    stats.backendTickets = row.value(3).toLongLong();
    stats.dashboardCustomers = row.value(4).toLongLong();
    stats.dashboardTickets = row.value(5).toLongLong();
    stats.pendingEvents = row.value(6).toLongLong();
    stats.deadEvents = row.value(7).toLongLong();
    stats.capturedLastMinute = row.value(8).toLongLong();
    stats.oldestPendingAt = row.value(9).toDateTime();
    stats.collectedAt = row.value(10).toDateTime();
    return Result<DatabaseStatistics>::success(stats);
}

} // namespace syncdesk
