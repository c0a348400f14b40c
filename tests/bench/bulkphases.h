#pragma once

#include "config/databaseurl.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace syncdesk::bench {

struct BulkOptions
{
    int rows = 100000; // N: records one side holds that the other lacks, or that one transaction creates
    int runs = 1;
    int workers = 2;
    int batchSize = 1000;
};

// The phases of issue 16, new records rather than changed ones, each beside PostgreSQL's own
// initial table copy of the same rows on the same cluster:
//   adopt       one side holds N customers and 2N tickets the other lacks, written before SyncDesk
//               ran (not captured); a consistency check queues them and the engine creates,
//               links and records them on the other side.
//   bulkcreate  N customers committed in one transaction on one side, then the other; N tickets of
//               N/10 customers created in the same transaction.
//   mixed       normal traffic (a product edit every 10 ms, each its own transaction, on 10,000
//               linked customers) while N customers arrive in the helpdesk in one transaction:
//               commit-to-apply latency of the edits.
//   copy        built-in logical replication's initial copy (copy_data = true) of N customers into
//               an empty table defined as the migrations define it.
// Prints one line per run and returns the figures (rows per second) by name.
QMap<QString, QList<double>> runBulkPhases(const QStringList &phases, const DatabaseUrl &admin,
                                           const BulkOptions &options);

} // namespace syncdesk::bench
