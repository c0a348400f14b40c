#include "apifixture.h"

#include "api/jwtcodec.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

namespace syncdesk::test {

const QByteArray ApiFixture::secret = QByteArrayLiteral("test-secret-of-the-syncdesk-api-0123456789");

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray HttpReply::describe() const
{
    return QByteArray::number(status) + ' ' + body.left(600) + (networkError.isEmpty() ? QByteArray() : " (" + networkError.toUtf8() + ')');
}

HttpClient::HttpClient(quint16 port, const QString &scheme)
    : m_base(QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(port))
{
}

HttpReply HttpClient::request(const QByteArray &method, const QString &path, const QByteArray &body, const Headers &headers,
                              int timeoutMs)
{
    QNetworkRequest request(QUrl(m_base + path));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply result;
    if (!reply->isFinished()) {
        reply->abort();
        result.networkError = QStringLiteral("timed out");
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.networkError = reply->errorString();
    reply->deleteLater();
    return result;
}

ApiFixture::ApiFixture()
    : ApiFixture(Options{})
{
}

ApiFixture::ApiFixture(Options options)
    : m_options(std::move(options))
{
}

ApiFixture::~ApiFixture()
{
    m_client.reset();
    m_api.reset(); // before the engine and the database it serves
    m_sync.reset();
    m_database.reset();
}

bool ApiFixture::start()
{
    m_database = std::make_unique<TestDatabase>();
    if (!m_database->isReady()) {
        QTest::qFail(qPrintable(m_database->error()), __FILE__, __LINE__);
        return false;
    }
    // The API stories make their tickets through the API; automatic ticketing has its own stories.
    EngineOptions engine = SyncFixture::defaults();
    engine.autoTicketing.createTickets = false;
    if (m_options.engine)
        m_options.engine(engine);
    m_sync = std::make_unique<SyncFixture>(*m_database, engine, m_options.layout);
    if (m_options.startEngine && !m_sync->start())
        return false;
    m_config = api::ApiConfig{};
    m_config.bindAddress = QHostAddress::LocalHost;
    m_config.port = 0;
    m_config.workers = 2;
    m_config.clientRate = 100000;
    m_config.clientBurst = 100000;
    m_config.credentialRate = 100000;
    m_config.credentialBurst = 100000;
    if (!m_options.openMode)
        m_config.jwt.secret = secret;
    if (m_options.configure)
        m_options.configure(m_config);
    m_api = std::make_unique<api::HttpApi>(m_config, &m_sync->engine(), m_database->connections());
    if (Status started = m_api->start(); !started) {
        QTest::qFail(qPrintable(started.error()), __FILE__, __LINE__);
        return false;
    }
    m_client = std::make_unique<HttpClient>(m_api->port(), m_config.tls ? QStringLiteral("https") : QStringLiteral("http"));
    return true;
}

QByteArray ApiFixture::token(Role role, const QString &subject, qint64 ttlSeconds) const
{
    api::JwtCodec codec({secret, m_config.jwt.issuer, m_config.jwt.audience, 30});
    return codec.sign(subject, role, ttlSeconds, QDateTime::currentSecsSinceEpoch()).value();
}

Headers ApiFixture::as(Role role) const
{
    if (m_options.openMode)
        return {};
    return {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token(role, roleName(role))}};
}

HttpReply ApiFixture::get(const QString &path, Role role)
{
    return request("GET", path, {}, as(role));
}

HttpReply ApiFixture::post(const QString &path, const QByteArray &body, Role role)
{
    return request("POST", path, body, as(role));
}

HttpReply ApiFixture::request(const QByteArray &method, const QString &path, const QByteArray &body, const Headers &headers)
{
    return m_client->request(method, path, body, headers);
}

qint64 ApiFixture::customerWithConversation(const QString &email, const QString &firstMessage, qint64 *conversation)
{
    const qint64 user = m_sync->productSignsUp(email, email.section(QLatin1Char('@'), 0, 0));
    *conversation = m_database
                        ->value(QStringLiteral("INSERT INTO backend.conversations (user_id, subject) VALUES (?, ?) RETURNING id"),
                                {user, firstMessage.left(40)})
                        .toLongLong();
    m_database->exec(QStringLiteral("INSERT INTO backend.messages (conversation_id, role, content) VALUES (?, 'customer', ?), "
                                    "(?, 'assistant', 'I am sorry to hear that. Let me look into it.')"),
                     {*conversation, firstMessage, *conversation});
    m_sync->synced();
    return user;
}

} // namespace syncdesk::test
