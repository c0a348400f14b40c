#include "tasks/cleanuptask.h"

#include "core/logging.h"
#include "database/sql.h"

#include <QDate>
#include <QRegularExpression>

namespace syncdesk {

QJsonObject CleanupReport::toJson() const
{
    return QJsonObject{{QStringLiteral("partitions_dropped"), partitionsDropped},
                       {QStringLiteral("partitions_created"), partitionsCreated},
                       {QStringLiteral("events_deleted"), eventsDeleted},
                       {QStringLiteral("history_deleted"), historyDeleted},
                       {QStringLiteral("audit_deleted"), auditDeleted},
                       {QStringLiteral("relay_events_expired"), relayEventsExpired}};
}

CleanupTask::CleanupTask(QSqlDatabase db, int retentionDays, int auditRetentionDays)
    : m_db(std::move(db))
    , m_retentionDays(retentionDays)
    , m_auditRetentionDays(auditRetentionDays)
{
}

Result<CleanupReport> CleanupTask::run()
{
    using Report = Result<CleanupReport>;
    CleanupReport report;
    auto partitions = sql::run(m_db, QStringLiteral("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                                    "WHERE i.inhparent = 'sync.outbox'::regclass ORDER BY 1"));
    if (!partitions)
        return Report::failure(partitions.error());
    QStringList names;
    while (partitions.value().next())
        names << partitions.value().value(0).toString();

    const QDate cutoff = QDateTime::currentDateTimeUtc().date().addDays(-m_retentionDays);
    static const QRegularExpression daily(QStringLiteral("^outbox_(\\d{8})$"));
    for (const QString &name : std::as_const(names)) {
        const auto match = daily.match(name);
        if (!match.hasMatch())
            continue;
        const QDate day = QDate::fromString(match.captured(1), QStringLiteral("yyyyMMdd"));
        if (!day.isValid() || day.addDays(1) > cutoff)
            continue; // still within the retention
        const QString table = QStringLiteral("sync.") + sql::quoteIdentifier(name);
        auto unfinished = sql::scalar(m_db, QStringLiteral("SELECT EXISTS (SELECT 1 FROM %1 WHERE status <> 'done')").arg(table));
        if (!unfinished)
            return Report::failure(unfinished.error());
        if (!unfinished.value().toBool()) {
            if (Status dropped = sql::exec(m_db, QStringLiteral("DROP TABLE %1").arg(table)); !dropped)
                return Report::failure(dropped.error());
            ++report.partitionsDropped;
            continue;
        }
        // Pending or dead changes keep the day alive; only its applied changes go.
        auto deleted = sql::run(m_db, QStringLiteral("DELETE FROM %1 WHERE status = 'done'").arg(table));
        if (!deleted)
            return Report::failure(deleted.error());
        report.eventsDeleted += deleted.value().numRowsAffected();
    }
    const QString retention = QStringLiteral("now() - interval '%1 days'").arg(m_retentionDays);
    auto oldDefault = sql::run(m_db, QStringLiteral("DELETE FROM sync.outbox_default WHERE status = 'done' AND captured_at < %1")
                                         .arg(retention));
    if (!oldDefault)
        return Report::failure(oldDefault.error());
    report.eventsDeleted += oldDefault.value().numRowsAffected();
    auto history = sql::run(m_db, QStringLiteral("DELETE FROM sync.history WHERE at < %1").arg(retention));
    if (!history)
        return Report::failure(history.error());
    report.historyDeleted = history.value().numRowsAffected();
    if (Status ledger = sql::exec(m_db, QStringLiteral("DELETE FROM sync.applied_events WHERE applied_at < %1").arg(retention));
        !ledger)
        return Report::failure(ledger.error());
    // By `at` (indexed): an aggregated row's last refusal is within a minute of its first.
    auto audit = sql::run(m_db, QStringLiteral("DELETE FROM sync.audit_log WHERE at < now() - interval '%1 days'")
                                    .arg(m_auditRetentionDays));
    if (!audit)
        return Report::failure(audit.error());
    report.auditDeleted = audit.value().numRowsAffected();
    auto expired = sql::scalar(m_db, QStringLiteral("SELECT sync.expire_relay_batches(%1)").arg(retention));
    if (!expired)
        return Report::failure(expired.error());
    report.relayEventsExpired = expired.value().toLongLong();
    if (report.relayEventsExpired > 0)
        qCWarning(lcTasks) << "cleanup:" << report.relayEventsExpired << "events recorded for the NATS relay were never published "
                              "and are older than the retention of" << m_retentionDays << "days; removed (consumers are "
                              "told by relay.events_expired)";
    auto created = sql::scalar(m_db, QStringLiteral("SELECT sync.ensure_outbox_partitions()"));
    if (!created)
        return Report::failure(created.error());
    report.partitionsCreated = created.value().toInt();
    qCInfo(lcTasks) << "cleanup: dropped" << report.partitionsDropped << "outbox partitions, deleted" << report.eventsDeleted
                    << "applied changes," << report.historyDeleted << "history rows and" << report.auditDeleted << "audit rows";
    return Report::success(report);
}

} // namespace syncdesk
