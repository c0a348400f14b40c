#pragma once

#include "core/result.h"
#include "queries/readconnections.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace syncdesk {

// One search over everything support staff look for: customers of both systems, tickets of both,
// AI conversations and their messages. Full-text (the generated search columns and their GIN
// indexes), prefix matching on each word ("ann" finds "Anna"), ranked, with the total for paging.
// One result per real-world record: a linked customer or ticket is one result naming both sides' ids
// (and the fields in which they currently differ), whichever of its sides matched.
class SearchQueries
{
public:
    // {"query", "total", "limit", "offset", "items": [{"type", "source", "backend_id", "dashboard_id",
    //  "link_id", "title", "snippet", "rank", "differs", "details"}]}; `total` counts records, not hits.
    static Result<QJsonObject> search(ReadConnections &db, const QString &text, int limit, int offset);
    // The words of `text` as a prefix tsquery ("ann smi" -> "ann:* & smi:*"), empty when none is left.
    static QString prefixQuery(const QString &text);
};

} // namespace syncdesk
