#include "sync/wakeuplistener.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"

#include <QSqlError>

namespace syncdesk {

namespace {
constexpr int kLockClass = 1398361667;
constexpr int kWakeLock = 1;
const QString kChannel = QStringLiteral("syncdesk_outbox");
} // namespace

WakeupListener::WakeupListener(std::shared_ptr<ConnectionProvider> connections, int reconnectIntervalMs,
                               QObject *parent)
    : QObject(parent)
    , m_connections(std::move(connections))
    , m_reconnect(new QTimer(this))
    , m_retryWatch(new QTimer(this))
{
    m_reconnect->setInterval(reconnectIntervalMs);
    connect(m_reconnect, &QTimer::timeout, this, &WakeupListener::ensureListening);
    m_retryWatch->setSingleShot(true);
    connect(m_retryWatch, &QTimer::timeout, this, &WakeupListener::watch);
}

void WakeupListener::start()
{
    m_running = true;
    ensureListening();
    m_reconnect->start();
}

void WakeupListener::stop()
{
    m_running = false;
    m_reconnect->stop();
    m_retryWatch->stop();
    release();
}

void WakeupListener::ensureListening()
{
    auto db = m_connections->database();
    if (!db) {
        if (m_listening)
            Q_EMIT connectionStateChanged(false, db.error());
        m_listening = false;
        m_holdingLock = false;
        return;
    }
    // A fresh connection after a reconnect: listen again (locks went with the old session).
    if (!m_listening || !db.value().driver()->subscribedToNotifications().contains(kChannel)) {
        if (!db.value().driver()->subscribeToNotification(kChannel)) {
            Q_EMIT connectionStateChanged(false, sql::errorText(db.value().driver()->lastError()));
            return;
        }
        connect(db.value().driver(), qOverload<const QString &, QSqlDriver::NotificationSource, const QVariant &>(
                                         &QSqlDriver::notification),
                this, &WakeupListener::onNotification, Qt::UniqueConnection);
        m_listening = true;
        m_holdingLock = false;
        Q_EMIT connectionStateChanged(true, QString());
        if (m_workersIdle)
            watch();
    } else if (ConnectionProvider::isBroken(db.value())) {
        m_listening = false;
    }
}

void WakeupListener::workersIdle()
{
    m_workersIdle = true;
    watch();
}

void WakeupListener::workersBusy()
{
    m_workersIdle = false;
    m_retryWatch->stop();
    release();
}

void WakeupListener::watch()
{
    if (!m_running || !m_workersIdle || m_holdingLock || !m_listening)
        return;
    auto db = m_connections->database();
    if (!db)
        return;
    auto locked = sql::scalar(db.value(), QStringLiteral("SELECT pg_try_advisory_lock(%1, %2)").arg(kLockClass).arg(kWakeLock));
    if (!locked) {
        m_listening = false;
        return;
    }
    if (!locked.value().toBool()) {
        // Either another instance's listener watches (its notifications reach us too), or writers
        // are committing right now: then look again in a moment.
        auto watched = sql::scalar(db.value(), QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                                                              "AND classid = %1 AND objid = %2 AND objsubid = 2 "
                                                              "AND mode = 'ExclusiveLock' AND granted)")
                                                   .arg(kLockClass)
                                                   .arg(kWakeLock));
        if (!watched || !watched.value().toBool()) {
            Q_EMIT wakeUp();
            m_retryWatch->start(20);
        }
        return;
    }
    m_holdingLock = true;
    auto due = sql::scalar(db.value(),
                           QStringLiteral("SELECT EXISTS (SELECT 1 FROM sync.outbox WHERE status = 'pending' "
                                          "AND next_attempt_at <= now())"));
    if (!due || due.value().toBool()) {
        release();
        Q_EMIT wakeUp();
    }
}

void WakeupListener::release()
{
    if (!m_holdingLock)
        return;
    m_holdingLock = false;
    if (auto db = m_connections->database())
        sql::exec(db.value(), QStringLiteral("SELECT pg_advisory_unlock(%1, %2)").arg(kLockClass).arg(kWakeLock));
}

void WakeupListener::onNotification(const QString &name, QSqlDriver::NotificationSource, const QVariant &)
{
    if (name != kChannel)
        return;
    release();
    Q_EMIT wakeUp();
}

} // namespace syncdesk
