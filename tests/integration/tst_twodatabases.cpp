#include "database/databasestatistics.h"
#include "demo/demoseeder.h"
#include "queries/conversationqueries.h"
#include "queries/customerqueries.h"
#include "queries/eventqueries.h"
#include "queries/searchqueries.h"
#include "queries/ticketqueries.h"
#include "syncfixture.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// The helpdesk in a database of its own (DASHBOARD_DATABASE_URL). A batch then commits twice: the
// helpdesk's writes first, the product's (with the sync state and a ledger of the helpdesk events
// applied) second, and the helpdesk events are marked done last. These stories crash SyncDesk
// between those steps, by leaving the databases as such a crash would, and check that the retry
// converges and applies nothing twice. The ordinary flows run in both layouts in their own suites.
class TestTwoDatabases final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void helpdeskEventsAreNumberedApartFromTheProducts();
    void theStatusCountsBothQueues();
    void aCrashBeforeTheProductsCommitConverges();
    void aLostDoneMarkDoesNotRepeatTheStatusChange();
    void whatTheLedgerNamesIsMarkedDoneNotAppliedAgain();
    void theWindowsListsShowTheHelpdeskFromItsOwnDatabase();
    void aCheckOnDemandComparesWithTheHelpdesksDatabaseAndRepairs();
    void cleanupTrimsBothQueuesAndTheLedger();

private:
    qint64 lastHelpdeskEvent();
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SyncFixture> m_sync;
};

void TestTwoDatabases::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    m_sync = std::make_unique<SyncFixture>(*m_db, SyncFixture::Layout::TwoDatabases);
    QVERIFY(m_sync->twoDatabases());
    QVERIFY(m_sync->start());
}

void TestTwoDatabases::cleanup()
{
    m_sync.reset();
    m_db.reset();
}

qint64 TestTwoDatabases::lastHelpdeskEvent()
{
    return m_sync->helpdeskDb().value(QStringLiteral("SELECT max(id) FROM sync.outbox")).toLongLong();
}

void TestTwoDatabases::helpdeskEventsAreNumberedApartFromTheProducts()
{
    QVERIFY(m_sync->pauseEngine());
    m_sync->productSignsUp(QStringLiteral("una@example.com"), QStringLiteral("Una"));
    m_sync->helpdeskAddsCustomer(QStringLiteral("vic@example.com"), QStringLiteral("Vic"));
    const qint64 productEvent = m_db->value(QStringLiteral("SELECT max(id) FROM sync.outbox")).toLongLong();
    QVERIFY(productEvent > 0);
    QVERIFY(productEvent < (qint64(1) << 62));
    QVERIFY(lastHelpdeskEvent() >= (qint64(1) << 62)); // so "event N" names one event across both
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
}

void TestTwoDatabases::theStatusCountsBothQueues()
{
    QVERIFY(m_sync->pauseEngine());
    m_sync->helpdeskAddsCustomer(QStringLiteral("wes@example.com"), QStringLiteral("Wes"));
    m_sync->helpdeskAddsCustomer(QStringLiteral("xia@example.com"), QStringLiteral("Xia"));
    m_sync->productSignsUp(QStringLiteral("yan@example.com"), QStringLiteral("Yan"));
    QTRY_COMPARE(m_sync->engine().status().queuedEvents, qint64(3));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QTRY_COMPARE(m_sync->engine().status().queuedEvents, qint64(0));
}

void TestTwoDatabases::aCrashBeforeTheProductsCommitConverges()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("zoe@example.com"), QStringLiteral("Zoe"),
                                               QStringLiteral("+1 0"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    QVERIFY(customer > 0);

    // The product changes the phone; SyncDesk wrote it to the helpdesk and committed there, then died
    // before the product's commit: the event is still pending and the baseline still old.
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET phone = '+1 555 0404' WHERE id = ?"),
                            {user}));
    QVERIFY(m_sync->helpdeskDb().exec(
        QStringLiteral("DO $$ BEGIN PERFORM set_config('syncdesk.origin', 'engine', true); "
                       "UPDATE dashboard.customers SET phone = '+1 555 0404' WHERE id = %1; END $$")
            .arg(customer)));
    QCOMPARE(m_sync->helpdeskDb()
                 .value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'"))
                 .toInt(),
             0);

    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    // Both sides agree already: the retry takes the value into the baseline, no conflict.
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conflicts")).toInt(), 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT baseline ->> 'phone' FROM sync.links WHERE entity = "
                                        "'customer' AND backend_id = ?"),
                         {user})
                 .toString(),
             QStringLiteral("+1 555 0404"));
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("phone")).toString(),
             QStringLiteral("+1 555 0404"));
}

void TestTwoDatabases::aLostDoneMarkDoesNotRepeatTheStatusChange()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("abe@example.com"), QStringLiteral("Abe"));
    QVERIFY(m_sync->synced());
    const qint64 ticket =
        m_sync->helpdeskDb()
            .value(QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject) VALUES (?, 'Refund') "
                                  "RETURNING id"),
                   {m_sync->customerOfUser(user)})
            .toLongLong();
    QVERIFY(m_sync->synced());
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE dashboard.tickets SET status = 'resolved' WHERE id = ?"),
                             {ticket}));
    QVERIFY(m_sync->synced());
    const qint64 resolved = lastHelpdeskEvent();
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT count(*) FROM sync.applied_events WHERE event_id = ?"), {resolved})
            .toInt(),
        1);
    const QString notifications =
        QStringLiteral("SELECT count(*) FROM backend.notifications WHERE user_id = ?");
    QCOMPARE(m_db->value(notifications, {user}).toInt(), 1);

    // SyncDesk died after the product's commit, before marking the helpdesk's event done.
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->helpdeskDb().exec(
        QStringLiteral("UPDATE sync.outbox SET status = 'pending', processed_at = NULL WHERE id = ?"),
        {resolved}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->helpdeskDb()
                 .value(QStringLiteral("SELECT status FROM sync.outbox WHERE id = ?"), {resolved})
                 .toString(),
             QStringLiteral("done"));
    QCOMPARE(m_db->value(notifications, {user}).toInt(), 1);
    QCOMPARE(m_sync->helpdeskDb()
                 .value(QStringLiteral("SELECT count(*) FROM dashboard.ticket_activities WHERE ticket_id = ? "
                                       "AND kind = 'status_change'"),
                        {ticket})
                 .toInt(),
             1);
}

void TestTwoDatabases::whatTheLedgerNamesIsMarkedDoneNotAppliedAgain()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("bea@example.com"), QStringLiteral("Bea"),
                                               QStringLiteral("+1 0"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);

    // An agent's edit whose effects the ledger says are committed: the engine trusts the ledger and
    // only marks the event done (were it applied, the phone would reach the product).
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->helpdesk(
        QStringLiteral("UPDATE dashboard.customers SET phone = '+1 ledger' WHERE id = ?"), {customer}));
    const qint64 edit = lastHelpdeskEvent();
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO sync.applied_events (event_id) VALUES (?)"), {edit}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->helpdeskDb()
                 .value(QStringLiteral("SELECT status FROM sync.outbox WHERE id = ?"), {edit})
                 .toString(),
             QStringLiteral("done"));
    QCOMPARE(m_sync->userField(user, QStringLiteral("phone")).toString(), QStringLiteral("+1 0"));

    // The next edit of that customer is a new event and is applied as usual.
    QVERIFY(m_sync->helpdesk(
        QStringLiteral("UPDATE dashboard.customers SET phone = '+1 555 0505' WHERE id = ?"), {customer}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->userField(user, QStringLiteral("phone")).toString(), QStringLiteral("+1 555 0505"));
}

void TestTwoDatabases::aCheckOnDemandComparesWithTheHelpdesksDatabaseAndRepairs()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("cy@example.com"), QStringLiteral("Cy"),
                                               QStringLiteral("+1 0"));
    QVERIFY(m_sync->synced());
    const qint64 customer = m_sync->customerOfUser(user);
    QSignalSpy finished(&m_sync->engine(), &DataSyncService::taskFinished);
    // Damage where capture cannot see it: in the helpdesk's database and in the product's.
    QVERIFY(m_sync->helpdeskDb().exec(
        QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'script'; UPDATE dashboard.customers "
                       "SET phone = '+1 drifted' WHERE id = %1; INSERT INTO dashboard.customers "
                       "(email) VALUES ('helpdesk-only@example.com'); COMMIT")
            .arg(customer)));
    QVERIFY(m_db->exec(
        QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'script'; "
                       "INSERT INTO backend.users (email) VALUES ('product-only@example.com'); COMMIT")));
    const auto run = m_sync->engine().startConsistencyCheck(QStringLiteral("api:admin"));
    QVERIFY2(run.ok(), qPrintable(run.error()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QVERIFY2(finished.at(0).at(2).toBool(), qPrintable(finished.at(0).at(3).toString()));
    const QJsonObject checks = finished.at(0).at(4).toJsonObject().value(QStringLiteral("checks")).toObject();
    QCOMPARE(
        checks.value(QStringLiteral("drifted_customers")).toObject().value(QStringLiteral("found")).toInt(),
        1);
    QCOMPARE(
        checks.value(QStringLiteral("unlinked_customers")).toObject().value(QStringLiteral("found")).toInt(),
        2);
    // The repairs were queued and the engine applied them, in both directions.
    QVERIFY(m_sync->synced());
    QTRY_COMPARE(m_sync->userField(user, QStringLiteral("phone")).toString(), QStringLiteral("+1 drifted"));
    QTRY_COMPARE(
        m_db->value(QStringLiteral(
                        "SELECT count(*) FROM backend.users WHERE email = 'helpdesk-only@example.com'"))
            .toInt(),
        1);
    QTRY_COMPARE(m_sync->helpdeskDb()
                     .value(QStringLiteral(
                         "SELECT count(*) FROM dashboard.customers WHERE email = 'product-only@example.com'"))
                     .toInt(),
                 1);
    // The copies the check made are gone from its session; a second run finds nothing.
    finished.clear();
    QVERIFY(m_sync->engine().startConsistencyCheck(QStringLiteral("api:admin")).ok());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QCOMPARE(finished.at(0).at(4).toJsonObject().value(QStringLiteral("issues_found")).toInt(), 0);
}

void TestTwoDatabases::cleanupTrimsBothQueuesAndTheLedger()
{
    QVERIFY(m_sync->pauseEngine());
    const QString oldEvents =
        QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, status, "
                       "captured_at) VALUES "
                       "('%1', 'customer', 'x', 1, 'update', 'done', '2020-03-01 10:00+00'), "
                       "('%1', 'customer', 'x', 2, 'update', 'dead', '2020-03-01 10:00+00')");
    QVERIFY(m_db->exec(oldEvents.arg(QStringLiteral("backend"))));
    QVERIFY(m_sync->helpdeskDb().exec(oldEvents.arg(QStringLiteral("dashboard"))));
    QVERIFY(m_db->exec(QStringLiteral(
        "INSERT INTO sync.applied_events (event_id, applied_at) VALUES (1, '2020-03-01'), (2, now())")));
    QSignalSpy finished(&m_sync->engine(), &DataSyncService::taskFinished);
    m_sync->engine().startCleanup(QStringLiteral("test"));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.at(0).at(2).toBool(), qPrintable(finished.at(0).at(3).toString()));
    QCOMPARE(finished.at(0).at(4).toJsonObject().value(QStringLiteral("events_deleted")).toInt(), 2);
    for (TestDatabase *db : {m_db.get(), &m_sync->helpdeskDb()})
        QCOMPARE(db->value(QStringLiteral("SELECT string_agg(status, ',') FROM sync.outbox")).toString(),
                 QStringLiteral("dead"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT string_agg(event_id::text, ',') FROM sync.applied_events"))
                 .toString(),
             QStringLiteral("2"));
}

namespace {

// What a list shows, without the timestamps that differ between two seedings.
QJsonArray shown(const QJsonObject &page, const QStringList &keys, const QStringList &sideKeys = {})
{
    QJsonArray rows;
    for (const QJsonValue &value : page.value(QStringLiteral("items")).toArray()) {
        const QJsonObject item = value.toObject();
        QJsonObject row;
        for (const QString &key : keys)
            row.insert(key, item.value(key));
        for (const QString &side : {QStringLiteral("backend"), QStringLiteral("dashboard")}) {
            for (const QString &key : sideKeys)
                row.insert(side + QLatin1Char('.') + key, item.value(side).toObject().value(key));
        }
        rows.append(row);
    }
    return rows;
}

} // namespace

void TestTwoDatabases::theWindowsListsShowTheHelpdeskFromItsOwnDatabase()
{
    // The same demo data in one database and in two; the window's lists must read the same.
    m_sync.reset();
    TestDatabase one;
    QVERIFY2(one.isReady(), qPrintable(one.error()));
    TestDatabase &product = *m_db;
    auto ownHelpdesk = SyncFixture::helpdeskDatabase();
    QVERIFY(ownHelpdesk);
    TestDatabase &helpdesk = *ownHelpdesk;
    DemoOptions demo;
    demo.customers = 60;
    QSqlDatabase shared = one.db();
    QSqlDatabase productDb = product.db();
    QSqlDatabase helpdeskDb = helpdesk.db();
    QVERIFY(DemoSeeder(demo).seed(shared, shared).ok());
    QVERIFY(DemoSeeder(demo).seed(productDb, helpdeskDb).ok());
    QCOMPARE(product.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 0);
    // A change that waits in the helpdesk's own queue shows as pending.
    for (TestDatabase *db : {&one, &helpdesk})
        QVERIFY(db->exec(
            QStringLiteral("UPDATE dashboard.customers SET phone = '+1 777' WHERE id = (SELECT min(id) FROM "
                           "dashboard.customers)")));

    ReadConnections single{shared, shared};
    ReadConnections split{productDb, helpdeskDb};
    QVERIFY(split.split());
    RecordListFilter all;
    all.limit = 1000;
    const auto compare = [](const Result<QJsonObject> &expected, const Result<QJsonObject> &actual,
                            const QStringList &keys, const QStringList &sideKeys) {
        QVERIFY2(expected.ok() && actual.ok(), qPrintable(expected.error() + actual.error()));
        QCOMPARE(actual->value(QStringLiteral("total")), expected->value(QStringLiteral("total")));
        QCOMPARE(actual->value(QStringLiteral("states")), expected->value(QStringLiteral("states")));
        QCOMPARE(shown(actual.value(), keys, sideKeys), shown(expected.value(), keys, sideKeys));
    };
    const QStringList pairKeys{QStringLiteral("backend_id"), QStringLiteral("dashboard_id"),
                               QStringLiteral("state"), QStringLiteral("differs"),
                               QStringLiteral("pending_events")};
    const auto customers = CustomerQueries::list(single, all);
    QVERIFY(customers->value(QStringLiteral("states")).toObject().value(QStringLiteral("pending")).toInt() >=
            1);
    compare(customers, CustomerQueries::list(split, all), pairKeys,
            {QStringLiteral("name"), QStringLiteral("phone")});
    compare(TicketQueries::list(single, all), TicketQueries::list(split, all),
            pairKeys + QStringList{QStringLiteral("customer")},
            {QStringLiteral("subject"), QStringLiteral("status")});
    ConversationFilter conversations;
    conversations.limit = 1000;
    const auto conversationKeys = QStringList{QStringLiteral("id"), QStringLiteral("ticket")};
    const auto inOne = ConversationQueries::list(single, conversations);
    const auto inTwo = ConversationQueries::list(split, conversations);
    QVERIFY2(inOne.ok() && inTwo.ok(), qPrintable(inOne.error() + inTwo.error()));
    QCOMPARE(shown(inTwo.value(), conversationKeys), shown(inOne.value(), conversationKeys));
    const QString name = customers->value(QStringLiteral("items"))
                             .toArray()
                             .first()
                             .toObject()
                             .value(QStringLiteral("dashboard"))
                             .toObject()
                             .value(QStringLiteral("name"))
                             .toString()
                             .section(QLatin1Char(' '), 0, 0);
    const auto foundInOne = SearchQueries::search(single, name, 100, 0);
    const auto foundInTwo = SearchQueries::search(split, name, 100, 0);
    QVERIFY2(foundInOne.ok() && foundInTwo.ok(), qPrintable(foundInOne.error() + foundInTwo.error()));
    QVERIFY(foundInOne->value(QStringLiteral("total")).toInt() > 0);
    QCOMPARE(foundInTwo->value(QStringLiteral("total")), foundInOne->value(QStringLiteral("total")));

    // The live events page lists the helpdesk's queue too, and opens its events by id.
    EventFilter pending;
    pending.status = QStringLiteral("pending");
    const auto events = EventQueries::recent(split, pending);
    QVERIFY2(events.ok(), qPrintable(events.error()));
    QCOMPARE(events->size(), 1);
    const QJsonObject event = events->first().toObject();
    QCOMPARE(event.value(QStringLiteral("side")).toString(), QStringLiteral("dashboard"));
    QVERIFY(event.value(QStringLiteral("id")).toInteger() >= (qint64(1) << 62));
    bool exists = false;
    const auto opened = EventQueries::get(split, event.value(QStringLiteral("id")).toInteger(), &exists);
    QVERIFY2(exists && opened.ok(), qPrintable(opened.error()));
    QCOMPARE(opened->value(QStringLiteral("entity")).toString(), QStringLiteral("customer"));

    // The overview counts each system where it lives.
    const auto counted = DatabaseStatistics::collect(productDb, &helpdeskDb);
    const auto countedInOne = DatabaseStatistics::collect(shared);
    QVERIFY2(counted.ok() && countedInOne.ok(), qPrintable(counted.error() + countedInOne.error()));
    QCOMPARE(counted->dashboardCustomers, countedInOne->dashboardCustomers);
    QCOMPARE(counted->dashboardTickets, countedInOne->dashboardTickets);
    QCOMPARE(counted->backendUsers, countedInOne->backendUsers);
    QCOMPARE(counted->pendingEvents, countedInOne->pendingEvents);
}

QTEST_GUILESS_MAIN(TestTwoDatabases)
#include "tst_twodatabases.moc"
