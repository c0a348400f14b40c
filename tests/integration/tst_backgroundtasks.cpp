#include "database/connectionprovider.h"
#include "database/sql.h"
#include "syncfixture.h"
#include "tasks/taskscheduler.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace syncdesk;
using namespace syncdesk::test;

// Background tasks: on demand and on schedule, one instance at a time, with progress and a result.
class TestBackgroundTasks final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void aCheckOnDemandReportsProgressAndRepairs();
    void onlyOneInstanceRunsACheckAtATime();
    void checksRunAtTheirInterval();
    void aNewIntervalCountsFromNow();
    void settingsOutOfRangeAreRefusedAtRunTime_data();
    void settingsOutOfRangeAreRefusedAtRunTime();
    void cleanupDropsOldAppliedDaysButNeverPendingOrDeadChanges();

private:
    std::unique_ptr<TestDatabase> m_db;
};

void TestBackgroundTasks::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
}

void TestBackgroundTasks::cleanup()
{
    m_db.reset();
}

void TestBackgroundTasks::aCheckOnDemandReportsProgressAndRepairs()
{
    SyncFixture sync(*m_db);
    QVERIFY(sync.start());
    QSignalSpy progress(&sync.engine(), &DataSyncService::taskProgress);
    QSignalSpy finished(&sync.engine(), &DataSyncService::taskFinished);
    QVERIFY(m_db->exec(QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'script'; "
                                      "INSERT INTO backend.users (email) VALUES ('late@example.com'); COMMIT")));
    const auto run = sync.engine().startConsistencyCheck(QStringLiteral("api:admin"));
    QVERIFY2(run.ok(), qPrintable(run.error()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("consistency_check"));
    QCOMPARE(finished.at(0).at(1).toLongLong(), run.value());
    QVERIFY(finished.at(0).at(2).toBool());
    QVERIFY(progress.size() >= 5);
    const QJsonObject report = finished.at(0).at(4).toJsonObject();
    QCOMPARE(report.value(QStringLiteral("issues_found")).toInt(), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT triggered_by || '/' || status FROM sync.consistency_runs WHERE id = ?"), {run.value()})
                 .toString(),
             QStringLiteral("api:admin/completed"));
    const BackgroundTaskStatus status = sync.engine().status().backgroundTasks.value(QStringLiteral("consistency_check"));
    QVERIFY(status.lastRun.isValid());
    QVERIFY(!status.running);
    QVERIFY2(status.lastResult.contains(QLatin1String("1 issue")), qPrintable(status.lastResult));
    // The repair was queued and the engine applied it.
    QVERIFY(sync.synced());
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM dashboard.customers WHERE email = 'late@example.com'")).toInt(), 1);
}

void TestBackgroundTasks::onlyOneInstanceRunsACheckAtATime()
{
    ConnectionProvider otherInstance(m_db->url(), QStringLiteral("other-instance"));
    auto other = otherInstance.database();
    QVERIFY(other.ok());
    QVERIFY(sql::exec(other.value(), QStringLiteral("SELECT pg_advisory_lock(1398361667, 10)")).ok());

    SyncFixture sync(*m_db);
    QVERIFY(sync.start());
    QSignalSpy finished(&sync.engine(), &DataSyncService::taskFinished);
    const auto run = sync.engine().startConsistencyCheck(QStringLiteral("test"));
    QVERIFY(run.ok());
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!finished.at(0).at(2).toBool());
    QVERIFY(finished.at(0).at(3).toString().contains(QLatin1String("another SyncDesk instance")));
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM sync.consistency_runs WHERE id = ?"), {run.value()}).toString(),
             QStringLiteral("cancelled"));
    QVERIFY(sql::exec(other.value(), QStringLiteral("SELECT pg_advisory_unlock(1398361667, 10)")).ok());
}

void TestBackgroundTasks::checksRunAtTheirInterval()
{
    EngineOptions options = SyncFixture::defaults();
    options.consistencyCheckIntervalHours = 0.5 / 3600.0; // every half second
    SyncFixture sync(*m_db, options);
    QVERIFY(sync.start());
    QTRY_VERIFY_WITH_TIMEOUT(m_db->value(QStringLiteral("SELECT count(*) FROM sync.consistency_runs WHERE triggered_by = 'schedule' "
                                                        "AND status = 'completed'"))
                                     .toInt()
                                 >= 2,
                             15000);
    QVERIFY(sync.engine().status().backgroundTasks.value(QStringLiteral("consistency_check")).nextRun.isValid());
}

void TestBackgroundTasks::aNewIntervalCountsFromNow()
{
    SyncFixture sync(*m_db); // hourly checks
    QVERIFY(sync.start());
    const auto nextCheck = [&sync]() {
        return sync.engine().status().backgroundTasks.value(QStringLiteral("consistency_check")).nextRun;
    };
    QTRY_VERIFY(nextCheck().isValid());
    QVERIFY(nextCheck() > QDateTime::currentDateTimeUtc().addSecs(50 * 60));

    // An admin wants a check every minute, from now on.
    QVERIFY(sync.engine().setTaskIntervals(1.0 / 60.0, 6.0).ok());
    QTRY_VERIFY(nextCheck() < QDateTime::currentDateTimeUtc().addSecs(61));
    QCOMPARE(sync.engine().options().consistencyCheckIntervalHours, 1.0 / 60.0);
}

void TestBackgroundTasks::settingsOutOfRangeAreRefusedAtRunTime_data()
{
    QTest::addColumn<double>("checkHours");
    QTest::addColumn<double>("cleanupHours");
    QTest::addColumn<double>("threshold");
    QTest::newRow("check interval zero") << 0.0 << 6.0 << 0.7;
    QTest::newRow("cleanup interval over a year") << 1.0 << 9000.0 << 0.7;
    QTest::newRow("interval not a number") << std::nan("") << 6.0 << 0.7;
    QTest::newRow("threshold above 1") << 1.0 << 6.0 << 1.5;
    QTest::newRow("threshold negative") << 1.0 << 6.0 << -0.1;
}

void TestBackgroundTasks::settingsOutOfRangeAreRefusedAtRunTime()
{
    QFETCH(double, checkHours);
    QFETCH(double, cleanupHours);
    QFETCH(double, threshold);
    SyncFixture sync(*m_db);
    QVERIFY(sync.start());
    const EngineOptions before = sync.engine().options();
    const Status intervals = sync.engine().setTaskIntervals(checkHours, cleanupHours);
    const Status ticketing = sync.engine().setAutoTicketing(threshold, false);
    QVERIFY(!intervals.ok() || !ticketing.ok());
    // Nothing of a refused change is applied.
    const EngineOptions after = sync.engine().options();
    if (!intervals.ok()) {
        QVERIFY(!intervals.error().isEmpty());
        QCOMPARE(after.consistencyCheckIntervalHours, before.consistencyCheckIntervalHours);
        QCOMPARE(after.eventCleanupIntervalHours, before.eventCleanupIntervalHours);
    }
    if (!ticketing.ok()) {
        QVERIFY(ticketing.error().contains(QStringLiteral("threshold")));
        QCOMPARE(after.autoTicketing.threshold, before.autoTicketing.threshold);
        QCOMPARE(after.autoTicketing.createTickets, before.autoTicketing.createTickets);
    }
}

void TestBackgroundTasks::cleanupDropsOldAppliedDaysButNeverPendingOrDeadChanges()
{
    // Two old days: one all applied, one still holding a dead change; plus old rows in the default partition.
    QVERIFY(m_db->exec(QStringLiteral(
        "CREATE TABLE sync.outbox_20200101 PARTITION OF sync.outbox FOR VALUES FROM ('2020-01-01 00:00+00') TO ('2020-01-02 00:00+00');"
        "CREATE TABLE sync.outbox_20200102 PARTITION OF sync.outbox FOR VALUES FROM ('2020-01-02 00:00+00') TO ('2020-01-03 00:00+00');"
        "INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, status, captured_at) VALUES "
        "('backend', 'customer', 'backend.users', 1, 'update', 'done', '2020-01-01 10:00+00'),"
        "('backend', 'customer', 'backend.users', 2, 'update', 'done', '2020-01-02 10:00+00'),"
        "('backend', 'customer', 'backend.users', 3, 'update', 'dead', '2020-01-02 11:00+00'),"
        "('backend', 'customer', 'backend.users', 4, 'update', 'done', '2020-03-01 10:00+00'),"
        "('backend', 'customer', 'backend.users', 5, 'update', 'pending', '2020-03-01 10:00+00');"
        "INSERT INTO sync.history (entity, direction, action, at) VALUES ('customer', 'none', 'old', '2020-01-01'),"
        "('customer', 'none', 'recent', now())")));
    SyncFixture sync(*m_db);
    sync.engine().pause(); // keep the pending change pending
    QVERIFY(sync.start());
    QSignalSpy finished(&sync.engine(), &DataSyncService::taskFinished);
    sync.engine().startCleanup(QStringLiteral("test"));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(finished.at(0).at(2).toBool(), qPrintable(finished.at(0).at(3).toString()));
    const QJsonObject report = finished.at(0).at(4).toJsonObject();
    QCOMPARE(report.value(QStringLiteral("partitions_dropped")).toInt(), 1);
    QCOMPARE(report.value(QStringLiteral("events_deleted")).toInt(), 2);
    QCOMPARE(m_db->value(QStringLiteral("SELECT to_regclass('sync.outbox_20200101') IS NULL")).toBool(), true);
    QCOMPARE(m_db->value(QStringLiteral("SELECT string_agg(entity_id || ':' || status, ',' ORDER BY entity_id) FROM sync.outbox")).toString(),
             QStringLiteral("3:dead,5:pending"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT string_agg(action, ',') FROM sync.history")).toString(), QStringLiteral("recent"));
}

QTEST_GUILESS_MAIN(TestBackgroundTasks)
#include "tst_backgroundtasks.moc"
