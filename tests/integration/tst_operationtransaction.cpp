#include "database/connectionprovider.h"
#include "database/sql.h"
#include "sync/operationtransaction.h"
#include "testdatabase.h"

#include <QTest>
#include <QThread>

#include <atomic>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// A person's operation (an API call, a click) races the workers for the same rows. When PostgreSQL
// picks the operation as a deadlock's victim it runs again, and nothing of the failed attempt stays:
// neither its writes nor its announcements.
class TestOperationTransaction final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void aRealDeadlockIsRunAgain();
    void onlyLockConflictsAreRunAgain_data();
    void onlyLockConflictsAreRunAgain();

private:
    qint64 addUser(const QString &email);
    std::unique_ptr<TestDatabase> m_db;
};

void TestOperationTransaction::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
}

void TestOperationTransaction::cleanup()
{
    m_db.reset();
}

qint64 TestOperationTransaction::addUser(const QString &email)
{
    return m_db->value(QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES (?, 'Someone') RETURNING id"), {email})
        .toLongLong();
}

void TestOperationTransaction::aRealDeadlockIsRunAgain()
{
    const qint64 first = addUser(QStringLiteral("first@example.com"));
    const qint64 second = addUser(QStringLiteral("second@example.com"));
    QVERIFY(m_db->exec(QStringLiteral("ALTER DATABASE \"%1\" SET deadlock_timeout = '200ms'").arg(m_db->name())));

    // A worker holds the second row and, a moment after the operation has started waiting for it, wants the first.
    std::atomic_bool workerFailed = false;
    std::atomic_bool workerHoldsSecond = false;
    std::atomic_bool operationHoldsFirst = false;
    std::unique_ptr<QThread> worker(QThread::create([&]() {
        ConnectionProvider connections(m_db->url(), QStringLiteral("worker"));
        auto db = connections.database();
        if (!db || !sql::exec(db.value(), QStringLiteral("BEGIN"))
            || !sql::exec(db.value(), QStringLiteral("SELECT id FROM backend.users WHERE id = ? FOR UPDATE"), {second})) {
            workerFailed = true;
            workerHoldsSecond = true;
            return;
        }
        workerHoldsSecond = true;
        while (!operationHoldsFirst)
            QThread::msleep(5);
        QThread::msleep(50); // the operation is waiting for the second row by now
        if (!sql::exec(db.value(), QStringLiteral("UPDATE backend.users SET phone = 'worker' WHERE id = ?"), {first}))
            workerFailed = true;
        sql::exec(db.value(), QStringLiteral("COMMIT"));
    }));
    worker->start();
    QTRY_VERIFY(workerHoldsSecond);

    ConnectionProvider connections(m_db->url(), QStringLiteral("operation"));
    QSqlDatabase db = connections.database().value();
    SyncConnections both{db, db, {}};
    int attempts = 0;
    LiveEvents announced;
    const auto announce = [&announced](const LiveEvents &events) { announced << events; };
    const OperationResult result = OperationTransaction::run(both, QStringLiteral("api"), announce,
                                                             [&](LiveEvents &live) -> OperationResult {
        ++attempts;
        live << LiveEvent{QStringLiteral("attempt"), QDateTime::currentDateTimeUtc(), QJsonObject{{QStringLiteral("n"), attempts}}};
        if (Status locked = sql::exec(db, QStringLiteral("UPDATE backend.users SET phone = ? WHERE id = ?"),
                                      {QStringLiteral("operation %1").arg(attempts), first});
            !locked)
            return OperationResult::fail(OperationResult::Failure::Failed, locked.error());
        operationHoldsFirst = true;
        if (Status locked = sql::exec(db, QStringLiteral("UPDATE backend.users SET phone = ? WHERE id = ?"),
                                      {QStringLiteral("operation %1").arg(attempts), second});
            !locked)
            return OperationResult::fail(OperationResult::Failure::Failed, locked.error());
        return OperationResult::ok(first);
    });
    worker->wait();

    QVERIFY2(result.success, qPrintable(result.error));
    QVERIFY(!workerFailed);
    QCOMPARE(attempts, 2);
    QCOMPARE(announced.size(), 1); // the first attempt's announcement was dropped
    QCOMPARE(announced.first().payload.value(QStringLiteral("n")).toInt(), 2);
    // The worker's change landed between the attempts; the operation's second attempt came last.
    QCOMPARE(m_db->value(QStringLiteral("SELECT phone FROM backend.users WHERE id = ?"), {first}).toString(),
             QStringLiteral("operation 2"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT phone FROM backend.users WHERE id = ?"), {second}).toString(),
             QStringLiteral("operation 2"));
}

void TestOperationTransaction::onlyLockConflictsAreRunAgain_data()
{
    QTest::addColumn<QStringList>("failures"); // the error of each attempt in turn; then it succeeds
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<int>("attempts");
    QTest::newRow("deadlock once") << QStringList{QStringLiteral("deadlock detected [40P01]")} << true << 2;
    QTest::newRow("serialization twice") << QStringList{QStringLiteral("could not serialize [40001]"),
                                                        QStringLiteral("could not serialize [40001]")}
                                         << true << 3;
    QTest::newRow("lock wait ran out") << QStringList{QStringLiteral("canceling statement due to lock timeout [55P03]")}
                                       << true << 2;
    QTest::newRow("unique violation: no retry") << QStringList{QStringLiteral("duplicate key [23505]")} << false << 1;
    QTest::newRow("not found: no retry") << QStringList{QStringLiteral("ticket 9 does not exist")} << false << 1;
    QTest::newRow("deadlocks every time: gives up") << QStringList(5, QStringLiteral("deadlock detected [40P01]")) << false
                                                    << 5;
}

void TestOperationTransaction::onlyLockConflictsAreRunAgain()
{
    QFETCH(QStringList, failures);
    QFETCH(bool, succeeds);
    QFETCH(int, attempts);
    QSqlDatabase db = m_db->db();
    SyncConnections both{db, db, {}};
    int made = 0;
    LiveEvents announced;
    int rowsSeenWhenAnnounced = -1;
    // What an operation announces is already true for everyone else: the sink runs after the commit.
    ConnectionProvider otherSession(m_db->url(), QStringLiteral("observer"));
    const auto announce = [&](const LiveEvents &events) {
        announced << events;
        QSqlDatabase observer = otherSession.database().value();
        rowsSeenWhenAnnounced =
            sql::scalar(observer, QStringLiteral("SELECT count(*) FROM backend.users WHERE full_name = 'Try'")).value().toInt();
    };
    const OperationResult result = OperationTransaction::run(both, QStringLiteral("api"), announce,
                                                             [&](LiveEvents &live) -> OperationResult {
        ++made;
        live << LiveEvent{QStringLiteral("attempt"), QDateTime::currentDateTimeUtc(), {}};
        // Every attempt writes; only the successful one may stay.
        if (Status inserted = sql::exec(db, QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES (?, 'Try')"),
                                        {QStringLiteral("try%1@example.com").arg(made)});
            !inserted)
            return OperationResult::fail(OperationResult::Failure::Failed, inserted.error());
        if (made <= failures.size())
            return OperationResult::fail(OperationResult::Failure::Failed, failures.at(made - 1));
        return OperationResult::ok(made);
    });
    QCOMPARE(result.success, succeeds);
    QCOMPARE(made, attempts);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE full_name = 'Try'")).toInt(), succeeds ? 1 : 0);
    QCOMPARE(announced.size(), succeeds ? 1 : 0); // a failed operation announces nothing
    QCOMPARE(rowsSeenWhenAnnounced, succeeds ? 1 : -1);
    // The origin tag kept the operation's own writes out of the outbox.
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestOperationTransaction)
#include "tst_operationtransaction.moc"
