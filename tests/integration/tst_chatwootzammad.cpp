#include "model/mappingfile.h"
#include "schema/captureinstaller.h"
#include "schema/mappingcheck.h"
#include "schema/mappinglookups.h"
#include "syncfixture.h"
#include "tasks/consistencychecker.h"

#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

namespace {

QString example(const QString &name)
{
    return QStringLiteral("examples/chatwoot-zammad/") + name;
}

} // namespace

// The worked example (examples/chatwoot-zammad/): Chatwoot's contacts and conversations kept in step
// with Zammad's customers and tickets, on the two products' own table structure, through the mapping
// shipped beside it.
class TestChatwootZammad final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void theMappingHoldsOnBothProducts();
    void aChatwootContactBecomesAZammadCustomerAndBack();
    void anAgentInZammadNeverSyncsACustomerDoes();
    void closingTheZammadTicketResolvesTheChatwootConversation();
    void aClashIsAConflictUnderTheCanonicalName();
    void twoPopulatedProductsAreAdoptedByTheCheck();

private:
    TestDatabase &chatwoot() { return *m_db; }
    TestDatabase &zammad() { return m_ownHelpdesk ? *m_ownHelpdesk : *m_db; }
    qint64 chatwootContact(const QString &name, const QString &email);
    qint64 zammadUser(const QString &first, const QString &last, const QString &email, const QString &role);
    qint64 userOf(qint64 contact);

    std::shared_ptr<const Mapping> m_mapping;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<TestDatabase> m_ownHelpdesk;
    std::unique_ptr<SyncFixture> m_sync;
};

void TestChatwootZammad::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    if (SyncFixture::layoutOfRow() == SyncFixture::Layout::TwoDatabases) {
        m_ownHelpdesk = SyncFixture::helpdeskDatabase();
        QVERIFY(m_ownHelpdesk);
    }
    QVERIFY(chatwoot().runScript(example(QStringLiteral("chatwoot.sql"))));
    QVERIFY(zammad().runScript(example(QStringLiteral("zammad.sql"))));
    auto mapping = MappingFile::read(TestDatabase::sourceFile(example(QStringLiteral("mapping.yaml"))));
    QVERIFY2(mapping, qPrintable(mapping ? QString() : mapping.error()));
    auto resolved = MappingLookups::resolve(mapping.value(), chatwoot().db(), zammad().db());
    QVERIFY2(resolved, qPrintable(resolved ? QString() : resolved.error()));
    m_mapping = std::make_shared<const Mapping>(std::move(resolved).value());
    auto installed = CaptureInstaller(*m_mapping).install(chatwoot().db(), zammad().db());
    QVERIFY2(installed, qPrintable(installed ? QString() : installed.error()));
    EngineOptions options = SyncFixture::defaults();
    options.mapping = m_mapping;
    options.conflictRules = {QStringLiteral("customer.phone=manual_review")};
    m_sync = std::make_unique<SyncFixture>(chatwoot(), zammad(), options);
}

void TestChatwootZammad::cleanup()
{
    m_sync.reset();
    m_ownHelpdesk.reset();
    m_db.reset();
}

qint64 TestChatwootZammad::chatwootContact(const QString &name, const QString &email)
{
    return chatwoot()
        .value(
            QStringLiteral("INSERT INTO chatwoot.contacts (account_id, name, email, created_at, updated_at) "
                           "VALUES (1, ?, ?, now(), now()) RETURNING id"),
            {name, email})
        .toLongLong();
}

qint64 TestChatwootZammad::zammadUser(const QString &first, const QString &last, const QString &email,
                                      const QString &role)
{
    // As Zammad makes a user: the row, then its role, in one transaction.
    return zammad()
        .value(QStringLiteral(
                   "WITH u AS (INSERT INTO zammad.users (login, firstname, lastname, email, created_by_id, "
                   "updated_by_id, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1, now(), now()) RETURNING "
                   "id), "
                   "r AS (INSERT INTO zammad.roles_users (user_id, role_id) SELECT u.id, zr.id FROM u, "
                   "zammad.roles zr "
                   "WHERE zr.name = ?) SELECT id FROM u"),
               {email, first, last, email, role})
        .toLongLong();
}

qint64 TestChatwootZammad::userOf(qint64 contact)
{
    return m_db
        ->value(
            QStringLiteral("SELECT coalesce(max(dashboard_id), 0) FROM sync.links WHERE entity = 'customer' "
                           "AND backend_id = ?"),
            {contact})
        .toLongLong();
}

void TestChatwootZammad::theMappingHoldsOnBothProducts()
{
    QSqlDatabase product = chatwoot().db();
    QSqlDatabase helpdesk = zammad().db();
    auto problems = MappingCheck(*m_mapping, product, helpdesk).run();
    QVERIFY2(problems, qPrintable(problems ? QString() : problems.error()));
    QVERIFY2(problems->isEmpty(), qPrintable(problems->join(QLatin1Char('\n'))));
}

void TestChatwootZammad::aChatwootContactBecomesAZammadCustomerAndBack()
{
    QVERIFY(m_sync->start());
    const qint64 contact = chatwootContact(QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.com"));
    QVERIFY(m_sync->synced());
    const qint64 user = userOf(contact);
    QVERIFY(user > 0);
    const QVariantList row =
        zammad()
            .rows(QStringLiteral("SELECT login, firstname, lastname, email FROM zammad.users WHERE id = ?"),
                  {user})
            .value(0);
    QCOMPARE(row, (QVariantList{QStringLiteral("ada@example.com"), QStringLiteral("Ada"),
                                QStringLiteral("Lovelace"), QStringLiteral("ada@example.com")}));

    QVERIFY(m_sync->helpdesk(
        QStringLiteral("UPDATE zammad.users SET lastname = 'King', phone = '+44 20 7946 0000' WHERE id = ?"),
        {user}));
    QVERIFY(m_sync->synced());
    QCOMPARE(
        chatwoot()
            .rows(QStringLiteral("SELECT name, phone_number FROM chatwoot.contacts WHERE id = ?"), {contact})
            .value(0),
        (QVariantList{QStringLiteral("Ada King"), QStringLiteral("+44 20 7946 0000")}));
}

void TestChatwootZammad::anAgentInZammadNeverSyncsACustomerDoes()
{
    QVERIFY(m_sync->start());
    zammadUser(QStringLiteral("Sam"), QStringLiteral("Support"), QStringLiteral("sam@helpdesk.example"),
               QStringLiteral("Agent"));
    const qint64 customer = zammadUser(QStringLiteral("Bo"), QStringLiteral("Jensen"),
                                       QStringLiteral("bo@example.com"), QStringLiteral("Customer"));
    QVERIFY(m_sync->synced());
    QCOMPARE(
        chatwoot().value(QStringLiteral("SELECT string_agg(email, ',') FROM chatwoot.contacts")).toString(),
        QStringLiteral("bo@example.com"));
    QCOMPARE(chatwoot().rows(QStringLiteral("SELECT name, account_id FROM chatwoot.contacts")).value(0),
             (QVariantList{QStringLiteral("Bo Jensen"), 1}));
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT backend_id IS NOT NULL FROM sync.links WHERE dashboard_id = ?"),
                    {customer})
            .toBool(),
        true);
}

void TestChatwootZammad::closingTheZammadTicketResolvesTheChatwootConversation()
{
    QVERIFY(m_sync->start());
    const qint64 contact = chatwootContact(QStringLiteral("Cy Young"), QStringLiteral("cy@example.com"));
    QVERIFY(m_sync->synced());
    const qint64 conversation =
        chatwoot()
            .value(
                QStringLiteral("INSERT INTO chatwoot.conversations (account_id, inbox_id, status, "
                               "contact_id, display_id, "
                               "created_at, updated_at) VALUES (1, 1, 0, ?, 41, now(), now()) RETURNING id"),
                {contact})
            .toLongLong();
    QVERIFY(m_sync->synced());
    const qint64 ticket = m_db->value(QStringLiteral("SELECT coalesce(max(dashboard_id), 0) FROM sync.links "
                                                     "WHERE entity = 'ticket' AND backend_id = ?"),
                                      {conversation})
                              .toLongLong();
    QVERIFY(ticket > 0);
    QCOMPARE(
        zammad()
            .rows(QStringLiteral("SELECT s.name, t.customer_id, t.number, t.group_id FROM zammad.tickets t "
                                 "JOIN zammad.ticket_states s ON s.id = t.state_id WHERE t.id = ?"),
                  {ticket})
            .value(0),
        (QVariantList{QStringLiteral("open"), userOf(contact), QStringLiteral("41"), 1}));

    // An agent closes the ticket in Zammad: the conversation is resolved in Chatwoot.
    QVERIFY(m_sync->helpdesk(
        QStringLiteral("UPDATE zammad.tickets SET state_id = (SELECT id FROM zammad.ticket_states "
                       "WHERE name = 'closed') WHERE id = ?"),
        {ticket}));
    QVERIFY(m_sync->synced());
    QCOMPARE(
        chatwoot()
            .value(QStringLiteral("SELECT status FROM chatwoot.conversations WHERE id = ?"), {conversation})
            .toInt(),
        1);
}

void TestChatwootZammad::aClashIsAConflictUnderTheCanonicalName()
{
    QVERIFY(m_sync->start());
    const qint64 contact = chatwootContact(QStringLiteral("Dee"), QStringLiteral("dee@example.com"));
    QVERIFY(m_sync->synced());
    const qint64 user = userOf(contact);
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->product(QStringLiteral("UPDATE chatwoot.contacts SET phone_number = '111' WHERE id = ?"),
                            {contact}));
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE zammad.users SET phone = '222' WHERE id = ?"), {user}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(
        m_db->rows(QStringLiteral(
                       "SELECT field, backend_value #>> '{}', dashboard_value #>> '{}' FROM sync.conflicts "
                       "WHERE status = 'open'"))
            .value(0),
        (QVariantList{QStringLiteral("phone"), QStringLiteral("111"), QStringLiteral("222")}));
}

void TestChatwootZammad::twoPopulatedProductsAreAdoptedByTheCheck()
{
    // Both products in use before SyncDesk came: nothing of theirs was captured.
    chatwootContact(QStringLiteral("Ann Lee"), QStringLiteral("ann@example.com"));
    chatwootContact(QStringLiteral("Ben"), QStringLiteral("ben@example.com"));
    zammadUser(QStringLiteral("Ann"), QStringLiteral("Lee"), QStringLiteral("ANN@example.com"),
               QStringLiteral("Customer"));
    zammadUser(QStringLiteral("Cat"), QStringLiteral("Ray"), QStringLiteral("cat@example.com"),
               QStringLiteral("Customer"));
    zammadUser(QStringLiteral("Sam"), QStringLiteral("Support"), QStringLiteral("sam@helpdesk.example"),
               QStringLiteral("Agent"));
    QVERIFY(chatwoot().exec(QStringLiteral("DELETE FROM sync.outbox")));
    QVERIFY(zammad().exec(QStringLiteral("DELETE FROM sync.outbox")));
    QVERIFY(m_sync->start());

    QSqlDatabase product = chatwoot().db();
    ConsistencyChecker checker(product, m_ownHelpdesk ? zammad().db() : QSqlDatabase(), m_mapping);
    auto run = checker.createRun(QStringLiteral("test"));
    QVERIFY(run);
    auto report = checker.run(run.value(), true);
    QVERIFY2(report, qPrintable(report ? QString() : report.error()));
    QVERIFY(m_sync->synced());
    // Ann linked by address, Ben and Cat copied, the agent left alone.
    QCOMPARE(chatwoot()
                 .value(QStringLiteral(
                     "SELECT string_agg(lower(email), ',' ORDER BY lower(email)) FROM chatwoot.contacts"))
                 .toString(),
             QStringLiteral("ann@example.com,ben@example.com,cat@example.com"));
    QCOMPARE(
        zammad()
            .value(QStringLiteral("SELECT count(*) FROM zammad.users WHERE lower(email) = 'ann@example.com'"))
            .toInt(),
        1);
    QCOMPARE(zammad()
                 .value(QStringLiteral("SELECT count(*) FROM zammad.users WHERE email = 'ben@example.com'"))
                 .toInt(),
             1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.links WHERE entity = 'customer'")).toInt(),
             3);
}

QTEST_GUILESS_MAIN(TestChatwootZammad)
#include "tst_chatwootzammad.moc"
