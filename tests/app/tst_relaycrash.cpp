#include "natsserver.h"
#include "streamreader.h"
#include "syncdeskservice.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <csignal>

using namespace syncdesk;
using namespace syncdesk::test;

// SyncDesk killed with kill -9 while it relays: started again, it publishes what was left, and a
// consumer of the stream sees every event once. The real binary, headless, against the run's
// PostgreSQL and NATS server.
class TestRelayCrash final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aSyncDeskKilledMidRelayLosesAndRepeatsNothing();
};

void TestRelayCrash::aSyncDeskKilledMidRelayLosesAndRepeatsNothing()
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
    // 3,000 sign-ups, one transaction each: as many reconciliations and as many events.
    QVERIFY(db.exec(QStringLiteral("DO $$ BEGIN FOR g IN 1..3000 LOOP INSERT INTO backend.users (email, full_name) "
                                   "VALUES ('crash' || g || '@example.com', 'Crash ' || g); COMMIT; END LOOP; END $$")));
    // Killed once the relay has published some and not all.
    QVERIFY(reader.waitForCount(stream, 1, 30000) > 0);
    QTRY_VERIFY_WITH_TIMEOUT(db.value(QStringLiteral("SELECT published FROM sync.relay_state")).toLongLong() > 0, 30000);
    ::kill(pid_t(syncdesk->pid()), SIGKILL);
    QVERIFY(syncdesk->finish());
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

QTEST_GUILESS_MAIN(TestRelayCrash)
#include "tst_relaycrash.moc"
