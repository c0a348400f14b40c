#include "api/controllers/auditcontroller.h"

#include "api/auditlog.h"

namespace syncdesk::api {

void AuditController::addRoutes(Router &router)
{
    router.add({"GET", QStringLiteral("/api/sync/audit"), QStringLiteral("audit.list"), Permission::Administer, false, false,
                {QStringLiteral("actor"), QStringLiteral("action"), QStringLiteral("result"), QStringLiteral("since"),
                 QStringLiteral("limit"), QStringLiteral("offset")},
                [this](const ApiRequest &request) { return list(request); }});
}

ApiResponse AuditController::list(const ApiRequest &request) const
{
    AuditFilter filter;
    filter.actor = request.textParam(QStringLiteral("actor"), 200);
    filter.action = request.textParam(QStringLiteral("action"), 64);
    filter.result = request.enumParam(QStringLiteral("result"), {QStringLiteral("success"), QStringLiteral("denied"),
                                                                 QStringLiteral("error")});
    if (const QString since = request.textParam(QStringLiteral("since"), 64); !since.isEmpty()) {
        filter.since = QDateTime::fromString(since, Qt::ISODateWithMs);
        if (!filter.since.isValid())
            throw ApiError::badRequest(QStringLiteral("query parameter 'since' is not an ISO-8601 time"), QStringLiteral("invalid_parameter"));
    }
    filter.limit = request.intParam(QStringLiteral("limit"), 50, 1, 1000);
    filter.offset = request.intParam(QStringLiteral("offset"), 0, 0, 1000000);
    auto page = m_context.audit->list(filter);
    if (!page)
        throw ApiError::fromDatabase(page.error());
    return ApiResponse::json(page.value());
}

} // namespace syncdesk::api
