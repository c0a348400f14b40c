#pragma once

#include "sync/linkstore.h"
#include "sync/outboxevent.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>

#include <optional>

namespace syncdesk {

// One record as both systems hold it right now, locked for the rest of the transaction: its link
// (if any), its row on each side (none: deleted there, or not created yet) and the captured changes
// that name it.
struct RecordPair
{
    std::optional<Link> link;
    // Two unlinked records that found each other by the adoption key (a customer's e-mail): they
    // are linked now, reconciled without a baseline.
    bool matched = false;
    std::optional<QJsonObject> backendRow;
    std::optional<QJsonObject> dashboardRow;
    OutboxEvents events;
    // A record new on one side whose adoption key another record on the other side holds already
    // (linked to someone else, or matched in this batch): a possible duplicate, held for a person.
    qint64 clashHolder = 0;        // that record, on the other side
    qint64 clashHolderPartner = 0; // what it is linked to on this record's side; 0: nothing yet
    QJsonObject clashHolderRow;
    // A linked record whose address differs between the sides (one side changed it): the other
    // records that hold it, ignoring case, where a copy would take it. Copying it there would make
    // two people with one address (or fail on the unique index), so the address waits for a person.
    QList<qint64> addressHoldersInBackend;   // hold the dashboard row's address
    QList<qint64> addressHoldersInDashboard; // hold the backend row's address

    // A record only one side has: its counterpart is created on the other side.
    bool needsCounterpart() const { return !link && !matched && !clashHolder; }
};

// What RecordGatherer read and locked for one entity: everything ReconcilePlanner needs to decide
// without asking the database again.
struct GatheredRecords
{
    QList<RecordPair> pairs;
    // For records of an owned entity (tickets) that need a counterpart: the owner's id on the
    // record's side -> the owner's counterpart on the other side (linked or created first).
    QHash<qint64, qint64> ownerInDashboard; // backend owner id -> dashboard owner id
    QHash<qint64, qint64> ownerInBackend;   // dashboard owner id -> backend owner id
    // Owners that cannot have a counterpart yet (a decision about them waits): their new records
    // wait with them.
    QSet<qint64> waitingBackendOwners;
    QSet<qint64> waitingDashboardOwners;
    // Ids reserved from each side's sequence for the counterparts to create, in the order of the
    // pairs that need one.
    QList<qint64> newBackendIds;
    QList<qint64> newDashboardIds;
};

} // namespace syncdesk
