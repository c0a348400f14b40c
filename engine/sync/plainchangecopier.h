#pragma once

#include "core/result.h"
#include "model/entitydefinition.h"
#include "sync/outboxevent.h"
#include "sync/reconciledrecord.h"

#include <QSqlDatabase>

namespace syncdesk {

// The common case of a batch, applied by PostgreSQL in one statement per direction instead of
// reading both rows and the baseline into the engine: a linked record edited on one side only, in
// plain text fields, while the other side still holds the baseline. Copying the edited fields across
// is then all the three-way reconciliation would do; everything else (new, deleted or unlinked
// records, a side that changed too, paused fields, sets, a row another worker holds) is left to
// EntitySynchronizer. Both systems must share the database (one statement writes both).
class PlainChangeCopier
{
public:
    explicit PlainChangeCopier(const EntityDefinition &entity);

    // Whether the entity's shape allows it: shared text fields (sets only compared), no owner.
    bool supports() const;

    // Copies what qualifies, writes baselines and history as the full reconciliation would, and
    // returns those records ("updated", with baselines but without rows). `rest` gets the events
    // left for the full reconciliation, in their order.
    Result<QList<ReconciledRecord>> apply(QSqlDatabase &db, const OutboxEvents &events,
                                          OutboxEvents &rest) const;

private:
    QString statement(bool fromBackend) const;
    // The fields a copy writes (all but sets), in the order the statement returns their values.
    QStringList copiedFieldNames() const;

    const EntityDefinition &m_entity;
};

} // namespace syncdesk
