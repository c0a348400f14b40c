#pragma once

#include "core/result.h"
#include "model/conflictpolicy.h"
#include "model/mapping.h"
#include "sync/eventhandler.h"
#include "sync/handlerregistry.h"
#include "sync/liveevent.h"
#include "sync/outboxevent.h"
#include "sync/outboxqueue.h"
#include "sync/relayjournal.h"
#include "sync/retrypolicy.h"
#include "sync/syncconnections.h"

#include <QList>

#include <memory>
#include <random>

namespace syncdesk {

// What a worker needs to process batches. The conflict policy is a snapshot: a change at run time
// applies from the next batch on.
struct SyncContext
{
    std::shared_ptr<const Mapping> mapping = Mapping::builtInShared();
    std::shared_ptr<const ConflictPolicy> policy;
    DeletePolicy deletes = DeletePolicy::Review;
    std::shared_ptr<HandlerRegistry> handlers;
    RetryPolicy retry;
    int batchSize = 1000;
    double autoTicketThreshold = 0.7;
    bool autoCreateTickets = true; // false: analyses recommend, a person decides
    bool copyPlainChangesInSql = true; // PlainChangeCopier before the full reconciliation
    // Set: this batch is the small one a worker takes between two full batches of a backlog (a bulk
    // import): changes to linked records captured after these marks, so that they wait for about half
    // a batch, not for the whole backlog (SyncWorker decides, migration 0013).
    std::optional<QueueMarks> newerThan;
    // Where committed batches record their events for the event relay (recording only while it is on).
    std::shared_ptr<const RelayJournal> journal;
};

struct BatchOutcome
{
    int claimed = 0;   // events taken from the queue
    int processed = 0; // events marked done
    int deferred = 0;  // events of records another worker held; still pending
    int failed = 0;    // events that failed (retried later, or dead)
    int dead = 0;
    bool transientFailure = false; // the database hiccupped; nothing was charged to the events
    QString error;
    LiveEvents liveEvents; // announced by the service once it receives the outcome
    // The events this batch marked done and when it committed (for metrics: by entity, capture-to-apply latency).
    OutboxEvents applied;
    QDateTime committedAt;
    // A full batch: where the queues ended (a backlog begins). A batch of newer changes: the marks
    // moved past what it took.
    std::optional<QueueMarks> marks;
};

// Claims a batch of captured changes and applies it: coalesced per record, reconciled state-based,
// handlers run, events marked done, all in one transaction. A batch that fails is split until the
// failing event is isolated; that event is charged an attempt and retried later with backoff.
class BatchProcessor
{
public:
    explicit BatchProcessor(SyncContext context);

    // One batch from the queue.
    BatchOutcome runOnce(SyncConnections &db);

    // Reconciles records on demand (the engine API), in the caller's open transaction: the customers
    // and tickets named, as if events had arrived for them. `actor` is who asked.
    Result<QList<ReconciledRecord>> reconcileNow(SyncConnections &db, const QString &entity,
                                                 const QList<qint64> &backendIds, const QList<qint64> &dashboardIds,
                                                 const QString &actor, LiveEvents &liveEvents);
    // What handlers (and operations that act like one) get: the transaction's connections, the actor,
    // the live events to announce after the commit, and reconcileNow on this processor.
    HandlerContext handlerContext(SyncConnections &db, const QString &actor, LiveEvents &liveEvents);

    // The record_synced live event of a record a batch (or an adoption) changed.
    static LiveEvent recordEvent(const ReconciledRecord &record);

private:
    // `deferred` (batches only): events of records another worker holds; they stay pending.
    Result<QList<ReconciledRecord>> apply(SyncConnections &db, const OutboxEvents &events, const QString &actor,
                                          LiveEvents &liveEvents, const QList<qint64> &extraBackendIds = {},
                                          const QList<qint64> &extraDashboardIds = {},
                                          const QString &extraEntity = {}, QList<qint64> *deferred = nullptr);
    void isolate(SyncConnections &db, const QList<qint64> &ids, BatchOutcome &outcome);

    SyncContext m_context;
    std::mt19937 m_random;
};

} // namespace syncdesk
