#pragma once

#include "api/apicontext.h"
#include "api/auditlog.h"
#include "api/authenticator.h"
#include "api/connectionguard.h"
#include "api/connectionregistry.h"
#include "api/corspolicy.h"
#include "api/ratelimiter.h"
#include "api/router.h"
#include "core/result.h"

#include <QAbstractHttpServer>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace syncdesk::api {

class Controller;
class GuardedTcpServer;
class LiveStream;
struct ApiRequest;

// The REST API on QtHttpServer 6.4 (QAbstractHttpServer: one dispatch function, our own router). Every
// request passes one pipeline: client rate limit, CORS origin, route, authentication, 404/405,
// permission, credential rate limit, input checks; then its handler, on this (the HTTP) thread when it
// answers from memory, otherwise on a worker thread with its own database connections, the response
// coming back here to be written in request order. Errors of any layer become responses in one place
// (ApiResponse::error). Mutating requests are written to the audit log before they are answered;
// refusals of them (here or in the connection guards) are counted and written aggregated.
// Lives on the HTTP thread.
class ApiServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit ApiServer(ApiContext context, QObject *parent = nullptr);
    ~ApiServer() override;

    // Listens on the configured address (guarded, TLS when configured); a failure names the address.
    Status listen();
    quint16 port() const;
    const Router &router() const { return m_router; }

    // Shutdown: stop accepting, then let requests in flight finish, then close every connection.
    void stopAccepting();
    int inFlight() const { return m_inFlight.load(); }
    int openConnections() const; // any thread
    void closeConnections();

    void publish(const syncdesk::LiveEvents &events);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    std::shared_ptr<ApiRequest> snapshot(const QHttpServerRequest &request) const;
    // Everything before the handler; a response when the request ends here.
    std::optional<ApiResponse> admit(ApiRequest &request);
    ApiResponse invoke(const ApiRequest &request) const;
    AuditEntry auditEntry(const ApiRequest &request, const ApiResponse &response) const;
    void audit(const ApiRequest &request, const ApiResponse &response) const;
    // Refusals of audited routes, counted for the audit log's aggregated rows.
    void auditRefusal(const ApiRequest &request, const ApiResponse &response) const;
    void auditRefusal(const RefusedRequest &refused) const;
    void flushRefusals();
    void respond(const QPointer<QTcpSocket> &socket, ConnectionGuard::Ticket ticket, const std::shared_ptr<ApiRequest> &request,
                 ApiResponse response);
    // Runs produce (SQL, so never on the HTTP thread) on a worker and answers with its response.
    void answerFromWorker(const QPointer<QTcpSocket> &target, const ConnectionGuard::Ticket &ticket,
                          const std::shared_ptr<ApiRequest> &request, std::function<ApiResponse()> produce);
    ApiMetrics::ServerGauges gauges() const;

    ApiContext m_context;
    Router m_router;
    std::vector<std::unique_ptr<Controller>> m_controllers;
    Authenticator m_authenticator;
    RateLimiter m_clientLimiter;
    RateLimiter m_credentialLimiter;
    CorsPolicy m_cors;
    QThreadPool m_workers;
    std::atomic_int m_inFlight{0};
    std::atomic_int m_streamClients{0};
    GuardedTcpServer *m_tcp = nullptr;
    LiveStream *m_stream = nullptr;
    QTimer m_auditFlush;
    bool m_draining = false;
    std::optional<QPair<std::shared_ptr<ApiRequest>, ApiResponse>> m_refusedUpgrade;
};

} // namespace syncdesk::api
