#include "database/connectionprovider.h"
#include "database/sql.h"
#include "schema/migrator.h"
#include "testdatabase.h"

#include <QFuture>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// Versioned migrations: applied once, in order, recorded with checksums; tampering and downgrades refused.
class TestMigrator final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freshDatabaseGetsEveryMigration();
    void secondRunChangesNothing();
    void createsTheContractTables_data();
    void createsTheContractTables();
    void refusesATamperedMigration();
    void refusesADatabaseNewerThanTheBinary();
    void aFailingMigrationLeavesNothingBehind();
    void instancesStartingTogetherMigrateOnce();
    void outboxHasTodaysPartition();
    void outboxRefusesValuesItDoesNotKnow_data();
    void outboxRefusesValuesItDoesNotKnow();
    void upgradingKeepsQueuedEvents();
};

void TestMigrator::freshDatabaseGetsEveryMigration()
{
    TestDatabase database(TestDatabase::Content::Empty);
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QSqlDatabase db = database.db();
    const Migrator migrator(Migrator::bundled());
    QVERIFY(migrator.latestVersion() >= 3);

    const auto report = migrator.migrate(db);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(report->applied.size(), Migrator::bundled().size());
    QCOMPARE(report->schemaVersion, migrator.latestVersion());
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.schema_migrations")).toInt(),
             int(Migrator::bundled().size()));
    // Checksums are the SHA-256 of what shipped.
    for (const Migration &migration : Migrator::bundled()) {
        QCOMPARE(database
                     .value(QStringLiteral("SELECT checksum FROM sync.schema_migrations WHERE version = ?"),
                            {migration.version})
                     .toString(),
                 migration.checksum);
    }
}

void TestMigrator::secondRunChangesNothing()
{
    TestDatabase database; // already migrated from the template
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QSqlDatabase db = database.db();
    const QVariant appliedAt =
        database.value(QStringLiteral("SELECT max(applied_at) FROM sync.schema_migrations"));
    const auto report = Migrator(Migrator::bundled()).migrate(db);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY(report->applied.isEmpty());
    QCOMPARE(database.value(QStringLiteral("SELECT max(applied_at) FROM sync.schema_migrations")), appliedAt);
}

void TestMigrator::createsTheContractTables_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("columns");
    // The two systems' own applications read and write these columns: they are a contract.
    QTest::newRow("backend.users")
        << "backend.users"
        << "id email full_name phone company locale tags attributes created_at updated_at version";
    QTest::newRow("backend.conversations")
        << "backend.conversations"
        << "id user_id channel status subject started_at updated_at last_message_at";
    QTest::newRow("backend.messages") << "backend.messages"
                                      << "id conversation_id role content created_at metadata";
    QTest::newRow("backend.tickets") << "backend.tickets"
                                     << "id user_id conversation_id subject description status priority "
                                        "category created_at updated_at version";
    QTest::newRow("backend.notifications") << "backend.notifications"
                                           << "id user_id";
    QTest::newRow("dashboard.customers")
        << "dashboard.customers"
        << "id email name phone company locale tags notes created_at updated_at version";
    QTest::newRow("dashboard.tickets") << "dashboard.tickets"
                                       << "id customer_id subject description status priority category "
                                          "assignee source created_at updated_at version";
    QTest::newRow("dashboard.ticket_activities") << "dashboard.ticket_activities"
                                                 << "id ticket_id";
    for (const char *table :
         {"outbox", "links", "conflicts", "analyses", "history", "consistency_runs", "audit_log", "api_keys"})
        QTest::newRow(table) << QStringLiteral("sync.%1").arg(QLatin1String(table)) << "id";
    QTest::newRow("conversation_tickets") << "sync.conversation_tickets"
                                          << "conversation_id backend_ticket_id dashboard_ticket_id";
    QTest::newRow("schema_migrations") << "sync.schema_migrations"
                                       << "version name checksum applied_at";
}

void TestMigrator::createsTheContractTables()
{
    QFETCH(QString, table);
    QFETCH(QString, columns);
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    const QStringList schemaAndName = table.split(QLatin1Char('.'));
    for (const QString &column : columns.split(QLatin1Char(' '))) {
        QVERIFY2(
            database.value(QStringLiteral("SELECT count(*) FROM information_schema.columns "
                                          "WHERE table_schema = ? AND table_name = ? AND column_name = ?"),
                           {schemaAndName.at(0), schemaAndName.at(1), column})
                    .toInt() == 1,
            qPrintable(QStringLiteral("%1 lacks column %2").arg(table, column)));
    }
}

void TestMigrator::refusesATamperedMigration()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QList<Migration> migrations = Migrator::bundled();
    Migration &second = migrations[1];
    second = Migration::fromSql(second.version, second.name, second.sql + "\n-- edited after release\n");
    QSqlDatabase db = database.db();
    const auto report = Migrator(migrations).migrate(db);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(second.name) &&
                 report.error().contains(QLatin1String("changed after it was applied")),
             qPrintable(report.error()));
}

void TestMigrator::refusesADatabaseNewerThanTheBinary()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(database.exec(QStringLiteral("INSERT INTO sync.schema_migrations (version, name, checksum) "
                                         "VALUES (999, '0999_from_the_future', 'x')")));
    QSqlDatabase db = database.db();
    const auto report = Migrator(Migrator::bundled()).migrate(db);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(QLatin1String("newer than this SyncDesk")), qPrintable(report.error()));
}

void TestMigrator::aFailingMigrationLeavesNothingBehind()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QList<Migration> migrations = Migrator::bundled();
    const int next = migrations.constLast().version + 1;
    migrations << Migration::fromSql(next, QStringLiteral("%1_broken").arg(next),
                                     "CREATE TABLE sync.half_done (id int);\nSELECT no_such_function();\n");
    QSqlDatabase db = database.db();
    const auto report = Migrator(migrations).migrate(db);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().contains(QLatin1String("rolled back")) &&
                 report.error().contains(QLatin1String("line 2")),
             qPrintable(report.error()));
    QCOMPARE(database.value(QStringLiteral("SELECT to_regclass('sync.half_done') IS NULL")).toBool(), true);
    QCOMPARE(database.value(QStringLiteral("SELECT max(version) FROM sync.schema_migrations")).toInt(),
             next - 1);
}

void TestMigrator::instancesStartingTogetherMigrateOnce()
{
    TestDatabase database(TestDatabase::Content::Empty);
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    // Four instances start at the same moment, each with its own connection.
    QList<QFuture<Result<MigrationReport>>> instances;
    for (int i = 0; i < 4; ++i) {
        instances << QtConcurrent::run([url = database.url(), i]() {
            ConnectionProvider connections(url, QStringLiteral("instance-%1").arg(i));
            auto db = connections.database();
            if (!db)
                return Result<MigrationReport>::failure(db.error());
            return Migrator(Migrator::bundled()).migrate(db.value());
        });
    }
    int applyingInstances = 0;
    for (auto &instance : instances) {
        const auto report = instance.result();
        QVERIFY2(report.ok(), qPrintable(report.error()));
        if (!report->applied.isEmpty()) {
            ++applyingInstances;
            QCOMPARE(report->applied.size(), Migrator::bundled().size());
        }
    }
    QCOMPARE(applyingInstances, 1);
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.schema_migrations")).toInt(),
             int(Migrator::bundled().size()));
}

void TestMigrator::outboxHasTodaysPartition()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(database.exec(
        QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES ('p@example.com', 'P')")));
    QCOMPARE(database.value(QStringLiteral("SELECT tableoid::regclass::text FROM sync.outbox")).toString(),
             QStringLiteral("sync.outbox_%1")
                 .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd"))));
    // Creating partitions again is harmless.
    QCOMPARE(database.value(QStringLiteral("SELECT sync.ensure_outbox_partitions()")).toInt(), 0);
    QVERIFY(database.value(QStringLiteral("SELECT sync.ensure_outbox_partitions(10)")).toInt() >= 3);
}

void TestMigrator::outboxRefusesValuesItDoesNotKnow_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("a known side") << "side"
                                  << "dashboard" << true;
    QTest::newRow("an unknown side") << "side"
                                     << "elsewhere" << false;
    QTest::newRow("a known operation") << "operation"
                                       << "delete" << true;
    QTest::newRow("an unknown operation") << "operation"
                                          << "upsert" << false;
    QTest::newRow("a known status") << "status"
                                    << "dead" << true;
    QTest::newRow("an unknown status") << "status"
                                       << "finished" << false;
}

void TestMigrator::outboxRefusesValuesItDoesNotKnow()
{
    QFETCH(QString, column);
    QFETCH(QString, value);
    QFETCH(bool, accepted);
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVariantMap row{{QStringLiteral("side"), QStringLiteral("backend")},
                    {QStringLiteral("operation"), QStringLiteral("update")},
                    {QStringLiteral("status"), QStringLiteral("pending")}};
    row.insert(column, value);
    QSqlDatabase db = database.db();
    const Status inserted = sql::exec(
        db,
        QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, status) "
                       "VALUES (?, 'customer', 'backend.users', 1, ?, ?)"),
        {row.value(QStringLiteral("side")), row.value(QStringLiteral("operation")),
         row.value(QStringLiteral("status"))});
    QCOMPARE(inserted.ok(), accepted);
    if (!accepted)
        QVERIFY2(inserted.error().contains(QStringLiteral("sync.event_") + column),
                 qPrintable(inserted.error()));
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt(), accepted ? 1 : 0);
}

void TestMigrator::upgradingKeepsQueuedEvents()
{
    // A database that last ran a binary with the outbox's old indexes and constraints (up to 0006).
    TestDatabase database(TestDatabase::Content::Empty);
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QSqlDatabase db = database.db();
    QList<Migration> older;
    for (const Migration &migration : Migrator::bundled()) {
        if (migration.version <= 6)
            older << migration;
    }
    QVERIFY2(Migrator(older).migrate(db).ok(), "migrating to 0006");
    QVERIFY(database.exec(
        QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES ('a@example.com', 'A'), "
                       "('b@example.com', 'B'), ('c@example.com', 'C')")));
    QVERIFY(database.exec(QStringLiteral(
        "UPDATE sync.outbox SET status = 'done' WHERE id = (SELECT min(id) FROM sync.outbox)")));
    QVERIFY(database.exec(QStringLiteral(
        "UPDATE sync.outbox SET status = 'dead' WHERE id = (SELECT max(id) FROM sync.outbox)")));

    const auto report = Migrator(Migrator::bundled()).migrate(db);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(database.value(QStringLiteral("SELECT string_agg(status, ',' ORDER BY id) FROM sync.outbox"))
                 .toString(),
             QStringLiteral("done,pending,dead"));
    // The workers' claim takes the pending one, and only that.
    QCOMPARE(
        database.value(QStringLiteral("SELECT string_agg(entity_id::text, ',') FROM sync.claim_pending(10)"))
            .toString(),
        database.value(QStringLiteral("SELECT entity_id::text FROM sync.outbox WHERE status = 'pending'"))
            .toString());
    QCOMPARE(database
                 .value(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE schemaname = 'sync' "
                                       "AND tablename = 'outbox'"))
                 .toInt(),
             1);
}

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
