#include "queries/helpdeskmirror.h"

#include "database/sql.h"

#include <QDateTime>
#include <QHash>

#include <libpq-fe.h>

namespace syncdesk {

namespace {

// When each session (connection name and server process, which a reconnect changes) last copied.
// Per thread, as the connections are.
thread_local QHash<QString, qint64> t_copiedAt;

QString sessionKey(const QSqlDatabase &db)
{
    PGconn *connection = sql::pgConnection(db);
    return db.connectionName() + QLatin1Char('/') +
           QString::number(connection ? PQbackendPID(connection) : 0);
}

const QString kPendingQueue = QStringLiteral("FROM sync.outbox WHERE status IN ('pending', 'processing')");

} // namespace

Result<QString> HelpdeskMirror::statement(ReadConnections &db, const QString &statement, int maxAgeMs)
{
    if (!db.split())
        return Result<QString>::success(statement);
    const QString key = sessionKey(db.backend);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!t_copiedAt.contains(key) || now - t_copiedAt.value(key) > maxAgeMs) {
        t_copiedAt.remove(key);
        if (Status refreshed = refresh(db); !refreshed)
            return Result<QString>::failure(QStringLiteral("reading the helpdesk's database: ") +
                                            refreshed.error());
        t_copiedAt.insert(key, now);
    }
    QString rewritten = statement;
    rewritten.replace(QLatin1String("dashboard.customers"), QLatin1String("pg_temp.helpdesk_customers"))
        .replace(QLatin1String("dashboard.tickets"), QLatin1String("pg_temp.helpdesk_tickets"))
        .replace(kPendingQueue,
                 QStringLiteral("FROM (SELECT side, entity, entity_id, status FROM sync.outbox UNION ALL "
                                "SELECT side, entity, entity_id, status FROM pg_temp.helpdesk_queue) q "
                                "WHERE status IN ('pending', 'processing')"));
    return Result<QString>::success(rewritten);
}

Result<QSqlQuery> HelpdeskMirror::run(ReadConnections &db, const QString &statement,
                                      const QVariantList &values)
{
    auto rewritten = HelpdeskMirror::statement(db, statement);
    if (!rewritten)
        return Result<QSqlQuery>::failure(rewritten.error());
    return sql::run(db.backend, rewritten.value(), values);
}

Status HelpdeskMirror::refresh(ReadConnections &db)
{
    // The product's database has the helpdesk's schema too (empty): it gives the copies their columns.
    const QList<std::pair<QString, QString>> copies{
        {QStringLiteral("helpdesk_customers"), QStringLiteral("SELECT * FROM dashboard.customers")},
        {QStringLiteral("helpdesk_tickets"), QStringLiteral("SELECT * FROM dashboard.tickets")},
        {QStringLiteral("helpdesk_queue"),
         QStringLiteral("SELECT side, entity, entity_id, status FROM sync.outbox "
                        "WHERE status IN ('pending', 'processing')")}};
    for (const auto &[name, select] : copies) {
        Status made = sql::exec(db.backend, QStringLiteral("DROP TABLE IF EXISTS pg_temp.%1").arg(name));
        if (made)
            made = sql::exec(db.backend,
                             QStringLiteral("CREATE TEMP TABLE %1 AS %2 WITH NO DATA").arg(name, select));
        if (!made)
            return made;
        auto copied = sql::copyAcross(db.dashboard, QStringLiteral("COPY (%1) TO STDOUT").arg(select),
                                      db.backend, QStringLiteral("COPY pg_temp.%1 FROM STDIN").arg(name));
        if (!copied)
            return Status::failure(copied.error());
        if (name != QLatin1String("helpdesk_queue")) {
            if (Status indexed =
                    sql::exec(db.backend, QStringLiteral("CREATE UNIQUE INDEX ON pg_temp.%1 (id)").arg(name));
                !indexed)
                return indexed;
        }
        if (Status analyzed = sql::exec(db.backend, QStringLiteral("ANALYZE pg_temp.%1").arg(name));
            !analyzed)
            return analyzed;
    }
    return Status::success();
}

} // namespace syncdesk
