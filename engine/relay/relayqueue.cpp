#include "relay/relayqueue.h"

#include "database/sql.h"

namespace syncdesk {

namespace {

constexpr int kLockClass = 1398361667; // 'SYNC'

// The journal's text is read as the bytes PostgreSQL stores (UTF-8), without a detour through
// QString: a round is megabytes.
Result<QList<RelayQueue::Batch>> batches(QSqlDatabase &db, const char *statement, const QList<QByteArray> &values = {})
{
    using Batches = Result<QList<RelayQueue::Batch>>;
    auto rows = sql::queryTexts(db, statement, values);
    if (!rows)
        return Batches::failure(rows.error());
    QList<RelayQueue::Batch> list;
    list.reserve(rows->size());
    for (const QList<QByteArray> &row : std::as_const(rows.value()))
        list << RelayQueue::Batch{row.at(0).toLongLong(), row.at(1)};
    return Batches::success(list);
}

} // namespace

RelayQueue::RelayQueue(QSqlDatabase db)
    : m_db(std::move(db))
{
}

Result<bool> RelayQueue::lead()
{
    auto locked = sql::scalar(m_db, QStringLiteral("SELECT pg_try_advisory_lock(%1, %2)").arg(kLockClass).arg(lockKey));
    if (!locked)
        return Result<bool>::failure(locked.error());
    return Result<bool>::success(locked.value().toBool());
}

void RelayQueue::resign()
{
    sql::exec(m_db, QStringLiteral("SELECT pg_advisory_unlock(%1, %2)").arg(kLockClass).arg(lockKey));
}

Result<QByteArray> RelayQueue::source()
{
    auto source = sql::scalar(m_db, QStringLiteral("UPDATE sync.relay_state SET source = coalesce(source, "
                                                   "substr(md5(random()::text || clock_timestamp()::text), 1, 16)) "
                                                   "RETURNING source"));
    if (!source)
        return Result<QByteArray>::failure(source.error());
    return Result<QByteArray>::success(source.value().toString().toLatin1());
}

Result<QList<RelayQueue::Batch>> RelayQueue::inFlight()
{
    return batches(m_db, "SELECT b.seq, b.events FROM sync.relay_state s "
                         "JOIN sync.relay_batches b ON b.seq = ANY(s.in_flight) ORDER BY b.seq");
}

Result<QList<RelayQueue::Batch>> RelayQueue::next(int maxEvents)
{
    // Counts first, texts of the chosen batches only (each is a TOASTed value of hundreds of kilobytes).
    return batches(m_db,
                   "WITH head AS (SELECT seq, sum(event_count) OVER (ORDER BY seq) - event_count AS before "
                   "FROM (SELECT seq, event_count FROM sync.relay_batches ORDER BY seq LIMIT 1000) r) "
                   "SELECT b.seq, b.events FROM sync.relay_batches b JOIN head h ON h.seq = b.seq "
                   "WHERE h.before < $1::bigint ORDER BY b.seq",
                   {QByteArray::number(std::max(1, maxEvents))});
}

Status RelayQueue::markInFlight(const QList<qint64> &seqs)
{
    return sql::exec(m_db, QStringLiteral("UPDATE sync.relay_state SET in_flight = ?::bigint[]"), {sql::bigintArray(seqs)});
}

Status RelayQueue::published(const QList<qint64> &done, qint64 events, const QList<qint64> &stillInFlight)
{
    // One statement, so the rows go and the position moves together (a data-modifying WITH always runs).
    return sql::exec(m_db,
                     QStringLiteral("WITH gone AS (DELETE FROM sync.relay_batches WHERE seq = ANY(?::bigint[]) RETURNING seq) "
                                    "UPDATE sync.relay_state SET published = published + ?, published_at = now(), "
                                    "in_flight = ?::bigint[]"),
                     {sql::bigintArray(done), events, sql::bigintArray(stillInFlight)});
}

Result<RelayQueue::Lag> RelayQueue::lag()
{
    auto row = sql::run(m_db, QStringLiteral("SELECT (SELECT coalesce(sum(event_count), 0) FROM sync.relay_batches), "
                                             "(SELECT coalesce(extract(epoch FROM clock_timestamp() - min(recorded_at)), 0) "
                                             " FROM sync.relay_batches), published, published_at, expired FROM sync.relay_state"));
    if (!row)
        return Result<Lag>::failure(row.error());
    if (!row.value().next())
        return Result<Lag>::failure(QStringLiteral("sync.relay_state has no row"));
    Lag lag;
    lag.events = row.value().value(0).toLongLong();
    lag.oldestSeconds = row.value().value(1).toDouble();
    lag.published = row.value().value(2).toLongLong();
    lag.publishedAt = row.value().value(3).toDateTime();
    lag.expired = row.value().value(4).toLongLong();
    return Result<Lag>::success(lag);
}

} // namespace syncdesk
