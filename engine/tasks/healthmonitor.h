#pragma once

#include "sync/outboxqueue.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace syncdesk {

class ConnectionProvider;

struct HealthSnapshot
{
    bool backendReachable = false;
    bool dashboardReachable = false;
    QString backendError;
    QString dashboardError;
    OutboxQueue::Depth queue;
    qint64 openConflicts = 0;
    QDateTime at;
};

// Looks at the databases every few seconds: can each side be reached, how deep is the queue, how old
// its oldest change, how many events are dead and conflicts open. The service keeps the latest
// snapshot, so its status costs no query to read. Lives on the engine's task thread.
class HealthMonitor : public QObject
{
    Q_OBJECT

public:
    HealthMonitor(std::shared_ptr<ConnectionProvider> backend, std::shared_ptr<ConnectionProvider> dashboard,
                  int intervalMs, QObject *parent = nullptr);

public Q_SLOTS:
    void start();
    void stop();
    void checkNow();

Q_SIGNALS:
    void checked(const syncdesk::HealthSnapshot &snapshot);

private:
    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ConnectionProvider> m_dashboard;
    QTimer *m_timer; // a child, so it moves to the task thread with us
    // Counting a queue of millions takes a second or more of a database core: the count is taken
    // again only after 20 times as long as it took (at most 5 % of a core), the last one shown meanwhile.
    OutboxQueue::Depth m_lastQueue;
    QDateTime m_nextCountAt;
};

} // namespace syncdesk
