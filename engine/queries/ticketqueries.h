#pragma once

#include "core/result.h"
#include "queries/readconnections.h"
#include "queries/recordlistfilter.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace syncdesk {

// Tickets of both systems side by side, one row per pair (or per ticket that has no counterpart), with
// the pair's sync state (as CustomerQueries) and the customer it belongs to.
class TicketQueries
{
public:
    // {"total", "limit", "offset", "states", "items": [{"link_id", "backend_id", "dashboard_id", "state",
    //  "customer": {"user_id", "customer_id", "name", "email"}, "backend": {...} | null,
    //  "dashboard": {...} | null, "differs", "open_conflicts", "pending_events", "updated_at"}]}
    static Result<QJsonObject> list(ReadConnections &db, const RecordListFilter &filter);
};

} // namespace syncdesk
