#include "apifixture.h"

#include "api/apiserver.h"
#include "api/permissions.h"
#include "auth/apikeystore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::api;
using namespace syncdesk::test;

// Who may call what: every route of the server's own route table against every kind of credential
// (none, broken, expired, not yet valid, unsigned, other algorithm, tampered, each role, a revoked
// key), rate limits, open local mode and its loopback-only rule.
class TestApiAuth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyRouteAgainstEveryCredential_data();
    void everyRouteAgainstEveryCredential();
    void everyRouteIsInTheMatrix();
    void joseTokensOverHttp();
    void ratesAreLimitedPerClientAndPerCredential();
    void openLocalModeNeedsNoCredentialsUntilAKeyExists();
    void withoutCredentialsItServesLoopbackOnly();

private:
    static QByteArray b64(const QByteArray &data)
    {
        return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    }
    static QByteArray handMade(const QByteArray &header, const QByteArray &payload, QCryptographicHash::Algorithm algorithm)
    {
        const QByteArray input = b64(header) + '.' + b64(payload);
        return input + '.' + b64(QMessageAuthenticationCode::hash(input, ApiFixture::secret, algorithm));
    }

    std::unique_ptr<ApiFixture> m_api;
    QByteArray m_agentKey;
    QByteArray m_revokedKey;
    QSet<QString> m_covered;
};

void TestApiAuth::initTestCase()
{
    m_api = std::make_unique<ApiFixture>();
    QVERIFY(m_api->start());
    ApiKeyStore keys(m_api->db().connections());
    m_agentKey = keys.create(QStringLiteral("matrix-agent"), Role::Agent, QStringLiteral("test")).value().key.toLatin1();
    m_revokedKey = keys.create(QStringLiteral("matrix-revoked"), Role::Admin, QStringLiteral("test")).value().key.toLatin1();
    QVERIFY(keys.revoke(QStringLiteral("matrix-revoked")).ok());
}

void TestApiAuth::cleanupTestCase()
{
    m_api.reset();
}

void TestApiAuth::everyRouteAgainstEveryCredential_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected"); // "401", "403" or "allowed"

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto claims = [now](const char *role, qint64 exp, qint64 nbf = 0) {
        QByteArray json = "{\"sub\":\"matrix\",\"role\":\"" + QByteArray(role) + "\",\"exp\":" + QByteArray::number(exp);
        if (nbf)
            json += ",\"nbf\":" + QByteArray::number(nbf);
        return json + '}';
    };
    const QByteArray viewer = m_api->token(Role::Viewer, QStringLiteral("matrix"));
    const QList<QByteArray> viewerParts = viewer.split('.');
    struct Credential
    {
        const char *name;
        QByteArray header;
        QByteArray value;
        std::optional<Role> role; // a valid credential of this role; none: refused with 401
    };
    const QList<Credential> credentials{
        {"no credentials", {}, {}, std::nullopt},
        {"bad token", "Authorization", "Bearer not.a.token", std::nullopt},
        {"basic auth", "Authorization", "Basic dXNlcjpwYXNz", std::nullopt},
        {"expired", "Authorization", "Bearer " + handMade("{\"alg\":\"HS256\"}", claims("admin", now - 3600), QCryptographicHash::Sha256), std::nullopt},
        {"not yet valid", "Authorization",
         "Bearer " + handMade("{\"alg\":\"HS256\"}", claims("admin", now + 7200, now + 3600), QCryptographicHash::Sha256), std::nullopt},
        {"alg none", "Authorization", "Bearer " + b64("{\"alg\":\"none\"}") + '.' + b64(claims("admin", now + 600)) + '.', std::nullopt},
        {"wrong algorithm", "Authorization", "Bearer " + handMade("{\"alg\":\"HS512\"}", claims("admin", now + 600), QCryptographicHash::Sha512),
         std::nullopt},
        {"tampered payload", "Authorization", "Bearer " + viewerParts.at(0) + '.' + b64(claims("admin", now + 600)) + '.' + viewerParts.at(2),
         std::nullopt},
        {"revoked key", "X-API-Key", m_revokedKey, std::nullopt},
        {"unknown key", "X-API-Key", "sdk_" + QByteArray(43, 'A'), std::nullopt},
        {"viewer", "Authorization", "Bearer " + viewer, Role::Viewer},
        {"agent", "Authorization", "Bearer " + m_api->token(Role::Agent, QStringLiteral("matrix")), Role::Agent},
        {"admin", "Authorization", "Bearer " + m_api->token(Role::Admin, QStringLiteral("matrix")), Role::Admin},
        {"agent key", "X-API-Key", m_agentKey, Role::Agent},
    };
    for (const Route &route : m_api->api().server()->router().routes()) {
        QString path = route.pattern;
        path.replace(QRegularExpression(QStringLiteral("\\{[a-z_]+\\}")), QStringLiteral("424242"));
        for (const Credential &credential : credentials) {
            QString expected = QStringLiteral("allowed");
            if (route.permission != Permission::Public) {
                if (!credential.role)
                    expected = QStringLiteral("401");
                else if (!Permissions::allows(*credential.role, route.permission))
                    expected = QStringLiteral("403");
            }
            QTest::addRow("%s %s, %s", route.method.constData(), qPrintable(route.pattern), credential.name)
                << route.method << path << route.label() << credential.header << credential.value << expected;
        }
    }
}

void TestApiAuth::everyRouteAgainstEveryCredential()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, route);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    m_covered.insert(route);
    Headers headers;
    if (!header.isEmpty())
        headers << qMakePair(header, value);
    const HttpReply reply = m_api->request(method, path, {}, headers);
    QVERIFY2(reply.status >= 200, reply.describe());
    if (expected == QLatin1String("allowed")) {
        QVERIFY2(reply.status != 401 && reply.status != 403 && reply.status != 405, reply.describe());
        QVERIFY2(reply.status < 500 || reply.status == 503, reply.describe());
    } else {
        QVERIFY2(QString::number(reply.status) == expected, reply.describe());
        QCOMPARE(reply.errorCode(), expected == QLatin1String("401") ? QStringLiteral("unauthorized") : QStringLiteral("forbidden"));
        if (expected == QLatin1String("401"))
            QCOMPARE(reply.header("WWW-Authenticate"), QByteArray("Bearer realm=\"syncdesk\""));
    }
}

void TestApiAuth::everyRouteIsInTheMatrix()
{
    QCOMPARE(m_covered.size(), m_api->api().server()->router().routes().size());
    QVERIFY(m_covered.size() >= 24);
}

void TestApiAuth::joseTokensOverHttp()
{
    // Tokens of a second implementation (jose, on Node) through the running API: accepted, and refused
    // once tampered with or signed otherwise.
    QProcess node;
    node.setWorkingDirectory(qEnvironmentVariable("SYNCDESK_SOURCE_DIR", QStringLiteral(".")) + QStringLiteral("/tests/node"));
    node.start(QStringLiteral("node"), {QStringLiteral("mint-jose.mjs"), QStringLiteral("--secret"), QString::fromLatin1(ApiFixture::secret)});
    QVERIFY2(node.waitForFinished(60000) && node.exitCode() == 0,
             qPrintable(QStringLiteral("node mint-jose.mjs failed (run 'npm ci' in tests/node): ") + QString::fromUtf8(node.readAllStandardError())));
    const QJsonArray tokens = QJsonDocument::fromJson(node.readAllStandardOutput()).array();
    QVERIFY(tokens.size() >= 10);
    for (const QJsonValue &value : tokens) {
        const QJsonObject token = value.toObject();
        const HttpReply reply = m_api->request("GET", QStringLiteral("/api/sync/status"), {},
                                               {{"Authorization", "Bearer " + token.value(QStringLiteral("token")).toString().toLatin1()}});
        const int expected = token.value(QStringLiteral("accept")).toBool() ? 200 : 401;
        QVERIFY2(reply.status == expected, qPrintable(token.value(QStringLiteral("name")).toString() + QLatin1String(": ") + QString::fromUtf8(reply.describe())));
    }
}

void TestApiAuth::ratesAreLimitedPerClientAndPerCredential()
{
    ApiFixture::Options options;
    options.configure = [](ApiConfig &config) {
        config.clientRate = 1;
        config.clientBurst = 6;
        config.credentialRate = 1;
        config.credentialBurst = 3;
    };
    ApiFixture limited(options);
    QVERIFY(limited.start());
    // Per credential: three in a burst, then 429 with Retry-After.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(limited.get(QStringLiteral("/api/sync/status"), Role::Viewer).status, 200);
    const HttpReply throttled = limited.get(QStringLiteral("/api/sync/status"), Role::Viewer);
    QCOMPARE(throttled.status, 429);
    QCOMPARE(throttled.errorCode(), QStringLiteral("rate_limited"));
    QVERIFY(throttled.header("Retry-After").toInt() >= 1);
    // Another credential from the same address still has its own bucket, until the address's is empty.
    QCOMPARE(limited.get(QStringLiteral("/api/sync/status"), Role::Admin).status, 200);
    QCOMPARE(limited.get(QStringLiteral("/api/sync/health"), Role::Admin).status, 200);
    const HttpReply address = limited.request("GET", QStringLiteral("/api/sync/health"), {}, {});
    QCOMPARE(address.status, 429);
    QVERIFY(address.header("Retry-After").toInt() >= 1);
    // The bucket refills.
    QTest::qWait(1100);
    QCOMPARE(limited.request("GET", QStringLiteral("/api/sync/health"), {}, {}).status, 200);
}

void TestApiAuth::openLocalModeNeedsNoCredentialsUntilAKeyExists()
{
    ApiFixture::Options options;
    options.openMode = true;
    ApiFixture open(options);
    QVERIFY(open.start());
    QVERIFY(open.api().openMode());
    const HttpReply status = open.request("GET", QStringLiteral("/api/sync/status"), {}, {});
    QVERIFY2(status.status == 200, status.describe());
    QCOMPARE(open.request("POST", QStringLiteral("/api/sync/events/retry-dead"), {}, {}).status, 200);
    QCOMPARE(open.db().value(QStringLiteral("SELECT actor || '/' || role FROM sync.audit_log")).toString(), QStringLiteral("local/admin"));
    // As soon as a key exists, every route but health needs credentials.
    ApiKeyStore keys(open.db().connections());
    const QByteArray key = keys.create(QStringLiteral("first"), Role::Viewer, QStringLiteral("test")).value().key.toLatin1();
    QTRY_COMPARE_WITH_TIMEOUT(open.request("GET", QStringLiteral("/api/sync/status"), {}, {}).status, 401, 3000);
    QCOMPARE(open.request("GET", QStringLiteral("/api/sync/status"), {}, {{"X-API-Key", key}}).status, 200);
    QCOMPARE(open.request("GET", QStringLiteral("/api/sync/health"), {}, {}).status, 200);
}

void TestApiAuth::withoutCredentialsItServesLoopbackOnly()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    ApiConfig config;
    config.port = 0;
    config.bindAddress = QHostAddress::AnyIPv4;
    HttpApi exposed(config, nullptr, database.connections());
    const Status refused = exposed.start();
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("without credentials on http://0.0.0.0")), qPrintable(refused.error()));
    // With a secret it may listen anywhere; on loopback it may also run open (on a database where no
    // credentials existed yet: the secured run above has closed open local mode on this one).
    config.jwt.secret = ApiFixture::secret;
    HttpApi secured(config, nullptr, database.connections());
    QVERIFY(secured.start().ok());
    secured.stop();
    TestDatabase fresh;
    QVERIFY2(fresh.isReady(), qPrintable(fresh.error()));
    ApiConfig local;
    local.port = 0;
    HttpApi open(local, nullptr, fresh.connections());
    QVERIFY(open.start().ok());
    QVERIFY(open.openMode());
}

QTEST_GUILESS_MAIN(TestApiAuth)
#include "tst_apiauth.moc"
