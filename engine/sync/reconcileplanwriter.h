#pragma once

#include "core/result.h"
#include "model/entitydefinition.h"
#include "sync/reconciledrecord.h"
#include "sync/reconcileplan.h"
#include "sync/syncconnections.h"

#include <QList>

namespace syncdesk {

// The last step of reconciling one entity: writes a plan set-based (one statement per kind of
// write, whatever the number of records) inside the caller's transaction — new rows, changed fields,
// deletions, links, then conflicts and history — and stops at the first write that fails.
class ReconcilePlanWriter
{
public:
    explicit ReconcilePlanWriter(const EntityDefinition &entity);

    // The plan's records, with the ids of the links made for them.
    Result<QList<ReconciledRecord>> write(SyncConnections &db, ReconcilePlan plan) const;

private:
    const EntityDefinition &m_entity;
};

} // namespace syncdesk
