#include "sync/syncjournal.h"

#include "database/sql.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

namespace {

QJsonArray ids(const QList<qint64> &values)
{
    QJsonArray out;
    for (qint64 value : values)
        out.append(value);
    return out;
}

QJsonValue orNull(qint64 id)
{
    return id > 0 ? QJsonValue(id) : QJsonValue(QJsonValue::Null);
}

} // namespace

SyncJournal::SyncJournal(QSqlDatabase db)
    : m_db(std::move(db))
{
}

Status SyncJournal::recordConflicts(const QList<ReconciledRecord> &records)
{
    QJsonArray rows;
    for (const ReconciledRecord &record : records) {
        for (const FieldConflict &conflict : record.conflicts) {
            const bool deletion = conflict.field.isEmpty();
            const QString kind = !conflict.kind.isEmpty() ? conflict.kind
                                 : deletion               ? QStringLiteral("deleted")
                                                          : QStringLiteral("field");
            rows.append(QJsonObject{{QStringLiteral("kind"), kind},
                                    {QStringLiteral("entity"), record.entity},
                                    {QStringLiteral("link_id"), orNull(record.linkId)},
                                    {QStringLiteral("backend_id"), orNull(record.backendId)},
                                    {QStringLiteral("dashboard_id"), orNull(record.dashboardId)},
                                    {QStringLiteral("field"),
                                     deletion ? QJsonValue(QJsonValue::Null) : QJsonValue(conflict.field)},
                                    {QStringLiteral("baseline_value"), conflict.baseline},
                                    {QStringLiteral("backend_value"), conflict.backendValue},
                                    {QStringLiteral("dashboard_value"), conflict.dashboardValue},
                                    {QStringLiteral("strategy"), toString(conflict.strategy)},
                                    {QStringLiteral("status"), conflict.status},
                                    {QStringLiteral("resolution"), conflict.resolution.isEmpty()
                                                                       ? QJsonValue(QJsonValue::Null)
                                                                       : QJsonValue(conflict.resolution)},
                                    {QStringLiteral("resolved_value"), conflict.resolvedValue.isUndefined()
                                                                           ? QJsonValue(QJsonValue::Null)
                                                                           : conflict.resolvedValue},
                                    {QStringLiteral("event_ids"), ids(record.eventIds)},
                                    {QStringLiteral("details"), conflict.details}});
        }
    }
    if (rows.isEmpty())
        return Status::success();
    // jsonb_to_recordset turns JSON null into SQL NULL for jsonb columns; 'null'::jsonb is kept
    // apart so that "the value was empty" and "no value" read differently.
    return sql::exec(
        m_db,
        QStringLiteral(
            "INSERT INTO sync.conflicts (kind, entity, link_id, backend_id, dashboard_id, field, "
            "baseline_value, "
            "backend_value, dashboard_value, strategy, status, resolution, resolved_value, resolved_by, "
            "resolved_at, "
            "event_ids, details) SELECT r.kind, r.entity, r.link_id, r.backend_id, r.dashboard_id, r.field, "
            "e.v -> 'baseline_value', e.v -> 'backend_value', e.v -> 'dashboard_value', r.strategy, "
            "r.status, "
            "r.resolution, CASE WHEN r.status <> 'open' THEN e.v -> 'resolved_value' END, "
            "CASE WHEN r.status <> 'open' THEN 'syncdesk' END, CASE WHEN r.status <> 'open' THEN now() END, "
            "ARRAY(SELECT jsonb_array_elements_text(e.v -> 'event_ids')::bigint), e.v -> 'details' "
            "FROM jsonb_array_elements(?::jsonb) AS e(v), jsonb_to_record(e.v) AS r(kind text, entity text, "
            "link_id bigint, backend_id bigint, dashboard_id bigint, field text, strategy text, status text, "
            "resolution text)"),
        {QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact))});
}

Status SyncJournal::recordHistory(const QList<ReconciledRecord> &records)
{
    QJsonArray rows;
    for (const ReconciledRecord &record : records) {
        if (record.action == QLatin1String("unchanged") || record.action == QLatin1String("waiting"))
            continue;
        QStringList fields = record.toBackend + record.toDashboard;
        fields.removeDuplicates();
        rows.append(QJsonObject{{QStringLiteral("entity"), record.entity},
                                {QStringLiteral("link_id"), orNull(record.linkId)},
                                {QStringLiteral("backend_id"), orNull(record.backendId)},
                                {QStringLiteral("dashboard_id"), orNull(record.dashboardId)},
                                {QStringLiteral("direction"), record.direction()},
                                {QStringLiteral("action"), record.action},
                                {QStringLiteral("fields"), QJsonArray::fromStringList(fields)},
                                {QStringLiteral("event_ids"), ids(record.eventIds)},
                                {QStringLiteral("details"),
                                 QJsonObject{{QStringLiteral("to_backend"), QJsonArray::fromStringList(record.toBackend)},
                                             {QStringLiteral("to_dashboard"), QJsonArray::fromStringList(record.toDashboard)},
                                             {QStringLiteral("changed_on"), record.changedOn},
                                             {QStringLiteral("conflicts"), int(record.conflicts.size())}}}});
    }
    if (rows.isEmpty())
        return Status::success();
    return sql::exec(m_db,
                     QStringLiteral("INSERT INTO sync.history (entity, link_id, backend_id, dashboard_id, direction, action, "
                                    "fields, event_ids, details) SELECT entity, link_id, backend_id, dashboard_id, direction, "
                                    "action, fields, event_ids, details FROM jsonb_to_recordset(?::jsonb) AS r(entity text, "
                                    "link_id bigint, backend_id bigint, dashboard_id bigint, direction text, action text, "
                                    "fields text[], event_ids bigint[], details jsonb)"),
                     {QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact))});
}

} // namespace syncdesk
