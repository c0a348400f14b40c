#include "sync/analysisstore.h"

#include "database/sql.h"

#include <QJsonDocument>

namespace syncdesk {

QJsonObject AnalysisStore::row(const Analysis &analysis, qint64 conversationId, int messageCount, const QDateTime &at)
{
    // Entities are stored grouped by type, as people look for them ("the order numbers").
    QJsonObject entities;
    for (const ExtractedEntity &entity : analysis.entities) {
        QJsonArray list = entities.value(entity.type).toArray();
        list.append(entity.value);
        entities.insert(entity.type, list);
    }
    return QJsonObject{
        {QStringLiteral("conversation_id"), conversationId},
        {QStringLiteral("analyzer_version"), analysis.analyzerVersion},
        {QStringLiteral("message_count"), messageCount},
        {QStringLiteral("confidence"), analysis.confidence},
        {QStringLiteral("result"), Analysis::resultName(analysis.result)},
        {QStringLiteral("category"), Analysis::categoryName(analysis.category)},
        {QStringLiteral("priority"), Analysis::priorityName(analysis.priority)},
        {QStringLiteral("sentiment"), analysis.sentiment},
        {QStringLiteral("entities"), entities},
        {QStringLiteral("subject"), analysis.subject},
        {QStringLiteral("summary"), analysis.summary},
        {QStringLiteral("signals"), analysis.toJson().value(QStringLiteral("signals"))},
        {QStringLiteral("linked_ticket_id"), analysis.linkedTicketId ? QJsonValue(*analysis.linkedTicketId) : QJsonValue()},
        {QStringLiteral("created_at"), at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue()}};
}

Status AnalysisStore::insert(QSqlDatabase &db, const QJsonArray &rows)
{
    return sql::exec(db,
                     QStringLiteral("INSERT INTO sync.analyses (conversation_id, analyzer_version, message_count, confidence, "
                                    "result, category, priority, sentiment, entities, subject, summary, signals, "
                                    "linked_ticket_id, created_at) "
                                    "SELECT conversation_id, analyzer_version, message_count, confidence, result, category, "
                                    "priority, sentiment, entities, subject, summary, signals, linked_ticket_id, "
                                    "coalesce(created_at, now()) FROM jsonb_populate_recordset(NULL::sync.analyses, ?::jsonb)"),
                     {QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact))});
}

} // namespace syncdesk
