#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
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
    QString clientAddress;
    QString requestId;
    QJsonObject details; // HTTP status, error code and message, method and path
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

// sync.audit_log: one row per mutating API request, whatever its outcome. Written on the thread that
// served the request, before the response leaves (so a client that got its answer finds the row).
class AuditLog
{
public:
    explicit AuditLog(std::shared_ptr<ConnectionProvider> connections);

    Status record(const AuditEntry &entry);
    // {"total", "limit", "offset", "items": [...]}, newest first.
    Result<QJsonObject> list(const AuditFilter &filter);

private:
    std::shared_ptr<ConnectionProvider> m_connections;
};

} // namespace syncdesk::api
