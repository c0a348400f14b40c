#include "service/servicestatus.h"

#include <QJsonArray>

namespace syncdesk {

namespace {
QJsonValue isoOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs))
                          : QJsonValue(QJsonValue::Null);
}
} // namespace

int ServiceStatus::activeBackgroundTasks() const
{
    if (!serviceRunning)
        return 0;
    int active = 0;
    for (const BackgroundTaskStatus &task : backgroundTasks)
        active += task.running || (task.enabled && task.nextRun.isValid()) ? 1 : 0;
    return active;
}

double ServiceStatus::secondsLeft() const
{
    if (dueEvents <= 0 || eventsPerSecond <= 0)
        return -1;
    return double(dueEvents) / eventsPerSecond;
}

QJsonObject ServiceStatus::toJson() const
{
    QJsonObject tasks;
    for (auto it = backgroundTasks.cbegin(); it != backgroundTasks.cend(); ++it) {
        tasks.insert(it.key(), QJsonObject{{QStringLiteral("enabled"), it->enabled},
                                           {QStringLiteral("running"), it->running},
                                           {QStringLiteral("last_run"), isoOrNull(it->lastRun)},
                                           {QStringLiteral("next_run"), isoOrNull(it->nextRun)},
                                           {QStringLiteral("last_result"), it->lastResult},
                                           {QStringLiteral("progress"), it->progress},
                                           {QStringLiteral("step"), it->running ? it->step : QString()}});
    }
    return QJsonObject{
        {QStringLiteral("service_running"), serviceRunning},
        {QStringLiteral("initialized"), initialized},
        {QStringLiteral("background_tasks"), activeBackgroundTasks()},
        {QStringLiteral("queued_events"), queuedEvents},
        {QStringLiteral("timestamp"),
         isoOrNull(timestamp.isValid() ? timestamp : QDateTime::currentDateTimeUtc())},
        {QStringLiteral("background_task_details"), tasks},
        {QStringLiteral("paused"), paused},
        {QStringLiteral("degraded"), degraded},
        {QStringLiteral("degraded_reasons"), QJsonArray::fromStringList(degradedReasons)},
        {QStringLiteral("databases"), QJsonObject{{QStringLiteral("backend"), backendReachable},
                                                  {QStringLiteral("dashboard"), dashboardReachable}}},
        {QStringLiteral("workers"),
         QJsonObject{{QStringLiteral("total"), workers}, {QStringLiteral("busy"), busyWorkers}}},
        {QStringLiteral("due_events"), dueEvents},
        {QStringLiteral("dead_events"), deadEvents},
        {QStringLiteral("oldest_pending_seconds"), oldestPendingSeconds},
        {QStringLiteral("open_conflicts"), openConflicts},
        {QStringLiteral("throughput"),
         QJsonObject{{QStringLiteral("events_per_second"), eventsPerSecond},
                     {QStringLiteral("processed_total"), processedTotal},
                     {QStringLiteral("failed_total"), failedTotal},
                     {QStringLiteral("seconds_left"),
                      secondsLeft() < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(secondsLeft())}}},
        {QStringLiteral("relay"), relay.toJson()}};
}

} // namespace syncdesk
