#pragma once

#include "model/conflictpolicy.h"
#include "core/result.h"
#include "model/entitydefinition.h"
#include "sync/linkstore.h"
#include "sync/outboxevent.h"
#include "sync/reconciledrecord.h"
#include "sync/syncconnections.h"

#include <QHash>
#include <QList>

#include <functional>

namespace syncdesk {

enum class DeletePolicy { Review, Propagate };

// Reconciles the records of one entity touched by a batch of events, state-based: whatever the events
// say, it reads both sides' current rows and the baseline, decides field by field (FieldReconciler),
// and writes both sides, the links, conflicts and history set-based, inside the caller's transaction.
// Records are locked (links first, in id order, then rows) so no two workers reconcile one record at once.
class EntitySynchronizer
{
public:
    // For entities owned by another (tickets by customers): maps owner ids on one side to their
    // counterparts on the other, linking owners first when needed. `fromBackend`: the ids are backend ids.
    using OwnerResolver = std::function<Result<QHash<qint64, qint64>>(const QList<qint64> &ownerIds, bool fromBackend)>;

    EntitySynchronizer(const EntityDefinition &entity, const ConflictPolicy &policy, DeletePolicy deletes,
                       OwnerResolver owners = {});

    // `events` must all be of this entity. `extraBackendIds`/`extraDashboardIds`: records to
    // reconcile although no event names them (on-demand syncs, owners of new records).
    // With `deferred`, records another worker is busy with are skipped rather than waited for, and
    // the ids of their events are put there (they stay pending for a later batch).
    Result<QList<ReconciledRecord>> reconcile(SyncConnections &db, const OutboxEvents &events,
                                              const QList<qint64> &extraBackendIds = {},
                                              const QList<qint64> &extraDashboardIds = {},
                                              QList<qint64> *deferred = nullptr);

    // A row's synced fields under their canonical names, normalised, and back to one side's columns.
    QJsonObject canonical(const QJsonObject &row, bool backendSide) const;
    QJsonObject rowFor(const QJsonObject &canonicalValues, bool backendSide) const;
    QStringList columns(bool backendSide) const;

private:
    struct Pair;

    const EntityDefinition &m_entity;
    const ConflictPolicy &m_policy;
    DeletePolicy m_deletes;
    OwnerResolver m_owners;
};

} // namespace syncdesk
