#include "service/servicestatus.h"

#include <QJsonObject>
#include <QTest>

using namespace syncdesk;

// What the window, the status API and the service say about a backlog being worked off (a bulk
// import, an adoption): how long it takes at the current rate, and nothing made up when idle.
class TestServiceStatus final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timeLeftFollowsTheRate_data();
    void timeLeftFollowsTheRate();
};

void TestServiceStatus::timeLeftFollowsTheRate_data()
{
    QTest::addColumn<qint64>("due");
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("secondsLeft"); // -1: unknown, reported as null
    QTest::newRow("an import being applied") << qint64(300000) << 15000.0 << 20.0;
    QTest::newRow("nothing waits") << qint64(0) << 250.0 << -1.0;
    QTest::newRow("changes wait, nothing is applied (paused, or the database is away)")
        << qint64(5000) << 0.0 << -1.0;
}

void TestServiceStatus::timeLeftFollowsTheRate()
{
    QFETCH(qint64, due);
    QFETCH(double, rate);
    QFETCH(double, secondsLeft);
    ServiceStatus status;
    status.dueEvents = due;
    status.queuedEvents = due;
    status.eventsPerSecond = rate;
    QCOMPARE(status.secondsLeft(), secondsLeft);
    const QJsonValue reported =
        status.toJson().value(QStringLiteral("throughput")).toObject().value(QStringLiteral("seconds_left"));
    if (secondsLeft < 0)
        QVERIFY(reported.isNull());
    else
        QCOMPARE(reported.toDouble(), secondsLeft);
}

QTEST_GUILESS_MAIN(TestServiceStatus)
#include "tst_servicestatus.moc"
