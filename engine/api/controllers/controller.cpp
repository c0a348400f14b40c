#include "api/controllers/controller.h"

#include "database/connectionprovider.h"
#include "service/datasyncservice.h"

namespace syncdesk::api {

ApiResponse Controller::respond(const OperationResult &result, int status) const
{
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

ReadConnections Controller::readConnections() const
{
    QSqlDatabase backend = database();
    if (!m_context.dashboard)
        return ReadConnections{backend, backend};
    auto dashboard = m_context.dashboard->database();
    if (!dashboard)
        throw ApiError::fromDatabase(dashboard.error());
    return ReadConnections{backend, dashboard.value()};
}

QSqlDatabase Controller::database() const
{
    auto db = m_context.backend->database();
    if (!db)
        throw ApiError::fromDatabase(db.error());
    return db.value();
}

} // namespace syncdesk::api
