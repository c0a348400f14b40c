#include "api/livestream.h"

#include "api/apilogging.h"
#include "api/apirequest.h"

#include <QAbstractHttpServer>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <QWebSocket>

namespace syncdesk::api {

namespace {

constexpr qint64 kMaxUnsentBytes = 1024 * 1024;
constexpr int kPingIntervalMs = 20000;
constexpr qint64 kSilenceLimitMs = 3 * kPingIntervalMs;

QStringList requestedKinds(const QMap<QString, QString> &query)
{
    return query.value(QStringLiteral("kinds")).split(QLatin1Char(','), Qt::SkipEmptyParts);
}

QJsonObject toJson(const LiveEvent &event)
{
    return QJsonObject{{QStringLiteral("kind"), event.kind},
                       {QStringLiteral("at"), event.at.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("payload"), event.payload}};
}

} // namespace

LiveStream::LiveStream(QAbstractHttpServer *server, int maxClients, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_maxClients(maxClients)
{
    connect(server, &QAbstractHttpServer::newWebSocketConnection, this, &LiveStream::onNewConnection);
    m_pingTimer.setInterval(kPingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &LiveStream::ping);
    m_pingTimer.start();
}

LiveStream::~LiveStream()
{
    closeAll();
}

const QStringList &LiveStream::kinds()
{
    static const QStringList names = liveEventKinds();
    return names;
}

std::optional<ApiError> LiveStream::check(const QMap<QString, QString> &query)
{
    for (const QString &kind : requestedKinds(query)) {
        if (!kinds().contains(kind))
            return ApiError::badRequest(QStringLiteral("query parameter 'kinds' has '%1'; kinds are %2")
                                            .arg(kind, kinds().join(QStringLiteral(", "))),
                                        QStringLiteral("invalid_parameter"));
    }
    return std::nullopt;
}

void LiveStream::onNewConnection()
{
    while (m_server->hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> owned = m_server->nextPendingWebSocketConnection();
        if (!owned)
            break;
        QWebSocket *socket = owned.release();
        socket->setParent(this);
        // Clients only listen; anything they send beyond a small control message is not wanted.
        socket->setMaxAllowedIncomingFrameSize(4096);
        socket->setMaxAllowedIncomingMessageSize(4096);
        connect(socket, &QWebSocket::disconnected, this, [this, socket]() { drop(socket); });
        if (clients() >= m_maxClients) {
            socket->close(QWebSocketProtocol::CloseCodeTooMuchData, QStringLiteral("too many stream clients"));
            continue;
        }
        Client client;
        client.socket = socket;
        auto query = ApiRequest::decodeQuery(socket->requestUrl().query(QUrl::FullyEncoded).toUtf8());
        client.kinds = query ? requestedKinds(*query) : QStringList();
        client.lastSeenMs = QDateTime::currentMSecsSinceEpoch();
        connect(socket, &QWebSocket::pong, this, [this, socket]() {
            for (Client &entry : m_clients) {
                if (entry.socket == socket)
                    entry.lastSeenMs = QDateTime::currentMSecsSinceEpoch();
            }
        });
        m_clients << client;
        socket->sendTextMessage(QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                      {QStringLiteral("kinds"), QJsonArray::fromStringList(client.kinds.isEmpty() ? kinds() : client.kinds)},
                                      {QStringLiteral("at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}})
                .toJson(QJsonDocument::Compact)));
        qCDebug(lcApiAccess).noquote() << socket->peerAddress().toString() << "joined the live stream";
    }
}

void LiveStream::publish(const LiveEvents &events)
{
    if (m_clients.isEmpty() || events.isEmpty())
        return;
    // One message per distinct filter, serialised once.
    QMap<QStringList, QString> messages;
    const QList<Client> clients = m_clients;
    for (const Client &client : clients) {
        if (!messages.contains(client.kinds)) {
            QJsonArray items;
            for (const LiveEvent &event : events) {
                if (client.kinds.isEmpty() || client.kinds.contains(event.kind))
                    items.append(toJson(event));
            }
            messages.insert(client.kinds, items.isEmpty() ? QString()
                                                          : QString::fromUtf8(QJsonDocument(QJsonObject{
                                                                                  {QStringLiteral("type"), QStringLiteral("events")},
                                                                                  {QStringLiteral("events"), items}})
                                                                                  .toJson(QJsonDocument::Compact)));
        }
        const QString &message = messages.value(client.kinds);
        if (message.isEmpty())
            continue;
        if (client.socket->bytesToWrite() > kMaxUnsentBytes) {
            qCInfo(lcApi).noquote() << "dropping a live stream client that does not keep up:" << client.socket->peerAddress().toString();
            client.socket->abort();
            continue;
        }
        client.socket->sendTextMessage(message);
    }
}

void LiveStream::ping()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<Client> clients = m_clients;
    for (const Client &client : clients) {
        if (now - client.lastSeenMs > kSilenceLimitMs)
            client.socket->abort();
        else
            client.socket->ping();
    }
}

void LiveStream::drop(QWebSocket *socket)
{
    m_clients.removeIf([socket](const Client &client) { return client.socket == socket; });
    socket->deleteLater();
}

void LiveStream::closeAll()
{
    const QList<Client> clients = m_clients;
    for (const Client &client : clients)
        client.socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("SyncDesk is stopping"));
    m_clients.clear();
}

} // namespace syncdesk::api
