#include "database/connectionprovider.h"
#include "database/postgrescluster.h"
#include "database/sql.h"
#include "schema/migrator.h"
#include "service/datasyncservice.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

// The database goes away for twenty seconds in the middle of traffic: the engine says it is
// degraded, keeps running, and drains the backlog by itself when the database returns.
class TestSyncOutage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backlogDrainsAfterTheDatabaseReturns();
};

void TestSyncOutage::backlogDrainsAfterTheDatabaseReturns()
{
    // A cluster of its own: stopping the shared test cluster would stop every other test.
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/syncdesk-outage-XXXXXX"));
    QVERIFY(dir.isValid());
    QFile::setPermissions(dir.path(), QFile::permissions(dir.path()) | QFileDevice::ExeOther | QFileDevice::ReadOther);
    ClusterOptions options;
    options.dataDir = dir.path();
    options.durable = false;
    PostgresCluster cluster(options);
    QVERIFY2(cluster.start().ok(), "the outage test's cluster did not start");
    auto connections = std::make_shared<ConnectionProvider>(cluster.url(), QStringLiteral("outage"));
    {
        auto db = connections->database();
        QVERIFY(db.ok());
        QVERIFY(Migrator(Migrator::bundled()).migrate(db.value()).ok());
        QVERIFY(sql::exec(db.value(), QStringLiteral(
            "BEGIN; SET LOCAL syncdesk.origin = 'test';"
            "INSERT INTO backend.users (id, email, phone) SELECT g, 'o' || g || '@example.com', '0' FROM generate_series(1, 50) g;"
            "INSERT INTO dashboard.customers (id, email, phone) SELECT g, 'o' || g || '@example.com', '0' FROM generate_series(1, 50) g;"
            "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline) SELECT 'customer', g, g, jsonb_build_object("
            "'email', 'o' || g || '@example.com', 'name', null, 'phone', '0', 'company', null, 'locale', 'en', 'tags', '[]'::jsonb) "
            "FROM generate_series(1, 50) g; COMMIT")).ok());
    }

    EngineOptions engineOptions;
    engineOptions.workers = 2;
    engineOptions.pollIntervalMs = 500;
    engineOptions.healthIntervalMs = 500;
    DataSyncService engine(engineOptions, connections, connections);
    QVERIFY(engine.start().ok());

    // The product's users keep editing their phone numbers throughout; writes fail while the
    // database is away, as they would for the product itself.
    ConnectionProvider product(cluster.url(), QStringLiteral("product"));
    int written = 0;
    int attempt = 0;
    const auto write = [&]() {
        auto db = product.database();
        if (db && sql::exec(db.value(), QStringLiteral("UPDATE backend.users SET phone = ? WHERE id = ?"),
                            {QStringLiteral("p%1").arg(attempt), 1 + attempt % 50})
                      .ok())
            ++written;
        ++attempt;
    };
    const auto trafficFor = [&](int ms) {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            write();
            QTest::qWait(50);
        }
    };

    trafficFor(2000);
    QVERIFY(cluster.stopRunningServer().ok());
    QTRY_VERIFY_WITH_TIMEOUT(engine.status().degraded, 10000);
    QVERIFY(engine.isRunning());
    trafficFor(20000);
    QVERIFY(cluster.start().ok());
    trafficFor(3000);
    QVERIFY(written > 40);

    // No restart: the engine reconnects and catches up on its own.
    const auto count = [&](const QString &statement) -> int {
        auto db = connections->database();
        if (!db)
            return -1;
        auto value = sql::scalar(db.value(), statement);
        return value ? value.value().toInt() : -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status <> 'done'")), 0, 60000);
    auto db = connections->database();
    QVERIFY(db.ok());
    QTRY_VERIFY_WITH_TIMEOUT(!engine.status().degraded, 10000);
    QCOMPARE(sql::scalar(db.value(), QStringLiteral("SELECT count(*) FROM sync.outbox")).value().toInt(), written);
    QCOMPARE(sql::scalar(db.value(), QStringLiteral("SELECT count(*) FROM backend.users u JOIN dashboard.customers c ON c.id = u.id "
                                                    "WHERE u.phone IS DISTINCT FROM c.phone"))
                 .value()
                 .toInt(),
             0);
    engine.stop();
}

QTEST_GUILESS_MAIN(TestSyncOutage)
#include "tst_syncoutage.moc"
