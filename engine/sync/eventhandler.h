#pragma once

#include "core/result.h"
#include "sync/liveevent.h"
#include "sync/outboxevent.h"
#include "sync/reconciledrecord.h"
#include "sync/syncconnections.h"

#include <QList>
#include <QPair>
#include <QString>

namespace syncdesk {

// What a handler gets: the batch's connections (inside its transaction, with the engine's origin
// tag set), who caused the work (an API user, or empty for captured changes), and where to put
// live events.
struct HandlerContext
{
    SyncConnections &db;
    QString actor;
    LiveEvents &liveEvents;
};

// An automatic action run after records are reconciled, inside the same transaction: ticket status
// propagation, conversation analysis, auto-ticketing. A new action is a new handler registered with
// the service, not a change to the processor. A handler that fails fails its batch, which is then
// split and retried like any other failure.
class EventHandler
{
public:
    virtual ~EventHandler() = default;

    virtual QString name() const = 0;
    // (entity, operation) pairs the handler wants; "*" as operation matches all.
    virtual QList<QPair<QString, QString>> subscriptions() const = 0;
    // `records`: reconciled records of subscribed entities (synced entities); `events`: the
    // subscribed events themselves (for entities that are not synced, such as messages).
    virtual Status handle(HandlerContext &context, const QList<ReconciledRecord> &records, const OutboxEvents &events) = 0;
};

} // namespace syncdesk
