#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <memory>

namespace syncdesk {
class ConnectionProvider;
}

namespace syncdesk::api {

struct AuditEntry
{
    QString actor;   // token subject, key:<name>, local, or anonymous
    QString role;    // empty when the caller was not authenticated
    QString action;  // the route's action, e.g. tickets.status
    QString target;  // e.g. ticket_id=42
    QString result;  // success, denied, error
    int status = 0;  // the HTTP status of the answer
    QString clientAddress;
    QString requestId;       // the server's X-Request-Id
    QString clientRequestId; // the client's own X-Request-Id, if it sent a sane one
    QJsonObject details; // HTTP status, error code and message, method and path

    // denied for 401 and 403, error for other failures.
    static QString resultOf(int status);
};

struct AuditFilter
{
    QString actor;
    QString action;
    QString result;
    QDateTime since;
    int limit = 50;
    int offset = 0;
};

// sync.audit_log. A request that reached its handler gets a row of its own, written on the thread
// that served it before the response leaves (so a client that got its answer finds the row).
// Refusals before the handler (401, 403, 408, 413, 415, 429, malformed requests) are counted in memory
// by client, minute, caller, action and status, and written as one row with a count per such group
// about once a second (flushRefusals), so a flood of them costs a few rows, not a row each.
class AuditLog
{
public:
    explicit AuditLog(std::shared_ptr<ConnectionProvider> connections);

    Status record(const AuditEntry &entry);
    // Any thread; cheap.
    void countRefusal(const AuditEntry &entry, const QDateTime &at = QDateTime::currentDateTimeUtc());
    bool hasRefusals() const;
    // Writes the refusals counted so far (added to their minute's rows); on a worker thread.
    Status flushRefusals();
    // {"total", "limit", "offset", "items": [...]}, newest first.
    Result<QJsonObject> list(const AuditFilter &filter);

private:
    struct Tally
    {
        AuditEntry first;
        QDateTime firstAt;
        QDateTime lastAt;
        qint64 count = 0;
        quint64 arrival = 0; // first refusals within one millisecond are written in the order they came
    };

    std::shared_ptr<ConnectionProvider> m_connections;
    mutable QMutex m_mutex;
    QHash<QString, Tally> m_refusals;
    quint64 m_arrivals = 0;
};

} // namespace syncdesk::api
