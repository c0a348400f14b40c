#include "conflicts/conflictresolver.h"
#include "service/datasyncservice.h"
#include "syncfixture.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// A customer new on one side whose address, ignoring case, belongs to someone the other side knows
// already is not copied over as a second person: the engine holds it and a person decides.
class TestDuplicateCustomers final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void aNewCustomerWithAKnownAddressWaitsForAPerson_data();
    void aNewCustomerWithAKnownAddressWaitsForAPerson();
    void createAnywayMakesTheCounterpartAndItsTicketsFollow_data();
    void createAnywayMakesTheCounterpartAndItsTicketsFollow();
    void keepApartLeavesTheRecordOnItsOwnSide();
    void theVerySameAddressIsCreatedOnlyOnceItIsFree();
    void anAddressChangedToSomeoneElsesWaitsForAPerson_data();
    void anAddressChangedToSomeoneElsesWaitsForAPerson();

private:
    // Zoe, linked already: "ZOE@example.com" in the product, "zoe@example.com" in the helpdesk (their
    // addresses differ in case, as after an address conflict settled one way on each side).
    void zoeIsKnownOnBothSides();
    // The new record, on `side` (backend: a product sign-up; dashboard: the helpdesk adds a customer).
    qint64 arrives(const QString &side, const QString &email,
                   const QString &name = QStringLiteral("Zoe Again"));
    qint64 openDuplicate();
    OperationResult decide(qint64 conflict, ConflictDecision::Kind kind);
    TestDatabase &sideDb(const QString &side)
    {
        return side == QLatin1String("backend") ? *m_db : m_sync->helpdeskDb();
    }
    TestDatabase &otherDb(const QString &side)
    {
        return side == QLatin1String("backend") ? m_sync->helpdeskDb() : *m_db;
    }
    static QString table(const QString &side)
    {
        return side == QLatin1String("backend") ? QStringLiteral("backend.users")
                                                : QStringLiteral("dashboard.customers");
    }
    static QString otherTable(const QString &side)
    {
        return table(side == QLatin1String("backend") ? QStringLiteral("dashboard")
                                                      : QStringLiteral("backend"));
    }
    int deadEvents();
    int openConflicts()
    {
        return m_db->value(QStringLiteral("SELECT count(*) FROM sync.conflicts WHERE status = 'open'"))
            .toInt();
    }
    // Edits the phone of `record` on `side` and syncs; what `counterpart` on the other side has then.
    QString phoneReachingTheOtherSide(const QString &side, qint64 record, qint64 counterpart,
                                      const QString &phone);
    static int zoesOn(TestDatabase &db, const QString &table)
    {
        return db.value(QStringLiteral("SELECT count(*) FROM %1 WHERE lower(email) = 'zoe@example.com'").arg(table)).toInt();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SyncFixture> m_sync;
    qint64 m_zoeUser = 0;
    qint64 m_zoeCustomer = 0;
};

void TestDuplicateCustomers::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    m_sync = std::make_unique<SyncFixture>(*m_db, SyncFixture::layoutOfRow());
    zoeIsKnownOnBothSides();
    QVERIFY(m_sync->start());
    QVERIFY(m_sync->synced());
}

void TestDuplicateCustomers::cleanup()
{
    m_sync.reset();
    m_db.reset();
}

void TestDuplicateCustomers::zoeIsKnownOnBothSides()
{
    // Written as SyncDesk writes (not captured), then linked, as if synced long ago.
    QVERIFY(m_db->exec(QStringLiteral(
        "BEGIN; SET LOCAL syncdesk.origin = 'test'; INSERT INTO backend.users (email, full_name) "
        "VALUES ('ZOE@example.com', 'Zoe'); COMMIT")));
    QVERIFY(m_sync->helpdeskDb().exec(
        QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'test'; INSERT INTO dashboard.customers "
                       "(email, name) VALUES ('zoe@example.com', 'Zoe'); COMMIT")));
    m_zoeUser = m_db->value(QStringLiteral("SELECT id FROM backend.users WHERE email = 'ZOE@example.com'"))
                    .toLongLong();
    m_zoeCustomer =
        m_sync->helpdeskDb()
            .value(QStringLiteral("SELECT id FROM dashboard.customers WHERE email = 'zoe@example.com'"))
            .toLongLong();
    QVERIFY(m_db->exec(
        QStringLiteral(
            "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline) VALUES ('customer', ?, ?, "
            "'{\"name\": \"Zoe\"}')"),
        {m_zoeUser, m_zoeCustomer}));
}

qint64 TestDuplicateCustomers::arrives(const QString &side, const QString &email, const QString &name)
{
    return side == QLatin1String("backend") ? m_sync->productSignsUp(email, name)
                                            : m_sync->helpdeskAddsCustomer(email, name);
}

qint64 TestDuplicateCustomers::openDuplicate()
{
    return m_db
        ->value(QStringLiteral("SELECT id FROM sync.conflicts WHERE kind = 'duplicate' AND status = 'open'"))
        .toLongLong();
}

OperationResult TestDuplicateCustomers::decide(qint64 conflict, ConflictDecision::Kind kind)
{
    return m_sync->engine().conflicts().resolve(conflict, {kind, {}}, QStringLiteral("agent"));
}

QString TestDuplicateCustomers::phoneReachingTheOtherSide(const QString &side, qint64 record,
                                                          qint64 counterpart, const QString &phone)
{
    if (!sideDb(side).exec(QStringLiteral("UPDATE %1 SET phone = ? WHERE id = ?").arg(table(side)),
                           {phone, record}) ||
        !m_sync->synced())
        return QStringLiteral("(not synced)");
    return otherDb(side)
        .value(QStringLiteral("SELECT phone FROM %1 WHERE id = ?").arg(otherTable(side)), {counterpart})
        .toString();
}

int TestDuplicateCustomers::deadEvents()
{
    const QString dead = QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'dead'");
    return m_db->value(dead).toInt() +
           (m_sync->twoDatabases() ? m_sync->helpdeskDb().value(dead).toInt() : 0);
}

void TestDuplicateCustomers::aNewCustomerWithAKnownAddressWaitsForAPerson_data()
{
    QTest::addColumn<QString>("side");
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("sameAddress");
    QTest::newRow("product sign-up, the helpdesk's address in other case") << "backend"
                                                                           << "Zoe@Example.com" << false;
    QTest::newRow("product sign-up, the helpdesk's very address") << "backend"
                                                                  << "zoe@example.com" << true;
    QTest::newRow("helpdesk customer, the product's address in other case") << "dashboard"
                                                                            << "zoe@EXAMPLE.com" << false;
    QTest::newRow("helpdesk customer, the product's very address") << "dashboard"
                                                                   << "ZOE@example.com" << true;
}

void TestDuplicateCustomers::aNewCustomerWithAKnownAddressWaitsForAPerson()
{
    QFETCH(QString, side);
    QFETCH(QString, email);
    QFETCH(bool, sameAddress);
    const qint64 newcomer = arrives(side, email);
    QVERIFY(m_sync->synced());

    // Nobody was copied, and nothing failed.
    QCOMPARE(zoesOn(otherDb(side), otherTable(side)), 1);
    QCOMPARE(deadEvents(), 0);
    // A person is asked, with both records named.
    const auto conflict = m_db->rows(
        QStringLiteral("SELECT backend_id, dashboard_id, details::text, backend_value ->> 'email', "
                       "dashboard_value ->> 'email' FROM sync.conflicts WHERE kind = 'duplicate' "
                       "AND status = 'open'"));
    QCOMPARE(conflict.size(), 1);
    const bool newInBackend = side == QLatin1String("backend");
    QCOMPARE(conflict[0][0].toLongLong(), newInBackend ? newcomer : m_zoeUser);
    QCOMPARE(conflict[0][1].toLongLong(), newInBackend ? m_zoeCustomer : newcomer);
    const QJsonObject details = QJsonDocument::fromJson(conflict[0][2].toString().toUtf8()).object();
    QCOMPARE(details.value(QStringLiteral("new_side")).toString(), side);
    QCOMPARE(details.value(QStringLiteral("new_id")).toInteger(), newcomer);
    QCOMPARE(details.value(QStringLiteral("holder_id")).toInteger(),
             newInBackend ? m_zoeCustomer : m_zoeUser);
    QCOMPARE(details.value(QStringLiteral("holder_linked_to")).toInteger(),
             newInBackend ? m_zoeUser : m_zoeCustomer);
    QCOMPARE(details.value(QStringLiteral("same_address")).toBool(), sameAddress);
    QCOMPARE(conflict[0][newInBackend ? 3 : 4].toString(), email);
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT state || '/' || (%1_id IS NULL) FROM sync.links WHERE %2_id = ? "
                                   "AND entity = 'customer'")
                        .arg(newInBackend ? QStringLiteral("dashboard") : QStringLiteral("backend"), side),
                    {newcomer})
            .toString(),
        QStringLiteral("duplicate/true"));
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT count(*) FROM sync.history WHERE action = 'held_as_duplicate'"))
            .toInt(),
        1);

    // Its later changes wait with it: no copy, no second question.
    QVERIFY(sideDb(side).exec(
        QStringLiteral("UPDATE %1 SET phone = '+1 555 0199' WHERE id = ?").arg(table(side)), {newcomer}));
    QVERIFY(m_sync->synced());
    QCOMPARE(zoesOn(otherDb(side), otherTable(side)), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conflicts")).toInt(), 1);
    QCOMPARE(deadEvents(), 0);
}

void TestDuplicateCustomers::createAnywayMakesTheCounterpartAndItsTicketsFollow_data()
{
    QTest::addColumn<QString>("side");
    QTest::newRow("new in the product") << "backend";
    QTest::newRow("new in the helpdesk") << "dashboard";
}

void TestDuplicateCustomers::createAnywayMakesTheCounterpartAndItsTicketsFollow()
{
    QFETCH(QString, side);
    const bool newInBackend = side == QLatin1String("backend");
    const QString email = QStringLiteral("Zoe@Example.com");
    const qint64 newcomer = arrives(side, email, QStringLiteral("Zoe Two"));
    QVERIFY(m_sync->synced());
    // Their first ticket, opened while the question waits, waits with its customer.
    const QString ticketTable =
        newInBackend ? QStringLiteral("backend.tickets") : QStringLiteral("dashboard.tickets");
    const QString ownerColumn = newInBackend ? QStringLiteral("user_id") : QStringLiteral("customer_id");
    QVERIFY(sideDb(side).exec(QStringLiteral("INSERT INTO %1 (%2, subject) VALUES (?, 'My invoice is wrong')")
                                  .arg(ticketTable, ownerColumn),
                              {newcomer}));
    QVERIFY(m_sync->synced());
    QCOMPARE(deadEvents(), 0);
    const QString otherTickets =
        newInBackend ? QStringLiteral("dashboard.tickets") : QStringLiteral("backend.tickets");
    QCOMPARE(otherDb(side).value(QStringLiteral("SELECT count(*) FROM %1").arg(otherTickets)).toInt(), 0);

    // They are different people.
    const qint64 conflict = openDuplicate();
    QVERIFY(conflict > 0);
    QCOMPARE(decide(conflict, ConflictDecision::Kind::UseBackend).failure,
             OperationResult::Failure::InvalidInput);
    const OperationResult created = decide(conflict, ConflictDecision::Kind::CreateAnyway);
    QVERIFY2(created.success, qPrintable(created.error));
    QCOMPARE(created.data.value(QStringLiteral("queued_tickets")).toInt(), 1);
    QVERIFY(m_sync->synced());

    const qint64 counterpart =
        newInBackend ? m_sync->customerOfUser(newcomer) : m_sync->userOfCustomer(newcomer);
    QVERIFY(counterpart > 0);
    QCOMPARE(
        otherDb(side)
            .value(QStringLiteral("SELECT email FROM %1 WHERE id = ?").arg(otherTable(side)), {counterpart})
            .toString(),
        email);
    QCOMPARE(otherDb(side)
                 .value(QStringLiteral("SELECT %1 || '/' || subject FROM %2")
                            .arg(newInBackend ? QStringLiteral("customer_id") : QStringLiteral("user_id"),
                                 otherTickets))
                 .toString(),
             QStringLiteral("%1/My invoice is wrong").arg(counterpart));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.links WHERE state <> 'active'")).toInt(),
             0);
    // Zoe is untouched, and a settled question stays settled.
    QCOMPARE(m_sync->customerOfUser(m_zoeUser), m_zoeCustomer);
    QCOMPARE(decide(conflict, ConflictDecision::Kind::KeepApart).failure, OperationResult::Failure::Conflict);
    QCOMPARE(phoneReachingTheOtherSide(side, newcomer, counterpart, QStringLiteral("+1 555 0123")),
             QStringLiteral("+1 555 0123"));
    QCOMPARE(openConflicts(), 0);
}

void TestDuplicateCustomers::keepApartLeavesTheRecordOnItsOwnSide()
{
    const qint64 user = arrives(QStringLiteral("backend"), QStringLiteral("Zoe@Example.com"));
    QVERIFY(m_sync->synced());
    const OperationResult kept = decide(openDuplicate(), ConflictDecision::Kind::KeepApart);
    QVERIFY2(kept.success, qPrintable(kept.error));
    QCOMPARE(m_db->value(QStringLiteral(
                             "SELECT state FROM sync.links WHERE backend_id = ? AND entity = 'customer'"),
                         {user})
                 .toString(),
             QStringLiteral("kept_apart"));

    // What happens to it later stays in the product, and a consistency check does not ask again.
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET full_name = 'Zoe Second' WHERE id = ?"),
                            {user}));
    QVERIFY(m_sync->product(
        QStringLiteral("INSERT INTO backend.tickets (user_id, subject) VALUES (?, 'Where is my order')"),
        {user}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(),
             1);
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 0);
    QCOMPARE(deadEvents(), 0);
    QSignalSpy finished(&m_sync->engine(), &DataSyncService::taskFinished);
    const auto run = m_sync->engine().startConsistencyCheck(QStringLiteral("test"));
    QVERIFY2(run.ok(), qPrintable(run.error()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QVERIFY2(finished.at(0).at(2).toBool(), qPrintable(finished.at(0).at(3).toString()));
    const QJsonObject checks = finished.at(0).at(4).toJsonObject().value(QStringLiteral("checks")).toObject();
    for (const QString &check : {QStringLiteral("unlinked_customers"), QStringLiteral("unlinked_tickets")})
        QCOMPARE(checks.value(check).toObject().value(QStringLiteral("found")).toInt(), 0);
    // The product holds two Zoes now; the check still tells (it cannot repair that), a person decided to.
    QCOMPARE(
        checks.value(QStringLiteral("duplicate_customers")).toObject().value(QStringLiteral("found")).toInt(),
        1);
    QVERIFY(m_sync->synced());
    QCOMPARE(
        m_db->value(QStringLiteral(
                        "SELECT count(*) FROM sync.conflicts WHERE kind = 'duplicate' AND status = 'open'"))
            .toInt(),
        0);
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(),
             1);
}

void TestDuplicateCustomers::theVerySameAddressIsCreatedOnlyOnceItIsFree()
{
    const qint64 user = arrives(QStringLiteral("backend"), QStringLiteral("zoe@example.com"));
    QVERIFY(m_sync->synced());
    const qint64 conflict = openDuplicate();
    const OperationResult refused = decide(conflict, ConflictDecision::Kind::CreateAnyway);
    QCOMPARE(refused.failure, OperationResult::Failure::Conflict);
    QVERIFY2(refused.error.contains(QLatin1String("exactly this address")), qPrintable(refused.error));
    // Refused whole: still open, still held.
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT status FROM sync.conflicts WHERE id = ?"), {conflict}).toString(),
        QStringLiteral("open"));
    QCOMPARE(m_db->value(QStringLiteral(
                             "SELECT state FROM sync.links WHERE backend_id = ? AND entity = 'customer'"),
                         {user})
                 .toString(),
             QStringLiteral("duplicate"));

    // Zoe's helpdesk address is corrected (to her product address); now the newcomer's can be copied.
    QVERIFY(m_sync->helpdesk(
        QStringLiteral("UPDATE dashboard.customers SET email = 'ZOE@example.com' WHERE id = ?"),
        {m_zoeCustomer}));
    QVERIFY(m_sync->synced());
    const OperationResult created = decide(conflict, ConflictDecision::Kind::CreateAnyway);
    QVERIFY2(created.success, qPrintable(created.error));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    QVERIFY(customer > 0 && customer != m_zoeCustomer);
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("email")).toString(),
             QStringLiteral("zoe@example.com"));
    QCOMPARE(deadEvents(), 0);
}

void TestDuplicateCustomers::anAddressChangedToSomeoneElsesWaitsForAPerson_data()
{
    QTest::addColumn<QString>("side");
    QTest::addColumn<QString>("email");
    QTest::newRow("product edit, the helpdesk's Zoe in other case") << "backend"
                                                                    << "Zoe@Example.com";
    QTest::newRow("product edit, the very address of the helpdesk's Zoe") << "backend"
                                                                          << "zoe@example.com";
    QTest::newRow("helpdesk edit, the product's Zoe in other case") << "dashboard"
                                                                    << "zoe@EXAMPLE.com";
    QTest::newRow("helpdesk edit, the very address of the product's Zoe") << "dashboard"
                                                                          << "ZOE@example.com";
}

void TestDuplicateCustomers::anAddressChangedToSomeoneElsesWaitsForAPerson()
{
    QFETCH(QString, side);
    QFETCH(QString, email);
    const bool inBackend = side == QLatin1String("backend");
    const qint64 annUser =
        arrives(QStringLiteral("backend"), QStringLiteral("ann@example.com"), QStringLiteral("Ann"));
    QVERIFY(m_sync->synced());
    const qint64 annCustomer = m_sync->customerOfUser(annUser);
    QVERIFY(annCustomer > 0);
    const qint64 edited = inBackend ? annUser : annCustomer;
    const qint64 counterpart = inBackend ? annCustomer : annUser;
    const auto nameColumn = [](const QString &side) {
        return side == QLatin1String("backend") ? QStringLiteral("full_name") : QStringLiteral("name");
    };
    const QString otherSide = inBackend ? QStringLiteral("dashboard") : QStringLiteral("backend");
    QVERIFY(sideDb(side).exec(QStringLiteral("UPDATE %1 SET email = ?, %2 = 'Ann Zed' WHERE id = ?")
                                  .arg(table(side), nameColumn(side)),
                              {email, edited}));
    QVERIFY(m_sync->synced());

    // Her new name went over, her address did not (Zoe's it is there), and nothing failed.
    QCOMPARE(otherDb(side)
                 .value(QStringLiteral("SELECT %1 || '/' || email FROM %2 WHERE id = ?")
                            .arg(nameColumn(otherSide), otherTable(side)),
                        {counterpart})
                 .toString(),
             QStringLiteral("Ann Zed/ann@example.com"));
    QCOMPARE(zoesOn(otherDb(side), otherTable(side)), 1);
    QCOMPARE(deadEvents(), 0);
    // A person is asked about the address, told whose it is.
    const auto open = m_db->rows(QStringLiteral(
        "SELECT id, kind, field, details ->> 'reason', details ->> 'taken_on', details -> 'holder_ids' ->> 0 "
        "FROM sync.conflicts WHERE status = 'open'"));
    QCOMPARE(open.size(), 1);
    QCOMPARE(open[0][1].toString(), QStringLiteral("field"));
    QCOMPARE(open[0][2].toString(), QStringLiteral("email"));
    QCOMPARE(open[0][3].toString(), QStringLiteral("address_taken"));
    QCOMPARE(open[0][4].toString(), otherSide);
    QCOMPARE(open[0][5].toLongLong(), inBackend ? m_zoeCustomer : m_zoeUser);

    // Her later edits go on while the address waits.
    QCOMPARE(phoneReachingTheOtherSide(side, edited, counterpart, QStringLiteral("+1 555 0142")),
             QStringLiteral("+1 555 0142"));
    QCOMPARE(openConflicts(), 1);

    // The person keeps the address she had: the edited side takes it back.
    const OperationResult kept =
        decide(open[0][0].toLongLong(),
               inBackend ? ConflictDecision::Kind::UseDashboard : ConflictDecision::Kind::UseBackend);
    QVERIFY2(kept.success, qPrintable(kept.error));
    QVERIFY(m_sync->synced());
    QCOMPARE(sideDb(side)
                 .value(QStringLiteral("SELECT email FROM %1 WHERE id = ?").arg(table(side)), {edited})
                 .toString(),
             QStringLiteral("ann@example.com"));
    QCOMPARE(openConflicts(), 0);
    QCOMPARE(deadEvents(), 0);
}

QTEST_GUILESS_MAIN(TestDuplicateCustomers)
#include "tst_duplicatecustomers.moc"
