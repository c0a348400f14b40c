#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>

namespace syncdesk::api {

class ConnectionGuard;

// The REST API's open connections: how many in all and per client address (the limits), and which
// guards to sweep for timeouts. Shared by the TCP server and the guards (a guard dies with its socket,
// which may happen after the server object is gone). Used from the HTTP thread; the counters are also
// read by /metrics from worker threads, hence the lock.
class ConnectionRegistry
{
public:
    ConnectionRegistry(int maxConnections, int maxPerClient);

    enum class Admission { Accepted, TooManyFromClient, TooMany };
    Admission admit(const QString &client);
    void release(const QString &client);
    void add(ConnectionGuard *guard);
    void remove(ConnectionGuard *guard);
    QList<ConnectionGuard *> guards() const;

    // What the guards refused or closed, by reason (for metrics).
    void count(const QString &reason);
    QMap<QString, qint64> refusals() const;
    int open() const;

    static QString clientKey(const QHostAddress &address);

private:
    mutable QMutex m_mutex;
    int m_maxConnections;
    int m_maxPerClient;
    int m_open = 0;
    QHash<QString, int> m_perClient;
    QList<ConnectionGuard *> m_guards;
    QMap<QString, qint64> m_refusals;
};

} // namespace syncdesk::api
