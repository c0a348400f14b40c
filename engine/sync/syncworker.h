#pragma once

#include "sync/batchprocessor.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

namespace syncdesk {

class ConnectionProvider;

// One worker thread's loop: claim a batch, apply it, repeat while there is work; when the queue is
// empty, wait for a wake-up or the slow poll. A lost database puts the worker into backoff (it keeps
// running and recovers by itself). Lives on its own QThread; its slots run between batches, so
// stop() always lets the batch in flight finish.
class SyncWorker : public QObject
{
    Q_OBJECT

public:
    struct Setup
    {
        int index = 0;
        std::shared_ptr<ConnectionProvider> backend;
        std::shared_ptr<ConnectionProvider> dashboard;
        // The dashboard's own database only: the connection that holds its events' claims.
        std::shared_ptr<ConnectionProvider> dashboardClaims;
        std::function<SyncContext()> context; // a fresh snapshot per batch (the policy may change)
        std::shared_ptr<std::atomic_bool> paused;
        std::shared_ptr<std::atomic_int> inFlight; // batches being applied right now, for the status
        int pollIntervalMs = 5000;
    };

    explicit SyncWorker(Setup setup, QObject *parent = nullptr);

public Q_SLOTS:
    void start();
    void wake();
    void stop();

Q_SIGNALS:
    void batchFinished(int workerIndex, const syncdesk::BatchOutcome &outcome);
    void idleChanged(int workerIndex, bool idle);
    void databaseStateChanged(int workerIndex, bool reachable, const QString &error);
    void heartbeat(int workerIndex);

private:
    void step();
    void noteBacklog(const BatchOutcome &outcome, bool newerRound, int batchSize);
    void scheduleNext(int delayMs);
    void setIdle(bool idle);

    Setup m_setup;
    QTimer *m_timer; // a child, so it moves to the worker thread with us
    bool m_running = false;
    bool m_idle = false;
    bool m_reachable = true;
    int m_backoffMs = 0;
    // The server sessions (backend, helpdesk, claims) the last successful batch ran on. A batch that
    // fails on one of them may have met a connection that died while idle; the next attempt replaces
    // it, so it goes at once instead of waiting.
    QList<int> m_sessionsThatWorked;
    static constexpr int kQuickRetries = 3; // backend, helpdesk, claims
    int m_quickRetries = 0;
    // The last batch from the old end was full: there is a backlog, and every other batch is a small
    // one of the changes captured after m_marks (SyncContext::newerThan).
    bool m_backlogged = false;
    bool m_lastWasNewer = false;
    QueueMarks m_marks;
};

} // namespace syncdesk
