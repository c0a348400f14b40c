#pragma once

#include "api/apiconfig.h"
#include "core/result.h"
#include "sync/liveevent.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace syncdesk {
class ConnectionProvider;
class DataSyncService;
} // namespace syncdesk

namespace syncdesk::api {

class ApiMetrics;
class ApiServer;

// The REST API as the rest of SyncDesk starts and stops it: its own thread (QtHttpServer, the guards
// and the live stream live there), worker threads for requests that use the database, the engine's
// live events and batch results wired to the stream and the metrics. start() refuses to serve without
// credentials on anything but a loopback address; stop() stops accepting, lets requests in flight
// finish (up to `drainMs`), then closes the connections. Lives on the main thread.
class HttpApi : public QObject
{
    Q_OBJECT

public:
    HttpApi(ApiConfig config, DataSyncService *engine, std::shared_ptr<ConnectionProvider> backend, QObject *parent = nullptr);
    ~HttpApi() override;

    Status start();
    void stop(int drainMs = 10000);

    quint16 port() const { return m_port; }
    QString url() const;
    bool openMode() const { return m_openMode; }
    // The server, for tests that look at its routes (owned by the HTTP thread).
    const ApiServer *server() const { return m_server; }

private:
    ApiConfig m_config;
    DataSyncService *m_engine;
    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ApiMetrics> m_metrics;
    QThread m_thread;
    ApiServer *m_server = nullptr;
    quint16 m_port = 0;
    bool m_openMode = false;
};

} // namespace syncdesk::api
