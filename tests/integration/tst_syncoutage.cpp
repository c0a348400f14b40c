#include "database/connectionprovider.h"
#include "database/postgrescluster.h"
#include "database/sql.h"
#include "schema/migrator.h"
#include "service/datasyncservice.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

// The helpdesk's database goes away for twenty seconds in the middle of traffic: the engine says
// it is degraded, keeps running, and drains the backlog by itself when the database returns. Both
// layouts: the helpdesk in the product's database (the one server stops), or in its own (only the
// helpdesk's server stops; the product keeps writing).
class TestSyncOutage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backlogDrainsAfterTheDatabaseReturns_data();
    void backlogDrainsAfterTheDatabaseReturns();
};

namespace {

// A cluster of its own: stopping the shared test cluster would stop every other test.
struct OwnCluster
{
    QTemporaryDir dir{QDir::tempPath() + QStringLiteral("/syncdesk-outage-XXXXXX")};
    std::unique_ptr<PostgresCluster> cluster;
    std::shared_ptr<ConnectionProvider> connections;

    bool start(const QString &role)
    {
        if (!dir.isValid())
            return false;
        QFile::setPermissions(dir.path(), QFile::permissions(dir.path()) | QFileDevice::ExeOther | QFileDevice::ReadOther);
        ClusterOptions options;
        options.dataDir = dir.path();
        options.durable = false;
        cluster = std::make_unique<PostgresCluster>(options);
        if (!cluster->start().ok())
            return false;
        connections = std::make_shared<ConnectionProvider>(cluster->url(), role);
        auto db = connections->database();
        return db.ok() && Migrator(Migrator::bundled()).migrate(db.value()).ok();
    }
    bool exec(const QString &statements)
    {
        auto db = connections->database();
        return db.ok() && sql::exec(db.value(), statements).ok();
    }
    int count(const QString &statement)
    {
        auto db = connections->database();
        if (!db)
            return -1;
        auto value = sql::scalar(db.value(), statement);
        return value ? value.value().toInt() : -1;
    }
    QHash<qint64, QString> phones(const QString &table)
    {
        QHash<qint64, QString> result;
        auto db = connections->database();
        if (auto rows = db ? sql::run(db.value(), QStringLiteral("SELECT id, phone FROM %1").arg(table))
                           : Result<QSqlQuery>::failure(db.error())) {
            while (rows.value().next())
                result.insert(rows.value().value(0).toLongLong(), rows.value().value(1).toString());
        }
        return result;
    }
};

} // namespace

void TestSyncOutage::backlogDrainsAfterTheDatabaseReturns_data()
{
    QTest::addColumn<bool>("twoDatabases");
    QTest::newRow("one database") << false;
    QTest::newRow("two databases") << true;
}

void TestSyncOutage::backlogDrainsAfterTheDatabaseReturns()
{
    QFETCH(bool, twoDatabases);
    OwnCluster productSide;
    QVERIFY2(productSide.start(QStringLiteral("outage")), "the outage test's cluster did not start");
    OwnCluster helpdeskOwn;
    if (twoDatabases) {
        QVERIFY2(helpdeskOwn.start(QStringLiteral("outage-helpdesk")), "the helpdesk's cluster did not start");
        QVERIFY(helpdeskOwn.exec(QStringLiteral("SELECT sync.number_events_as_dashboard_database()")));
    }
    OwnCluster &helpdeskSide = twoDatabases ? helpdeskOwn : productSide;
    QVERIFY(productSide.exec(QStringLiteral(
        "BEGIN; SET LOCAL syncdesk.origin = 'test';"
        "INSERT INTO backend.users (id, email, phone) SELECT g, 'o' || g || '@example.com', '0' FROM generate_series(1, 50) g;"
        "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline) SELECT 'customer', g, g, jsonb_build_object("
        "'email', 'o' || g || '@example.com', 'name', null, 'phone', '0', 'company', null, 'locale', 'en', 'tags', '[]'::jsonb) "
        "FROM generate_series(1, 50) g; COMMIT")));
    QVERIFY(helpdeskSide.exec(QStringLiteral(
        "BEGIN; SET LOCAL syncdesk.origin = 'test';"
        "INSERT INTO dashboard.customers (id, email, phone) SELECT g, 'o' || g || '@example.com', '0' FROM generate_series(1, 50) g;"
        "COMMIT")));

    EngineOptions engineOptions;
    engineOptions.workers = 2;
    engineOptions.pollIntervalMs = 500;
    engineOptions.healthIntervalMs = 500;
    DataSyncService engine(engineOptions, productSide.connections, helpdeskSide.connections);
    QVERIFY(engine.start().ok());

    // The product's users keep editing their phone numbers throughout; writes fail while the
    // database is away, as they would for the product itself.
    ConnectionProvider product(productSide.cluster->url(), QStringLiteral("product"));
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
    QVERIFY(helpdeskSide.cluster->stopRunningServer().ok());
    QTRY_VERIFY_WITH_TIMEOUT(engine.status().degraded, 10000);
    QVERIFY(engine.isRunning());
    trafficFor(20000);
    if (twoDatabases) // the product never noticed: its changes wait in its own queue
        QVERIFY(productSide.count(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")) > 100);
    QVERIFY(helpdeskSide.cluster->start().ok());
    trafficFor(3000);
    QVERIFY(written > (twoDatabases ? 400 : 40));

    // No restart: the engine reconnects and catches up on its own.
    QTRY_COMPARE_WITH_TIMEOUT(productSide.count(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status <> 'done'")), 0,
                              60000);
    QTRY_VERIFY_WITH_TIMEOUT(!engine.status().degraded, 10000);
    QCOMPARE(productSide.count(QStringLiteral("SELECT count(*) FROM sync.outbox")), written);
    // (The test's own connection to the helpdesk learns of the restart on its first use.)
    QTRY_COMPARE(helpdeskSide.count(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status <> 'done'")), 0);
    const QHash<qint64, QString> users = productSide.phones(QStringLiteral("backend.users"));
    QCOMPARE(users.size(), 50);
    QCOMPARE(helpdeskSide.phones(QStringLiteral("dashboard.customers")), users);
    engine.stop();
}

QTEST_GUILESS_MAIN(TestSyncOutage)
#include "tst_syncoutage.moc"
