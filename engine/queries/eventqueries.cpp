#include "queries/eventqueries.h"

#include "database/sql.h"

#include <QDateTime>
#include <QJsonDocument>

#include <algorithm>

namespace syncdesk {

namespace {

const QString kEvent = QStringLiteral(
    "json_build_object('id', id, 'captured_at', captured_at, 'side', side, 'entity', entity, 'table', table_name, "
    "'entity_id', entity_id, 'operation', operation, 'changed_columns', changed_columns, 'status', status, "
    "'attempts', attempts, 'next_attempt_at', next_attempt_at, 'processed_at', processed_at, 'last_error', last_error, "
    "'before', before_image, 'after', after_image)");

// Every status an event can have (sync.event_status): the (status, id) index is read once per status.
const QString kAllStatuses = QStringLiteral("ARRAY['pending', 'processing', 'done', 'dead']");

// The statuses wanted (one bound text, '' for all), as a set to read the index by.
const QString kStatuses =
    QStringLiteral("(SELECT wanted FROM unnest(%1) wanted WHERE ? = '' OR wanted = ?)").arg(kAllStatuses);

} // namespace

Result<QJsonArray> EventQueries::recent(ReadConnections &db, const EventFilter &filter)
{
    auto backend = recentIn(db.backend, filter);
    if (!backend || !db.split())
        return backend;
    auto dashboard = recentIn(db.dashboard, filter);
    if (!dashboard)
        return dashboard;
    // Newest first across both queues (ids are not comparable across them, capture times are).
    QList<QJsonObject> events;
    for (const QJsonArray *part : {&backend.value(), &dashboard.value()}) {
        for (const QJsonValue &event : *part)
            events << event.toObject();
    }
    const auto capturedAt = [](const QJsonObject &event) {
        return QDateTime::fromString(event.value(QStringLiteral("captured_at")).toString(), Qt::ISODateWithMs);
    };
    std::stable_sort(events.begin(), events.end(),
                     [&](const QJsonObject &a, const QJsonObject &b) { return capturedAt(a) > capturedAt(b); });
    QJsonArray newest;
    for (qsizetype i = 0; i < events.size() && i < filter.limit; ++i)
        newest.append(events.at(i));
    return Result<QJsonArray>::success(newest);
}

Result<QJsonArray> EventQueries::recentIn(QSqlDatabase &db, const EventFilter &filter)
{
    // By id (a bigint sequence): the newest changes first, read backwards from the (status, id)
    // index once per status and merged.
    auto rows = sql::run(
        db,
        QStringLiteral(
            "SELECT coalesce(json_agg(e ORDER BY id DESC), '[]')::text FROM "
            "(SELECT id, e FROM %1 s(wanted) CROSS JOIN LATERAL "
            "(SELECT id, %2 AS e FROM sync.outbox WHERE status = s.wanted AND (? = '' OR entity = ?) "
            "AND (? = '' OR side = ?) ORDER BY id DESC LIMIT ?) per_status "
            "ORDER BY id DESC LIMIT ?) newest")
            .arg(kStatuses, kEvent),
        {filter.status, filter.status, filter.entity, filter.entity, filter.side, filter.side, filter.limit,
         filter.limit});
    if (!rows)
        return Result<QJsonArray>::failure(rows.error());
    rows.value().next();
    return Result<QJsonArray>::success(QJsonDocument::fromJson(rows.value().value(0).toString().toUtf8()).array());
}

Result<QJsonObject> EventQueries::get(ReadConnections &db, qint64 id, bool *exists)
{
    constexpr qint64 kFirstDashboardEvent = qint64(1) << 62; // sync.number_events_as_dashboard_database()
    QSqlDatabase &queue = db.split() && id >= kFirstDashboardEvent ? db.dashboard : db.backend;
    auto rows = sql::run(queue,
                         QStringLiteral("SELECT %1::text FROM sync.outbox WHERE status = ANY(%2) AND id = ?")
                             .arg(kEvent, kAllStatuses),
                         {id});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    const bool found = rows.value().next();
    if (exists)
        *exists = found;
    if (!found)
        return Result<QJsonObject>::failure(QStringLiteral("event %1 does not exist").arg(id));
    return Result<QJsonObject>::success(QJsonDocument::fromJson(rows.value().value(0).toString().toUtf8()).object());
}

} // namespace syncdesk
