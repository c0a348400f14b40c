#pragma once

#include "core/result.h"
#include "model/conflictpolicy.h"
#include "model/entitydefinition.h"
#include "sync/outboxevent.h"
#include "sync/reconciledrecord.h"
#include "sync/recordgatherer.h"
#include "sync/syncconnections.h"

#include <QList>

namespace syncdesk {

// Reconciles the records of one entity touched by a batch of events, state-based: whatever the events
// say, it reads both sides' current rows and the baseline and decides field by field, inside the
// caller's transaction. Three steps: gather (RecordGatherer: locks and reads, SQL), plan
// (ReconcilePlanner: decides, pure) and write (ReconcilePlanWriter: set-based).
class EntitySynchronizer
{
public:
    EntitySynchronizer(const EntityDefinition &entity, const ConflictPolicy &policy, DeletePolicy deletes,
                       OwnerResolver owners = {});

    // `events` must all be of this entity. `extraBackendIds`/`extraDashboardIds`: records to
    // reconcile although no event names them (on-demand syncs, owners of new records).
    // With `deferred`, records another worker is busy with are skipped rather than waited for, and
    // the ids of their events are put there (they stay pending for a later batch).
    Result<QList<ReconciledRecord>> reconcile(SyncConnections &db, const OutboxEvents &events,
                                              const QList<qint64> &extraBackendIds = {},
                                              const QList<qint64> &extraDashboardIds = {},
                                              QList<qint64> *deferred = nullptr) const;

private:
    const EntityDefinition &m_entity;
    const ConflictPolicy &m_policy;
    DeletePolicy m_deletes;
    OwnerResolver m_owners;
};

} // namespace syncdesk
