#include "sync/conversationanalysishandler.h"

#include "analyzer/conversationanalyzer.h"
#include "core/logging.h"
#include "database/sql.h"
#include "sync/analysisstore.h"
#include "sync/conversationtickets.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace syncdesk {

struct ConversationAnalysisHandler::Conversation
{
    qint64 id = 0;
    qint64 userId = 0;
    QString status;
    qint64 linkedTicket = 0; // dashboard ticket id, 0 when none
    int messageCount = 0;
    QList<AnalyzedMessage> messages;
    qint64 customerId = 0; // the helpdesk's, 0 when not linked
    QList<OpenTicket> openTickets;
    QDateTime lastAnalysisAt;
    int lastAnalysisMessages = -1;
};

ConversationAnalysisHandler::ConversationAnalysisHandler(std::shared_ptr<const ConversationAnalyzer> analyzer,
                                                         std::function<SyncContext()> context, AutoTicketing settings)
    : m_analyzer(std::move(analyzer))
    , m_context(std::move(context))
    , m_settings(settings)
{
}

Result<QList<ConversationAnalysisHandler::Conversation>> ConversationAnalysisHandler::load(SyncConnections &db,
                                                                                         const QList<qint64> &ids)
{
    using Loaded = Result<QList<Conversation>>;
    if (Status locked = ConversationTickets::lock(db.backend, ids); !locked)
        return Loaded::failure(locked.error());
    // One statement per database: the conversations, their transcripts, their ticket, the latest
    // analysis and the customer's helpdesk id; then the customers' open helpdesk tickets (for "link
    // instead of create"), which may live in the dashboard's own database.
    auto rows = sql::run(
        db.backend,
        QStringLiteral(
            "SELECT c.id, c.user_id, c.status, coalesce(ct.dashboard_ticket_id, 0), "
            "(SELECT coalesce(json_agg(json_build_object('role', m.role, 'content', m.content) ORDER BY "
            "m.created_at, m.id), "
            "'[]') FROM backend.messages m WHERE m.conversation_id = c.id)::text, "
            "a.created_at, coalesce(a.message_count, -1), "
            "coalesce((SELECT l.dashboard_id FROM sync.links l WHERE l.entity = 'customer' AND l.backend_id "
            "= c.user_id), 0) "
            "FROM backend.conversations c LEFT JOIN sync.conversation_tickets ct ON ct.conversation_id = "
            "c.id "
            "LEFT JOIN LATERAL (SELECT created_at, message_count FROM sync.analyses WHERE conversation_id = "
            "c.id "
            "ORDER BY created_at DESC LIMIT 1) a ON true WHERE c.id = ANY(?::bigint[]) ORDER BY c.id"),
        {sql::bigintArray(ids)});
    if (!rows)
        return Loaded::failure(rows.error());
    QList<Conversation> conversations;
    while (rows.value().next()) {
        const QSqlQuery &row = rows.value();
        Conversation conversation;
        conversation.id = row.value(0).toLongLong();
        conversation.userId = row.value(1).toLongLong();
        conversation.status = row.value(2).toString();
        conversation.linkedTicket = row.value(3).toLongLong();
        for (const QJsonValue &value : QJsonDocument::fromJson(row.value(4).toString().toUtf8()).array()) {
            const QJsonObject message = value.toObject();
            const auto role = AnalyzedMessage::roleFromString(message.value(QStringLiteral("role")).toString());
            conversation.messages << AnalyzedMessage{role.value_or(AnalyzedMessage::Role::Customer),
                                                     message.value(QStringLiteral("content")).toString(), QDateTime()};
        }
        conversation.messageCount = int(conversation.messages.size());
        conversation.lastAnalysisAt = row.value(5).toDateTime();
        conversation.lastAnalysisMessages = row.value(6).toInt();
        conversation.customerId = row.value(7).toLongLong();
        conversations << conversation;
    }
    QList<qint64> customers;
    for (const Conversation &conversation : std::as_const(conversations)) {
        if (conversation.customerId)
            customers << conversation.customerId;
    }
    if (customers.isEmpty())
        return Loaded::success(conversations);
    auto tickets = sql::run(db.dashboard,
                            QStringLiteral("SELECT customer_id, id, subject, category, created_at FROM dashboard.tickets "
                                           "WHERE customer_id = ANY(?::bigint[]) AND status NOT IN ('resolved', 'closed') "
                                           "AND created_at > now() - interval '30 days' ORDER BY id"),
                            {sql::bigintArray(customers)});
    if (!tickets)
        return Loaded::failure(tickets.error());
    QHash<qint64, QList<OpenTicket>> openTickets;
    while (tickets.value().next()) {
        const QSqlQuery &row = tickets.value();
        openTickets[row.value(0).toLongLong()] << OpenTicket{row.value(1).toLongLong(), row.value(2).toString(),
                                                             row.value(3).toString(), row.value(4).toDateTime()};
    }
    for (Conversation &conversation : conversations)
        conversation.openTickets = openTickets.value(conversation.customerId);
    return Loaded::success(conversations);
}

Result<Analysis> ConversationAnalysisHandler::analyzeAndStore(HandlerContext &context, const Conversation &conversation,
                                                              double threshold)
{
    AnalysisContext analysisContext;
    analysisContext.threshold = threshold;
    analysisContext.openTickets = conversation.openTickets;
    const Analysis analysis = m_analyzer->analyze(conversation.messages, analysisContext);
    const Status stored = AnalysisStore::insert(context.db.backend,
                                                {AnalysisStore::row(analysis, conversation.id, conversation.messageCount)});
    if (!stored)
        return Result<Analysis>::failure(QStringLiteral("storing the analysis of conversation %1: %2").arg(conversation.id).arg(stored.error()));
    const QJsonObject json = analysis.toJson();
    QJsonObject payload = json;
    payload.insert(QStringLiteral("conversation_id"), conversation.id);
    payload.insert(QStringLiteral("user_id"), conversation.userId);
    context.liveEvents << LiveEvent::now(LiveEventKind::Analysis, payload);
    return Result<Analysis>::success(analysis);
}

Status ConversationAnalysisHandler::act(HandlerContext &context, const Conversation &conversation, const Analysis &analysis)
{
    if (conversation.linkedTicket || conversation.status == QLatin1String("resolved")
        || conversation.status == QLatin1String("closed"))
        return Status::success(); // a ticket exists already, or the conversation is over
    OperationResult done;
    HandlerContext ticketing{context.db, QStringLiteral("syncdesk:auto-ticket"), context.liveEvents, context.reconcileNow};
    if (analysis.result == AnalysisResult::CreateTicket) {
        TicketDraft draft{analysis.subject, QString(), Analysis::priorityName(analysis.priority),
                          Analysis::categoryName(analysis.category)};
        done = ConversationTickets::create(ticketing, conversation.id, draft);
    } else if (analysis.result == AnalysisResult::LinkTicket && analysis.linkedTicketId) {
        done = ConversationTickets::link(ticketing, conversation.id, *analysis.linkedTicketId);
    } else {
        return Status::success();
    }
    if (!done.success)
        return Status::failure(QStringLiteral("automatic ticket for conversation %1: %2").arg(conversation.id).arg(done.error));
    qCInfo(lcSync) << "conversation" << conversation.id << (analysis.result == AnalysisResult::CreateTicket ? "became ticket" : "linked to ticket")
                   << done.entityId << "at confidence" << analysis.confidence;
    return Status::success();
}

Status ConversationAnalysisHandler::handle(HandlerContext &context, const QList<ReconciledRecord> &, const OutboxEvents &events)
{
    QSet<qint64> conversationIds;
    QList<qint64> messageIds;
    for (const OutboxEvent &event : events) {
        if (event.entity == QLatin1String("conversation"))
            conversationIds.insert(event.entityId);
        else
            messageIds << event.entityId;
    }
    if (!messageIds.isEmpty()) {
        auto owners = sql::run(context.db.backend,
                               QStringLiteral("SELECT DISTINCT conversation_id FROM backend.messages WHERE id = ANY(?::bigint[])"),
                               {sql::bigintArray(messageIds)});
        if (!owners)
            return Status::failure(owners.error());
        while (owners.value().next())
            conversationIds.insert(owners.value().value(0).toLongLong());
    }
    if (conversationIds.isEmpty())
        return Status::success();
    QList<qint64> ids(conversationIds.cbegin(), conversationIds.cend());
    std::sort(ids.begin(), ids.end());
    auto conversations = load(context.db, ids);
    if (!conversations)
        return Status::failure(conversations.error());

    // Threshold and switch as set now (they change at run time), the debounce as started.
    const SyncContext current = m_context();
    QList<qint64> deferred;
    qint64 deferMs = 0;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Conversation &conversation : conversations.value()) {
        if (conversation.messageCount == conversation.lastAnalysisMessages)
            continue; // nothing new to read
        if (conversation.lastAnalysisAt.isValid() && conversation.lastAnalysisAt.msecsTo(now) < m_settings.debounceMs) {
            // Still being written: look again once it has been quiet for a moment.
            deferred << conversation.id;
            deferMs = std::max(deferMs, m_settings.debounceMs - conversation.lastAnalysisAt.msecsTo(now));
            continue;
        }
        auto analysis = analyzeAndStore(context, conversation, current.autoTicketThreshold);
        if (!analysis)
            return Status::failure(analysis.error());
        if (current.autoCreateTickets) {
            if (Status acted = act(context, conversation, analysis.value()); !acted)
                return acted;
        }
    }
    if (!deferred.isEmpty()) {
        // The outbox is the delay queue: one pending "look again" per conversation is enough.
        const Status queued = sql::exec(
            context.db.backend,
            QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, next_attempt_at) "
                           "SELECT 'backend', 'conversation', 'backend.conversations', d.conversation_id, 'update', "
                           "now() + ? * interval '1 millisecond' FROM unnest(?::bigint[]) AS d(conversation_id) "
                           "WHERE NOT EXISTS (SELECT 1 FROM sync.outbox o WHERE o.status = 'pending' AND o.entity = "
                           "'conversation' AND o.entity_id = d.conversation_id AND o.next_attempt_at > now())"),
            {deferMs + 50, sql::bigintArray(deferred)});
        if (!queued)
            return queued;
    }
    return Status::success();
}

Result<Analysis> ConversationAnalysisHandler::analyzeNow(HandlerContext &context, qint64 conversationId, bool actOnIt,
                                                         double threshold)
{
    auto conversations = load(context.db, {conversationId});
    if (!conversations)
        return Result<Analysis>::failure(conversations.error());
    if (conversations->isEmpty())
        return Result<Analysis>::failure(QStringLiteral("conversation %1 does not exist").arg(conversationId));
    const Conversation &conversation = conversations->constFirst();
    auto analysis = analyzeAndStore(context, conversation, threshold);
    if (analysis && actOnIt) {
        if (Status acted = act(context, conversation, analysis.value()); !acted)
            return Result<Analysis>::failure(acted.error());
    }
    return analysis;
}

} // namespace syncdesk
