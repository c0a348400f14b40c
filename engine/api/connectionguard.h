#pragma once

#include "api/requestframer.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace syncdesk::api {

class ConnectionRegistry;

struct GuardLimits
{
    RequestFramer::Limits framing;
    qint64 idleTimeoutMs = 60000;
    qint64 requestTimeoutMs = 10000;
};

// Watches one REST connection below QtHttpServer, which in 6.4 has no limits of its own: counts and
// frames the bytes of each request before QtHttpServer reads them (413 for oversized heads and
// bodies, 400 for malformed HTTP, answered and closed before anything is buffered beyond the limits),
// closes idle keep-alive connections, answers requests that trickle in too slowly with 408, stops
// reading the requests of a client that does not read its responses, drops clients that stop reading
// altogether, and keeps responses in request order. A child of its socket, so it lives exactly as
// long as the connection.
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    ConnectionGuard(QTcpSocket *socket, const GuardLimits &limits, std::shared_ptr<ConnectionRegistry> registry,
                    QString client);
    ~ConnectionGuard() override;

    static ConnectionGuard *of(QTcpSocket *socket);

    // After QtHttpServer connected to the socket: our second readyRead slot runs after its own.
    void attachAfterServer();
    // Checks the timeouts; called by the server every few hundred milliseconds.
    void sweep(qint64 nowMs);
    // Answers with `error` (no request id of the client is known here) and closes.
    void refuse(const ApiError &error, const QString &reason);
    // Closes the connection once its pending responses are written (shutdown).
    void closeWhenIdle();

    // The API took the oldest complete request: its position in the response order, whether the
    // client asked to close the connection after it, and whether the framer saw that request whole
    // (if not, QtHttpServer parsed the bytes differently, and the request must not run).
    struct Ticket
    {
        quint64 sequence = 0;
        bool close = false;
        bool framed = true;
    };
    Ticket takeRequest();
    // Writes the response of request `sequence` once those before it are written.
    void deliver(quint64 sequence, const QByteArray &bytes, bool close);

    // How long this connection has been waiting for its client (idle, or in a request that is still
    // arriving), for eviction when the server is full; -1 while it may not be evicted (a request in
    // flight, a response unsent, a WebSocket).
    qint64 evictionAge(qint64 nowMs) const;
    // Gives up this connection's place at once (its slot is released now) and closes it.
    void evict();

    bool upgraded() const { return m_framer.upgraded(); }
    QString client() const { return m_client; }

private:
    void onReadyRead();
    void onAfterReadyRead();
    void onBytesWritten();
    void writePending();
    void discardInput();
    qint64 unsentBytes() const;
    bool overBacklog() const;
    // Reading is held while the client has too much unread or unanswered: QtHttpServer reads a
    // connection only in its readyRead slot, so the socket's signals are blocked meanwhile (the
    // kernel's receive window then slows the client down), and a timer looks for the backlog to drain.
    void holdRequests();
    void checkHeld();
    void releaseHold();

    QPointer<QTcpSocket> m_socket;
    GuardLimits m_limits;
    std::shared_ptr<ConnectionRegistry> m_registry;
    QString m_client;
    RequestFramer m_framer;
    qint64 m_unreadFed = 0;      // bytes we framed that QtHttpServer has not read yet
    qint64 m_idleSinceMs = 0;    // when the connection opened or its last response was written
    qint64 m_requestStartedMs = -1; // first byte of the request still arriving (empty lines included)
    qint64 m_writeStalledSinceMs = -1;
    qint64 m_closingSinceMs = -1;
    QList<bool> m_completedKeepAlive; // complete requests QtHttpServer has not handed over yet
    quint64 m_nextSequence = 0;
    quint64 m_nextToWrite = 0;
    QMap<quint64, QPair<QByteArray, bool>> m_waitingResponses;
    qint64 m_waitingBytes = 0;
    int m_requestsInFlight = 0;  // handed to the API, not answered yet
    bool m_refused = false;
    bool m_closeRequested = false;
    bool m_evicted = false;
    bool m_held = false;
    qint64 m_heldToWrite = 0;
    QTimer m_holdTimer;
    qint64 m_discarded = 0; // bytes thrown away after a refusal (lingering close)
};

} // namespace syncdesk::api
