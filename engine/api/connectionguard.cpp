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
// A client that does not read its answers gets no more than this much written for it and waiting to
// be written, and no more requests answered at once, before its next requests are left unread.
constexpr qint64 kMaxUnsentBytes = 1024 * 1024;
constexpr int kMaxRequestsInFlight = 4;
// How often a held connection looks whether its client has caught up.
constexpr int kHoldCheckMs = 10;

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
    m_idleSinceMs = nowMs();
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
    m_holdTimer.setInterval(kHoldCheckMs);
    connect(&m_holdTimer, &QTimer::timeout, this, &ConnectionGuard::checkHeld);
    // Connected before QtHttpServer takes the socket, so this slot sees every byte before it does.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QIODevice::bytesWritten, this, &ConnectionGuard::onBytesWritten);
}

ConnectionGuard::~ConnectionGuard()
{
    m_registry->remove(this);
    if (!m_evicted)
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
    const QByteArray bytes = m_socket->peek(available);
    if (auto problem = m_framer.feed(QByteArrayView(bytes).sliced(bytes.size() - fresh))) {
        refuse(*problem, problem->code());
        return;
    }
    // The clock of a request starts with its first byte, an empty line before it included, and only
    // its completion stops it: empty lines sent now and then cannot keep a connection open.
    if (m_framer.inRequest() && m_requestStartedMs < 0)
        m_requestStartedMs = nowMs();
}

void ConnectionGuard::onAfterReadyRead()
{
    if (m_socket)
        m_unreadFed = m_socket->bytesAvailable();
}

void ConnectionGuard::onBytesWritten()
{
    m_writeStalledSinceMs = -1;
    if (m_socket && m_socket->bytesToWrite() == 0)
        m_idleSinceMs = nowMs();
}

void ConnectionGuard::refuse(const ApiError &error, const QString &reason)
{
    if (m_refused || !m_socket)
        return;
    m_refused = true;
    releaseHold();
    const QByteArray requestId = RequestId::generate();
    m_registry->refused(reason, RefusedRequest{m_client, m_framer.current().method, m_framer.current().target, error, requestId});
    qCDebug(lcApiAccess).noquote() << m_client << "refused:" << error.httpStatus() << error.code() << error.message();
    // QtHttpServer must not parse what is left of this request, and its transaction (which keeps every
    // byte read) ends here.
    disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->rollbackTransaction();
    m_waitingResponses.clear();
    m_waitingBytes = 0;
    m_closingSinceMs = nowMs();
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(ApiResponse::error(error).toHttp(requestId, true));
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
        releaseHold();
        m_socket->disconnectFromHost();
        m_closingSinceMs = nowMs();
    }
}

ConnectionGuard::Ticket ConnectionGuard::takeRequest()
{
    Ticket ticket;
    ticket.sequence = m_nextSequence++;
    ticket.framed = !m_completedKeepAlive.isEmpty();
    const bool keepAlive = ticket.framed && m_completedKeepAlive.takeFirst();
    ticket.close = m_closeRequested || !keepAlive;
    ++m_requestsInFlight;
    // Called while QtHttpServer is in its readyRead slot, before it looks for the next request.
    if (overBacklog())
        holdRequests();
    return ticket;
}

void ConnectionGuard::deliver(quint64 sequence, const QByteArray &bytes, bool close)
{
    --m_requestsInFlight;
    if (!m_socket || m_refused || m_closingSinceMs >= 0)
        return;
    m_waitingResponses.insert(sequence, {bytes, close});
    m_waitingBytes += bytes.size();
    writePending();
}

void ConnectionGuard::writePending()
{
    while (m_socket && !m_waitingResponses.isEmpty() && m_waitingResponses.firstKey() == m_nextToWrite) {
        const auto [bytes, close] = m_waitingResponses.take(m_nextToWrite);
        m_waitingBytes -= bytes.size();
        ++m_nextToWrite;
        m_socket->write(bytes);
        if (close || (m_closeRequested && m_requestsInFlight == 0)) {
            m_waitingResponses.clear();
            m_waitingBytes = 0;
            releaseHold();
            m_socket->disconnectFromHost();
            m_closingSinceMs = nowMs();
            return;
        }
    }
    if (m_held)
        checkHeld();
    else if (overBacklog())
        holdRequests();
}

qint64 ConnectionGuard::unsentBytes() const
{
    return m_waitingBytes + (m_socket ? m_socket->bytesToWrite() : 0);
}

bool ConnectionGuard::overBacklog() const
{
    return m_requestsInFlight >= kMaxRequestsInFlight || unsentBytes() > kMaxUnsentBytes;
}

void ConnectionGuard::holdRequests()
{
    if (m_held || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState || m_framer.upgraded())
        return;
    m_held = true;
    m_heldToWrite = m_socket->bytesToWrite();
    m_socket->blockSignals(true);
    m_holdTimer.start();
}

void ConnectionGuard::checkHeld()
{
    if (!m_held || !m_socket)
        return;
    // What the blocked bytesWritten signal would have said.
    const qint64 toWrite = m_socket->bytesToWrite();
    if (toWrite < m_heldToWrite)
        onBytesWritten();
    m_heldToWrite = toWrite;
    const QAbstractSocket::SocketState state = m_socket->state();
    if (state == QAbstractSocket::ConnectedState && overBacklog())
        return;
    releaseHold();
    if (state == QAbstractSocket::UnconnectedState) {
        // The client went away while its socket's signals were blocked: say so now, so that
        // QtHttpServer lets the socket (and this guard) go.
        Q_EMIT m_socket->disconnected();
        return;
    }
    // QtHttpServer asks for its next request with a readyRead it queues to itself; that one was
    // blocked, so it is sent again (the guard frames whatever arrived meanwhile first).
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(m_socket.data(), &QAbstractSocket::readyRead, Qt::QueuedConnection);
}

void ConnectionGuard::releaseHold()
{
    if (!m_held)
        return;
    m_held = false;
    m_holdTimer.stop();
    if (m_socket)
        m_socket->blockSignals(false);
}

qint64 ConnectionGuard::evictionAge(qint64 now) const
{
    if (!m_socket || m_evicted || m_framer.upgraded())
        return -1;
    if (m_closingSinceMs >= 0)
        return now - m_closingSinceMs + 3600 * 1000; // on its way out anyway: the first to go
    const bool answering = m_requestsInFlight > 0 || !m_waitingResponses.isEmpty() || !m_completedKeepAlive.isEmpty()
                           || m_socket->bytesToWrite() > 0;
    if (answering)
        return -1;
    if (m_framer.inRequest())
        return now - std::max(m_requestStartedMs, m_idleSinceMs);
    return now - m_idleSinceMs;
}

void ConnectionGuard::evict()
{
    if (m_evicted || !m_socket)
        return;
    m_evicted = true;
    m_registry->release(m_client);
    m_registry->count(QStringLiteral("evicted"));
    releaseHold();
    if (m_closingSinceMs >= 0) {
        m_socket->abort();
        return;
    }
    const bool answer = !m_refused && m_framer.inRequest() && m_socket->state() == QAbstractSocket::ConnectedState;
    m_refused = true;
    disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->rollbackTransaction();
    if (answer)
        m_socket->write(ApiResponse::error(ApiError::unavailable(QStringLiteral("the server is full, and this request was "
                                                                                "arriving most slowly")))
                            .toHttp(RequestId::generate(), true));
    m_socket->disconnectFromHost();
    m_closingSinceMs = nowMs();
}

void ConnectionGuard::sweep(qint64 now)
{
    if (!m_socket)
        return;
    if (m_held)
        checkHeld();
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
            releaseHold();
            m_socket->abort();
            return;
        }
    }
    const bool answering = m_requestsInFlight > 0 || !m_waitingResponses.isEmpty() || !m_completedKeepAlive.isEmpty()
                           || m_socket->bytesToWrite() > 0;
    if (answering)
        return; // the client waits for us, not we for it
    if (m_framer.inRequest()) {
        // From the first byte of the request or the end of the last response, whichever is later (a
        // pipelined request that arrived early does not lose the time its predecessors took).
        const qint64 since = std::max(m_requestStartedMs, m_idleSinceMs);
        if (now - since > m_limits.requestTimeoutMs)
            refuse(ApiError::requestTimeout(QStringLiteral("the request did not arrive completely within %1 ms")
                                                .arg(m_limits.requestTimeoutMs)),
                   QStringLiteral("request_timeout"));
        return;
    }
    // A connection that has not sent a request yet gets no more time than a request would.
    const qint64 allowed = m_nextSequence == 0 ? std::min(m_limits.idleTimeoutMs, m_limits.requestTimeoutMs) : m_limits.idleTimeoutMs;
    if (now - m_idleSinceMs > allowed) {
        m_registry->count(QStringLiteral("idle_timeout"));
        m_socket->disconnectFromHost();
        m_closingSinceMs = now;
    }
}

} // namespace syncdesk::api
