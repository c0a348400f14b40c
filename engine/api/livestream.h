#pragma once

#include "api/apierror.h"
#include "sync/liveevent.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <optional>

class QAbstractHttpServer;
class QWebSocket;

namespace syncdesk::api {

// GET /api/sync/events/stream as a WebSocket: the engine's live events (records synced, conflicts,
// ticket status changes, ticket creations, failures), at most ten messages a second, as JSON text
// messages {"type": "events", "events": [{"kind", "at", "payload"}]}; ?kinds=a,b narrows them. The
// handshake is authorised by the server like any request before QtHttpServer upgrades it. Clients
// that fall behind (more than a megabyte unsent) or stop answering pings are dropped. HTTP thread.
class LiveStream : public QObject
{
    Q_OBJECT

public:
    LiveStream(QAbstractHttpServer *server, int maxClients, QObject *parent = nullptr);
    ~LiveStream() override;

    static const QStringList &kinds();
    // Checks the handshake's query (kinds=...); an error refuses the upgrade.
    static std::optional<ApiError> check(const QMap<QString, QString> &query);

    void publish(const syncdesk::LiveEvents &events);
    int clients() const { return int(m_clients.size()); }
    void closeAll();

private:
    struct Client
    {
        QWebSocket *socket = nullptr;
        QStringList kinds; // empty: all
        qint64 lastSeenMs = 0;
    };
    void onNewConnection();
    void ping();
    void drop(QWebSocket *socket);

    QAbstractHttpServer *m_server;
    int m_maxClients;
    QList<Client> m_clients;
    QTimer m_pingTimer;
};

} // namespace syncdesk::api
