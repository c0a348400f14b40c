#include "api/controllers/statuscontroller.h"

#include "service/datasyncservice.h"

#include <QJsonArray>

namespace syncdesk::api {

namespace {
// A queue whose oldest change waits longer than this is reported, though the service stays ready.
constexpr double kQueueWarnSeconds = 300;
} // namespace

void StatusController::addRoutes(Router &router)
{
    router.add({"GET", QStringLiteral("/api/sync/status"), QStringLiteral("status"), Permission::Read, false, true, {},
                [this](const ApiRequest &request) { return status(request); }});
    router.add({"GET", QStringLiteral("/api/sync/health"), QStringLiteral("health"), Permission::Public, false, true, {},
                [this](const ApiRequest &request) { return health(request); }});
    router.add({"GET", QStringLiteral("/api/sync/metrics"), QStringLiteral("metrics"), Permission::Read, false, true, {},
                [this](const ApiRequest &request) { return metrics(request); }});
}

ApiResponse StatusController::status(const ApiRequest &) const
{
    if (!m_context.engine)
        throw ApiError::unavailable(QStringLiteral("the sync engine is not running"));
    return ApiResponse::json(m_context.engine->status().toJson());
}

ApiResponse StatusController::health(const ApiRequest &) const
{
    const ServiceStatus status = m_context.engine ? m_context.engine->status() : ServiceStatus{};
    const bool workersOk = status.serviceRunning && !status.degraded;
    const bool ready = status.serviceRunning && status.initialized && status.backendReachable && status.dashboardReachable
                       && workersOk;
    QJsonObject tasks;
    for (auto it = status.backgroundTasks.cbegin(); it != status.backgroundTasks.cend(); ++it) {
        const bool failed = it->lastResult.startsWith(QLatin1String("failed"));
        tasks.insert(it.key(), QJsonObject{{QStringLiteral("ok"), !failed},
                                           {QStringLiteral("running"), it->running},
                                           {QStringLiteral("last_result"), it->lastResult}});
    }
    const bool queueOk = status.oldestPendingSeconds < kQueueWarnSeconds;
    // A broker that is away degrades the service, never its readiness: sync goes on and events wait.
    const bool relayOk = status.relay.healthy();
    const QString state = !ready ? QStringLiteral("unavailable")
                          : !queueOk ? QStringLiteral("lagging")
                          : !relayOk ? QStringLiteral("degraded")
                                     : QStringLiteral("ok");
    const QJsonObject body{
        {QStringLiteral("status"), state},
        {QStringLiteral("live"), true},
        {QStringLiteral("ready"), ready},
        {QStringLiteral("timestamp"), status.timestamp.isValid() ? status.timestamp.toString(Qt::ISODateWithMs)
                                                                 : QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("checks"),
         QJsonObject{{QStringLiteral("engine"), QJsonObject{{QStringLiteral("ok"), status.serviceRunning}, {QStringLiteral("paused"), status.paused}}},
                     {QStringLiteral("backend_database"), QJsonObject{{QStringLiteral("ok"), status.backendReachable}}},
                     {QStringLiteral("dashboard_database"), QJsonObject{{QStringLiteral("ok"), status.dashboardReachable}}},
                     {QStringLiteral("workers"), QJsonObject{{QStringLiteral("ok"), workersOk},
                                                             {QStringLiteral("total"), status.workers},
                                                             {QStringLiteral("busy"), status.busyWorkers},
                                                             {QStringLiteral("problems"), QJsonArray::fromStringList(status.degradedReasons)}}},
                     {QStringLiteral("background_tasks"), tasks},
                     {QStringLiteral("queue"), QJsonObject{{QStringLiteral("ok"), queueOk},
                                                           {QStringLiteral("pending"), status.queuedEvents},
                                                           {QStringLiteral("dead"), status.deadEvents},
                                                           {QStringLiteral("oldest_pending_seconds"), status.oldestPendingSeconds}}},
                     {QStringLiteral("relay"), status.relay.toJson()}}}};
    return ApiResponse::json(body, ready ? 200 : 503);
}

ApiResponse StatusController::metrics(const ApiRequest &) const
{
    const ServiceStatus status = m_context.engine ? m_context.engine->status() : ServiceStatus{};
    const ApiMetrics::ServerGauges gauges = m_context.serverGauges ? m_context.serverGauges() : ApiMetrics::ServerGauges{};
    return ApiResponse::text(m_context.metrics->render(status, gauges), QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
}

} // namespace syncdesk::api
