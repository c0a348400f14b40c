#include "ui/conversationdetail.h"
#include "ui/conversationspage.h"
#include "ui/createticketdialog.h"
#include "ui/jsontablemodel.h"
#include "ui/linkticketdialog.h"
#include "ui/messagebar.h"
#include "uifixture.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;
using namespace syncdesk::ui;

// Support staff work through AI conversations: the ones that need a look are one filter away; a
// ticket made from a conversation exists on both sides and is linked; linking offers that customer's
// open tickets first.
class TestConversationsPage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void creatingATicketFromAConversationLinksIt();
    void linkingOffersTheCustomersOpenTicketsFirst();
    void analyzeShowsTheScoreAndItsSignals();
    void filtersShowWhatNeedsAttention_data();
    void filtersShowWhatNeedsAttention();

private:
    ConversationsPage *openConversations();
    // A conversation of the seed without a ticket, and its user.
    QPair<qint64, qint64> conversationWithoutTicket();
    std::unique_ptr<UiFixture> m_ui;
};

void TestConversationsPage::initTestCase()
{
    UiFixture::isolateSettings();
}

void TestConversationsPage::init()
{
    EngineOptions options = SyncFixture::defaults();
    options.autoTicketing.createTickets = false; // the stories make their tickets by hand
    m_ui = std::make_unique<UiFixture>(40, options);
    QVERIFY2(m_ui->isReady(), qPrintable(m_ui->error()));
}

void TestConversationsPage::cleanup()
{
    m_ui.reset();
}

ConversationsPage *TestConversationsPage::openConversations()
{
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("conversations"));
    return qobject_cast<ConversationsPage *>(window.page(QStringLiteral("conversations")));
}

QPair<qint64, qint64> TestConversationsPage::conversationWithoutTicket()
{
    // A customer of both systems starts a new conversation in the product, as the product would write it.
    const qint64 user = m_ui->linkedUser();
    const qint64 conversation =
        m_ui->db()
            .value(QStringLiteral("INSERT INTO backend.conversations (user_id, subject, status, "
                                  "last_message_at) VALUES (?, "
                                  "'Refund for order 4711', 'active', now()) RETURNING id"),
                   {user})
            .toLongLong();
    m_ui->db().exec(
        QStringLiteral(
            "INSERT INTO backend.messages (conversation_id, role, content) VALUES "
            "(?, 'customer', 'I returned order 4711 two weeks ago and still have no refund. This is "
            "unacceptable, I want my money back.'), "
            "(?, 'assistant', 'I am sorry about that. Let me check the refund for order 4711.')"),
        {conversation, conversation});
    return {conversation, user};
}

void TestConversationsPage::creatingATicketFromAConversationLinksIt()
{
    const auto [conversation, user] = conversationWithoutTicket();
    QVERIFY(conversation > 0);
    ConversationsPage *page = openConversations();
    page->showConversation(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(page->detail()->conversationId(), conversation, 10000);
    QVERIFY(page->detail()->createButton()->isEnabled());
    QTest::mouseClick(page->detail()->createButton(), Qt::LeftButton);
    CreateTicketDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = page->findChild<CreateTicketDialog *>()) != nullptr);
    dialog->subjectEdit()->setText(QStringLiteral("Refund not received for order 4711"));
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();

    QTRY_VERIFY_WITH_TIMEOUT(!page->messageBar()->text().isEmpty(), 10000);
    QVERIFY2(page->messageBar()->kind() == MessageBar::Kind::Success, qPrintable(page->messageBar()->text()));
    QCOMPARE(
        m_ui->db()
            .value(QStringLiteral("SELECT count(*) FROM sync.conversation_tickets WHERE conversation_id = ?"),
                   {conversation})
            .toInt(),
        1);
    const auto ticket = m_ui->db().rows(
        QStringLiteral("SELECT ct.dashboard_ticket_id, ct.backend_ticket_id, d.subject, b.subject, "
                       "b.user_id, ct.linked_by FROM sync.conversation_tickets ct "
                       "JOIN dashboard.tickets d ON d.id = ct.dashboard_ticket_id "
                       "JOIN backend.tickets b ON b.id = ct.backend_ticket_id WHERE ct.conversation_id = ?"),
        {conversation});
    QCOMPARE(ticket.size(), 1);
    QCOMPARE(ticket[0][2].toString(), QStringLiteral("Refund not received for order 4711"));
    QCOMPARE(ticket[0][3].toString(), ticket[0][2].toString());
    QCOMPARE(ticket[0][4].toLongLong(), user);
    QCOMPARE(ticket[0][5].toString(), QStringLiteral("tester"));
    // The detail shows the ticket, and a second ticket is not offered.
    QTRY_VERIFY_WITH_TIMEOUT(
        page->detail()->ticketText().contains(QStringLiteral("#%1").arg(ticket[0][0].toLongLong())), 10000);
    QVERIFY(!page->detail()->createButton()->isEnabled());
    QCOMPARE(page->messageBar()->kind(), MessageBar::Kind::Success);
}

void TestConversationsPage::linkingOffersTheCustomersOpenTicketsFirst()
{
    const auto [conversation, user] = conversationWithoutTicket();
    QVERIFY(conversation > 0);
    const qint64 customer = m_ui->sync().customerOfUser(user);
    QVERIFY(m_ui->sync().helpdesk(
        QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject, status) VALUES (?, "
                       "'Open question about invoice', 'open')"),
        {customer}));
    QVERIFY(m_ui->sync().synced());
    const qint64 open =
        m_ui->db()
            .value(QStringLiteral("SELECT max(id) FROM dashboard.tickets WHERE customer_id = ?"), {customer})
            .toLongLong();
    ConversationsPage *page = openConversations();
    page->showConversation(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(page->detail()->conversationId(), conversation, 10000);
    QTest::mouseClick(page->detail()->linkButton(), Qt::LeftButton);
    LinkTicketDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = page->findChild<LinkTicketDialog *>()) != nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->model()->rowCount() > 0, 10000);
    for (int row = 0; row < dialog->model()->rowCount(); ++row) {
        const QJsonObject ticket = dialog->model()->rowAt(row);
        QVERIFY2(ticket.value(QStringLiteral("of_user")).toBool(),
                 "without a search only this customer's tickets are offered");
        QVERIFY(!QStringList({QStringLiteral("resolved"), QStringLiteral("closed")})
                     .contains(ticket.value(QStringLiteral("dashboard"))
                                   .toObject()
                                   .value(QStringLiteral("status"))
                                   .toString()));
    }
    const int row = dialog->model()->rowOfId(QString::number(open));
    QVERIFY(row >= 0);
    dialog->table()->selectRow(row);
    QCOMPARE(dialog->chosenTicket(), open);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!page->messageBar()->text().isEmpty(), 10000);
    QVERIFY2(page->messageBar()->kind() == MessageBar::Kind::Success, qPrintable(page->messageBar()->text()));
    QCOMPARE(m_ui->db()
                 .value(QStringLiteral("SELECT max(dashboard_ticket_id) FROM sync.conversation_tickets WHERE "
                                       "conversation_id = ?"),
                        {conversation})
                 .toLongLong(),
             open);
    QCOMPARE(m_ui->db()
                 .value(QStringLiteral(
                            "SELECT link_kind FROM sync.conversation_tickets WHERE conversation_id = ?"),
                        {conversation})
                 .toString(),
             QStringLiteral("linked"));
}

void TestConversationsPage::analyzeShowsTheScoreAndItsSignals()
{
    const auto [conversation, user] = conversationWithoutTicket();
    Q_UNUSED(user)
    QVERIFY(m_ui->sync().synced());
    const int before =
        m_ui->db()
            .value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"),
                   {conversation})
            .toInt();
    ConversationsPage *page = openConversations();
    page->showConversation(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(page->detail()->conversationId(), conversation, 10000);
    QTest::mouseClick(page->detail()->analyzeButton(), Qt::LeftButton);
    // The page says what the analysis found (the engine may analyse the new conversation by itself too,
    // so the message, not the count, tells that this click was answered).
    QTRY_VERIFY_WITH_TIMEOUT(page->messageBar()->text().contains(QLatin1String("confidence")), 15000);
    QCOMPARE(page->messageBar()->kind(), MessageBar::Kind::Success);
    QVERIFY(m_ui->db()
                .value(QStringLiteral("SELECT count(*) FROM sync.analyses WHERE conversation_id = ?"),
                       {conversation})
                .toInt() > before);
    QTRY_VERIFY_WITH_TIMEOUT(
        page->detail()->findChild<QTableView *>(QStringLiteral("signalTable"))->model()->rowCount() > 0,
        10000);
}

void TestConversationsPage::filtersShowWhatNeedsAttention_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("expected");
    QTest::newRow("needs review")
        << "needs_review"
        << "SELECT count(*) FROM backend.conversations v WHERE (SELECT result FROM sync.analyses a WHERE "
           "a.conversation_id = v.id ORDER BY created_at DESC, id DESC LIMIT 1) = 'needs_review'";
    QTest::newRow("above threshold without ticket")
        << "above_threshold_without_ticket"
        << "SELECT count(*) FROM backend.conversations v WHERE (SELECT confidence FROM sync.analyses a WHERE "
           "a.conversation_id = v.id "
           "ORDER BY created_at DESC, id DESC LIMIT 1) >= 0.7 AND NOT EXISTS (SELECT 1 FROM "
           "sync.conversation_tickets t WHERE "
           "t.conversation_id = v.id)";
    QTest::newRow("with a ticket")
        << "with_ticket"
        << "SELECT count(*) FROM backend.conversations v WHERE EXISTS (SELECT 1 FROM "
           "sync.conversation_tickets t WHERE t.conversation_id = v.id)";
}

void TestConversationsPage::filtersShowWhatNeedsAttention()
{
    QFETCH(QString, view);
    QFETCH(QString, expected);
    // Analyse a few so the views have something to show.
    const auto conversations =
        m_ui->db().rows(QStringLiteral("SELECT id FROM backend.conversations ORDER BY id LIMIT 12"));
    for (const QVariantList &row : conversations) {
            QVERIFY(m_ui->sync()
                    .engine()
                    .operations()
                    .analyzeConversationForTicket(row[0].toLongLong())
                    .success);
    }
    ConversationsPage *page = openConversations();
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowCount() > 0, 10000); // all conversations first
    page->setView(view);
    const int count = m_ui->db().value(expected).toInt();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), count, 10000);
}

QTEST_MAIN(TestConversationsPage)
#include "tst_conversationspage.moc"
