#include "tasks/healthmonitor.h"

#include "database/connectionprovider.h"
#include "database/sql.h"

#include <QElapsedTimer>

namespace syncdesk {

HealthMonitor::HealthMonitor(std::shared_ptr<ConnectionProvider> backend, std::shared_ptr<ConnectionProvider> dashboard,
                             int intervalMs, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
    , m_dashboard(std::move(dashboard))
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(intervalMs);
    connect(m_timer, &QTimer::timeout, this, &HealthMonitor::checkNow);
}

void HealthMonitor::start()
{
    checkNow();
    m_timer->start();
}

void HealthMonitor::stop()
{
    m_timer->stop();
}

void HealthMonitor::checkNow()
{
    HealthSnapshot snapshot;
    snapshot.at = QDateTime::currentDateTimeUtc();
    const auto probe = [](ConnectionProvider &connections, QString &error) -> bool {
        auto db = connections.database();
        if (!db) {
            error = db.error();
            return false;
        }
        if (Status alive = sql::exec(db.value(), QStringLiteral("SELECT 1")); !alive) {
            error = alive.error();
            return false;
        }
        return true;
    };
    snapshot.backendReachable = probe(*m_backend, snapshot.backendError);
    snapshot.dashboardReachable = m_dashboard == m_backend ? snapshot.backendReachable
                                                           : probe(*m_dashboard, snapshot.dashboardError);
    if (m_dashboard == m_backend)
        snapshot.dashboardError = snapshot.backendError;
    const bool countQueue = !m_nextCountAt.isValid() || snapshot.at >= m_nextCountAt;
    QElapsedTimer counting;
    counting.start();
    snapshot.queue = m_lastQueue;
    if (snapshot.backendReachable) {
        auto db = m_backend->database();
        if (db) {
            if (countQueue) {
                if (auto depth = OutboxQueue::depth(db.value()))
                    snapshot.queue = depth.value();
            }
            if (auto conflicts = sql::scalar(db.value(), QStringLiteral("SELECT count(*) FROM sync.conflicts WHERE status = 'open'")))
                snapshot.openConflicts = conflicts.value().toLongLong();
        }
    }
    // The dashboard in its own database has its own queue.
    if (countQueue && m_dashboard != m_backend && snapshot.dashboardReachable) {
        auto db = m_dashboard->database();
        auto depth = db ? OutboxQueue::depth(db.value()) : Result<OutboxQueue::Depth>::failure(db.error());
        if (depth) {
            snapshot.queue.pending += depth->pending;
            snapshot.queue.due += depth->due;
            snapshot.queue.dead += depth->dead;
            snapshot.queue.oldestPendingSeconds = qMax(snapshot.queue.oldestPendingSeconds, depth->oldestPendingSeconds);
        }
    }
    if (countQueue) {
        m_lastQueue = snapshot.queue;
        m_nextCountAt = snapshot.at.addMSecs(20 * counting.elapsed());
    }
    Q_EMIT checked(snapshot);
}

} // namespace syncdesk
