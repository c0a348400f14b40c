#pragma once

#include "core/result.h"
#include "model/entitydefinition.h"
#include "sync/outboxevent.h"
#include "sync/reconciledrecord.h"

#include <QHash>
#include <QSqlDatabase>

namespace syncdesk {

// Records new on one side (created there, or queued by a consistency check because no link names
// them) whose counterpart simply has to be created: no link, nothing of the same adoption key on the
// other side, no twin of that key in the batch, an owner that is linked already. PostgreSQL creates
// the counterparts, their links and history rows set-based, in one statement per direction after one
// that locks; everything else (matches to link, conflicts, deletions, owners still to create, rows
// another worker holds) is left to EntitySynchronizer. Both systems must share the database.
class NewRecordCopier
{
public:
    explicit NewRecordCopier(const EntityDefinition &entity);

    // The adoption key of the row aliased `row` of one side as SQL text (empty when the entity has none).
    static QString adoptionKey(const EntityDefinition &entity, bool backendSide, const QString &row);

    // Whether the entity's shape allows it: integer keys, text and text-set fields.
    bool supports() const;

    // Creates what qualifies and returns those records ("created_in_…", with baselines but without
    // rows). `rest` gets the events left for the full reconciliation, in their order.
    Result<QList<ReconciledRecord>> apply(QSqlDatabase &db, const OutboxEvents &events,
                                          OutboxEvents &rest) const;

    // Adoption without the queue (RecordAdopter): creates the counterparts of those `ids` of one side
    // that qualify and that no worker holds or has a change of waiting (which stay for the queue), in
    // the transaction open on `db`. Their history rows name no events.
    Result<QList<ReconciledRecord>> adopt(QSqlDatabase &db, bool fromBackend, QList<qint64> ids) const;

private:
    QString lockStatement(bool fromBackend) const;
    // Runs lockStatement over `ids`: the ones locked, in key order.
    Result<QList<qint64>> lock(QSqlDatabase &db, bool fromBackend, QList<qint64> ids) const;
    QString createStatement(bool fromBackend) const;
    // Creates the qualifying ones among `lockedIds` (sorted, locked by lockStatement); `eventsOf` names
    // each record's events in the batch.
    Result<QList<ReconciledRecord>> create(QSqlDatabase &db, bool fromBackend, const QList<qint64> &lockedIds,
                                           const QHash<qint64, QList<qint64>> &eventsOf) const;

    const EntityDefinition &m_entity;
};

} // namespace syncdesk
