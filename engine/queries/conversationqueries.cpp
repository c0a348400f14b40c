#include "queries/conversationqueries.h"

#include "database/sql.h"
#include "queries/helpdeskmirror.h"
#include "queries/recordlistfilter.h"
#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

namespace {

const QString kAnalysis =
    QStringLiteral("CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'confidence', "
                   "round(a.confidence::numeric, 3), "
                   "'result', a.result, 'category', a.category, 'priority', a.priority, 'sentiment', "
                   "round(a.sentiment::numeric, 3), "
                   "'created_at', a.created_at, 'analyzer_version', a.analyzer_version%1) END");

const QString kTicket = QStringLiteral(
    "CASE WHEN ct.conversation_id IS NULL THEN NULL ELSE json_build_object('dashboard_ticket_id', "
    "ct.dashboard_ticket_id, "
    "'backend_ticket_id', ct.backend_ticket_id, 'link_kind', ct.link_kind, 'linked_by', ct.linked_by, "
    "'subject', dt.subject, 'status', dt.status) END");

const QString kLatestAnalysis =
    QStringLiteral("LEFT JOIN LATERAL (SELECT * FROM sync.analyses x WHERE x.conversation_id = v.id ORDER BY "
                   "x.created_at DESC, x.id DESC "
                   "LIMIT 1) a ON true LEFT JOIN sync.conversation_tickets ct ON ct.conversation_id = v.id "
                   "LEFT JOIN dashboard.tickets dt ON dt.id = ct.dashboard_ticket_id");

} // namespace

Result<QJsonObject> ConversationQueries::list(ReadConnections &db, const ConversationFilter &filter)
{
    RecordListFilter text;
    text.text = filter.text;
    const QString pattern = text.pattern();
    const QString plain =
        QStringLiteral(
            "WITH matching AS (SELECT v.id, v.subject, v.status, v.channel, v.user_id, u.full_name, u.email, "
            " coalesce(v.last_message_at, v.updated_at) AS active_at, %1 AS analysis, %2 AS ticket "
            " FROM backend.conversations v JOIN backend.users u ON u.id = v.user_id %3 "
            " WHERE (? = '' OR v.subject ILIKE ? OR u.full_name ILIKE ? OR u.email ILIKE ?) AND "
            "coalesce(CASE ? "
            "  WHEN 'needs_review' THEN a.result = 'needs_review' "
            "  WHEN 'above_threshold_without_ticket' THEN a.confidence >= ? AND ct.conversation_id IS NULL "
            "  WHEN 'with_ticket' THEN ct.conversation_id IS NOT NULL "
            "  WHEN 'not_analyzed' THEN a.id IS NULL ELSE true END, false)) "
            "SELECT (SELECT count(*) FROM matching), (SELECT coalesce(json_agg(json_build_object('id', id, "
            " 'subject', subject, 'status', status, 'channel', channel, 'user_id', user_id, 'customer', "
            "full_name, "
            " 'email', email, 'updated_at', active_at, 'message_count', (SELECT count(*) FROM "
            "backend.messages m "
            " WHERE m.conversation_id = s.id), 'analysis', analysis, 'ticket', ticket) ORDER BY active_at "
            "DESC, id DESC), "
            " '[]') FROM (SELECT * FROM matching ORDER BY active_at DESC, id DESC LIMIT ? OFFSET ?) s)::text")
            .arg(kAnalysis.arg(QString()), kTicket, kLatestAnalysis);
    const QString view = filter.view.isEmpty() ? QStringLiteral("all") : filter.view;
    auto rows = HelpdeskMirror::run(
        db, plain, {pattern, pattern, pattern, pattern, view, filter.threshold, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(listPage(rows.value(), filter.limit, filter.offset));
}

Result<QJsonObject> ConversationQueries::get(ReadConnections &db, qint64 id, bool *exists)
{
    const QString plain =
        QStringLiteral("SELECT json_build_object('id', v.id, 'subject', v.subject, 'status', v.status, "
                       "'channel', v.channel, "
                       "'user_id', v.user_id, 'customer', u.full_name, 'email', u.email, 'customer_id', "
                       "cl.dashboard_id, "
                       "'started_at', v.started_at, 'updated_at', coalesce(v.last_message_at, v.updated_at), "
                       "'analysis', %1, 'ticket', %2, 'messages', (SELECT "
                       "coalesce(json_agg(json_build_object('id', m.id, "
                       "'role', m.role, 'content', m.content, 'created_at', m.created_at) ORDER BY "
                       "m.created_at, m.id), '[]') "
                       "FROM backend.messages m WHERE m.conversation_id = v.id))::text "
                       "FROM backend.conversations v JOIN backend.users u ON u.id = v.user_id "
                       "LEFT JOIN sync.links cl ON cl.entity = 'customer' AND cl.backend_id = v.user_id %3 "
                       "WHERE v.id = ?")
            .arg(kAnalysis.arg(
                     QStringLiteral(", 'subject', a.subject, 'summary', a.summary, 'signals', a.signals, "
                                    "'entities', a.entities, 'linked_ticket_id', a.linked_ticket_id, "
                                    "'message_count', a.message_count")),
                 kTicket, kLatestAnalysis);
    auto rows = HelpdeskMirror::run(db, plain, {id});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    const bool found = rows.value().next();
    if (exists)
        *exists = found;
    if (!found)
        return Result<QJsonObject>::failure(QStringLiteral("conversation %1 does not exist").arg(id));
    return Result<QJsonObject>::success(
        QJsonDocument::fromJson(rows.value().value(0).toString().toUtf8()).object());
}

} // namespace syncdesk
