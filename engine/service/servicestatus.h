#pragma once

#include "relay/relaystatus.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace syncdesk {

struct BackgroundTaskStatus
{
    bool enabled = true;
    bool running = false;
    QDateTime lastRun;
    QDateTime nextRun;
    QString lastResult;
    double progress = 0;
    QString step; // what a running task is doing, as a person reads it (an adoption: rows, rate, time left)
};

// The engine's state as the GUI, the REST API and the logs show it. Kept up to date by the engine
// itself (the health monitor refreshes the counts every few seconds), so reading it costs no query.
struct ServiceStatus
{
    bool serviceRunning = false;
    bool initialized = false;
    bool paused = false;
    bool degraded = false;
    QStringList degradedReasons;
    bool backendReachable = true;
    bool dashboardReachable = true;
    int workers = 0;
    int busyWorkers = 0;
    qint64 queuedEvents = 0;
    qint64 dueEvents = 0;
    qint64 deadEvents = 0;
    double oldestPendingSeconds = 0;
    qint64 openConflicts = 0;
    qint64 processedTotal = 0;
    qint64 failedTotal = 0;
    double eventsPerSecond = 0;
    QMap<QString, BackgroundTaskStatus> backgroundTasks;
    RelayStatus relay; // the event relay to NATS (not part of `degraded`: sync goes on without the broker)
    QDateTime timestamp;

    // How many background tasks are running or scheduled now (the seed's `background_tasks`).
    int activeBackgroundTasks() const;
    // How long the due changes take at the current rate (a bulk import, an adoption), or -1 when
    // nothing is due or nothing is being applied.
    double secondsLeft() const;
    // The seed's {"service_running", "initialized", "background_tasks" (a count), "queued_events",
    // "timestamp"} with their types kept, then SyncDesk's own keys ("background_task_details", ...).
    QJsonObject toJson() const;
};

} // namespace syncdesk
