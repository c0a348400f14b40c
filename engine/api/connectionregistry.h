#pragma once

#include "api/apierror.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>

#include <functional>

namespace syncdesk::api {

class ConnectionGuard;

// A request a connection guard refused before QtHttpServer saw it (413, 408, 400, 405): what is known of
// it, so the server can audit refusals of audited routes.
struct RefusedRequest
{
    QString client;
    QByteArray method; // empty when the request line did not arrive
    QByteArray target;
    ApiError error;
    QByteArray requestId; // the X-Request-Id of the refusal
};

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
    // A guard refused a request: counted, and told to the observer (on the HTTP thread).
    void refused(const QString &reason, const RefusedRequest &request);
    void setRefusalObserver(std::function<void(const RefusedRequest &)> observer);
    // The server is full: the connection that waits longest for its client (idle, or sending its
    // request most slowly) gives up its place. False when none may.
    bool evictOne(qint64 nowMs);
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
    std::function<void(const RefusedRequest &)> m_refusalObserver; // HTTP thread only
};

} // namespace syncdesk::api
