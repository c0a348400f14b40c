#pragma once

#include "core/result.h"
#include "queries/readconnections.h"
#include "queries/conflictqueries.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace syncdesk {

// Conflicts as the people who settle them look at them: with the record they are about named
// ("Anna Smith", "Refund for order 1234"), and one conflict with both records side by side, field by
// field against the baseline both sides last agreed on.
class ConflictRecordQueries
{
public:
    // As ConflictQueries::list, each item with "record" (a name or subject) added.
    static Result<QJsonObject> list(ReadConnections &db, const ConflictListFilter &filter);
    // {"conflict": {...as ConflictQueries::get}, "fields": [{"field", "kind", "baseline", "backend",
    // "dashboard",
    //  "in_conflict"}], "record", "backend_exists", "dashboard_exists"}: the records' current values in
    // canonical field names.
    static Result<QJsonObject> detail(ReadConnections &db, qint64 id, bool *exists = nullptr);
};

} // namespace syncdesk
