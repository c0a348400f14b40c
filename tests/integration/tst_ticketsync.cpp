#include "syncfixture.h"

#include <QJsonArray>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// Tickets: created in either system they appear in both; the helpdesk owns their workflow, and a
// status change reaches the customer's conversations, the activity log and the customer.
class TestTicketSync final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void aTicketAnAgentOpensAppearsInTheProduct();
    void aTicketTheProductOpensAppearsInTheHelpdeskWithItsCustomer();
    void resolvingInTheHelpdeskReachesConversationActivityAndCustomer();
    void reopeningEscalatesTheConversationAgain();
    void aStatusChangeInTheProductReachesTheHelpdesk();
    void theHelpdeskWinsAStatusClash();
    void subjectEditedOnBothSidesWaitsForAPerson();
    void statusChangeThroughTheApi();
    void statusChangeThroughTheApiRefusesBadInput_data();
    void statusChangeThroughTheApiRefusesBadInput();
    void aConversationBecomesATicketOnce();
    void aConversationIsLinkedOnlyToItsCustomersTicket();
    void syncUserDataReportsBothIds();

private:
    qint64 conversationOf(qint64 userId, const QString &firstMessage);
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SyncFixture> m_sync;
};

void TestTicketSync::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    // These stories make their tickets through the API; automatic ticketing has its own stories.
    EngineOptions options = SyncFixture::defaults();
    options.autoTicketing.createTickets = false;
    m_sync = std::make_unique<SyncFixture>(*m_db, options, SyncFixture::layoutOfRow());
    QVERIFY(m_sync->start());
}

void TestTicketSync::cleanup()
{
    m_sync.reset();
    m_db.reset();
}

qint64 TestTicketSync::conversationOf(qint64 userId, const QString &firstMessage)
{
    const qint64 conversation = m_db->value(QStringLiteral("INSERT INTO backend.conversations (user_id, subject) VALUES (?, ?) "
                                                           "RETURNING id"),
                                            {userId, firstMessage.left(40)})
                                    .toLongLong();
    m_db->exec(QStringLiteral("INSERT INTO backend.messages (conversation_id, role, content) VALUES (?, 'customer', ?), "
                              "(?, 'assistant', 'I am sorry to hear that.')"),
               {conversation, firstMessage, conversation});
    return conversation;
}

void TestTicketSync::aTicketAnAgentOpensAppearsInTheProduct()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("kai@example.com"), QStringLiteral("Kai"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    const qint64 ticket = m_sync->helpdeskDb().value(QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject, description, priority, "
                                                     "category, assignee, source) VALUES (?, 'Invoice missing', 'Called about "
                                                     "March', 'high', 'billing', 'anna.k', 'phone') RETURNING id"),
                                      {customer})
                              .toLongLong();
    QVERIFY(m_sync->synced());
    const auto mirrored = m_db->rows(QStringLiteral("SELECT b.user_id, b.subject, b.priority, b.category, b.status FROM sync.links l "
                                                    "JOIN backend.tickets b ON b.id = l.backend_id "
                                                    "WHERE l.entity = 'ticket' AND l.dashboard_id = ?"),
                                     {ticket});
    QCOMPARE(mirrored.size(), 1);
    QCOMPARE(mirrored[0][0].toLongLong(), user);
    QCOMPARE(mirrored[0][1].toString(), QStringLiteral("Invoice missing"));
    QCOMPARE(mirrored[0][2].toString(), QStringLiteral("high"));
    QCOMPARE(mirrored[0][3].toString(), QStringLiteral("billing"));
    QCOMPARE(mirrored[0][4].toString(), QStringLiteral("new"));
}

void TestTicketSync::aTicketTheProductOpensAppearsInTheHelpdeskWithItsCustomer()
{
    // The user and the ticket arrive together: the customer is created in the helpdesk first.
    QVERIFY(m_sync->pauseEngine());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("lea@example.com"), QStringLiteral("Lea"));
    const qint64 conversation = conversationOf(user, QStringLiteral("My order never arrived"));
    const qint64 ticket = m_db->value(QStringLiteral("INSERT INTO backend.tickets (user_id, conversation_id, subject, category) "
                                                     "VALUES (?, ?, 'Order never arrived', 'order') RETURNING id"),
                                      {user, conversation})
                              .toLongLong();
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    QVERIFY(customer > 0);
    const qint64 helpdeskTicket =
        m_db->value(QStringLiteral("SELECT dashboard_id FROM sync.links WHERE entity = 'ticket' AND backend_id = ?"), {ticket})
            .toLongLong();
    const auto mirrored = m_sync->helpdeskDb().rows(
        QStringLiteral("SELECT customer_id, subject, source FROM dashboard.tickets WHERE id = ?"), {helpdeskTicket});
    QCOMPARE(mirrored.size(), 1);
    QCOMPARE(mirrored[0][0].toLongLong(), customer);
    QCOMPARE(mirrored[0][1].toString(), QStringLiteral("Order never arrived"));
    QCOMPARE(mirrored[0][2].toString(), QStringLiteral("ai_agent"));
}

void TestTicketSync::resolvingInTheHelpdeskReachesConversationActivityAndCustomer()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("max@example.com"), QStringLiteral("Max"));
    const qint64 conversation = conversationOf(user, QStringLiteral("I was charged twice"));
    QVERIFY(m_sync->synced());
    const OperationResult created =
        m_sync->engine().operations().createTicketFromConversation(conversation, {}, QStringLiteral("agent:anna"));
    QVERIFY2(created.success, qPrintable(created.error));
    const qint64 ticket = created.entityId;
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.conversations WHERE id = ?"), {conversation}).toString(),
             QStringLiteral("escalated"));

    // An agent works the ticket and resolves it in the helpdesk.
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.tickets SET status = 'open', assignee = 'ben.t' WHERE id = ?"), {ticket}));
    QVERIFY(m_sync->synced());
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.tickets SET status = 'resolved' WHERE id = ?"), {ticket}));
    QVERIFY(m_sync->synced());

    const qint64 backendTicket = created.data.value(QStringLiteral("backend_ticket_id")).toInteger();
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.tickets WHERE id = ?"), {backendTicket}).toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.conversations WHERE id = ?"), {conversation}).toString(),
             QStringLiteral("resolved"));
    const auto activity = m_sync->helpdeskDb().rows(QStringLiteral("SELECT actor, old_value, new_value FROM dashboard.ticket_activities "
                                                    "WHERE ticket_id = ? AND kind = 'status_change' ORDER BY id"),
                                     {ticket});
    QCOMPARE(activity.size(), 2);
    QCOMPARE(activity[1][0].toString(), QStringLiteral("ben.t"));
    QCOMPARE(activity[1][1].toString(), QStringLiteral("open"));
    QCOMPARE(activity[1][2].toString(), QStringLiteral("resolved"));
    const auto notification = m_db->rows(QStringLiteral("SELECT user_id, title FROM backend.notifications WHERE ticket_id = ? "
                                                        "ORDER BY id DESC LIMIT 1"),
                                         {backendTicket});
    QCOMPARE(notification.size(), 1);
    QCOMPARE(notification[0][0].toLongLong(), user);
    QCOMPARE(notification[0][1].toString(), QStringLiteral("Your request is now resolved"));
}

void TestTicketSync::reopeningEscalatesTheConversationAgain()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("nia@example.com"), QStringLiteral("Nia"));
    const qint64 conversation = conversationOf(user, QStringLiteral("The app crashes"));
    QVERIFY(m_sync->synced());
    const OperationResult created = m_sync->engine().operations().createTicketFromConversation(conversation, {}, {});
    QVERIFY2(created.success, qPrintable(created.error));
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.tickets SET status = 'closed' WHERE id = ?"), {created.entityId}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.conversations WHERE id = ?"), {conversation}).toString(),
             QStringLiteral("closed"));
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.tickets SET status = 'open' WHERE id = ?"), {created.entityId}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.conversations WHERE id = ?"), {conversation}).toString(),
             QStringLiteral("escalated"));
}

void TestTicketSync::aStatusChangeInTheProductReachesTheHelpdesk()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("oz@example.com"), QStringLiteral("Oz"));
    const qint64 ticket = m_db->value(QStringLiteral("INSERT INTO backend.tickets (user_id, subject) VALUES (?, 'Close my account') "
                                                     "RETURNING id"),
                                      {user})
                              .toLongLong();
    QVERIFY(m_sync->synced());
    // The customer closes their own request in the product.
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.tickets SET status = 'closed' WHERE id = ?"), {ticket}));
    QVERIFY(m_sync->synced());
    const qint64 dashboardTicket = m_db->value(QStringLiteral("SELECT dashboard_id FROM sync.links WHERE entity = 'ticket' "
                                                              "AND backend_id = ?"),
                                               {ticket})
                                       .toLongLong();
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ?"), {dashboardTicket}).toString(),
             QStringLiteral("closed"));
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT actor FROM dashboard.ticket_activities WHERE ticket_id = ? AND kind = 'status_change'"),
                         {dashboardTicket})
                 .toString(),
             QStringLiteral("customer"));
}

void TestTicketSync::theHelpdeskWinsAStatusClash()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("pia@example.com"), QStringLiteral("Pia"));
    const qint64 ticket = m_db->value(QStringLiteral("INSERT INTO backend.tickets (user_id, subject) VALUES (?, 'Refund') RETURNING id"),
                                      {user})
                              .toLongLong();
    QVERIFY(m_sync->synced());
    const qint64 dashboardTicket = m_db->value(QStringLiteral("SELECT dashboard_id FROM sync.links WHERE entity = 'ticket' "
                                                              "AND backend_id = ?"),
                                               {ticket})
                                       .toLongLong();
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.tickets SET status = 'pending' WHERE id = ?"), {dashboardTicket}));
    QTest::qWait(20);
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.tickets SET status = 'closed' WHERE id = ?"), {ticket}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.tickets WHERE id = ?"), {ticket}).toString(),
             QStringLiteral("pending"));
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ?"), {dashboardTicket}).toString(),
             QStringLiteral("pending"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conflicts")).toInt(), 0);
}

void TestTicketSync::subjectEditedOnBothSidesWaitsForAPerson()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("quinn@example.com"), QStringLiteral("Quinn"));
    const qint64 ticket = m_db->value(QStringLiteral("INSERT INTO backend.tickets (user_id, subject) VALUES (?, 'Login') RETURNING id"),
                                      {user})
                              .toLongLong();
    QVERIFY(m_sync->synced());
    const qint64 dashboardTicket = m_db->value(QStringLiteral("SELECT dashboard_id FROM sync.links WHERE entity = 'ticket' "
                                                              "AND backend_id = ?"),
                                               {ticket})
                                       .toLongLong();
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.tickets SET subject = 'Cannot log in' WHERE id = ?"), {ticket}));
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.tickets SET subject = 'Login fails with 2FA' WHERE id = ?"),
                             {dashboardTicket}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT subject FROM backend.tickets WHERE id = ?"), {ticket}).toString(),
             QStringLiteral("Cannot log in"));
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT subject FROM dashboard.tickets WHERE id = ?"), {dashboardTicket}).toString(),
             QStringLiteral("Login fails with 2FA"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT status || ':' || entity FROM sync.conflicts WHERE field = 'subject'")).toString(),
             QStringLiteral("open:ticket"));
}

void TestTicketSync::statusChangeThroughTheApi()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("rae@example.com"), QStringLiteral("Rae"));
    const qint64 conversation = conversationOf(user, QStringLiteral("Please delete my account"));
    QVERIFY(m_sync->synced());
    const OperationResult created = m_sync->engine().operations().createTicketFromConversation(conversation, {}, {});
    QVERIFY2(created.success, qPrintable(created.error));
    const OperationResult changed = m_sync->engine().operations().handleTicketStatusChange(
        created.entityId, QStringLiteral("resolved"), QStringLiteral("api:ops-script"));
    QVERIFY2(changed.success, qPrintable(changed.error));
    QCOMPARE(changed.data.value(QStringLiteral("old_status")).toString(), QStringLiteral("new"));
    QCOMPARE(changed.data.value(QStringLiteral("backend_ticket_id")).toInteger(),
             created.data.value(QStringLiteral("backend_ticket_id")).toInteger());
    QCOMPARE(changed.data.value(QStringLiteral("conversations")).toArray(), QJsonArray{conversation});
    // Applied to both sides at once, not left to the queue.
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.tickets WHERE id = ?"),
                         {changed.data.value(QStringLiteral("backend_ticket_id")).toInteger()})
                 .toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT actor FROM dashboard.ticket_activities WHERE ticket_id = ? AND kind = 'status_change'"),
                         {created.entityId})
                 .toString(),
             QStringLiteral("api:ops-script"));
    for (TestDatabase *db : {&m_sync->productDb(), &m_sync->helpdeskDb()})
        QCOMPARE(db->value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE entity = 'ticket' AND status = 'pending'")).toInt(), 0);
    const auto announced = m_sync->announcement(LiveEventKind::TicketStatus);
    QVERIFY(announced);
    QCOMPARE(announced->payload.value(QStringLiteral("dashboard_ticket_id")).toInteger(), created.entityId);
}

void TestTicketSync::statusChangeThroughTheApiRefusesBadInput_data()
{
    QTest::addColumn<qint64>("ticket");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("failure");
    QTest::newRow("unknown status") << qint64(1) << "done" << int(OperationResult::Failure::InvalidInput);
    QTest::newRow("unknown ticket") << qint64(999999) << "open" << int(OperationResult::Failure::NotFound);
}

void TestTicketSync::statusChangeThroughTheApiRefusesBadInput()
{
    QFETCH(qint64, ticket);
    QFETCH(QString, status);
    QFETCH(int, failure);
    const OperationResult result = m_sync->engine().operations().handleTicketStatusChange(ticket, status, {});
    QVERIFY(!result.success);
    QCOMPARE(int(result.failure), failure);
    QVERIFY(!result.error.isEmpty());
}

void TestTicketSync::aConversationBecomesATicketOnce()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("sam@example.com"), QStringLiteral("Sam"));
    const qint64 conversation = conversationOf(user, QStringLiteral("Where is my refund for order #12345-67?"));
    const OperationResult first = m_sync->engine().operations().createTicketFromConversation(
        conversation, TicketDraft{QString(), QString(), QStringLiteral("high"), QStringLiteral("refund")}, QStringLiteral("anna"));
    QVERIFY2(first.success, qPrintable(first.error));
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT priority || '/' || category || '/' || source FROM dashboard.tickets WHERE id = ?"),
                         {first.entityId})
                 .toString(),
             QStringLiteral("high/refund/ai_agent"));
    const OperationResult second = m_sync->engine().operations().createTicketFromConversation(conversation, {}, {});
    QVERIFY(!second.success);
    QCOMPARE(second.failure, OperationResult::Failure::Conflict);
    QCOMPARE(second.data.value(QStringLiteral("dashboard_ticket_id")).toInteger(), first.entityId);
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 1);

    const OperationResult missing = m_sync->engine().operations().createTicketFromConversation(424242, {}, {});
    QCOMPARE(missing.failure, OperationResult::Failure::NotFound);
    const OperationResult badPriority = m_sync->engine().operations().createTicketFromConversation(
        conversation, TicketDraft{QString(), QString(), QStringLiteral("asap"), QString()}, {});
    QCOMPARE(badPriority.failure, OperationResult::Failure::InvalidInput);
}

void TestTicketSync::aConversationIsLinkedOnlyToItsCustomersTicket()
{
    const qint64 tom = m_sync->productSignsUp(QStringLiteral("tom@example.com"), QStringLiteral("Tom"));
    const qint64 uma = m_sync->productSignsUp(QStringLiteral("uma@example.com"), QStringLiteral("Uma"));
    QVERIFY(m_sync->synced());
    const qint64 tomsTicket = m_sync->helpdeskDb().value(QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject) VALUES (?, 'Billing') "
                                                         "RETURNING id"),
                                          {m_sync->customerOfUser(tom)})
                                  .toLongLong();
    const qint64 tomsConversation = conversationOf(tom, QStringLiteral("About my invoice again"));
    const qint64 umasConversation = conversationOf(uma, QStringLiteral("Hello"));
    const OperationResult foreign = m_sync->engine().operations().linkConversationToTicket(umasConversation, tomsTicket, {});
    QCOMPARE(foreign.failure, OperationResult::Failure::InvalidInput);
    const OperationResult linked = m_sync->engine().operations().linkConversationToTicket(tomsConversation, tomsTicket,
                                                                                         QStringLiteral("anna"));
    QVERIFY2(linked.success, qPrintable(linked.error));
    QVERIFY(linked.data.value(QStringLiteral("backend_ticket_id")).toInteger() > 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT link_kind FROM sync.conversation_tickets WHERE conversation_id = ?"),
                         {tomsConversation})
                 .toString(),
             QStringLiteral("linked"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.conversations WHERE id = ?"), {tomsConversation}).toString(),
             QStringLiteral("escalated"));
}

void TestTicketSync::syncUserDataReportsBothIds()
{
    QVERIFY(m_sync->pauseEngine());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("vic@example.com"), QStringLiteral("Vic"));
    const OperationResult synced = m_sync->engine().operations().syncUserData(user);
    QVERIFY2(synced.success, qPrintable(synced.error));
    QCOMPARE(synced.data.value(QStringLiteral("user_id")).toInteger(), user);
    QCOMPARE(synced.data.value(QStringLiteral("customer_id")).toInteger(), m_sync->customerOfUser(user));
    QCOMPARE(synced.data.value(QStringLiteral("action")).toString(), QStringLiteral("created_in_dashboard"));
    QCOMPARE(m_sync->engine().operations().syncUserData(777777).failure, OperationResult::Failure::NotFound);
    m_sync->engine().resume();
}

QTEST_GUILESS_MAIN(TestTicketSync)
#include "tst_ticketsync.moc"
