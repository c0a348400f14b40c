#include "api/auditlog.h"

#include "database/connectionprovider.h"
#include "database/sql.h"
#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk::api {

AuditLog::AuditLog(std::shared_ptr<ConnectionProvider> connections)
    : m_connections(std::move(connections))
{
}

Status AuditLog::record(const AuditEntry &entry)
{
    auto db = m_connections->database();
    if (!db)
        return Status::failure(db.error());
    return sql::exec(db.value(),
                     QStringLiteral("INSERT INTO sync.audit_log (actor, role, action, target, result, client_address, request_id, "
                                    "details) VALUES (?, nullif(?, ''), ?, nullif(?, ''), ?, ?, ?, ?::jsonb)"),
                     {entry.actor, entry.role, entry.action, entry.target, entry.result, entry.clientAddress, entry.requestId,
                      QString::fromUtf8(QJsonDocument(entry.details).toJson(QJsonDocument::Compact))});
}

Result<QJsonObject> AuditLog::list(const AuditFilter &filter)
{
    auto db = m_connections->database();
    if (!db)
        return Result<QJsonObject>::failure(db.error());
    const QString since = filter.since.isValid() ? filter.since.toUTC().toString(Qt::ISODateWithMs) : QString();
    auto rows = sql::run(db.value(),
                         QStringLiteral("WITH matching AS (SELECT * FROM sync.audit_log WHERE (? = '' OR actor = ?) "
                                        "AND (? = '' OR action = ?) AND (? = '' OR result = ?) AND (? = '' OR at >= ?::timestamptz)) "
                                        "SELECT (SELECT count(*) FROM matching), (SELECT coalesce(json_agg(json_build_object("
                                        "'id', id, 'at', at, 'actor', actor, 'role', role, 'action', action, 'target', target, "
                                        "'result', result, 'client_address', client_address, 'request_id', request_id, "
                                        "'details', details) ORDER BY at DESC, id DESC), '[]') FROM (SELECT * FROM matching "
                                        "ORDER BY at DESC, id DESC LIMIT ? OFFSET ?) page)::text"),
                         {filter.actor, filter.actor, filter.action, filter.action, filter.result, filter.result, since,
                          since.isEmpty() ? QStringLiteral("-infinity") : since, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(listPage(rows.value(), filter.limit, filter.offset));
}

} // namespace syncdesk::api
