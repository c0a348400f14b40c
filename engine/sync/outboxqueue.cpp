#include "sync/outboxqueue.h"

#include "database/sql.h"

#include <QJsonDocument>

#include <algorithm>

namespace syncdesk {

namespace {

// captured_at as epoch milliseconds: a timestamptz read through the driver becomes a local-time
// QDateTime, and each conversion re-reads the time zone (6 % of the engine process's CPU in catch-up).
const QString kColumns =
    QStringLiteral("id, (extract(epoch FROM captured_at) * 1000)::bigint, side, entity, entity_id, "
                   "operation, changed_columns::text, "
                   "CASE WHEN operation = 'delete' THEN before_image::text END, attempts");

// Events named by id (one bigint[] parameter). The list goes in through a sub-select so the planner
// does not see its length: a day's partition starts without statistics, and a thousand ids against an
// unanalysed partition plan as a scan of the whole partition for every batch; unseen, they plan as
// index look-ups.
const QString kIdInList = QStringLiteral("id = ANY((SELECT ?::bigint[])::bigint[])");

// Pending events named by id: the list's bounds as well, so that the (status, id) index is read over
// that range only. Given only the list, a plan made from statistics in which pending events were few
// (the usual state, before a backlog) reads every pending event and tests it against the list:
// 3.8 s instead of 0.3 s to mark 30 batches done with 50,000 events pending. Each event of the range
// is then tested against the list as a filter; `id + 0` keeps the list a constant, which PostgreSQL
// looks up in a hash table instead of comparing with every element (a seventh of a done mark's time).
const QString kPendingIds =
    QStringLiteral("status = 'pending' AND id BETWEEN ? AND ? AND id + 0 = ANY(?::bigint[])");

QVariantList pendingIdsValues(const QList<qint64> &ids) // not empty
{
    const auto [lowest, highest] = std::minmax_element(ids.cbegin(), ids.cend());
    return {*lowest, *highest, sql::bigintArray(ids)};
}

Result<OutboxEvents> readEvents(Result<QSqlQuery> rows)
{
    if (!rows)
        return Result<OutboxEvents>::failure(rows.error());
    OutboxEvents events;
    QSqlQuery &query = rows.value();
    while (query.next()) {
        OutboxEvent event;
        event.id = query.value(0).toLongLong();
        event.capturedAt = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
        event.side = query.value(2).toString();
        event.entity = query.value(3).toString();
        event.entityId = query.value(4).toLongLong();
        event.operation = query.value(5).toString();
        event.changedColumns = sql::parseTextArray(query.value(6).toString());
        if (!query.value(7).isNull())
            event.beforeImage = QJsonDocument::fromJson(query.value(7).toString().toUtf8()).object();
        event.attempts = query.value(8).toInt();
        events << event;
    }
    return Result<OutboxEvents>::success(events);
}

} // namespace

// Oldest first by id, along the (status, id) index; events waiting out a backoff are passed over.
// sync.claim_pending keeps that plan whatever the statistics say (migration 0008); sync.claim_newer
// enters the index at `after` (0013).
Result<OutboxEvents> OutboxQueue::claim(QSqlDatabase &db, int limit, const QList<qint64> &excluding)
{
    return readEvents(sql::run(
        db, QStringLiteral("SELECT %1 FROM sync.claim_pending(?, ?::bigint[]) ORDER BY id").arg(kColumns),
        {limit, sql::bigintArray(excluding)}));
}

Result<OutboxEvents> OutboxQueue::claimNewer(QSqlDatabase &db, int limit, qint64 after, qint64 upto)
{
    return readEvents(
        sql::run(db, QStringLiteral("SELECT %1 FROM sync.claim_newer(?, ?, ?) ORDER BY id").arg(kColumns),
                 {limit, after, upto}));
}

Result<qint64> OutboxQueue::highWater(QSqlDatabase &db)
{
    auto value = sql::scalar(db, QStringLiteral("SELECT sync.outbox_high_water()"));
    if (!value)
        return Result<qint64>::failure(value.error());
    return Result<qint64>::success(value.value().toLongLong());
}

Result<OutboxEvents> OutboxQueue::claimIds(QSqlDatabase &db, const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return Result<OutboxEvents>::success({});
    return readEvents(
        sql::run(db,
                 QStringLiteral("SELECT %1 FROM sync.outbox WHERE %2 ORDER BY id FOR UPDATE SKIP LOCKED")
                     .arg(kColumns, kPendingIds),
                 pendingIdsValues(ids)));
}

// Planning an update of the outbox covers every day partition unless the statement bounds
// captured_at with constants (a third of a done mark's time went into planning it for ten).
Status OutboxQueue::markDone(QSqlDatabase &db, const QList<qint64> &ids, std::optional<CaptureWindow> window)
{
    if (ids.isEmpty())
        return Status::success();
    QString captured;
    if (window) {
        // Claimed times are rounded to the millisecond; the bounds allow for it.
        const auto literal = [](qint64 ms) {
            return QStringLiteral("'%1'::timestamptz")
                .arg(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
        };
        captured = QStringLiteral(" AND captured_at BETWEEN %1 AND %2")
                       .arg(literal(window->firstMs - 1), literal(window->lastMs + 1));
    }
    return sql::exec(db,
                     QStringLiteral("UPDATE sync.outbox SET status = 'done', processed_at = "
                                    "clock_timestamp(), last_error = NULL WHERE %1%2")
                         .arg(kPendingIds, captured),
                     pendingIdsValues(ids));
}

Status OutboxQueue::recordFailure(QSqlDatabase &db, const OutboxEvent &event, const QString &error,
                                  const RetryPolicy &policy, std::mt19937 &random)
{
    const int attempts = event.attempts + 1;
    const bool dead = policy.exhausted(attempts);
    const qint64 delayMs = dead ? 0 : policy.backoff(attempts, random).count();
    return sql::exec(
        db,
        QStringLiteral(
            "UPDATE sync.outbox SET attempts = ?, last_error = ?, status = ?, "
            "next_attempt_at = now() + ? * interval '1 millisecond' WHERE status = 'pending' AND id = ?"),
        {attempts, error.left(2000), dead ? QStringLiteral("dead") : QStringLiteral("pending"), delayMs,
         event.id});
}

Result<int> OutboxQueue::retryDead(QSqlDatabase &db, std::optional<qint64> id)
{
    auto rows = sql::run(db,
                         QStringLiteral("UPDATE sync.outbox SET status = 'pending', attempts = 0, next_attempt_at = now() "
                                        "WHERE status = 'dead' AND (? IS NULL OR id = ?) RETURNING id"),
                         {id ? QVariant(*id) : QVariant(QMetaType(QMetaType::LongLong)),
                          id ? QVariant(*id) : QVariant(QMetaType(QMetaType::LongLong))});
    if (!rows)
        return Result<int>::failure(rows.error());
    int count = 0;
    while (rows.value().next())
        ++count;
    return Result<int>::success(count);
}

Result<OutboxQueue::Depth> OutboxQueue::depth(QSqlDatabase &db)
{
    // Separate counts so each uses its partial index instead of scanning the processed events.
    auto rows = sql::run(
        db, QStringLiteral(
                "SELECT (SELECT count(*) FROM sync.outbox WHERE status = 'pending'), "
                "(SELECT count(*) FROM sync.outbox WHERE status = 'pending' AND next_attempt_at <= now()), "
                "(SELECT count(*) FROM sync.outbox WHERE status = 'dead'), "
                "coalesce((SELECT extract(epoch FROM now() - captured_at) FROM sync.outbox "
                " WHERE status = 'pending' ORDER BY id LIMIT 1), 0)"));
    if (!rows)
        return Result<Depth>::failure(rows.error());
    rows.value().next();
    Depth depth;
    depth.pending = rows.value().value(0).toLongLong();
    depth.due = rows.value().value(1).toLongLong();
    depth.dead = rows.value().value(2).toLongLong();
    depth.oldestPendingSeconds = rows.value().value(3).toDouble();
    return Result<Depth>::success(depth);
}

} // namespace syncdesk
