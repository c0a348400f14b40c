#include "apifixture.h"
#include "rawexchange.h"
#include "syncdeskservice.h"

#include "api/jwtcodec.h"
#include "auth/apiaccess.h"
#include "auth/apikeystore.h"
#include "tasks/cleanuptask.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

using namespace syncdesk;
using namespace syncdesk::api;
using namespace syncdesk::test;

// What an attacker found in an hour against a real build (issue 19), each as the attack was made:
// a rebound DNS name reading open local mode, a client that pipelines big answers and never reads,
// empty lines holding connections past every timeout until the server is full, anonymous floods
// growing the audit log, a chunked request with a trailer that ran but was never answered, revoking
// the last key reopening the API, refusals missing from the audit log and request ids chosen by the
// client. Plus the headers a browser must see on every answer, and bodies that must say they are JSON.
class TestApiHardening final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void openModeAnswersOnlyRequestsAddressedToThisMachine_data();
    void openModeAnswersOnlyRequestsAddressedToThisMachine();
    void aClientThatDoesNotReadGetsNoMoreAnswersAhead();
    void emptyLinesDoNotKeepAConnectionOpen();
    void aFullServerMakesRoomForANewClient_data();
    void aFullServerMakesRoomForANewClient();
    void anonymousFloodsCostOneAuditRowPerMinute();
    void theCleanupTaskKeepsTheAuditLogForItsRetention();
    void aChunkedRequestWithATrailerIsRefusedBeforeItRuns();
    void revokingTheLastKeyKeepsTheApiClosed();
    void aJwtSecretClosesOpenModeForGood();
    void refusalsBelowTheApiAreAuditedWithTheServersOwnIds();
    void everyAnswerForbidsFramingAndScripts();
    void aBodyMustSayItIsJson_data();
    void aBodyMustSayItIsJson();

private:
    QByteArray bearer(Role role = Role::Admin) const;
    // The service's open REST connections, as /metrics counts them (this request's included).
    int openConnections();
    qint64 residentGrowthKb() const { return m_service->residentKb() - m_baselineKb; }

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<SyncDeskService> m_service;
    qint64 m_baselineKb = 0;
};

namespace {

const QByteArray kSecret = "hardening-test-secret-of-syncdesk-0123456789";
constexpr int kMaxConnections = 40;

QByteArray get(const QByteArray &target, const QByteArray &headers)
{
    return "GET " + target + " HTTP/1.1\r\n" + headers + "\r\n";
}

// Every complete HTTP/1.1 answer in `bytes`, in order: its status and body.
QList<QPair<int, QByteArray>> answersIn(const QByteArray &bytes)
{
    QList<QPair<int, QByteArray>> answers;
    qsizetype at = 0;
    while (at < bytes.size()) {
        const qsizetype headEnd = bytes.indexOf("\r\n\r\n", at);
        if (headEnd < 0 || !bytes.mid(at, 9).startsWith("HTTP/1.1 "))
            break;
        const QByteArray head = bytes.mid(at, headEnd - at);
        const qsizetype lengthAt = head.indexOf("Content-Length: ");
        const qint64 length = lengthAt < 0 ? 0 : head.mid(lengthAt + 16, head.indexOf("\r\n", lengthAt) - lengthAt - 16).toLongLong();
        if (headEnd + 4 + length > bytes.size())
            break;
        answers.append({head.mid(9, 3).toInt(), bytes.mid(headEnd + 4, length)});
        at = headEnd + 4 + length;
    }
    return answers;
}

} // namespace

QByteArray TestApiHardening::bearer(Role role) const
{
    JwtCodec codec({kSecret, {}, {}, 30});
    return "Authorization: Bearer " + codec.sign(QStringLiteral("attacker"), role, 3600, QDateTime::currentSecsSinceEpoch()).value()
           + "\r\n";
}

int TestApiHardening::openConnections()
{
    const RawExchange metrics = RawExchange::run(m_service->port(), get("/api/sync/metrics", "Host: a\r\nConnection: close\r\n" + bearer()));
    const QByteArray gauge = "\nsyncdesk_http_connections ";
    const qsizetype at = metrics.response.indexOf(gauge);
    if (at < 0)
        return -1;
    const qsizetype value = at + gauge.size();
    return metrics.response.mid(value, metrics.response.indexOf('\n', value) - value).toInt();
}

void TestApiHardening::initTestCase()
{
    // The service the connection-level attacks are made on: short request timeout, a small server.
    m_database = std::make_unique<TestDatabase>();
    QVERIFY2(m_database->isReady(), qPrintable(m_database->error()));
    // 1,200 captured changes, so that one page of recent events is a big answer.
    QVERIFY(m_database->exec(QStringLiteral("INSERT INTO backend.users (email, full_name, phone) SELECT 'flood' || i || '@example.com', "
                                            "repeat('A long enough name ', 3) || i, '+49 30 ' || i FROM generate_series(1, 1200) i")));
    m_service = std::make_unique<SyncDeskService>(m_database->url().toString(),
                                                  QMap<QString, QString>{{QStringLiteral("SYNC_JWT_SECRET"), QString::fromLatin1(kSecret)},
                                                                         {QStringLiteral("SYNC_HTTP_REQUEST_TIMEOUT"), QStringLiteral("2")},
                                                                         {QStringLiteral("SYNC_HTTP_IDLE_TIMEOUT"), QStringLiteral("60")},
                                                                         {QStringLiteral("SYNC_HTTP_MAX_CONNECTIONS"), QString::number(kMaxConnections)},
                                                                         {QStringLiteral("SYNC_RATE_LIMIT_CLIENT"), QStringLiteral("0")},
                                                                         {QStringLiteral("SYNC_RATE_LIMIT_CREDENTIAL"), QStringLiteral("0")},
                                                                         {QStringLiteral("SYNC_HTTP_WORKERS"), QStringLiteral("2")}});
    QVERIFY2(m_service->waitUntilServing(), qPrintable(m_service->log()));
    QTRY_VERIFY_WITH_TIMEOUT(m_database->value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'done'")).toInt() >= 1200,
                             60000);
    m_baselineKb = m_service->residentKb();
    QVERIFY(m_baselineKb > 0);
}

void TestApiHardening::cleanupTestCase()
{
    if (m_service)
        QCOMPARE(m_service->stop(SIGTERM), 0);
    m_service.reset();
    m_database.reset();
}

void TestApiHardening::openModeAnswersOnlyRequestsAddressedToThisMachine_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    // A page of rebind.attacker.example, its name now resolving to 127.0.0.1: same-origin to the
    // browser, so no Origin header; only the Host says where the request was meant to go.
    QTest::newRow("rebound name") << QByteArray("Host: rebind.attacker.example:8000\r\n") << 403 << "host_not_allowed";
    QTest::newRow("name ending in localhost") << QByteArray("Host: evil-localhost:8000\r\n") << 403 << "host_not_allowed";
    QTest::newRow("localhost as a subdomain") << QByteArray("Host: localhost.attacker.example\r\n") << 403 << "host_not_allowed";
    QTest::newRow("loopback address as a name") << QByteArray("Host: 127.0.0.1.nip.io\r\n") << 403 << "host_not_allowed";
    QTest::newRow("no host (HTTP/1.0)") << QByteArray() << 403 << "host_not_allowed";
    QTest::newRow("cross-site fetch") << QByteArray("Host: localhost:8000\r\nSec-Fetch-Site: cross-site\r\n") << 403 << "cross_site_request";
    QTest::newRow("localhost") << QByteArray("Host: localhost:8000\r\n") << 200 << "";
    QTest::newRow("LOCALHOST, no port") << QByteArray("Host: LOCALHOST\r\n") << 200 << "";
    QTest::newRow("127.0.0.1") << QByteArray("Host: 127.0.0.1:8000\r\n") << 200 << "";
    QTest::newRow("[::1]") << QByteArray("Host: [::1]:8000\r\n") << 200 << "";
    QTest::newRow("same-origin fetch") << QByteArray("Host: localhost:8000\r\nSec-Fetch-Site: same-origin\r\n") << 200 << "";
    QTest::newRow("typed into the address bar") << QByteArray("Host: localhost:8000\r\nSec-Fetch-Site: none\r\n") << 200 << "";
}

void TestApiHardening::openModeAnswersOnlyRequestsAddressedToThisMachine()
{
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    QFETCH(QString, code);
    ApiFixture::Options options;
    options.openMode = true;
    ApiFixture open(options);
    QVERIFY(open.start());
    const qint64 victim = open.sync().productSignsUp(QStringLiteral("victim@example.com"), QStringLiteral("Victim"));
    QVERIFY(open.sync().synced());
    // What the page would read: customers' e-mail addresses, the key list, a user's sync.
    for (const QByteArray &target : {QByteArray("/api/sync/search?q=victim"), QByteArray("/api/sync/api-keys"),
                                     "/api/sync/users/" + QByteArray::number(victim) + "/sync"}) {
        const QByteArray version = headers.isEmpty() ? "HTTP/1.0" : "HTTP/1.1";
        const RawExchange answer = RawExchange::run(open.port(), "GET " + target + ' ' + version + "\r\n" + headers
                                                                     + "Connection: close\r\n\r\n");
        QVERIFY2(answer.statusLine().mid(9, 3).toInt() == status, answer.response.left(400).constData());
        if (status == 403) {
            QVERIFY(answer.response.contains("\"" + code.toLatin1() + "\""));
            QVERIFY(!answer.response.contains("victim@example.com"));
        }
    }
}

void TestApiHardening::aClientThatDoesNotReadGetsNoMoreAnswersAhead()
{
    // A client that reads gets the same pages first: what making such answers costs the service's
    // workers (and their allocator keeps) is not what a client that does not read makes it hold.
    QByteArray pages;
    for (int i = 0; i < 4; ++i)
        pages += get("/api/sync/events/recent?limit=1000", "Host: a\r\n" + bearer(Role::Viewer) + (i == 3 ? "Connection: close\r\n" : ""));
    QCOMPARE(answersIn(RawExchange::run(m_service->port(), pages, 30000).response).size(), 4);
    m_baselineKb = m_service->residentKb();
    // A viewer pipelines 150 requests for a big page of recent events and reads nothing.
    QTcpSocket reader;
    reader.setReadBufferSize(64 * 1024); // what a client that does not read holds: little
    reader.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(reader.waitForConnected(3000));
    QByteArray requests;
    for (int i = 0; i < 150; ++i)
        requests += get("/api/sync/events/recent?limit=1000", "Host: a\r\n" + bearer(Role::Viewer));
    reader.write(requests);
    QVERIFY(reader.waitForBytesWritten(3000));
    qint64 peakKb = 0;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 3500) {
        QTest::qWait(100);
        peakKb = std::max(peakKb, residentGrowthKb());
    }
    // Unanswered: the 150 answers (about 60 MB) are not made ahead of a client that does not take them.
    qInfo("resident size grew by %lld kB at most while the client did not read", peakKb);
    QVERIFY2(peakKb < 24 * 1024, qPrintable(QStringLiteral("the service grew by %1 kB").arg(peakKb)));
    // Once the client reads, every answer comes, in order, and nothing was lost meanwhile.
    reader.setReadBufferSize(0);
    QByteArray received;
    timer.restart();
    while (answersIn(received).size() < 150 && timer.elapsed() < 60000) {
        if (reader.waitForReadyRead(1000))
            received += reader.readAll();
    }
    const auto answers = answersIn(received);
    QCOMPARE(answers.size(), 150);
    for (const auto &[status, body] : answers) {
        QCOMPARE(status, 200);
        QCOMPARE(QJsonDocument::fromJson(body).object().value(QStringLiteral("items")).toArray().size(), 1000);
    }
    QVERIFY2(answers.constFirst().second.size() > 250 * 1024, "the answers were not big enough to matter");
    reader.disconnectFromHost();
}

void TestApiHardening::emptyLinesDoNotKeepAConnectionOpen()
{
    // Empty lines may come before a request, but they are not a request: they start its clock (2 s
    // here) like any byte, and more of them do not reset it.
    // An empty line every 300 ms for up to 8 s: what came back, and when the server closed.
    const auto sendEmptyLines = [](QTcpSocket &socket, qint64 *elapsedMs) {
        QElapsedTimer timer;
        timer.start();
        QByteArray answer;
        while (timer.elapsed() < 8000 && socket.state() == QAbstractSocket::ConnectedState) {
            socket.write("\r\n");
            socket.waitForBytesWritten(1000);
            if (socket.waitForReadyRead(300))
                answer += socket.readAll();
        }
        *elapsedMs = timer.elapsed();
        return answer + socket.readAll();
    };
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    qint64 elapsedMs = 0;
    QByteArray answer = sendEmptyLines(socket, &elapsedMs);
    QVERIFY2(answer.startsWith("HTTP/1.1 408 Request Timeout"), answer.constData());
    QVERIFY2(elapsedMs < 4500, qPrintable(QString::number(elapsedMs)));
    // Answered first, then the clock runs from the end of the answer, not from the request's start.
    QTcpSocket keepAlive;
    keepAlive.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(keepAlive.waitForConnected(3000));
    keepAlive.write(get("/api/sync/health", "Host: a\r\n"));
    QVERIFY(keepAlive.waitForReadyRead(3000));
    QVERIFY(keepAlive.readAll().startsWith("HTTP/1.1 200"));
    answer = sendEmptyLines(keepAlive, &elapsedMs);
    QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    QVERIFY2(elapsedMs < 4500, qPrintable(QString::number(elapsedMs)));
}

void TestApiHardening::aFullServerMakesRoomForANewClient_data()
{
    QTest::addColumn<bool>("trickling");
    QTest::newRow("idle keep-alive connections") << false;
    QTest::newRow("connections sending empty lines") << true;
}

void TestApiHardening::aFullServerMakesRoomForANewClient()
{
    QFETCH(bool, trickling);
    // Connections of earlier stories are gone.
    QTRY_VERIFY_WITH_TIMEOUT(openConnections() <= 1, 10000);
    // Every place of the server is taken, from four addresses.
    std::vector<std::unique_ptr<QTcpSocket>> hogs;
    for (int i = 0; i < kMaxConnections; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->bind(QHostAddress(QStringLiteral("127.0.0.%1").arg(10 + i % 4)));
        socket->connectToHost(QHostAddress::LocalHost, m_service->port());
        QVERIFY(socket->waitForConnected(3000));
        socket->write(trickling ? QByteArray("\r\n") : get("/api/sync/health", "Host: a\r\n"));
        QVERIFY(socket->waitForBytesWritten(3000));
        if (!trickling) {
            QVERIFY(socket->waitForReadyRead(3000));
            QVERIFY(socket->readAll().startsWith("HTTP/1.1 200"));
        }
        hogs.push_back(std::move(socket));
    }
    QTest::qWait(700);
    const auto madeRoom = [](QTcpSocket &hog) {
        hog.waitForReadyRead(10);
        return hog.bytesAvailable() > 0 || hog.state() != QAbstractSocket::ConnectedState;
    };
    for (auto &hog : hogs)
        QVERIFY2(!madeRoom(*hog), "the server was full before all its places were taken");
    // A new client is served: the connection that waited longest for its client made room.
    const RawExchange newcomer = RawExchange::run(m_service->port(), get("/api/sync/health", "Host: a\r\nConnection: close\r\n"),
                                                  5000, QHostAddress(QStringLiteral("127.0.0.20")));
    QVERIFY2(newcomer.statusLine() == "HTTP/1.1 200 OK", newcomer.response.left(300).constData());
    int closed = 0;
    for (auto &hog : hogs)
        closed += madeRoom(*hog) ? 1 : 0;
    QVERIFY2(closed >= 1, "no connection made room");
    QVERIFY2(closed <= 3, qPrintable(QString::number(closed)));
    hogs.clear();
}

void TestApiHardening::anonymousFloodsCostOneAuditRowPerMinute()
{
    ApiFixture fixture;
    QVERIFY(fixture.start());
    for (int i = 0; i < 300; ++i)
        QCOMPARE(fixture.request("POST", QStringLiteral("/api/sync/events/retry-dead"), {}, {}).status, 401);
    // Counted, not written one by one: one row (two if a minute turned meanwhile) says how many.
    QTRY_COMPARE_WITH_TIMEOUT(fixture.db()
                                  .value(QStringLiteral("SELECT sum(count) FROM sync.audit_log WHERE action = 'events.retry_dead' "
                                                        "AND result = 'denied' AND status = 401 AND actor = 'anonymous'"))
                                  .toInt(),
                              300, 5000);
    QVERIFY(fixture.db().value(QStringLiteral("SELECT count(*) FROM sync.audit_log WHERE action = 'events.retry_dead'")).toInt() <= 2);
    QCOMPARE(fixture.db().value(QStringLiteral("SELECT client_address FROM sync.audit_log WHERE action = 'events.retry_dead' LIMIT 1")).toString(),
             QStringLiteral("127.0.0.1"));
    // The audit list shows the count, and when the last one came.
    const QJsonObject row = fixture.get(QStringLiteral("/api/sync/audit")).json().value(QStringLiteral("items")).toArray().at(0).toObject();
    QVERIFY(row.value(QStringLiteral("count")).toInt() >= 150);
    QVERIFY(!row.value(QStringLiteral("last_at")).toString().isEmpty());
    QCOMPARE(row.value(QStringLiteral("status")).toInt(), 401);
}

void TestApiHardening::theCleanupTaskKeepsTheAuditLogForItsRetention()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(database.exec(QStringLiteral("INSERT INTO sync.audit_log (at, actor, action, result) VALUES (now() - interval '91 days', "
                                         "'old', 'tickets.status', 'success'), (now() - interval '89 days', 'kept', 'tickets.status', "
                                         "'success'), (now(), 'new', 'tickets.status', 'success')")));
    auto report = CleanupTask(database.db(), 7, 90).run();
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->auditDeleted, 1);
    QCOMPARE(database.value(QStringLiteral("SELECT string_agg(actor, ',' ORDER BY at) FROM sync.audit_log")).toString(),
             QStringLiteral("kept,new"));
}

void TestApiHardening::aChunkedRequestWithATrailerIsRefusedBeforeItRuns()
{
    ApiFixture fixture;
    QVERIFY(fixture.start());
    qint64 conversation = 0;
    fixture.customerWithConversation(QStringLiteral("trailer@example.com"), QStringLiteral("My order never arrived"), &conversation);
    const HttpReply created = fixture.post(QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation));
    QCOMPARE(created.status, 201);
    const qint64 ticket = created.json().value(QStringLiteral("dashboard_ticket_id")).toInteger();
    // The ticket is closed with a chunked body; then comes whatever follows the last chunk.
    const auto closeTicket = [&](const QByteArray &afterLastChunk) {
        const QByteArray body = "{\"status\":\"closed\"}";
        const auto [name, value] = fixture.as(Role::Admin).constFirst(); // a copy: as() returns a temporary
        return "POST /api/sync/tickets/" + QByteArray::number(ticket) + "/status HTTP/1.1\r\nHost: 127.0.0.1\r\n" + name + ": "
               + value + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
               + QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n" + afterLastChunk;
    };
    const RawExchange answer = RawExchange::run(
        fixture.port(), closeTicket("X-Checksum: 1234\r\n\r\n" + get("/api/sync/health", "Host: 127.0.0.1\r\n")), 3000);
    // Answered, and not run: a request is never run when its answer cannot be sent.
    QVERIFY2(answer.statusLine() == "HTTP/1.1 400 Bad Request", answer.response.constData());
    QVERIFY(answer.response.contains("trailer"));
    QVERIFY(answer.closedByServer);
    QTest::qWait(300);
    QVERIFY(fixture.sync().synced());
    QVERIFY(fixture.helpdeskDb().value(QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ?"), {ticket}).toString()
            != QLatin1String("closed"));
    // Without the trailer the same request runs and is answered, and the next one after it too.
    const RawExchange plain = RawExchange::run(
        fixture.port(), closeTicket("\r\n" + get("/api/sync/health", "Host: 127.0.0.1\r\nConnection: close\r\n")), 5000);
    const auto answers = answersIn(plain.response);
    QCOMPARE(answers.size(), 2);
    QCOMPARE(answers.at(0).first, 200);
    QCOMPARE(answers.at(1).first, 200);
    QCOMPARE(fixture.helpdeskDb().value(QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ?"), {ticket}).toString(),
             QStringLiteral("closed"));
}

void TestApiHardening::revokingTheLastKeyKeepsTheApiClosed()
{
    ApiFixture::Options options;
    options.openMode = true;
    ApiFixture fixture(options);
    QVERIFY(fixture.start());
    QCOMPARE(fixture.request("GET", QStringLiteral("/api/sync/status"), {}, {}).status, 200);
    ApiKeyStore keys(fixture.db().connections());
    QVERIFY(keys.create(QStringLiteral("only-key"), Role::Viewer, QStringLiteral("test")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(fixture.request("GET", QStringLiteral("/api/sync/status"), {}, {}).status, 401, 3000);
    // The last key goes: the API stays closed rather than opening to everyone on the machine.
    QVERIFY(keys.revoke(QStringLiteral("only-key")).ok());
    QTest::qWait(1500);
    const HttpReply closed = fixture.request("GET", QStringLiteral("/api/sync/status"), {}, {});
    QCOMPARE(closed.status, 401);
    QVERIFY2(closed.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(
                 QLatin1String("--reopen-open-mode")),
             closed.describe());
    QCOMPARE(fixture.db().value(QStringLiteral("SELECT actor || ' ' || target FROM sync.audit_log WHERE action = 'api.open_mode_closed'"))
                 .toString(),
             QStringLiteral("test key_id=1"));
    // Only an admin's explicit reopening (what --reopen-open-mode does) opens it again, audited too.
    ApiAccess access(fixture.db().connections());
    QVERIFY(keys.create(QStringLiteral("second-key"), Role::Viewer, QStringLiteral("test")).ok());
    QVERIFY(!access.reopen(QStringLiteral("cli:admin")).ok()); // not while a key is active
    QVERIFY(keys.revoke(QStringLiteral("second-key")).ok());
    auto reopened = access.reopen(QStringLiteral("cli:admin"));
    QVERIFY2(reopened && reopened.value(), qPrintable(reopened ? QString() : reopened.error()));
    QTRY_COMPARE_WITH_TIMEOUT(fixture.request("GET", QStringLiteral("/api/sync/status"), {}, {}).status, 200, 3000);
    QCOMPARE(fixture.db().value(QStringLiteral("SELECT actor FROM sync.audit_log WHERE action = 'api.open_mode_reopened'")).toString(),
             QStringLiteral("cli:admin"));
}

void TestApiHardening::aJwtSecretClosesOpenModeForGood()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    ApiConfig config;
    config.port = 0;
    config.jwt.secret = kSecret;
    {
        HttpApi secured(config, nullptr, database.connections());
        QVERIFY(secured.start().ok());
    }
    // The secret is taken away again: no open local mode.
    config.jwt.secret.clear();
    HttpApi withoutSecret(config, nullptr, database.connections());
    QVERIFY(withoutSecret.start().ok());
    QVERIFY(!withoutSecret.openMode());
    HttpClient client(withoutSecret.port());
    QCOMPARE(client.request("GET", QStringLiteral("/api/sync/status")).status, 401);
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.audit_log WHERE action = 'api.open_mode_closed'")).toInt(), 1);
}

void TestApiHardening::refusalsBelowTheApiAreAuditedWithTheServersOwnIds()
{
    ApiFixture::Options options;
    options.configure = [](ApiConfig &config) {
        config.limits.requestTimeoutMs = 1000;
        config.limits.framing.maxBodyBytes = 1024;
        config.clientRate = 1;
        config.clientBurst = 20;
    };
    ApiFixture fixture(options);
    QVERIFY(fixture.start());
    const QByteArray admin = fixture.as(Role::Admin).constFirst().first + ": " + fixture.as(Role::Admin).constFirst().second + "\r\n";
    const QHostAddress attacker(QStringLiteral("127.0.0.3"));
    // 413: a body over the limit, refused before it is read.
    QVERIFY(RawExchange::run(fixture.port(), "POST /api/sync/events/retry-dead HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n", 3000,
                             attacker)
                .statusLine()
                .startsWith("HTTP/1.1 413"));
    // 408: a request that trickles in.
    QVERIFY(RawExchange::run(fixture.port(), "POST /api/sync/consistency-check HTTP/1.1\r\nHost: a\r\nContent-Le", 4000, attacker)
                .statusLine()
                .startsWith("HTTP/1.1 408"));
    // 400: malformed HTTP.
    QVERIFY(RawExchange::run(fixture.port(), "POST /api/sync/tickets/7/status HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", 3000,
                             attacker)
                .statusLine()
                .startsWith("HTTP/1.1 400"));
    // 429: the client's rate is used up.
    int throttled = 0;
    for (int i = 0; i < 40; ++i)
        throttled += RawExchange::run(fixture.port(), "POST /api/sync/events/retry-dead HTTP/1.1\r\nHost: a\r\n" + admin + "Connection: close\r\n\r\n",
                                      3000, attacker)
                             .statusLine()
                             .startsWith("HTTP/1.1 429")
                         ? 1
                         : 0;
    QVERIFY(throttled >= 15);
    const auto refusals = [&fixture]() {
        return fixture.db()
            .value(QStringLiteral("SELECT string_agg(action || ' ' || status || ' ' || count, ', ' ORDER BY status) FROM sync.audit_log "
                                  "WHERE client_address = '127.0.0.3' AND status <> 200"))
            .toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(refusals(), QStringLiteral("tickets.status 400 1, consistency_check.start 408 1, events.retry_dead 413 1, "
                                                         "events.retry_dead 429 %1")
                                              .arg(throttled),
                              5000);

    // Two requests that send the same X-Request-Id get ids of their own; the client's is kept beside them.
    for (int i = 0; i < 2; ++i) {
        const HttpReply reply = fixture.request("POST", QStringLiteral("/api/sync/events/retry-dead"), {},
                                                {fixture.as(Role::Admin).constFirst(), {"X-Request-Id", "same-id"}});
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("X-Request-Id") != "same-id");
    }
    const QList<QVariantList> rows = fixture.db().rows(
        QStringLiteral("SELECT request_id, client_request_id FROM sync.audit_log WHERE client_request_id = 'same-id'"));
    QCOMPARE(rows.size(), 2);
    QVERIFY(rows.at(0).at(0).toString() != rows.at(1).at(0).toString());
}

void TestApiHardening::everyAnswerForbidsFramingAndScripts()
{
    const QList<QByteArray> answers{
        RawExchange::run(m_service->port(), get("/api/sync/health", "Host: a\r\nConnection: close\r\n")).response,
        RawExchange::run(m_service->port(), get("/api/sync/nowhere", "Host: a\r\nConnection: close\r\n" + bearer())).response,
        RawExchange::run(m_service->port(), get("/api/sync/status", "Host: a\r\nConnection: close\r\n")).response,
        RawExchange::run(m_service->port(), "GET /api/sync/status HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n").response,
    };
    for (const QByteArray &answer : answers) {
        QVERIFY2(answer.contains("\r\nContent-Security-Policy: default-src 'none'\r\n"), answer.constData());
        QVERIFY2(answer.contains("\r\nX-Frame-Options: DENY\r\n"), answer.constData());
        QVERIFY2(answer.contains("\r\nX-Content-Type-Options: nosniff\r\n"), answer.constData());
    }
}

void TestApiHardening::aBodyMustSayItIsJson_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    // A browser form or a text/plain "simple request" can be sent cross-site without a preflight.
    QTest::newRow("text/plain") << QByteArray("text/plain") << QByteArray("{\"status\":\"open\"}") << 415;
    QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded") << QByteArray("{\"status\":\"open\"}") << 415;
    QTest::newRow("none") << QByteArray() << QByteArray("{\"status\":\"open\"}") << 415;
    QTest::newRow("json in another charset") << QByteArray("application/json; charset=latin1") << QByteArray("{\"status\":\"open\"}") << 415;
    QTest::newRow("json") << QByteArray("application/json") << QByteArray("{\"status\":\"open\"}") << 404;
    QTest::newRow("json, utf-8") << QByteArray("Application/JSON; charset=UTF-8") << QByteArray("{\"status\":\"open\"}") << 404;
    QTest::newRow("no body, no type") << QByteArray() << QByteArray() << 400;
}

void TestApiHardening::aBodyMustSayItIsJson()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const QByteArray type = contentType.isEmpty() ? QByteArray() : "Content-Type: " + contentType + "\r\n";
    const RawExchange answer = RawExchange::run(m_service->port(), "POST /api/sync/tickets/999999/status HTTP/1.1\r\nHost: a\r\n" + bearer()
                                                                       + type + "Content-Length: " + QByteArray::number(body.size())
                                                                       + "\r\nConnection: close\r\n\r\n" + body);
    QVERIFY2(answer.statusLine().mid(9, 3).toInt() == status, answer.response.constData());
    if (status == 415)
        QVERIFY(answer.response.contains("\"unsupported_media_type\""));
}

QTEST_GUILESS_MAIN(TestApiHardening)
#include "tst_apihardening.moc"
