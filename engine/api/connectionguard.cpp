#include "api/connectionguard.h"

#include "api/apilogging.h"
#include "api/apiresponse.h"
#include "api/connectionregistry.h"
#include "api/requestid.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

namespace syncdesk::api {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A closing connection whose client does not take the last bytes is cut after this long.
constexpr qint64 kLingerMs = 5000;
// What a refused client may still send before the connection is cut.
constexpr qint64 kMaxDiscardBytes = 4 * 1024 * 1024;

} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const GuardLimits &limits, std::shared_ptr<ConnectionRegistry> registry,
                                 QString client)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_registry(std::move(registry))
    , m_client(std::move(client))
    , m_framer(limits.framing)
{
    setObjectName(QStringLiteral("connection-guard"));
    m_lastActivityMs = nowMs();
    m_registry->add(this);
    m_framer.onHead = [this](const RequestFramer::Head &head) {
        // QtHttpServer 6.4 never says "100 Continue"; clients such as curl would wait a second for it.
        const bool nothingPending = m_requestsInFlight == 0 && m_completedKeepAlive.isEmpty();
        if (head.expectContinue && (head.contentLength > 0 || head.chunked) && nothingPending && m_socket)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    };
    m_framer.onComplete = [this](const RequestFramer::Head &head) {
        m_completedKeepAlive.append(head.keepAlive);
        m_requestStartedMs = -1;
    };
    // Connected before QtHttpServer takes the socket, so this slot sees every byte before it does.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QIODevice::bytesWritten, this, [this]() {
        m_writeStalledSinceMs = -1;
        m_lastActivityMs = nowMs();
    });
}

ConnectionGuard::~ConnectionGuard()
{
    m_registry->remove(this);
    m_registry->release(m_client);
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QStringLiteral("connection-guard"), Qt::FindDirectChildrenOnly) : nullptr;
}

void ConnectionGuard::attachAfterServer()
{
    connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::onAfterReadyRead);
}

void ConnectionGuard::onReadyRead()
{
    if (m_refused || !m_socket)
        return;
    const qint64 available = m_socket->bytesAvailable();
    const qint64 fresh = available - m_unreadFed;
    m_unreadFed = available;
    if (fresh <= 0)
        return;
    const qint64 now = nowMs();
    m_lastActivityMs = now;
    if (!m_framer.inRequest())
        m_requestStartedMs = now;
    const QByteArray bytes = m_socket->peek(available);
    if (auto problem = m_framer.feed(QByteArrayView(bytes).sliced(bytes.size() - fresh))) {
        refuse(*problem, problem->code());
        return;
    }
    if (m_framer.inRequest() && m_requestStartedMs < 0)
        m_requestStartedMs = now;
}

void ConnectionGuard::onAfterReadyRead()
{
    if (m_socket)
        m_unreadFed = m_socket->bytesAvailable();
}

void ConnectionGuard::refuse(const ApiError &error, const QString &reason)
{
    if (m_refused || !m_socket)
        return;
    m_refused = true;
    m_registry->count(reason);
    qCDebug(lcApiAccess).noquote() << m_client << "refused:" << error.httpStatus() << error.code() << error.message();
    // QtHttpServer must not parse what is left of this request, and its transaction (which keeps every
    // byte read) ends here.
    disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->rollbackTransaction();
    m_waitingResponses.clear();
    m_closingSinceMs = nowMs();
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(ApiResponse::error(error).toHttp(RequestId::generate(), true));
    if (qobject_cast<QSslSocket *>(m_socket)) {
        m_socket->disconnectFromHost();
        return;
    }
    // Lingering close: a client still sending (a body over the limit) would reset a connection closed
    // with unread data, and lose the answer. So the answer is sent, our side shut for writing, and what
    // still comes is read and dropped, a few megabytes or seconds at most (the sweep cuts it off).
    connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::discardInput);
    const auto shutWhenSent = [this]() {
        if (m_socket && m_socket->bytesToWrite() == 0 && m_socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    };
    connect(m_socket, &QIODevice::bytesWritten, this, shutWhenSent);
    m_socket->flush();
    shutWhenSent();
    discardInput();
}

void ConnectionGuard::discardInput()
{
    if (!m_socket)
        return;
    m_discarded += m_socket->skip(m_socket->bytesAvailable());
    if (m_discarded > kMaxDiscardBytes)
        m_socket->abort();
}

void ConnectionGuard::closeWhenIdle()
{
    m_closeRequested = true;
    if (m_socket && m_requestsInFlight == 0 && m_waitingResponses.isEmpty() && m_closingSinceMs < 0) {
        m_socket->disconnectFromHost();
        m_closingSinceMs = nowMs();
    }
}

ConnectionGuard::Ticket ConnectionGuard::takeRequest()
{
    Ticket ticket;
    ticket.sequence = m_nextSequence++;
    const bool keepAlive = m_completedKeepAlive.isEmpty() || m_completedKeepAlive.takeFirst();
    ticket.close = m_closeRequested || !keepAlive;
    ++m_requestsInFlight;
    return ticket;
}

void ConnectionGuard::deliver(quint64 sequence, const QByteArray &bytes, bool close)
{
    --m_requestsInFlight;
    if (!m_socket || m_refused || m_closingSinceMs >= 0)
        return;
    m_waitingResponses.insert(sequence, {bytes, close});
    writePending();
}

void ConnectionGuard::writePending()
{
    while (m_socket && !m_waitingResponses.isEmpty() && m_waitingResponses.firstKey() == m_nextToWrite) {
        const auto [bytes, close] = m_waitingResponses.take(m_nextToWrite);
        ++m_nextToWrite;
        m_socket->write(bytes);
        m_lastActivityMs = nowMs();
        if (close || (m_closeRequested && m_requestsInFlight == 0)) {
            m_waitingResponses.clear();
            m_socket->disconnectFromHost();
            m_closingSinceMs = nowMs();
            return;
        }
    }
}

void ConnectionGuard::sweep(qint64 now)
{
    if (!m_socket)
        return;
    if (m_closingSinceMs >= 0) {
        if (now - m_closingSinceMs > kLingerMs && m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
        return;
    }
    if (m_socket->state() != QAbstractSocket::ConnectedState || m_framer.upgraded())
        return; // a WebSocket is looked after by the live stream's pings
    if (m_socket->bytesToWrite() > 0) {
        if (m_writeStalledSinceMs < 0) {
            m_writeStalledSinceMs = now;
        } else if (now - m_writeStalledSinceMs > std::max(m_limits.requestTimeoutMs, kLingerMs)) {
            m_registry->count(QStringLiteral("write_stalled"));
            m_socket->abort();
            return;
        }
    }
    if (m_framer.inRequest() && m_requestStartedMs >= 0 && now - m_requestStartedMs > m_limits.requestTimeoutMs) {
        refuse(ApiError::requestTimeout(QStringLiteral("the request did not arrive completely within %1 ms")
                                            .arg(m_limits.requestTimeoutMs)),
               QStringLiteral("request_timeout"));
        return;
    }
    const bool idle = !m_framer.inRequest() && m_requestsInFlight == 0 && m_completedKeepAlive.isEmpty()
                      && m_socket->bytesToWrite() == 0;
    // A connection that has not sent a request yet gets no more time than a request would.
    const qint64 allowed = m_nextSequence == 0 ? std::min(m_limits.idleTimeoutMs, m_limits.requestTimeoutMs) : m_limits.idleTimeoutMs;
    if (idle && now - m_lastActivityMs > allowed) {
        m_registry->count(QStringLiteral("idle_timeout"));
        m_socket->disconnectFromHost();
        m_closingSinceMs = now;
    }
}

} // namespace syncdesk::api
