#pragma once

#include "api/apicontext.h"
#include "api/apierror.h"
#include "api/apirequest.h"
#include "api/apiresponse.h"
#include "api/router.h"
#include "queries/readconnections.h"
#include "sync/operationresult.h"

#include <QSqlDatabase>

namespace syncdesk {
class DataSyncService;
}

namespace syncdesk::api {

// What every controller shares: the context, and the two ways a handler ends with the engine's or
// the database's answer.
class Controller
{
public:
    explicit Controller(ApiContext &context)
        : m_context(context)
    {}
    virtual ~Controller() = default;
    virtual void addRoutes(Router &router) = 0;

protected:
    // The operation's data with `status`, or its failure as the matching ApiError.
    ApiResponse respond(const OperationResult &result, int status = 200) const;
    // This worker thread's read connection (503 when the database is away).
    QSqlDatabase database() const;
    // The same, with the helpdesk's own database when it has one (for read models of both systems).
    ReadConnections readConnections() const;
    // The engine whose operations the handlers call (503 when the API runs without one).
    DataSyncService &engine() const;

    ApiContext &m_context;
};

} // namespace syncdesk::api
