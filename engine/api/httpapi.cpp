#include "api/httpapi.h"

#include "api/apilogging.h"
#include "api/apimetrics.h"
#include "api/apiserver.h"
#include "api/auditlog.h"
#include "api/connectionregistry.h"
#include "auth/apiaccess.h"
#include "auth/apikeystore.h"
#include "database/connectionprovider.h"
#include "service/datasyncservice.h"

#include <QElapsedTimer>

namespace syncdesk::api {

namespace {

// Connections of the API's worker threads: read queries are cut off after 30 s (a search over a huge
// table must not hold a worker for ever); the audit log and API key bookkeeping do not wait for the
// disk flush of each row (losing the last rows on a crash is acceptable, slowing every request is not).
std::shared_ptr<ConnectionProvider> withOptions(const DatabaseUrl &base, const QString &options, const QString &role)
{
    const QString combined = (base.parameter(QStringLiteral("options")) + QLatin1Char(' ') + options).trimmed();
    return std::make_shared<ConnectionProvider>(base.withParameter(QStringLiteral("options"), combined), role);
}

void waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs)
        QThread::msleep(5);
}

} // namespace

HttpApi::HttpApi(ApiConfig config, DataSyncService *engine, std::shared_ptr<ConnectionProvider> backend, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_engine(engine)
    , m_backend(std::move(backend))
    , m_metrics(std::make_shared<ApiMetrics>())
{
}

HttpApi::~HttpApi()
{
    stop();
}

QString HttpApi::url() const
{
    ApiConfig shown = m_config;
    shown.port = m_port;
    return shown.displayAddress();
}

Status HttpApi::start()
{
    if (m_server)
        return Status::success();
    ApiContext context;
    context.engine = m_engine;
    context.backend = withOptions(m_backend->url(), QStringLiteral("-c statement_timeout=30000"), QStringLiteral("api"));
    if (m_engine && m_engine->dashboardConnections() != m_engine->backendConnections())
        context.dashboard = withOptions(m_engine->dashboardConnections()->url(), QStringLiteral("-c statement_timeout=30000"),
                                        QStringLiteral("api-dashboard"));
    context.bookkeeping = withOptions(m_backend->url(), QStringLiteral("-c synchronous_commit=off"), QStringLiteral("api-audit"));
    context.keys = std::make_shared<ApiKeyStore>(context.bookkeeping);
    context.access = std::make_shared<ApiAccess>(context.bookkeeping);
    context.audit = std::make_shared<AuditLog>(context.bookkeeping);
    context.metrics = m_metrics;
    context.config = m_config;

    m_thread.setObjectName(QStringLiteral("sync-http"));
    m_thread.start();
    auto *anchor = new QObject;
    anchor->moveToThread(&m_thread);
    Status started = Status::success();
    bool openMode = false;
    // Built on the HTTP thread, where its sockets must live; the key count is read there too (the
    // window's thread never runs SQL).
    QMetaObject::invokeMethod(
        anchor,
        [&]() {
            if (m_config.jwt.secret.isEmpty()) {
                auto access = context.access->state();
                if (!access) {
                    started = Status::failure(QStringLiteral("the REST API cannot read its API keys: %1").arg(access.error()));
                    return;
                }
                openMode = access->activeKeys == 0 && !access->closed;
                if (access->activeKeys == 0 && access->closed)
                    qCWarning(lcApi).noquote() << QStringLiteral("the REST API is closed: no JWT secret and no API key are "
                                                                 "configured, but credentials existed (%1); create an API key, "
                                                                 "or reopen open local mode with 'syncdesk --reopen-open-mode'")
                                                      .arg(access->reason);
            } else if (auto closed = context.access->close(QStringLiteral("syncdesk"), QStringLiteral("the REST API ran with a JWT secret"));
                       !closed) {
                started = Status::failure(QStringLiteral("the REST API cannot record its access state: %1").arg(closed.error()));
                return;
            } else if (closed.value()) {
                qCInfo(lcApi) << "open local mode is closed for good: the REST API runs with a JWT secret (reopen it with "
                                 "'syncdesk --reopen-open-mode')";
            }
            if (openMode && !m_config.loopback()) {
                started = Status::failure(QStringLiteral("the REST API would run without credentials on %1: set SYNC_JWT_SECRET "
                                                         "(or SYNC_JWT_SECRET_FILE) or create an API key (syncdesk api-key create), "
                                                         "or bind it to a loopback address such as 127.0.0.1")
                                              .arg(m_config.displayAddress()));
                return;
            }
            auto *server = new ApiServer(context);
            if (Status listening = server->listen(); !listening) {
                delete server;
                started = listening;
                return;
            }
            m_server = server;
            m_port = server->port();
        },
        Qt::BlockingQueuedConnection);
    anchor->deleteLater();
    if (!started) {
        m_thread.quit();
        m_thread.wait();
        return started;
    }
    m_openMode = openMode;
    if (m_engine) {
        connect(m_engine, &DataSyncService::liveEvents, m_server, &ApiServer::publish);
        connect(m_engine, &DataSyncService::batchFinished, this, [metrics = m_metrics](const BatchOutcome &outcome) {
            metrics->recordBatch(outcome);
        });
    }
    qCInfo(lcApi).noquote() << "REST API listening on" << url() << QStringLiteral("(%1 workers)").arg(m_config.workers);
    if (m_openMode)
        qCWarning(lcApi).noquote() << "the REST API runs in open local mode: no JWT secret and no API key are configured, so "
                                      "anyone on this machine can call it; set SYNC_JWT_SECRET or create a key with "
                                      "'syncdesk api-key create'";
    return Status::success();
}

void HttpApi::stop(int drainMs)
{
    if (!m_server)
        return;
    ApiServer *server = m_server;
    if (m_engine)
        disconnect(m_engine, nullptr, server, nullptr);
    QMetaObject::invokeMethod(server, [server]() { server->stopAccepting(); }, Qt::BlockingQueuedConnection);
    // Requests in flight finish and are answered (the HTTP thread keeps running meanwhile).
    waitUntil([server]() { return server->inFlight() == 0; }, drainMs);
    QMetaObject::invokeMethod(server, [server]() { server->closeConnections(); }, Qt::BlockingQueuedConnection);
    waitUntil([server]() { return server->openConnections() == 0; }, 2000);
    QMetaObject::invokeMethod(server, [server]() { delete server; }, Qt::BlockingQueuedConnection);
    m_server = nullptr;
    m_thread.quit();
    m_thread.wait();
    qCInfo(lcApi) << "REST API stopped";
}

} // namespace syncdesk::api
