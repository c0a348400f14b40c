#pragma once

#include "core/result.h"
#include "sync/outboxevent.h"
#include "sync/retrypolicy.h"

#include <QSqlDatabase>

#include <optional>
#include <random>

namespace syncdesk {

// Where the changes made after a backlog began start, in each system's queue: the queue's high-water
// mark when the backlog was noticed, moved past each batch of them (migration 0013).
struct QueueMarks
{
    qint64 backend = 0;
    qint64 dashboard = 0; // the dashboard's own database only
};

// The claim side of sync.outbox. A claim is a row lock taken with FOR UPDATE SKIP LOCKED inside the
// transaction that applies the events and marks them done: several workers and instances share the
// queue without double work, and a worker that dies loses its locks with its connection. The lease
// of a worker that hangs is enforced by the server (idle_in_transaction_session_timeout).
class OutboxQueue
{
public:
    // Locks up to `limit` pending, due events, oldest first, in the open transaction (`excluding`:
    // events this transaction already holds, which SKIP LOCKED would return again).
    static Result<OutboxEvents> claim(QSqlDatabase &db, int limit, const QList<qint64> &excluding = {});
    // Changes to linked records captured after `after` and up to `upto` (ids): the changes made
    // during a backlog (migration 0013).
    static Result<OutboxEvents> claimNewer(QSqlDatabase &db, int limit, qint64 after, qint64 upto);
    // The last event id handed out so far: what is captured later has a greater one.
    static Result<qint64> highWater(QSqlDatabase &db);
    // Locks these events again (after a failed batch was rolled back and is being split).
    static Result<OutboxEvents> claimIds(QSqlDatabase &db, const QList<qint64> &ids);
    // When the events were captured (epoch milliseconds as claimed), first and last: with it a done
    // mark is planned for the day partitions that hold them only.
    struct CaptureWindow
    {
        qint64 firstMs = 0;
        qint64 lastMs = 0;
    };
    static Status markDone(QSqlDatabase &db, const QList<qint64> &ids,
                           std::optional<CaptureWindow> window = {});
    // Records a failed attempt: back to pending later, or dead after the last attempt. Own transaction.
    static Status recordFailure(QSqlDatabase &db, const OutboxEvent &event, const QString &error,
                                const RetryPolicy &policy, std::mt19937 &random);
    // Dead events back to pending with a fresh set of attempts: one (by id) or all. Returns how many.
    static Result<int> retryDead(QSqlDatabase &db, std::optional<qint64> id);

    struct Depth
    {
        qint64 pending = 0;
        qint64 due = 0;
        qint64 dead = 0;
        double oldestPendingSeconds = 0;
    };
    static Result<Depth> depth(QSqlDatabase &db);
};

} // namespace syncdesk
