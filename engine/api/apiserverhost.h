#pragma once

#include "config/syncsettings.h"
#include "core/result.h"

#include <memory>

namespace syncdesk {
class ConnectionProvider;
class DataSyncService;
} // namespace syncdesk

namespace syncdesk::api {

class HttpApi;

// Keeps the REST API as the settings say: on or off, on an address and a port, and switches or moves
// it while SyncDesk runs (the window's Settings page). A change that cannot be made (a bad address,
// an open API on a network address, a port in use) leaves the API as it was. On the main thread.
class ApiServerHost
{
public:
    ApiServerHost(DataSyncService *engine, std::shared_ptr<ConnectionProvider> backend, SyncSettings settings);
    ~ApiServerHost();

    // Serves the API when the settings have it on.
    Status start();
    Status apply(bool enabled, const QString &bind, int port);
    void stop();

    HttpApi *server() const { return m_api.get(); }
    // "http://127.0.0.1:8000" while serving, else empty.
    QString url() const;
    const SyncSettings &settings() const { return m_settings; }

private:
    Status serve(const SyncSettings &settings);

    DataSyncService *m_engine;
    std::shared_ptr<ConnectionProvider> m_backend;
    SyncSettings m_settings;
    std::unique_ptr<HttpApi> m_api;
};

} // namespace syncdesk::api
