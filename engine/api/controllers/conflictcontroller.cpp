#include "api/controllers/conflictcontroller.h"

#include "conflicts/conflictresolver.h"
#include "queries/conflictqueries.h"
#include "service/datasyncservice.h"

#include <QJsonArray>

namespace syncdesk::api {

namespace {

const QStringList kResolutions{
    QStringLiteral("backend"), QStringLiteral("dashboard"),     QStringLiteral("value"),
    QStringLiteral("merge"),   QStringLiteral("latest_wins"),   QStringLiteral("delete_other_side"),
    QStringLiteral("restore"), QStringLiteral("create_anyway"), QStringLiteral("keep_apart")};
const QStringList kEntities{QStringLiteral("customer"), QStringLiteral("ticket")};

ConflictDecision decisionFrom(const QJsonObject &body)
{
    const QString name = json::string(body, QStringLiteral("resolution"), true, 32);
    const auto kind = ConflictDecision::kindFromName(name);
    if (!kind)
        throw ApiError::badRequest(QStringLiteral("'resolution' must be one of %1").arg(kResolutions.join(QStringLiteral(", "))),
                                   QStringLiteral("invalid_body"));
    ConflictDecision decision;
    decision.kind = *kind;
    const bool hasValue = body.contains(QStringLiteral("value"));
    if (decision.kind == ConflictDecision::Kind::UseValue && !hasValue)
        throw ApiError::badRequest(QStringLiteral("'value' is required with the resolution value"), QStringLiteral("invalid_body"));
    if (decision.kind != ConflictDecision::Kind::UseValue && hasValue)
        throw ApiError::badRequest(QStringLiteral("'value' is only taken with the resolution value"), QStringLiteral("invalid_body"));
    decision.value = body.value(QStringLiteral("value"));
    return decision;
}

} // namespace

void ConflictController::addRoutes(Router &router)
{
    router.add({"GET", QStringLiteral("/api/sync/conflicts"), QStringLiteral("conflicts.list"), Permission::Read, false, false,
                {QStringLiteral("status"), QStringLiteral("entity"), QStringLiteral("field"), QStringLiteral("kind"),
                 QStringLiteral("limit"), QStringLiteral("offset")},
                [this](const ApiRequest &request) { return list(request); }});
    router.add({"GET", QStringLiteral("/api/sync/conflicts/{conflict_id}"), QStringLiteral("conflicts.get"), Permission::Read, false,
                false, {}, [this](const ApiRequest &request) { return get(request); }});
    router.add({"POST", QStringLiteral("/api/sync/conflicts/{conflict_id}/resolve"), QStringLiteral("conflicts.resolve"),
                Permission::ActOnRecords, true, false, {}, [this](const ApiRequest &request) { return resolve(request); }});
    router.add({"POST", QStringLiteral("/api/sync/conflicts/resolve"), QStringLiteral("conflicts.resolve_bulk"),
                Permission::ActOnRecords, true, false, {}, [this](const ApiRequest &request) { return resolveAll(request); }});
}

ApiResponse ConflictController::list(const ApiRequest &request) const
{
    ConflictListFilter filter;
    filter.status = request.enumParam(QStringLiteral("status"), {QStringLiteral("open"), QStringLiteral("resolved"),
                                                                 QStringLiteral("preserved")});
    filter.entity = request.enumParam(QStringLiteral("entity"), kEntities);
    filter.field = request.textParam(QStringLiteral("field"), 64);
    filter.kind =
        request.enumParam(QStringLiteral("kind"),
                          {QStringLiteral("field"), QStringLiteral("deleted"), QStringLiteral("duplicate")});
    filter.limit = request.intParam(QStringLiteral("limit"), 50, 1, 1000);
    filter.offset = request.intParam(QStringLiteral("offset"), 0, 0, 1000000);
    QSqlDatabase db = database();
    auto page = ConflictQueries::list(db, filter);
    if (!page)
        throw ApiError::fromDatabase(page.error());
    return ApiResponse::json(page.value());
}

ApiResponse ConflictController::get(const ApiRequest &request) const
{
    QSqlDatabase db = database();
    bool exists = false;
    auto conflict = ConflictQueries::get(db, request.id(QStringLiteral("conflict_id")), &exists);
    if (!conflict) {
        if (!exists)
            throw ApiError::notFound(conflict.error());
        throw ApiError::fromDatabase(conflict.error());
    }
    return ApiResponse::json(conflict.value());
}

ApiResponse ConflictController::resolve(const ApiRequest &request) const
{
    const QJsonObject body = request.jsonBody({QStringLiteral("resolution"), QStringLiteral("value")}, true);
    const ConflictDecision decision = decisionFrom(body);
    const OperationResult result =
        engine().conflicts().resolve(request.id(QStringLiteral("conflict_id")), decision, request.actor());
    return respond(result);
}

ApiResponse ConflictController::resolveAll(const ApiRequest &request) const
{
    const QJsonObject body = request.jsonBody({QStringLiteral("resolution"), QStringLiteral("value"), QStringLiteral("entity"),
                                               QStringLiteral("field"), QStringLiteral("ids"), QStringLiteral("limit")},
                                              true);
    const ConflictDecision decision = decisionFrom(body);
    ConflictFilter filter;
    filter.entity = json::string(body, QStringLiteral("entity"), false, 32);
    if (!filter.entity.isEmpty() && !kEntities.contains(filter.entity))
        throw ApiError::badRequest(QStringLiteral("'entity' must be customer or ticket"), QStringLiteral("invalid_body"));
    filter.field = json::string(body, QStringLiteral("field"), false, 64);
    filter.ids = json::idList(body, QStringLiteral("ids"), 1000);
    filter.limit = int(json::number(body, QStringLiteral("limit"), 1, 1000).value_or(1000));
    if (filter.entity.isEmpty() && filter.field.isEmpty() && filter.ids.isEmpty())
        throw ApiError::badRequest(QStringLiteral("name the conflicts to settle: 'entity', 'field' or 'ids'"), QStringLiteral("invalid_body"));
    auto outcome = engine().conflicts().resolveAll(filter, decision, request.actor());
    if (!outcome)
        throw ApiError::fromDatabase(outcome.error());
    return ApiResponse::json(QJsonObject{{QStringLiteral("resolved"), outcome->resolved},
                                         {QStringLiteral("failed"), int(outcome->failures.size())},
                                         {QStringLiteral("failures"), QJsonArray::fromStringList(outcome->failures)}});
}

} // namespace syncdesk::api
