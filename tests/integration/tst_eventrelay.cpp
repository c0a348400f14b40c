#include "natsserver.h"
#include "streamreader.h"
#include "syncfixture.h"

#include "conflicts/conflictresolver.h"
#include "tasks/cleanuptask.h"

#include <QCoreApplication>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// The event relay: what SyncDesk applies reaches a NATS JetStream stream, once, in order per
// record, whatever happens to the broker in between. Against the run's NATS server (the `nats`
// fixture), each story on a stream of its own; the outage stories on a broker of their own.
class TestEventRelay final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void aCustomerChangeArrivesOnceOnItsSubject();
    void everyKindArrivesAsTheSchemaDescribesIt();
    void theBrokerKilledMidBurstLosesAndRepeatsNothing();
    void aFullStreamStopsTheRelayAtTheRefusedEventAndLosesNothing();
    void oneRelayPublishesPerDatabase();
    void switchedOffNothingIsRecorded();
    void eventsOlderThanTheRetentionAreReportedNotSkipped();
    void aBrokerBehindTlsAndAnNKeyIsReachedWithBoth();

private:
    RelaySettings relayTo(const QString &url);
    EngineOptions withRelay(const RelaySettings &relay, EngineOptions options = SyncFixture::defaults());
    QList<StreamMessage> published(const QString &url, const RelaySettings &relay);
    // The relayed ones among what the engine announced, in order.
    static LiveEvents relayed(const LiveEvents &announced);

    QString m_url;
    int m_streams = 0;
    std::unique_ptr<TestDatabase> m_db;
};

void TestEventRelay::initTestCase()
{
    auto url = NatsServer::fixtureUrl();
    QVERIFY2(url.ok(), qPrintable(url.error()));
    m_url = url.value();
}

void TestEventRelay::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
}

void TestEventRelay::cleanup()
{
    m_db.reset();
}

RelaySettings TestEventRelay::relayTo(const QString &url)
{
    // A stream and subjects of the story's own: the fixture's broker serves every story of the run.
    ++m_streams;
    RelaySettings relay;
    relay.url = url;
    relay.stream = QStringLiteral("RELAY_%1_%2").arg(QCoreApplication::applicationPid()).arg(m_streams);
    relay.subjectPrefix = QStringLiteral("t%1.s%2").arg(QCoreApplication::applicationPid()).arg(m_streams);
    return relay;
}

EngineOptions TestEventRelay::withRelay(const RelaySettings &relay, EngineOptions options)
{
    options.relay = relay;
    return options;
}

QList<StreamMessage> TestEventRelay::published(const QString &url, const RelaySettings &relay)
{
    StreamReader reader(url);
    if (Status connected = reader.connect(); !connected) {
        QTest::qFail(qPrintable(connected.error()), __FILE__, __LINE__);
        return {};
    }
    auto messages = reader.readAll(relay.stream, relay.subjectPrefix + QStringLiteral(".>"));
    if (!messages) {
        QTest::qFail(qPrintable(messages.error()), __FILE__, __LINE__);
        return {};
    }
    return messages.value();
}

LiveEvents TestEventRelay::relayed(const LiveEvents &announced)
{
    LiveEvents out;
    for (const LiveEvent &event : announced) {
        if (RelayJournal::relayed(event.kind))
            out << event;
    }
    return out;
}

void TestEventRelay::aCustomerChangeArrivesOnceOnItsSubject()
{
    RelaySettings relay = relayTo(m_url);
    relay.streamMaxAgeDays = 3;
    SyncFixture sync(*m_db, withRelay(relay));
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("ada@example.com"), QStringLiteral("Ada"));
    QVERIFY(sync.synced());
    StreamReader reader(m_url);
    QVERIFY(reader.connect().ok());
    QCOMPARE(reader.waitForCount(relay.stream, 1, 20000), quint64(1)); // her sign-up reached the helpdesk
    // The stream SyncDesk created keeps events for the configured retention and drops re-sends
    // within its duplicate window.
    const auto limits = reader.limits(relay.stream);
    QVERIFY2(limits.ok(), qPrintable(limits.error()));
    QCOMPARE(limits->maxAgeSeconds, qint64(3 * 86400));
    QCOMPARE(limits->duplicateWindowSeconds, qint64(relay.duplicateWindowSeconds));

    // She changes her phone number in the product.
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '+44 20 7946 0000' WHERE id = ?"), {user}));
    QVERIFY(sync.synced());
    QCOMPARE(reader.waitForCount(relay.stream, 2, 20000), quint64(2));
    const QList<StreamMessage> messages = published(m_url, relay);
    QCOMPARE(messages.size(), 2);
    const StreamMessage &change = messages.at(1);
    QCOMPARE(change.subject, relay.subjectPrefix + QStringLiteral(".customer.record_synced"));
    QCOMPARE(change.document.value(QStringLiteral("id")).toString(), change.id);
    QCOMPARE(change.document.value(QStringLiteral("kind")).toString(), QStringLiteral("record_synced"));
    QCOMPARE(change.document.value(QStringLiteral("entity")).toString(), QStringLiteral("customer"));
    const QJsonObject payload = change.document.value(QStringLiteral("payload")).toObject();
    QCOMPARE(payload.value(QStringLiteral("backend_id")).toInteger(), user);
    QCOMPARE(payload.value(QStringLiteral("dashboard_id")).toInteger(), sync.customerOfUser(user));
    QCOMPARE(payload.value(QStringLiteral("direction")).toString(), QStringLiteral("to_dashboard"));
    QCOMPARE(payload.value(QStringLiteral("to_dashboard")).toArray(), QJsonArray{QStringLiteral("phone")});
    QCOMPARE(payload.value(QStringLiteral("after")).toObject().value(QStringLiteral("phone")).toString(),
             QStringLiteral("+44 20 7946 0000"));
    QVERIFY(payload.value(QStringLiteral("before")).toObject().value(QStringLiteral("phone")).isNull());
    QVERIFY(messages.at(0).id != change.id);

    // Once: nothing more comes, the journal is empty and the position counts both.
    QTest::qWait(1000);
    QCOMPARE(reader.waitForCount(relay.stream, 3, 0), quint64(2));
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT published FROM sync.relay_state")).toInt(), 2);
    QTRY_VERIFY(sync.engine().status().relay.connected);
    const RelayStatus status = sync.engine().status().relay;
    QVERIFY(status.leader);
    QCOMPARE(status.published, qint64(2));
    QVERIFY2(status.problem.isEmpty(), qPrintable(status.problem));
    QVERIFY(status.healthy());
}

void TestEventRelay::everyKindArrivesAsTheSchemaDescribesIt()
{
    const RelaySettings relay = relayTo(m_url);
    EngineOptions options = withRelay(relay);
    options.maxAttempts = 1;
    SyncFixture sync(*m_db, options);
    QVERIFY(sync.start());

    // A customer whose e-mail both systems change differently: a conflict a person settles.
    const qint64 user = sync.productSignsUp(QStringLiteral("bo@example.com"), QStringLiteral("Bo"));
    QVERIFY(sync.synced());
    const qint64 conflict = sync.clash(user, QStringLiteral("email = 'bo@product.example'"),
                                       QStringLiteral("email = 'bo@helpdesk.example'"));
    QVERIFY(conflict > 0);
    QVERIFY(sync.engine().conflicts().resolve(conflict, ConflictDecision{}, QStringLiteral("tester")).success);

    // A conversation that needs a person becomes a ticket (analysis, ticket created), which is
    // then resolved in the helpdesk (status propagated); another conversation is linked to it.
    m_db->exec(QStringLiteral("BEGIN"));
    const qint64 talk = m_db->value(QStringLiteral("INSERT INTO backend.conversations (user_id, channel) VALUES (?, 'chat') RETURNING id"),
                                    {user})
                            .toLongLong();
    for (const char *text : {"I returned the headphones from order #48213-77 three weeks ago and I still have not got my refund of $129.99.",
                             "That is what you said last week!! I want my money back now. Let me talk to a real person please."})
        m_db->exec(QStringLiteral("INSERT INTO backend.messages (conversation_id, role, content) VALUES (?, 'customer', ?)"),
                   {talk, QString::fromUtf8(text)});
    m_db->exec(QStringLiteral("COMMIT"));
    QVERIFY(sync.synced());
    QTRY_VERIFY_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conversation_tickets WHERE conversation_id = ?"), {talk})
                                 .toInt() == 1,
                             20000);
    const qint64 ticket = m_db->value(QStringLiteral("SELECT dashboard_ticket_id FROM sync.conversation_tickets WHERE conversation_id = ?"),
                                      {talk})
                              .toLongLong();
    const qint64 other = m_db->value(QStringLiteral("INSERT INTO backend.conversations (user_id, channel) VALUES (?, 'email') RETURNING id"),
                                     {user})
                             .toLongLong();
    QVERIFY(sync.engine().operations().linkConversationToTicket(other, ticket, QStringLiteral("tester")).success);
    QVERIFY(sync.engine().operations().handleTicketStatusChange(ticket, QStringLiteral("resolved"), QStringLiteral("tester")).success);

    // A change the helpdesk refuses dies at once (one attempt).
    QVERIFY(m_db->exec(QStringLiteral("ALTER TABLE dashboard.customers ADD CONSTRAINT no_zeros CHECK (phone <> '000')")));
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '000' WHERE id = ?"), {user}));
    QTRY_COMPARE_WITH_TIMEOUT(sync.engine().status().deadEvents, qint64(1), 20000);

    // Everything announced that the relay carries is in the stream, in the order announced.
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0, 20000);
    QTest::qWait(300); // the last announcements reach the fixture batched
    const LiveEvents expected = relayed(sync.announced());
    const QList<StreamMessage> messages = published(m_url, relay);
    QCOMPARE(messages.size(), expected.size());
    QSet<QString> kinds;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        kinds << messages.at(i).document.value(QStringLiteral("kind")).toString();
        QCOMPARE(messages.at(i).document.value(QStringLiteral("kind")).toString(), expected.at(i).kind);
        QCOMPARE(messages.at(i).document.value(QStringLiteral("payload")).toObject(), expected.at(i).payload);
    }
    for (const char *kind : {"record_synced", "conflict", "conflict_resolved", "analysis", "ticket_created",
                             "conversation_linked", "ticket_status", "event_dead"})
        QVERIFY2(kinds.contains(QLatin1String(kind)), kind);

    // Each one is what docs/events.schema.json says, on the subject it names.
    const QString source = qEnvironmentVariable("SYNCDESK_SOURCE_DIR");
    QTemporaryDir dir;
    QFile lines(dir.filePath(QStringLiteral("messages.jsonl")));
    QVERIFY(lines.open(QIODevice::WriteOnly));
    for (const StreamMessage &message : messages)
        lines.write(QJsonDocument(QJsonObject{{QStringLiteral("subject"), message.subject},
                                              {QStringLiteral("header_id"), message.id},
                                              {QStringLiteral("data"), QString::fromUtf8(message.data)}})
                        .toJson(QJsonDocument::Compact) + '\n');
    lines.close();
    QProcess validator;
    validator.setWorkingDirectory(source + QStringLiteral("/tests/node"));
    validator.start(QStringLiteral("node"), {QStringLiteral("validate-events.mjs"), source + QStringLiteral("/docs/events.schema.json"),
                                             lines.fileName(), relay.subjectPrefix});
    QVERIFY2(validator.waitForFinished(60000), "node validate-events.mjs did not finish (run 'npm ci' in tests/node)");
    const QString verdict = QString::fromUtf8(validator.readAllStandardOutput() + validator.readAllStandardError());
    QVERIFY2(validator.exitCode() == 0, qPrintable(verdict));
    QCOMPARE(verdict.trimmed(), QStringLiteral("%1 valid").arg(messages.size()));

    // The consumer example of the README reads the same events.
    QProcess consumer;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NODE_PATH"), source + QStringLiteral("/tests/node/node_modules"));
    environment.insert(QStringLiteral("NATS_URL"), m_url);
    environment.insert(QStringLiteral("SYNC_NATS_STREAM"), relay.stream);
    environment.insert(QStringLiteral("SYNC_NATS_SUBJECT_PREFIX"), relay.subjectPrefix);
    environment.insert(QStringLiteral("STOP_AFTER"), QString::number(messages.size()));
    consumer.setProcessEnvironment(environment);
    consumer.start(QStringLiteral("node"), {source + QStringLiteral("/examples/nats-consumer/consume.js")});
    QVERIFY2(consumer.waitForFinished(60000), "the consumer example did not finish");
    const QStringList printed = QString::fromUtf8(consumer.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(consumer.exitCode() == 0, consumer.readAllStandardError().constData());
    QCOMPARE(printed.size(), messages.size());
    QVERIFY2(printed.constFirst().contains(messages.constFirst().id), qPrintable(printed.constFirst()));
    QVERIFY2(printed.constLast().contains(relay.subjectPrefix + QStringLiteral(".customer.event_dead")), qPrintable(printed.constLast()));
}

void TestEventRelay::theBrokerKilledMidBurstLosesAndRepeatsNothing()
{
    QTemporaryDir store;
    NatsServer broker;
    QVERIFY2(broker.start(store.path()).ok(), qPrintable(broker.log()));
    const RelaySettings relay = relayTo(broker.url());
    SyncFixture sync(*m_db, withRelay(relay));
    QVERIFY(sync.start());
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO backend.users (email, full_name) SELECT 'burst' || g || '@example.com', "
                                      "'Burst ' || g FROM generate_series(1, 300) g")));
    QVERIFY(sync.synced(60000));

    // Rounds of changes to every customer, one transaction per customer, while the broker dies and
    // comes back.
    const auto round = [&](int number) {
        return m_db->exec(QStringLiteral("DO $$ DECLARE u bigint; BEGIN FOR u IN SELECT id FROM backend.users ORDER BY id LOOP "
                                         "UPDATE backend.users SET phone = '%1-' || u WHERE id = u; COMMIT; END LOOP; END $$")
                              .arg(number));
    };
    StreamReader reader(broker.url());
    QVERIFY(reader.connect().ok());
    QVERIFY(round(1));
    QVERIFY(reader.waitForCount(relay.stream, 1, 20000) > 0);
    // The broker dies while the second round is being applied and relayed.
    QFuture<bool> second = QtConcurrent::run([&]() { return round(2); });
    QTRY_VERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE phone LIKE '2-%'")).toInt() > 50);
    QVERIFY(broker.kill().ok());
    second.waitForFinished();
    QVERIFY(second.result());
    QVERIFY(round(3));

    // Sync goes on; the relay waits, says why, and health says degraded with the lag.
    QVERIFY(sync.synced(60000));
    QCOMPARE(sync.userField(1, QStringLiteral("phone")).toString(), sync.customerField(sync.customerOfUser(1), QStringLiteral("phone")).toString());
    QTRY_VERIFY_WITH_TIMEOUT(!sync.engine().status().relay.problem.isEmpty(), 20000);
    QTRY_VERIFY(sync.engine().status().relay.lagEvents > 0);
    QVERIFY(!sync.engine().status().relay.connected);
    QVERIFY(!sync.engine().status().degraded); // the engine itself is fine
    QVERIFY(round(4));
    QVERIFY(sync.synced(60000));

    QVERIFY2(broker.restart().ok(), qPrintable(broker.log()));
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(sync.engine().status().relay.problem.isEmpty(), 20000);
    QTest::qWait(300);

    // Every event exactly once: as many as were announced, no id twice, each record's in order.
    const LiveEvents expected = relayed(sync.announced());
    const QList<StreamMessage> messages = published(broker.url(), relay);
    QCOMPARE(messages.size(), expected.size());
    QSet<QString> ids;
    QHash<qint64, int> lastRound; // user -> the round of the last phone number seen
    for (const StreamMessage &message : messages) {
        QVERIFY2(!ids.contains(message.id), qPrintable(message.id));
        ids << message.id;
        const QJsonObject payload = message.document.value(QStringLiteral("payload")).toObject();
        const qint64 userId = payload.value(QStringLiteral("backend_id")).toInteger();
        const int number = payload.value(QStringLiteral("after")).toObject().value(QStringLiteral("phone")).toString().section(QLatin1Char('-'), 0, 0).toInt();
        QVERIFY2(number >= lastRound.value(userId), qPrintable(QStringLiteral("user %1: round %2 after %3").arg(userId).arg(number).arg(lastRound.value(userId))));
        lastRound[userId] = number;
    }
    QCOMPARE(lastRound.size(), 300);
    for (auto it = lastRound.cbegin(); it != lastRound.cend(); ++it)
        QCOMPARE(it.value(), 4);
    QCOMPARE(m_db->value(QStringLiteral("SELECT published FROM sync.relay_state")).toInt(), int(expected.size()));
}

void TestEventRelay::aFullStreamStopsTheRelayAtTheRefusedEventAndLosesNothing()
{
    // The operator made the stream, holding at most 40 messages and refusing more (discard: new).
    const RelaySettings relay = relayTo(m_url);
    StreamReader reader(m_url);
    QVERIFY(reader.connect().ok());
    const QString subjects = relay.subjectPrefix + QStringLiteral(".>");
    QVERIFY(reader.createStream(relay.stream, subjects, StreamRules{40, -1}).ok());
    SyncFixture sync(*m_db, withRelay(relay));
    QVERIFY(sync.start());
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO backend.users (email, full_name) SELECT 'full' || g || '@example.com', "
                                      "'Full ' || g FROM generate_series(1, 100) g")));
    QVERIFY(sync.synced(60000));

    // The round's chain breaks at the 41st event; the relay looks the round up, sends the rest one
    // by one, is refused, and says so. The events wait.
    QTRY_VERIFY_WITH_TIMEOUT(!sync.engine().status().relay.problem.isEmpty(), 20000);
    QCOMPARE(reader.waitForCount(relay.stream, 40, 20000), quint64(40));
    QVERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt() > 0);
    QVERIFY(sync.engine().status().relay.lagEvents > 0);

    // Room again: the rest follows, each event once, in the order of the journal.
    QVERIFY(reader.updateStream(relay.stream, subjects, StreamRules{}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(sync.engine().status().relay.problem.isEmpty(), 20000);
    const LiveEvents expected = relayed(sync.announced());
    QVERIFY(expected.size() >= 100);
    const QList<StreamMessage> messages = published(m_url, relay);
    QCOMPARE(messages.size(), expected.size());
    // Ids are <source>-<batch>-<index>: strictly rising, so no event went ahead of a refused one.
    std::pair<qint64, qint64> previous{-1, -1};
    for (const StreamMessage &message : messages) {
        const std::pair<qint64, qint64> position{message.id.section(QLatin1Char('-'), 1, 1).toLongLong(),
                                                 message.id.section(QLatin1Char('-'), 2, 2).toLongLong()};
        QVERIFY2(position > previous, qPrintable(message.id));
        previous = position;
    }
    QCOMPARE(m_db->value(QStringLiteral("SELECT published FROM sync.relay_state")).toInt(), int(expected.size()));
}

void TestEventRelay::oneRelayPublishesPerDatabase()
{
    const RelaySettings relay = relayTo(m_url);
    SyncFixture first(*m_db, *m_db, withRelay(relay));
    SyncFixture second(*m_db, *m_db, withRelay(relay));
    QVERIFY(first.start());
    QVERIFY(second.start());
    QTRY_VERIFY(first.engine().status().relay.leader != second.engine().status().relay.leader);
    SyncFixture &leader = first.engine().status().relay.leader ? first : second;
    SyncFixture &follower = &leader == &first ? second : first;
    QVERIFY(!follower.engine().status().relay.connected);
    // Both instances apply changes and record them; one publishes.
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO backend.users (email, full_name) SELECT 'pair' || g || '@example.com', "
                                      "'Pair ' || g FROM generate_series(1, 50) g")));
    QVERIFY(first.synced());
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0);

    // The publishing instance stops; the other takes over and publishes what comes next.
    leader.engine().stop();
    QTRY_VERIFY_WITH_TIMEOUT(follower.engine().status().relay.leader, 10000);
    QVERIFY(m_db->exec(QStringLiteral("UPDATE backend.users SET company = 'Pairs Inc'")));
    QVERIFY(follower.synced());
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0);
    QTest::qWait(300);
    const qsizetype expected = relayed(first.announced()).size() + relayed(second.announced()).size();
    QVERIFY(expected >= 100);
    const QList<StreamMessage> messages = published(m_url, relay);
    QSet<QString> ids;
    for (const StreamMessage &message : messages)
        ids << message.id;
    QCOMPARE(ids.size(), messages.size());
    QCOMPARE(messages.size(), expected);
    QCOMPARE(m_db->value(QStringLiteral("SELECT published FROM sync.relay_state")).toInt(), int(expected));
}

void TestEventRelay::switchedOffNothingIsRecorded()
{
    RelaySettings relay = relayTo(m_url);
    SyncFixture sync(*m_db, withRelay(relay));
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("cy@example.com"), QStringLiteral("Cy"));
    QVERIFY(sync.synced());
    StreamReader reader(m_url);
    QVERIFY(reader.connect().ok());
    QCOMPARE(reader.waitForCount(relay.stream, 1, 20000), quint64(1));

    // Off (the Settings page's switch): changes still sync, nothing is recorded or published.
    relay.enabled = false;
    QVERIFY(sync.engine().applyRelaySettings(relay).ok());
    QVERIFY(!sync.engine().status().relay.enabled);
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '1' WHERE id = ?"), {user}));
    QVERIFY(sync.synced());
    QCOMPARE(sync.customerField(sync.customerOfUser(user), QStringLiteral("phone")).toString(), QStringLiteral("1"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0);

    // On again: from then on.
    relay.enabled = true;
    QVERIFY(sync.engine().applyRelaySettings(relay).ok());
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '2' WHERE id = ?"), {user}));
    QVERIFY(sync.synced());
    QCOMPARE(reader.waitForCount(relay.stream, 2, 20000), quint64(2));
    const QList<StreamMessage> messages = published(m_url, relay);
    QCOMPARE(messages.constLast().document.value(QStringLiteral("payload")).toObject().value(QStringLiteral("after")).toObject().value(QStringLiteral("phone")).toString(),
             QStringLiteral("2"));

    // Settings that cannot work are refused, and the relay stays as it was.
    RelaySettings wrong = relay;
    wrong.subjectPrefix = QStringLiteral("has spaces");
    const Status refused = sync.engine().applyRelaySettings(wrong);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("SYNC_NATS_SUBJECT_PREFIX")), qPrintable(refused.error()));
    QVERIFY(sync.engine().status().relay.enabled);
}

void TestEventRelay::eventsOlderThanTheRetentionAreReportedNotSkipped()
{
    // A broker nobody can reach: the events wait in the database.
    RelaySettings relay = relayTo(QStringLiteral("nats://127.0.0.1:1"));
    SyncFixture sync(*m_db, withRelay(relay));
    QVERIFY(sync.start());
    sync.productSignsUp(QStringLiteral("dee@example.com"), QStringLiteral("Dee"));
    sync.productSignsUp(QStringLiteral("eve@example.com"), QStringLiteral("Eve"));
    QVERIFY(sync.synced());
    QTRY_VERIFY_WITH_TIMEOUT(sync.engine().status().relay.problem.contains(QLatin1String("cannot connect to NATS")), 10000);
    QTRY_COMPARE(sync.engine().status().relay.lagEvents, qint64(2));
    QVERIFY(!sync.engine().status().relay.healthy());

    // A week and a day later the cleanup removes them, and says so.
    QVERIFY(m_db->exec(QStringLiteral("UPDATE sync.relay_batches SET recorded_at = recorded_at - interval '8 days'")));
    auto report = CleanupTask(m_db->db(), 7).run();
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->relayEventsExpired, qint64(2));
    QCOMPARE(m_db->value(QStringLiteral("SELECT expired FROM sync.relay_state")).toInt(), 2);

    // When the broker is back, its consumers learn what they will never receive.
    relay.url = m_url;
    QVERIFY(sync.engine().applyRelaySettings(relay).ok());
    StreamReader reader(m_url);
    QVERIFY(reader.connect().ok());
    QCOMPARE(reader.waitForCount(relay.stream, 1, 20000), quint64(1));
    const StreamMessage notice = published(m_url, relay).constFirst();
    QCOMPARE(notice.subject, relay.subjectPrefix + QStringLiteral(".relay.events_expired"));
    QCOMPARE(notice.document.value(QStringLiteral("payload")).toObject().value(QStringLiteral("events")).toInt(), 2);
    QTRY_COMPARE(sync.engine().status().relay.expiredEvents, qint64(2));
}

void TestEventRelay::aBrokerBehindTlsAndAnNKeyIsReachedWithBoth()
{
    // A broker that speaks TLS only, with a certificate of its own, and lets in one NKey user.
    QTemporaryDir dir;
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    const QString certificate = dir.filePath(QStringLiteral("cert.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                                              QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                                              QStringLiteral("-keyout"), key, QStringLiteral("-out"), certificate, QStringLiteral("-days"),
                                              QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                                              QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
    QVERIFY2(openssl.waitForFinished(30000) && openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    // Two NKey users (public key, seed), made with the nkeys.js of tests/node: one the broker knows.
    const auto newUser = [&]() -> QStringList {
        QProcess node;
        node.setWorkingDirectory(qEnvironmentVariable("SYNCDESK_SOURCE_DIR") + QStringLiteral("/tests/node"));
        node.start(QStringLiteral("node"), {QStringLiteral("-e"), QStringLiteral("const u = require('nkeys.js').createUser(); "
                                                                                  "const text = (x) => typeof x === 'string' ? x : new TextDecoder().decode(x); "
                                                                                  "console.log(text(u.getPublicKey())); console.log(text(u.getSeed()));")});
        if (!node.waitForFinished(30000) || node.exitCode() != 0)
            return {};
        return QString::fromLatin1(node.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    };
    const QStringList known = newUser();
    const QStringList stranger = newUser();
    QCOMPARE(known.size(), 2);
    QCOMPARE(stranger.size(), 2);
    const auto seedFile = [&](const QString &name, const QString &seed) {
        QFile file(dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(seed.toLatin1());
        return file.fileName();
    };
    QFile config(dir.filePath(QStringLiteral("nats.conf")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("authorization { users = [ { nkey: \"%1\" } ] }\ntls { cert_file: \"%2\", key_file: \"%3\" }\n")
                     .arg(known.at(0), certificate, key)
                     .toUtf8());
    config.close();
    NatsServer broker;
    QVERIFY2(broker.start(dir.filePath(QStringLiteral("store")), 0, {QStringLiteral("-c"), config.fileName()}).ok(), qPrintable(broker.log()));

    RelaySettings relay = relayTo(QStringLiteral("tls://127.0.0.1:%1").arg(broker.port()));
    relay.nkey = known.at(0);
    relay.nkeySeedFile = seedFile(QStringLiteral("known.nk"), known.at(1));
    SyncFixture sync(*m_db, withRelay(relay));
    QVERIFY(sync.start());
    sync.productSignsUp(QStringLiteral("fay@example.com"), QStringLiteral("Fay"));
    QVERIFY(sync.synced());

    // Without the broker's certificate among the trusted ones, the relay does not connect; the event waits.
    QTRY_VERIFY_WITH_TIMEOUT(sync.engine().status().relay.problem.contains(QLatin1String("cannot connect to NATS")), 10000);
    QTRY_COMPARE(sync.engine().status().relay.lagEvents, qint64(1));
    // Trusting it, but logging in as a user the broker does not know: still refused.
    relay.tlsCaFile = certificate;
    RelaySettings wrongUser = relay;
    wrongUser.nkey = stranger.at(0);
    wrongUser.nkeySeedFile = seedFile(QStringLiteral("stranger.nk"), stranger.at(1));
    QVERIFY(sync.engine().applyRelaySettings(wrongUser).ok());
    QTRY_VERIFY_WITH_TIMEOUT(sync.engine().status().relay.problem.contains(QLatin1String("Authorization Violation")), 10000);
    QVERIFY(!sync.engine().status().relay.connected);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT published FROM sync.relay_state")).toInt(), 0);

    // With both right, the waiting event goes out and the broker acknowledges it.
    QVERIFY(sync.engine().applyRelaySettings(relay).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT count(*) FROM sync.relay_batches")).toInt(), 0, 20000);
    QCOMPARE(m_db->value(QStringLiteral("SELECT published FROM sync.relay_state")).toInt(), 1);
    QTRY_VERIFY(sync.engine().status().relay.connected);
    QVERIFY2(sync.engine().status().relay.problem.isEmpty(), qPrintable(sync.engine().status().relay.problem));
}

QTEST_GUILESS_MAIN(TestEventRelay)
#include "tst_eventrelay.moc"
