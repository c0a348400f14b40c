#include "database/statisticspoller.h"

#include "database/connectionprovider.h"

#include <QtConcurrent/QtConcurrentRun>

namespace syncdesk {

StatisticsPoller::StatisticsPoller(std::shared_ptr<ConnectionProvider> connections, int intervalMs,
                                   QObject *parent)
    : QObject(parent)
    , m_connections(std::move(connections))
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StatisticsPoller::refreshNow);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this]() {
        const Result<DatabaseStatistics> result = m_watcher.result();
        if (result)
            Q_EMIT statisticsChanged(result.value());
        else
            Q_EMIT collectionFailed(result.error());
    });
}

StatisticsPoller::~StatisticsPoller()
{
    m_timer.stop();
    m_watcher.waitForFinished();
}

void StatisticsPoller::start()
{
    refreshNow();
    m_timer.start();
}

void StatisticsPoller::stop()
{
    m_timer.stop();
}

void StatisticsPoller::refreshNow()
{
    if (m_watcher.isRunning())
        return;
    m_watcher.setFuture(QtConcurrent::run([connections = m_connections, helpdesk = m_helpdesk]() -> Result<DatabaseStatistics> {
        auto db = connections->database();
        if (!db)
            return Result<DatabaseStatistics>::failure(db.error());
        if (!helpdesk)
            return DatabaseStatistics::collect(db.value());
        auto other = helpdesk->database();
        if (!other)
            return Result<DatabaseStatistics>::failure(other.error());
        return DatabaseStatistics::collect(db.value(), &other.value());
    }));
}

} // namespace syncdesk
