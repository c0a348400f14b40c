#include "api/controllers/searchcontroller.h"

#include "queries/searchqueries.h"

namespace syncdesk::api {

void SearchController::addRoutes(Router &router)
{
    router.add({"GET", QStringLiteral("/api/sync/search"), QStringLiteral("search"), Permission::Read, false, false,
                {QStringLiteral("q"), QStringLiteral("limit"), QStringLiteral("offset")},
                [this](const ApiRequest &request) { return search(request); }});
}

ApiResponse SearchController::search(const ApiRequest &request) const
{
    const QString text = request.textParam(QStringLiteral("q"), 200);
    if (text.trimmed().isEmpty())
        throw ApiError::badRequest(QStringLiteral("query parameter 'q' is required"), QStringLiteral("invalid_parameter"));
    const int limit = request.intParam(QStringLiteral("limit"), 20, 1, 100);
    const int offset = request.intParam(QStringLiteral("offset"), 0, 0, 10000);
    ReadConnections db = readConnections();
    auto found = SearchQueries::search(db, text, limit, offset);
    if (!found)
        throw ApiError::fromDatabase(found.error());
    return ApiResponse::json(found.value());
}

} // namespace syncdesk::api
