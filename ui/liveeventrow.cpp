#include "ui/liveeventrow.h"

#include <QJsonArray>

namespace syncdesk::ui {

namespace {

QString ids(qint64 backendId, qint64 dashboardId)
{
    if (backendId && dashboardId)
        return QStringLiteral("B %1 / D %2").arg(backendId).arg(dashboardId);
    if (backendId)
        return QStringLiteral("B %1").arg(backendId);
    if (dashboardId)
        return QStringLiteral("D %1").arg(dashboardId);
    return {};
}

QString joined(const QJsonValue &list)
{
    QStringList names;
    for (const QJsonValue &value : list.toArray())
        names << value.toString();
    return names.join(QStringLiteral(", "));
}

} // namespace

QString LiveEventRow::kindTitle(const QString &kind)
{
    static const QHash<QString, const char *> titles{
        {QString(LiveEventKind::RecordSynced), QT_TR_NOOP("Synced")},
        {QString(LiveEventKind::Conflict), QT_TR_NOOP("Conflict")},
        {QString(LiveEventKind::ConflictResolved), QT_TR_NOOP("Conflict resolved")},
        {QString(LiveEventKind::TicketStatus), QT_TR_NOOP("Ticket status")},
        {QString(LiveEventKind::TicketCreated), QT_TR_NOOP("Ticket created")},
        {QString(LiveEventKind::ConversationLinked), QT_TR_NOOP("Conversation linked")},
        {QString(LiveEventKind::Analysis), QT_TR_NOOP("Analysis")},
        {QString(LiveEventKind::EventFailed), QT_TR_NOOP("Failed")},
        {QString(LiveEventKind::EventDead), QT_TR_NOOP("Dead")},
        {QString(LiveEventKind::TaskFinished), QT_TR_NOOP("Task finished")},
    };
    const auto it = titles.constFind(kind);
    return it == titles.constEnd() ? kind : tr(it.value());
}

QString LiveEventRow::statusTitle(const QString &status)
{
    static const QHash<QString, const char *> titles{
        {QStringLiteral("synced"), QT_TR_NOOP("synced")},
        {QString(LiveEventKind::Conflict), QT_TR_NOOP("conflict")},
        {QStringLiteral("resolved"), QT_TR_NOOP("resolved")},
        {QStringLiteral("failed"), QT_TR_NOOP("failed")},
        {QStringLiteral("dead"), QT_TR_NOOP("dead")},
        {QStringLiteral("retried"), QT_TR_NOOP("retried")},
        {QStringLiteral("info"), QT_TR_NOOP("info")},
    };
    const auto it = titles.constFind(status);
    return it == titles.constEnd() ? status : tr(it.value());
}

QString LiveEventRow::sideTitle(const QString &side)
{
    if (side == QLatin1String("backend"))
        return tr("backend");
    if (side == QLatin1String("dashboard"))
        return tr("dashboard");
    if (side == QLatin1String("both"))
        return tr("both");
    return side;
}

QString LiveEventRow::entityTitle(const QString &entity)
{
    if (entity == QLatin1String("customer"))
        return tr("customer");
    if (entity == QLatin1String("ticket"))
        return tr("ticket");
    if (entity == QLatin1String("conversation"))
        return tr("conversation");
    if (entity == QLatin1String("message"))
        return tr("message");
    if (entity == QLatin1String("task"))
        return tr("task");
    return entity;
}

LiveEventRow LiveEventRow::fromLiveEvent(const LiveEvent &event)
{
    const QJsonObject &p = event.payload;
    LiveEventRow row;
    row.at = event.at;
    row.kind = event.kind;
    row.payload = p;
    row.backendId = p.value(QLatin1String("backend_id")).toInteger();
    row.dashboardId = p.value(QLatin1String("dashboard_id")).toInteger();
    row.entity = p.value(QLatin1String("entity")).toString();
    row.status = QStringLiteral("info");
    if (event.kind == LiveEventKind::RecordSynced) {
        row.status = QStringLiteral("synced");
        row.side = p.value(QLatin1String("changed_on")).toString();
        const QString toBackend = joined(p.value(QLatin1String("to_backend")));
        const QString toDashboard = joined(p.value(QLatin1String("to_dashboard")));
        const QString action = p.value(QLatin1String("action")).toString();
        if (!toDashboard.isEmpty() && !toBackend.isEmpty())
            row.summary = tr("%1 %2: %3 to the dashboard, %4 to the backend")
                              .arg(entityTitle(row.entity), action, toDashboard, toBackend);
        else if (!toDashboard.isEmpty())
            row.summary = tr("%1 %2: %3 to the dashboard").arg(entityTitle(row.entity), action, toDashboard);
        else if (!toBackend.isEmpty())
            row.summary = tr("%1 %2: %3 to the backend").arg(entityTitle(row.entity), action, toBackend);
        else
            row.summary = tr("%1 %2").arg(entityTitle(row.entity), action);
    } else if (event.kind == LiveEventKind::Conflict) {
        row.status = p.value(QLatin1String("status")).toString() == QLatin1String("open")
                         ? QStringLiteral("conflict")
                         : QStringLiteral("resolved");
        row.side = QStringLiteral("both");
        row.summary = tr("%1 field %2 changed on both sides (%3, %4)")
                          .arg(entityTitle(row.entity), p.value(QLatin1String("field")).toString(),
                               p.value(QLatin1String("strategy")).toString(),
                               p.value(QLatin1String("status")).toString());
    } else if (event.kind == LiveEventKind::ConflictResolved) {
        row.status = QStringLiteral("resolved");
        row.side = QStringLiteral("both");
        row.summary = tr("Conflict %1 resolved (%2) by %3")
                          .arg(p.value(QLatin1String("conflict_id")).toInteger())
                          .arg(p.value(QLatin1String("resolution")).toString(),
                               p.value(QLatin1String("resolved_by")).toString());
    } else if (event.kind == LiveEventKind::TicketStatus) {
        row.status = QStringLiteral("synced");
        row.entity = QStringLiteral("ticket");
        row.side = p.value(QLatin1String("origin")).toString() == QLatin1String("the product")
                       ? QStringLiteral("backend")
                       : QStringLiteral("dashboard");
        row.backendId = p.value(QLatin1String("backend_ticket_id")).toInteger();
        row.dashboardId = p.value(QLatin1String("dashboard_ticket_id")).toInteger();
        row.summary = tr("Ticket \"%1\": %2 → %3")
                          .arg(p.value(QLatin1String("subject")).toString(),
                               p.value(QLatin1String("old_status")).toString(),
                               p.value(QLatin1String("new_status")).toString());
    } else if (event.kind == LiveEventKind::TicketCreated) {
        row.entity = QStringLiteral("ticket");
        row.side = QStringLiteral("both");
        row.backendId = p.value(QLatin1String("backend_ticket_id")).toInteger();
        row.dashboardId = p.value(QLatin1String("dashboard_ticket_id")).toInteger();
        row.summary = tr("Ticket \"%1\" created from conversation %2")
                          .arg(p.value(QLatin1String("subject")).toString(),
                               QString::number(p.value(QLatin1String("conversation_id")).toInteger()));
    } else if (event.kind == LiveEventKind::ConversationLinked) {
        row.entity = QStringLiteral("conversation");
        row.side = QStringLiteral("both");
        row.dashboardId = p.value(QLatin1String("dashboard_ticket_id")).toInteger();
        row.summary = tr("Conversation %1 linked to ticket %2")
                          .arg(p.value(QLatin1String("conversation_id")).toInteger())
                          .arg(row.dashboardId);
    } else if (event.kind == LiveEventKind::Analysis) {
        row.entity = QStringLiteral("conversation");
        row.side = QStringLiteral("backend");
        row.backendId = p.value(QLatin1String("conversation_id")).toInteger();
        row.summary = tr("Conversation %1 analysed: %2 (confidence %3, %4)")
                          .arg(row.backendId)
                          .arg(p.value(QLatin1String("result")).toString())
                          .arg(p.value(QLatin1String("confidence")).toDouble(), 0, 'f', 2)
                          .arg(p.value(QLatin1String("category")).toString());
    } else if (event.kind == LiveEventKind::EventFailed || event.kind == LiveEventKind::EventDead) {
        const bool dead = event.kind == LiveEventKind::EventDead;
        row.status = dead ? QStringLiteral("dead") : QStringLiteral("failed");
        row.side = p.value(QLatin1String("side")).toString();
        row.eventId = p.value(QLatin1String("event_id")).toInteger();
        (row.side == QLatin1String("dashboard") ? row.dashboardId : row.backendId) =
            p.value(QLatin1String("entity_id")).toInteger();
        row.summary =
            (dead ? tr("Change %1 is dead after %2 attempts: %3") : tr("Change %1 failed (attempt %2): %3"))
                .arg(row.eventId)
                .arg(p.value(QLatin1String("attempts")).toInt())
                .arg(p.value(QLatin1String("error")).toString());
    } else if (event.kind == LiveEventKind::TaskFinished) {
        row.entity = QStringLiteral("task");
        row.status =
            p.value(QLatin1String("ok")).toBool() ? QStringLiteral("info") : QStringLiteral("failed");
        row.summary =
            tr("%1 finished: %2")
                .arg(p.value(QLatin1String("task")).toString(), p.value(QLatin1String("summary")).toString());
    } else {
        row.summary = event.kind;
    }
    row.record = ids(row.backendId, row.dashboardId);
    return row;
}

LiveEventRow LiveEventRow::fromOutboxEvent(const QJsonObject &event)
{
    LiveEventRow row;
    row.at = QDateTime::fromString(event.value(QLatin1String("captured_at")).toString(), Qt::ISODateWithMs);
    const QString status = event.value(QLatin1String("status")).toString();
    row.kind =
        status == QLatin1String("dead") ? QString(LiveEventKind::EventDead) : QString(LiveEventKind::EventFailed);
    row.status = status == QLatin1String("dead") ? QStringLiteral("dead") : QStringLiteral("failed");
    row.side = event.value(QLatin1String("side")).toString();
    row.entity = event.value(QLatin1String("entity")).toString();
    row.eventId = event.value(QLatin1String("id")).toInteger();
    (row.side == QLatin1String("dashboard") ? row.dashboardId : row.backendId) =
        event.value(QLatin1String("entity_id")).toInteger();
    row.payload = QJsonObject{{QStringLiteral("event_id"), row.eventId},
                              {QStringLiteral("side"), row.side},
                              {QStringLiteral("entity"), row.entity},
                              {QStringLiteral("entity_id"), event.value(QLatin1String("entity_id"))},
                              {QStringLiteral("attempts"), event.value(QLatin1String("attempts"))},
                              {QStringLiteral("error"), event.value(QLatin1String("last_error"))}};
    row.summary = tr("Change %1 is dead after %2 attempts: %3")
                      .arg(row.eventId)
                      .arg(event.value(QLatin1String("attempts")).toInt())
                      .arg(event.value(QLatin1String("last_error")).toString());
    row.record = ids(row.backendId, row.dashboardId);
    return row;
}

bool LiveEventRow::matches(const QString &needle) const
{
    return summary.contains(needle, Qt::CaseInsensitive) || record.contains(needle, Qt::CaseInsensitive) ||
           kind.contains(needle, Qt::CaseInsensitive) || entity.contains(needle, Qt::CaseInsensitive);
}

} // namespace syncdesk::ui
