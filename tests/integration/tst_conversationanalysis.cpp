#include "syncfixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// AI conversations in the product: analysed as they arrive, and at the threshold turned into a
// ticket on both sides, or linked to the customer's open ticket about the same thing.
class TestConversationAnalysis final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void aCustomerWhoNeedsAPersonGetsATicket();
    void aQuestionTheAssistantAnsweredStaysWithTheAssistant();
    void theCustomersOpenTicketAboutTheSameOrderIsLinked();
    void autoCreationCanBeSwitchedOff();
    void aConversationStillBeingWrittenIsAnalysedAfterAPause();
    void whatAnotherWorkerAnalysedWhileThisOneWaitedIsNotAnalysedAgain();
    void theApiAnalysesOnRequest();

private:
    qint64 conversation(qint64 user, const QList<QPair<QString, QString>> &messages);
    TestDatabase &helpdesk() { return m_helpdesk ? *m_helpdesk : *m_db; }
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<TestDatabase> m_helpdesk; // the helpdesk in a database of its own
};

void TestConversationAnalysis::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    if (SyncFixture::layoutOfRow() == SyncFixture::Layout::TwoDatabases) {
        m_helpdesk = SyncFixture::helpdeskDatabase();
        QVERIFY(m_helpdesk);
    }
}

void TestConversationAnalysis::cleanup()
{
    m_helpdesk.reset();
    m_db.reset();
}

qint64 TestConversationAnalysis::conversation(qint64 user, const QList<QPair<QString, QString>> &messages)
{
    m_db->exec(QStringLiteral("BEGIN"));
    const qint64 id = m_db->value(QStringLiteral("INSERT INTO backend.conversations (user_id, channel) VALUES (?, 'chat') RETURNING id"),
                                  {user})
                          .toLongLong();
    for (const auto &[role, content] : messages)
        m_db->exec(QStringLiteral("INSERT INTO backend.messages (conversation_id, role, content) VALUES (?, ?, ?)"),
                   {id, role, content});
    m_db->exec(QStringLiteral("COMMIT"));
    return id;
}

void TestConversationAnalysis::aCustomerWhoNeedsAPersonGetsATicket()
{
    SyncFixture sync(*m_db, helpdesk(), SyncFixture::defaults());
    QVERIFY(sync.start());
    QSignalSpy live(&sync.engine(), &DataSyncService::liveEvents);
    const qint64 user = sync.productSignsUp(QStringLiteral("ana@example.com"), QStringLiteral("Ana"));
    const qint64 talk = conversation(
        user, {{"customer", "I returned the headphones from order #48213-77 three weeks ago and I still have not got my refund of $129.99."},
               {"assistant", "I'm sorry about the delay. Refunds usually take 5-7 business days after the return arrives."},
               {"customer", "That is what you said last week!! I want my money back now. Let me talk to a real person please."},
               {"assistant", "I understand. I'm sorry I can't process this myself."}});
    QVERIFY(sync.synced());
    QTRY_VERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"), {talk}).toInt() >= 1);
    const auto analysis = m_db->rows(QStringLiteral("SELECT result, category, confidence, entities::text FROM sync.analyses "
                                                    "WHERE conversation_id = ? ORDER BY id DESC LIMIT 1"),
                                     {talk});
    QCOMPARE(analysis[0][0].toString(), QStringLiteral("create_ticket"));
    QCOMPARE(analysis[0][1].toString(), QStringLiteral("refund"));
    QVERIFY(analysis[0][2].toDouble() >= 0.7);
    QVERIFY2(analysis[0][3].toString().contains(QLatin1String("48213")), qPrintable(analysis[0][3].toString()));

    const auto ticket = m_db->rows(QStringLiteral("SELECT ct.dashboard_ticket_id, c.status, ct.link_kind, ct.backend_ticket_id "
                                                  "FROM sync.conversation_tickets ct "
                                                  "JOIN backend.conversations c ON c.id = ct.conversation_id WHERE ct.conversation_id = ?"),
                                   {talk});
    QCOMPARE(ticket.size(), 1);
    const auto helpdeskTicket = helpdesk().rows(QStringLiteral("SELECT category, source FROM dashboard.tickets WHERE id = ?"),
                                                {ticket[0][0]});
    QCOMPARE(helpdeskTicket.size(), 1);
    QCOMPARE(helpdeskTicket[0][0].toString(), QStringLiteral("refund"));
    QCOMPARE(helpdeskTicket[0][1].toString(), QStringLiteral("ai_agent"));
    QCOMPARE(ticket[0][1].toString(), QStringLiteral("escalated"));
    QCOMPARE(ticket[0][2].toString(), QStringLiteral("created"));
    QVERIFY(ticket[0][3].toLongLong() > 0); // the product has it too
    QTRY_VERIFY([&]() {
        for (const QList<QVariant> &signal : live)
            for (const LiveEvent &event : signal.at(0).value<LiveEvents>())
                if (event.kind == QLatin1String("ticket_created"))
                    return true;
        return false;
    }());
}

void TestConversationAnalysis::aQuestionTheAssistantAnsweredStaysWithTheAssistant()
{
    SyncFixture sync(*m_db, helpdesk(), SyncFixture::defaults());
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("ben@example.com"), QStringLiteral("Ben"));
    const qint64 talk = conversation(user, {{"customer", "Hi, what are your opening hours on Saturdays?"},
                                            {"assistant", "We're open on Saturdays from 9:00 to 17:00."},
                                            {"customer", "Great, thanks a lot!"}});
    QVERIFY(sync.synced());
    QTRY_VERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"), {talk}).toInt() >= 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT result FROM sync.analyses WHERE conversation_id = ? ORDER BY id DESC LIMIT 1"), {talk})
                 .toString(),
             QStringLiteral("no_action"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conversation_tickets")).toInt(), 0);
    QCOMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 0);
}

void TestConversationAnalysis::theCustomersOpenTicketAboutTheSameOrderIsLinked()
{
    SyncFixture sync(*m_db, helpdesk(), SyncFixture::defaults());
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("cleo@example.com"), QStringLiteral("Cleo"));
    QVERIFY(sync.synced());
    const qint64 open = helpdesk().value(QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject, category, status) "
                                                   "VALUES (?, 'Refund for order #55120-31 not received', 'refund', 'open') RETURNING id"),
                                    {sync.customerOfUser(user)})
                            .toLongLong();
    QVERIFY(sync.synced());
    const qint64 talk = conversation(
        user, {{"customer", "Where is my refund for order #55120-31? It has been two weeks and nobody answers."},
               {"assistant", "I'm sorry, I can see a refund request for that order is open."},
               {"customer", "I need a person to sort this out, I want my money back."}});
    QVERIFY(sync.synced());
    QTRY_VERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conversation_tickets WHERE conversation_id = ?"), {talk}).toInt() == 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT dashboard_ticket_id FROM sync.conversation_tickets WHERE conversation_id = ?"), {talk})
                 .toLongLong(),
             open);
    QCOMPARE(m_db->value(QStringLiteral("SELECT link_kind FROM sync.conversation_tickets WHERE conversation_id = ?"), {talk}).toString(),
             QStringLiteral("linked"));
    QCOMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 1);
}

void TestConversationAnalysis::autoCreationCanBeSwitchedOff()
{
    EngineOptions options = SyncFixture::defaults();
    options.autoTicketing.createTickets = false;
    SyncFixture sync(*m_db, helpdesk(), options);
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("dan@example.com"), QStringLiteral("Dan"));
    const qint64 talk = conversation(user, {{"customer", "Someone logged into my account and changed my password! I need this locked NOW."},
                                            {"assistant", "I'm sorry, I can't secure the account from here."},
                                            {"customer", "Then get me a human, this is urgent, it's fraud."}});
    QVERIFY(sync.synced());
    QTRY_VERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"), {talk}).toInt() >= 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT result FROM sync.analyses WHERE conversation_id = ? ORDER BY id DESC LIMIT 1"), {talk})
                 .toString(),
             QStringLiteral("create_ticket")); // recommended...
    QCOMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 0); // ...not created
}

void TestConversationAnalysis::aConversationStillBeingWrittenIsAnalysedAfterAPause()
{
    EngineOptions options = SyncFixture::defaults();
    options.autoTicketing.debounceMs = 1500;
    SyncFixture sync(*m_db, helpdesk(), options);
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("eli@example.com"), QStringLiteral("Eli"));
    const qint64 talk = conversation(user, {{"customer", "Hello, I have a question about my invoice."}});
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"), {talk}).toInt(), 1);
    // Three more messages in quick succession.
    for (const char *line : {"It shows 49 EUR but my plan costs 39 EUR.", "Can you check why?", "Also, can I get an invoice copy?"}) {
        m_db->exec(QStringLiteral("INSERT INTO backend.messages (conversation_id, role, content) VALUES (?, 'customer', ?)"),
                   {talk, QString::fromUtf8(line)});
        QTest::qWait(100);
    }
    // Analysed once more after the pause, with everything that was said.
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT message_count FROM sync.analyses WHERE conversation_id = ? "
                                                         "ORDER BY id DESC LIMIT 1"),
                                          {talk})
                                  .toInt(),
                              4, 10000);
    QVERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"), {talk}).toInt() <= 3);
}

void TestConversationAnalysis::whatAnotherWorkerAnalysedWhileThisOneWaitedIsNotAnalysedAgain()
{
    SyncFixture sync(*m_db, helpdesk(), SyncFixture::defaults());
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("gus@example.com"), QStringLiteral("Gus"));
    QVERIFY(sync.synced());
    sync.engine().pause();
    const qint64 talk = conversation(
        user, {{"customer", "My parcel for order #70311-02 never arrived and I was charged twice!"},
               {"assistant", "I'm sorry to hear that."},
               {"customer", "I want a refund now, get me a real person."}});
    // Another worker holds the conversation (claims can split its messages between two workers)...
    m_db->exec(QStringLiteral("BEGIN"));
    m_db->exec(QStringLiteral("SELECT id FROM backend.conversations WHERE id = ? FOR UPDATE"), {talk});
    sync.engine().resume();
    // A session of this test's database waits for a lock (pg_locks spans the whole cluster, where
    // other tests run at the same time).
    QTRY_VERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                        "current_database() AND wait_event_type = 'Lock'"))
                    .toInt() > 0);
    // ...and has read all three messages by the time this one gets the lock.
    m_db->exec(QStringLiteral(
                   "INSERT INTO sync.analyses (conversation_id, analyzer_version, message_count, confidence, "
                   "result, category, priority, sentiment) VALUES (?, 'other worker', 3, 0.5, 'no_action', "
                   "'refund', 'normal', 0)"),
               {talk});
    m_db->exec(QStringLiteral("COMMIT"));
    QVERIFY(sync.synced());
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"), {talk})
            .toInt(),
        1);
    QCOMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 0);
}

void TestConversationAnalysis::theApiAnalysesOnRequest()
{
    SyncFixture sync(*m_db, helpdesk(), SyncFixture::defaults());
    sync.engine().pause();
    QVERIFY(sync.start());
    const qint64 user = m_db->value(QStringLiteral("INSERT INTO backend.users (email) VALUES ('fay@example.com') RETURNING id")).toLongLong();
    const qint64 talk = conversation(user, {{"customer", "Do you ship to Canada, and how long does it take?"},
                                            {"assistant", "Yes, we ship to Canada; delivery takes 5 to 8 business days."},
                                            {"customer", "Perfect, thank you."}});
    const OperationResult analysed = sync.engine().operations().analyzeConversationForTicket(talk);
    QVERIFY2(analysed.success, qPrintable(analysed.error));
    QCOMPARE(analysed.data.value(QStringLiteral("conversation_id")).toInteger(), talk);
    QVERIFY(analysed.data.contains(QStringLiteral("confidence")));
    QVERIFY(analysed.data.contains(QStringLiteral("signals")));
    QVERIFY(!analysed.data.value(QStringLiteral("should_create_ticket")).toBool());
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"), {talk}).toInt(), 1);
    QCOMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 0);

    const OperationResult strict = sync.engine().operations().shouldCreateTicketFromConversation(talk, 0.99);
    QVERIFY(strict.success);
    QCOMPARE(strict.data.value(QStringLiteral("threshold")).toDouble(), 0.99);
    QCOMPARE(sync.engine().operations().analyzeConversationForTicket(987654).failure, OperationResult::Failure::NotFound);
    QCOMPARE(sync.engine().operations().shouldCreateTicketFromConversation(talk, 1.5).failure,
             OperationResult::Failure::InvalidInput);
}

QTEST_GUILESS_MAIN(TestConversationAnalysis)
#include "tst_conversationanalysis.moc"
