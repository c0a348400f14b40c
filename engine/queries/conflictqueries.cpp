#include "queries/conflictqueries.h"

#include "database/sql.h"
#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

namespace {

const QString kColumns = QStringLiteral(
    "json_build_object('id', id, 'kind', kind, 'entity', entity, 'link_id', link_id, 'backend_id', "
    "backend_id, "
    "'dashboard_id', dashboard_id, 'field', field, 'baseline_value', baseline_value, 'backend_value', "
    "backend_value, "
    "'dashboard_value', dashboard_value, 'strategy', strategy, 'status', status, 'resolution', resolution, "
    "'resolved_value', resolved_value, 'resolved_by', resolved_by, 'resolved_at', resolved_at, "
    "'detected_at', detected_at, "
    "'event_ids', event_ids, 'details', details)");

} // namespace

Result<QJsonObject> ConflictQueries::list(QSqlDatabase &db, const ConflictListFilter &filter)
{
    auto rows = sql::run(db,
                         QStringLiteral("WITH matching AS (SELECT * FROM sync.conflicts WHERE (? = '' OR status = ?) "
                                        "AND (? = '' OR entity = ?) AND (? = '' OR field = ?) AND (? = '' OR kind = ?)) "
                                        "SELECT (SELECT count(*) FROM matching), (SELECT coalesce(json_agg(item), '[]') FROM "
                                        "(SELECT %1 AS item FROM matching ORDER BY detected_at DESC, id DESC LIMIT ? OFFSET ?) s)::text")
                             .arg(kColumns),
                         {filter.status, filter.status, filter.entity, filter.entity, filter.field, filter.field, filter.kind,
                          filter.kind, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(listPage(rows.value(), filter.limit, filter.offset));
}

Result<QJsonObject> ConflictQueries::get(QSqlDatabase &db, qint64 id, bool *exists)
{
    auto rows = sql::run(db, QStringLiteral("SELECT %1::text FROM sync.conflicts WHERE id = ?").arg(kColumns), {id});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    const bool found = rows.value().next();
    if (exists)
        *exists = found;
    if (!found)
        return Result<QJsonObject>::failure(QStringLiteral("conflict %1 does not exist").arg(id));
    return Result<QJsonObject>::success(QJsonDocument::fromJson(rows.value().value(0).toString().toUtf8()).object());
}

} // namespace syncdesk
