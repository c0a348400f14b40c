#pragma once

#include "api/connectionguard.h"
#include "api/connectionregistry.h"

#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace syncdesk::api {

// The listening socket QtHttpServer is bound to (QAbstractHttpServer::bind). Every accepted
// connection is counted (at most so many in all and per client address; more from one address are
// answered 429 and closed at once; when the server is full, the connection that has waited longest
// for its client makes room, and only when none may is the newcomer answered 503), gets a
// ConnectionGuard before QtHttpServer sees it, and with TLS configured is a QSslSocket that starts its
// server handshake. A timer sweeps the guards for timeouts.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Options
    {
        GuardLimits limits;
        int maxConnections = 512;
        int maxConnectionsPerClient = 64;
        std::optional<QSslConfiguration> tls;
        // Requests the guards refused (on this thread).
        std::function<void(const RefusedRequest &)> onRefused;
    };

    explicit GuardedTcpServer(Options options, QObject *parent = nullptr);
    ~GuardedTcpServer() override;

    std::shared_ptr<ConnectionRegistry> registry() const { return m_registry; }
    // Graceful shutdown: each connection closes after answering what it has already sent.
    void closeConnectionsWhenIdle();

protected:
    void incomingConnection(qintptr handle) override;

private:
    void sweep();

    Options m_options;
    std::shared_ptr<ConnectionRegistry> m_registry;
    QTimer m_sweepTimer;
};

} // namespace syncdesk::api
