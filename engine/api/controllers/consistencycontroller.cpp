#include "api/controllers/consistencycontroller.h"

#include "queries/consistencyqueries.h"
#include "service/datasyncservice.h"

namespace syncdesk::api {

void ConsistencyController::addRoutes(Router &router)
{
    router.add({"POST", QStringLiteral("/api/sync/consistency-check"), QStringLiteral("consistency_check.start"),
                Permission::Administer, true, false, {}, [this](const ApiRequest &request) { return start(request); }});
    router.add({"GET", QStringLiteral("/api/sync/consistency-check/{run_id}"), QStringLiteral("consistency_check.get"),
                Permission::Read, false, false, {}, [this](const ApiRequest &request) { return run(request); }});
}

ApiResponse ConsistencyController::start(const ApiRequest &request) const
{
    request.jsonBody({});
    if (!m_context.engine || !m_context.engine->isRunning())
        throw ApiError::unavailable(QStringLiteral("the sync engine is not running"));
    auto started = m_context.engine->startConsistencyCheck(QStringLiteral("api:") + request.actor());
    if (!started)
        throw ApiError::unavailable(started.error());
    const qint64 id = started.value();
    return ApiResponse::json(QJsonObject{{QStringLiteral("id"), id},
                                         {QStringLiteral("status"), QStringLiteral("running")},
                                         {QStringLiteral("url"), QStringLiteral("/api/sync/consistency-check/%1").arg(id)}},
                             202)
        .header(QByteArrayLiteral("Location"), QByteArray("/api/sync/consistency-check/") + QByteArray::number(id));
}

ApiResponse ConsistencyController::run(const ApiRequest &request) const
{
    QSqlDatabase db = database();
    bool exists = false;
    auto run = ConsistencyQueries::run(db, request.id(QStringLiteral("run_id")), &exists);
    if (!run) {
        if (!exists)
            throw ApiError::notFound(run.error());
        throw ApiError::fromDatabase(run.error());
    }
    return ApiResponse::json(run.value());
}

} // namespace syncdesk::api
