#pragma once

#include "model/mapping.h"
#include "sync/liveevent.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace syncdesk {

class ConnectionProvider;
class RelayJournal;

// Runs the background tasks (consistency check, cleanup) at their intervals and on demand. Each task
// runs on one instance at a time: whoever holds its advisory lock runs it, the others skip that turn.
// Lives on the engine's task thread (its tasks block that thread, not the workers).
class TaskScheduler : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        qint64 consistencyIntervalMs = 3600 * 1000;
        qint64 cleanupIntervalMs = 6 * 3600 * 1000;
        int retentionDays = 7;
        int auditRetentionDays = 90;
        // The dashboard's own database (DASHBOARD_DATABASE_URL), whose queue needs cleaning too.
        std::shared_ptr<ConnectionProvider> dashboard;
        // The check makes plainly new records itself (ConsistencyChecker::DirectAdoption): their
        // live events go to `announce` and the relay's `journal`; `viaQueue` names the entities whose
        // new records a handler reads (those are queued for the workers).
        std::shared_ptr<const RelayJournal> journal;
        LiveEventSink announce;
        std::function<bool(const QString &entity)> viaQueue;
        std::shared_ptr<const Mapping> mapping = Mapping::builtInShared(); // the tables the check compares
    };

    TaskScheduler(std::shared_ptr<ConnectionProvider> connections, Options options, QObject *parent = nullptr);

    static constexpr const char *consistencyTask = "consistency_check";
    static constexpr const char *cleanupTask = "cleanup";

public Q_SLOTS:
    void start();
    void stop();
    // `runId`: a sync.consistency_runs row made by the caller; 0 makes one (a scheduled run).
    void runConsistencyCheck(qint64 runId, const QString &triggeredBy);
    void runCleanup(const QString &triggeredBy);
    // New intervals count from now (a changed setting, applied without a restart).
    void setIntervals(qint64 consistencyIntervalMs, qint64 cleanupIntervalMs);

Q_SIGNALS:
    void taskScheduled(const QString &task, qint64 nextRunInMs);
    void taskStarted(const QString &task, qint64 runId);
    void taskProgress(const QString &task, qint64 runId, double fraction, const QString &step);
    void taskFinished(const QString &task, qint64 runId, bool ok, const QString &summary, const QJsonObject &report);

private:
    bool tryLock(int key);
    void unlock(int key);

    std::shared_ptr<ConnectionProvider> m_connections;
    Options m_options;
    QTimer *m_consistencyTimer;
    QTimer *m_cleanupTimer;
};

} // namespace syncdesk
