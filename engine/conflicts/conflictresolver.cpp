#include "conflicts/conflictresolver.h"

#include "conflicts/duplicatesettlement.h"
#include "database/connectionprovider.h"
#include "database/sql.h"
#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "sync/fieldreconciler.h"
#include "sync/operationtransaction.h"
#include "sync/rowstore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

namespace {

using Failure = OperationResult::Failure;
using Kind = ConflictDecision::Kind;

const QList<QPair<Kind, QString>> &kindNames()
{
    static const QList<QPair<Kind, QString>> names{
        {Kind::UseBackend, QStringLiteral("backend")},
        {Kind::UseDashboard, QStringLiteral("dashboard")},
        {Kind::UseValue, QStringLiteral("value")},
        {Kind::Merge, QStringLiteral("merge")},
        {Kind::LatestWins, QStringLiteral("latest_wins")},
        {Kind::DeleteOtherSide, QStringLiteral("delete_other_side")},
        {Kind::Restore, QStringLiteral("restore")},
        {Kind::CreateAnyway, QStringLiteral("create_anyway")},
        {Kind::KeepApart, QStringLiteral("keep_apart")}};
    return names;
}

QJsonValue parseJson(const QVariant &text)
{
    const QByteArray wrapped = "[" + text.toString().toUtf8() + "]";
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

QString toJsonText(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

OperationResult failed(const QString &error)
{
    return OperationResult::fail(Failure::Failed, error);
}

} // namespace

std::optional<ConflictDecision::Kind> ConflictDecision::kindFromName(const QString &name)
{
    for (const auto &[kind, text] : kindNames()) {
        if (text == name)
            return kind;
    }
    return std::nullopt;
}

QString ConflictDecision::name(Kind kind)
{
    for (const auto &[candidate, text] : kindNames()) {
        if (candidate == kind)
            return text;
    }
    return {};
}

ConflictResolver::ConflictResolver(std::shared_ptr<ConnectionProvider> backend,
                                   std::shared_ptr<ConnectionProvider> dashboard, LiveEventSink announce,
                                   std::shared_ptr<const RelayJournal> journal,
                                   std::shared_ptr<const Mapping> mapping)
    : m_backend(std::move(backend))
    , m_dashboard(std::move(dashboard))
    , m_announce(std::move(announce))
    , m_journal(std::move(journal))
    , m_mapping(std::move(mapping))
{
}

OperationResult ConflictResolver::resolve(qint64 conflictId, const ConflictDecision &decision, const QString &actor)
{
    auto backendDb = m_backend->database();
    auto dashboardDb = m_dashboard->database();
    if (!backendDb || !dashboardDb)
        return OperationResult::fail(Failure::Unavailable, backendDb ? dashboardDb.error() : backendDb.error());
    SyncConnections db{backendDb.value(), dashboardDb.value(), {}};
    const QString who = actor.isEmpty() ? QStringLiteral("api") : actor;

    const auto body = [&](LiveEvents &live) -> OperationResult {
        auto row = sql::run(
            db.backend,
            QStringLiteral(
                "SELECT kind, entity, coalesce(link_id, 0), coalesce(backend_id, 0), "
                "coalesce(dashboard_id, 0), coalesce(field, ''), baseline_value::text, status, "
                "coalesce(resolved_by, ''), resolved_at, details::text FROM sync.conflicts WHERE id = ? "
                "FOR UPDATE"),
            {conflictId});
        if (!row)
            return failed(row.error());
        if (!row.value().next())
            return OperationResult::fail(Failure::NotFound, QStringLiteral("conflict %1 does not exist").arg(conflictId));
        const QSqlQuery &conflict = row.value();
        const QString kind = conflict.value(0).toString();
        const EntityDefinition *entity = m_mapping->entity(conflict.value(1).toString());
        const qint64 linkId = conflict.value(2).toLongLong();
        const QString fieldName = conflict.value(5).toString();
        const QJsonValue baseline = parseJson(conflict.value(6));
        if (conflict.value(7).toString() != QLatin1String("open"))
            return OperationResult::fail(Failure::Conflict, QStringLiteral("conflict %1 was already %2 by %3 at %4")
                                                                .arg(conflictId)
                                                                .arg(conflict.value(7).toString(), conflict.value(8).toString(),
                                                                     conflict.value(9).toDateTime().toUTC().toString(Qt::ISODate)));
        if (!entity)
            return failed(QStringLiteral("conflict %1 is about an unknown entity").arg(conflictId));
        auto linkRow = sql::run(db.backend,
                                QStringLiteral("SELECT coalesce(backend_id, 0), coalesce(dashboard_id, 0), state, baseline::text, "
                                               "paused_fields::text FROM sync.links WHERE id = ? FOR UPDATE"),
                                {linkId});
        if (!linkRow)
            return failed(linkRow.error());
        if (!linkRow.value().next())
            return OperationResult::fail(Failure::Conflict, QStringLiteral("the records of conflict %1 are no longer linked")
                                                                .arg(conflictId));
        const qint64 backendId = linkRow.value().value(0).toLongLong();
        const qint64 dashboardId = linkRow.value().value(1).toLongLong();
        const QString state = linkRow.value().value(2).toString();
        QJsonObject linkBaseline = QJsonDocument::fromJson(linkRow.value().value(3).toString().toUtf8()).object();
        QStringList paused = sql::parseTextArray(linkRow.value().value(4).toString());
        QJsonValue chosen;
        QJsonObject data{{QStringLiteral("conflict_id"), conflictId}, {QStringLiteral("entity"), entity->name},
                         {QStringLiteral("backend_id"), backendId}, {QStringLiteral("dashboard_id"), dashboardId},
                         {QStringLiteral("resolution"), ConflictDecision::name(decision.kind)}};

        if (kind == QLatin1String("duplicate")) {
            // The link holds the new record only; the conflict names both records.
            data.insert(QStringLiteral("backend_id"), conflict.value(3).toLongLong());
            data.insert(QStringLiteral("dashboard_id"), conflict.value(4).toLongLong());
            const QJsonObject details =
                QJsonDocument::fromJson(conflict.value(10).toString().toUtf8()).object();
            const OperationResult settled =
                DuplicateSettlement(db, *m_mapping, *entity).settle(linkId, details, decision.kind, data);
            if (!settled.success)
                return settled;
        } else if (kind == QLatin1String("deleted")) {
            if (decision.kind != Kind::DeleteOtherSide && decision.kind != Kind::Restore)
                return OperationResult::fail(Failure::InvalidInput, QStringLiteral("a deleted record is settled with "
                                                                                   "delete_other_side or restore"));
            const bool backendGone = state == QLatin1String("deleted_in_backend");
            if (decision.kind == Kind::DeleteOtherSide) {
                RowStore survivor(backendGone ? db.dashboard : db.backend, backendGone ? entity->dashboardTable : entity->backendTable);
                if (Status removed = survivor.remove({backendGone ? dashboardId : backendId}); !removed)
                    return failed(removed.error());
            } else {
                // The engine recreates the missing record (with its owner, for tickets) and links it anew.
                if (Status queued = sql::exec(db.backend,
                                              QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation) "
                                                             "VALUES (?, ?, ?, ?, 'update')"),
                                              {backendGone ? QStringLiteral("dashboard") : QStringLiteral("backend"), entity->name,
                                               backendGone ? entity->dashboardTable : entity->backendTable,
                                               backendGone ? dashboardId : backendId});
                    !queued)
                    return failed(queued.error());
            }
            if (Status unlinked = sql::exec(db.backend, QStringLiteral("DELETE FROM sync.links WHERE id = ?"), {linkId}); !unlinked)
                return failed(unlinked.error());
        } else {
            const FieldDefinition *field = entity->field(fieldName);
            if (!field)
                return failed(QStringLiteral("conflict %1 is about an unknown field %2").arg(conflictId).arg(fieldName));
            RowStore backendRows(db.backend, entity->backendTable);
            RowStore dashboardRows(db.dashboard, entity->dashboardTable);
            auto backendRow = backendRows.lockRows({backendId});
            auto dashboardRow = dashboardRows.lockRows({dashboardId});
            if (!backendRow || !dashboardRow)
                return failed(backendRow ? dashboardRow.error() : backendRow.error());
            if (!backendRow->contains(backendId) || !dashboardRow->contains(dashboardId))
                return OperationResult::fail(Failure::Conflict, QStringLiteral("a record of conflict %1 no longer exists").arg(conflictId));
            const QJsonValue ours = entity->canonical(backendRow->value(backendId), true).value(field->name);
            const QJsonValue theirs = entity->canonical(dashboardRow->value(dashboardId), false).value(field->name);
            switch (decision.kind) {
            case Kind::UseBackend:
                chosen = ours;
                break;
            case Kind::UseDashboard:
                chosen = theirs;
                break;
            case Kind::UseValue:
                if ((field->kind == FieldDefinition::Kind::Text && !decision.value.isString() && !decision.value.isNull())
                    || (field->kind == FieldDefinition::Kind::TextSet && !decision.value.isArray())
                    || (field->kind == FieldDefinition::Kind::JsonObject && !decision.value.isObject()))
                    return OperationResult::fail(Failure::InvalidInput, QStringLiteral("the value for %1 must be %2")
                                                                            .arg(field->name,
                                                                                 field->kind == FieldDefinition::Kind::TextSet
                                                                                     ? QStringLiteral("a list of strings")
                                                                                     : field->kind == FieldDefinition::Kind::Text
                                                                                         ? QStringLiteral("a string or null")
                                                                                         : QStringLiteral("an object")));
                chosen = field->normalize(decision.value);
                break;
            case Kind::Merge: {
                const auto merged = FieldReconciler::merge(*field, baseline, ours, theirs);
                if (!merged)
                    return OperationResult::fail(Failure::InvalidInput, QStringLiteral("%1 is text and cannot be merged: choose a "
                                                                                       "side or give a value")
                                                                            .arg(field->name));
                chosen = *merged;
                break;
            }
            case Kind::LatestWins: {
                const auto when = [](const QJsonObject &row) {
                    return QDateTime::fromString(row.value(QStringLiteral("updated_at")).toString(), Qt::ISODateWithMs);
                };
                chosen = when(backendRow->value(backendId)) > when(dashboardRow->value(dashboardId)) ? ours : theirs;
                break;
            }
            case Kind::DeleteOtherSide:
            case Kind::Restore:
                return OperationResult::fail(Failure::InvalidInput, QStringLiteral("%1 applies to deleted records only")
                                                                        .arg(ConflictDecision::name(decision.kind)));
            case Kind::CreateAnyway:
            case Kind::KeepApart:
                return OperationResult::fail(Failure::InvalidInput,
                                             QStringLiteral("%1 applies to possible duplicates only")
                                                 .arg(ConflictDecision::name(decision.kind)));
            }
            const QJsonObject values{{field->name, chosen}};
            if (Status written = backendRows.update(QJsonArray{QJsonObject{{QStringLiteral("id"), backendId},
                                                                          {QStringLiteral("set"), entity->rowFor(values, true)}}},
                                                    entity->columns(true));
                !written)
                return OperationResult::fail(Failure::InvalidInput, QStringLiteral("the product refuses this value: %1").arg(written.error()));
            if (Status written = dashboardRows.update(QJsonArray{QJsonObject{{QStringLiteral("id"), dashboardId},
                                                                            {QStringLiteral("set"), entity->rowFor(values, false)}}},
                                                      entity->columns(false));
                !written)
                return OperationResult::fail(Failure::InvalidInput, QStringLiteral("the helpdesk refuses this value: %1").arg(written.error()));
            linkBaseline.insert(field->name, chosen);
            paused.removeAll(field->name);
            if (Status linked = sql::exec(db.backend,
                                          QStringLiteral("UPDATE sync.links SET baseline = ?::jsonb, paused_fields = ?::text[], "
                                                         "synced_at = now(), updated_at = now(), version = version + 1 WHERE id = ?"),
                                          {QString::fromUtf8(QJsonDocument(linkBaseline).toJson(QJsonDocument::Compact)),
                                           sql::textArray(paused), linkId});
                !linked)
                return failed(linked.error());
            data.insert(QStringLiteral("field"), field->name);
            data.insert(QStringLiteral("value"), chosen);
        }
        if (Status settled = sql::exec(db.backend,
                                       QStringLiteral("UPDATE sync.conflicts SET status = 'resolved', resolution = ?, resolved_value = "
                                                      "?::jsonb, resolved_by = ?, resolved_at = now() WHERE id = ?"),
                                       {ConflictDecision::name(decision.kind), toJsonText(chosen), who, conflictId});
            !settled)
            return failed(settled.error());
        if (Status recorded = sql::exec(
                db.backend,
                QStringLiteral(
                    "INSERT INTO sync.history (entity, link_id, backend_id, dashboard_id, direction, "
                    "action, fields, details) VALUES (?, ?, ?, ?, 'both', 'conflict_resolved', "
                    "?::text[], ?::jsonb)"),
                {entity->name, linkId, data.value(QStringLiteral("backend_id")).toInteger(),
                 data.value(QStringLiteral("dashboard_id")).toInteger(),
                 sql::textArray(fieldName.isEmpty() ? QStringList() : QStringList{fieldName}),
                 QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("conflict_id"), conflictId},
                                                             {QStringLiteral("resolution"),
                                                              ConflictDecision::name(decision.kind)},
                                                             {QStringLiteral("actor"), who}})
                                       .toJson(QJsonDocument::Compact))});
            !recorded)
            return failed(recorded.error());
        data.insert(QStringLiteral("resolved_by"), who);
        live << LiveEvent::now(LiveEventKind::ConflictResolved, data);
        return OperationResult::ok(conflictId, data);
    };
    return OperationTransaction::run(db, QStringLiteral("conflict-resolution"), m_announce, body, m_journal.get());
}

Result<BulkResolution> ConflictResolver::resolveAll(const ConflictFilter &filter, const ConflictDecision &decision,
                                                    const QString &actor)
{
    auto db = m_backend->database();
    if (!db)
        return Result<BulkResolution>::failure(db.error());
    auto ids = sql::run(db.value(),
                        QStringLiteral("SELECT id FROM sync.conflicts WHERE status = 'open' AND (? = '' OR entity = ?) "
                                       "AND (? = '' OR field = ?) AND (cardinality(?::bigint[]) = 0 OR id = ANY(?::bigint[])) "
                                       "ORDER BY id LIMIT ?"),
                        {filter.entity, filter.entity, filter.field, filter.field, sql::bigintArray(filter.ids),
                         sql::bigintArray(filter.ids), filter.limit});
    if (!ids)
        return Result<BulkResolution>::failure(ids.error());
    QList<qint64> matching;
    while (ids.value().next())
        matching << ids.value().value(0).toLongLong();
    // One transaction per conflict: one that cannot be settled does not hold back the others.
    BulkResolution outcome;
    for (qint64 id : std::as_const(matching)) {
        const OperationResult result = resolve(id, decision, actor);
        if (result.success)
            ++outcome.resolved;
        else
            outcome.failures << QStringLiteral("conflict %1: %2").arg(id).arg(result.error);
    }
    return Result<BulkResolution>::success(outcome);
}

} // namespace syncdesk
