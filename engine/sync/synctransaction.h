#pragma once

#include "core/result.h"
#include "sync/liveevent.h"
#include "sync/outboxevent.h"
#include "sync/outboxqueue.h"
#include "sync/syncconnections.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <random>

namespace syncdesk {

class RelayJournal;
class RetryPolicy;

// The transactions one batch or one operation runs in, tagged with its origin so the engine's own
// writes are not captured again.
//
// Both systems in one database: one transaction; claims, writes and done marks commit together.
//
// The dashboard in its own database: the dashboard's writes commit first, then the backend's (rows,
// links, baselines, the backend's done marks and the ledger `sync.applied_events` of the dashboard
// events applied), and last the dashboard's done marks on the connection that held their claims.
// A crash after the first commit leaves every event pending; reconciliation reads both sides again
// and converges (state-based). A crash after the second leaves dashboard events pending that the
// ledger names: they are marked done without being applied a second time.
//
// With a relay journal, the events a commit announces are written for the event relay in the
// backend's transaction (which holds the sync state) just before it commits.
class SyncTransaction
{
public:
    SyncTransaction(SyncConnections &db, QString origin, const RelayJournal *journal = nullptr);
    ~SyncTransaction(); // rolls back whatever is still open
    SyncTransaction(const SyncTransaction &) = delete;
    SyncTransaction &operator=(const SyncTransaction &) = delete;

    // `withClaims`: this transaction will claim events (the dashboard's need their own connection).
    Status begin(bool withClaims);
    // Locks up to `limit` pending, due events of both systems' queues, oldest first.
    Result<OutboxEvents> claim(int limit);
    // The same for the events captured after `marks`, which move past what was taken.
    Result<OutboxEvents> claimNewer(int limit, QueueMarks &marks);
    // Each queue's last event id so far.
    Result<QueueMarks> highWater();
    // Locks these events again (a failed batch being split).
    Result<OutboxEvents> claimIds(const QList<qint64> &ids);
    // Commits; `doneIds` are claimed events whose effects are part of this transaction, `announced`
    // the live events it makes true (recorded for the relay).
    Status commit(const QList<qint64> &doneIds = {}, const LiveEvents &announced = {});
    void rollback();
    // After a rollback: records a failed attempt of a claimed event in its own queue, with
    // `announced` (the event's failure or death) recorded for the relay.
    Status recordFailure(const OutboxEvent &event, const QString &error, const RetryPolicy &policy,
                         std::mt19937 &random, const LiveEvents &announced = {});

    bool split() const { return !m_db.shared(); }
    // Whether a connection this transaction used is known to be broken.
    bool connectionBroken() const;

private:
    Status beginOn(QSqlDatabase &db);
    Result<OutboxEvents> withoutLedgered(Result<OutboxEvents> claimed);
    // Notes when the claimed events were captured, for the done marks.
    Result<OutboxEvents> remembered(Result<OutboxEvents> claimed);
    std::optional<OutboxQueue::CaptureWindow> windowOf(const QList<qint64> &ids) const;

    SyncConnections &m_db;
    QString m_origin;
    const RelayJournal *m_journal = nullptr;
    bool m_open = false;
    bool m_claims = false;
    QSet<qint64> m_dashboardEvents; // claimed from the dashboard's queue
    QHash<qint64, qint64> m_capturedMs; // claimed event -> when it was captured
    QList<qint64> m_alreadyApplied; // claimed dashboard events the ledger names
};

} // namespace syncdesk
