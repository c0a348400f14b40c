#include "natsserver.h"
#include "streamreader.h"

#include "relay/natspublisher.h"

#include <QCoreApplication>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// The relay's chained rounds against the run's NATS server: each message expects its predecessor
// as the stream's last, and the broker answers the checkpoints alone. What the proof rests on is
// the broker's behaviour, so each story shows it on a real stream: a checkpoint stored means every
// message before it stored, and nothing goes into the stream after a link that was not.
class TestNatsPublisher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void aChainIsStoredWholeOnItsCheckpointsAnswers();
    void nothingIsStoredAfterARefusedLink();
    void aLinkAfterAnotherPublishersMessageIsRefused();
    void aDuplicateCheckpointProvesNothing();

private:
    // Messages `from` .. `to` (inclusive) of the story, as the relay makes them.
    QList<RelayMessage> messages(int from, int to) const;
    QStringList storedIds();

    QString m_url;
    RelaySettings m_relay;
    std::unique_ptr<StreamReader> m_reader;
    int m_story = 0;
};

void TestNatsPublisher::initTestCase()
{
    auto url = NatsServer::fixtureUrl();
    QVERIFY2(url.ok(), qPrintable(url.error()));
    m_url = url.value();
}

void TestNatsPublisher::init()
{
    // A stream and subjects of the story's own: the fixture's broker serves every test of the run.
    ++m_story;
    m_relay = RelaySettings();
    m_relay.url = m_url;
    m_relay.stream = QStringLiteral("CHAIN_%1_%2").arg(QCoreApplication::applicationPid()).arg(m_story);
    m_relay.subjectPrefix = QStringLiteral("c%1.s%2").arg(QCoreApplication::applicationPid()).arg(m_story);
    m_reader = std::make_unique<StreamReader>(m_url);
    QVERIFY(m_reader->connect().ok());
}

QList<RelayMessage> TestNatsPublisher::messages(int from, int to) const
{
    QList<RelayMessage> out;
    for (int i = from; i <= to; ++i) {
        RelayMessage message;
        message.subject = (m_relay.subjectPrefix + QStringLiteral(".customer.record_synced")).toUtf8();
        message.id = "story-1-" + QByteArray::number(i);
        message.body = "{\"id\":\"" + message.id + "\",\"n\":" + QByteArray::number(i) + '}';
        out << message;
    }
    return out;
}

QStringList TestNatsPublisher::storedIds()
{
    QStringList ids;
    const auto held = m_reader->readAll(m_relay.stream, m_relay.subjectPrefix + QStringLiteral(".>"));
    if (!held) {
        QTest::qFail(qPrintable(held.error()), __FILE__, __LINE__);
        return ids;
    }
    for (const StreamMessage &message : held.value())
        ids << message.id;
    return ids;
}

void TestNatsPublisher::aChainIsStoredWholeOnItsCheckpointsAnswers()
{
    NatsPublisher publisher(m_relay);
    QVERIFY(publisher.connect().ok());
    const PublishOutcome outcome = publisher.publishChained(messages(0, 49), {19, 49}, 10000);
    QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
    QCOMPARE(outcome.acknowledged, 50);

    QStringList expected;
    for (const RelayMessage &message : messages(0, 49))
        expected << QString::fromLatin1(message.id);
    QCOMPARE(storedIds(), expected);
}

void TestNatsPublisher::nothingIsStoredAfterARefusedLink()
{
    // The operator's stream takes messages of at most 200 bytes; message 12 is larger.
    QVERIFY(m_reader->createStream(m_relay.stream, m_relay.subjectPrefix + QStringLiteral(".>"), StreamRules{-1, 200}).ok());
    QList<RelayMessage> round = messages(0, 29);
    round[12].body = "{\"id\":\"" + round[12].id + "\",\"n\":\"" + QByteArray(300, 'x') + "\"}";
    NatsPublisher publisher(m_relay);
    QVERIFY(publisher.connect().ok());
    const PublishOutcome outcome = publisher.publishChained(round, {9, 29}, 10000);

    // The answers prove the first checkpoint and break at the second.
    QVERIFY(outcome.chainBroken);
    QVERIFY(!outcome.error.isEmpty());
    QCOMPARE(outcome.acknowledged, 10);
    // The stream holds the messages before the refused one and none after it: no gap for a
    // look-up to miss, no later message ahead of the refused one.
    QStringList expected;
    for (int i = 0; i < 12; ++i)
        expected << QString::fromLatin1(round.at(i).id);
    QCOMPARE(storedIds(), expected);
}

void TestNatsPublisher::aLinkAfterAnotherPublishersMessageIsRefused()
{
    NatsPublisher publisher(m_relay);
    QVERIFY(publisher.connect().ok());
    QVERIFY(publisher.publishChained(messages(0, 4), {4}, 10000).error.isEmpty());
    // Another service publishes to the same stream.
    QVERIFY(m_reader->publish(m_relay.subjectPrefix + QStringLiteral(".other.thing"), QStringLiteral("other-1"), "{}").ok());

    // A chain whose first link (sent again) is not the stream's last: the links after it are refused.
    PublishOutcome outcome = publisher.publishChained(messages(4, 6), {2}, 10000);
    QVERIFY(outcome.chainBroken);
    QCOMPARE(outcome.acknowledged, 0);
    QCOMPARE(storedIds(), QStringList({QStringLiteral("story-1-0"), QStringLiteral("story-1-1"), QStringLiteral("story-1-2"),
                                       QStringLiteral("story-1-3"), QStringLiteral("story-1-4"), QStringLiteral("other-1")}));

    // A new chain starts anywhere: its first link expects no predecessor.
    outcome = publisher.publishChained(messages(5, 6), {1}, 10000);
    QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
    QCOMPARE(outcome.acknowledged, 2);
    QCOMPARE(storedIds().mid(5), QStringList({QStringLiteral("other-1"), QStringLiteral("story-1-5"), QStringLiteral("story-1-6")}));
}

void TestNatsPublisher::aDuplicateCheckpointProvesNothing()
{
    NatsPublisher publisher(m_relay);
    QVERIFY(publisher.connect().ok());
    QVERIFY(publisher.publishChained(messages(0, 2), {2}, 10000).error.isEmpty());

    // Sent again (a relay taking a round up without looking): the duplicate window drops every
    // message, and the checkpoint's answer says "duplicate", which proves no chain.
    PublishOutcome outcome = publisher.publishChained(messages(0, 2), {2}, 10000);
    QVERIFY(outcome.chainBroken);
    QCOMPARE(outcome.acknowledged, 0);
    QCOMPARE(storedIds().size(), 3);

    // Acknowledged one by one, a duplicate is as good as stored.
    outcome = publisher.publish(messages(0, 3), 10000);
    QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
    QCOMPARE(outcome.acknowledged, 4);
    QCOMPARE(storedIds().size(), 4);
}

QTEST_GUILESS_MAIN(TestNatsPublisher)
#include "tst_natspublisher.moc"
