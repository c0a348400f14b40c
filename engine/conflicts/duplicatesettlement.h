#pragma once

#include "conflicts/conflictresolver.h"
#include "model/entitydefinition.h"
#include "sync/syncconnections.h"

#include <QJsonObject>

namespace syncdesk {

// Settles a possible duplicate: a record new on one side (held by a link without a counterpart)
// whose e-mail, ignoring case, a record on the other side holds already.
//   * create anyway: they are different people; the link goes and the record is queued again, and
//     the settled conflict lets the engine create its counterpart (with its tickets, which waited).
//     Refused while the other side has the very same address: its unique index would refuse the
//     copy, so one of the addresses must change first.
//   * keep apart: the record stays on its own side; its link stays, as 'kept_apart', so neither
//     its changes nor a consistency check bring the question back.
// Runs inside ConflictResolver's transaction.
class DuplicateSettlement
{
public:
    DuplicateSettlement(SyncConnections &db, const Mapping &mapping, const EntityDefinition &entity);

    // `details` as the engine recorded them (new_side, new_id, holder_id, ...). Adds what it did to `data`.
    OperationResult settle(qint64 linkId, const QJsonObject &details, ConflictDecision::Kind decision,
                           QJsonObject &data);

private:
    OperationResult createAnyway(qint64 linkId, bool newInBackend, qint64 newId, const QString &email,
                                 QJsonObject &data);

    SyncConnections &m_db;
    const Mapping &m_mapping;
    const EntityDefinition &m_entity;
};

} // namespace syncdesk
