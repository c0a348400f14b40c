#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>

namespace syncdesk {

// The relay's side of sync.relay_batches and sync.relay_state (the journal's rows and the relay's
// durable position), on the relay's own session.
class RelayQueue
{
public:
    explicit RelayQueue(QSqlDatabase db);

    // Takes the relay's advisory lock (1398361667, 12) for this session when it is free: one relay
    // publishes per database. True while this session holds it.
    Result<bool> lead();
    void resign();

    // The first part of this database's message ids, chosen by the first relay that asks.
    Result<QByteArray> source();

    struct Batch
    {
        qint64 seq = 0;
        QByteArray events; // the journal's lines
    };
    // The batches a relay was publishing when it stopped, in order (empty when it finished).
    Result<QList<Batch>> inFlight();
    // The oldest visible batches, in order, up to about `maxEvents` events (at least one batch).
    Result<QList<Batch>> next(int maxEvents);
    // Notes the round about to be published (so a relay taking over knows what the broker may hold).
    Status markInFlight(const QList<qint64> &seqs);
    // The broker acknowledged every event of `done` (`events` in all): they go, the counters move,
    // and `stillInFlight` is what remains of the round.
    Status published(const QList<qint64> &done, qint64 events, const QList<qint64> &stillInFlight);

    struct Lag
    {
        qint64 events = 0;
        double oldestSeconds = 0;
        qint64 published = 0;
        QDateTime publishedAt;
        qint64 expired = 0;
    };
    Result<Lag> lag();

    static constexpr int lockKey = 12;

private:
    QSqlDatabase m_db;
};

} // namespace syncdesk
