#include "api/controllers/eventcontroller.h"

#include "queries/eventqueries.h"
#include "service/datasyncservice.h"

namespace syncdesk::api {

void EventController::addRoutes(Router &router)
{
    router.add({"GET", QStringLiteral("/api/sync/events/recent"), QStringLiteral("events.recent"), Permission::Read, false, false,
                {QStringLiteral("limit"), QStringLiteral("status"), QStringLiteral("entity"), QStringLiteral("side")},
                [this](const ApiRequest &request) { return recent(request); }});
    router.add({"POST", QStringLiteral("/api/sync/events/{event_id}/retry"), QStringLiteral("events.retry"), Permission::Administer,
                true, false, {}, [this](const ApiRequest &request) { return retry(request); }});
    router.add({"POST", QStringLiteral("/api/sync/events/retry-dead"), QStringLiteral("events.retry_dead"), Permission::Administer,
                true, false, {}, [this](const ApiRequest &request) { return retryDead(request); }});
    router.add({"GET", QStringLiteral("/api/sync/events/stream"), QStringLiteral("events.stream"), Permission::Read, false, true,
                {QStringLiteral("kinds"), QStringLiteral("access_token")}, [](const ApiRequest &) -> ApiResponse {
                    throw ApiError::badRequest(QStringLiteral("the live event stream is a WebSocket: connect with Upgrade: websocket"),
                                               QStringLiteral("websocket_required"));
                }});
}

ApiResponse EventController::recent(const ApiRequest &request) const
{
    EventFilter filter;
    filter.limit = request.intParam(QStringLiteral("limit"), 10, 1, 1000);
    filter.status = request.enumParam(QStringLiteral("status"), {QStringLiteral("pending"), QStringLiteral("processing"),
                                                                 QStringLiteral("done"), QStringLiteral("dead")});
    filter.entity = request.enumParam(QStringLiteral("entity"), {QStringLiteral("customer"), QStringLiteral("ticket"),
                                                                 QStringLiteral("conversation"), QStringLiteral("message")});
    filter.side = request.enumParam(QStringLiteral("side"), {QStringLiteral("backend"), QStringLiteral("dashboard")});
    ReadConnections db = readConnections();
    auto events = EventQueries::recent(db, filter);
    if (!events)
        throw ApiError::fromDatabase(events.error());
    return ApiResponse::json(QJsonObject{{QStringLiteral("limit"), filter.limit},
                                         {QStringLiteral("count"), events->size()},
                                         {QStringLiteral("items"), events.value()}});
}

ApiResponse EventController::retry(const ApiRequest &request) const
{
    request.jsonBody({});
    const qint64 id = request.id(QStringLiteral("event_id"));
    auto retried = engine().retryDeadEvents(id);
    if (!retried)
        throw ApiError::fromDatabase(retried.error());
    if (retried.value() == 0) {
        ReadConnections db = readConnections();
        bool exists = false;
        auto event = EventQueries::get(db, id, &exists);
        if (!exists)
            throw ApiError::notFound(QStringLiteral("event %1 does not exist").arg(id));
        if (!event)
            throw ApiError::fromDatabase(event.error());
        throw ApiError::conflict(QStringLiteral("event %1 is %2, not dead: only dead events are retried by hand")
                                     .arg(id)
                                     .arg(event->value(QStringLiteral("status")).toString()),
                                 QJsonObject{{QStringLiteral("status"), event->value(QStringLiteral("status"))}});
    }
    return ApiResponse::json(QJsonObject{{QStringLiteral("event_id"), id}, {QStringLiteral("retried"), retried.value()}});
}

ApiResponse EventController::retryDead(const ApiRequest &request) const
{
    request.jsonBody({});
    auto retried = engine().retryDeadEvents(std::nullopt);
    if (!retried)
        throw ApiError::fromDatabase(retried.error());
    return ApiResponse::json(QJsonObject{{QStringLiteral("retried"), retried.value()}});
}

} // namespace syncdesk::api
