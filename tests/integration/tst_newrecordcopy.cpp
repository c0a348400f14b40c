#include "database/connectionprovider.h"
#include "database/sql.h"
#include "model/conflictpolicy.h"
#include "model/mapping.h"
#include "sync/entitysynchronizer.h"
#include "sync/newrecordcopier.h"
#include "sync/outboxqueue.h"
#include "syncfixture.h"
#include "tasks/consistencychecker.h"

#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// Creating counterparts set-based (NewRecordCopier) is a shortcut through the three-way
// reconciliation: both systems, links, baselines, history and conflicts must read exactly as the
// full way leaves them, and it must take only the records that are plainly new: a record that
// matches one on the other side is linked (never duplicated), and anything unusual goes the full way.
class TestNewRecordCopy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheSameAsTheFullReconciliation_data();
    void readsTheSameAsTheFullReconciliation();
    void aRecordAnotherWorkerHoldsIsLeftToTheFullWay();
    void aBulkImportArrivesWholeOnBothSides();
    void anAdoptionStoppedHalfWayResumesWithoutDuplicates();
    void aCustomersEditOvertakesABulkImport();

private:
    struct Outcome
    {
        int created = 0;  // records the shortcut created counterparts of
        int leftOver = 0; // events it left to the full reconciliation
        QList<QVariantList> state;
    };
    // `before` is applied by the full way first; then `changes` are applied in one batch, with or
    // without the shortcut before the full way.
    Outcome changeAndSync(const QStringList &before, const QStringList &changes, bool shortcut);
    // One batch of everything pending, as BatchProcessor runs it: customers, then tickets.
    static bool syncBatch(TestDatabase &db, bool shortcut, Outcome &outcome);
};

void TestNewRecordCopy::readsTheSameAsTheFullReconciliation_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QStringList>("changes");
    QTest::addColumn<int>("created");
    QTest::addColumn<int>("leftOver");
    const QString ann =
        QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES ('ann@example.com', 'Ann')");
    QTest::newRow("the product signs up three customers")
        << QStringList()
        << QStringList{"INSERT INTO backend.users (email, full_name, phone, company, tags) VALUES "
                       "('ada@example.com', 'Ada', '+44 1', 'Atlas', '{vip,b2b,vip}'), "
                       "('bo@example.com', '', NULL, '', '{}'), ('cy@example.com', 'Cy', '', NULL, '{}')"}
        << 3 << 0;
    QTest::newRow("the helpdesk adds a customer")
        << QStringList()
        << QStringList{"INSERT INTO dashboard.customers (email, name, locale) VALUES ('dee@example.com', "
                       "'Dee', 'de')"}
        << 1 << 0;
    QTest::newRow("both sides add the same person (linked, never duplicated)")
        << QStringList()
        // The product's is the later change: a millisecond apart at least, as the engine compares
        // change times in milliseconds (a tie goes to the helpdesk).
        << QStringList{"INSERT INTO dashboard.customers (email, name) VALUES ('eve@example.com', 'Eve')",
                       "SELECT pg_sleep(0.005)",
                       "INSERT INTO backend.users (email, full_name) VALUES ('EVE@example.com', 'Eve A.')"}
        << 0 << 2;
    QTest::newRow("a new customer whose e-mail the other side holds unlinked")
        << QStringList{"SELECT set_config('syncdesk.origin', 'migration', false)",
                       "INSERT INTO dashboard.customers (email, name) VALUES ('fay@example.com', 'Fay "
                       "(helpdesk)')",
                       "SELECT set_config('syncdesk.origin', '', false)"}
        << QStringList{"INSERT INTO backend.users (email, full_name) VALUES ('Fay@example.com', 'Fay')"} << 0
        << 1;
    QTest::newRow("twins by e-mail in one batch")
        << QStringList()
        << QStringList{"INSERT INTO backend.users (email, full_name) VALUES ('gus@example.com', 'Gus'), "
                       "('GUS@example.com', 'Gus too')"}
        << 0 << 2;
    QTest::newRow("created and deleted before the engine looked")
        << QStringList()
        << QStringList{"INSERT INTO backend.users (email, full_name) VALUES ('hal@example.com', 'Hal')",
                       "DELETE FROM backend.users WHERE email = 'hal@example.com'"}
        << 0 << 2;
    QTest::newRow("created, then edited, in one batch")
        << QStringList()
        << QStringList{"INSERT INTO backend.users (email, full_name) VALUES ('ida@example.com', 'Ida')",
                       "UPDATE backend.users SET phone = '+1 2' WHERE email = 'ida@example.com'"}
        << 1 << 0;
    QTest::newRow("a consistency check finds an unlinked customer")
        << QStringList{"SELECT set_config('syncdesk.origin', 'migration', false)",
                       "INSERT INTO backend.users (email, full_name) VALUES ('jo@example.com', 'Jo')",
                       "SELECT set_config('syncdesk.origin', '', false)"}
        << QStringList{"INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation) SELECT "
                       "'backend', "
                       "'customer', 'backend.users', id, 'update' FROM backend.users WHERE email = "
                       "'jo@example.com'"}
        << 1 << 0;
    QTest::newRow("tickets of a linked customer")
        << QStringList{ann}
        << QStringList{"INSERT INTO backend.tickets (user_id, subject, description, status, priority) SELECT "
                       "id, "
                       "'Refund ' || g, 'Order ' || g, 'open', 'high' FROM backend.users, generate_series(1, "
                       "3) g"}
        << 3 << 0;
    QTest::newRow("a helpdesk customer and her tickets in one transaction")
        << QStringList()
        << QStringList{"WITH c AS (INSERT INTO dashboard.customers (email, name) VALUES ('kim@example.com', "
                       "'Kim') "
                       "RETURNING id) INSERT INTO dashboard.tickets (customer_id, subject, status, assignee) "
                       "SELECT id, 'Broken ' || g, 'pending', 'sam' FROM c, generate_series(1, 2) g"}
        << 3 << 0;
    QTest::newRow("tickets whose customer is linked the full way first")
        << QStringList{"SELECT set_config('syncdesk.origin', 'migration', false)",
                       "INSERT INTO backend.users (email, full_name) VALUES ('lea@example.com', 'Lea')",
                       "SELECT set_config('syncdesk.origin', '', false)"}
        << QStringList{"WITH c AS (INSERT INTO dashboard.customers (email, name) VALUES ('lea@example.com', "
                       "'Lea') "
                       "RETURNING id) INSERT INTO dashboard.tickets (customer_id, subject) SELECT id, "
                       "'Login' FROM c"}
        << 1 << 1;
    QTest::newRow("an edit of a linked customer is no new record")
        << QStringList{ann}
        << QStringList{"UPDATE backend.users SET company = 'Acme' WHERE email = 'ann@example.com'"} << 0 << 1;
}

bool TestNewRecordCopy::syncBatch(TestDatabase &db, bool shortcut, Outcome &outcome)
{
    QSqlDatabase connection = db.db();
    if (!db.exec(QStringLiteral("BEGIN")) ||
        !db.exec(QStringLiteral("SELECT set_config('syncdesk.origin', 'engine', true)")))
        return false;
    const auto claimed = OutboxQueue::claim(connection, 1000);
    if (!claimed) {
        qWarning() << claimed.error();
        return false;
    }
    SyncConnections connections{connection, connection, connection};
    const ConflictPolicy policy = ConflictPolicy::defaults();
    const EntitySynchronizer customers(Mapping::builtIn().customer(), policy, DeletePolicy::Review);
    const auto owners = [&](const QList<qint64> &ids, bool fromBackend) -> Result<OwnerCounterparts> {
        auto linked = customers.reconcile(connections, {}, fromBackend ? ids : QList<qint64>(),
                                          fromBackend ? QList<qint64>() : ids);
        if (!linked)
            return Result<OwnerCounterparts>::failure(linked.error());
        return Result<OwnerCounterparts>::success(OwnerCounterparts::of(linked.value(), fromBackend));
    };
    const EntitySynchronizer tickets(Mapping::builtIn().ticket(), policy, DeletePolicy::Review, owners);
    QList<qint64> deferred;
    for (const auto &[entity, synchronizer] : {std::pair{&Mapping::builtIn().customer(), &customers},
                                               std::pair{&Mapping::builtIn().ticket(), &tickets}}) {
        OutboxEvents events;
        for (const OutboxEvent &event : claimed.value()) {
            if (event.entity == entity->name)
                events << event;
        }
        if (shortcut && !events.isEmpty()) {
            OutboxEvents rest;
            const auto created = NewRecordCopier(*entity).apply(connection, events, rest);
            if (!created) {
                qWarning() << created.error();
                return false;
            }
            outcome.created += int(created->size());
            outcome.leftOver += int(rest.size());
            events = rest;
        }
        const auto reconciled = synchronizer->reconcile(connections, events, {}, {}, &deferred);
        if (!reconciled) {
            qWarning() << reconciled.error();
            return false;
        }
    }
    QList<qint64> ids;
    for (const OutboxEvent &event : claimed.value()) {
        if (!deferred.contains(event.id))
            ids << event.id;
    }
    if (!OutboxQueue::markDone(connection, ids) || !db.exec(QStringLiteral("COMMIT")))
        return false;
    // What a batch left for later (a second record with one address) is the next batch's, as in the
    // engine; only the first batch is counted.
    Outcome later;
    return deferred.isEmpty() || syncBatch(db, shortcut, later);
}

TestNewRecordCopy::Outcome TestNewRecordCopy::changeAndSync(const QStringList &before,
                                                            const QStringList &changes, bool shortcut)
{
    Outcome outcome;
    TestDatabase db;
    if (!db.isReady()) {
        qWarning() << db.error();
        return outcome;
    }
    for (const QString &statement : before) {
        if (!db.exec(statement))
            return outcome;
    }
    Outcome ignored;
    if (!syncBatch(db, false, ignored))
        return outcome;
    for (const QString &statement : changes) {
        if (!db.exec(statement))
            return outcome;
    }
    if (!syncBatch(db, shortcut, outcome))
        return outcome;
    // Everything a person or the next batch would see, by content (the two ways may number new rows
    // in another order).
    for (const char *statement :
         {"SELECT json_build_array(email, full_name, phone, company, locale, tags)::text FROM backend.users "
          "ORDER BY 1",
          "SELECT json_build_array(email, name, phone, company, locale, tags, notes)::text FROM "
          "dashboard.customers "
          "ORDER BY 1",
          "SELECT json_build_array(u.email, t.subject, t.description, t.status, t.priority, t.category, "
          "t.conversation_id)::text FROM backend.tickets t JOIN backend.users u ON u.id = t.user_id ORDER BY "
          "1",
          "SELECT json_build_array(c.email, t.subject, t.description, t.status, t.priority, t.category, "
          "t.assignee, "
          "t.source)::text FROM dashboard.tickets t JOIN dashboard.customers c ON c.id = t.customer_id ORDER "
          "BY 1",
          // Links by what they join; a link to a row that is not there reads as null.
          "SELECT l.entity, coalesce(u.email, bt.subject || ' of ' || bu.email), "
          "coalesce(c.email, dt.subject || ' of ' || dc.email), l.baseline::text, l.paused_fields::text, "
          "l.state, "
          "l.version FROM sync.links l LEFT JOIN backend.users u ON l.entity = 'customer' AND u.id = "
          "l.backend_id "
          "LEFT JOIN dashboard.customers c ON l.entity = 'customer' AND c.id = l.dashboard_id "
          "LEFT JOIN backend.tickets bt ON l.entity = 'ticket' AND bt.id = l.backend_id "
          "LEFT JOIN backend.users bu ON bu.id = bt.user_id "
          "LEFT JOIN dashboard.tickets dt ON l.entity = 'ticket' AND dt.id = l.dashboard_id "
          "LEFT JOIN dashboard.customers dc ON dc.id = dt.customer_id ORDER BY 1, 2, 3",
          "SELECT entity, direction, action, fields::text, event_ids::text, details::text, "
          "link_id = (SELECT l.id FROM sync.links l WHERE l.entity = h.entity AND l.backend_id = "
          "h.backend_id AND "
          "l.dashboard_id = h.dashboard_id) FROM sync.history h ORDER BY event_ids, entity",
          "SELECT kind, entity, field, status, strategy, resolution, baseline_value::text, "
          "backend_value::text, "
          "dashboard_value::text, event_ids::text FROM sync.conflicts ORDER BY event_ids, field",
          "SELECT status, count(*) FROM sync.outbox GROUP BY 1 ORDER BY 1"})
        outcome.state << db.rows(QString::fromLatin1(statement));
    return outcome;
}

void TestNewRecordCopy::readsTheSameAsTheFullReconciliation()
{
    QFETCH(QStringList, before);
    QFETCH(QStringList, changes);
    QFETCH(int, created);
    QFETCH(int, leftOver);
    const Outcome fullWay = changeAndSync(before, changes, false);
    const Outcome shortcut = changeAndSync(before, changes, true);
    QVERIFY(!fullWay.state.isEmpty());
    QCOMPARE(shortcut.created, created);
    QCOMPARE(shortcut.leftOver, leftOver);
    for (qsizetype i = 0; i < fullWay.state.size(); ++i)
        QCOMPARE(shortcut.state.value(i), fullWay.state.at(i));
}

void TestNewRecordCopy::aRecordAnotherWorkerHoldsIsLeftToTheFullWay()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    QVERIFY(db.exec(
        QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES ('max@example.com', 'Max'), "
                       "('ned@example.com', 'Ned')")));
    // Another worker is reconciling Max right now (it holds his row).
    ConnectionProvider otherConnections(db.url(), QStringLiteral("other-worker"));
    QSqlDatabase other = otherConnections.database().value();
    QVERIFY(sql::exec(other, QStringLiteral("BEGIN")));
    QVERIFY(sql::exec(
        other, QStringLiteral("SELECT 1 FROM backend.users WHERE email = 'max@example.com' FOR UPDATE")));

    QSqlDatabase connection = db.db();
    QVERIFY(db.exec(QStringLiteral("BEGIN")));
    QVERIFY(db.exec(QStringLiteral("SELECT set_config('syncdesk.origin', 'engine', true)")));
    const auto claimed = OutboxQueue::claim(connection, 100);
    QVERIFY2(claimed, qPrintable(claimed.error()));
    OutboxEvents rest;
    const auto created =
        NewRecordCopier(Mapping::builtIn().customer()).apply(connection, claimed.value(), rest);
    QVERIFY2(created, qPrintable(created.error()));
    // Ned is created at once; Max waits for the full way, which queues behind the other worker.
    QCOMPARE(created->size(), 1);
    QCOMPARE(created->first().action, QStringLiteral("created_in_dashboard"));
    QCOMPARE(rest.size(), 1);
    QCOMPARE(db.value(QStringLiteral("SELECT email FROM backend.users WHERE id = ?"), {rest.first().entityId})
                 .toString(),
             QStringLiteral("max@example.com"));
    QVERIFY(db.exec(QStringLiteral("ROLLBACK")));
    QVERIFY(sql::exec(other, QStringLiteral("ROLLBACK")));
}

void TestNewRecordCopy::aBulkImportArrivesWholeOnBothSides()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    SyncFixture sync(db);
    QVERIFY(sync.start());
    // One customer both sides know already.
    const qint64 known =
        sync.helpdeskAddsCustomer(QStringLiteral("c7@import.example"), QStringLiteral("Known"));
    QVERIFY(sync.synced());
    // While the engine is busy elsewhere: 2,000 sign-ups in the product (c7 is there already) and one
    // address the helpdesk's import has too; then a CSV of 3,000 contacts into the helpdesk, 200 of
    // them with two tickets each; each in one transaction.
    QVERIFY(sync.pauseEngine());
    QVERIFY(sync.product(QStringLiteral("INSERT INTO backend.users (email, full_name) SELECT 'c' || g || "
                                        "'@import.example', 'Contact ' || g FROM generate_series(1, 2000) g "
                                        "WHERE g <> 7 UNION ALL SELECT 'H5@import.example', 'Five'")));
    QVERIFY(sync.helpdesk(
        QStringLiteral("WITH c AS (INSERT INTO dashboard.customers (email, name) SELECT 'h' || g || "
                       "'@import.example', 'Helpdesk ' || g "
                       "FROM generate_series(1, 3000) g RETURNING id, email) INSERT INTO dashboard.tickets "
                       "(customer_id, subject) "
                       "SELECT id, 'Import ' || t || ' of ' || email FROM c, generate_series(1, 2) t "
                       "WHERE split_part(substr(email, 2), '@', 1)::int % 15 = 0")));
    sync.engine().resume();
    QVERIFY(sync.synced(60000));

    // Every person once on each side, linked to the same address; the shared address linked, not
    // duplicated; every ticket on both sides under its customer's counterpart; nothing dead.
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM backend.users")).toInt(), 5000);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 5000);
    QCOMPARE(db.value(QStringLiteral(
                          "SELECT count(*) FROM sync.links l JOIN backend.users u ON u.id = l.backend_id "
                          "JOIN dashboard.customers c ON c.id = l.dashboard_id WHERE l.entity = 'customer' "
                          "AND lower(u.email) = lower(c.email)"))
                 .toInt(),
             5000);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM sync.links WHERE entity = 'customer'")).toInt(),
             5000);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 400);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM backend.tickets")).toInt(), 400);
    QCOMPARE(db.value(QStringLiteral(
                          "SELECT count(*) FROM sync.links l JOIN backend.tickets b ON b.id = l.backend_id "
                          "JOIN dashboard.tickets d ON d.id = l.dashboard_id JOIN sync.links o ON "
                          "o.entity = 'customer' AND o.backend_id = b.user_id AND o.dashboard_id = "
                          "d.customer_id WHERE l.entity = 'ticket' AND b.subject = d.subject"))
                 .toInt(),
             400);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM sync.history WHERE action LIKE 'created_in_%'"))
                 .toInt(),
             1 + 1999 + 2999 + 400);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM sync.history WHERE action = 'linked'")).toInt(),
             1);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status <> 'done'")).toInt(), 0);
    QCOMPARE(sync.customerOfUser(sync.userOfCustomer(known)), known);
}

void TestNewRecordCopy::anAdoptionStoppedHalfWayResumesWithoutDuplicates()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    // The product ran for years before SyncDesk: 4,000 customers with two tickets each, none captured.
    QVERIFY(db.exec(
        QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'history'; "
                       "INSERT INTO backend.users (email, full_name) SELECT 'p' || g || '@old.example', "
                       "'Customer ' || g FROM generate_series(1, 4000) g; "
                       "INSERT INTO backend.tickets (user_id, subject) SELECT id, 'Old ticket ' || t FROM "
                       "backend.users, generate_series(1, 2) t; COMMIT")));
    // An admin runs the consistency check with repair: every record the helpdesk lacks is queued.
    QSqlDatabase connection = db.db();
    ConsistencyChecker checker(connection);
    const auto run = checker.createRun(QStringLiteral("admin"));
    QVERIFY2(run, qPrintable(run.error()));
    const auto checked = checker.run(run.value(), true);
    QVERIFY2(checked, qPrintable(checked.error()));
    QCOMPARE(checked->repaired, 12000);

    const auto links = [&db] { return db.value(QStringLiteral("SELECT count(*) FROM sync.links")).toInt(); };
    {
        SyncFixture sync(db);
        QVERIFY(sync.start());
        // The service is stopped part way (an operator, a deploy).
        QTRY_VERIFY_WITH_TIMEOUT(links() >= 1000, 20000);
        QVERIFY(sync.pauseEngine());
    }
    const int adoptedBeforeTheStop = links();
    QVERIFY2(adoptedBeforeTheStop < 12000, "the engine finished before it could be stopped");
    // Started again, it carries on where it stopped.
    SyncFixture sync(db);
    QVERIFY(sync.start());
    QVERIFY(sync.synced(60000));
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 4000);
    QCOMPARE(db.value(QStringLiteral("SELECT count(DISTINCT lower(email)) FROM dashboard.customers")).toInt(),
             4000);
    QCOMPARE(db.value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 8000);
    QCOMPARE(links(), 12000);
    QCOMPARE(
        db.value(QStringLiteral("SELECT count(*) FROM sync.history WHERE action = 'created_in_dashboard'"))
            .toInt(),
        12000);
    // A second check finds nothing left to adopt.
    const auto again = checker.createRun(QStringLiteral("admin"));
    QVERIFY(again);
    const auto rechecked = checker.run(again.value(), true);
    QVERIFY2(rechecked, qPrintable(rechecked.error()));
    QCOMPARE(rechecked->repaired, 0);
}

void TestNewRecordCopy::aCustomersEditOvertakesABulkImport()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    EngineOptions options = SyncFixture::defaults();
    options.workers = 1;
    options.batchSize = 200;
    SyncFixture sync(db, options);
    QVERIFY(sync.start());
    const qint64 customer =
        sync.helpdeskAddsCustomer(QStringLiteral("ana@shop.example"), QStringLiteral("Ana"));
    QVERIFY(sync.synced());
    // The helpdesk imports 30,000 contacts in one transaction. Once the engine is working through
    // them, Ana changes her phone number in the product. (The engine is held while she does, so that
    // how much of the import is left does not depend on how soon this test gets the CPU.)
    QVERIFY(sync.helpdesk(QStringLiteral("INSERT INTO dashboard.customers (email, name) SELECT 'i' || g || "
                                         "'@import.example', 'Imported ' || g FROM generate_series(1, 30000) g")));
    QTRY_VERIFY_WITH_TIMEOUT(db.value(QStringLiteral("SELECT count(*) FROM sync.links")).toInt() > 1, 20000);
    QVERIFY(sync.pauseEngine());
    const int importLeft = db.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")).toInt();
    QVERIFY2(importLeft > 1000, qPrintable(QStringLiteral("only %1 of the import left").arg(importLeft)));
    const qint64 user = sync.userOfCustomer(customer);
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '+1 555 0100' WHERE id = %1").arg(user)));
    sync.engine().resume();

    // Her change reaches the helpdesk within the next two batches, long before the import is through.
    const auto phone = [&db, customer] {
        return db.value(QStringLiteral("SELECT phone FROM dashboard.customers WHERE id = %1").arg(customer))
            .toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(phone(), QStringLiteral("+1 555 0100"), 30000);
    const auto appliedBeforeHerChange = [&db, user] {
        return db.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE operation = 'insert' AND side = "
                                       "'dashboard' AND status = 'done' AND processed_at <= (SELECT max(processed_at) "
                                       "FROM sync.outbox WHERE operation = 'update' AND side = 'backend' AND entity_id = %1)")
                            .arg(user))
            .toInt();
    };
    QVERIFY(sync.synced(60000));
    // At most two batches of the import went before her change once the engine went on.
    const int importAppliedBefore = appliedBeforeHerChange() - (30000 - importLeft) - 1; // Ana's own creation
    QVERIFY2(importAppliedBefore <= 2 * 200,
             qPrintable(QStringLiteral("%1 of the %2 import rows left went first").arg(importAppliedBefore).arg(importLeft)));
    QCOMPARE(
        db.value(QStringLiteral("SELECT count(*) FROM backend.users WHERE email LIKE 'i%@import.example'"))
            .toInt(),
        30000);
}

QTEST_GUILESS_MAIN(TestNewRecordCopy)
#include "tst_newrecordcopy.moc"
