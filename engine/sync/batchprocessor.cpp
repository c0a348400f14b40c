#include "sync/batchprocessor.h"

#include "core/logging.h"
#include "database/sql.h"
#include "model/mapping.h"
#include "sync/entitysynchronizer.h"
#include "sync/newrecordcopier.h"
#include "sync/plainchangecopier.h"
#include "sync/synctransaction.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>

namespace syncdesk {

namespace {

// The batch of changes made during a backlog: small, so that it costs the backlog little and what it
// carries waits for little more than its own application.
constexpr int kNewerBatch = 50;

QJsonArray eventIds(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return array;
}

// The payload's keys with the values few records differ in, per thread: a copy of it with the
// rest filled in costs a third of building the object key by key (at tens of thousands of records a
// second, a tenth of the engine's CPU went into these payloads).
QJsonObject recordEventPrototype(const ReconciledRecord &record, const QString &direction)
{
    thread_local QHash<QString, QJsonObject> prototypes;
    const QString key = record.entity + QLatin1Char('/') + record.action + QLatin1Char('/') + direction +
                        QLatin1Char('/') + record.changedOn;
    auto found = prototypes.constFind(key);
    if (found == prototypes.cend()) {
        if (prototypes.size() > 256) // the values come from small sets; never grow without bound
            prototypes.clear();
        found = prototypes.insert(key, QJsonObject{{QStringLiteral("entity"), record.entity},
                                                   {QStringLiteral("action"), record.action},
                                                   {QStringLiteral("link_id"), 0},
                                                   {QStringLiteral("backend_id"), 0},
                                                   {QStringLiteral("dashboard_id"), 0},
                                                   {QStringLiteral("direction"), direction},
                                                   {QStringLiteral("to_backend"), QJsonArray()},
                                                   {QStringLiteral("to_dashboard"), QJsonArray()},
                                                   {QStringLiteral("changed_on"), record.changedOn},
                                                   {QStringLiteral("before"), QJsonObject()},
                                                   {QStringLiteral("after"), QJsonObject()},
                                                   {QStringLiteral("event_ids"), QJsonArray()}});
    }
    return found.value();
}

} // namespace

LiveEvent BatchProcessor::recordEvent(const ReconciledRecord &record)
{
    // For the window's live view as well: what the record looked like before and after, and which
    // captured changes started it.
    QJsonObject payload = recordEventPrototype(record, record.direction());
    payload[QLatin1String("link_id")] = record.linkId;
    payload[QLatin1String("backend_id")] = record.backendId;
    payload[QLatin1String("dashboard_id")] = record.dashboardId;
    if (!record.toBackend.isEmpty())
        payload[QLatin1String("to_backend")] = QJsonArray::fromStringList(record.toBackend);
    if (!record.toDashboard.isEmpty())
        payload[QLatin1String("to_dashboard")] = QJsonArray::fromStringList(record.toDashboard);
    payload[QLatin1String("before")] = record.baselineBefore;
    payload[QLatin1String("after")] = record.baselineAfter;
    payload[QLatin1String("event_ids")] = eventIds(record.eventIds);
    return LiveEvent::now(LiveEventKind::RecordSynced, payload);
}

BatchProcessor::BatchProcessor(SyncContext context)
    : m_context(std::move(context))
    , m_random(std::random_device{}())
{}

Result<QList<ReconciledRecord>> BatchProcessor::apply(SyncConnections &db, const OutboxEvents &events,
                                                      const QString &actor, LiveEvents &liveEvents,
                                                      const QList<qint64> &extraBackendIds,
                                                      const QList<qint64> &extraDashboardIds,
                                                      const QString &extraEntity, QList<qint64> *deferred)
{
    using Records = Result<QList<ReconciledRecord>>;
    OutboxEvents customerEvents, ticketEvents;
    for (const OutboxEvent &event : events) {
        if (event.entity == QLatin1String("customer"))
            customerEvents << event;
        else if (event.entity == QLatin1String("ticket"))
            ticketEvents << event;
    }
    const bool customersNamed = extraEntity == QLatin1String("customer");
    const bool ticketsNamed = extraEntity == QLatin1String("ticket");

    EntitySynchronizer customers(m_context.mapping->customer(), *m_context.policy, m_context.deletes);
    QList<ReconciledRecord> records;
    // The set-based shortcuts take claimed batches only (deferred is set): isolating a failure and the
    // engine API take the full way.
    const bool sqlShortcuts = deferred && m_context.copyPlainChangesInSql && db.shared();
    const PlainChangeCopier copier(m_context.mapping->customer());
    if (sqlShortcuts && !customerEvents.isEmpty() && copier.supports() &&
        !(m_context.handlers && m_context.handlers->wants(m_context.mapping->customer().name))) {
        OutboxEvents rest;
        auto copied = copier.apply(db.backend, customerEvents, rest);
        if (!copied)
            return Records::failure(copied.error());
        records << copied.value();
        customerEvents = rest;
    }
    // New records whose counterparts are simply to be made (a handler that reads new records' rows
    // gets them the full way).
    const auto createNew = [&](const EntityDefinition &entity, OutboxEvents &entityEvents) -> Status {
        const NewRecordCopier creator(entity);
        if (!sqlShortcuts || entityEvents.isEmpty() || !creator.supports() ||
            (m_context.handlers && m_context.handlers->wants(entity.name, QStringLiteral("insert"))))
            return Status::success();
        OutboxEvents rest;
        auto created = creator.apply(db.backend, entityEvents, rest);
        if (!created)
            return Status::failure(created.error());
        records << created.value();
        entityEvents = rest;
        return Status::success();
    };
    if (Status created = createNew(m_context.mapping->customer(), customerEvents); !created)
        return Records::failure(created.error());
    if (!customerEvents.isEmpty() || customersNamed) {
        auto synced =
            customers.reconcile(db, customerEvents, customersNamed ? extraBackendIds : QList<qint64>(),
                                customersNamed ? extraDashboardIds : QList<qint64>(), deferred);
        if (!synced)
            return Records::failure(synced.error());
        records << synced.value();
    }
    // After the customers: a new ticket's owner may be one of them.
    if (Status created = createNew(m_context.mapping->ticket(), ticketEvents); !created)
        return Records::failure(created.error());
    if (!ticketEvents.isEmpty() || ticketsNamed) {
        // A ticket created on one side needs its customer on the other: link (or create) it first.
        const auto owners = [&](const QList<qint64> &ownerIds,
                                bool fromBackend) -> Result<OwnerCounterparts> {
            auto linked = customers.reconcile(db, {}, fromBackend ? ownerIds : QList<qint64>(),
                                              fromBackend ? QList<qint64>() : ownerIds);
            if (!linked)
                return Result<OwnerCounterparts>::failure(linked.error());
            records << linked.value();
            return Result<OwnerCounterparts>::success(OwnerCounterparts::of(linked.value(), fromBackend));
        };
        EntitySynchronizer tickets(m_context.mapping->ticket(), *m_context.policy, m_context.deletes, owners);
        auto synced = tickets.reconcile(db, ticketEvents, ticketsNamed ? extraBackendIds : QList<qint64>(),
                                        ticketsNamed ? extraDashboardIds : QList<qint64>(), deferred);
        if (!synced)
            return Records::failure(synced.error());
        records << synced.value();
    }

    HandlerContext context = handlerContext(db, actor, liveEvents);
    if (m_context.handlers) {
        if (Status handled = m_context.handlers->dispatch(context, records, events); !handled)
            return Records::failure(handled.error());
    }
    for (const ReconciledRecord &record : std::as_const(records)) {
        if (record.action != QLatin1String("unchanged"))
            liveEvents << recordEvent(record);
        for (const FieldConflict &conflict : record.conflicts) {
            liveEvents << LiveEvent::now(
                LiveEventKind::Conflict,
                QJsonObject{{QStringLiteral("entity"), record.entity},
                            {QStringLiteral("link_id"), record.linkId},
                            {QStringLiteral("backend_id"), record.backendId},
                            {QStringLiteral("dashboard_id"), record.dashboardId},
                            {QStringLiteral("field"), conflict.field},
                            {QStringLiteral("kind"), !conflict.kind.isEmpty()   ? conflict.kind
                                                     : conflict.field.isEmpty() ? QStringLiteral("deleted")
                                                                                : QStringLiteral("field")},
                            {QStringLiteral("strategy"), toString(conflict.strategy)},
                            {QStringLiteral("status"), conflict.status},
                            {QStringLiteral("resolution"), conflict.resolution}});
        }
    }
    return Records::success(records);
}

BatchOutcome BatchProcessor::runOnce(SyncConnections &db)
{
    BatchOutcome outcome;
    SyncTransaction transaction(db, QStringLiteral("engine"), m_context.journal.get());
    if (Status begun = transaction.begin(true); !begun) {
        outcome.transientFailure = RetryPolicy::isTransient(begun.error(), transaction.connectionBroken());
        outcome.error = begun.error();
        return outcome;
    }
    Result<OutboxEvents> claimed = Result<OutboxEvents>::failure(QString());
    if (m_context.newerThan) {
        QueueMarks marks = *m_context.newerThan;
        claimed = transaction.claimNewer(std::min(m_context.batchSize, kNewerBatch), marks);
        outcome.marks = marks;
    } else {
        claimed = transaction.claim(m_context.batchSize);
        if (claimed && claimed->size() >= m_context.batchSize) {
            if (auto marks = transaction.highWater())
                outcome.marks = marks.value();
        }
    }
    if (!claimed || claimed->isEmpty()) {
        if (claimed)
            transaction.commit(); // the ledger may have named dashboard events to mark done
        if (!claimed) {
            outcome.error = claimed.error();
            outcome.transientFailure = true; // the claim itself touches no event data
        }
        return outcome;
    }
    outcome.claimed = int(claimed->size());
    QList<qint64> ids;
    for (const OutboxEvent &event : claimed.value())
        ids << event.id;

    LiveEvents live;
    QList<qint64> deferred;
    auto applied = apply(db, claimed.value(), QString(), live, {}, {}, {}, &deferred);
    QList<qint64> doneIds = ids;
    if (!deferred.isEmpty()) {
        const QSet<qint64> waiting(deferred.cbegin(), deferred.cend());
        doneIds.removeIf([&waiting](qint64 id) { return waiting.contains(id); });
    }
    Status done = applied ? transaction.commit(doneIds, live) : Status::failure(applied.error());
    if (done) {
        outcome.processed = int(doneIds.size());
        outcome.deferred = int(deferred.size());
        outcome.liveEvents = live;
        outcome.committedAt = QDateTime::currentDateTimeUtc();
        const QSet<qint64> waiting(deferred.cbegin(), deferred.cend());
        for (const OutboxEvent &event : claimed.value()) {
            if (!waiting.contains(event.id))
                outcome.applied << event;
        }
        return outcome;
    }
    transaction.rollback();
    if (RetryPolicy::isTransient(done.error(), transaction.connectionBroken())) {
        outcome.transientFailure = true;
        outcome.error = done.error();
        return outcome;
    }
    qCInfo(lcSync).noquote() << "batch of" << ids.size()
                             << "events failed, isolating the failing event:" << done.error();
    isolate(db, ids, outcome);
    return outcome;
}

void BatchProcessor::isolate(SyncConnections &db, const QList<qint64> &ids, BatchOutcome &outcome)
{
    if (ids.isEmpty() || outcome.transientFailure)
        return;
    SyncTransaction transaction(db, QStringLiteral("engine"), m_context.journal.get());
    if (Status begun = transaction.begin(true); !begun) {
        outcome.transientFailure = true;
        outcome.error = begun.error();
        return;
    }
    auto claimed = transaction.claimIds(ids);
    if (!claimed || claimed->isEmpty()) {
        if (claimed)
            transaction.commit();
        return; // another worker has them now
    }
    LiveEvents live;
    QList<qint64> claimedIds;
    for (const OutboxEvent &event : claimed.value())
        claimedIds << event.id;
    auto applied = apply(db, claimed.value(), QString(), live);
    Status done = applied ? transaction.commit(claimedIds, live) : Status::failure(applied.error());
    if (done) {
        outcome.processed += int(claimedIds.size());
        outcome.liveEvents << live;
        outcome.committedAt = QDateTime::currentDateTimeUtc();
        outcome.applied << claimed.value();
        return;
    }
    transaction.rollback();
    if (RetryPolicy::isTransient(done.error(), transaction.connectionBroken())) {
        outcome.transientFailure = true;
        outcome.error = done.error();
        return;
    }
    if (claimedIds.size() > 1) {
        const qsizetype half = claimedIds.size() / 2;
        isolate(db, claimedIds.mid(0, half), outcome);
        isolate(db, claimedIds.mid(half), outcome);
        return;
    }
    // The one event that fails on its own: charge it an attempt.
    const OutboxEvent &event = claimed->constFirst();
    const bool dies = m_context.retry.exhausted(event.attempts + 1);
    const LiveEvent failure = LiveEvent::now(dies ? LiveEventKind::EventDead : LiveEventKind::EventFailed,
                                             QJsonObject{{QStringLiteral("event_id"), event.id},
                                                         {QStringLiteral("side"), event.side},
                                                         {QStringLiteral("entity"), event.entity},
                                                         {QStringLiteral("entity_id"), event.entityId},
                                                         {QStringLiteral("attempts"), event.attempts + 1},
                                                         {QStringLiteral("error"), done.error()}});
    if (Status recorded =
            transaction.recordFailure(event, done.error(), m_context.retry, m_random, {failure});
        !recorded) {
        outcome.transientFailure = true;
        outcome.error = recorded.error();
        return;
    }
    ++outcome.failed;
    outcome.dead += dies ? 1 : 0;
    outcome.error = done.error();
    qCWarning(lcSync).noquote() << (dies ? "event is dead after" : "event failed, attempt")
                                << event.attempts + 1 << ":" << event.side << event.entity << event.entityId
                                << "-" << done.error();
    outcome.liveEvents << failure;
}

Result<QList<ReconciledRecord>> BatchProcessor::reconcileNow(SyncConnections &db, const QString &entity,
                                                             const QList<qint64> &backendIds,
                                                             const QList<qint64> &dashboardIds,
                                                             const QString &actor, LiveEvents &liveEvents)
{
    return apply(db, {}, actor, liveEvents, backendIds, dashboardIds, entity);
}

HandlerContext BatchProcessor::handlerContext(SyncConnections &db, const QString &actor,
                                              LiveEvents &liveEvents)
{
    ReconcileNow reconcile = [this, &db, &liveEvents](const QString &entity, const QList<qint64> &backendIds,
                                                      const QList<qint64> &dashboardIds,
                                                      const QString &asActor) {
        return reconcileNow(db, entity, backendIds, dashboardIds, asActor, liveEvents);
    };
    return HandlerContext{db, actor, liveEvents, std::move(reconcile)};
}

} // namespace syncdesk
