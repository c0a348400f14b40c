#include "sync/conversationtickets.h"

#include "database/sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

#include <optional>

namespace syncdesk {

namespace {

using Failure = OperationResult::Failure;

const QStringList kPriorities{QStringLiteral("low"), QStringLiteral("normal"), QStringLiteral("high"),
                              QStringLiteral("urgent")};

OperationResult failed(const QString &error)
{
    return OperationResult::fail(Failure::Failed, error);
}

// Runs the statements in order; a '?' in one stands for the actor.
Status runWithActor(const QList<std::pair<QSqlDatabase *, QString>> &statements, const QString &actor)
{
    for (const auto &[target, statement] : statements) {
        const QVariantList values = statement.contains(QLatin1Char('?')) ? QVariantList{actor} : QVariantList{};
        if (Status done = sql::exec(*target, statement, values); !done)
            return done;
    }
    return Status::success();
}

// The helpdesk customer of a product user (0 if there is none), linked or created now if it was not yet.
Result<qint64> helpdeskCustomerOf(HandlerContext &context, qint64 userId)
{
    auto customer = context.reconcileNow(QStringLiteral("customer"), {userId}, {}, context.actor);
    if (!customer)
        return Result<qint64>::failure(customer.error());
    for (const ReconciledRecord &record : customer.value()) {
        if (record.backendId == userId)
            return Result<qint64>::success(record.dashboardId);
    }
    return Result<qint64>::success(0);
}

// Locks the conversation, then reads `columns` of it (`c`) and of its ticket link (`t`) into `row`.
// A failed result when that cannot be done or the conversation does not exist.
std::optional<OperationResult> readLocked(QSqlDatabase &backend, qint64 conversationId, const QString &columns,
                                          QSqlQuery &row)
{
    if (Status locked = ConversationTickets::lock(backend, {conversationId}); !locked)
        return failed(locked.error());
    auto read = sql::run(backend,
                         QStringLiteral("SELECT %1 FROM backend.conversations c "
                                        "LEFT JOIN sync.conversation_tickets t ON t.conversation_id = c.id WHERE c.id = ?")
                             .arg(columns),
                         {conversationId});
    if (!read)
        return failed(read.error());
    row = std::move(read).value();
    if (!row.next())
        return OperationResult::fail(Failure::NotFound, QStringLiteral("conversation %1 does not exist").arg(conversationId));
    return std::nullopt;
}

// The operation's answer, announced as `kind` once the transaction commits.
OperationResult done(HandlerContext &context, QLatin1String kind, qint64 entityId, const QJsonObject &data)
{
    context.liveEvents << LiveEvent::now(kind, data);
    return OperationResult::ok(entityId, data);
}

} // namespace

bool ConversationTickets::isPriority(const QString &priority)
{
    return kPriorities.contains(priority);
}

Status ConversationTickets::lock(QSqlDatabase &backend, const QList<qint64> &conversationIds)
{
    return sql::exec(
        backend,
        QStringLiteral(
            "SELECT id FROM backend.conversations WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE"),
        {sql::bigintArray(conversationIds)});
}

OperationResult ConversationTickets::create(HandlerContext &context, qint64 conversationId, const TicketDraft &draft)
{
    SyncConnections &db = context.db;
    if (!draft.priority.isEmpty() && !isPriority(draft.priority))
        return OperationResult::fail(Failure::InvalidInput, QStringLiteral("priority '%1' is not one of %2")
                                                                .arg(draft.priority, kPriorities.join(QStringLiteral(", "))));
    const QString who = context.actor.isEmpty() ? QStringLiteral("api") : context.actor;

    QSqlQuery row;
    if (auto refused = readLocked(db.backend, conversationId,
                                  QStringLiteral("c.user_id, coalesce(c.subject, ''), t.dashboard_ticket_id, "
                                                 "t.backend_ticket_id, (SELECT string_agg(m.content, E'\\n' ORDER BY "
                                                 "m.created_at, m.id) FROM backend.messages m WHERE m.conversation_id = c.id "
                                                 "AND m.role = 'customer')"),
                                  row))
        return *refused;
    if (!row.value(2).isNull()) {
        OperationResult conflict = OperationResult::fail(
            Failure::Conflict, QStringLiteral("conversation %1 already has ticket %2").arg(conversationId).arg(row.value(2).toLongLong()));
        conflict.data = QJsonObject{{QStringLiteral("dashboard_ticket_id"), row.value(2).toLongLong()},
                                    {QStringLiteral("backend_ticket_id"), row.value(3).toLongLong()}};
        return conflict;
    }
    const qint64 userId = row.value(0).toLongLong();
    const QString customerText = row.value(4).toString();
    QString subject = draft.subject.trimmed();
    if (subject.isEmpty())
        subject = row.value(1).toString().trimmed();
    if (subject.isEmpty())
        subject = customerText.section(QLatin1Char('\n'), 0, 0).left(80).trimmed();
    if (subject.isEmpty())
        subject = QStringLiteral("Conversation %1").arg(conversationId);
    const QString description = draft.description.isEmpty() ? customerText.left(4000) : draft.description;
    const QString priority = draft.priority.isEmpty() ? QStringLiteral("normal") : draft.priority;
    const QString category = draft.category.isEmpty() ? QStringLiteral("general") : draft.category;

    // The customer must exist in the helpdesk first.
    auto customer = helpdeskCustomerOf(context, userId);
    if (!customer)
        return failed(customer.error());
    const qint64 customerId = customer.value();
    if (!customerId)
        return failed(QStringLiteral("the customer of conversation %1 could not be linked to the helpdesk").arg(conversationId));

    auto dashboardTicket = sql::scalar(
        db.dashboard,
        QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject, description, status, priority, category, source) "
                       "VALUES (?, ?, ?, 'new', ?, ?, 'ai_agent') RETURNING id"),
        {customerId, subject, description, priority, category});
    if (!dashboardTicket)
        return failed(dashboardTicket.error());
    auto backendTicket = sql::scalar(
        db.backend,
        QStringLiteral("INSERT INTO backend.tickets (user_id, conversation_id, subject, description, status, priority, category) "
                       "VALUES (?, ?, ?, ?, 'new', ?, ?) RETURNING id"),
        {userId, conversationId, subject, description, priority, category});
    if (!backendTicket)
        return failed(backendTicket.error());
    const qint64 dashboardId = dashboardTicket.value().toLongLong();
    const qint64 backendId = backendTicket.value().toLongLong();
    const QJsonObject baseline{{QStringLiteral("subject"), subject}, {QStringLiteral("description"), description},
                               {QStringLiteral("status"), QStringLiteral("new")}, {QStringLiteral("priority"), priority},
                               {QStringLiteral("category"), category}};
    auto link = sql::scalar(db.backend,
                            QStringLiteral("INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline, synced_at) "
                                           "VALUES ('ticket', ?, ?, ?::jsonb, now()) RETURNING id"),
                            {backendId, dashboardId, QString::fromUtf8(QJsonDocument(baseline).toJson(QJsonDocument::Compact))});
    if (!link)
        return failed(link.error());
    const QList<std::pair<QSqlDatabase *, QString>> statements{
        {&db.backend, QStringLiteral("INSERT INTO sync.conversation_tickets (conversation_id, backend_ticket_id, "
                                     "dashboard_ticket_id, link_kind, linked_by) VALUES (%1, %2, %3, 'created', ?)")
                          .arg(conversationId)
                          .arg(backendId)
                          .arg(dashboardId)},
        {&db.backend, QStringLiteral("UPDATE backend.conversations SET status = 'escalated', updated_at = now() "
                                     "WHERE id = %1 AND status NOT IN ('escalated')")
                          .arg(conversationId)},
        {&db.dashboard, QStringLiteral("INSERT INTO dashboard.ticket_activities (ticket_id, actor, kind, new_value, body) "
                                       "VALUES (%1, ?, 'created', 'new', 'Created from AI conversation %2')")
                            .arg(dashboardId)
                            .arg(conversationId)},
        {&db.backend, QStringLiteral("INSERT INTO sync.history (entity, link_id, backend_id, dashboard_id, direction, action, "
                                     "fields, details) VALUES ('ticket', %1, %2, %3, 'both', 'created_from_conversation', "
                                     "'{subject,description,status,priority,category}', "
                                     "jsonb_build_object('conversation_id', %4, 'actor', ?::text))")
                          .arg(link.value().toLongLong())
                          .arg(backendId)
                          .arg(dashboardId)
                          .arg(conversationId)},
    };
    if (Status written = runWithActor(statements, who); !written)
        return failed(written.error());
    const QJsonObject data{{QStringLiteral("conversation_id"), conversationId},
                           {QStringLiteral("dashboard_ticket_id"), dashboardId},
                           {QStringLiteral("backend_ticket_id"), backendId},
                           {QStringLiteral("link_id"), link.value().toLongLong()},
                           {QStringLiteral("customer_id"), customerId},
                           {QStringLiteral("user_id"), userId},
                           {QStringLiteral("subject"), subject}};
    return done(context, LiveEventKind::TicketCreated, dashboardId, data);
}

OperationResult ConversationTickets::link(HandlerContext &context, qint64 conversationId, qint64 dashboardTicketId)
{
    SyncConnections &db = context.db;
    const QString who = context.actor.isEmpty() ? QStringLiteral("api") : context.actor;

    QSqlQuery conversation;
    if (auto refused = readLocked(db.backend, conversationId, QStringLiteral("c.user_id, t.dashboard_ticket_id"), conversation))
        return *refused;
    const qint64 userId = conversation.value(0).toLongLong();
    if (!conversation.value(1).isNull()) {
        const qint64 current = conversation.value(1).toLongLong();
        if (current != dashboardTicketId)
            return OperationResult::fail(Failure::Conflict, QStringLiteral("conversation %1 is already linked to ticket %2")
                                                                .arg(conversationId)
                                                                .arg(current));
    }
    auto ticket = sql::run(db.dashboard,
                           QStringLiteral("SELECT customer_id, status FROM dashboard.tickets WHERE id = ? FOR UPDATE"),
                           {dashboardTicketId});
    if (!ticket)
        return failed(ticket.error());
    if (!ticket.value().next())
        return OperationResult::fail(Failure::NotFound, QStringLiteral("ticket %1 does not exist").arg(dashboardTicketId));
    const qint64 ticketCustomer = ticket.value().value(0).toLongLong();
    const QString ticketStatus = ticket.value().value(1).toString();

    // The ticket must be the same customer's, and both sides of it must exist.
    auto customer = helpdeskCustomerOf(context, userId);
    if (!customer)
        return failed(customer.error());
    if (customer.value() != ticketCustomer)
        return OperationResult::fail(Failure::InvalidInput, QStringLiteral("ticket %1 belongs to another customer than "
                                                                           "conversation %2")
                                                                .arg(dashboardTicketId)
                                                                .arg(conversationId));
    auto ticketRecords = context.reconcileNow(QStringLiteral("ticket"), {}, {dashboardTicketId}, context.actor);
    if (!ticketRecords)
        return failed(ticketRecords.error());
    qint64 backendTicketId = 0;
    for (const ReconciledRecord &record : ticketRecords.value()) {
        if (record.entity == QLatin1String("ticket") && record.dashboardId == dashboardTicketId)
            backendTicketId = record.backendId;
    }
    const QString conversationStatus =
        ticketStatus == QLatin1String("resolved") || ticketStatus == QLatin1String("closed") ? ticketStatus
                                                                                             : QStringLiteral("escalated");
    const QList<std::pair<QSqlDatabase *, QString>> statements{
        {&db.backend, QStringLiteral("INSERT INTO sync.conversation_tickets (conversation_id, backend_ticket_id, "
                                     "dashboard_ticket_id, link_kind, linked_by) VALUES (%1, %2, %3, 'linked', ?) "
                                     "ON CONFLICT (conversation_id) DO NOTHING")
                          .arg(conversationId)
                          .arg(backendTicketId)
                          .arg(dashboardTicketId)},
        {&db.backend, QStringLiteral("UPDATE backend.conversations SET status = '%1', updated_at = now() WHERE id = %2")
                          .arg(conversationStatus)
                          .arg(conversationId)},
        {&db.dashboard, QStringLiteral("INSERT INTO dashboard.ticket_activities (ticket_id, actor, kind, body) "
                                       "VALUES (%1, ?, 'linked_conversation', 'Linked AI conversation %2')")
                            .arg(dashboardTicketId)
                            .arg(conversationId)},
    };
    if (Status written = runWithActor(statements, who); !written)
        return failed(written.error());
    const QJsonObject data{{QStringLiteral("conversation_id"), conversationId},
                           {QStringLiteral("dashboard_ticket_id"), dashboardTicketId},
                           {QStringLiteral("backend_ticket_id"), backendTicketId},
                           {QStringLiteral("conversation_status"), conversationStatus}};
    return done(context, LiveEventKind::ConversationLinked, dashboardTicketId, data);
}

} // namespace syncdesk
