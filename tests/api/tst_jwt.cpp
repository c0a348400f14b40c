#include "api/jwtcodec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::api;

// Bearer tokens: what libjwt verifies for SyncDesk, checked against the published HS256 example of
// RFC 7515, against tokens made by a second implementation (jose, run with Node), and against the
// forgeries an attacker would try.
class TestJwt final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theRfc7515ExampleVerifiesWithItsPublishedKey();
    void tokensSignedHereVerifyWithTheirClaims();
    void expiryAndNotBeforeAllowSmallClockSkewOnly();
    void issuerAndAudienceAreCheckedWhenConfigured();
    void forgeriesAndMalformedTokensAreRefused_data();
    void forgeriesAndMalformedTokensAreRefused();
    void tokensMintedByJoseAreAcceptedAndTheirForgeriesRefused_data();
    void tokensMintedByJoseAreAcceptedAndTheirForgeriesRefused();

private:
    static QByteArray b64(const QByteArray &data)
    {
        return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    }
    static QByteArray handMade(const QByteArray &header, const QByteArray &payload, const QByteArray &secret,
                               QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
    {
        const QByteArray input = b64(header) + '.' + b64(payload);
        return input + '.' + b64(QMessageAuthenticationCode::hash(input, secret, algorithm));
    }
    static qint64 now() { return QDateTime::currentSecsSinceEpoch(); }
    static QList<QJsonObject> joseTokens(const QStringList &arguments);
};

namespace {
const QByteArray kSecret = "a-secret-for-the-jwt-tests-of-syncdesk-0123456789";

JwtCodec codec(const QString &issuer = {}, const QString &audience = {})
{
    return JwtCodec({kSecret, issuer, audience, 30});
}
} // namespace

void TestJwt::theRfc7515ExampleVerifiesWithItsPublishedKey()
{
    // RFC 7515 appendix A.1: JWS using HMAC SHA-256, with the key of A.1.1 ("k" of the JWK).
    const QByteArray token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                             ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
                             ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const QByteArray key = QByteArray::fromBase64("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
                                                  QByteArray::Base64UrlEncoding);
    QCOMPARE(key.size(), 64);
    auto payload = JwtCodec::verifySignature(token, key);
    QVERIFY2(payload.ok(), qPrintable(payload.error()));
    QCOMPARE(payload->value(QStringLiteral("iss")).toString(), QStringLiteral("joe"));
    QCOMPARE(payload->value(QStringLiteral("exp")).toInteger(), 1300819380);
    QCOMPARE(payload->value(QStringLiteral("http://example.com/is_root")).toBool(), true);

    // Its expiry is checked (it expired in 2011), and it names no SyncDesk subject or role.
    JwtCodec rfc({key, {}, {}, 30});
    QCOMPARE(rfc.verify(token, 1300819380 + 31).error(), QStringLiteral("the token has expired"));
    QCOMPARE(rfc.verify(token, 1300819380 - 100).error(), QStringLiteral("the token has no subject (sub)"));

    QByteArray tampered = token;
    tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == 'j' ? 'k' : 'j';
    QVERIFY(!JwtCodec::verifySignature(tampered, key));
    QVERIFY(!JwtCodec::verifySignature(token, key.left(63) + 'x'));
}

void TestJwt::tokensSignedHereVerifyWithTheirClaims()
{
    const auto token = codec().sign(QStringLiteral("ops-script"), Role::Agent, 600, now());
    QVERIFY(token.ok());
    const auto claims = codec().verify(token.value(), now());
    QVERIFY2(claims.ok(), qPrintable(claims.error()));
    QCOMPARE(claims->subject, QStringLiteral("ops-script"));
    QCOMPARE(claims->role, Role::Agent);
    QCOMPARE(claims->expiresAt, now() + 600);
    QVERIFY(!JwtCodec({}).sign(QStringLiteral("x"), Role::Admin, 60, now()).ok());
}

void TestJwt::expiryAndNotBeforeAllowSmallClockSkewOnly()
{
    const QByteArray header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    const auto token = [&](const QString &claims) { return handMade(header, claims.toUtf8(), kSecret); };
    const qint64 t = now();
    QVERIFY(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":%1}").arg(t - 20)), t).ok());
    QCOMPARE(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":%1}").arg(t - 40)), t).error(),
             QStringLiteral("the token has expired"));
    QVERIFY(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":%1,\"nbf\":%2}").arg(t + 600).arg(t + 20)), t).ok());
    QCOMPARE(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":%1,\"nbf\":%2}").arg(t + 600).arg(t + 40)), t).error(),
             QStringLiteral("the token is not valid yet"));
    QCOMPARE(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":\"%1\"}").arg(t + 600)), t).error(),
             QStringLiteral("the token has no numeric expiry (exp)"));
    // Times no clock reaches (found by fuzzing: converting 1.7e300 to seconds was undefined behaviour).
    QCOMPARE(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":17e299}")), t).error(),
             QStringLiteral("the token has no numeric expiry (exp)"));
    QCOMPARE(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":9223372036854775807}")), t).error(),
             QStringLiteral("the token has no numeric expiry (exp)"));
    QCOMPARE(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":%1,\"nbf\":-1e300}").arg(t + 600)), t).error(),
             QStringLiteral("the token's nbf is not a number"));
    QVERIFY(codec().verify(token(QStringLiteral("{\"sub\":\"a\",\"role\":\"viewer\",\"exp\":9007199254740992}")), t).ok());
}

void TestJwt::issuerAndAudienceAreCheckedWhenConfigured()
{
    const QByteArray header = "{\"alg\":\"HS256\"}";
    const qint64 t = now();
    const QString base = QStringLiteral("\"sub\":\"a\",\"role\":\"viewer\",\"exp\":%1").arg(t + 600);
    const auto token = [&](const QString &extra) { return handMade(header, (QLatin1Char('{') + base + extra + QLatin1Char('}')).toUtf8(), kSecret); };
    const JwtCodec strict = codec(QStringLiteral("https://id.example.com"), QStringLiteral("syncdesk"));
    QVERIFY(strict.verify(token(QStringLiteral(",\"iss\":\"https://id.example.com\",\"aud\":\"syncdesk\"")), t).ok());
    QVERIFY(strict.verify(token(QStringLiteral(",\"iss\":\"https://id.example.com\",\"aud\":[\"other\",\"syncdesk\"]")), t).ok());
    QCOMPARE(strict.verify(token(QStringLiteral(",\"iss\":\"https://evil.example.com\",\"aud\":\"syncdesk\"")), t).error(),
             QStringLiteral("the token is from another issuer"));
    QCOMPARE(strict.verify(token(QStringLiteral(",\"iss\":\"https://id.example.com\",\"aud\":\"billing\"")), t).error(),
             QStringLiteral("the token is meant for another audience"));
    QCOMPARE(strict.verify(token(QString()), t).error(), QStringLiteral("the token is from another issuer"));
    // Not configured: not checked.
    QVERIFY(codec().verify(token(QStringLiteral(",\"iss\":\"anyone\",\"aud\":\"anything\"")), t).ok());
}

void TestJwt::forgeriesAndMalformedTokensAreRefused_data()
{
    QTest::addColumn<QByteArray>("token");
    const qint64 t = now();
    const QByteArray claims = QStringLiteral("{\"sub\":\"mallory\",\"role\":\"admin\",\"exp\":%1}").arg(t + 600).toUtf8();
    const QByteArray valid = handMade("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, kSecret);
    QTest::newRow("alg none, no signature") << b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + '.' + b64(claims) + '.';
    QTest::newRow("alg none with a signature") << b64("{\"alg\":\"none\"}") + '.' + b64(claims) + '.' + valid.split('.').at(2);
    QTest::newRow("alg None") << handMade("{\"alg\":\"None\"}", claims, kSecret);
    QTest::newRow("HS512 with the same secret") << handMade("{\"alg\":\"HS512\"}", claims, kSecret, QCryptographicHash::Sha512);
    QTest::newRow("HS384 with the same secret") << handMade("{\"alg\":\"HS384\"}", claims, kSecret, QCryptographicHash::Sha384);
    QTest::newRow("RS256 header over an HMAC") << handMade("{\"alg\":\"RS256\"}", claims, kSecret);
    QTest::newRow("no alg") << handMade("{\"typ\":\"JWT\"}", claims, kSecret);
    QTest::newRow("wrong secret") << handMade("{\"alg\":\"HS256\"}", claims, "not-the-secret-not-the-secret-not-the-secret");
    QTest::newRow("payload tampered") << b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + '.'
                                             + b64(QByteArray(claims).replace("mallory", "alice")) + '.' + valid.split('.').at(2);
    QTest::newRow("signature truncated") << valid.chopped(3);
    QTest::newRow("two parts") << valid.left(valid.lastIndexOf('.'));
    QTest::newRow("four parts") << valid + ".abc";
    QTest::newRow("not base64url") << QByteArray(valid).replace(1, 1, "+");
    QTest::newRow("header not JSON") << handMade("not json", claims, kSecret);
    QTest::newRow("payload not JSON") << handMade("{\"alg\":\"HS256\"}", "[1,2]", kSecret);
    QTest::newRow("typ not JWT") << handMade("{\"alg\":\"HS256\",\"typ\":\"JWE\"}", claims, kSecret);
    QTest::newRow("crit header") << handMade("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", claims, kSecret);
    QTest::newRow("no subject") << handMade("{\"alg\":\"HS256\"}", QStringLiteral("{\"role\":\"admin\",\"exp\":%1}").arg(t + 600).toUtf8(), kSecret);
    QTest::newRow("unknown role") << handMade("{\"alg\":\"HS256\"}", QStringLiteral("{\"sub\":\"a\",\"role\":\"root\",\"exp\":%1}").arg(t + 600).toUtf8(), kSecret);
    QTest::newRow("no expiry") << handMade("{\"alg\":\"HS256\"}", "{\"sub\":\"a\",\"role\":\"admin\"}", kSecret);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("not a token at all");
    QTest::newRow("huge") << handMade("{\"alg\":\"HS256\"}", QByteArray(20000, 'x'), kSecret);
}

void TestJwt::forgeriesAndMalformedTokensAreRefused()
{
    QFETCH(QByteArray, token);
    const auto claims = codec().verify(token, now());
    QVERIFY2(!claims.ok(), "accepted");
    QVERIFY(!claims.error().isEmpty());
}

QList<QJsonObject> TestJwt::joseTokens(const QStringList &arguments)
{
    const QString nodeDir = qEnvironmentVariable("SYNCDESK_SOURCE_DIR", QStringLiteral(".")) + QStringLiteral("/tests/node");
    QProcess node;
    node.setWorkingDirectory(nodeDir);
    node.start(QStringLiteral("node"), QStringList{QStringLiteral("mint-jose.mjs")} + arguments);
    if (!node.waitForFinished(60000) || node.exitCode() != 0) {
        qWarning().noquote() << "node mint-jose.mjs failed (run 'npm ci' in tests/node):" << node.readAllStandardError();
        return {};
    }
    QList<QJsonObject> tokens;
    for (const QJsonValue &value : QJsonDocument::fromJson(node.readAllStandardOutput()).array())
        tokens << value.toObject();
    return tokens;
}

void TestJwt::tokensMintedByJoseAreAcceptedAndTheirForgeriesRefused_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<QString>("audience");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("accept");
    for (const auto &[issuer, audience] : QList<QPair<QString, QString>>{{QString(), QString()},
                                                                         {QStringLiteral("https://id.example.com"), QStringLiteral("syncdesk")}}) {
        QStringList arguments{QStringLiteral("--secret"), QString::fromLatin1(kSecret)};
        if (!issuer.isEmpty())
            arguments << QStringLiteral("--issuer") << issuer << QStringLiteral("--audience") << audience;
        const QList<QJsonObject> tokens = joseTokens(arguments);
        QVERIFY2(tokens.size() >= 10, "jose minted no tokens");
        for (const QJsonObject &token : tokens) {
            QTest::addRow("%s%s", qPrintable(token.value(QStringLiteral("name")).toString()), issuer.isEmpty() ? "" : " (iss, aud)")
                << issuer << audience << token.value(QStringLiteral("token")).toString().toLatin1()
                << token.value(QStringLiteral("accept")).toBool();
        }
    }
}

void TestJwt::tokensMintedByJoseAreAcceptedAndTheirForgeriesRefused()
{
    QFETCH(QString, issuer);
    QFETCH(QString, audience);
    QFETCH(QByteArray, token);
    QFETCH(bool, accept);
    const auto claims = codec(issuer, audience).verify(token, now());
    QVERIFY2(claims.ok() == accept, qPrintable(claims.ok() ? QStringLiteral("accepted") : claims.error()));
}

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
