#pragma once

#include "core/result.h"
#include "sync/liveevent.h"
#include "sync/outboxevent.h"
#include "sync/reconciledrecord.h"
#include "sync/syncconnections.h"

#include <QList>
#include <QPair>
#include <QString>

#include <functional>

namespace syncdesk {

// Reconciles the named records of an entity now, in the open transaction, as if events had arrived
// for them (handlers run for them too, on behalf of `actor`): a handler that needs a record's
// counterpart (a customer's helpdesk id) asks for it through this.
using ReconcileNow = std::function<Result<QList<ReconciledRecord>>(
    const QString &entity, const QList<qint64> &backendIds, const QList<qint64> &dashboardIds, const QString &actor)>;

// What a handler gets: the batch's connections (inside its transaction, with the engine's origin
// tag set), who caused the work (an API user, or empty for captured changes), where to put live
// events (announced after the commit), and the processor's own reconciliation.
struct HandlerContext
{
    SyncConnections &db;
    QString actor;
    LiveEvents &liveEvents;
    ReconcileNow reconcileNow;
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
