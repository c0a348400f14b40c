#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace syncdesk {

struct CleanupReport
{
    int partitionsDropped = 0;
    int partitionsCreated = 0;
    qint64 eventsDeleted = 0;
    qint64 historyDeleted = 0;
    qint64 auditDeleted = 0;
    qint64 relayEventsExpired = 0; // recorded for the relay, never published, older than the retention

    QJsonObject toJson() const;
};

// Keeps the change log small: drops whole days of the outbox whose changes are all applied and older
// than the retention, deletes applied changes and history past the retention elsewhere, and creates
// the coming days' partitions, and deletes audit log rows past their own retention. Pending and dead
// changes are never removed. Events recorded for the event relay that no relay published within the
// retention are removed too, but never silently: they are counted, logged, and announced to the
// broker's consumers (relay.events_expired).
class CleanupTask
{
public:
    CleanupTask(QSqlDatabase db, int retentionDays, int auditRetentionDays = 90);
    Result<CleanupReport> run();

private:
    QSqlDatabase m_db;
    int m_retentionDays;
    int m_auditRetentionDays;
};

} // namespace syncdesk
