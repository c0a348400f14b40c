#include "sync/ticketstatuspropagation.h"

#include "database/sql.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

QString TicketStatusPropagation::conversationStatusFor(const QString &oldStatus, const QString &newStatus)
{
    const auto finished = [](const QString &status) {
        return status == QLatin1String("resolved") || status == QLatin1String("closed");
    };
    if (newStatus == QLatin1String("resolved") || newStatus == QLatin1String("closed"))
        return newStatus;
    if (finished(oldStatus) && !finished(newStatus))
        return QStringLiteral("escalated"); // reopened: a person is on it again
    return {};
}

Status TicketStatusPropagation::handle(HandlerContext &context, const QList<ReconciledRecord> &records,
                                       const OutboxEvents &)
{
    QJsonArray changes;
    for (const ReconciledRecord &record : records) {
        const QString oldStatus = record.baselineBefore.value(QStringLiteral("status")).toString();
        const QString newStatus = record.baselineAfter.value(QStringLiteral("status")).toString();
        if (oldStatus.isEmpty() || newStatus.isEmpty() || oldStatus == newStatus)
            continue; // new links and unchanged statuses propagate nothing
        QString actor = context.actor;
        if (actor.isEmpty()) {
            const QString assignee = record.dashboardRow.value(QStringLiteral("assignee")).toString();
            actor = record.changedOn == QLatin1String("backend")
                        ? QStringLiteral("customer")
                        : (assignee.isEmpty() ? QStringLiteral("helpdesk") : assignee);
        }
        const QString origin = record.changedOn == QLatin1String("backend") ? QStringLiteral("the product")
                                                                            : QStringLiteral("the helpdesk");
        changes.append(QJsonObject{
            {QStringLiteral("dashboard_ticket_id"), record.dashboardId},
            {QStringLiteral("backend_ticket_id"), record.backendId},
            {QStringLiteral("user_id"), record.backendRow.value(QStringLiteral("user_id"))},
            {QStringLiteral("conversation_id"), record.backendRow.value(QStringLiteral("conversation_id"))},
            {QStringLiteral("subject"), record.baselineAfter.value(QStringLiteral("subject"))},
            {QStringLiteral("old_status"), oldStatus},
            {QStringLiteral("new_status"), newStatus},
            {QStringLiteral("conversation_status"), conversationStatusFor(oldStatus, newStatus)},
            {QStringLiteral("actor"), actor},
            {QStringLiteral("origin"), origin}});
    }
    if (changes.isEmpty())
        return Status::success();
    const QString json = QString::fromUtf8(QJsonDocument(changes).toJson(QJsonDocument::Compact));
    const QString input = QStringLiteral(
        "jsonb_to_recordset(?::jsonb) AS c(dashboard_ticket_id bigint, backend_ticket_id bigint, user_id bigint, "
        "conversation_id bigint, subject text, old_status text, new_status text, conversation_status text, actor text, "
        "origin text)");

    // Conversations linked through sync.conversation_tickets or named by the product's ticket.
    auto conversations = sql::run(
        context.db.backend,
        QStringLiteral("WITH c AS (SELECT * FROM %1), targets AS ("
                       "  SELECT ct.conversation_id AS id, c.conversation_status, c.dashboard_ticket_id FROM c "
                       "  JOIN sync.conversation_tickets ct ON ct.dashboard_ticket_id = c.dashboard_ticket_id "
                       "  WHERE c.conversation_status <> '' "
                       "  UNION SELECT c.conversation_id, c.conversation_status, c.dashboard_ticket_id FROM c "
                       "  WHERE c.conversation_id IS NOT NULL AND c.conversation_status <> '') "
                       "UPDATE backend.conversations v SET status = t.conversation_status, updated_at = now() "
                       "FROM targets t WHERE v.id = t.id AND v.id = ANY(ARRAY(SELECT id FROM targets)) " // by index
                       "AND v.status <> t.conversation_status "
                       "RETURNING v.id, t.dashboard_ticket_id")
            .arg(input),
        {json});
    if (!conversations)
        return Status::failure(QStringLiteral("updating conversations: %1").arg(conversations.error()));
    QHash<qint64, QJsonArray> conversationsOfTicket;
    while (conversations.value().next())
        conversationsOfTicket[conversations.value().value(1).toLongLong()].append(conversations.value().value(0).toLongLong());

    if (Status activity = sql::exec(context.db.dashboard,
                                    QStringLiteral("INSERT INTO dashboard.ticket_activities (ticket_id, actor, kind, old_value, "
                                                   "new_value, body) SELECT dashboard_ticket_id, actor, 'status_change', old_status, "
                                                   "new_status, 'Status changed in ' || origin || ' and synced by SyncDesk' FROM %1")
                                        .arg(input),
                                    {json});
        !activity)
        return Status::failure(QStringLiteral("writing ticket activity: %1").arg(activity.error()));

    if (Status notified = sql::exec(
            context.db.backend,
            QStringLiteral("INSERT INTO backend.notifications (user_id, ticket_id, kind, title, body, data) "
                           "SELECT user_id, backend_ticket_id, 'ticket_status', "
                           "'Your request is now ' || replace(new_status, '_', ' '), coalesce(subject, ''), "
                           "jsonb_build_object('old_status', old_status, 'new_status', new_status, "
                           "'dashboard_ticket_id', dashboard_ticket_id) FROM %1 WHERE user_id IS NOT NULL")
                .arg(input),
            {json});
        !notified)
        return Status::failure(QStringLiteral("notifying the customer: %1").arg(notified.error()));

    for (const QJsonValue &value : std::as_const(changes)) {
        QJsonObject change = value.toObject();
        change.insert(QStringLiteral("conversations"),
                      conversationsOfTicket.value(change.value(QStringLiteral("dashboard_ticket_id")).toInteger()));
        context.liveEvents << LiveEvent::now(LiveEventKind::TicketStatus, change);
    }
    return Status::success();
}

} // namespace syncdesk
