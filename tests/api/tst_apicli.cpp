#include "syncdeskservice.h"
#include "testdatabase.h"

#include "api/jwtcodec.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

using namespace syncdesk;
using namespace syncdesk::test;

// The REST API from an operator's side: `syncdesk api-key` and `syncdesk token`, the headless service
// serving (plain and TLS), its refusals to start (port taken, no credentials on a public address, bad
// configuration) in one line, --no-http, JSON logs, and a graceful stop.
class TestApiCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void apiKeysAreCreatedListedAndRevoked();
    void apiKeyUsageErrors_data();
    void apiKeyUsageErrors();
    void tokenMintsAVerifiableBearerToken();
    void badApiConfigurationIsAUsageErrorAndSecretsStayHidden_data();
    void badApiConfigurationIsAUsageErrorAndSecretsStayHidden();
    void headlessServesTheApiOpenLocallyAndStopsGracefully();
    void aRevokedLastKeyLeavesTheApiClosedUntilReopenedByFlag();
    void aTakenPortFailsInOneLine();
    void noCredentialsOnAPublicAddressFailsInOneLine();
    void noHttpRunsTheEngineOnly_data();
    void noHttpRunsTheEngineOnly();
    void jsonLogsAreOneObjectPerLine();
    void tlsServesHttpsOnly();

private:
    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };
    Run run(const QStringList &arguments, const QMap<QString, QString> &environment = {});
    static QString ourLines(const QString &log);
    static QByteArray get(quint16 port, const QByteArray &path, const QByteArray &headers = {});

    std::unique_ptr<TestDatabase> m_database;
};

namespace {
const QString kSecret = QStringLiteral("cli-test-secret-of-syncdesk-0123456789abcdef");
}

void TestApiCli::init()
{
    m_database = std::make_unique<TestDatabase>();
    QVERIFY2(m_database->isReady(), qPrintable(m_database->error()));
}

void TestApiCli::cleanup()
{
    m_database.reset();
}

TestApiCli::Run TestApiCli::run(const QStringList &arguments, const QMap<QString, QString> &environment)
{
    QTemporaryDir home;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(QLatin1String("SYNC_")) || name.endsWith(QLatin1String("DATABASE_URL")))
            env.remove(name);
    }
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    env.insert(QStringLiteral("DATABASE_URL"), m_database->url().toString());
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    process.setProcessEnvironment(env);
    process.start(SyncDeskService::binary(), arguments);
    Run result;
    if (!process.waitForFinished(60000))
        return result;
    result.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QString TestApiCli::ourLines(const QString &log)
{
    return log.split(QLatin1Char('\n')).filter(QLatin1String("syncdesk: ")).join(QLatin1Char('\n'));
}

QByteArray TestApiCli::get(quint16 port, const QByteArray &path, const QByteArray &headers)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(5000))
        answer += socket.readAll();
    return answer;
}

void TestApiCli::apiKeysAreCreatedListedAndRevoked()
{
    const Run created = run({QStringLiteral("api-key"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("ci-reader"),
                             QStringLiteral("--role"), QStringLiteral("viewer")});
    QVERIFY2(created.code == 0, qPrintable(created.err));
    const QString key = created.out.trimmed();
    QVERIFY2(key.startsWith(QLatin1String("sdk_")) && !key.contains(QLatin1Char('\n')), qPrintable(created.out));
    QVERIFY(created.err.contains(QLatin1String("shown this once")));
    QCOMPARE(m_database->value(QStringLiteral("SELECT role FROM sync.api_keys WHERE name = 'ci-reader'")).toString(), QStringLiteral("viewer"));
    QCOMPARE(m_database->value(QStringLiteral("SELECT count(*) FROM sync.api_keys WHERE key_hash = ?"),
                               {QString::fromLatin1(QCryptographicHash::hash(key.toLatin1(), QCryptographicHash::Sha256).toHex())})
                 .toInt(),
             1);

    const Run listed = run({QStringLiteral("api-key"), QStringLiteral("list")});
    QCOMPARE(listed.code, 0);
    QVERIFY(listed.out.contains(QLatin1String("ci-reader")));
    QVERIFY(listed.out.contains(key.left(12)));
    QVERIFY2(!listed.out.contains(key), "the key was listed");

    const Run duplicate = run({QStringLiteral("api-key"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("ci-reader"),
                               QStringLiteral("--role"), QStringLiteral("admin")});
    QCOMPARE(duplicate.code, 1);
    QVERIFY(ourLines(duplicate.err).contains(QLatin1String("exists already")));

    const Run revoked = run({QStringLiteral("api-key"), QStringLiteral("revoke"), QStringLiteral("ci-reader")});
    QVERIFY2(revoked.code == 0, qPrintable(revoked.err));
    QVERIFY(revoked.out.contains(QLatin1String("revoked")));
    QVERIFY(!m_database->value(QStringLiteral("SELECT revoked_at FROM sync.api_keys WHERE name = 'ci-reader'")).isNull());
    const Run again = run({QStringLiteral("api-key"), QStringLiteral("revoke"), QStringLiteral("ci-reader")});
    QCOMPARE(again.code, 1);
    QVERIFY(again.err.contains(QLatin1String("revoked already")));
    QCOMPARE(run({QStringLiteral("api-key"), QStringLiteral("revoke"), QStringLiteral("9999")}).code, 1);
}

void TestApiCli::apiKeyUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no action") << QStringList{"api-key"};
    QTest::newRow("unknown action") << QStringList{"api-key", "rotate"};
    QTest::newRow("create without name") << QStringList{"api-key", "create", "--role", "viewer"};
    QTest::newRow("create with a bad role") << QStringList{"api-key", "create", "--name", "x", "--role", "root"};
    QTest::newRow("revoke without key") << QStringList{"api-key", "revoke"};
    QTest::newRow("list with extras") << QStringList{"api-key", "list", "all"};
    QTest::newRow("token without subject") << QStringList{"token", "--role", "viewer"};
    QTest::newRow("token with a bad ttl") << QStringList{"token", "--subject", "a", "--role", "viewer", "--ttl", "0"};
    QTest::newRow("extra arguments elsewhere") << QStringList{"migrate", "now"};
}

void TestApiCli::apiKeyUsageErrors()
{
    QFETCH(QStringList, arguments);
    const Run result = run(arguments, {{QStringLiteral("SYNC_JWT_SECRET"), kSecret}});
    QCOMPARE(result.code, 2);
    QCOMPARE(ourLines(result.err).count(QLatin1Char('\n')), 0);
    QVERIFY(!ourLines(result.err).isEmpty());
}

void TestApiCli::tokenMintsAVerifiableBearerToken()
{
    const Run minted = run({QStringLiteral("token"), QStringLiteral("--subject"), QStringLiteral("ops-script"), QStringLiteral("--role"),
                            QStringLiteral("agent"), QStringLiteral("--ttl"), QStringLiteral("120")},
                           {{QStringLiteral("SYNC_JWT_SECRET"), kSecret}, {QStringLiteral("SYNC_JWT_ISSUER"), QStringLiteral("syncdesk-ops")}});
    QVERIFY2(minted.code == 0, qPrintable(minted.err));
    api::JwtCodec codec({kSecret.toUtf8(), QStringLiteral("syncdesk-ops"), {}, 30});
    const auto claims = codec.verify(minted.out.trimmed().toLatin1(), QDateTime::currentSecsSinceEpoch());
    QVERIFY2(claims.ok(), qPrintable(claims.error()));
    QCOMPARE(claims->subject, QStringLiteral("ops-script"));
    QCOMPARE(claims->role, Role::Agent);
    QVERIFY(qAbs(claims->expiresAt - QDateTime::currentSecsSinceEpoch() - 120) <= 5);
    // From a secret file, too; without a secret it says what to set.
    QTemporaryFile secretFile;
    QVERIFY(secretFile.open());
    secretFile.write(kSecret.toUtf8() + '\n');
    secretFile.close();
    const Run fromFile = run({QStringLiteral("token"), QStringLiteral("--subject"), QStringLiteral("a"), QStringLiteral("--role"), QStringLiteral("viewer")},
                             {{QStringLiteral("SYNC_JWT_SECRET_FILE"), secretFile.fileName()}});
    QCOMPARE(fromFile.code, 0);
    QVERIFY(api::JwtCodec::verifySignature(fromFile.out.trimmed().toLatin1(), kSecret.toUtf8()).ok());
    const Run noSecret = run({QStringLiteral("token"), QStringLiteral("--subject"), QStringLiteral("a"), QStringLiteral("--role"), QStringLiteral("viewer")});
    QCOMPARE(noSecret.code, 1);
    QVERIFY(noSecret.err.contains(QLatin1String("SYNC_JWT_SECRET")));
}

void TestApiCli::badApiConfigurationIsAUsageErrorAndSecretsStayHidden_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("short secret") << "SYNC_JWT_SECRET" << "tooshort-s3cret" << "shorter than 32 bytes";
    QTest::newRow("missing secret file") << "SYNC_JWT_SECRET_FILE" << "/nonexistent/secret" << "cannot be read";
    QTest::newRow("bad origin") << "SYNC_CORS_ORIGINS" << "https://ok.example.com,not an origin" << "not an origin";
    QTest::newRow("bad rate") << "SYNC_RATE_LIMIT_CLIENT" << "fast" << "SYNC_RATE_LIMIT_CLIENT='fast'";
    QTest::newRow("body limit") << "SYNC_HTTP_MAX_BODY" << "-1" << "SYNC_HTTP_MAX_BODY";
    QTest::newRow("certificate without key") << "SYNC_TLS_CERT" << QString() << "must be set together";
    QTest::newRow("log format") << "SYNC_LOG_FORMAT" << "xml" << "neither text nor json";
}

void TestApiCli::badApiConfigurationIsAUsageErrorAndSecretsStayHidden()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    if (variable == QLatin1String("SYNC_TLS_CERT"))
        value = qEnvironmentVariable("SYNCDESK_SOURCE_DIR") + QStringLiteral("/tests/data/tls/localhost.crt");
    const Run result = run({QStringLiteral("--headless")}, {{variable, value}});
    QCOMPARE(result.code, 2);
    QVERIFY2(ourLines(result.err).contains(expected), qPrintable(result.err));
    QVERIFY2(!result.err.contains(QLatin1String("s3cret")), "the secret was printed");
}

void TestApiCli::headlessServesTheApiOpenLocallyAndStopsGracefully()
{
    SyncDeskService service(m_database->url().toString(), {});
    QVERIFY2(service.waitUntilServing(), qPrintable(service.log()));
    QVERIFY(service.log().contains(QLatin1String("open local mode")));
    // The docs' plain curl works: no credentials in open local mode.
    const QByteArray status = get(service.port(), "/api/sync/status");
    QVERIFY2(status.startsWith("HTTP/1.1 200 OK"), status.constData());
    QVERIFY(status.contains("X-Request-Id: "));
    QVERIFY(status.contains("\"service_running\":true"));
    QCOMPARE(service.stop(SIGTERM), 0);
    const QString log = service.log();
    QVERIFY2(log.indexOf(QLatin1String("REST API stopped")) < log.indexOf(QLatin1String("sync engine stopped")), qPrintable(log));
    QVERIFY(get(service.port(), "/api/sync/status").isEmpty());
}

void TestApiCli::aRevokedLastKeyLeavesTheApiClosedUntilReopenedByFlag()
{
    const QStringList create{QStringLiteral("api-key"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("first"),
                             QStringLiteral("--role"), QStringLiteral("admin")};
    QCOMPARE(run(create).code, 0);
    // While a key is active there is nothing to reopen: one line, exit 1.
    {
        SyncDeskService refused(m_database->url().toString(), {}, {QStringLiteral("--reopen-open-mode")});
        QVERIFY(refused.finish(60000));
        QCOMPARE(refused.exitCode(), 1);
        QVERIFY2(ourLines(refused.log()).contains(QLatin1String("revoke them first")), qPrintable(refused.log()));
    }
    QCOMPARE(run({QStringLiteral("api-key"), QStringLiteral("revoke"), QStringLiteral("first")}).code, 0);
    {
        // No credentials left, and still closed: it says so at start and answers 401.
        SyncDeskService closed(m_database->url().toString(), {});
        QVERIFY2(closed.waitUntilServing(), qPrintable(closed.log()));
        QVERIFY2(closed.log().contains(QLatin1String("--reopen-open-mode")), qPrintable(closed.log()));
        QVERIFY(get(closed.port(), "/api/sync/status").startsWith("HTTP/1.1 401"));
        QCOMPARE(closed.stop(SIGTERM), 0);
    }
    SyncDeskService reopened(m_database->url().toString(), {}, {QStringLiteral("--reopen-open-mode")});
    QVERIFY2(reopened.waitUntilServing(), qPrintable(reopened.log()));
    QVERIFY(reopened.log().contains(QLatin1String("open local mode reopened")));
    QVERIFY(get(reopened.port(), "/api/sync/status").startsWith("HTTP/1.1 200"));
    QCOMPARE(reopened.stop(SIGTERM), 0);
    QCOMPARE(m_database->value(QStringLiteral("SELECT string_agg(action, ',' ORDER BY id) FROM sync.audit_log")).toString(),
             QStringLiteral("api.open_mode_closed,api.open_mode_reopened"));
}

void TestApiCli::aTakenPortFailsInOneLine()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    SyncDeskService service(m_database->url().toString(), {{QStringLiteral("SYNC_HTTP_PORT"), QString::number(squatter.serverPort())}});
    QVERIFY(service.finish(60000));
    QCOMPARE(service.exitCode(), 1);
    const QString ours = ourLines(service.log());
    QCOMPARE(ours.count(QLatin1Char('\n')), 0);
    QVERIFY2(ours.contains(QStringLiteral("cannot listen on http://127.0.0.1:%1").arg(squatter.serverPort())), qPrintable(service.log()));
    QVERIFY2(service.log().contains(QLatin1String("sync engine stopped")), qPrintable(service.log()));
}

void TestApiCli::noCredentialsOnAPublicAddressFailsInOneLine()
{
    SyncDeskService service(m_database->url().toString(), {{QStringLiteral("SYNC_HTTP_BIND"), QStringLiteral("0.0.0.0")}});
    QVERIFY(service.finish(60000));
    QCOMPARE(service.exitCode(), 1);
    const QString ours = ourLines(service.log());
    QCOMPARE(ours.count(QLatin1Char('\n')), 0);
    QVERIFY2(ours.contains(QLatin1String("without credentials on http://0.0.0.0")), qPrintable(service.log()));
    // With a secret the same address is fine.
    SyncDeskService secured(m_database->url().toString(),
                            {{QStringLiteral("SYNC_HTTP_BIND"), QStringLiteral("0.0.0.0")}, {QStringLiteral("SYNC_JWT_SECRET"), kSecret}});
    QVERIFY2(secured.waitUntilServing(), qPrintable(secured.log()));
    QVERIFY(get(secured.port(), "/api/sync/status").startsWith("HTTP/1.1 401"));
    QVERIFY(get(secured.port(), "/api/sync/health").startsWith("HTTP/1.1 200"));
    QCOMPARE(secured.stop(SIGINT), 0);
}

void TestApiCli::noHttpRunsTheEngineOnly_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("flag");
    QTest::newRow("--no-http") << QString() << QStringLiteral("--no-http");
    QTest::newRow("SYNC_HTTP_ENABLED=false") << QStringLiteral("SYNC_HTTP_ENABLED") << QString();
    QTest::newRow("--http-enabled=no") << QString() << QStringLiteral("--http-enabled=no");
}

void TestApiCli::noHttpRunsTheEngineOnly()
{
    QFETCH(QString, variable);
    QFETCH(QString, flag);
    QMap<QString, QString> environment;
    if (!variable.isEmpty())
        environment.insert(variable, QStringLiteral("false"));
    SyncDeskService service(m_database->url().toString(), environment, flag.isEmpty() ? QStringList() : QStringList{flag});
    QVERIFY2(service.waitForLog(QStringLiteral("running headless")), qPrintable(service.log()));
    QVERIFY(service.log().contains(QLatin1String("sync engine started")));
    QVERIFY2(service.log().contains(QLatin1String("the REST API is off")), qPrintable(service.log()));
    QVERIFY(!service.log().contains(QLatin1String("REST API listening")));
    QCOMPARE(service.stop(SIGTERM), 0);
}

void TestApiCli::jsonLogsAreOneObjectPerLine()
{
    SyncDeskService service(m_database->url().toString(), {{QStringLiteral("SYNC_JWT_SECRET"), kSecret}},
                            {QStringLiteral("--log-format"), QStringLiteral("json")});
    QVERIFY2(service.waitUntilServing(), qPrintable(service.log()));
    QCOMPARE(service.stop(SIGTERM), 0);
    int lines = 0;
    for (const QString &line : service.log().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(line));
        for (const char *field : {"time", "level", "category", "message"})
            QVERIFY2(object.contains(QLatin1String(field)), qPrintable(line));
        ++lines;
    }
    QVERIFY(lines >= 4);
}

void TestApiCli::tlsServesHttpsOnly()
{
    const QString tls = qEnvironmentVariable("SYNCDESK_SOURCE_DIR") + QStringLiteral("/tests/data/tls/");
    SyncDeskService service(m_database->url().toString(),
                            {{QStringLiteral("SYNC_JWT_SECRET"), kSecret},
                             {QStringLiteral("SYNC_TLS_CERT"), tls + QStringLiteral("localhost.crt")},
                             {QStringLiteral("SYNC_TLS_KEY"), tls + QStringLiteral("localhost.key")}});
    QVERIFY2(service.waitUntilServing(), qPrintable(service.log()));
    QVERIFY(service.log().contains(QStringLiteral("https://127.0.0.1:%1").arg(service.port())));
    QSslSocket socket;
    const QList<QSslCertificate> trusted = QSslCertificate::fromPath(tls + QStringLiteral("localhost.crt"));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(trusted);
    socket.setSslConfiguration(configuration);
    socket.connectToHostEncrypted(QStringLiteral("localhost"), service.port());
    QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
    socket.write("GET /api/sync/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(5000))
        answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), answer.constData());
    // Plain HTTP on the TLS port gets no HTTP answer.
    QVERIFY(!get(service.port(), "/api/sync/health").startsWith("HTTP/1.1"));
    QCOMPARE(service.stop(SIGTERM), 0);
}

QTEST_GUILESS_MAIN(TestApiCli)
#include "tst_apicli.moc"
