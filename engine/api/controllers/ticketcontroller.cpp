#include "api/controllers/ticketcontroller.h"

#include "database/sql.h"
#include "service/datasyncservice.h"

namespace syncdesk::api {

void TicketController::addRoutes(Router &router)
{
    router.add({"POST", QStringLiteral("/api/sync/tickets/{ticket_id}/status"), QStringLiteral("tickets.status"),
                Permission::ActOnRecords, true, false, {}, [this](const ApiRequest &request) { return changeStatus(request); }});
}

ApiResponse TicketController::changeStatus(const ApiRequest &request) const
{
    const QJsonObject body = request.jsonBody({QStringLiteral("status"), QStringLiteral("user_id")}, true);
    const QString status = json::string(body, QStringLiteral("status"), true, 32);
    if (!SyncOperations::isTicketStatus(status))
        throw ApiError::badRequest(QStringLiteral("'status' must be one of new, open, pending, on_hold, resolved, closed"),
                                   QStringLiteral("invalid_body"));
    QString actor = request.actor();
    // user_id: the product user on whose behalf the change is made; recorded as the actor.
    if (const auto user = json::positiveId(body, QStringLiteral("user_id"), false)) {
        QSqlDatabase db = database();
        auto exists = sql::scalar(db, QStringLiteral("SELECT count(*) FROM backend.users WHERE id = ?"), {*user});
        if (!exists)
            throw ApiError::fromDatabase(exists.error());
        if (exists.value().toInt() == 0)
            throw ApiError::notFound(QStringLiteral("user %1 does not exist").arg(*user));
        actor = QStringLiteral("user:%1").arg(*user);
    }
    const OperationResult result =
        engine().operations().handleTicketStatusChange(request.id(QStringLiteral("ticket_id")), status, actor);
    return respond(result);
}

} // namespace syncdesk::api
