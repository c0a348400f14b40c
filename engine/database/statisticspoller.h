#pragma once

#include "database/databasestatistics.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

namespace syncdesk {

class ConnectionProvider;

// Collects DatabaseStatistics every `intervalMs` on a pool thread (never on the caller's thread,
// which is usually the GUI's) and hands the result back by signal. A collection still running
// when the next one is due is not doubled up.
class StatisticsPoller : public QObject
{
    Q_OBJECT

public:
    StatisticsPoller(std::shared_ptr<ConnectionProvider> connections, int intervalMs,
                     QObject *parent = nullptr);
    ~StatisticsPoller() override;

    // The helpdesk in a database of its own: its records and queue are counted there.
    void setHelpdeskConnections(std::shared_ptr<ConnectionProvider> helpdesk) { m_helpdesk = std::move(helpdesk); }
    void start();
    void stop();
    void refreshNow();

Q_SIGNALS:
    void statisticsChanged(const syncdesk::DatabaseStatistics &statistics);
    void collectionFailed(const QString &message);

private:
    std::shared_ptr<ConnectionProvider> m_connections;
    std::shared_ptr<ConnectionProvider> m_helpdesk;
    QTimer m_timer;
    QFutureWatcher<Result<DatabaseStatistics>> m_watcher;
};

} // namespace syncdesk
