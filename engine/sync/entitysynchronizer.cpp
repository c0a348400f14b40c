#include "sync/entitysynchronizer.h"

#include "sync/reconcileplanner.h"
#include "sync/reconcileplanwriter.h"

namespace syncdesk {

EntitySynchronizer::EntitySynchronizer(const EntityDefinition &entity, const ConflictPolicy &policy,
                                       DeletePolicy deletes, OwnerResolver owners)
    : m_entity(entity)
    , m_policy(policy)
    , m_deletes(deletes)
    , m_owners(std::move(owners))
{
}

Result<QList<ReconciledRecord>> EntitySynchronizer::reconcile(SyncConnections &db, const OutboxEvents &events,
                                                              const QList<qint64> &extraBackendIds,
                                                              const QList<qint64> &extraDashboardIds,
                                                              QList<qint64> *deferred) const
{
    using Records = Result<QList<ReconciledRecord>>;
    auto gathered = RecordGatherer(db, m_entity, m_owners).gather(events, extraBackendIds, extraDashboardIds, deferred);
    if (!gathered)
        return Records::failure(gathered.error());
    auto plan = ReconcilePlanner(m_entity, m_policy, m_deletes).plan(gathered.value());
    if (!plan)
        return Records::failure(plan.error());
    return ReconcilePlanWriter(m_entity).write(db, std::move(plan).value());
}

} // namespace syncdesk
