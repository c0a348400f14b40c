#include "rawexchange.h"
#include "syncdeskservice.h"
#include "testdatabase.h"

#include "api/jwtcodec.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>
#include <memory>

using namespace syncdesk;
using namespace syncdesk::test;

// What hostile or broken clients do to the REST API of a running `syncdesk --headless`: oversized
// heads and bodies (up to a gigabyte), clients that trickle or never send, a thousand idle
// connections, malformed HTTP, invalid UTF-8, deeply nested JSON. Each is answered correctly or cut
// off, the service stays up, and its memory stays bounded.
class TestApiAbuse final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void oversizedHeadersGet413();
    void aDeclaredGigabyteBodyIsRefusedBeforeItIsSent();
    void aStreamedHundredMegabytesStopsAtTheLimit();
    void headersTricklingInGet408();
    void aBodyTricklingInGets408();
    void silentAndIdleConnectionsAreClosed();
    void aThousandIdleConnectionsAreCappedPerClient();
    void malformedHttpIsAnsweredAndClosed_data();
    void malformedHttpIsAnsweredAndClosed();
    void invalidUtf8AndDeepJsonAre400();
    void pipelinedAndHttp10RequestsAreAnsweredInOrder();
    void memoryAndConnectionsStayBounded();

private:
    RawExchange exchange(const QByteArray &bytes, int waitMs = 3000, const QHostAddress &from = {});
    bool stillServes(const QHostAddress &from = {});
    QByteArray bearer() const;

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<SyncDeskService> m_service;
    qint64 m_baselineKb = 0;
    int m_baselineFiles = 0;
};

namespace {
const QByteArray kSecret = "abuse-test-secret-of-syncdesk-0123456789abcdef";
constexpr qint64 kMaxBody = 64 * 1024;
} // namespace

QByteArray TestApiAbuse::bearer() const
{
    api::JwtCodec codec({kSecret, {}, {}, 30});
    return "Authorization: Bearer " + codec.sign(QStringLiteral("abuser"), Role::Admin, 3600, QDateTime::currentSecsSinceEpoch()).value()
           + "\r\n";
}

void TestApiAbuse::initTestCase()
{
    m_database = std::make_unique<TestDatabase>();
    QVERIFY2(m_database->isReady(), qPrintable(m_database->error()));
    m_service = std::make_unique<SyncDeskService>(m_database->url().toString(),
                                                  QMap<QString, QString>{{QStringLiteral("SYNC_JWT_SECRET"), QString::fromLatin1(kSecret)},
                                                                         {QStringLiteral("SYNC_HTTP_MAX_BODY"), QString::number(kMaxBody)},
                                                                         {QStringLiteral("SYNC_HTTP_MAX_HEADER"), QStringLiteral("8192")},
                                                                         {QStringLiteral("SYNC_HTTP_REQUEST_TIMEOUT"), QStringLiteral("2")},
                                                                         {QStringLiteral("SYNC_HTTP_IDLE_TIMEOUT"), QStringLiteral("3")},
                                                                         {QStringLiteral("SYNC_HTTP_MAX_CONNECTIONS_PER_CLIENT"), QStringLiteral("50")},
                                                                         {QStringLiteral("SYNC_RATE_LIMIT_CLIENT"), QStringLiteral("100000")},
                                                                         {QStringLiteral("SYNC_HTTP_WORKERS"), QStringLiteral("2")}});
    QVERIFY2(m_service->waitUntilServing(), qPrintable(m_service->log()));
    QVERIFY(stillServes());
    m_baselineKb = m_service->residentKb();
    m_baselineFiles = m_service->openFiles();
    QVERIFY(m_baselineKb > 0);
}

void TestApiAbuse::cleanupTestCase()
{
    if (!m_service)
        return;
    QCOMPARE(m_service->stop(SIGTERM), 0);
    QVERIFY2(m_service->log().contains(QLatin1String("REST API stopped")), qPrintable(m_service->log()));
    m_service.reset();
    m_database.reset();
}

void TestApiAbuse::init()
{
    QVERIFY2(m_service && m_service->running(), "the service is down");
}

RawExchange TestApiAbuse::exchange(const QByteArray &bytes, int waitMs, const QHostAddress &from)
{
    return RawExchange::run(m_service->port(), bytes, waitMs, from);
}

bool TestApiAbuse::stillServes(const QHostAddress &from)
{
    const RawExchange health = exchange("GET /api/sync/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 5000, from);
    if (!health.statusLine().startsWith("HTTP/1.1 200"))
        qWarning().noquote() << "health check answered:" << health.response.left(300);
    return health.statusLine() == "HTTP/1.1 200 OK";
}

void TestApiAbuse::oversizedHeadersGet413()
{
    const RawExchange one = exchange("GET /api/sync/status HTTP/1.1\r\nHost: a\r\nX-Junk: " + QByteArray(20000, 'j') + "\r\n\r\n");
    QCOMPARE(one.statusLine(), QByteArray("HTTP/1.1 413 Content Too Large"));
    QVERIFY(one.response.contains("\"headers_too_large\""));
    QVERIFY(one.closedByServer);
    QByteArray many = "GET /api/sync/status HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 2000; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QCOMPARE(exchange(many + "\r\n").statusLine(), QByteArray("HTTP/1.1 413 Content Too Large"));
    QVERIFY(stillServes());
}

void TestApiAbuse::aDeclaredGigabyteBodyIsRefusedBeforeItIsSent()
{
    const RawExchange refused = exchange("POST /api/sync/tickets/1/status HTTP/1.1\r\nHost: a\r\n" + bearer()
                                      + "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"status\":");
    QCOMPARE(refused.statusLine(), QByteArray("HTTP/1.1 413 Content Too Large"));
    QVERIFY(refused.response.contains("\"body_too_large\""));
    QVERIFY(refused.closedByServer);
    QVERIFY(refused.elapsedMs < 2000);
    // curl's way: Expect: 100-continue gets the refusal instead of "go on".
    const RawExchange expecting = exchange("POST /api/sync/tickets/1/status HTTP/1.1\r\nHost: a\r\n" + bearer()
                                        + "Expect: 100-continue\r\nContent-Length: 1073741824\r\n\r\n");
    QCOMPARE(expecting.statusLine(), QByteArray("HTTP/1.1 413 Content Too Large"));
    // Within the limit, 100 Continue comes first.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    socket.write("POST /api/sync/events/retry-dead HTTP/1.1\r\nHost: a\r\n" + bearer()
                 + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    QVERIFY(socket.waitForReadyRead(3000));
    QCOMPARE(socket.readAll(), QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write("{}");
    QVERIFY(socket.waitForReadyRead(3000));
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200 OK"));
}

void TestApiAbuse::aStreamedHundredMegabytesStopsAtTheLimit()
{
    for (const QByteArray &framing : {QByteArray("Transfer-Encoding: chunked\r\n"), QByteArray("Content-Length: 104857600\r\n")}) {
        const bool chunked = framing.startsWith("Transfer");
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_service->port());
        QVERIFY(socket.waitForConnected(3000));
        socket.write("POST /api/sync/conflicts/resolve HTTP/1.1\r\nHost: a\r\n" + bearer() + framing + "\r\n");
        const QByteArray megabyte(1024 * 1024, 'x');
        QByteArray answer;
        qint64 sent = 0;
        for (int i = 0; i < 100 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
            socket.write(chunked ? "100000\r\n" + megabyte + "\r\n" : megabyte);
            socket.waitForBytesWritten(2000);
            sent += megabyte.size();
            if (socket.bytesAvailable())
                answer += socket.readAll();
        }
        socket.waitForReadyRead(2000);
        answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.left(200).constData());
        QVERIFY2(sent < 100LL * 1024 * 1024 || socket.state() != QAbstractSocket::ConnectedState, "the server read the whole body");
    }
    QVERIFY2(m_service->residentKb() - m_baselineKb < 64 * 1024,
             qPrintable(QStringLiteral("grew by %1 kB").arg(m_service->residentKb() - m_baselineKb)));
    QVERIFY(stillServes());
}

void TestApiAbuse::headersTricklingInGet408()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    QElapsedTimer timer;
    timer.start();
    QByteArray answer;
    const QByteArray request = "GET /api/sync/health HTTP/1.1\r\nHost: a\r\nX-Slow: ";
    for (int i = 0; i < 40 && socket.state() == QAbstractSocket::ConnectedState && answer.isEmpty(); ++i) {
        socket.write(request.mid(i, 1) + (i >= request.size() ? "z" : ""));
        socket.waitForBytesWritten(1000);
        if (socket.waitForReadyRead(250))
            answer += socket.readAll();
    }
    socket.waitForDisconnected(3000);
    answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 408 Request Timeout"), answer.constData());
    QVERIFY(answer.contains("\"request_timeout\""));
    QVERIFY(timer.elapsed() >= 2000 && timer.elapsed() < 6000);
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
}

void TestApiAbuse::aBodyTricklingInGets408()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_service->port());
    QVERIFY(socket.waitForConnected(3000));
    socket.write("POST /api/sync/events/retry-dead HTTP/1.1\r\nHost: a\r\n" + bearer() + "Content-Length: 100\r\n\r\n{");
    QByteArray answer;
    for (int i = 0; i < 20 && answer.isEmpty(); ++i) {
        socket.write(" ");
        if (socket.waitForReadyRead(300))
            answer += socket.readAll();
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    QVERIFY(stillServes());
}

void TestApiAbuse::silentAndIdleConnectionsAreClosed()
{
    // A connection that never says anything is closed after the request timeout (2 s here).
    const RawExchange silent = exchange({}, 6000);
    QVERIFY(silent.closedByServer);
    QVERIFY(silent.response.isEmpty());
    QVERIFY2(silent.elapsedMs >= 1900 && silent.elapsedMs < 4000, qPrintable(QString::number(silent.elapsedMs)));
    // A keep-alive connection is closed after the idle timeout (3 s here) once it has been answered.
    const RawExchange idle = exchange("GET /api/sync/health HTTP/1.1\r\nHost: a\r\n\r\n", 8000);
    QVERIFY(idle.statusLine().startsWith("HTTP/1.1 200"));
    QVERIFY(idle.closedByServer);
    QVERIFY2(idle.elapsedMs >= 2900 && idle.elapsedMs < 5500, qPrintable(QString::number(idle.elapsedMs)));
}

void TestApiAbuse::aThousandIdleConnectionsAreCappedPerClient()
{
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < 1000; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_service->port());
        sockets.push_back(std::move(socket));
    }
    for (auto &socket : sockets)
        socket->waitForConnected(2000);
    // While they sit there, the service holds at most 50 of them (the limit per client address); the
    // others are answered 429 and closed at once.
    int peakFiles = 0;
    int refused = 0;
    QElapsedTimer timer;
    timer.start();
    std::vector<bool> answered(sockets.size(), false);
    while (timer.elapsed() < 1500) {
        peakFiles = std::max(peakFiles, m_service->openFiles());
        for (size_t i = 0; i < sockets.size(); ++i) {
            if (answered[i])
                continue;
            sockets[i]->waitForReadyRead(0);
            if (sockets[i]->bytesAvailable() > 0) {
                answered[i] = true;
                refused += sockets[i]->readAll().startsWith("HTTP/1.1 429") ? 1 : 0;
            }
        }
    }
    QVERIFY2(peakFiles < m_baselineFiles + 50 + 10, qPrintable(QStringLiteral("%1 open files").arg(peakFiles)));
    QVERIFY2(refused >= 900, qPrintable(QStringLiteral("%1 refused").arg(refused)));
    QVERIFY2(m_service->residentKb() - m_baselineKb < 64 * 1024, qPrintable(QString::number(m_service->residentKb() - m_baselineKb)));
    // Other clients are still served meanwhile (127.0.0.2 is another address on the loopback).
    QVERIFY(stillServes(QHostAddress(QStringLiteral("127.0.0.2"))));
    sockets.clear();
    // Once they are gone, this client is served again.
    QTRY_VERIFY_WITH_TIMEOUT(m_service->openFiles() < m_baselineFiles + 20, 10000);
    QVERIFY(stillServes());
}

void TestApiAbuse::malformedHttpIsAnsweredAndClosed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello\r\n\r\n") << QByteArray("HTTP/1.1 400");
    QTest::newRow("binary zeros") << QByteArray(64, '\0') << QByteArray("HTTP/1.1 400");
    QTest::newRow("bare LF") << QByteArray("GET /api/sync/health HTTP/1.1\nHost: a\n\n") << QByteArray("HTTP/1.1 400");
    QTest::newRow("space in path") << QByteArray("GET /api/sync/he alth HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("HTTP/1.1 400");
    QTest::newRow("no host") << QByteArray("GET /api/sync/health HTTP/1.1\r\n\r\n") << QByteArray("HTTP/1.1 400");
    QTest::newRow("two lengths") << QByteArray("POST /api/sync/health HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
                                 << QByteArray("HTTP/1.1 400");
    QTest::newRow("smuggling") << QByteArray("POST /api/sync/health HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                               << QByteArray("HTTP/1.1 400");
    QTest::newRow("bad chunk") << QByteArray("POST /api/sync/health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n")
                               << QByteArray("HTTP/1.1 400");
    QTest::newRow("unknown method") << QByteArray("BREW /api/sync/health HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("HTTP/1.1 405");
    QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << QByteArray("HTTP/1.1 405");
    QTest::newRow("control characters") << QByteArray("GET /api/sync/health HTTP/1.1\r\nHost: a\r\nX: \x07\x08\r\n\r\n") << QByteArray("HTTP/1.1 400");
    QTest::newRow("websocket elsewhere") << QByteArray("POST /api/sync/health HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                                         << QByteArray("HTTP/1.1 400");
}

void TestApiAbuse::malformedHttpIsAnsweredAndClosed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, status);
    const RawExchange answer = exchange(bytes);
    QVERIFY2(answer.statusLine().startsWith(status), answer.response.left(300).constData());
    QVERIFY(answer.response.contains("{\"error\":"));
    QVERIFY(answer.closedByServer);
    QVERIFY(stillServes());
}

void TestApiAbuse::invalidUtf8AndDeepJsonAre400()
{
    const auto post = [this](const QByteArray &target, const QByteArray &body) {
        return exchange("POST " + target + " HTTP/1.1\r\nHost: a\r\n" + bearer()
                        + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                        + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    };
    QCOMPARE(post("/api/sync/tickets/1/status", "{\"status\": \"\xc3\x28\"}").statusLine(), QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(post("/api/sync/tickets/1/status", QByteArray(60000, '[')).statusLine(), QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(post("/api/sync/tickets/1/status", QByteArray(10000, '{').replace("{", "{\"a\":")).statusLine(), QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(post("/api/sync/conversations/%E2%82/analyze", "{}").statusLine(), QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(exchange("GET /api/sync/search?q=%C0%AF HTTP/1.1\r\nHost: a\r\n" + bearer() + "Connection: close\r\n\r\n").statusLine(),
             QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(exchange("GET /api/sync/search?q=%zz HTTP/1.1\r\nHost: a\r\n" + bearer() + "Connection: close\r\n\r\n").statusLine(),
             QByteArray("HTTP/1.1 400 Bad Request"));
    QVERIFY(stillServes());
}

void TestApiAbuse::pipelinedAndHttp10RequestsAreAnsweredInOrder()
{
    const RawExchange pipelined = exchange("GET /api/sync/health HTTP/1.1\r\nHost: a\r\n\r\n"
                                        "GET /api/sync/status HTTP/1.1\r\nHost: a\r\n" + bearer() + "\r\n"
                                        "GET /api/sync/nowhere HTTP/1.1\r\nHost: a\r\n" + bearer() + "Connection: close\r\n\r\n",
                                        5000);
    const qsizetype first = pipelined.response.indexOf("HTTP/1.1 200");
    const qsizetype second = pipelined.response.indexOf("HTTP/1.1 200", first + 1);
    const qsizetype third = pipelined.response.indexOf("HTTP/1.1 404");
    QVERIFY2(first == 0 && second > first && third > second, pipelined.response.constData());
    QVERIFY(pipelined.response.indexOf("\"service_running\"") < third);
    QVERIFY(pipelined.closedByServer);
    QVERIFY(pipelined.elapsedMs < 2000);
    const RawExchange old = exchange("GET /api/sync/health HTTP/1.0\r\n\r\n", 5000);
    QVERIFY(old.statusLine().startsWith("HTTP/1.1 200"));
    QVERIFY(old.response.contains("Connection: close"));
    QVERIFY(old.closedByServer);
    QVERIFY(old.elapsedMs < 1000);
}

void TestApiAbuse::memoryAndConnectionsStayBounded()
{
    QVERIFY(stillServes());
    QVERIFY2(m_service->residentKb() - m_baselineKb < 64 * 1024,
             qPrintable(QStringLiteral("grew by %1 kB").arg(m_service->residentKb() - m_baselineKb)));
    // Every connection the abuse opened is closed again: only this request's is open.
    QTRY_VERIFY_WITH_TIMEOUT(exchange("GET /api/sync/metrics HTTP/1.1\r\nHost: a\r\n" + bearer() + "Connection: close\r\n\r\n")
                                 .response.contains("\nsyncdesk_http_connections 1\n"),
                             10000);
    // Its files: the baseline plus the database connections of the API's two worker threads.
    QVERIFY2(m_service->openFiles() <= m_baselineFiles + 6, qPrintable(QString::number(m_service->openFiles())));
    QVERIFY2(!m_service->log().contains(QLatin1String("QIODevice::")), qPrintable(m_service->log()));
}

QTEST_GUILESS_MAIN(TestApiAbuse)
#include "tst_apiabuse.moc"
