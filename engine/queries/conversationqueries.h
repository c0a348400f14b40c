#pragma once

#include "core/result.h"
#include "queries/readconnections.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace syncdesk {

struct ConversationFilter
{
    // all, needs_review, above_threshold_without_ticket, with_ticket, not_analyzed
    QString view = QStringLiteral("all");
    QString text;           // part of the subject or of the customer's name or e-mail
    double threshold = 0.7; // for above_threshold_without_ticket
    int limit = 200;
    int offset = 0;
};

// AI conversations with their latest analysis (sync.analyses) and the ticket they became or were
// linked to, as the conversations views show them.
class ConversationQueries
{
public:
    // {"total", "limit", "offset", "items": [{"id", "subject", "status", "channel", "user_id", "customer",
    //  "email", "updated_at", "message_count", "analysis": {...} | null, "ticket": {...} | null}]}
    static Result<QJsonObject> list(ReadConnections &db, const ConversationFilter &filter);
    // One conversation with its transcript ("messages"), its latest full analysis (signals, entities,
    // summary) and its ticket; a failure naming it when it does not exist.
    static Result<QJsonObject> get(ReadConnections &db, qint64 id, bool *exists = nullptr);
};

} // namespace syncdesk
