#pragma once

#include "core/result.h"
#include "queries/readconnections.h"
#include "queries/recordlistfilter.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace syncdesk {

// Customers of both systems side by side, one row per pair (or per record that has no counterpart),
// with the pair's sync state: in_sync, pending (a captured change waits), conflict (an open conflict),
// differs (linked but the fields disagree with nothing pending), backend_only, dashboard_only.
class CustomerQueries
{
public:
    // {"total", "limit", "offset", "states": {"in_sync": n, ...}, "items": [{"link_id", "backend_id",
    //  "dashboard_id", "state", "backend": {...} | null, "dashboard": {...} | null, "differs": [...],
    //  "open_conflicts", "pending_events", "synced_at"}]}; the side objects use canonical field names.
    static Result<QJsonObject> list(ReadConnections &db, const RecordListFilter &filter);
};

} // namespace syncdesk
