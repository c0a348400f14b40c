#include "conflicts/duplicatesettlement.h"

#include "database/sql.h"
#include "model/mapping.h"
#include "sync/rowstore.h"

namespace syncdesk {

namespace {

using Failure = OperationResult::Failure;
using Kind = ConflictDecision::Kind;

QString systemName(bool backend)
{
    return backend ? QStringLiteral("product") : QStringLiteral("helpdesk");
}

} // namespace

DuplicateSettlement::DuplicateSettlement(SyncConnections &db, const Mapping &mapping,
                                         const EntityDefinition &entity)
    : m_db(db)
    , m_mapping(mapping)
    , m_entity(entity)
{}

OperationResult DuplicateSettlement::settle(qint64 linkId, const QJsonObject &details, Kind decision,
                                            QJsonObject &data)
{
    if (decision != Kind::CreateAnyway && decision != Kind::KeepApart)
        return OperationResult::fail(
            Failure::InvalidInput,
            QStringLiteral("a possible duplicate is settled with create_anyway or keep_apart"));
    const bool newInBackend =
        details.value(QStringLiteral("new_side")).toString() == QLatin1String("backend");
    const qint64 newId = details.value(QStringLiteral("new_id")).toInteger();
    RowStore rows(newInBackend ? m_db.backend : m_db.dashboard,
                  newInBackend ? m_entity.backendTable : m_entity.dashboardTable);
    auto record = rows.lockRows({newId});
    if (!record)
        return OperationResult::fail(Failure::Failed, record.error());
    data.insert(QStringLiteral("new_side"),
                newInBackend ? QStringLiteral("backend") : QStringLiteral("dashboard"));
    data.insert(QStringLiteral("new_id"), newId);
    if (!record->contains(newId)) {
        // Deleted while it waited: nothing left to create or keep; the question is closed.
        data.insert(QStringLiteral("record_gone"), true);
        if (Status unlinked =
                sql::exec(m_db.backend, QStringLiteral("DELETE FROM sync.links WHERE id = ?"), {linkId});
            !unlinked)
            return OperationResult::fail(Failure::Failed, unlinked.error());
        return OperationResult::ok(newId, data);
    }
    if (decision == Kind::KeepApart) {
        if (Status kept =
                sql::exec(m_db.backend,
                          QStringLiteral("UPDATE sync.links SET state = 'kept_apart', updated_at = now(), "
                                         "version = version + 1 WHERE id = ?"),
                          {linkId});
            !kept)
            return OperationResult::fail(Failure::Failed, kept.error());
        return OperationResult::ok(newId, data);
    }
    return createAnyway(linkId, newInBackend, newId, m_entity.matchValue(record->value(newId), newInBackend),
                        data);
}

OperationResult DuplicateSettlement::createAnyway(qint64 linkId, bool newInBackend, qint64 newId,
                                                  const QString &email, QJsonObject &data)
{
    auto same = sql::run(newInBackend ? m_db.dashboard : m_db.backend,
                         QStringLiteral("SELECT id FROM %1 WHERE %2::text = ? ORDER BY id LIMIT 1")
                             .arg(newInBackend ? m_entity.dashboardTable : m_entity.backendTable,
                                  sql::quoteIdentifier(m_entity.matchColumn(!newInBackend))),
                         {email});
    if (!same)
        return OperationResult::fail(Failure::Failed, same.error());
    if (same.value().next())
        return OperationResult::fail(
            Failure::Conflict,
            QStringLiteral(
                "the %1's %2 %3 has exactly this address (%4), and two records cannot share it there: change "
                "one of the addresses, or keep the records apart")
                .arg(systemName(!newInBackend), m_entity.name)
                .arg(same.value().value(0).toLongLong())
                .arg(email));
    if (Status unlinked =
            sql::exec(m_db.backend, QStringLiteral("DELETE FROM sync.links WHERE id = ?"), {linkId});
        !unlinked)
        return OperationResult::fail(Failure::Failed, unlinked.error());
    const QString side = newInBackend ? QStringLiteral("backend") : QStringLiteral("dashboard");
    const QString table = newInBackend ? m_entity.backendTable : m_entity.dashboardTable;
    // The record, and what it owns that waited for it (a customer's new tickets), go through the engine
    // again, in that order.
    if (Status queued = sql::exec(
            m_db.backend,
            QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation) "
                           "VALUES (?, ?, ?, ?, 'update')"),
            {side, m_entity.name, table, newId});
        !queued)
        return OperationResult::fail(Failure::Failed, queued.error());
    for (const EntityDefinition &owned : m_mapping.entities) {
        if (owned.ownerEntity != m_entity.name)
            continue;
        // Read where the records are (the helpdesk may have a database of its own), queued where the links
        // are.
        const QString ownedTable = newInBackend ? owned.backendTable : owned.dashboardTable;
        auto ownedIds = sql::run(
            newInBackend ? m_db.backend : m_db.dashboard,
            QStringLiteral("SELECT coalesce(array_agg(id ORDER BY id), '{}')::text FROM %1 WHERE %2 = ?")
                .arg(ownedTable, newInBackend ? owned.ownerBackendColumn : owned.ownerDashboardColumn),
            {newId});
        if (!ownedIds || !ownedIds.value().next())
            return OperationResult::fail(Failure::Failed,
                                         ownedIds ? QStringLiteral("no answer") : ownedIds.error());
        auto queuedOwned = sql::run(
            m_db.backend,
            QStringLiteral(
                "INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation) SELECT ?, ?, ?, "
                "t.id, "
                "'update' FROM unnest(?::bigint[]) AS t(id) WHERE NOT EXISTS (SELECT 1 FROM sync.links l "
                "WHERE l.entity = ? AND l.%1_id = t.id) ORDER BY t.id RETURNING 1")
                .arg(side),
            {side, owned.name, ownedTable, ownedIds.value().value(0).toString(), owned.name});
        if (!queuedOwned)
            return OperationResult::fail(Failure::Failed, queuedOwned.error());
        int count = 0;
        while (queuedOwned.value().next())
            ++count;
        data.insert(QStringLiteral("queued_%1s").arg(owned.name), count);
    }
    return OperationResult::ok(newId, data);
}

} // namespace syncdesk
