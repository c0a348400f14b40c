#include "database/connectionprovider.h"
#include "database/sql.h"
#include "model/mapping.h"
#include "sync/recordadopter.h"
#include "syncfixture.h"
#include "tasks/consistencychecker.h"

#include <QTest>

#include <atomic>

using namespace syncdesk;
using namespace syncdesk::test;

// Adoption without the queue (issue 16): when SyncDesk meets two populated systems, the consistency
// check makes the counterparts of plainly new records itself, in chunks on a few connections, and
// queues only the rest. Both systems must end exactly as when every record went through the queue
// and the workers; a stopped adoption must resume without duplicates; and a record someone else is
// busy with is left to the queue.
class TestRecordAdoption final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void leavesTheSameSystemsAsTheQueue_data();
    void leavesTheSameSystemsAsTheQueue();
    void twoCustomersWithOneAddressAreMadeOnce();
    void anAdoptionStoppedHalfWayResumesWithoutDuplicates();
    void aRecordSomeoneIsBusyWithIsLeftToTheQueue();

private:
    // Seeds one database with `history` (written before SyncDesk ran, not captured), runs a check with
    // repair, then the engine until nothing is pending; returns both systems and the sync state by
    // content, and how many records the check made itself.
    static QList<QList<QVariantList>> adoptAndSync(const QStringList &history, bool direct,
                                                   qint64 &madeByCheck);
    static bool seed(TestDatabase &db, const QStringList &history);
};

bool TestRecordAdoption::seed(TestDatabase &db, const QStringList &history)
{
    if (!db.exec(QStringLiteral("SELECT set_config('syncdesk.origin', 'history', false)")))
        return false;
    for (const QString &statement : history) {
        if (!db.exec(statement))
            return false;
    }
    return db.exec(QStringLiteral("SELECT set_config('syncdesk.origin', '', false)"));
}

QList<QList<QVariantList>> TestRecordAdoption::adoptAndSync(const QStringList &history, bool direct,
                                                            qint64 &madeByCheck)
{
    QList<QList<QVariantList>> state;
    TestDatabase db;
    if (!db.isReady() || !seed(db, history))
        return state;
    QSqlDatabase connection = db.db();
    ConsistencyChecker checker(connection);
    if (direct) {
        ConsistencyChecker::DirectAdoption adoption;
        adoption.connections = std::make_shared<ConnectionProvider>(db.url(), QStringLiteral("adoption"));
        adoption.chunkSize = 37; // many chunks, and lanes that end at different times
        checker.adoptDirectly(adoption);
    }
    const auto run = checker.createRun(QStringLiteral("admin"));
    if (!run)
        return state;
    const auto checked = checker.run(run.value(), true);
    if (!checked)
        return state;
    // What the check made itself: history rows of creations that name no captured event.
    madeByCheck =
        db.value(QStringLiteral("SELECT count(*) FROM sync.history WHERE action LIKE 'created_in_%' AND "
                                "event_ids = '{}'"))
            .toLongLong();
    {
        // One worker: how two workers share what was queued is not what is compared here.
        EngineOptions options = SyncFixture::defaults();
        options.workers = 1;
        SyncFixture sync(db, options);
        if (!sync.start() || !sync.synced(60000))
            return state;
    }
    // By content: the two ways number new rows in another order, history rows made by the check name
    // no captured events, and which side's events shared a batch ("changed_on" of a link made from
    // both sides' events) depends on how the queue was cut into batches.
    for (const char *statement :
         {"SELECT json_build_array(email, full_name, phone, company, locale, tags)::text FROM backend.users "
          "ORDER BY 1",
          "SELECT json_build_array(email, name, phone, company, locale, tags, notes)::text FROM "
          "dashboard.customers "
          "ORDER BY 1",
          "SELECT json_build_array(u.email, t.subject, t.description, t.status, t.priority, "
          "t.category)::text "
          "FROM backend.tickets t JOIN backend.users u ON u.id = t.user_id ORDER BY 1",
          "SELECT json_build_array(c.email, t.subject, t.description, t.status, t.priority, t.category, "
          "t.assignee, t.source)::text FROM dashboard.tickets t JOIN dashboard.customers c ON c.id = "
          "t.customer_id "
          "ORDER BY 1",
          "SELECT l.entity, coalesce(u.email, bt.subject || ' of ' || bu.email), "
          "coalesce(c.email, dt.subject || ' of ' || dc.email), l.baseline::text, l.state, l.version "
          "FROM sync.links l LEFT JOIN backend.users u ON l.entity = 'customer' AND u.id = l.backend_id "
          "LEFT JOIN dashboard.customers c ON l.entity = 'customer' AND c.id = l.dashboard_id "
          "LEFT JOIN backend.tickets bt ON l.entity = 'ticket' AND bt.id = l.backend_id "
          "LEFT JOIN backend.users bu ON bu.id = bt.user_id "
          "LEFT JOIN dashboard.tickets dt ON l.entity = 'ticket' AND dt.id = l.dashboard_id "
          "LEFT JOIN dashboard.customers dc ON dc.id = dt.customer_id ORDER BY 1, 2, 3",
          "SELECT h.entity, h.direction, h.action, h.fields::text, (h.details - 'changed_on')::text, "
          "count(*), "
          "bool_and(h.link_id = l.id) FROM sync.history h LEFT JOIN sync.links l ON l.entity = h.entity AND "
          "l.backend_id = h.backend_id AND l.dashboard_id = h.dashboard_id GROUP BY 1, 2, 3, 4, 5 ORDER BY "
          "1, 2, 3, "
          "4, 5",
          "SELECT kind, entity, field, status, strategy, baseline_value::text, backend_value::text, "
          "dashboard_value::text FROM sync.conflicts ORDER BY 1, 2, 3, 6, 7, 8",
          "SELECT count(*) FROM sync.outbox WHERE status <> 'done'"})
        state << db.rows(QString::fromLatin1(statement));
    return state;
}

void TestRecordAdoption::leavesTheSameSystemsAsTheQueue_data()
{
    QTest::addColumn<QStringList>("history");
    QTest::addColumn<bool>("checkMakesSome");
    const QString productCustomers = QStringLiteral(
        "INSERT INTO backend.users (email, full_name, phone, company, tags) SELECT 'p' || g || "
        "'@shop.example', CASE WHEN g % 7 = 0 THEN '' ELSE 'Customer ' || g END, CASE WHEN g % 3 = 0 "
        "THEN NULL ELSE '+44 ' || g END, CASE WHEN g % 5 = 0 THEN '' ELSE 'Firm ' || (g % 11) END, "
        "CASE WHEN g % 4 = 0 THEN '{vip,b2b,vip}'::text[] ELSE '{}' END FROM generate_series(1, 300) g");
    const QString productTickets = QStringLiteral(
        "INSERT INTO backend.tickets (user_id, subject, description, status, priority) SELECT u.id, "
        "'Order ' || u.id || '/' || t, 'Item ' || t, (ARRAY['open','pending','resolved'])[t], "
        "'normal' FROM backend.users u, generate_series(1, 2) t");
    QTest::newRow("the product ran alone for years") << QStringList{productCustomers, productTickets} << true;
    QTest::newRow("the helpdesk ran alone")
        << QStringList{"INSERT INTO dashboard.customers (email, name, locale, tags) SELECT 'h' || g || "
                       "'@desk.example', 'Caller ' || g, CASE WHEN g % 2 = 0 THEN 'de' ELSE 'en' END, '{}' "
                       "FROM "
                       "generate_series(1, 200) g",
                       "INSERT INTO dashboard.tickets (customer_id, subject, status, assignee) SELECT c.id, "
                       "'Call "
                       "' || c.id, 'pending', 'sam' FROM dashboard.customers c"}
        << true;
    QTest::newRow("both ran, and share some customers (matched by address, not made twice)")
        << QStringList{productCustomers, productTickets,
                       "INSERT INTO dashboard.customers (email, name) SELECT CASE WHEN g <= 50 THEN 'P' || g "
                       "|| "
                       "'@SHOP.example' ELSE 'h' || g || '@desk.example' END, 'Desk ' || g FROM "
                       "generate_series(1, 150) g",
                       "INSERT INTO dashboard.tickets (customer_id, subject, status) SELECT c.id, 'Desk "
                       "ticket ' "
                       "|| c.id, 'open' FROM dashboard.customers c WHERE c.id % 2 = 0"}
        << true;
    QTest::newRow(
        "a list imported twice: one address in two cases (one is made, the other waits for a person)")
        << QStringList{"INSERT INTO backend.users (email, full_name) SELECT 'p' || g || '@shop.example', 'P "
                       "' || g "
                       "FROM generate_series(1, 40) g",
                       "INSERT INTO backend.users (email, full_name) SELECT 'P' || g || '@SHOP.example', 'P "
                       "' || g "
                       "|| ' again' FROM generate_series(1, 40, 3) g"}
        << true;
}

void TestRecordAdoption::leavesTheSameSystemsAsTheQueue()
{
    QFETCH(QStringList, history);
    QFETCH(bool, checkMakesSome);
    qint64 madeDirectly = 0, madeThroughQueue = 0;
    const auto direct = adoptAndSync(history, true, madeDirectly);
    const auto queued = adoptAndSync(history, false, madeThroughQueue);
    QVERIFY(!direct.isEmpty());
    QVERIFY(!queued.isEmpty());
    // Without the check's adoption, nothing is linked before the engine runs.
    QCOMPARE(madeThroughQueue, 0);
    QCOMPARE(madeDirectly > 0, checkMakesSome);
    QCOMPARE(direct.size(), queued.size());
    for (qsizetype i = 0; i < direct.size(); ++i) {
        if (direct.at(i) != queued.at(i))
            qWarning() << "part" << i << "differs; made by the check:" << direct.at(i)
                       << "through the queue:" << queued.at(i);
    }
    for (qsizetype i = 0; i < direct.size(); ++i)
        QCOMPARE(direct.at(i), queued.at(i));
}

void TestRecordAdoption::twoCustomersWithOneAddressAreMadeOnce()
{
    // The product holds one address twice (in two cases). The first is made on the helpdesk, the other
    // waits for a person as a possible duplicate, never a second person with that address.
    qint64 made = 0;
    const auto state =
        adoptAndSync({QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES "
                                     "('twin@shop.example', 'Twin'), ('TWIN@shop.example', 'Twin too')")},
                     true, made);
    QVERIFY(!state.isEmpty());
    QCOMPARE(state.at(1).size(), 1); // the helpdesk's customers
    QCOMPARE(state.at(6).size(), 1); // an open conflict
    QCOMPARE(state.at(6).first().first().toString(), QStringLiteral("duplicate"));
}

void TestRecordAdoption::anAdoptionStoppedHalfWayResumesWithoutDuplicates()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    QVERIFY(seed(
        db, {QStringLiteral("INSERT INTO backend.users (email, full_name) SELECT 'p' || g || '@old.example', "
                            "'Customer ' || g FROM generate_series(1, 3000) g")}));
    const EntityDefinition &customer = Mapping::builtIn().customer();
    auto connections = std::make_shared<ConnectionProvider>(db.url(), QStringLiteral("adoption"));
    QSqlDatabase connection = db.db();
    const auto unlinked = RecordAdopter::unlinkedCount(connection, customer);
    QVERIFY2(unlinked, qPrintable(unlinked.error()));
    QCOMPARE(unlinked.value(), 3000);

    // An operator stops SyncDesk while it adopts: the lanes end with the chunk they are in.
    std::atomic<int> chunks{0};
    RecordAdopter *running = nullptr;
    RecordAdopter first(connections, nullptr, [&](const LiveEvents &) {
        if (++chunks == 4)
            running->requestStop();
    });
    running = &first;
    first.setChunkSize(100);
    const auto partly = first.adopt(customer);
    QVERIFY2(partly, qPrintable(partly.error()));
    QVERIFY(first.stopped());
    const auto links = [&db](const char *entity) {
        return db
            .value(QStringLiteral("SELECT count(*) FROM sync.links WHERE entity = ?"),
                   {QString::fromLatin1(entity)})
            .toLongLong();
    };
    QVERIFY2(partly.value() >= 400 && partly.value() < 3000, qPrintable(QString::number(partly.value())));
    // Every record made so far is whole: counterpart, link and history row, nothing else.
    QCOMPARE(links("customer"), partly.value());
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toLongLong(),
             partly.value());
    QCOMPARE(
        db.value(QStringLiteral("SELECT count(*) FROM sync.history WHERE action = 'created_in_dashboard' AND "
                                "event_ids = '{}'"))
            .toLongLong(),
        partly.value());

    // Started again, it makes only the rest.
    RecordAdopter second(connections);
    const auto rest = second.adopt(customer);
    QVERIFY2(rest, qPrintable(rest.error()));
    QCOMPARE(partly.value() + rest.value(), 3000);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toLongLong(), 3000);
    QCOMPARE(
        db.value(QStringLiteral("SELECT count(DISTINCT lower(email)) FROM dashboard.customers")).toLongLong(),
        3000);
    QCOMPARE(links("customer"), 3000);
    QCOMPARE(db.value(QStringLiteral(
                          "SELECT count(*) FROM sync.links l JOIN backend.users u ON u.id = l.backend_id "
                          "JOIN dashboard.customers c ON c.id = l.dashboard_id WHERE u.email = c.email "
                          "AND u.full_name = c.name"))
                 .toLongLong(),
             3000);
    const auto left = RecordAdopter::unlinkedCount(connection, customer);
    QVERIFY(left);
    QCOMPARE(left.value(), 0);
}

void TestRecordAdoption::aRecordSomeoneIsBusyWithIsLeftToTheQueue()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    QVERIFY(seed(
        db, {QStringLiteral("INSERT INTO backend.users (email, full_name) SELECT 'p' || g || '@old.example', "
                            "'Customer ' || g FROM generate_series(1, 10) g")}));
    // Customer 3 is being edited in another session (its row locked); customer 5 was just edited, and
    // that change waits in the queue.
    ConnectionProvider otherSession(db.url(), QStringLiteral("editor"));
    auto editor = otherSession.database();
    QVERIFY2(editor, qPrintable(editor.error()));
    QVERIFY(sql::exec(editor.value(), QStringLiteral("BEGIN")));
    QVERIFY(
        sql::exec(editor.value(),
                  QStringLiteral("SELECT id FROM backend.users WHERE email = 'p3@old.example' FOR UPDATE")));
    QVERIFY(
        db.exec(QStringLiteral("UPDATE backend.users SET phone = '+1 555' WHERE email = 'p5@old.example'")));
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")).toInt(),
             1);

    QSqlDatabase connection = db.db();
    ConsistencyChecker checker(connection);
    ConsistencyChecker::DirectAdoption adoption;
    adoption.connections = std::make_shared<ConnectionProvider>(db.url(), QStringLiteral("adoption"));
    checker.adoptDirectly(adoption);
    const auto run = checker.createRun(QStringLiteral("admin"));
    QVERIFY(run);
    const auto checked = checker.run(run.value(), true);
    QVERIFY2(checked, qPrintable(checked.error()));
    // Eight made by the check; customer 3 queued for the workers; customer 5's change is queued already.
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM sync.links")).toInt(), 8);
    QCOMPARE(db.value(QStringLiteral(
                          "SELECT count(*) FROM sync.outbox o JOIN backend.users u ON u.id = o.entity_id "
                          "WHERE o.status = 'pending' AND u.email IN ('p3@old.example', "
                          "'p5@old.example')"))
                 .toInt(),
             2);
    QCOMPARE(checked->repaired, 9);
    // The report names what it found, made by the check or queued alike.
    const ConsistencyFinding &unlinked = checked->findings.first();
    QCOMPARE(unlinked.check, QStringLiteral("unlinked_customers"));
    QCOMPARE(unlinked.examples.size(), 9);
    QVERIFY(sql::exec(editor.value(), QStringLiteral("ROLLBACK")));

    SyncFixture sync(db);
    QVERIFY(sync.start());
    QVERIFY(sync.synced(30000));
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 10);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM sync.links")).toInt(), 10);
    QCOMPARE(db.value(QStringLiteral("SELECT phone FROM dashboard.customers WHERE email = 'p5@old.example'"))
                 .toString(),
             QStringLiteral("+1 555"));
}

QTEST_GUILESS_MAIN(TestRecordAdoption)
#include "tst_recordadoption.moc"
