#include "queries/throughputqueries.h"

#include "database/sql.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk {

namespace {

// {"at", "applied", "queued"} per period -> {"at", "events_per_second", "queued"}.
QJsonArray perSecond(const QJsonArray &periods, int bucketSeconds)
{
    QJsonArray out;
    for (const QJsonValue &period : periods) {
        out.append(QJsonObject{{QStringLiteral("at"), period[QLatin1String("at")]},
                               {QStringLiteral("events_per_second"),
                                double(period[QLatin1String("applied")].toInteger()) / double(qMax(1, bucketSeconds))},
                               {QStringLiteral("queued"), period[QLatin1String("queued")].toInteger()}});
    }
    return out;
}

} // namespace

Result<QJsonArray> ThroughputQueries::historyIn(QSqlDatabase &db, const QDateTime &end, int bucketSeconds, int buckets)
{
    // Per period the changes applied in it and captured in it; the queue at a period's end is what
    // waited when the window began plus what was captured since and not yet applied. Changes captured
    // more than a day before the window are left out, which lets the partitions before it be skipped.
    const QString statement = QStringLiteral(
        "WITH p AS (SELECT ?::timestamptz AS e, make_interval(secs => ?::int) AS w, ?::int AS n), "
        "s AS (SELECT e - w * n AS start, e, w, n FROM p), "
        "captured AS (SELECT floor(extract(epoch FROM o.captured_at - s.start) / extract(epoch FROM s.w))::int AS g, count(*) AS n "
        "  FROM sync.outbox o, s WHERE o.captured_at >= s.start AND o.captured_at < s.e AND o.status <> 'dead' GROUP BY 1), "
        "applied AS (SELECT floor(extract(epoch FROM o.processed_at - s.start) / extract(epoch FROM s.w))::int AS g, count(*) AS n "
        "  FROM sync.outbox o, s WHERE o.status = 'done' AND o.processed_at >= s.start AND o.processed_at < s.e "
        "  AND o.captured_at >= s.start - interval '1 day' GROUP BY 1), "
        "backlog AS (SELECT count(*) AS n FROM sync.outbox o, s WHERE o.captured_at < s.start "
        "  AND o.captured_at >= s.start - interval '1 day' AND o.status <> 'dead' "
        "  AND (o.processed_at IS NULL OR o.processed_at >= s.start)) "
        "SELECT coalesce(json_agg(json_build_object('at', at, 'applied', applied, 'queued', greatest(queued, 0)) ORDER BY g), '[]')::text "
        "FROM (SELECT b.g, s.start + s.w * (b.g + 1) AS at, coalesce(a.n, 0) AS applied, "
        "  (SELECT n FROM backlog) + sum(coalesce(c.n, 0) - coalesce(a.n, 0)) OVER (ORDER BY b.g) AS queued "
        "  FROM s, generate_series(0, s.n - 1) AS b(g) LEFT JOIN captured c ON c.g = b.g LEFT JOIN applied a ON a.g = b.g) x");
    auto rows = sql::run(db, statement, {end.toUTC().toString(Qt::ISODateWithMs), bucketSeconds, buckets});
    if (!rows)
        return Result<QJsonArray>::failure(rows.error());
    rows.value().next();
    return Result<QJsonArray>::success(QJsonDocument::fromJson(rows.value().value(0).toString().toUtf8()).array());
}

Result<QJsonArray> ThroughputQueries::history(ReadConnections &db, const QDateTime &end, int bucketSeconds, int buckets)
{
    auto backend = historyIn(db.backend, end, bucketSeconds, buckets);
    if (!backend || !db.split())
        return backend.ok() ? Result<QJsonArray>::success(perSecond(backend.value(), bucketSeconds)) : backend;
    auto dashboard = historyIn(db.dashboard, end, bucketSeconds, buckets);
    if (!dashboard)
        return dashboard;
    // The same periods on both (the end is ours, not either server's clock): added up period by period.
    QJsonArray both;
    for (qsizetype i = 0; i < backend->size(); ++i) {
        const QJsonObject ours = backend->at(i).toObject();
        const QJsonObject theirs = dashboard->at(i).toObject();
        both.append(QJsonObject{{QStringLiteral("at"), ours.value(QStringLiteral("at"))},
                                {QStringLiteral("applied"), ours.value(QStringLiteral("applied")).toInteger() +
                                                                theirs.value(QStringLiteral("applied")).toInteger()},
                                {QStringLiteral("queued"), ours.value(QStringLiteral("queued")).toInteger() +
                                                               theirs.value(QStringLiteral("queued")).toInteger()}});
    }
    return Result<QJsonArray>::success(perSecond(both, bucketSeconds));
}

} // namespace syncdesk
