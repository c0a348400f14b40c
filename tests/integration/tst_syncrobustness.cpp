#include "database/connectionprovider.h"
#include "database/sql.h"
#include "syncfixture.h"

#include <QtConcurrent/QtConcurrentRun>
#include <QFuture>
#include <QRandomGenerator>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// Nothing lost, nothing applied twice: duplicates, reordering, dying workers, several engines and
// changes that keep failing.
class TestSyncRobustness final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void duplicateAndOutOfOrderEventsChangeNothing();
    void claimsOfAWorkerThatDiesAreTakenAgain();
    void claimsOfAHungWorkerAreTakenAgainAfterTheLease();
    void severalEnginesApplyEveryChangeOnce_data();
    void severalEnginesApplyEveryChangeOnce();
    void aFailingChangeIsIsolatedRetriedAndFinallyDead();

private:
    qint64 pendingEvents() { return m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")).toLongLong(); }
    std::unique_ptr<TestDatabase> m_db;
};

void TestSyncRobustness::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
}

void TestSyncRobustness::cleanup()
{
    m_db.reset();
}

void TestSyncRobustness::duplicateAndOutOfOrderEventsChangeNothing()
{
    SyncFixture sync(*m_db);
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("wes@example.com"), QStringLiteral("Wes"), QStringLiteral("+1 1"));
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '+1 2' WHERE id = ?"), {user}));
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '+1 3', company = 'Atlas' WHERE id = ?"), {user}));
    QVERIFY(sync.synced());
    const qint64 customer = sync.customerOfUser(user);
    const QVariantList before = m_db->rows(QStringLiteral("SELECT c.phone, c.company, c.version, u.version, "
                                                          "(SELECT count(*) FROM sync.history), (SELECT count(*) FROM dashboard.customers) "
                                                          "FROM dashboard.customers c, backend.users u WHERE c.id = ? AND u.id = ?"),
                                           {customer, user})
                                    .value(0);
    QCOMPARE(before.value(0).toString(), QStringLiteral("+1 3"));

    // Every event delivered again, newest first: the oldest change now arrives last.
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, changed_columns, "
                                      "before_image, after_image) SELECT side, entity, table_name, entity_id, operation, "
                                      "changed_columns, before_image, after_image FROM sync.outbox ORDER BY id DESC")));
    QVERIFY(pendingEvents() >= 3);
    QVERIFY(sync.synced());
    const QVariantList after = m_db->rows(QStringLiteral("SELECT c.phone, c.company, c.version, u.version, "
                                                         "(SELECT count(*) FROM sync.history), (SELECT count(*) FROM dashboard.customers) "
                                                         "FROM dashboard.customers c, backend.users u WHERE c.id = ? AND u.id = ?"),
                                          {customer, user})
                                   .value(0);
    QCOMPARE(after, before); // same values, no new versions, nothing applied, no new records
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status <> 'done'")).toInt(), 0);
}

void TestSyncRobustness::claimsOfAWorkerThatDiesAreTakenAgain()
{
    for (int i = 0; i < 20; ++i)
        m_db->exec(QStringLiteral("INSERT INTO backend.users (email) VALUES (?)"), {QStringLiteral("dies%1@example.com").arg(i)});
    // A worker claims everything and dies before committing (its connection is gone).
    ConnectionProvider workerSide(m_db->url(), QStringLiteral("doomed-worker"));
    auto worker = workerSide.database();
    QVERIFY(worker.ok());
    QVERIFY(sql::exec(worker.value(), QStringLiteral("BEGIN")).ok());
    const auto claimed = sql::scalar(worker.value(), QStringLiteral("SELECT count(*) FROM (SELECT id FROM sync.outbox WHERE "
                                                                    "status = 'pending' FOR UPDATE SKIP LOCKED) s"));
    QCOMPARE(claimed.value().toInt(), 20);
    const qint64 pid = sql::scalar(worker.value(), QStringLiteral("SELECT pg_backend_pid()")).value().toLongLong();

    SyncFixture sync(*m_db);
    QVERIFY(sync.start());
    QTest::qWait(500);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 0); // still claimed
    QVERIFY(m_db->exec(QStringLiteral("SELECT pg_terminate_backend(?)"), {pid}));
    QVERIFY(sync.synced());
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 20);
}

void TestSyncRobustness::claimsOfAHungWorkerAreTakenAgainAfterTheLease()
{
    for (int i = 0; i < 5; ++i)
        m_db->exec(QStringLiteral("INSERT INTO backend.users (email) VALUES (?)"), {QStringLiteral("hangs%1@example.com").arg(i)});
    // A worker whose lease is two seconds claims the events and then hangs, transaction open.
    const DatabaseUrl leased = m_db->url().withParameter(QStringLiteral("options"),
                                                         QStringLiteral("-c idle_in_transaction_session_timeout=2s"));
    ConnectionProvider workerSide(leased, QStringLiteral("hung-worker"));
    auto worker = workerSide.database();
    QVERIFY(worker.ok());
    QVERIFY(sql::exec(worker.value(), QStringLiteral("BEGIN")).ok());
    QVERIFY(sql::exec(worker.value(), QStringLiteral("SELECT id FROM sync.outbox WHERE status = 'pending' FOR UPDATE SKIP LOCKED")).ok());

    SyncFixture sync(*m_db);
    QVERIFY(sync.start());
    QTest::qWait(1000);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 0);
    // The server ends the session when the lease runs out; the claims go back to the queue.
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 5, 15000);
    QVERIFY(!sql::exec(worker.value(), QStringLiteral("COMMIT")).ok() || ConnectionProvider::isBroken(worker.value()));
}

void TestSyncRobustness::severalEnginesApplyEveryChangeOnce_data()
{
    QTest::addColumn<int>("engines");
    QTest::newRow("two engines") << 2;
    QTest::newRow("four engines") << 4;
}

void TestSyncRobustness::severalEnginesApplyEveryChangeOnce()
{
    QFETCH(int, engines);
    // Customers exist on both sides, linked.
    QVERIFY(m_db->exec(QStringLiteral(
        "BEGIN; SET LOCAL syncdesk.origin = 'test';"
        "INSERT INTO backend.users (id, email, full_name, phone) SELECT g, 'u' || g || '@example.com', 'User ' || g, '0' "
        "FROM generate_series(1, 200) g;"
        "INSERT INTO dashboard.customers (id, email, name, phone) SELECT 1000 + g, 'u' || g || '@example.com', 'User ' || g, '0' "
        "FROM generate_series(1, 200) g;"
        "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline) SELECT 'customer', g, 1000 + g, "
        "jsonb_build_object('email', 'u' || g || '@example.com', 'name', 'User ' || g, 'phone', '0', 'company', null, "
        "'locale', 'en', 'tags', '[]'::jsonb) FROM generate_series(1, 200) g; COMMIT")));

    // Small batches, so the work has many pieces to share out.
    EngineOptions options = SyncFixture::defaults();
    options.batchSize = 10;
    std::vector<std::unique_ptr<SyncFixture>> fleet;
    for (int i = 0; i < engines; ++i) {
        fleet.push_back(std::make_unique<SyncFixture>(*m_db, options));
        QVERIFY(fleet.back()->start());
    }
    for (auto &engine : fleet)
        QTRY_VERIFY(engine->engine().status().initialized);
    // Both systems' users write concurrently while the engines run.
    const auto writer = [url = m_db->url()](bool product, quint32 seed) {
        ConnectionProvider connections(url, product ? QStringLiteral("product-writer") : QStringLiteral("helpdesk-writer"));
        auto db = connections.database();
        QRandomGenerator random(seed);
        for (int i = 0; i < 300 && db; ++i) {
            const int who = 1 + int(random.bounded(200));
            if (product)
                sql::exec(db.value(), QStringLiteral("UPDATE backend.users SET phone = ? WHERE id = ?"),
                          {QStringLiteral("p%1").arg(i), who});
            else
                sql::exec(db.value(), QStringLiteral("UPDATE dashboard.customers SET company = ? WHERE id = ?"),
                          {QStringLiteral("c%1").arg(i), 1000 + who});
        }
    };
    auto product = QtConcurrent::run(writer, true, 1u);
    auto helpdesk = QtConcurrent::run(writer, false, 2u);
    while (!product.isFinished() || !helpdesk.isFinished())
        QTest::qWait(20);
    QVERIFY(fleet.front()->synced(60000));

    // Then a backlog that every engine is let loose on at once (the shape of a restart after an outage).
    for (auto &engine : fleet)
        QVERIFY(engine->pauseEngine());
    QVERIFY(m_db->exec(QStringLiteral("UPDATE backend.users SET full_name = 'Backlog ' || id WHERE id <= 200")));
    for (auto &engine : fleet)
        engine->engine().resume();
    QVERIFY(fleet.front()->synced(60000));

    const qint64 captured = m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toLongLong();
    QCOMPARE(captured, qint64(800));
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'done'")).toLongLong(), captured);
    qint64 processed = 0;
    int enginesThatWorked = 0;
    for (auto &engine : fleet) {
        const qint64 mine = engine->engine().status().processedTotal;
        processed += mine;
        enginesThatWorked += mine > 0 ? 1 : 0;
    }
    QCOMPARE(processed, captured); // each change applied by exactly one engine
    QVERIFY(enginesThatWorked >= 2);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.links l JOIN backend.users u ON u.id = l.backend_id "
                                        "JOIN dashboard.customers c ON c.id = l.dashboard_id "
                                        "WHERE u.phone IS DISTINCT FROM c.phone OR u.company IS DISTINCT FROM c.company "
                                        "OR u.full_name IS DISTINCT FROM c.name"))
                 .toInt(),
             0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 200);
}

void TestSyncRobustness::aFailingChangeIsIsolatedRetriedAndFinallyDead()
{
    EngineOptions options = SyncFixture::defaults();
    options.maxAttempts = 2;
    SyncFixture sync(*m_db, options);
    QVERIFY(sync.start());
    const qint64 good = sync.productSignsUp(QStringLiteral("good@example.com"), QStringLiteral("Good"));
    const qint64 bad = sync.productSignsUp(QStringLiteral("bad@example.com"), QStringLiteral("Bad"));
    QVERIFY(sync.synced());
    // The helpdesk refuses a value the product accepts.
    QVERIFY(m_db->exec(QStringLiteral("ALTER TABLE dashboard.customers ADD CONSTRAINT no_zeros CHECK (phone <> '000')")));
    QVERIFY(sync.pauseEngine());
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '000' WHERE id = ?"), {bad}));
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET phone = '+1 555' WHERE id = ?"), {good}));
    sync.engine().resume();

    // The good change in the same batch goes through; the bad one is charged, retried, then dead.
    QTRY_COMPARE(sync.customerField(sync.customerOfUser(good), QStringLiteral("phone")).toString(), QStringLiteral("+1 555"));
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT status || ':' || attempts FROM sync.outbox WHERE entity_id = ? AND operation = 'update' "
                                                         "AND 'phone' = ANY (changed_columns)"),
                                          {bad})
                                  .toString(),
                              QStringLiteral("dead:2"), 20000);
    QVERIFY(m_db->value(QStringLiteral("SELECT last_error FROM sync.outbox WHERE status = 'dead'")).toString().contains(QLatin1String("no_zeros")));
    QTRY_COMPARE(sync.engine().status().deadEvents, qint64(1));

    // Someone fixes the cause and retries the dead event by hand.
    QVERIFY(m_db->exec(QStringLiteral("ALTER TABLE dashboard.customers DROP CONSTRAINT no_zeros")));
    const auto retried = sync.engine().retryDeadEvents(std::nullopt);
    QVERIFY2(retried.ok(), qPrintable(retried.error()));
    QCOMPARE(retried.value(), 1);
    QVERIFY(sync.synced());
    QTRY_COMPARE(sync.customerField(sync.customerOfUser(bad), QStringLiteral("phone")).toString(), QStringLiteral("000"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'dead'")).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestSyncRobustness)
#include "tst_syncrobustness.moc"
