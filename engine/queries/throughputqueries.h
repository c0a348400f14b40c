#pragma once

#include "core/result.h"
#include "queries/readconnections.h"

#include <QDateTime>
#include <QJsonArray>

namespace syncdesk {

// Applied changes and queue depth over a past period, read from the outbox (applied changes are kept
// SYNC_RETENTION_DAYS): what the overview's chart draws beyond its live minutes, also after a restart.
class ThroughputQueries
{
public:
    // `buckets` periods of `bucketSeconds` ending at `end`, oldest first: [{"at" (the period's end),
    // "events_per_second" (applied), "queued" (captured, not yet applied, at its end)}]. Both
    // databases' queues when the helpdesk has its own.
    static Result<QJsonArray> history(ReadConnections &db, const QDateTime &end, int bucketSeconds,
                                      int buckets);

private:
    static Result<QJsonArray> historyIn(QSqlDatabase &db, const QDateTime &end, int bucketSeconds,
                                        int buckets);
};

} // namespace syncdesk
