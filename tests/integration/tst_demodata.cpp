#include "database/connectionprovider.h"
#include "demo/demoseeder.h"
#include "demo/demotraffic.h"
#include "testdatabase.h"

#include <QTest>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// `syncdesk --demo`: a believable, already-synchronised data set, then live traffic from both systems.
class TestDemoData final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedsBothSidesLinkedAndUncaptured();
    void sameSeedSameData();
    void seedingTwiceDoesNothing();
    void trafficLooksLikeBothSystemsAtWork();

private:
    static Result<DemoSeedReport> seed(TestDatabase &database, quint32 seed);
    static QString fingerprint(TestDatabase &database);
};

Result<DemoSeedReport> TestDemoData::seed(TestDatabase &database, quint32 seed)
{
    DemoOptions options;
    options.seed = seed;
    QSqlDatabase db = database.db();
    return DemoSeeder(options).seed(db, db);
}

QString TestDemoData::fingerprint(TestDatabase &database)
{
    return database
        .value(QStringLiteral(
            "SELECT md5(string_agg(x, '|')) FROM ("
            " (SELECT email || full_name || coalesce(phone, '') AS x FROM backend.users ORDER BY id)"
            " UNION ALL (SELECT content FROM backend.messages ORDER BY id)"
            " UNION ALL (SELECT subject || status FROM dashboard.tickets ORDER BY id)) s"))
        .toString();
}

void TestDemoData::seedsBothSidesLinkedAndUncaptured()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    const auto report = seed(database, 42);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY(report->seeded);

    // A few hundred customers, most of them known to both systems.
    const int users = database.value(QStringLiteral("SELECT count(*) FROM backend.users")).toInt();
    const int customers = database.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt();
    QVERIFY2(users >= 250 && customers >= 250,
             qPrintable(QStringLiteral("%1 users, %2 customers").arg(users).arg(customers)));
    const int linkedCustomers =
        database.value(QStringLiteral("SELECT count(*) FROM sync.links WHERE entity = 'customer'")).toInt();
    QCOMPARE(database
                 .value(QStringLiteral("SELECT count(*) FROM backend.users u JOIN dashboard.customers c "
                                       "ON c.email = u.email"))
                 .toInt(),
             linkedCustomers);
    QVERIFY(linkedCustomers < users); // some just signed up and are not in the helpdesk yet

    // Multi-turn conversations; tickets in every status, on both sides, linked with matching baselines.
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM backend.conversations")).toInt() >= 200);
    QVERIFY(
        database
            .value(QStringLiteral(
                "SELECT min(n) FROM (SELECT count(*) n FROM backend.messages GROUP BY conversation_id) s"))
            .toInt() >= 3);
    QCOMPARE(database.value(QStringLiteral("SELECT count(DISTINCT status) FROM dashboard.tickets")).toInt(),
             6);
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")),
             database.value(QStringLiteral("SELECT count(*) FROM backend.tickets")));
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.links l "
                                           "JOIN backend.tickets b ON b.id = l.backend_id "
                                           "JOIN dashboard.tickets d ON d.id = l.dashboard_id "
                                           "WHERE l.entity = 'ticket' AND b.status = d.status "
                                           "AND l.baseline->>'status' = d.status AND b.subject = d.subject")),
             database.value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")));
    const QStringList categories =
        database
            .value(QStringLiteral("SELECT string_agg(DISTINCT category, ',' ORDER BY category) "
                                  "FROM dashboard.tickets"))
            .toString()
            .split(QLatin1Char(','));
    for (const char *category : {"account", "billing", "complaint", "order", "refund", "technical"})
        QVERIFY2(categories.contains(QLatin1String(category)), category);
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM dashboard.ticket_activities")).toInt() > 0);
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM sync.conversation_tickets")).toInt() > 0);

    // Seeded as SyncDesk's own writes: nothing waits in the outbox.
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt(), 0);
}

void TestDemoData::sameSeedSameData()
{
    TestDatabase first, second, other;
    QVERIFY2(first.isReady() && second.isReady() && other.isReady(), qPrintable(first.error()));
    QVERIFY(seed(first, 7).ok());
    QVERIFY(seed(second, 7).ok());
    QVERIFY(seed(other, 8).ok());
    QCOMPARE(fingerprint(first), fingerprint(second));
    QVERIFY(fingerprint(first) != fingerprint(other));
}

void TestDemoData::seedingTwiceDoesNothing()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(seed(database, 1).ok());
    const QString before = fingerprint(database);
    const auto again = seed(database, 2);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QVERIFY(!again->seeded);
    QCOMPARE(fingerprint(database), before);
}

void TestDemoData::trafficLooksLikeBothSystemsAtWork()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(seed(database, 42).ok());

    DemoOptions options;
    options.seed = 42;
    DemoTraffic traffic(database.connections(), database.connections(), options);
    for (int i = 0; i < 300; ++i) {
        const Status done = traffic.step();
        QVERIFY2(done.ok(), qPrintable(done.error()));
    }
    QCOMPARE(traffic.actionsPerformed(), 300);

    // Every kind of change a support organisation makes shows up as captured events on its side.
    const auto events = [&](const char *side, const char *entity, const char *operation) {
        return database
            .value(QStringLiteral(
                       "SELECT count(*) FROM sync.outbox WHERE side = ? AND entity = ? AND operation = ?"),
                   {QLatin1String(side), QLatin1String(entity), QLatin1String(operation)})
            .toInt();
    };
    QVERIFY(events("backend", "customer", "update") > 0); // profile edits in the product
    QVERIFY(events("backend", "customer", "insert") > 0); // sign-ups
    QVERIFY(events("backend", "conversation", "insert") > 0);
    QVERIFY(events("backend", "message", "insert") > 0);
    QVERIFY(events("dashboard", "customer", "update") > 0); // agents editing customers
    QVERIFY(events("dashboard", "ticket", "update") > 0);   // agents moving tickets
    QVERIFY(events("dashboard", "ticket", "insert") > 0);   // tickets from phone and e-mail

    // Now and then the same field on both sides, moments apart: a conflict in the making.
    QVERIFY(database
                .value(QStringLiteral("SELECT count(*) FROM sync.links l "
                                      "JOIN sync.outbox b ON b.side = 'backend' AND b.entity = 'customer' "
                                      "AND b.entity_id = l.backend_id "
                                      "  AND 'phone' = ANY (b.changed_columns) "
                                      "JOIN sync.outbox d ON d.side = 'dashboard' AND d.entity = 'customer' "
                                      "AND d.entity_id = l.dashboard_id "
                                      "  AND 'phone' = ANY (d.changed_columns) AND abs(d.id - b.id) = 1 "
                                      "WHERE l.entity = 'customer'"))
                .toInt() > 0);
}

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demodata.moc"
