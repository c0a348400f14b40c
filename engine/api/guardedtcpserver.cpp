#include "api/guardedtcpserver.h"

#include "api/apilogging.h"
#include "api/apiresponse.h"
#include "api/connectionregistry.h"
#include "api/requestid.h"

#include <QDateTime>
#include <QSslSocket>

#include <sys/socket.h>
#include <unistd.h>

namespace syncdesk::api {

namespace {

// Room above the largest request that is allowed, so a request at the limit still fits.
constexpr qint64 kReadBufferSlack = 64 * 1024;

} // namespace

GuardedTcpServer::GuardedTcpServer(Options options, QObject *parent)
    : QTcpServer(parent)
    , m_options(std::move(options))
    , m_registry(std::make_shared<ConnectionRegistry>(m_options.maxConnections, m_options.maxConnectionsPerClient))
{
    m_sweepTimer.setInterval(std::clamp<qint64>(std::min(m_options.limits.idleTimeoutMs, m_options.limits.requestTimeoutMs) / 4, 20, 500));
    connect(&m_sweepTimer, &QTimer::timeout, this, &GuardedTcpServer::sweep);
    // Bursts of connections wait in the kernel's queue rather than being dropped half-open.
    setListenBacklogSize(std::clamp(m_options.maxConnections, 50, 1024));
    m_registry->setRefusalObserver(m_options.onRefused);
    m_sweepTimer.start();
}

GuardedTcpServer::~GuardedTcpServer() = default;

void GuardedTcpServer::incomingConnection(qintptr handle)
{
    // Counted before any socket object exists: a refused connection costs one send() and one close(),
    // so a flood of connections cannot pile up sockets, buffers or file descriptors.
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    QHostAddress address;
    if (::getpeername(int(handle), reinterpret_cast<sockaddr *>(&peer), &length) == 0)
        address.setAddress(reinterpret_cast<const sockaddr *>(&peer));
    const QString client = ConnectionRegistry::clientKey(address);
    auto admission = m_registry->admit(client);
    // Full: an idle connection, or the one whose request is arriving most slowly, makes room rather
    // than the newcomer being turned away (so idle or trickling clients cannot hold every place).
    if (admission == ConnectionRegistry::Admission::TooMany && m_registry->evictOne(QDateTime::currentMSecsSinceEpoch()))
        admission = m_registry->admit(client);
    if (admission == ConnectionRegistry::Admission::TooMany)
        m_registry->count(QStringLiteral("too_many_connections"));
    if (admission != ConnectionRegistry::Admission::Accepted) {
        qCDebug(lcApiAccess).noquote() << client << "connection refused:"
                                       << (admission == ConnectionRegistry::Admission::TooMany ? "too many connections"
                                                                                               : "too many from this client");
        if (!m_options.tls) { // a TLS client gets no answer: it would need a handshake first
            const ApiError error = admission == ConnectionRegistry::Admission::TooMany
                                       ? ApiError::unavailable(QStringLiteral("the server has too many open connections"))
                                       : ApiError::tooManyRequests(QStringLiteral("too many open connections from this address"), 1);
            const QByteArray answer = ApiResponse::error(error).toHttp(RequestId::generate(), true);
            [[maybe_unused]] const ssize_t sent = ::send(int(handle), answer.constData(), size_t(answer.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
            ::shutdown(int(handle), SHUT_WR);
        }
        ::close(int(handle));
        return;
    }
    QTcpSocket *socket = m_options.tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        qCWarning(lcApi).noquote() << "could not take a new connection:" << socket->errorString();
        m_registry->release(client);
        delete socket;
        ::close(int(handle));
        return;
    }
    const GuardLimits &limits = m_options.limits;
    // Each response goes out in one write: Nagle's algorithm would only delay it.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setReadBufferSize(limits.framing.maxHeaderBytes + limits.framing.maxBodyBytes + kReadBufferSlack);
    auto *guard = new ConnectionGuard(socket, limits, m_registry, client);
    if (m_options.tls) {
        auto *tlsSocket = static_cast<QSslSocket *>(socket);
        tlsSocket->setSslConfiguration(*m_options.tls);
        connect(tlsSocket, &QSslSocket::sslErrors, tlsSocket, [tlsSocket, client](const QList<QSslError> &errors) {
            qCDebug(lcApiAccess).noquote() << client << "TLS errors:" << errors.size();
            tlsSocket->abort();
        });
        tlsSocket->startServerEncryption();
    }
    // QtHttpServer takes the socket here (pendingConnectionAvailable is delivered directly) ...
    addPendingConnection(socket);
    // ... so its readyRead slot is connected now, and the guard's second slot goes after it.
    guard->attachAfterServer();
}

void GuardedTcpServer::sweep()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (ConnectionGuard *guard : m_registry->guards())
        guard->sweep(now);
}

void GuardedTcpServer::closeConnectionsWhenIdle()
{
    for (ConnectionGuard *guard : m_registry->guards())
        guard->closeWhenIdle();
}

} // namespace syncdesk::api
