#include "database/connectionprovider.h"
#include "database/sql.h"
#include "syncfixture.h"

#include <QtConcurrent/QtConcurrentRun>
#include <QFuture>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// Nothing lost, nothing applied twice: duplicates, reordering, dying workers, several engines and
// changes that keep failing.
class TestSyncRobustness final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void duplicateAndOutOfOrderEventsChangeNothing();
    void claimsOfAWorkerThatDiesAreTakenAgain();
    void claimsOfAHungWorkerAreTakenAgainAfterTheLease();
    void aConnectionCutWhileIdleIsReplacedAtOnce();
    void severalEnginesApplyEveryChangeOnce_data();
    void severalEnginesApplyEveryChangeOnce();
    void aFailingChangeIsIsolatedRetriedAndFinallyDead();

private:
    qint64 pendingEvents()
    {
        const QString pending = QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'");
        return m_db->value(pending).toLongLong() + (m_helpdesk ? m_helpdesk->value(pending).toLongLong() : 0);
    }
    TestDatabase &helpdesk() { return m_helpdesk ? *m_helpdesk : *m_db; }
    std::unique_ptr<SyncFixture> engine(EngineOptions options = SyncFixture::defaults())
    {
        return std::make_unique<SyncFixture>(*m_db, helpdesk(), options);
    }
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<TestDatabase> m_helpdesk; // the helpdesk in a database of its own
};

void TestSyncRobustness::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    if (SyncFixture::layoutOfRow() == SyncFixture::Layout::TwoDatabases) {
        m_helpdesk = SyncFixture::helpdeskDatabase();
        QVERIFY(m_helpdesk);
    }
}

void TestSyncRobustness::cleanup()
{
    m_helpdesk.reset();
    m_db.reset();
}

void TestSyncRobustness::duplicateAndOutOfOrderEventsChangeNothing()
{
    auto sync = engine();
    QVERIFY(sync->start());
    const qint64 user = sync->productSignsUp(QStringLiteral("wes@example.com"), QStringLiteral("Wes"), QStringLiteral("+1 1"));
    QVERIFY(sync->product(QStringLiteral("UPDATE backend.users SET phone = '+1 2' WHERE id = ?"), {user}));
    QVERIFY(sync->product(QStringLiteral("UPDATE backend.users SET phone = '+1 3', company = 'Atlas' WHERE id = ?"), {user}));
    QVERIFY(sync->synced());
    const qint64 customer = sync->customerOfUser(user);
    const auto state = [&]() {
        return helpdesk().rows(QStringLiteral("SELECT phone, company, version, (SELECT count(*) FROM dashboard.customers) "
                                              "FROM dashboard.customers WHERE id = ?"),
                               {customer})
                   .value(0)
               + m_db->rows(QStringLiteral("SELECT version, (SELECT count(*) FROM sync.history) FROM backend.users WHERE id = ?"),
                            {user})
                     .value(0);
    };
    const QVariantList before = state();
    QCOMPARE(before.value(0).toString(), QStringLiteral("+1 3"));

    // Every event delivered again, newest first: the oldest change now arrives last.
    for (TestDatabase *db : {m_db.get(), &helpdesk()}) {
        QVERIFY(db->exec(QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, changed_columns, "
                                        "before_image, after_image) SELECT side, entity, table_name, entity_id, operation, "
                                        "changed_columns, before_image, after_image FROM sync.outbox ORDER BY id DESC")));
        if (!m_helpdesk)
            break;
    }
    QVERIFY(pendingEvents() >= 3);
    QVERIFY(sync->synced());
    QCOMPARE(state(), before); // same values, no new versions, nothing applied, no new records
    QCOMPARE(pendingEvents(), 0);
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

    auto sync = engine();
    QVERIFY(sync->start());
    QTest::qWait(500);
    QCOMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 0); // still claimed
    QVERIFY(m_db->exec(QStringLiteral("SELECT pg_terminate_backend(?)"), {pid}));
    QVERIFY(sync->synced());
    QTRY_COMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 20);
}

void TestSyncRobustness::aConnectionCutWhileIdleIsReplacedAtOnce()
{
    // A session the server ended while the worker waited (a restart, pg_terminate_backend, a dropped
    // network path) is no outage: the worker takes a fresh connection at once instead of reporting the
    // database unreachable and backing off, during which its new idle session can be cut again.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("cannot reach the database")));
    auto sync = engine();
    QVERIFY(sync->start());
    const qint64 user = sync->productSignsUp(QStringLiteral("cut@example.com"), QStringLiteral("Cut"), QStringLiteral("+1 0"));
    QVERIFY(sync->synced());
    const qint64 customer = sync->customerOfUser(user);
    const qint64 ownSession = m_db->value(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    const qint64 helpdeskSession = helpdesk().value(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    const QString helpdeskName = helpdesk().value(QStringLiteral("SELECT current_database()")).toString();
    for (int round = 1; round <= 5; ++round) {
        // This test's databases only: pg_stat_activity spans the cluster, where other tests run beside it.
        const int cut = m_db->value(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                                   "WHERE datname IN (current_database(), ?) AND application_name LIKE "
                                                   "'syncdesk-%' AND pid NOT IN (?, ?)"),
                                    {helpdeskName, ownSession, helpdeskSession})
                            .toInt();
        QVERIFY(cut > 0);
        const QString phone = QStringLiteral("+1 %1").arg(round);
        QVERIFY(sync->product(QStringLiteral("UPDATE backend.users SET phone = ? WHERE id = ?"), {phone, user}));
        QVERIFY(sync->synced());
        QTRY_COMPARE(sync->customerField(customer, QStringLiteral("phone")).toString(), phone);
    }
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

    auto sync = engine();
    QVERIFY(sync->start());
    QTest::qWait(1000);
    QCOMPARE(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 0);
    // The server ends the session when the lease runs out; the claims go back to the queue.
    QTRY_COMPARE_WITH_TIMEOUT(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt(), 5, 15000);
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
    QVERIFY(helpdesk().exec(QStringLiteral(
        "BEGIN; SET LOCAL syncdesk.origin = 'test';"
        "INSERT INTO dashboard.customers (id, email, name, phone) SELECT 1000 + g, 'u' || g || '@example.com', 'User ' || g, '0' "
        "FROM generate_series(1, 200) g; COMMIT")));
    QVERIFY(m_db->exec(QStringLiteral(
        "BEGIN; SET LOCAL syncdesk.origin = 'test';"
        "INSERT INTO backend.users (id, email, full_name, phone) SELECT g, 'u' || g || '@example.com', 'User ' || g, '0' "
        "FROM generate_series(1, 200) g;"
        "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline) SELECT 'customer', g, 1000 + g, "
        "jsonb_build_object('email', 'u' || g || '@example.com', 'name', 'User ' || g, 'phone', '0', 'company', null, "
        "'locale', 'en', 'tags', '[]'::jsonb) FROM generate_series(1, 200) g; COMMIT")));

    // Small batches, so the work has many pieces to share out.
    EngineOptions options = SyncFixture::defaults();
    options.batchSize = 10;
    std::vector<std::unique_ptr<SyncFixture>> fleet;
    for (int i = 0; i < engines; ++i) {
        fleet.push_back(engine(options));
        QVERIFY(fleet.back()->start());
    }
    for (auto &engine : fleet)
        QTRY_VERIFY(engine->engine().status().initialized);
    // Both systems' users write concurrently while the engines run.
    const auto writer = [productUrl = m_db->url(), helpdeskUrl = helpdesk().url()](bool product, quint32 seed) {
        ConnectionProvider connections(product ? productUrl : helpdeskUrl, product ? QStringLiteral("product-writer") : QStringLiteral("helpdesk-writer"));
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

    const auto count = [&](const QString &statement) {
        return m_db->value(statement).toLongLong() + (m_helpdesk ? m_helpdesk->value(statement).toLongLong() : 0);
    };
    const qint64 captured = count(QStringLiteral("SELECT count(*) FROM sync.outbox"));
    QCOMPARE(captured, qint64(800));
    QTRY_COMPARE(count(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'done'")), captured);
    qint64 processed = 0;
    int enginesThatWorked = 0;
    for (auto &engine : fleet) {
        const qint64 mine = engine->engine().status().processedTotal;
        processed += mine;
        enginesThatWorked += mine > 0 ? 1 : 0;
    }
    QCOMPARE(processed, captured); // each change applied by exactly one engine
    QVERIFY(enginesThatWorked >= 2);
    // Both sides agree on every linked customer (compared here, as the sides may be two databases).
    const auto rows = [](TestDatabase &db, const QString &statement) {
        QHash<qint64, QVariantList> byId;
        for (const QVariantList &row : db.rows(statement))
            byId.insert(row.value(0).toLongLong(), row.mid(1));
        return byId;
    };
    const auto users = rows(*m_db, QStringLiteral("SELECT l.dashboard_id, u.phone, u.company, u.full_name FROM sync.links l "
                                                  "JOIN backend.users u ON u.id = l.backend_id"));
    const auto customers = rows(this->helpdesk(), QStringLiteral("SELECT id, phone, company, name FROM dashboard.customers"));
    QCOMPARE(users.size(), 200);
    QCOMPARE(customers, users);
}

void TestSyncRobustness::aFailingChangeIsIsolatedRetriedAndFinallyDead()
{
    EngineOptions options = SyncFixture::defaults();
    options.maxAttempts = 2;
    auto sync = engine(options);
    QVERIFY(sync->start());
    const qint64 good = sync->productSignsUp(QStringLiteral("good@example.com"), QStringLiteral("Good"));
    const qint64 bad = sync->productSignsUp(QStringLiteral("bad@example.com"), QStringLiteral("Bad"));
    QVERIFY(sync->synced());
    // The helpdesk refuses a value the product accepts.
    QVERIFY(helpdesk().exec(QStringLiteral("ALTER TABLE dashboard.customers ADD CONSTRAINT no_zeros CHECK (phone <> '000')")));
    QVERIFY(sync->pauseEngine());
    QVERIFY(sync->product(QStringLiteral("UPDATE backend.users SET phone = '000' WHERE id = ?"), {bad}));
    QVERIFY(sync->product(QStringLiteral("UPDATE backend.users SET phone = '+1 555' WHERE id = ?"), {good}));
    sync->engine().resume();

    // The good change in the same batch goes through; the bad one is charged, retried, then dead.
    QTRY_COMPARE(sync->customerField(sync->customerOfUser(good), QStringLiteral("phone")).toString(), QStringLiteral("+1 555"));
    QTRY_COMPARE_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT status || ':' || attempts FROM sync.outbox WHERE entity_id = ? AND operation = 'update' "
                                                         "AND 'phone' = ANY (changed_columns)"),
                                          {bad})
                                  .toString(),
                              QStringLiteral("dead:2"), 20000);
    QVERIFY(m_db->value(QStringLiteral("SELECT last_error FROM sync.outbox WHERE status = 'dead'")).toString().contains(QLatin1String("no_zeros")));
    QTRY_COMPARE(sync->engine().status().deadEvents, qint64(1));

    // Someone fixes the cause and retries the dead event by hand.
    QVERIFY(helpdesk().exec(QStringLiteral("ALTER TABLE dashboard.customers DROP CONSTRAINT no_zeros")));
    const auto retried = sync->engine().retryDeadEvents(std::nullopt);
    QVERIFY2(retried.ok(), qPrintable(retried.error()));
    QCOMPARE(retried.value(), 1);
    QVERIFY(sync->synced());
    QTRY_COMPARE(sync->customerField(sync->customerOfUser(bad), QStringLiteral("phone")).toString(), QStringLiteral("000"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'dead'")).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestSyncRobustness)
#include "tst_syncrobustness.moc"
