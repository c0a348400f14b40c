#pragma once

#include <QObject>
#include <QSqlDriver>
#include <QTimer>

#include <memory>

namespace syncdesk {

class ConnectionProvider;

// Wakes the workers when a change is captured, without making every writer pay for a NOTIFY.
// While all workers are idle it holds the advisory lock (1398361667, 1) and LISTENs on
// syncdesk_outbox: capture triggers notify only while somebody holds that lock. Having taken the
// lock it looks once more for due events (writers that did not notify have committed by then).
// While workers are busy it holds nothing, so writers pay no NOTIFY. Lives on its own thread.
class WakeupListener : public QObject
{
    Q_OBJECT

public:
    WakeupListener(std::shared_ptr<ConnectionProvider> connections, int reconnectIntervalMs,
                   QObject *parent = nullptr);

public Q_SLOTS:
    void start();
    void stop();
    void workersIdle();
    void workersBusy();

Q_SIGNALS:
    void wakeUp();
    void connectionStateChanged(bool listening, const QString &error);

private:
    void ensureListening();
    void watch();
    void release();
    void onNotification(const QString &name, QSqlDriver::NotificationSource source, const QVariant &payload);

    std::shared_ptr<ConnectionProvider> m_connections;
    QTimer *m_reconnect; // children, so they move to the listener thread with us
    QTimer *m_retryWatch;
    bool m_listening = false;
    bool m_holdingLock = false;
    bool m_workersIdle = false;
    bool m_running = false;
};

} // namespace syncdesk
