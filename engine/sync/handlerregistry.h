#pragma once

#include "sync/eventhandler.h"

#include <QList>
#include <QReadWriteLock>

#include <memory>

namespace syncdesk {

// The registered event handlers; shared by all workers (registration is rare, dispatch constant).
class HandlerRegistry
{
public:
    void add(std::shared_ptr<EventHandler> handler);
    void remove(const QString &name);
    QStringList names() const;
    // Whether any handler subscribed to the entity (any operation): such a handler reads the rows.
    bool wants(const QString &entity) const;
    // Whether any handler subscribed to this operation on the entity.
    bool wants(const QString &entity, const QString &operation) const;

    // Runs every handler that subscribed to something in this batch, in registration order.
    Status dispatch(HandlerContext &context, const QList<ReconciledRecord> &records, const OutboxEvents &events) const;

private:
    mutable QReadWriteLock m_lock;
    QList<std::shared_ptr<EventHandler>> m_handlers;
};

} // namespace syncdesk
