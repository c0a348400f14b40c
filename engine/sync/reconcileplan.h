#pragma once

#include "sync/linkstore.h"
#include "sync/reconciledrecord.h"

#include <QJsonArray>
#include <QList>

namespace syncdesk {

// What reconciling a set of records decided, before anything is written: the writes to both sides
// and to the links, in the order ReconcilePlanWriter applies them, and what each record's
// reconciliation did (for history, conflicts, handlers and live events). A value: ReconcilePlanner
// makes it without a database.
struct ReconcilePlan
{
    QJsonArray backendInserts; // complete rows, with their reserved ids
    QJsonArray dashboardInserts;
    QJsonArray backendUpdates; // {"id": n, "set": {column: value}}
    QJsonArray dashboardUpdates;
    QList<qint64> backendDeletes;
    QList<qint64> dashboardDeletes;
    QList<Link> newLinks; // their ids are known once written
    QList<Link> changedLinks;
    QList<qint64> removedLinks;

    QList<ReconciledRecord> records;
    QList<int> recordOfNewLink; // per new link, the index of its record in `records`
};

} // namespace syncdesk
