#include "api/controllers/controller.h"

#include "database/connectionprovider.h"
#include "service/datasyncservice.h"

namespace syncdesk::api {

ApiResponse Controller::respond(const OperationResult &result, const LiveEvents &live, int status) const
{
    if (m_context.engine && !live.isEmpty())
        m_context.engine->publish(live);
    if (!result.success)
        throw ApiError::fromOperation(result);
    return ApiResponse::json(result.data, status);
}

DataSyncService &Controller::engine() const
{
    if (!m_context.engine)
        throw ApiError::unavailable(QStringLiteral("the sync engine is not running"));
    return *m_context.engine;
}

QSqlDatabase Controller::database() const
{
    auto db = m_context.backend->database();
    if (!db)
        throw ApiError::fromDatabase(db.error());
    return db.value();
}

} // namespace syncdesk::api
