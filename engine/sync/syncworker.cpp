#include "sync/syncworker.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"

#include <libpq-fe.h>

#include <exception>

namespace syncdesk {

SyncWorker::SyncWorker(Setup setup, QObject *parent)
    : QObject(parent)
    , m_setup(std::move(setup))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &SyncWorker::step);
}

void SyncWorker::start()
{
    m_running = true;
    scheduleNext(0);
}

void SyncWorker::stop()
{
    m_running = false;
    m_timer->stop();
}

void SyncWorker::wake()
{
    if (m_running && m_idle)
        scheduleNext(0);
}

void SyncWorker::scheduleNext(int delayMs)
{
    m_timer->start(delayMs);
}

void SyncWorker::setIdle(bool idle)
{
    if (m_idle == idle)
        return;
    m_idle = idle;
    Q_EMIT idleChanged(m_setup.index, idle);
}

void SyncWorker::step()
{
    if (!m_running)
        return;
    Q_EMIT heartbeat(m_setup.index);
    // Counted before the pause is looked at: whoever pauses and then sees no batch in flight knows
    // that none will start.
    struct InFlight
    {
        std::atomic_int *counter;
        explicit InFlight(std::atomic_int *c) : counter(c) { if (counter) counter->fetch_add(1); }
        ~InFlight() { if (counter) counter->fetch_sub(1); }
    } inFlight(m_setup.inFlight.get());
    if (m_setup.paused && m_setup.paused->load()) {
        setIdle(true);
        scheduleNext(m_setup.pollIntervalMs);
        return;
    }
    BatchOutcome outcome;
    QList<int> sessions;
    // Nothing may escape a worker thread: a surprise becomes a transient failure and a backoff.
    try {
        auto backend = m_setup.backend->database();
        auto dashboard = m_setup.dashboard->database();
        auto claims = m_setup.dashboardClaims ? m_setup.dashboardClaims->database() : Result<QSqlDatabase>::success({});
        if (!backend || !dashboard || !claims) {
            outcome.transientFailure = true;
            outcome.error = !backend ? backend.error() : !dashboard ? dashboard.error() : claims.error();
        } else {
            SyncConnections connections{backend.value(), dashboard.value(), claims.value()};
            for (QSqlDatabase *db : {&connections.backend, &connections.dashboard, &connections.dashboardClaims}) {
                const PGconn *session = db->isValid() ? sql::pgConnection(*db) : nullptr;
                sessions << (session ? PQbackendPID(session) : 0);
            }
            SyncContext context = m_setup.context();
            context.newestFirst = m_backlogged && !m_lastWasNewest;
            const int batchSize = context.batchSize;
            const bool newestFirst = context.newestFirst;
            BatchProcessor processor(std::move(context));
            outcome = processor.runOnce(connections);
            m_lastWasNewest = newestFirst;
            if (!newestFirst)
                m_backlogged = outcome.claimed >= batchSize;
        }
    } catch (const std::exception &error) {
        outcome.transientFailure = true;
        outcome.error = QStringLiteral("unexpected error: %1").arg(QString::fromLocal8Bit(error.what()));
    } catch (...) {
        outcome.transientFailure = true;
        outcome.error = QStringLiteral("unexpected error");
    }

    if (outcome.claimed > 0 || outcome.failed > 0 || !outcome.liveEvents.isEmpty())
        Q_EMIT batchFinished(m_setup.index, outcome);
    if (outcome.transientFailure && !m_sessionsThatWorked.isEmpty() && sessions == m_sessionsThatWorked) {
        // Failed on the sessions that last worked: one of them may have been cut while it waited (a
        // restart, a terminated backend, a dropped network path). The database was there a moment
        // ago; retry at once on fresh sessions, and back off only if that fails too. Waiting here
        // would let the idle session be cut again and the wait double (docs/reliability.md).
        m_sessionsThatWorked.clear();
        qCDebug(lcSync).noquote() << "worker" << m_setup.index << "retrying at once on fresh connections:" << outcome.error;
        setIdle(false);
        scheduleNext(0);
        return;
    }
    if (outcome.transientFailure) {
        // The database went away (or a deadlock): back off, keep running, recover by ourselves.
        m_sessionsThatWorked.clear();
        m_backoffMs = m_backoffMs == 0 ? 250 : qMin(m_backoffMs * 2, 30000);
        if (m_reachable) {
            m_reachable = false;
            qCWarning(lcSync).noquote() << "worker" << m_setup.index << "cannot reach the database, retrying:" << outcome.error;
        }
        Q_EMIT databaseStateChanged(m_setup.index, false, outcome.error);
        setIdle(false);
        scheduleNext(m_backoffMs);
        return;
    }
    m_sessionsThatWorked = sessions;
    if (!m_reachable) {
        m_reachable = true;
        m_backoffMs = 0;
        qCInfo(lcSync) << "worker" << m_setup.index << "reaches the database again";
        Q_EMIT databaseStateChanged(m_setup.index, true, QString());
    }
    if (outcome.claimed > 0) {
        setIdle(false);
        // Everything claimed belonged to records another worker holds: give it a moment.
        scheduleNext(outcome.processed == 0 && outcome.deferred > 0 ? 20 : 0);
    } else {
        setIdle(true);
        scheduleNext(m_setup.pollIntervalMs);
    }
}

} // namespace syncdesk
