#pragma once

#include "api/requestframer.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>

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
// closes idle keep-alive connections, answers requests that trickle in too slowly with 408, drops
// clients that stop reading their responses, and keeps responses in request order. A child of its
// socket, so it lives exactly as long as the connection.
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

    // The API took the oldest complete request: its position in the response order, and whether the
    // client asked to close the connection after it.
    struct Ticket
    {
        quint64 sequence = 0;
        bool close = false;
    };
    Ticket takeRequest();
    // Writes the response of request `sequence` once those before it are written.
    void deliver(quint64 sequence, const QByteArray &bytes, bool close);

    bool upgraded() const { return m_framer.upgraded(); }
    QString client() const { return m_client; }

private:
    void onReadyRead();
    void onAfterReadyRead();
    void writePending();
    void discardInput();

    QPointer<QTcpSocket> m_socket;
    GuardLimits m_limits;
    std::shared_ptr<ConnectionRegistry> m_registry;
    QString m_client;
    RequestFramer m_framer;
    qint64 m_unreadFed = 0;      // bytes we framed that QtHttpServer has not read yet
    qint64 m_lastActivityMs = 0;
    qint64 m_requestStartedMs = -1;
    qint64 m_writeStalledSinceMs = -1;
    qint64 m_closingSinceMs = -1;
    QList<bool> m_completedKeepAlive; // complete requests QtHttpServer has not handed over yet
    quint64 m_nextSequence = 0;
    quint64 m_nextToWrite = 0;
    QMap<quint64, QPair<QByteArray, bool>> m_waitingResponses;
    int m_requestsInFlight = 0;  // handed to the API, not answered yet
    bool m_refused = false;
    bool m_closeRequested = false;
    qint64 m_discarded = 0; // bytes thrown away after a refusal (lingering close)
};

} // namespace syncdesk::api
