#include "queries/consistencyqueries.h"

#include "database/sql.h"

#include <QJsonDocument>

namespace syncdesk {

namespace {
const QString kRun = QStringLiteral(
    "json_build_object('id', id, 'status', status, 'triggered_by', triggered_by, 'started_at', started_at, "
    "'finished_at', finished_at, 'progress', progress, 'issues_found', issues_found, 'repaired', repaired, "
    "'counts', counts, 'report', details, 'error', error)");
}

Result<QJsonObject> ConsistencyQueries::run(QSqlDatabase &db, qint64 id, bool *exists)
{
    auto rows = sql::run(db, QStringLiteral("SELECT %1::text FROM sync.consistency_runs WHERE id = ?").arg(kRun), {id});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    const bool found = rows.value().next();
    if (exists)
        *exists = found;
    if (!found)
        return Result<QJsonObject>::failure(QStringLiteral("consistency run %1 does not exist").arg(id));
    return Result<QJsonObject>::success(QJsonDocument::fromJson(rows.value().value(0).toString().toUtf8()).object());
}

Result<QJsonArray> ConsistencyQueries::latest(QSqlDatabase &db, int limit)
{
    auto rows = sql::run(db,
                         QStringLiteral("SELECT coalesce(json_agg(r ORDER BY (r ->> 'id')::bigint DESC), '[]')::text FROM "
                                        "(SELECT %1 AS r FROM sync.consistency_runs ORDER BY id DESC LIMIT ?) s")
                             .arg(kRun),
                         {limit});
    if (!rows)
        return Result<QJsonArray>::failure(rows.error());
    rows.value().next();
    return Result<QJsonArray>::success(QJsonDocument::fromJson(rows.value().value(0).toString().toUtf8()).array());
}

} // namespace syncdesk
