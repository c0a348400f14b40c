#include "service/syncoperations.h"

#include "database/connectionprovider.h"
#include "database/sql.h"
#include "sync/conversationtickets.h"
#include "sync/operationtransaction.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

namespace {

using Failure = OperationResult::Failure;

const QStringList kTicketStatuses{QStringLiteral("new"),     QStringLiteral("open"),     QStringLiteral("pending"),
                                  QStringLiteral("on_hold"), QStringLiteral("resolved"), QStringLiteral("closed")};

OperationResult failed(const QString &error)
{
    return OperationResult::fail(Failure::Failed, error);
}

} // namespace

SyncOperations::SyncOperations(std::shared_ptr<ConnectionProvider> backend, std::shared_ptr<ConnectionProvider> dashboard,
                               std::function<SyncContext()> context, LiveEventSink announce)
    : m_backend(std::move(backend))
    , m_dashboard(std::move(dashboard))
    , m_context(std::move(context))
    , m_announce(std::move(announce))
{
}

bool SyncOperations::isTicketStatus(const QString &status)
{
    return kTicketStatuses.contains(status);
}

OperationResult SyncOperations::inTransaction(const QString &origin, const QString &actor,
                                              const std::function<OperationResult(HandlerContext &)> &body)
{
    auto backend = m_backend->database();
    auto dashboard = m_dashboard->database();
    if (!backend || !dashboard)
        return OperationResult::fail(Failure::Unavailable, backend ? dashboard.error() : backend.error());
    SyncConnections db{backend.value(), dashboard.value(), {}};
    const SyncContext syncContext = m_context();
    return OperationTransaction::run(
        db, origin, m_announce,
        [&](LiveEvents &live) {
            BatchProcessor processor(syncContext);
            HandlerContext context = processor.handlerContext(db, actor, live);
            return body(context);
        },
        syncContext.journal.get());
}

OperationResult SyncOperations::syncUserData(qint64 userId)
{
    return inTransaction(QStringLiteral("engine"), QString(), [&](HandlerContext &context) -> OperationResult {
        auto exists = sql::scalar(context.db.backend, QStringLiteral("SELECT count(*) FROM backend.users WHERE id = ?"), {userId});
        if (!exists)
            return failed(exists.error());
        if (exists.value().toInt() == 0)
            return OperationResult::fail(Failure::NotFound, QStringLiteral("user %1 does not exist").arg(userId));
        auto records = context.reconcileNow(QStringLiteral("customer"), {userId}, {}, QString());
        if (!records)
            return failed(records.error());
        for (const ReconciledRecord &record : records.value()) {
            if (record.backendId != userId)
                continue;
            QJsonArray conflicts;
            for (const FieldConflict &conflict : record.conflicts)
                conflicts.append(QJsonObject{{QStringLiteral("field"), conflict.field}, {QStringLiteral("status"), conflict.status}});
            return OperationResult::ok(userId, QJsonObject{{QStringLiteral("user_id"), userId},
                                                           {QStringLiteral("customer_id"), record.dashboardId},
                                                           {QStringLiteral("link_id"), record.linkId},
                                                           {QStringLiteral("action"), record.action},
                                                           {QStringLiteral("to_backend"), QJsonArray::fromStringList(record.toBackend)},
                                                           {QStringLiteral("to_dashboard"), QJsonArray::fromStringList(record.toDashboard)},
                                                           {QStringLiteral("conflicts"), conflicts}});
        }
        return failed(QStringLiteral("user %1 was not reconciled").arg(userId));
    });
}

OperationResult SyncOperations::syncConversationToTicket(qint64 conversationId)
{
    return inTransaction(QStringLiteral("engine"), QString(), [&](HandlerContext &context) -> OperationResult {
        SyncConnections &db = context.db;
        if (Status locked = ConversationTickets::lock(db.backend, {conversationId}); !locked)
            return failed(locked.error());
        auto linked = sql::run(
            db.backend,
            QStringLiteral("SELECT c.id, t.dashboard_ticket_id, c.status FROM backend.conversations c "
                           "LEFT JOIN sync.conversation_tickets t ON t.conversation_id = c.id "
                           "WHERE c.id = ?"),
            {conversationId});
        if (!linked)
            return failed(linked.error());
        if (!linked.value().next())
            return OperationResult::fail(Failure::NotFound, QStringLiteral("conversation %1 does not exist").arg(conversationId));
        if (linked.value().value(1).isNull())
            return OperationResult::fail(Failure::Conflict, QStringLiteral("conversation %1 has no ticket yet: create or link "
                                                                           "one first")
                                                                .arg(conversationId));
        const qint64 ticketId = linked.value().value(1).toLongLong();
        const QString conversationStatus = linked.value().value(2).toString();
        auto records = context.reconcileNow(QStringLiteral("ticket"), {}, {ticketId}, QString());
        if (!records)
            return failed(records.error());
        const ReconciledRecord *ticket = nullptr;
        for (const ReconciledRecord &record : records.value()) {
            if (record.entity == QLatin1String("ticket") && record.dashboardId == ticketId)
                ticket = &record;
        }
        if (!ticket)
            return OperationResult::fail(Failure::NotFound, QStringLiteral("ticket %1 no longer exists").arg(ticketId));
        // The conversation follows its ticket: resolved, closed, or escalated while a person is on it.
        const QString ticketStatus = ticket->baselineAfter.value(QStringLiteral("status")).toString();
        const QString wanted = ticketStatus == QLatin1String("resolved") || ticketStatus == QLatin1String("closed")
                                   ? ticketStatus
                                   : QStringLiteral("escalated");
        if (wanted != conversationStatus) {
            if (Status set = sql::exec(db.backend, QStringLiteral("UPDATE backend.conversations SET status = ? WHERE id = ?"),
                                       {wanted, conversationId});
                !set)
                return failed(set.error());
        }
        return OperationResult::ok(ticketId, QJsonObject{{QStringLiteral("conversation_id"), conversationId},
                                                         {QStringLiteral("dashboard_ticket_id"), ticketId},
                                                         {QStringLiteral("backend_ticket_id"), ticket->backendId},
                                                         {QStringLiteral("ticket_status"), ticketStatus},
                                                         {QStringLiteral("conversation_status"), wanted},
                                                         {QStringLiteral("action"), ticket->action}});
    });
}

OperationResult SyncOperations::createTicketFromConversation(qint64 conversationId, const TicketDraft &draft,
                                                             const QString &actor)
{
    // Refused before any transaction is opened.
    if (!draft.priority.isEmpty() && !ConversationTickets::isPriority(draft.priority))
        return OperationResult::fail(OperationResult::Failure::InvalidInput,
                                     QStringLiteral("priority '%1' is not one of low, normal, high, urgent").arg(draft.priority));
    return inTransaction(QStringLiteral("api"), actor, [&](HandlerContext &context) {
        return ConversationTickets::create(context, conversationId, draft);
    });
}

OperationResult SyncOperations::linkConversationToTicket(qint64 conversationId, qint64 dashboardTicketId,
                                                         const QString &actor)
{
    return inTransaction(QStringLiteral("api"), actor, [&](HandlerContext &context) {
        return ConversationTickets::link(context, conversationId, dashboardTicketId);
    });
}

OperationResult SyncOperations::analyzeConversationForTicket(qint64 conversationId)
{
    return shouldCreateTicketFromConversation(conversationId, -1.0);
}

OperationResult SyncOperations::shouldCreateTicketFromConversation(qint64 conversationId, double threshold)
{
    if (!m_analysis)
        return OperationResult::fail(Failure::Unavailable, QStringLiteral("the conversation analyzer is not loaded"));
    if (threshold > 1.0)
        return OperationResult::fail(Failure::InvalidInput, QStringLiteral("threshold %1 is not from 0 to 1").arg(threshold));
    const bool askedThreshold = threshold >= 0.0;
    return inTransaction(QStringLiteral("engine"), QStringLiteral("api"), [&](HandlerContext &context) -> OperationResult {
        auto exists = sql::run(context.db.backend,
                               QStringLiteral("SELECT ct.dashboard_ticket_id, ct.backend_ticket_id FROM backend.conversations c "
                                              "LEFT JOIN sync.conversation_tickets ct ON ct.conversation_id = c.id WHERE c.id = ?"),
                               {conversationId});
        if (!exists)
            return failed(exists.error());
        if (!exists.value().next())
            return OperationResult::fail(Failure::NotFound, QStringLiteral("conversation %1 does not exist").arg(conversationId));
        const QVariant dashboardTicket = exists.value().value(0);
        const QVariant backendTicket = exists.value().value(1);
        const double used = askedThreshold ? threshold : m_context().autoTicketThreshold;
        auto analysis = m_analysis->analyzeNow(context, conversationId, false, used);
        if (!analysis)
            return failed(analysis.error());
        QJsonObject data = analysis->toJson();
        data.insert(QStringLiteral("conversation_id"), conversationId);
        data.insert(QStringLiteral("dashboard_ticket_id"), dashboardTicket.isNull() ? QJsonValue() : QJsonValue(dashboardTicket.toLongLong()));
        data.insert(QStringLiteral("backend_ticket_id"), backendTicket.isNull() ? QJsonValue() : QJsonValue(backendTicket.toLongLong()));
        data.insert(QStringLiteral("threshold"), used);
        data.insert(QStringLiteral("should_create_ticket"),
                    dashboardTicket.isNull() && analysis->result == AnalysisResult::CreateTicket);
        return OperationResult::ok(conversationId, data);
    });
}

OperationResult SyncOperations::handleTicketStatusChange(qint64 dashboardTicketId, const QString &status,
                                                         const QString &actor)
{
    if (!isTicketStatus(status))
        return OperationResult::fail(Failure::InvalidInput, QStringLiteral("status '%1' is not one of %2")
                                                                .arg(status, kTicketStatuses.join(QStringLiteral(", "))));
    const QString who = actor.isEmpty() ? QStringLiteral("api") : actor;
    return inTransaction(QStringLiteral("api"), who, [&](HandlerContext &context) -> OperationResult {
        SyncConnections &db = context.db;
        auto current = sql::run(db.dashboard, QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ? FOR UPDATE"),
                                {dashboardTicketId});
        if (!current)
            return failed(current.error());
        if (!current.value().next())
            return OperationResult::fail(Failure::NotFound, QStringLiteral("ticket %1 does not exist").arg(dashboardTicketId));
        const QString oldStatus = current.value().value(0).toString();
        if (oldStatus != status) {
            if (Status set = sql::exec(db.dashboard, QStringLiteral("UPDATE dashboard.tickets SET status = ? WHERE id = ?"),
                                       {status, dashboardTicketId});
                !set)
                return failed(set.error());
        }
        // Reconciling now carries the change to the product and runs the propagation with this actor.
        const qsizetype announcedBefore = context.liveEvents.size();
        auto records = context.reconcileNow(QStringLiteral("ticket"), {}, {dashboardTicketId}, who);
        if (!records)
            return failed(records.error());
        qint64 backendTicketId = 0;
        for (const ReconciledRecord &record : records.value()) {
            if (record.entity == QLatin1String("ticket") && record.dashboardId == dashboardTicketId)
                backendTicketId = record.backendId;
        }
        QJsonArray conversations;
        for (const LiveEvent &event : context.liveEvents.sliced(announcedBefore)) {
            if (event.kind == LiveEventKind::TicketStatus
                && event.payload.value(QStringLiteral("dashboard_ticket_id")).toInteger() == dashboardTicketId)
                conversations = event.payload.value(QStringLiteral("conversations")).toArray();
        }
        return OperationResult::ok(dashboardTicketId, QJsonObject{{QStringLiteral("dashboard_ticket_id"), dashboardTicketId},
                                                                  {QStringLiteral("backend_ticket_id"), backendTicketId},
                                                                  {QStringLiteral("old_status"), oldStatus},
                                                                  {QStringLiteral("new_status"), status},
                                                                  {QStringLiteral("changed"), oldStatus != status},
                                                                  {QStringLiteral("conversations"), conversations}});
    });
}

} // namespace syncdesk
