#include "sync/synctransaction.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"
#include "sync/outboxqueue.h"
#include "sync/relayjournal.h"
#include "sync/retrypolicy.h"

#include <algorithm>

namespace syncdesk {

namespace {

QList<qint64> idsOf(const OutboxEvents &events)
{
    QList<qint64> ids;
    ids.reserve(events.size());
    for (const OutboxEvent &event : events)
        ids << event.id;
    return ids;
}

} // namespace

SyncTransaction::SyncTransaction(SyncConnections &db, QString origin, const RelayJournal *journal)
    : m_db(db)
    , m_origin(std::move(origin))
    , m_journal(journal)
{}

SyncTransaction::~SyncTransaction()
{
    rollback();
}

Status SyncTransaction::beginOn(QSqlDatabase &db)
{
    Status begun = sql::exec(db, QStringLiteral("BEGIN"));
    if (begun)
        begun = sql::exec(db, QStringLiteral("SELECT set_config('syncdesk.origin', ?, true)"), {m_origin});
    // PostgreSQL cannot see a deadlock that spans two databases: a wait that long is one, give up
    // (lock_not_available is retried like a deadlock).
    if (begun && split())
        begun = sql::exec(db, QStringLiteral("SET LOCAL lock_timeout = '5s'"));
    return begun;
}

Status SyncTransaction::begin(bool withClaims)
{
    m_open = true;
    m_claims = withClaims && split();
    m_dashboardEvents.clear();
    m_alreadyApplied.clear();
    m_capturedMs.clear();
    Status begun = beginOn(m_db.backend);
    if (begun && split())
        begun = beginOn(m_db.dashboard);
    if (begun && m_claims)
        begun = sql::exec(m_db.dashboardClaims, QStringLiteral("BEGIN"));
    if (!begun)
        rollback();
    return begun;
}

Result<OutboxEvents> SyncTransaction::withoutLedgered(Result<OutboxEvents> claimed)
{
    if (!claimed || claimed->isEmpty())
        return claimed;
    for (const OutboxEvent &event : claimed.value())
        m_dashboardEvents.insert(event.id);
    auto ledgered =
        sql::run(m_db.backend,
                 QStringLiteral("SELECT event_id FROM sync.applied_events WHERE event_id = ANY(?::bigint[])"),
                 {sql::bigintArray(idsOf(claimed.value()))});
    if (!ledgered)
        return Result<OutboxEvents>::failure(ledgered.error());
    QSet<qint64> applied;
    while (ledgered.value().next())
        applied.insert(ledgered.value().value(0).toLongLong());
    if (applied.isEmpty())
        return claimed;
    OutboxEvents fresh;
    for (const OutboxEvent &event : claimed.value()) {
        if (applied.contains(event.id))
            m_alreadyApplied << event.id;
        else
            fresh << event;
    }
    qCInfo(lcSync) << applied.size() << "dashboard event(s) were applied before a crash; marking them done";
    return Result<OutboxEvents>::success(fresh);
}

Result<OutboxEvents> SyncTransaction::claim(int limit)
{
    if (!m_claims)
        return remembered(OutboxQueue::claim(m_db.backend, limit));
    // Half the batch for each system while both are busy; what one leaves, the other may take.
    const int backendShare = limit - limit / 2;
    auto backend = remembered(OutboxQueue::claim(m_db.backend, backendShare));
    if (!backend)
        return backend;
    const qsizetype dashboardRoom = limit - backend->size();
    auto dashboard = dashboardRoom > 0
                         ? remembered(OutboxQueue::claim(m_db.dashboardClaims, int(dashboardRoom)))
                         : Result<OutboxEvents>::success({});
    if (!dashboard)
        return dashboard;
    const qsizetype claimedFromDashboard = dashboard->size();
    auto fresh = withoutLedgered(std::move(dashboard));
    if (!fresh)
        return fresh;
    OutboxEvents events = backend.value();
    if (backend->size() == backendShare && backend->size() + claimedFromDashboard < limit) {
        auto more = remembered(OutboxQueue::claim(
            m_db.backend, int(limit - backend->size() - claimedFromDashboard), idsOf(backend.value())));
        if (!more)
            return more;
        events << more.value();
    }
    events << fresh.value();
    return Result<OutboxEvents>::success(events);
}

Result<OutboxEvents> SyncTransaction::claimNewer(int limit, QueueMarks &marks)
{
    // One queue: look at no more than a window of ids past the mark (up to what has been handed out),
    // and move the mark past what was looked at, or past the last taken when the batch is full.
    const auto claimIn = [this](QSqlDatabase &db, int room, qint64 &mark) -> Result<OutboxEvents> {
        constexpr qint64 kWindow = 5000;
        auto handedOut = OutboxQueue::highWater(db);
        if (!handedOut)
            return Result<OutboxEvents>::failure(handedOut.error());
        const qint64 upto = std::min(mark + kWindow, handedOut.value());
        if (upto <= mark)
            return Result<OutboxEvents>::success({});
        auto claimed = remembered(OutboxQueue::claimNewer(db, room, mark, upto));
        if (claimed)
            mark = claimed->size() < room ? upto : claimed->last().id;
        return claimed;
    };
    QueueMarks moved = marks;
    auto backend = claimIn(m_db.backend, limit, moved.backend);
    if (!backend || !m_claims || backend->size() >= limit) {
        if (backend)
            marks = moved;
        return backend;
    }
    auto dashboard =
        withoutLedgered(claimIn(m_db.dashboardClaims, int(limit - backend->size()), moved.dashboard));
    if (!dashboard)
        return dashboard;
    marks = moved;
    OutboxEvents events = backend.value();
    events << dashboard.value();
    return Result<OutboxEvents>::success(events);
}

Result<QueueMarks> SyncTransaction::highWater()
{
    QueueMarks marks;
    auto backend = OutboxQueue::highWater(m_db.backend);
    if (!backend)
        return Result<QueueMarks>::failure(backend.error());
    marks.backend = backend.value();
    if (m_claims) {
        auto dashboard = OutboxQueue::highWater(m_db.dashboardClaims);
        if (!dashboard)
            return Result<QueueMarks>::failure(dashboard.error());
        marks.dashboard = dashboard.value();
    }
    return Result<QueueMarks>::success(marks);
}

Result<OutboxEvents> SyncTransaction::claimIds(const QList<qint64> &ids)
{
    auto backend = remembered(OutboxQueue::claimIds(m_db.backend, ids));
    if (!m_claims || !backend)
        return backend;
    auto dashboard = withoutLedgered(remembered(OutboxQueue::claimIds(m_db.dashboardClaims, ids)));
    if (!dashboard)
        return dashboard;
    OutboxEvents events = backend.value();
    events << dashboard.value();
    return Result<OutboxEvents>::success(events);
}

Result<OutboxEvents> SyncTransaction::remembered(Result<OutboxEvents> claimed)
{
    if (claimed) {
        for (const OutboxEvent &event : claimed.value())
            m_capturedMs.insert(event.id, event.capturedAt.toMSecsSinceEpoch());
    }
    return claimed;
}

std::optional<OutboxQueue::CaptureWindow> SyncTransaction::windowOf(const QList<qint64> &ids) const
{
    std::optional<OutboxQueue::CaptureWindow> window;
    for (qint64 id : ids) {
        const auto captured = m_capturedMs.constFind(id);
        if (captured == m_capturedMs.cend())
            return std::nullopt; // not claimed here: the done mark looks in every partition
        if (!window)
            window = OutboxQueue::CaptureWindow{*captured, *captured};
        window->firstMs = std::min(window->firstMs, *captured);
        window->lastMs = std::max(window->lastMs, *captured);
    }
    return window;
}

Status SyncTransaction::commit(const QList<qint64> &doneIds, const LiveEvents &announced)
{
    bool recorded = false;
    const auto record = [&]() -> Status {
        if (!m_journal)
            return Status::success();
        auto written = m_journal->record(m_db.backend, announced);
        recorded = written && written.value();
        return written ? Status::success() : Status::failure(written.error());
    };
    if (!split()) {
        Status done = OutboxQueue::markDone(m_db.backend, doneIds, windowOf(doneIds));
        if (done)
            done = record();
        if (done)
            done = sql::exec(m_db.backend, QStringLiteral("COMMIT"));
        if (!done)
            rollback();
        m_open = false;
        if (done && recorded)
            m_journal->committed();
        return done;
    }
    QList<qint64> backendDone, dashboardDone;
    for (qint64 id : doneIds)
        (m_dashboardEvents.contains(id) ? dashboardDone : backendDone) << id;
    Status done = OutboxQueue::markDone(m_db.backend, backendDone, windowOf(backendDone));
    if (done && !dashboardDone.isEmpty())
        done =
            sql::exec(m_db.backend,
                      QStringLiteral("INSERT INTO sync.applied_events (event_id) SELECT unnest(?::bigint[]) "
                                     "ON CONFLICT DO NOTHING"),
                      {sql::bigintArray(dashboardDone)});
    if (done)
        done = record();
    if (done)
        done = sql::exec(m_db.dashboard, QStringLiteral("COMMIT"));
    if (!done) {
        rollback();
        return done;
    }
    if (Status committed = sql::exec(m_db.backend, QStringLiteral("COMMIT")); !committed) {
        // The dashboard's writes stay; the events stay pending and their next reconciliation finds
        // both sides already agreeing where this one wrote.
        qCWarning(lcSync).noquote() << "backend commit failed after the dashboard's:" << committed.error();
        rollback();
        return committed;
    }
    if (m_claims) {
        dashboardDone << m_alreadyApplied;
        Status marked = OutboxQueue::markDone(m_db.dashboardClaims, dashboardDone, windowOf(dashboardDone));
        if (marked)
            marked = sql::exec(m_db.dashboardClaims, QStringLiteral("COMMIT"));
        if (!marked) {
            // Applied and in the ledger: the next claim marks them done.
            sql::exec(m_db.dashboardClaims, QStringLiteral("ROLLBACK"));
            qCWarning(lcSync).noquote() << "could not mark" << dashboardDone.size()
                                        << "dashboard event(s) done, the ledger will:" << marked.error();
        }
    }
    m_open = false;
    return Status::success();
}

void SyncTransaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    sql::exec(m_db.backend, QStringLiteral("ROLLBACK"));
    if (split())
        sql::exec(m_db.dashboard, QStringLiteral("ROLLBACK"));
    if (m_claims)
        sql::exec(m_db.dashboardClaims, QStringLiteral("ROLLBACK"));
}

Status SyncTransaction::recordFailure(const OutboxEvent &event, const QString &error,
                                      const RetryPolicy &policy, std::mt19937 &random, const LiveEvents &announced)
{
    QSqlDatabase &queue =
        m_claims && m_dashboardEvents.contains(event.id) ? m_db.dashboardClaims : m_db.backend;
    const bool relayed = m_journal && m_journal->recording() &&
                         std::any_of(announced.cbegin(), announced.cend(),
                                     [](const LiveEvent &live) { return RelayJournal::relayed(live.kind); });
    if (!relayed)
        return OutboxQueue::recordFailure(queue, event, error, policy, random);
    // The mark and its event for the relay commit together when the event's queue is the backend's.
    // A helpdesk event of a database of its own is marked after the event for the relay has
    // committed: a crash in between loses the mark, not the event (the change is tried again and,
    // failing again, announced once more).
    const bool together = &queue == &m_db.backend;
    if (Status begun = sql::exec(m_db.backend, QStringLiteral("BEGIN")); !begun)
        return begun;
    auto recorded = m_journal->record(m_db.backend, announced);
    Status done = recorded ? Status::success() : Status::failure(recorded.error());
    if (done && together)
        done = OutboxQueue::recordFailure(queue, event, error, policy, random);
    if (done)
        done = sql::exec(m_db.backend, QStringLiteral("COMMIT"));
    if (!done) {
        sql::exec(m_db.backend, QStringLiteral("ROLLBACK"));
        return done;
    }
    m_journal->committed();
    return together ? done : OutboxQueue::recordFailure(queue, event, error, policy, random);
}

bool SyncTransaction::connectionBroken() const
{
    return ConnectionProvider::isBroken(m_db.backend) ||
           (split() && ConnectionProvider::isBroken(m_db.dashboard)) ||
           (m_claims && ConnectionProvider::isBroken(m_db.dashboardClaims));
}

} // namespace syncdesk
