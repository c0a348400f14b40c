#pragma once

#include "conflicts/conflictresolver.h"
#include "model/conflictpolicy.h"
#include "service/engineoptions.h"
#include "sync/operationresult.h"
#include "service/servicestatus.h"
#include "service/syncoperations.h"
#include "sync/batchprocessor.h"
#include "sync/handlerregistry.h"
#include "sync/liveevent.h"
#include "sync/relayjournal.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

namespace syncdesk {

class ConnectionProvider;
class EventRelay;
class HealthMonitor;
class SyncWorker;
class TaskScheduler;
class WakeupListener;
struct HealthSnapshot;

// The sync engine as the rest of SyncDesk sees it (the window, the REST API, the headless service,
// the tests): start/stop, pause/resume, a status that is always at hand, batched live events, and
// the operations people ask for. Owns the worker threads, the wake-up listener, the engine's task
// thread and, when configured, the event relay's thread. Lives on the main thread; its blocking operations (operations(), retry, ...) must be
// called from other threads.
class DataSyncService : public QObject
{
    Q_OBJECT

public:
    DataSyncService(EngineOptions options, std::shared_ptr<ConnectionProvider> backend,
                    std::shared_ptr<ConnectionProvider> dashboard, QObject *parent = nullptr);
    ~DataSyncService() override;

    Status start();
    // Lets every worker finish its batch in flight (claims are released with the commit), then stops.
    void stop();
    void pause();
    void resume();
    bool isRunning() const { return m_running; }

    ServiceStatus status() const;
    std::shared_ptr<const ConflictPolicy> conflictPolicy() const;
    Status setConflictRule(const QString &target, const FieldStrategy &strategy);
    // Settings that apply without a restart: the workers read them with their next batch; the task
    // intervals count from now.
    Status setAutoTicketing(double threshold, bool createTickets);
    Status setTaskIntervals(double consistencyCheckHours, double cleanupHours);
    // Switches the event relay on or off, or points it at another broker, stream or prefix. On the
    // service's thread; a round waiting for the broker is cut short.
    Status applyRelaySettings(const RelaySettings &settings);
    EngineOptions options() const;
    HandlerRegistry &handlers() { return *m_handlers; }
    // The databases the engine syncs (the same provider twice when both systems share one).
    std::shared_ptr<ConnectionProvider> backendConnections() const { return m_backend; }
    std::shared_ptr<ConnectionProvider> dashboardConnections() const { return m_dashboard; }
    SyncContext context() const;

    // Blocking operations; call them off the GUI thread.
    SyncOperations &operations() { return *m_operations; }
    ConflictResolver &conflicts() { return *m_conflicts; }
    Result<int> retryDeadEvents(std::optional<qint64> eventId);
    // Starts a consistency check on the task thread and returns its run id (sync.consistency_runs).
    Result<qint64> startConsistencyCheck(const QString &triggeredBy);
    void startCleanup(const QString &triggeredBy);
    // Wakes the workers (after something was queued outside the capture path).
    void wakeWorkers();

Q_SIGNALS:
    // What the engine did, as it commits: batches, operations, conflicts settled, tasks. At most ten
    // times a second, whatever the rate of events.
    void liveEvents(const syncdesk::LiveEvents &events);
    void statusChanged(const syncdesk::ServiceStatus &status);
    void started();
    void stopped();
    void taskProgress(const QString &task, qint64 runId, double fraction, const QString &step);
    void taskFinished(const QString &task, qint64 runId, bool ok, const QString &summary, const QJsonObject &report);
    // Every committed or failed batch of a worker, as the worker reported it (for metrics).
    void batchFinished(const syncdesk::BatchOutcome &outcome);

private:
    void onBatchFinished(int worker, const BatchOutcome &outcome);
    void onIdleChanged(int worker, bool idle);
    void onDatabaseState(int worker, bool reachable, const QString &error);
    void onHealth(const HealthSnapshot &snapshot);
    void onTaskScheduled(const QString &task, qint64 nextRunInMs);
    void onTaskStarted(const QString &task, qint64 runId);
    void onTaskProgress(const QString &task, qint64 runId, double fraction, const QString &step);
    void onTaskFinished(const QString &task, qint64 runId, bool ok, const QString &summary, const QJsonObject &report);
    // Queues live events for the next batched signal; callable from any thread.
    void announce(const LiveEvents &events);
    void flushLiveEvents();
    void updateDegraded();
    void startRelay();
    void stopRelay();
    void onRelayStatus(const RelayStatus &status);

    EngineOptions m_options;
    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ConnectionProvider> m_dashboard;
    std::shared_ptr<ConnectionProvider> m_listenerConnections;
    std::shared_ptr<HandlerRegistry> m_handlers;
    std::shared_ptr<std::atomic_bool> m_paused;
    std::shared_ptr<std::atomic_int> m_inFlight;
    std::unique_ptr<SyncOperations> m_operations;
    std::unique_ptr<ConflictResolver> m_conflicts;
    std::shared_ptr<RelayJournal> m_journal; // written by every committing transaction while the relay is on

    mutable QMutex m_mutex;
    std::shared_ptr<const ConflictPolicy> m_policy;
    ServiceStatus m_status;
    QList<bool> m_idle;
    QList<QString> m_workerErrors;
    QList<QPair<QDateTime, qint64>> m_processedSamples;

    QList<QThread *> m_workerThreads;
    QList<SyncWorker *> m_workers;
    QThread m_listenerThread;
    QList<WakeupListener *> m_listeners; // one per database
    QThread m_taskThread;
    HealthMonitor *m_monitor = nullptr; // on the listener thread: a long check must not stall it
    TaskScheduler *m_scheduler = nullptr;
    QThread m_relayThread;
    EventRelay *m_relay = nullptr; // on m_relayThread while the relay runs
    LiveEvents m_pendingLive;
    QTimer m_flushTimer;
    bool m_running = false;
    bool m_listenerIdleSent = false;
    QString m_configurationError;
};

} // namespace syncdesk

Q_DECLARE_METATYPE(syncdesk::LiveEvents)
