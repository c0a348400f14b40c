#include "api/apiserver.h"

#include "api/apilogging.h"
#include "api/apirequest.h"
#include "api/auditlog.h"
#include "api/connectionregistry.h"
#include "api/controllers/apikeycontroller.h"
#include "api/controllers/auditcontroller.h"
#include "api/controllers/conflictcontroller.h"
#include "api/controllers/consistencycontroller.h"
#include "api/controllers/conversationcontroller.h"
#include "api/controllers/eventcontroller.h"
#include "api/controllers/searchcontroller.h"
#include "api/controllers/statuscontroller.h"
#include "api/controllers/ticketcontroller.h"
#include "api/controllers/usercontroller.h"
#include "api/guardedtcpserver.h"
#include "api/livestream.h"
#include "api/requestid.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QTcpSocket>

namespace syncdesk::api {

namespace {

const QString kStreamAction = QStringLiteral("events.stream");
// Refusals counted in memory are written to the audit log this often.
constexpr int kRefusalFlushMs = 1000;

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put: return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete: return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post: return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head: return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options: return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch: return QByteArrayLiteral("PATCH");
    default: return QByteArrayLiteral("UNKNOWN");
    }
}

bool isWebSocketUpgrade(const ApiRequest &request)
{
    return request.header("upgrade").compare("websocket", Qt::CaseInsensitive) == 0
           && request.header("connection").toLower().contains("upgrade");
}

QString targetOf(const ApiRequest &request)
{
    QStringList parts;
    for (auto it = request.ids.cbegin(); it != request.ids.cend(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    return parts.join(QLatin1Char(','));
}

// localhost, 127.0.0.1 or [::1], with or without a port.
bool isLoopbackHost(const QByteArray &host)
{
    qsizetype end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':');
    if (end <= 0)
        end = host.size();
    const QByteArray name = host.left(end).toLower();
    const QByteArray port = host.mid(end);
    const bool portOk = port.isEmpty()
                        || (port.size() >= 2 && port.size() <= 6 && port.startsWith(':')
                            && std::all_of(port.cbegin() + 1, port.cend(), [](char c) { return c >= '0' && c <= '9'; }));
    return portOk && (name == "localhost" || name == "127.0.0.1" || name == "[::1]");
}

// Open local mode trusts everyone on this machine. A web page in the admin's browser is not on this
// machine, even when a DNS name its site controls is rebound to 127.0.0.1 (and then no Origin check
// applies, the page being same-origin with itself): browsers send that name as Host, and say where a
// request comes from in Sec-Fetch-Site.
void checkLocalCaller(const ApiRequest &request)
{
    const QByteArray host = request.header("host");
    if (!isLoopbackHost(host))
        throw ApiError::forbidden(QStringLiteral("open local mode only answers requests addressed to localhost, 127.0.0.1 or [::1], "
                                                 "not '%1'")
                                      .arg(QString::fromLatin1(host.left(100))),
                                  QStringLiteral("host_not_allowed"));
    if (request.header("sec-fetch-site").compare("cross-site", Qt::CaseInsensitive) == 0)
        throw ApiError::forbidden(QStringLiteral("open local mode does not answer cross-site requests of a browser"),
                                  QStringLiteral("cross_site_request"));
}

// A body is JSON, and says so: a browser form or a text/plain "simple request" cannot pass for one.
bool isJsonMediaType(const QByteArray &contentType)
{
    const QList<QByteArray> parts = contentType.split(';');
    if (parts.constFirst().trimmed().toLower() != "application/json")
        return false;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray parameter = parts.at(i).trimmed().toLower();
        if (parameter.startsWith("charset=") && parameter != "charset=utf-8" && parameter != "charset=\"utf-8\"")
            return false;
    }
    return true;
}

} // namespace

ApiServer::ApiServer(ApiContext context, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_context(std::move(context))
    , m_authenticator(JwtCodec(m_context.config.jwt), m_context.keys, m_context.access, m_context.config.loopback())
    , m_clientLimiter(m_context.config.clientRate, m_context.config.clientBurst)
    , m_credentialLimiter(m_context.config.credentialRate, m_context.config.credentialBurst)
    , m_cors(m_context.config.corsOrigins)
{
    m_workers.setObjectName(QStringLiteral("sync-http-workers"));
    m_workers.setMaxThreadCount(m_context.config.workers);
    m_workers.setExpiryTimeout(-1); // threads keep their database connections
    m_context.serverGauges = [this]() { return gauges(); };
    m_controllers.push_back(std::make_unique<StatusController>(m_context));
    m_controllers.push_back(std::make_unique<ConsistencyController>(m_context));
    m_controllers.push_back(std::make_unique<ConversationController>(m_context));
    m_controllers.push_back(std::make_unique<TicketController>(m_context));
    m_controllers.push_back(std::make_unique<UserController>(m_context));
    m_controllers.push_back(std::make_unique<EventController>(m_context));
    m_controllers.push_back(std::make_unique<ConflictController>(m_context));
    m_controllers.push_back(std::make_unique<SearchController>(m_context));
    m_controllers.push_back(std::make_unique<AuditController>(m_context));
    m_controllers.push_back(std::make_unique<ApiKeyController>(m_context));
    for (const auto &controller : m_controllers)
        controller->addRoutes(m_router);
    m_stream = new LiveStream(this, m_context.config.maxStreamClients, this);
    m_auditFlush.setInterval(kRefusalFlushMs);
    connect(&m_auditFlush, &QTimer::timeout, this, &ApiServer::flushRefusals);
    if (m_context.audit)
        m_auditFlush.start();
}

ApiServer::~ApiServer()
{
    m_auditFlush.stop();
    flushRefusals();
    m_workers.waitForDone();
}

void ApiServer::flushRefusals()
{
    if (!m_context.audit || !m_context.audit->hasRefusals())
        return;
    m_workers.start([audit = m_context.audit]() {
        if (Status written = audit->flushRefusals(); !written)
            qCWarning(lcApi).noquote() << "could not write refusals to the audit log (kept for the next try):" << written.error();
    });
}

Status ApiServer::listen()
{
    GuardedTcpServer::Options options;
    options.limits = m_context.config.limits;
    options.maxConnections = m_context.config.maxConnections;
    options.maxConnectionsPerClient = m_context.config.maxConnectionsPerClient;
    options.tls = m_context.config.tls;
    // The guards may outlive the server (they die with their sockets).
    options.onRefused = [server = QPointer<ApiServer>(this)](const RefusedRequest &refused) {
        if (server)
            server->auditRefusal(refused);
    };
    auto *tcp = new GuardedTcpServer(options, this);
    if (!tcp->listen(m_context.config.bindAddress, m_context.config.port)) {
        const QString error = tcp->errorString();
        delete tcp;
        return Status::failure(QStringLiteral("the REST API cannot listen on %1: %2 (set SYNC_HTTP_PORT or SYNC_HTTP_BIND, or "
                                              "pass --no-http)")
                                   .arg(m_context.config.displayAddress(), error));
    }
    m_tcp = tcp;
    bind(tcp);
    return Status::success();
}

quint16 ApiServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

void ApiServer::stopAccepting()
{
    m_draining = true;
    if (m_tcp)
        m_tcp->close();
}

void ApiServer::closeConnections()
{
    m_stream->closeAll();
    if (m_tcp)
        m_tcp->closeConnectionsWhenIdle();
}

void ApiServer::publish(const LiveEvents &events)
{
    m_context.metrics->recordLiveEvents(events);
    m_stream->publish(events);
}

int ApiServer::openConnections() const
{
    return m_tcp ? m_tcp->registry()->open() : 0;
}

ApiMetrics::ServerGauges ApiServer::gauges() const
{
    ApiMetrics::ServerGauges gauges;
    if (m_tcp) {
        gauges.openConnections = m_tcp->registry()->open();
        gauges.refusals = m_tcp->registry()->refusals();
    }
    gauges.streamClients = m_stream->clients();
    return gauges;
}

std::shared_ptr<ApiRequest> ApiServer::snapshot(const QHttpServerRequest &request) const
{
    auto call = std::make_shared<ApiRequest>();
    call->receivedMs = QDateTime::currentMSecsSinceEpoch();
    call->method = methodName(request.method());
    const QUrl url = request.url();
    const QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    call->path = QString::fromLatin1(path);
    if (auto segments = ApiRequest::decodePath(path))
        call->segments = *segments;
    else
        call->malformed = ApiError::badRequest(QStringLiteral("the path is not valid percent-encoded UTF-8"), QStringLiteral("invalid_encoding"));
    if (auto query = ApiRequest::decodeQuery(url.query(QUrl::FullyEncoded).toLatin1()))
        call->query = *query;
    else
        call->malformed = ApiError::badRequest(QStringLiteral("the query is not valid percent-encoded UTF-8 (at most 50 parameters)"),
                                               QStringLiteral("invalid_encoding"));
    const auto headers = request.headers();
    call->headers.reserve(headers.size());
    for (const auto &[name, value] : headers)
        call->headers.append({name.toLower(), value});
    call->body = request.body();
    call->client = ConnectionRegistry::clientKey(request.remoteAddress());
    call->requestId = RequestId::generate();
    call->clientRequestId = RequestId::fromClient(call->header("x-request-id"));
    return call;
}

std::optional<ApiResponse> ApiServer::admit(ApiRequest &request)
{
    try {
        const qint64 now = request.receivedMs;
        // The route is known first, so that every refusal of an audited route is audited.
        const Router::Match match = m_router.match(request.method, request.segments);
        request.route = match.route;
        if (const int wait = m_clientLimiter.take(request.client, now); wait > 0)
            throw ApiError::tooManyRequests(QStringLiteral("too many requests from %1; retry in %2 s").arg(request.client).arg(wait), wait);
        const QByteArray origin = request.header("origin");
        if (!origin.isEmpty() && !m_cors.allows(origin))
            throw ApiError::forbidden(QStringLiteral("the origin %1 is not allowed (SYNC_CORS_ORIGINS)").arg(QString::fromUtf8(origin)),
                                      QStringLiteral("origin_not_allowed"));
        if (request.malformed)
            throw *request.malformed;
        if (request.method == "OPTIONS") {
            // Preflights and OPTIONS need no credentials: browsers send none with them.
            if (match.kind == Router::Match::Kind::NotFound)
                throw ApiError::notFound(QStringLiteral("no such path: %1").arg(request.path));
            ApiResponse response = ApiResponse::noContent();
            response.header(QByteArrayLiteral("Allow"), (match.allowed + QStringList{QStringLiteral("OPTIONS")}).join(QStringLiteral(", ")).toLatin1());
            if (!origin.isEmpty())
                response.headers << m_cors.preflightHeaders(origin, match.allowed);
            return response;
        }
        const bool publicRoute = match.route ? match.route->permission == Permission::Public : match.publicPath;
        if (!publicRoute) {
            const QByteArray token = request.query.value(QStringLiteral("access_token")).toUtf8();
            const bool streamRoute = match.route && match.route->action == kStreamAction;
            request.principal = m_authenticator.authenticate(request.header("authorization"), request.header("x-api-key"),
                                                             streamRoute ? token : QByteArray(), now);
            if (request.principal.kind == Principal::Kind::Local)
                checkLocalCaller(request);
        }
        if (match.kind == Router::Match::Kind::NotFound)
            throw ApiError::notFound(QStringLiteral("no such path: %1").arg(request.path));
        if (match.kind == Router::Match::Kind::MethodNotAllowed)
            throw ApiError::methodNotAllowed(match.allowed);
        const Route &route = *match.route;
        if (!publicRoute && !Permissions::allows(request.principal.role, route.permission))
            throw ApiError::forbidden(QStringLiteral("%1 needs the %2 role; %3 has %4")
                                          .arg(route.label(), roleName(Permissions::leastRole(route.permission)),
                                               request.principal.subject, roleName(request.principal.role)));
        if (!publicRoute && request.principal.kind != Principal::Kind::Local) {
            if (const int wait = m_credentialLimiter.take(request.principal.rateKey(), now); wait > 0)
                throw ApiError::tooManyRequests(QStringLiteral("too many requests with these credentials; retry in %1 s").arg(wait), wait);
        }
        for (auto it = request.query.cbegin(); it != request.query.cend(); ++it) {
            if (!route.queryParameters.contains(it.key()))
                throw ApiError::badRequest(route.queryParameters.isEmpty()
                                               ? QStringLiteral("%1 takes no query parameters").arg(route.label())
                                               : QStringLiteral("unknown query parameter '%1'; %2 takes %3")
                                                     .arg(it.key(), route.label(), route.queryParameters.join(QStringLiteral(", "))),
                                           QStringLiteral("invalid_parameter"));
        }
        for (auto it = match.params.cbegin(); it != match.params.cend(); ++it) {
            bool ok = false;
            const qint64 id = it.value().toLongLong(&ok);
            if (!ok || id < 1 || it.value() != QString::number(id))
                throw ApiError::badRequest(QStringLiteral("%1 '%2' is not a positive whole number").arg(it.key(), it.value()),
                                           QStringLiteral("invalid_id"));
            request.ids.insert(it.key(), id);
        }
        if (!request.body.isEmpty() && !isJsonMediaType(request.header("content-type")))
            throw ApiError::unsupportedMediaType(QStringLiteral("a request body must be JSON sent with Content-Type: "
                                                                "application/json, not '%1'")
                                                     .arg(QString::fromLatin1(request.header("content-type").left(100))));
        return std::nullopt;
    } catch (const ApiError &error) {
        return ApiResponse::error(error);
    }
}

ApiResponse ApiServer::invoke(const ApiRequest &request) const
{
    try {
        return request.route->handler(request);
    } catch (const ApiError &error) {
        if (error.kind() == ApiError::Kind::Internal)
            qCWarning(lcApi).noquote() << request.method << request.path << "failed:" << error.message();
        return ApiResponse::error(error);
    } catch (const std::exception &exception) {
        qCCritical(lcApi).noquote() << request.method << request.path << "threw:" << exception.what();
        return ApiResponse::error(ApiError::internal(QStringLiteral("the request failed unexpectedly")));
    }
}

AuditEntry ApiServer::auditEntry(const ApiRequest &request, const ApiResponse &response) const
{
    AuditEntry entry;
    const bool authenticated = !request.principal.subject.isEmpty();
    entry.actor = authenticated ? request.principal.subject : QStringLiteral("anonymous");
    entry.role = authenticated ? roleName(request.principal.role) : QString();
    entry.action = request.route ? request.route->action : QStringLiteral("unknown");
    entry.target = targetOf(request);
    entry.status = response.status;
    entry.result = AuditEntry::resultOf(response.status);
    entry.clientAddress = request.client;
    entry.requestId = QString::fromLatin1(request.requestId);
    entry.clientRequestId = QString::fromLatin1(request.clientRequestId);
    entry.details = QJsonObject{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                                {QStringLiteral("path"), request.path},
                                {QStringLiteral("status"), response.status}};
    if (response.status >= 400) {
        const QJsonObject error = QJsonDocument::fromJson(response.body).object().value(QStringLiteral("error")).toObject();
        entry.details.insert(QStringLiteral("error"), error.value(QStringLiteral("code")));
        entry.details.insert(QStringLiteral("message"), error.value(QStringLiteral("message")));
    }
    return entry;
}

void ApiServer::audit(const ApiRequest &request, const ApiResponse &response) const
{
    if (Status written = m_context.audit->record(auditEntry(request, response)); !written)
        qCWarning(lcApi).noquote() << "could not write the audit log:" << written.error();
}

void ApiServer::auditRefusal(const ApiRequest &request, const ApiResponse &response) const
{
    if (m_context.audit && request.route && request.route->audited)
        m_context.audit->countRefusal(auditEntry(request, response));
}

void ApiServer::auditRefusal(const RefusedRequest &refused) const
{
    // What the guard knew: the request line, when it had arrived. Only refusals of audited routes count.
    if (!m_context.audit || refused.method.isEmpty())
        return;
    const qsizetype query = refused.target.indexOf('?');
    const auto segments = ApiRequest::decodePath(query < 0 ? refused.target : refused.target.left(query));
    if (!segments)
        return;
    const Router::Match match = m_router.match(refused.method, *segments);
    if (!match.route || !match.route->audited)
        return;
    ApiRequest request;
    request.method = refused.method;
    request.path = QString::fromLatin1(refused.target.left(query < 0 ? refused.target.size() : query));
    request.route = match.route;
    request.client = refused.client;
    request.requestId = refused.requestId;
    for (auto it = match.params.cbegin(); it != match.params.cend(); ++it) {
        if (const qint64 id = it.value().toLongLong(); id > 0)
            request.ids.insert(it.key(), id);
    }
    auditRefusal(request, ApiResponse::error(refused.error));
}

bool ApiServer::handleRequest(const QHttpServerRequest &qtRequest, QTcpSocket *socket)
{
    std::shared_ptr<ApiRequest> request = snapshot(qtRequest);
    if (isWebSocketUpgrade(*request)) {
        // QtHttpServer upgrades when this returns true; otherwise it calls missingHandler and closes.
        std::optional<ApiResponse> refusal = admit(*request);
        if (!refusal && request->route->action != kStreamAction)
            refusal = ApiResponse::error(ApiError::badRequest(QStringLiteral("only /api/sync/events/stream is a WebSocket"),
                                                              QStringLiteral("websocket_not_here")));
        if (!refusal) {
            if (auto problem = LiveStream::check(request->query))
                refusal = ApiResponse::error(*problem);
        }
        if (refusal) {
            m_refusedUpgrade = qMakePair(request, *refusal);
            return false;
        }
        m_context.metrics->recordRequest(request->route->label(), 101, 0);
        return true;
    }
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    const ConnectionGuard::Ticket ticket = guard ? guard->takeRequest() : ConnectionGuard::Ticket{};
    const QPointer<QTcpSocket> target(socket);
    if (guard && !ticket.framed) {
        // QtHttpServer found a request where the guard's stricter framing did not: its bytes mean
        // different things to the two, and its answer might never be sent. It is not run.
        guard->refuse(ApiError::badRequest(QStringLiteral("malformed HTTP request: the request could not be framed unambiguously"),
                                           QStringLiteral("malformed_request")),
                      QStringLiteral("unframed"));
        return true;
    }
    if (std::optional<ApiResponse> early = admit(*request)) {
        // Refused before its handler: counted in the audit log's aggregated refusals (throttled floods
        // included), which costs no query here.
        auditRefusal(*request, *early);
        respond(target, ticket, request, *early);
        return true;
    }
    if (request->route->onHttpThread) {
        respond(target, ticket, request, invoke(*request));
        return true;
    }
    answerFromWorker(target, ticket, request, [this, request]() {
        ApiResponse response = invoke(*request);
        if (request->route->audited)
            audit(*request, response);
        return response;
    });
    return true;
}

void ApiServer::answerFromWorker(const QPointer<QTcpSocket> &target, const ConnectionGuard::Ticket &ticket,
                                 const std::shared_ptr<ApiRequest> &request,
                                 std::function<ApiResponse()> produce)
{
    ++m_inFlight;
    m_workers.start([this, target, ticket, request, produce = std::move(produce)]() {
        ApiResponse response = produce();
        QMetaObject::invokeMethod(
            this,
            [this, target, ticket, request, response = std::move(response)]() {
                respond(target, ticket, request, response);
                --m_inFlight;
            },
            Qt::QueuedConnection);
    });
}

void ApiServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    // Only refused WebSocket handshakes end here (every other request is handled).
    if (!m_refusedUpgrade || !socket)
        return;
    const auto [request, response] = *m_refusedUpgrade;
    m_refusedUpgrade.reset();
    auditRefusal(*request, response);
    socket->write(response.toHttp(request->requestId, true));
    m_context.metrics->recordRequest(request->route ? request->route->label() : QStringLiteral("unmatched"), response.status,
                                     double(QDateTime::currentMSecsSinceEpoch() - request->receivedMs) / 1000.0);
}

void ApiServer::respond(const QPointer<QTcpSocket> &socket, ConnectionGuard::Ticket ticket, const std::shared_ptr<ApiRequest> &request,
                        ApiResponse response)
{
    const QByteArray origin = request->header("origin");
    if (!origin.isEmpty() && m_cors.allows(origin) && request->method != "OPTIONS")
        response.headers << m_cors.responseHeaders(origin);
    response.omitBody = request->method == "HEAD";
    const bool close = ticket.close || m_draining;
    const double seconds = double(QDateTime::currentMSecsSinceEpoch() - request->receivedMs) / 1000.0;
    const QString route = request->route ? request->route->label() : QStringLiteral("unmatched");
    m_context.metrics->recordRequest(route, response.status, seconds);
    qCDebug(lcApiAccess).noquote() << request->client << request->method << request->path << response.status
                                   << QStringLiteral("%1ms").arg(seconds * 1000.0, 0, 'f', 1) << request->principal.subject
                                   << request->requestId << request->clientRequestId;
    if (!socket)
        return;
    const QByteArray bytes = response.toHttp(request->requestId, close);
    if (ConnectionGuard *guard = ConnectionGuard::of(socket)) {
        guard->deliver(ticket.sequence, bytes, close);
    } else {
        socket->write(bytes);
        if (close)
            socket->disconnectFromHost();
    }
}

} // namespace syncdesk::api
