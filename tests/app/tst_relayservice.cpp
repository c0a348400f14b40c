#include "natsserver.h"
#include "streamreader.h"
#include "syncdeskservice.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QSet>
#include <QTest>

#include <csignal>

using namespace syncdesk;
using namespace syncdesk::test;

// The event relay in the real binary, headless, against the run's PostgreSQL and NATS server:
// killed with kill -9 while it relays, started again, it publishes what was left and a consumer of the
// stream sees every event once; with the broker out of reach, health says degraded and stays ready.
class TestRelayService final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aSyncDeskKilledMidRelayLosesAndRepeatsNothing();
    void aBrokerOutOfReachDegradesHealthButNotReadiness();

private:
    // One GET over a plain socket: the status line, then the body.
    static QPair<QByteArray, QByteArray> get(quint16 port, const QByteArray &path);
};

QPair<QByteArray, QByteArray> TestRelayService::get(quint16 port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(5000))
        answer += socket.readAll();
    const qsizetype split = answer.indexOf("\r\n\r\n");
    return {answer.left(answer.indexOf("\r\n")), split < 0 ? QByteArray() : answer.mid(split + 4)};
}

void TestRelayService::aSyncDeskKilledMidRelayLosesAndRepeatsNothing()
{
    auto url = NatsServer::fixtureUrl();
    QVERIFY2(url.ok(), qPrintable(url.error()));
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    const QString stream = QStringLiteral("CRASH_%1").arg(QCoreApplication::applicationPid());
    const QString prefix = QStringLiteral("crash%1").arg(QCoreApplication::applicationPid());
    const QMap<QString, QString> environment{{QStringLiteral("SYNC_NATS_URL"), url.value()},
                                             {QStringLiteral("SYNC_NATS_STREAM"), stream},
                                             {QStringLiteral("SYNC_NATS_SUBJECT_PREFIX"), prefix},
                                             {QStringLiteral("SYNC_BATCH_SIZE"), QStringLiteral("100")},
                                             {QStringLiteral("SYNC_POLL_INTERVAL"), QStringLiteral("0.2")}};
    StreamReader reader(url.value());
    QVERIFY(reader.connect().ok());

    auto syncdesk = std::make_unique<SyncDeskService>(db.url().toString(), environment);
    QVERIFY2(syncdesk->waitUntilServing(), qPrintable(syncdesk->log()));
    // 3,000 sign-ups, one transaction each: as many reconciliations and as many events. SyncDesk is
    // killed as soon as the relay has published the first, while the sign-ups go on.
    QFuture<bool> burst = QtConcurrent::run([&db]() {
        return db.exec(QStringLiteral("DO $$ BEGIN FOR g IN 1..3000 LOOP INSERT INTO backend.users (email, full_name) "
                                      "VALUES ('crash' || g || '@example.com', 'Crash ' || g); COMMIT; END LOOP; END $$"));
    });
    QVERIFY(reader.waitForCount(stream, 1, 30000) > 0);
    ::kill(pid_t(syncdesk->pid()), SIGKILL);
    QVERIFY(syncdesk->finish());
    burst.waitForFinished();
    QVERIFY(burst.result());
    const quint64 beforeRestart = reader.count(stream).value();
    const qint64 waiting = db.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")).toLongLong() +
                           db.value(QStringLiteral("SELECT coalesce(sum(event_count), 0) FROM sync.relay_batches")).toLongLong();
    qInfo("killed with %llu events in the stream and %lld changes or events waiting", beforeRestart, waiting);
    QVERIFY2(waiting > 0, "the kill came after everything was done; the story needs a kill mid-way");

    // Started again, it finishes the work: every change applied, every event published.
    syncdesk = std::make_unique<SyncDeskService>(db.url().toString(), environment);
    QVERIFY2(syncdesk->waitUntilServing(), qPrintable(syncdesk->log()));
    QTRY_COMPARE_WITH_TIMEOUT(db.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 3000, 120000);
    QTRY_VERIFY_WITH_TIMEOUT(db.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status <> 'done'")).toInt() == 0 &&
                                 db.value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt() == 0,
                             120000);
    QCOMPARE(syncdesk->stop(SIGTERM), 0);

    // A consumer sees each sign-up once: one event per history row, no id twice, every customer.
    auto messages = reader.readAll(stream, prefix + QStringLiteral(".>"));
    QVERIFY2(messages.ok(), qPrintable(messages.error()));
    QCOMPARE(qint64(messages->size()), db.value(QStringLiteral("SELECT count(*) FROM sync.history")).toLongLong());
    QCOMPARE(qint64(messages->size()), db.value(QStringLiteral("SELECT published FROM sync.relay_state")).toLongLong());
    QSet<QString> ids;
    QSet<qint64> users;
    for (const StreamMessage &message : messages.value()) {
        QVERIFY2(!ids.contains(message.id), qPrintable(QStringLiteral("%1 arrived twice").arg(message.id)));
        ids << message.id;
        users << message.document.value(QStringLiteral("payload")).toObject().value(QStringLiteral("backend_id")).toInteger();
    }
    QCOMPARE(users.size(), 3000);
}

void TestRelayService::aBrokerOutOfReachDegradesHealthButNotReadiness()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    SyncDeskService syncdesk(db.url().toString(), {{QStringLiteral("SYNC_NATS_URL"), QStringLiteral("nats://127.0.0.1:1")},
                                                   {QStringLiteral("SYNC_POLL_INTERVAL"), QStringLiteral("0.2")}});
    QVERIFY2(syncdesk.waitUntilServing(), qPrintable(syncdesk.log()));
    QVERIFY(db.exec(QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES ('far@example.com', 'Far')")));
    QTRY_COMPARE_WITH_TIMEOUT(db.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 1, 20000);

    // Sync went on; the event waits, and health says so while the service stays ready.
    QTRY_VERIFY_WITH_TIMEOUT(get(syncdesk.port(), "/api/sync/health").second.contains("\"degraded\""), 20000);
    const auto health = get(syncdesk.port(), "/api/sync/health");
    QVERIFY2(health.first.startsWith("HTTP/1.1 200"), health.first.constData());
    const QJsonObject body = QJsonDocument::fromJson(health.second).object();
    QCOMPARE(body.value(QStringLiteral("ready")).toBool(), true);
    const QJsonObject relay = body.value(QStringLiteral("checks")).toObject().value(QStringLiteral("relay")).toObject();
    QCOMPARE(relay.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(relay.value(QStringLiteral("connected")).toBool(), false);
    QVERIFY2(relay.value(QStringLiteral("problem")).toString().contains(QLatin1String("cannot connect to NATS at nats://127.0.0.1:1")),
             health.second.constData());
    QTRY_VERIFY_WITH_TIMEOUT(QJsonDocument::fromJson(get(syncdesk.port(), "/api/sync/status").second)
                                     .object()
                                     .value(QStringLiteral("relay"))
                                     .toObject()
                                     .value(QStringLiteral("lag_events"))
                                     .toInt() == 1,
                             10000);
    const QByteArray metrics = get(syncdesk.port(), "/api/sync/metrics").second;
    for (const char *sample : {"syncdesk_relay_enabled 1", "syncdesk_relay_connected 0", "syncdesk_relay_lag_events 1",
                               "syncdesk_relay_published_total 0"})
        QVERIFY2(metrics.contains(sample), sample);
    QCOMPARE(syncdesk.stop(SIGTERM), 0);
}

QTEST_GUILESS_MAIN(TestRelayService)
#include "tst_relayservice.moc"
