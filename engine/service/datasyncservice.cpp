#include "service/datasyncservice.h"

#include "analyzer/conversationanalyzer.h"
#include "core/logging.h"
#include "database/connectionprovider.h"
#include "relay/eventrelay.h"
#include "sync/outboxqueue.h"
#include "sync/syncworker.h"
#include "sync/ticketstatuspropagation.h"
#include "sync/wakeuplistener.h"
#include "tasks/consistencychecker.h"
#include "tasks/healthmonitor.h"
#include "tasks/taskscheduler.h"

#include <algorithm>
#include <cmath>

namespace syncdesk {

namespace {

// Worker connections carry the claim lease: a session that sits in a transaction longer than this is
// ended by the server, its row locks (the claims) released, and its events taken by another worker.
std::shared_ptr<ConnectionProvider> withLease(const std::shared_ptr<ConnectionProvider> &base, int leaseSeconds,
                                              const QString &role)
{
    DatabaseUrl url = base->url();
    // random_page_cost: the engine looks rows up by key in a working set that is cached; with the
    // default cost of 4 the planner prefers scanning 100,000 links to probing 1,000 index entries.
    const QString options = (url.parameter(QStringLiteral("options"))
                             + QStringLiteral(" -c idle_in_transaction_session_timeout=%1s -c random_page_cost=1.1").arg(leaseSeconds))
                                .trimmed();
    return std::make_shared<ConnectionProvider>(url.withParameter(QStringLiteral("options"), options), role);
}

// The relay's session: its writes (the round in flight, the position) need not wait for the WAL
// flush. A server crash may forget the last position: the round is then taken up again, and the
// stream and its duplicate window keep the broker from storing anything twice.
std::shared_ptr<ConnectionProvider> relayConnections(const std::shared_ptr<ConnectionProvider> &base)
{
    DatabaseUrl url = base->url();
    const QString options =
        (url.parameter(QStringLiteral("options")) + QStringLiteral(" -c synchronous_commit=off")).trimmed();
    return std::make_shared<ConnectionProvider>(url.withParameter(QStringLiteral("options"), options),
                                                QStringLiteral("relay"));
}

RelayStatus relayStatusOf(const RelaySettings &settings)
{
    RelayStatus status;
    status.configured = !settings.url.trimmed().isEmpty();
    status.enabled = settings.active();
    status.server = settings.displayUrl();
    status.stream = settings.stream;
    return status;
}

} // namespace

DataSyncService::DataSyncService(EngineOptions options, std::shared_ptr<ConnectionProvider> backend,
                                 std::shared_ptr<ConnectionProvider> dashboard, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_backend(std::move(backend))
    , m_dashboard(std::move(dashboard))
    , m_handlers(std::make_shared<HandlerRegistry>())
    , m_paused(std::make_shared<std::atomic_bool>(false))
    , m_inFlight(std::make_shared<std::atomic_int>(0))
    , m_journal(std::make_shared<RelayJournal>())
    , m_policy(std::make_shared<ConflictPolicy>(ConflictPolicy::defaults()))
{
    qRegisterMetaType<syncdesk::BatchOutcome>();
    qRegisterMetaType<syncdesk::RelayStatus>();
    qRegisterMetaType<syncdesk::LiveEvents>();
    qRegisterMetaType<syncdesk::ServiceStatus>();
    qRegisterMetaType<syncdesk::HealthSnapshot>();
    // Rules from the configuration; rules set at run time (setConflictRule) go on top and survive restarts.
    if (auto policy = ConflictPolicy::parse(m_options.conflictRules))
        m_policy = std::make_shared<ConflictPolicy>(policy.value());
    else
        m_configurationError = policy.error();
    // Two providers of one database are one database: one transaction, not two.
    if (m_dashboard != m_backend && m_dashboard->url() == m_backend->url())
        m_dashboard = m_backend;
    // Status side effects and conversation analysis act on SyncDesk's own tables; a mapping file cannot
    // name their targets yet (docs/mapping.md, "Status"), so with one they are off.
    const bool ownTables = m_options.mapping->isBuiltIn();
    if (ownTables)
        m_handlers->add(std::make_shared<TicketStatusPropagation>());
    else
        qCInfo(lcService).noquote()
            << "mapping" << m_options.mapping->source
            << "in effect: ticket status side effects and conversation analysis are off";
    const LiveEventSink announced = [this](const LiveEvents &events) { announce(events); };
    m_operations = std::make_unique<SyncOperations>(m_backend, m_dashboard, [this]() { return context(); }, announced);
    m_conflicts =
        std::make_unique<ConflictResolver>(m_backend, m_dashboard, announced, m_journal, m_options.mapping);
    if (const QStringList problems = m_options.relay.problems(); !problems.isEmpty() && m_configurationError.isEmpty())
        m_configurationError = problems.join(QStringLiteral("; "));
    m_journal->setRecording(m_options.relay.active());
    if (m_options.analyzeConversations && ownTables) {
        // Without its model SyncDesk still syncs; it only stops analysing conversations, and says so.
        if (auto analyzer = ConversationAnalyzer::load()) {
            auto handler = std::make_shared<ConversationAnalysisHandler>(
                std::make_shared<const ConversationAnalyzer>(std::move(analyzer).value()), [this]() { return context(); },
                m_options.autoTicketing);
            m_handlers->add(handler);
            m_operations->setAnalysis(handler);
        } else {
            qCWarning(lcService).noquote() << "conversations will not be analysed:" << analyzer.error();
        }
    }
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &DataSyncService::flushLiveEvents);
    m_status.workers = m_options.workers;
    m_status.backgroundTasks.insert(QStringLiteral("health_monitor"), BackgroundTaskStatus{});
    m_status.backgroundTasks.insert(QLatin1String(TaskScheduler::consistencyTask), BackgroundTaskStatus{});
    m_status.backgroundTasks.insert(QLatin1String(TaskScheduler::cleanupTask), BackgroundTaskStatus{});
    m_status.relay = relayStatusOf(m_options.relay);
}

DataSyncService::~DataSyncService()
{
    stop();
}

SyncContext DataSyncService::context() const
{
    QMutexLocker locker(&m_mutex);
    SyncContext context;
    context.mapping = m_options.mapping;
    context.policy = m_policy;
    context.deletes = m_options.deletes;
    context.handlers = m_handlers;
    context.retry = RetryPolicy(m_options.maxAttempts);
    context.batchSize = m_options.batchSize;
    context.autoTicketThreshold = m_options.autoTicketing.threshold;
    context.autoCreateTickets = m_options.autoTicketing.createTickets;
    context.copyPlainChangesInSql = m_options.copyPlainChangesInSql;
    context.journal = m_journal;
    return context;
}

EngineOptions DataSyncService::options() const
{
    QMutexLocker locker(&m_mutex);
    return m_options;
}

Status DataSyncService::setAutoTicketing(double threshold, bool createTickets)
{
    if (!std::isfinite(threshold) || threshold < 0.0 || threshold > 1.0)
        return Status::failure(QStringLiteral("the auto-ticket threshold %1 is not a number from 0 to 1").arg(threshold));
    QMutexLocker locker(&m_mutex);
    m_options.autoTicketing.threshold = threshold;
    m_options.autoTicketing.createTickets = createTickets;
    return Status::success();
}

Status DataSyncService::setTaskIntervals(double consistencyCheckHours, double cleanupHours)
{
    // The bounds of SYNC_CONSISTENCY_CHECK_INTERVAL and SYNC_EVENT_CLEANUP_INTERVAL.
    for (const double hours : {consistencyCheckHours, cleanupHours}) {
        if (!std::isfinite(hours) || hours < 1.0 / 60.0 || hours > 8760.0)
            return Status::failure(QStringLiteral("the interval %1 h is not from one minute to 8760 hours").arg(hours));
    }
    {
        QMutexLocker locker(&m_mutex);
        m_options.consistencyCheckIntervalHours = consistencyCheckHours;
        m_options.eventCleanupIntervalHours = cleanupHours;
    }
    if (m_scheduler) {
        QMetaObject::invokeMethod(m_scheduler, [scheduler = m_scheduler, consistencyCheckHours, cleanupHours]() {
            scheduler->setIntervals(qint64(consistencyCheckHours * 3600000.0), qint64(cleanupHours * 3600000.0));
        });
    }
    return Status::success();
}

std::shared_ptr<const ConflictPolicy> DataSyncService::conflictPolicy() const
{
    QMutexLocker locker(&m_mutex);
    return m_policy;
}

Status DataSyncService::setConflictRule(const QString &target, const FieldStrategy &strategy)
{
    QMutexLocker locker(&m_mutex);
    auto changed = std::make_shared<ConflictPolicy>(*m_policy);
    if (Status set = changed->setRule(target, strategy); !set)
        return set;
    m_policy = changed; // workers pick it up with their next batch
    return Status::success();
}

Status DataSyncService::start()
{
    if (m_running)
        return Status::success();
    if (!m_configurationError.isEmpty())
        return Status::failure(m_configurationError);
    {
        QMutexLocker locker(&m_mutex);
        m_status = ServiceStatus{};
        m_status.workers = m_options.workers;
        m_status.backgroundTasks.insert(QStringLiteral("health_monitor"), BackgroundTaskStatus{});
        m_status.backgroundTasks.insert(QLatin1String(TaskScheduler::consistencyTask), BackgroundTaskStatus{});
        m_status.backgroundTasks.insert(QLatin1String(TaskScheduler::cleanupTask), BackgroundTaskStatus{});
        m_status.relay = relayStatusOf(m_options.relay);
        m_idle = QList<bool>(m_options.workers, false);
        m_workerErrors = QList<QString>(m_options.workers);
    }
    auto workerBackend = withLease(m_backend, m_options.leaseSeconds, QStringLiteral("worker"));
    const bool split = m_dashboard != m_backend;
    auto workerDashboard = split ? withLease(m_dashboard, m_options.leaseSeconds, QStringLiteral("worker-dashboard"))
                                 : workerBackend;
    auto workerClaims = split ? withLease(m_dashboard, m_options.leaseSeconds, QStringLiteral("worker-dashboard-claims"))
                              : nullptr;

    // Each database's queue wakes the workers.
    m_listenerThread.setObjectName(QStringLiteral("sync-listener"));
    for (const auto &connections : split ? QList{m_backend, m_dashboard} : QList{m_backend}) {
        auto *listener = new WakeupListener(connections, m_options.pollIntervalMs);
        listener->moveToThread(&m_listenerThread);
        connect(&m_listenerThread, &QThread::finished, listener, &QObject::deleteLater);
        m_listeners << listener;
    }

    for (int i = 0; i < m_options.workers; ++i) {
        SyncWorker::Setup setup{i, workerBackend, workerDashboard, workerClaims, [this]() { return context(); }, m_paused,
                                m_inFlight, m_options.pollIntervalMs};
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("sync-worker-%1").arg(i));
        auto *worker = new SyncWorker(setup);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &SyncWorker::batchFinished, this, &DataSyncService::onBatchFinished);
        connect(worker, &SyncWorker::idleChanged, this, &DataSyncService::onIdleChanged);
        connect(worker, &SyncWorker::databaseStateChanged, this, &DataSyncService::onDatabaseState);
        for (WakeupListener *listener : std::as_const(m_listeners))
            connect(listener, &WakeupListener::wakeUp, worker, &SyncWorker::wake);
        m_workerThreads << thread;
        m_workers << worker;
    }

    m_monitor = new HealthMonitor(m_backend, m_dashboard, m_options.healthIntervalMs);
    m_monitor->moveToThread(&m_listenerThread);
    connect(&m_listenerThread, &QThread::finished, m_monitor, &QObject::deleteLater);
    connect(m_monitor, &HealthMonitor::checked, this, &DataSyncService::onHealth);

    TaskScheduler::Options schedule;
    schedule.consistencyIntervalMs = qint64(m_options.consistencyCheckIntervalHours * 3600.0 * 1000.0);
    schedule.cleanupIntervalMs = qint64(m_options.eventCleanupIntervalHours * 3600.0 * 1000.0);
    schedule.retentionDays = m_options.retentionDays;
    schedule.auditRetentionDays = m_options.auditRetentionDays;
    schedule.dashboard = split ? m_dashboard : nullptr;
    schedule.journal = m_journal;
    schedule.announce = [this](const LiveEvents &events) { announce(events); };
    schedule.viaQueue = [handlers = m_handlers](const QString &entity) {
        return handlers->wants(entity, QStringLiteral("insert"));
    };
    schedule.mapping = m_options.mapping;
    m_scheduler = new TaskScheduler(m_backend, schedule);
    m_scheduler->moveToThread(&m_taskThread);
    m_taskThread.setObjectName(QStringLiteral("sync-tasks"));
    connect(&m_taskThread, &QThread::finished, m_scheduler, &QObject::deleteLater);
    connect(m_scheduler, &TaskScheduler::taskScheduled, this, &DataSyncService::onTaskScheduled);
    connect(m_scheduler, &TaskScheduler::taskStarted, this, &DataSyncService::onTaskStarted);
    connect(m_scheduler, &TaskScheduler::taskProgress, this, &DataSyncService::onTaskProgress);
    connect(m_scheduler, &TaskScheduler::taskFinished, this, &DataSyncService::onTaskFinished);

    m_listenerThread.start();
    m_taskThread.start();
    for (WakeupListener *listener : std::as_const(m_listeners))
        QMetaObject::invokeMethod(listener, &WakeupListener::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_monitor, &HealthMonitor::start, Qt::QueuedConnection);
    if (m_options.backgroundTasks)
        QMetaObject::invokeMethod(m_scheduler, &TaskScheduler::start, Qt::QueuedConnection);
    for (int i = 0; i < m_workers.size(); ++i) {
        m_workerThreads.at(i)->start();
        QMetaObject::invokeMethod(m_workers.at(i), &SyncWorker::start, Qt::QueuedConnection);
    }
    m_flushTimer.start();
    m_running = true;
    m_listenerIdleSent = false;
    if (m_options.relay.active())
        startRelay();
    {
        QMutexLocker locker(&m_mutex);
        m_status.serviceRunning = true;
        m_status.initialized = true;
        m_status.timestamp = QDateTime::currentDateTimeUtc();
    }
    qCInfo(lcService) << "sync engine started with" << m_options.workers << "workers, batches of" << m_options.batchSize;
    Q_EMIT started();
    return Status::success();
}

void DataSyncService::stop()
{
    if (!m_running)
        return;
    m_running = false;
    // Each worker's stop() runs between two batches: the batch in flight commits first.
    for (SyncWorker *worker : std::as_const(m_workers))
        QMetaObject::invokeMethod(worker, &SyncWorker::stop, Qt::BlockingQueuedConnection);
    for (QThread *thread : std::as_const(m_workerThreads)) {
        thread->quit();
        thread->wait();
        delete thread;
    }
    m_workerThreads.clear();
    m_workers.clear();
    for (WakeupListener *listener : std::as_const(m_listeners))
        QMetaObject::invokeMethod(listener, &WakeupListener::stop, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(m_monitor, &HealthMonitor::stop, Qt::BlockingQueuedConnection);
    m_listenerThread.quit();
    m_listenerThread.wait();
    m_listeners.clear();
    m_monitor = nullptr;
    // A task in progress finishes first (the scheduler's slots run between tasks).
    QMetaObject::invokeMethod(m_scheduler, &TaskScheduler::stop, Qt::BlockingQueuedConnection);
    m_taskThread.quit();
    m_taskThread.wait();
    m_scheduler = nullptr;
    // Last: what the workers' final batches recorded is published if the broker is quick, and waits
    // in the database otherwise.
    stopRelay();
    m_flushTimer.stop();
    flushLiveEvents();
    {
        QMutexLocker locker(&m_mutex);
        m_status.serviceRunning = false;
        m_status.busyWorkers = 0;
    }
    qCInfo(lcService) << "sync engine stopped";
    Q_EMIT stopped();
}

Status DataSyncService::applyRelaySettings(const RelaySettings &settings)
{
    if (const QStringList problems = settings.problems(); !problems.isEmpty())
        return Status::failure(problems.join(QStringLiteral("; ")));
    stopRelay();
    {
        QMutexLocker locker(&m_mutex);
        m_options.relay = settings;
        m_status.relay = relayStatusOf(settings);
    }
    m_journal->setRecording(settings.active());
    if (m_running && settings.active())
        startRelay();
    qCInfo(lcService).noquote() << (settings.active() ? "event relay on:" : "event relay off")
                                << (settings.active() ? settings.displayUrl() : QString());
    return Status::success();
}

void DataSyncService::startRelay()
{
    if (m_relay)
        return;
    m_relay = new EventRelay(m_options.relay, relayConnections(m_backend));
    m_relay->moveToThread(&m_relayThread);
    m_relayThread.setObjectName(QStringLiteral("sync-relay"));
    connect(&m_relayThread, &QThread::finished, m_relay, &QObject::deleteLater);
    connect(m_relay, &EventRelay::statusChanged, this, &DataSyncService::onRelayStatus);
    m_journal->setOnRecorded([relay = m_relay]() { relay->wake(); });
    m_relayThread.start();
    QMetaObject::invokeMethod(m_relay, &EventRelay::start, Qt::QueuedConnection);
}

void DataSyncService::stopRelay()
{
    if (!m_relay)
        return;
    // No wake-up may reach the relay once it is gone.
    m_journal->setOnRecorded(nullptr);
    m_relay->interrupt();
    QMetaObject::invokeMethod(m_relay, &EventRelay::stop, Qt::BlockingQueuedConnection);
    disconnect(m_relay, nullptr, this, nullptr);
    m_relayThread.quit();
    m_relayThread.wait();
    m_relay = nullptr;
    QMutexLocker locker(&m_mutex);
    const RelayStatus last = m_status.relay;
    m_status.relay = relayStatusOf(m_options.relay);
    // The figures stay as last seen: they are the database's, not this relay's.
    m_status.relay.published = last.published;
    m_status.relay.lastPublishedAt = last.lastPublishedAt;
    m_status.relay.lagEvents = last.lagEvents;
    m_status.relay.lagSeconds = last.lagSeconds;
    m_status.relay.expiredEvents = last.expiredEvents;
}

void DataSyncService::onRelayStatus(const RelayStatus &status)
{
    // A status the relay sent just before it was stopped can arrive after disconnect() (queued); it
    // would undo what stopRelay() and the new settings set.
    if (!m_relay || sender() != m_relay)
        return;
    QMutexLocker locker(&m_mutex);
    m_status.relay = status;
}

void DataSyncService::pause()
{
    m_paused->store(true);
    QMutexLocker locker(&m_mutex);
    m_status.paused = true;
}

void DataSyncService::resume()
{
    m_paused->store(false);
    {
        QMutexLocker locker(&m_mutex);
        m_status.paused = false;
    }
    wakeWorkers();
}

void DataSyncService::wakeWorkers()
{
    QMetaObject::invokeMethod(
        this,
        [this]() {
            for (SyncWorker *worker : std::as_const(m_workers))
                QMetaObject::invokeMethod(worker, &SyncWorker::wake, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

ServiceStatus DataSyncService::status() const
{
    QMutexLocker locker(&m_mutex);
    ServiceStatus copy = m_status;
    copy.timestamp = QDateTime::currentDateTimeUtc();
    // Batches in flight, counted by the workers themselves: "0" means nothing is being applied.
    copy.busyWorkers = m_inFlight->load();
    return copy;
}

Result<int> DataSyncService::retryDeadEvents(std::optional<qint64> eventId)
{
    // Event ids are unique across both databases (the dashboard's own are numbered from 2^62).
    int count = 0;
    for (const auto &connections : m_dashboard != m_backend ? QList{m_backend, m_dashboard} : QList{m_backend}) {
        auto db = connections->database();
        if (!db)
            return Result<int>::failure(db.error());
        auto retried = OutboxQueue::retryDead(db.value(), eventId);
        if (!retried)
            return retried;
        count += retried.value();
    }
    if (count > 0)
        wakeWorkers();
    return Result<int>::success(count);
}

Result<qint64> DataSyncService::startConsistencyCheck(const QString &triggeredBy)
{
    if (!m_running || !m_scheduler)
        return Result<qint64>::failure(QStringLiteral("the sync engine is not running"));
    if (!m_options.mapping->isBuiltIn())
        return Result<qint64>::failure(
            QStringLiteral("this version of SyncDesk checks its own tables only, not the "
                           "tables of the mapping %1")
                .arg(m_options.mapping->source));
    auto db = m_backend->database();
    if (!db)
        return Result<qint64>::failure(db.error());
    auto run = ConsistencyChecker(db.value()).createRun(triggeredBy);
    if (!run)
        return run;
    QMetaObject::invokeMethod(m_scheduler, [scheduler = m_scheduler, id = run.value(), triggeredBy]() {
        scheduler->runConsistencyCheck(id, triggeredBy);
    }, Qt::QueuedConnection);
    return run;
}

void DataSyncService::startCleanup(const QString &triggeredBy)
{
    if (!m_scheduler)
        return;
    QMetaObject::invokeMethod(m_scheduler, [scheduler = m_scheduler, triggeredBy]() { scheduler->runCleanup(triggeredBy); },
                              Qt::QueuedConnection);
}

void DataSyncService::onTaskScheduled(const QString &task, qint64 nextRunInMs)
{
    QMutexLocker locker(&m_mutex);
    m_status.backgroundTasks[task].nextRun = QDateTime::currentDateTimeUtc().addMSecs(nextRunInMs);
}

void DataSyncService::onTaskStarted(const QString &task, qint64)
{
    QMutexLocker locker(&m_mutex);
    BackgroundTaskStatus &status = m_status.backgroundTasks[task];
    status.running = true;
    status.progress = 0;
}

void DataSyncService::onTaskProgress(const QString &task, qint64 runId, double fraction, const QString &step)
{
    {
        QMutexLocker locker(&m_mutex);
        m_status.backgroundTasks[task].progress = fraction;
        m_status.backgroundTasks[task].step = step;
    }
    Q_EMIT taskProgress(task, runId, fraction, step);
}

void DataSyncService::onTaskFinished(const QString &task, qint64 runId, bool ok, const QString &summary,
                                     const QJsonObject &report)
{
    {
        QMutexLocker locker(&m_mutex);
        BackgroundTaskStatus &status = m_status.backgroundTasks[task];
        status.running = false;
        status.progress = ok ? 1.0 : status.progress;
        status.lastRun = QDateTime::currentDateTimeUtc();
        status.lastResult = ok ? summary : QStringLiteral("failed: %1").arg(summary);
        const qint64 interval = task == QLatin1String(TaskScheduler::consistencyTask)
                                    ? qint64(m_options.consistencyCheckIntervalHours * 3600000.0)
                                    : qint64(m_options.eventCleanupIntervalHours * 3600000.0);
        status.nextRun = status.lastRun.addMSecs(interval);
    }
    m_pendingLive << LiveEvent::now(LiveEventKind::TaskFinished, QJsonObject{{QStringLiteral("task"), task},
                                                                            {QStringLiteral("run_id"), runId},
                                                                            {QStringLiteral("ok"), ok},
                                                                            {QStringLiteral("summary"), summary}});
    Q_EMIT taskFinished(task, runId, ok, summary, report);
    if (ok && task == QLatin1String(TaskScheduler::consistencyTask))
        wakeWorkers(); // repairs were queued
}

void DataSyncService::announce(const LiveEvents &events)
{
    if (events.isEmpty())
        return;
    QMetaObject::invokeMethod(this, [this, events]() { m_pendingLive << events; }, Qt::QueuedConnection);
}

void DataSyncService::flushLiveEvents()
{
    if (m_pendingLive.isEmpty())
        return;
    const LiveEvents batch = std::exchange(m_pendingLive, {});
    Q_EMIT liveEvents(batch);
}

void DataSyncService::onBatchFinished(int, const BatchOutcome &outcome)
{
    {
        QMutexLocker locker(&m_mutex);
        m_status.processedTotal += outcome.processed;
        m_status.failedTotal += outcome.failed;
    }
    m_pendingLive << outcome.liveEvents;
    if (outcome.claimed > 0)
        Q_EMIT batchFinished(outcome);
}

void DataSyncService::onIdleChanged(int worker, bool idle)
{
    bool allIdle = true;
    {
        QMutexLocker locker(&m_mutex);
        if (worker < m_idle.size())
            m_idle[worker] = idle;
        allIdle = std::all_of(m_idle.cbegin(), m_idle.cend(), [](bool value) { return value; });
    }
    if (m_listeners.isEmpty() || allIdle == m_listenerIdleSent)
        return;
    m_listenerIdleSent = allIdle;
    for (WakeupListener *listener : std::as_const(m_listeners))
        QMetaObject::invokeMethod(listener, allIdle ? &WakeupListener::workersIdle : &WakeupListener::workersBusy,
                                  Qt::QueuedConnection);
}

void DataSyncService::onDatabaseState(int worker, bool reachable, const QString &error)
{
    {
        QMutexLocker locker(&m_mutex);
        if (worker < m_workerErrors.size())
            m_workerErrors[worker] = reachable ? QString() : error;
    }
    updateDegraded();
}

void DataSyncService::onHealth(const HealthSnapshot &snapshot)
{
    {
        QMutexLocker locker(&m_mutex);
        m_status.backendReachable = snapshot.backendReachable;
        m_status.dashboardReachable = snapshot.dashboardReachable;
        if (snapshot.backendReachable) {
            m_status.queuedEvents = snapshot.queue.pending;
            m_status.dueEvents = snapshot.queue.due;
            m_status.deadEvents = snapshot.queue.dead;
            m_status.oldestPendingSeconds = snapshot.queue.oldestPendingSeconds;
            m_status.openConflicts = snapshot.openConflicts;
        }
        // Throughput over the last ten seconds of samples.
        m_processedSamples.append({snapshot.at, m_status.processedTotal});
        while (m_processedSamples.size() > 2 && m_processedSamples.first().first.msecsTo(snapshot.at) > 10000)
            m_processedSamples.removeFirst();
        const auto &first = m_processedSamples.first();
        const qint64 span = first.first.msecsTo(snapshot.at);
        m_status.eventsPerSecond = span > 0 ? double(m_status.processedTotal - first.second) * 1000.0 / double(span) : 0.0;
        BackgroundTaskStatus &health = m_status.backgroundTasks[QStringLiteral("health_monitor")];
        health.lastRun = snapshot.at;
        health.nextRun = snapshot.at.addMSecs(m_options.healthIntervalMs);
        health.lastResult = snapshot.backendReachable && snapshot.dashboardReachable ? QStringLiteral("ok")
                                                                                     : QStringLiteral("database unreachable");
        m_status.degradedReasons.clear();
        if (!snapshot.backendReachable)
            m_status.degradedReasons << QStringLiteral("backend database unreachable: %1").arg(snapshot.backendError);
        if (!snapshot.dashboardReachable && m_dashboard != m_backend)
            m_status.degradedReasons << QStringLiteral("dashboard database unreachable: %1").arg(snapshot.dashboardError);
    }
    updateDegraded();
    Q_EMIT statusChanged(status());
}

void DataSyncService::updateDegraded()
{
    QMutexLocker locker(&m_mutex);
    QStringList reasons = m_status.degradedReasons.filter(QStringLiteral("database unreachable"));
    for (int i = 0; i < m_workerErrors.size(); ++i) {
        if (!m_workerErrors.at(i).isEmpty())
            reasons << QStringLiteral("worker %1: %2").arg(i).arg(m_workerErrors.at(i));
    }
    m_status.degradedReasons = reasons;
    m_status.degraded = !reasons.isEmpty();
}

} // namespace syncdesk
