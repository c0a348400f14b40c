#include "sync/handlerregistry.h"

namespace syncdesk {

namespace {

bool subscribed(const QList<QPair<QString, QString>> &subscriptions, const QString &entity,
                const QString &operation)
{
    for (const auto &[wantedEntity, wantedOperation] : subscriptions) {
        if (wantedEntity == entity && (wantedOperation == QLatin1String("*") || wantedOperation == operation))
            return true;
    }
    return false;
}

} // namespace

void HandlerRegistry::add(std::shared_ptr<EventHandler> handler)
{
    QWriteLocker locker(&m_lock);
    m_handlers << std::move(handler);
}

void HandlerRegistry::remove(const QString &name)
{
    QWriteLocker locker(&m_lock);
    m_handlers.removeIf(
        [&name](const std::shared_ptr<EventHandler> &handler) { return handler->name() == name; });
}

QStringList HandlerRegistry::names() const
{
    QReadLocker locker(&m_lock);
    QStringList out;
    for (const auto &handler : m_handlers)
        out << handler->name();
    return out;
}

bool HandlerRegistry::wants(const QString &entity) const
{
    QReadLocker locker(&m_lock);
    for (const auto &handler : m_handlers) {
        for (const auto &[wantedEntity, operation] : handler->subscriptions()) {
            if (wantedEntity == entity)
                return true;
        }
    }
    return false;
}

bool HandlerRegistry::wants(const QString &entity, const QString &operation) const
{
    QReadLocker locker(&m_lock);
    for (const auto &handler : m_handlers) {
        if (handler->subscriptions().contains(qMakePair(entity, operation)))
            return true;
    }
    return false;
}

Status HandlerRegistry::dispatch(HandlerContext &context, const QList<ReconciledRecord> &records,
                                 const OutboxEvents &events) const
{
    QList<std::shared_ptr<EventHandler>> handlers;
    {
        QReadLocker locker(&m_lock);
        handlers = m_handlers;
    }
    for (const auto &handler : handlers) {
        const auto subscriptions = handler->subscriptions();
        QList<ReconciledRecord> wantedRecords;
        for (const ReconciledRecord &record : records) {
            // A reconciled record stands for all its events; it is wanted when any operation is.
            if (subscribed(subscriptions, record.entity, QStringLiteral("update")) ||
                subscribed(subscriptions, record.entity, QStringLiteral("insert")) ||
                subscribed(subscriptions, record.entity, QStringLiteral("delete")))
                wantedRecords << record;
        }
        OutboxEvents wantedEvents;
        for (const OutboxEvent &event : events) {
            if (subscribed(subscriptions, event.entity, event.operation))
                wantedEvents << event;
        }
        if (wantedRecords.isEmpty() && wantedEvents.isEmpty())
            continue;
        if (Status handled = handler->handle(context, wantedRecords, wantedEvents); !handled)
            return Status::failure(QStringLiteral("%1: %2").arg(handler->name(), handled.error()));
    }
    return Status::success();
}

} // namespace syncdesk
