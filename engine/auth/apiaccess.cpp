#include "auth/apiaccess.h"

#include "database/connectionprovider.h"
#include "database/sql.h"

namespace syncdesk {

ApiAccess::ApiAccess(std::shared_ptr<ConnectionProvider> connections)
    : m_connections(std::move(connections))
{
}

Result<ApiAccess::State> ApiAccess::state()
{
    auto db = m_connections->database();
    if (!db)
        return Result<State>::failure(db.error());
    auto row = sql::run(db.value(), QStringLiteral("SELECT (SELECT count(*) FROM sync.api_keys WHERE revoked_at IS NULL), "
                                                   "a.closed_at, a.closed_by, a.reason FROM (SELECT 1) one "
                                                   "LEFT JOIN sync.api_access a ON true"));
    if (!row)
        return Result<State>::failure(row.error());
    row.value().next();
    State state;
    state.activeKeys = row.value().value(0).toLongLong();
    state.closed = !row.value().value(1).isNull();
    if (state.closed) {
        state.closedAt = row.value().value(1).toDateTime().toUTC();
        state.closedBy = row.value().value(2).toString();
        state.reason = row.value().value(3).toString();
    }
    return Result<State>::success(state);
}

Result<bool> ApiAccess::close(const QString &actor, const QString &reason)
{
    auto db = m_connections->database();
    if (!db)
        return Result<bool>::failure(db.error());
    auto closed = sql::run(db.value(),
                           QStringLiteral("WITH closed AS (INSERT INTO sync.api_access (closed_by, reason) VALUES (?, ?) "
                                          "ON CONFLICT DO NOTHING RETURNING closed_by, reason) "
                                          "INSERT INTO sync.audit_log (actor, action, result, details) SELECT closed_by, "
                                          "'api.open_mode_closed', 'success', jsonb_build_object('reason', reason) FROM closed"),
                           {actor, reason});
    if (!closed)
        return Result<bool>::failure(closed.error());
    return Result<bool>::success(closed.value().numRowsAffected() > 0);
}

Result<bool> ApiAccess::reopen(const QString &actor)
{
    auto current = state();
    if (!current)
        return Result<bool>::failure(current.error());
    if (current->activeKeys > 0)
        return Result<bool>::failure(QStringLiteral("open local mode cannot be reopened while %1 API key(s) are active; revoke "
                                                    "them first (syncdesk api-key list, syncdesk api-key revoke)")
                                         .arg(current->activeKeys));
    auto db = m_connections->database();
    if (!db)
        return Result<bool>::failure(db.error());
    auto reopened = sql::run(db.value(),
                             QStringLiteral("WITH reopened AS (DELETE FROM sync.api_access WHERE NOT EXISTS (SELECT 1 FROM "
                                            "sync.api_keys WHERE revoked_at IS NULL) RETURNING closed_at, closed_by, reason) "
                                            "INSERT INTO sync.audit_log (actor, action, result, details) SELECT ?, "
                                            "'api.open_mode_reopened', 'success', jsonb_build_object('closed_at', closed_at, "
                                            "'closed_by', closed_by, 'reason', reason) FROM reopened"),
                             {actor});
    if (!reopened)
        return Result<bool>::failure(reopened.error());
    return Result<bool>::success(reopened.value().numRowsAffected() > 0);
}

} // namespace syncdesk
