#include "syncfixture.h"

#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// Customers: what one system changes, the other shows; what both change, the strategy settles.
class TestCustomerSync final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void aSignUpInTheProductAppearsInTheHelpdesk();
    void editsTravelBothWays();
    void anExistingCustomerIsMatchedByEmailNotDuplicated();
    void bothSidesEditTheSameField_data();
    void bothSidesEditTheSameField();
    void manualReviewStopsOnlyThatField();
    void tagsMergeAdditionsAndRemovalsOfBothSides();
    void aDeletedCustomerWaitsForADecision();
    void deletesPropagateWhenConfiguredTo();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SyncFixture> m_sync;
};

void TestCustomerSync::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    m_sync = std::make_unique<SyncFixture>(*m_db, SyncFixture::layoutOfRow());
}

void TestCustomerSync::cleanup()
{
    m_sync.reset();
    m_db.reset();
}

void TestCustomerSync::aSignUpInTheProductAppearsInTheHelpdesk()
{
    QVERIFY(m_sync->start());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("ada@example.com"), QStringLiteral("Ada Lovelace"),
                                               QStringLiteral("+44 20 7946 0000"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    QVERIFY(customer > 0);
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("email")).toString(), QStringLiteral("ada@example.com"));
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("name")).toString(), QStringLiteral("Ada Lovelace"));
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("phone")).toString(), QStringLiteral("+44 20 7946 0000"));
    if (m_sync->twoDatabases()) // the helpdesk's rows live only in its own database
        QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 0);
    // The engine's own write was not captured back: nothing is left in the queue, and no loop.
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE side = 'dashboard'")).toInt(), 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT action FROM sync.history WHERE backend_id = ?"), {user}).toString(),
             QStringLiteral("created_in_dashboard"));
}

void TestCustomerSync::editsTravelBothWays()
{
    QVERIFY(m_sync->start());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("bo@example.com"), QStringLiteral("Bo"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);

    // The customer edits their profile in the product...
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET phone = '+1 555 0101', company = 'Atlas' WHERE id = ?"), {user}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("phone")).toString(), QStringLiteral("+1 555 0101"));
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("company")).toString(), QStringLiteral("Atlas"));

    // ...and an agent corrects the name in the helpdesk.
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.customers SET name = 'Bo Jensen' WHERE id = ?"), {customer}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->userField(user, QStringLiteral("full_name")).toString(), QStringLiteral("Bo Jensen"));
    QCOMPARE(m_sync->userField(user, QStringLiteral("phone")).toString(), QStringLiteral("+1 555 0101"));
    // The baseline now holds what both agree on.
    QCOMPARE(m_db->value(QStringLiteral("SELECT baseline ->> 'name' FROM sync.links WHERE backend_id = ? AND entity = 'customer'"),
                         {user})
                 .toString(),
             QStringLiteral("Bo Jensen"));
}

void TestCustomerSync::anExistingCustomerIsMatchedByEmailNotDuplicated()
{
    const qint64 customer = m_sync->helpdeskAddsCustomer(QStringLiteral("Cy.Young@Example.COM"), QStringLiteral("Cy Young"),
                                                         QStringLiteral("+49 30 1111"));
    QVERIFY(m_sync->start());
    QVERIFY(m_sync->synced());
    const qint64 createdUser = m_sync->userOfCustomer(customer);
    QVERIFY(createdUser > 0); // the helpdesk's customer now exists in the product

    // A second helpdesk record whose product account already exists, with another spelling of the address.
    const qint64 user = m_db->value(QStringLiteral("WITH u AS (INSERT INTO backend.users (email, full_name) VALUES "
                                                   "('dee@example.com', 'Dee') RETURNING id) SELECT id FROM u"))
                            .toLongLong();
    QVERIFY(m_sync->synced());
    const qint64 dee = m_sync->customerOfUser(user);
    QVERIFY(dee > 0);
    const qint64 before = m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toLongLong();
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.customers SET phone = '+1 555 0202' WHERE id = ?"), {dee}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toLongLong(), before);

    // Matching ignores case: the product signs up someone the helpdesk knew already, both before the engine looks
    // (paused first, or it could create Emma's account from the helpdesk record before the sign-up arrives).
    QVERIFY(m_sync->pauseEngine());
    const qint64 emma = m_sync->helpdeskAddsCustomer(QStringLiteral("EMMA@example.com"), QStringLiteral("Emma"));
    const qint64 emmaUser = m_sync->productSignsUp(QStringLiteral("emma@example.com"), QStringLiteral("Emma B"),
                                                   QStringLiteral("+1 555 0303"));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->customerOfUser(emmaUser), emma);
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.customers WHERE lower(email) = 'emma@example.com'")).toInt(), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE lower(email) = 'emma@example.com'")).toInt(), 1);
    QCOMPARE(m_sync->customerField(emma, QStringLiteral("phone")).toString(), QStringLiteral("+1 555 0303")); // filled in
}

void TestCustomerSync::bothSidesEditTheSameField_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("productValue");  // "" = unchanged from the start
    QTest::addColumn<QString>("helpdeskValue");
    QTest::addColumn<QString>("conflictStatus");

    // The product edits first, the helpdesk a moment later.
    QTest::newRow("latest wins") << "customer.phone=latest_wins" << "+1 555 0999" << "+1 555 0999" << "resolved";
    QTest::newRow("manual review") << "customer.phone=manual_review" << "+1 555 0001" << "+1 555 0999" << "open";
    QTest::newRow("preserve both") << "customer.phone=preserve_both" << "+1 555 0999" << "+1 555 0999" << "preserved";
    QTest::newRow("merge falls back for text") << "customer.phone=merge/latest_wins" << "+1 555 0999" << "+1 555 0999"
                                               << "resolved";
}

void TestCustomerSync::bothSidesEditTheSameField()
{
    QFETCH(QString, rule);
    QFETCH(QString, productValue);
    QFETCH(QString, helpdeskValue);
    QFETCH(QString, conflictStatus);
    const QStringList parts = rule.split(QLatin1Char('='));
    const QStringList strategy = parts.at(1).split(QLatin1Char('/'));
    QVERIFY(m_sync->engine()
                .setConflictRule(parts.at(0), {*conflictStrategyFromString(strategy.at(0)),
                                               *conflictStrategyFromString(strategy.value(1, QStringLiteral("latest_wins")))})
                .ok());
    QVERIFY(m_sync->start());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("flo@example.com"), QStringLiteral("Flo"), QStringLiteral("+1 555 0000"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);

    // Both edit the phone while the engine is paused, moments apart.
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET phone = '+1 555 0001' WHERE id = ?"), {user}));
    QTest::qWait(20);
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.customers SET phone = '+1 555 0999' WHERE id = ?"), {customer}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());

    QCOMPARE(m_sync->userField(user, QStringLiteral("phone")).toString(), productValue);
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("phone")).toString(), helpdeskValue);
    const auto conflicts = m_db->rows(QStringLiteral("SELECT status, strategy, backend_value #>> '{}', dashboard_value #>> '{}', "
                                                     "baseline_value #>> '{}' FROM sync.conflicts WHERE field = 'phone'"));
    QCOMPARE(conflicts.size(), 1);
    QCOMPARE(conflicts[0][0].toString(), conflictStatus);
    QCOMPARE(conflicts[0][2].toString(), QStringLiteral("+1 555 0001"));
    QCOMPARE(conflicts[0][3].toString(), QStringLiteral("+1 555 0999"));
    QCOMPARE(conflicts[0][4].toString(), QStringLiteral("+1 555 0000"));
}

void TestCustomerSync::manualReviewStopsOnlyThatField()
{
    QVERIFY(m_sync->start());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("gil@example.com"), QStringLiteral("Gil"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);

    // E-mail is manual_review by default.
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET email = 'gil@new.example.com' WHERE id = ?"), {user}));
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.customers SET email = 'gil@work.example.com' WHERE id = ?"), {customer}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conflicts WHERE field = 'email' AND status = 'open'")).toInt(), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT paused_fields::text FROM sync.links WHERE backend_id = ? AND entity = 'customer'"),
                         {user})
                 .toString(),
             QStringLiteral("{email}"));

    // Later e-mail edits wait too; other fields keep syncing.
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET email = 'gil@third.example.com', locale = 'de' WHERE id = ?"),
                            {user}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("email")).toString(), QStringLiteral("gil@work.example.com"));
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("locale")).toString(), QStringLiteral("de"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conflicts WHERE status = 'open'")).toInt(), 1);
}

void TestCustomerSync::tagsMergeAdditionsAndRemovalsOfBothSides()
{
    QVERIFY(m_sync->start());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("hal@example.com"), QStringLiteral("Hal"));
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET tags = '{trial,newsletter}' WHERE id = ?"), {user}));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("tags")).toString(), QStringLiteral("{newsletter,trial}"));

    QVERIFY(m_sync->pauseEngine());
    // The product drops the trial and adds beta; an agent marks the customer vip.
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET tags = '{newsletter,beta}' WHERE id = ?"), {user}));
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.customers SET tags = '{newsletter,trial,vip}' WHERE id = ?"), {customer}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->userField(user, QStringLiteral("tags")).toString(), QStringLiteral("{beta,newsletter,vip}"));
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("tags")).toString(), QStringLiteral("{beta,newsletter,vip}"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT resolution FROM sync.conflicts WHERE field = 'tags'")).toString(), QStringLiteral("merge"));
}

void TestCustomerSync::aDeletedCustomerWaitsForADecision()
{
    QVERIFY(m_sync->start());
    const qint64 user = m_sync->productSignsUp(QStringLiteral("ivy@example.com"), QStringLiteral("Ivy"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    QVERIFY(m_sync->product(QStringLiteral("DELETE FROM backend.users WHERE id = ?"), {user}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.customers WHERE id = ?"), {customer}).toInt(), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT state FROM sync.links WHERE dashboard_id = ? AND entity = 'customer'"), {customer})
                 .toString(),
             QStringLiteral("deleted_in_backend"));
    const auto conflict = m_db->rows(QStringLiteral("SELECT kind, status, backend_value ->> 'email', dashboard_value ->> 'email' "
                                                    "FROM sync.conflicts"));
    QCOMPARE(conflict.size(), 1);
    QCOMPARE(conflict[0][0].toString(), QStringLiteral("deleted"));
    QCOMPARE(conflict[0][1].toString(), QStringLiteral("open"));
    QCOMPARE(conflict[0][2].toString(), QStringLiteral("ivy@example.com")); // the deleted record, as it was
    QCOMPARE(conflict[0][3].toString(), QStringLiteral("ivy@example.com"));

    // Edits to the survivor wait for the decision too.
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.customers SET phone = '+1' WHERE id = ?"), {customer}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE lower(email) = 'ivy@example.com'")).toInt(), 0);
}

void TestCustomerSync::deletesPropagateWhenConfiguredTo()
{
    m_sync.reset();
    EngineOptions options = SyncFixture::defaults();
    options.deletes = DeletePolicy::Propagate;
    m_sync = std::make_unique<SyncFixture>(*m_db, options, SyncFixture::layoutOfRow());
    QVERIFY(m_sync->start());
    const qint64 customer = m_sync->helpdeskAddsCustomer(QStringLiteral("jo@example.com"), QStringLiteral("Jo"));
    QVERIFY(m_sync->synced());
    const qint64 user = m_sync->userOfCustomer(customer);
    QVERIFY(user > 0);
    QVERIFY(m_sync->helpdesk(QStringLiteral("DELETE FROM dashboard.customers WHERE id = ?"), {customer}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE id = ?"), {user}).toInt(), 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.links WHERE entity = 'customer'")).toInt(), 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT action FROM sync.history ORDER BY id DESC LIMIT 1")).toString(),
             QStringLiteral("delete_propagated"));
}

QTEST_GUILESS_MAIN(TestCustomerSync)
#include "tst_customersync.moc"
