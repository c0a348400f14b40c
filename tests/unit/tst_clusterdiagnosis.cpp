#include "database/clusterdiagnosis.h"

#include <QTest>

using namespace syncdesk;

// What initdb, pg_ctl and the server print, turned into one sentence an admin can act on.
class TestClusterDiagnosis final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void explains_data();
    void explains();
};

void TestClusterDiagnosis::explains_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<int>("problem");
    QTest::addColumn<QString>("expected");

    using P = ClusterDiagnosis::Problem;
    QTest::newRow("initdb on a full disk")
        << "initdb: error: could not write to file \"/d/pg/base/1/1249\": No space left on device"
        << int(P::DiskFull) << "disk holding /d/pg is full";
    QTest::newRow("server cannot extend a file")
        << "FATAL:  could not extend file \"base/5/16384\": wrote only 4096 of 8192 bytes" << int(P::DiskFull)
        << "is full";
    QTest::newRow("socket lock taken")
        << "FATAL:  could not create lock file \"/d/run/.s.PGSQL.5432.lock\": File exists"
        << int(P::SocketInUse) << "socket in /d/pg is already in use";
    QTest::newRow("socket lock of a live server")
        << "FATAL:  lock file \"/d/run/.s.PGSQL.5432.lock\" already exists\nHINT:  Is another postmaster "
           "(PID 9) using socket file \"/d/run/.s.PGSQL.5432\"?"
        << int(P::SocketInUse) << "already in use";
    QTest::newRow("port taken") << "LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use"
                                << int(P::SocketInUse) << "already in use";
    QTest::newRow("no socket could be made")
        << "FATAL:  could not create any Unix-domain sockets" << int(P::SocketInUse) << "already in use";
    QTest::newRow("data folder locked") << "FATAL:  lock file \"postmaster.pid\" already exists\nHINT:  Is "
                                           "another postmaster (PID 77) running?"
                                        << int(P::DataDirInUse) << "data folder /d/pg is in use";
    QTest::newRow("old children alive")
        << "FATAL:  pre-existing shared memory block (key 5432001, ID 1) is still in use"
        << int(P::OldProcessesAlive) << "still running";
    QTest::newRow("other major version") << "FATAL:  database files are incompatible with server\nDETAIL:  "
                                            "The data directory was initialized by "
                                            "PostgreSQL version 14"
                                         << int(P::VersionMismatch) << "another PostgreSQL major version";
    QTest::newRow("permissions") << "FATAL:  could not open file \"global/pg_control\": Permission denied"
                                 << int(P::PermissionDenied) << "permission denied";
    QTest::newRow("something else")
        << "LOG:  starting\nFATAL:  invalid value for parameter \"work_mem\": \"lots\"" << int(P::Unknown)
        << "invalid value for parameter";
    QTest::newRow("nothing said") << "" << int(P::None) << "without saying why";
}

void TestClusterDiagnosis::explains()
{
    QFETCH(QString, output);
    QFETCH(int, problem);
    QFETCH(QString, expected);
    QCOMPARE(int(ClusterDiagnosis::classify(output)), problem);
    const QString message =
        ClusterDiagnosis::explain(output, QStringLiteral("/d/pg"), QStringLiteral("/d/pg/server.log"));
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1Char('\n')), "the explanation must be one line");
}

QTEST_GUILESS_MAIN(TestClusterDiagnosis)
#include "tst_clusterdiagnosis.moc"
