#include "api/controllers/usercontroller.h"

#include "service/datasyncservice.h"

namespace syncdesk::api {

void UserController::addRoutes(Router &router)
{
    for (const char *method : {"GET", "POST"}) {
        router.add({method, QStringLiteral("/api/sync/users/{user_id}/sync"), QStringLiteral("users.sync"), Permission::ActOnRecords,
                    true, false, {}, [this](const ApiRequest &request) { return sync(request); }});
    }
}

ApiResponse UserController::sync(const ApiRequest &request) const
{
    request.jsonBody({});
    const OperationResult result = engine().operations().syncUserData(request.id(QStringLiteral("user_id")));
    return respond(result);
}

} // namespace syncdesk::api
