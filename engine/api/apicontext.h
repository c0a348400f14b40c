#pragma once

#include "api/apiconfig.h"
#include "api/apimetrics.h"

#include <functional>
#include <memory>

namespace syncdesk {
class ApiAccess;
class ApiKeyStore;
class ConnectionProvider;
class DataSyncService;
} // namespace syncdesk

namespace syncdesk::api {

class AuditLog;

// What the controllers work with. The engine's blocking calls and the read models run on the API's
// worker threads, each with its own connections from the providers.
struct ApiContext
{
    DataSyncService *engine = nullptr;
    std::shared_ptr<ConnectionProvider> backend;     // read models (statement timeout)
    std::shared_ptr<ConnectionProvider> dashboard;   // the helpdesk's own database, if it has one; else null
    std::shared_ptr<ConnectionProvider> bookkeeping; // audit log and API keys (no wait for a disk flush)
    std::shared_ptr<ApiKeyStore> keys;
    std::shared_ptr<ApiAccess> access; // open local mode closed or not
    std::shared_ptr<AuditLog> audit;
    std::shared_ptr<ApiMetrics> metrics;
    ApiConfig config;
    // The server's own gauges (connections, stream clients), read on the HTTP thread.
    std::function<ApiMetrics::ServerGauges()> serverGauges;
};

} // namespace syncdesk::api
