#include "database/connectionprovider.h"
#include "database/sql.h"
#include "testdatabase.h"

#include <QTest>
#include <QThread>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

namespace {

qint64 backendPid(ConnectionProvider &connections)
{
    auto db = connections.database();
    if (!db)
        return -1;
    auto pid = sql::scalar(db.value(), QStringLiteral("SELECT pg_backend_pid()"));
    return pid ? pid.value().toLongLong() : -1;
}

} // namespace

// Each thread its own connection, opened on first use, re-opened after the server dropped it.
class TestConnectionProvider final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sameThreadReusesItsConnection();
    void everyThreadGetsItsOwn();
    void connectionClosesWithItsThread();
    void reconnectsAfterTheServerDroppedIt();
    void unreachableServerGivesAClearMessage();

private:
    std::unique_ptr<TestDatabase> m_db;
};

void TestConnectionProvider::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
}

void TestConnectionProvider::cleanup()
{
    m_db.reset();
}

void TestConnectionProvider::sameThreadReusesItsConnection()
{
    ConnectionProvider connections(m_db->url(), QStringLiteral("reuse"));
    const qint64 first = backendPid(connections);
    QVERIFY(first > 0);
    QCOMPARE(backendPid(connections), first);
}

void TestConnectionProvider::everyThreadGetsItsOwn()
{
    ConnectionProvider connections(m_db->url(), QStringLiteral("threads"));
    const qint64 mainPid = backendPid(connections);
    QList<qint64> pids;
    QList<QThread *> threads;
    QMutex mutex;
    for (int i = 0; i < 3; ++i) {
        threads << QThread::create([&]() {
            const qint64 pid = backendPid(connections);
            QMutexLocker locker(&mutex);
            pids << pid;
        });
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(30000));
        delete thread;
    }
    QCOMPARE(pids.size(), 3);
    QSet<qint64> distinct(pids.cbegin(), pids.cend());
    distinct.insert(mainPid);
    QCOMPARE(distinct.size(), 4);
    QVERIFY(!distinct.contains(-1));
}

void TestConnectionProvider::connectionClosesWithItsThread()
{
    ConnectionProvider connections(m_db->url(), QStringLiteral("short-lived"));
    const auto openByThreads = [&]() {
        return m_db
            ->value(QStringLiteral(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'syncdesk-short-lived'"))
            .toInt();
    };
    QThread *thread = QThread::create([&]() { backendPid(connections); });
    thread->start();
    QVERIFY(thread->wait(30000));
    delete thread;
    QTRY_COMPARE(openByThreads(), 0);
}

void TestConnectionProvider::reconnectsAfterTheServerDroppedIt()
{
    ConnectionProvider connections(m_db->url(), QStringLiteral("dropped"));
    const qint64 before = backendPid(connections);
    QVERIFY(before > 0);
    // The server goes away for this session (as after a restart or an idle-timeout kill).
    QVERIFY(m_db->exec(QStringLiteral("SELECT pg_terminate_backend(?)"), {before}));
    // The first statement afterwards fails; the provider notices and the next request reconnects.
    auto db = connections.database();
    QVERIFY(db.ok());
    QVERIFY(!sql::exec(db.value(), QStringLiteral("SELECT 1")).ok());
    const qint64 after = backendPid(connections);
    QVERIFY(after > 0);
    QVERIFY(after != before);
}

void TestConnectionProvider::unreachableServerGivesAClearMessage()
{
    const DatabaseUrl nowhere =
        DatabaseUrl::parse(QStringLiteral("postgresql://u:topsecret@/app?host=/nonexistent-socket-dir"))
            .value();
    ConnectionProvider connections(nowhere, QStringLiteral("backend"));
    const auto db = connections.database();
    QVERIFY(!db.ok());
    QVERIFY2(db.error().contains(QLatin1String("cannot connect to the backend database")),
             qPrintable(db.error()));
    QVERIFY2(!db.error().contains(QLatin1String("topsecret")), qPrintable(db.error()));
}

QTEST_GUILESS_MAIN(TestConnectionProvider)
#include "tst_connectionprovider.moc"
