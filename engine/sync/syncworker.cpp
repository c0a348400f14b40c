#include "sync/syncworker.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"

#include <libpq-fe.h>

#include <algorithm>
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

// A full batch from the old end means a backlog: note where the queues ended, and from now on every
// other batch takes what was captured after that (moving the marks on). A batch that is not full
// ends the backlog.
void SyncWorker::noteBacklog(const BatchOutcome &outcome, bool newerRound, int batchSize)
{
    m_lastWasNewer = newerRound;
    if (outcome.transientFailure)
        return;
    if (newerRound) {
        if (outcome.marks)
            m_marks = *outcome.marks;
        return;
    }
    const bool full = outcome.claimed >= batchSize;
    if (full && !m_backlogged) {
        if (!outcome.marks)
            return; // the marks could not be read: no alternation this time
        m_marks = *outcome.marks;
    }
    m_backlogged = full;
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
    bool newerRound = false;
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
            newerRound = m_backlogged && !m_lastWasNewer;
            if (newerRound)
                context.newerThan = m_marks;
            const int batchSize = context.batchSize;
            BatchProcessor processor(std::move(context));
            outcome = processor.runOnce(connections);
            noteBacklog(outcome, newerRound, batchSize);
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
    const bool onSessionsThatWorked = std::any_of(sessions.cbegin(), sessions.cend(), [this](int session) {
        return session != 0 && m_sessionsThatWorked.contains(session);
    });
    const bool sessionLost = !sessions.isEmpty() && RetryPolicy::isLostSession(outcome.error);
    if (outcome.transientFailure && (onSessionsThatWorked || sessionLost) && m_quickRetries < kQuickRetries) {
        // Failed on a session that last worked, or a session was ended: it may have been cut while it
        // waited (a restart, a terminated backend, a dropped network path). The database was there a
        // moment ago; retry at once, and back off only if that fails again. Waiting here would let the
        // idle session be cut again and the wait double (docs/reliability.md). A cut session is
        // replaced once it has failed, and the server may end several at slightly different moments
        // (even one just opened), so a retry can meet the next one: as many quick retries as a worker
        // has sessions. A server that is really down refuses the fresh connections: then back off.
        ++m_quickRetries;
        qCDebug(lcSync).noquote() << "worker" << m_setup.index << "retrying at once on fresh connections:" << outcome.error;
        setIdle(false);
        scheduleNext(0);
        return;
    }
    if (outcome.transientFailure) {
        // The database went away (or a deadlock): back off, keep running, recover by ourselves.
        m_sessionsThatWorked.clear();
        m_quickRetries = 0;
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
    m_quickRetries = 0;
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
    } else if (newerRound) {
        scheduleNext(0); // nothing new during the backlog: on with it
    } else {
        setIdle(true);
        scheduleNext(m_setup.pollIntervalMs);
    }
}

} // namespace syncdesk
