#include "database/connectionprovider.h"
#include "database/sql.h"
#include "sync/outboxqueue.h"
#include "testdatabase.h"

#include <QTest>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// The queue the workers share: who gets which captured change, in what order, and what a done mark
// touches. Two workers are two connections, each in its own transaction.
class TestOutboxQueue final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void aWorkerTakesDueChangesOldestFirst_data();
    void aWorkerTakesDueChangesOldestFirst();
    void twoWorkersNeverTakeTheSameChange();
    void twoWorkersShareABacklog();
    void aDoneMarkTouchesOnlyTheChangesItNames();
    void aDoneMarkWithinTheCaptureWindowReachesAcrossMidnight();

private:
    // Queues a customer change `dueInSeconds` from now; returns its id.
    qint64 queueChange(int dueInSeconds = 0) const;
    QSqlDatabase worker(const QString &name);
    static QList<qint64> idsOf(const Result<OutboxEvents> &events);

    std::unique_ptr<TestDatabase> m_db;
    std::vector<std::unique_ptr<ConnectionProvider>> m_workers;
};

void TestOutboxQueue::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
}

void TestOutboxQueue::cleanup()
{
    m_workers.clear();
    m_db.reset();
}

qint64 TestOutboxQueue::queueChange(int dueInSeconds) const
{
    return m_db
        ->value(QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, next_attempt_at) "
                               "VALUES ('backend', 'customer', 'backend.users', 1, 'update', now() + ? * interval '1 second') "
                               "RETURNING id"),
                {dueInSeconds})
        .toLongLong();
}

QSqlDatabase TestOutboxQueue::worker(const QString &name)
{
    m_workers.push_back(std::make_unique<ConnectionProvider>(m_db->url(), name));
    auto db = m_workers.back()->database();
    if (!db) {
        qWarning() << db.error();
        return {};
    }
    sql::exec(db.value(), QStringLiteral("BEGIN"));
    return db.value();
}

QList<qint64> TestOutboxQueue::idsOf(const Result<OutboxEvents> &events)
{
    QList<qint64> ids;
    if (!events) {
        qWarning() << events.error();
        return ids;
    }
    for (const OutboxEvent &event : events.value())
        ids << event.id;
    return ids;
}

void TestOutboxQueue::aWorkerTakesDueChangesOldestFirst_data()
{
    QTest::addColumn<QList<int>>("dueInSeconds"); // per change, in the order they were captured
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("after");        // -1: the whole queue; else only changes captured after this one
    QTest::addColumn<bool>("linked");      // whether the customer the changes are for is linked already
    QTest::addColumn<QList<int>>("taken"); // indexes into the changes
    QTest::newRow("all due, all fit") << QList<int>{0, 0, 0} << 10 << -1 << true << QList<int>{0, 1, 2};
    QTest::newRow("all due, the batch is full") << QList<int>{0, 0, 0} << 2 << -1 << true << QList<int>{0, 1};
    QTest::newRow("the oldest waits out a backoff")
        << QList<int>{600, 0, 0} << 10 << -1 << true << QList<int>{1, 2};
    QTest::newRow("a retry that is due again goes first")
        << QList<int>{-5, 0, 600, 0} << 2 << -1 << true << QList<int>{0, 1};
    QTest::newRow("not linked yet: the whole queue is the same")
        << QList<int>{0, 0, 0} << 10 << -1 << false << QList<int>{0, 1, 2};
    QTest::newRow("changes made during a backlog, oldest first")
        << QList<int>{0, 0, 0, 0, 0, 0} << 2 << 2 << true << QList<int>{3, 4};
    QTest::newRow("during a backlog, a backoff is passed over too")
        << QList<int>{0, 0, 0, 600, 0} << 2 << 1 << true << QList<int>{2, 4};
    QTest::newRow("nothing new since the backlog began")
        << QList<int>{0, 0, 0} << 10 << 2 << true << QList<int>{};
    // Its creation waits in the backlog: a later change must not overtake it.
    QTest::newRow("during a backlog, a record not linked yet keeps its place")
        << QList<int>{0, 0, 0, 0} << 2 << 1 << false << QList<int>{};
}

void TestOutboxQueue::aWorkerTakesDueChangesOldestFirst()
{
    QFETCH(QList<int>, dueInSeconds);
    QFETCH(int, limit);
    QFETCH(int, after);
    QFETCH(bool, linked);
    QFETCH(QList<int>, taken);
    if (linked)
        QVERIFY(m_db->exec(QStringLiteral(
            "INSERT INTO sync.links (entity, backend_id, dashboard_id) VALUES ('customer', 1, 1)")));
    QList<qint64> ids;
    for (int due : dueInSeconds)
        ids << queueChange(due);
    QList<qint64> expected;
    for (int index : taken)
        expected << ids.at(index);

    QSqlDatabase db = worker(QStringLiteral("worker-1"));
    QCOMPARE(idsOf(after < 0 ? OutboxQueue::claim(db, limit)
                             : OutboxQueue::claimNewer(db, limit, ids.at(after), ids.last())),
             expected);
}

void TestOutboxQueue::twoWorkersNeverTakeTheSameChange()
{
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids << queueChange();
    QSqlDatabase first = worker(QStringLiteral("worker-1"));
    QSqlDatabase second = worker(QStringLiteral("worker-2"));

    QCOMPARE(idsOf(OutboxQueue::claim(first, 3)), ids.mid(0, 3));
    // The second passes over what the first holds, and over what it was told to leave.
    QCOMPARE(idsOf(OutboxQueue::claim(second, 5, {ids.at(3)})), QList<qint64>{ids.at(4)});
    // Named ones too: what the first holds is not handed out again.
    QCOMPARE(idsOf(OutboxQueue::claimIds(second, {ids.at(0), ids.at(3)})), QList<qint64>{ids.at(3)});
    QSqlDatabase third = worker(QStringLiteral("worker-3"));
    QCOMPARE(idsOf(OutboxQueue::claim(third, 5)), QList<qint64>{});
}

void TestOutboxQueue::twoWorkersShareABacklog()
{
    // A bulk import's 3,000 new customers; a worker takes the oldest 1,000 and notes where the queue
    // ends. Then a linked customer's edit: the other worker's small batch of what came after the mark carries
    // it, and a third worker's batch is the next 1,000 of the import.
    QVERIFY(
        m_db->exec(QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation) "
                                  "SELECT 'dashboard', 'customer', 'dashboard.customers', g, 'insert' "
                                  "FROM generate_series(1, 3000) g")));
    QSqlDatabase first = worker(QStringLiteral("worker-1"));
    const QList<qint64> oldest = idsOf(OutboxQueue::claim(first, 1000));
    const auto mark = OutboxQueue::highWater(first);
    QVERIFY2(mark, qPrintable(mark.error()));
    QVERIFY(m_db->exec(QStringLiteral(
        "INSERT INTO sync.links (entity, backend_id, dashboard_id) VALUES ('customer', 1, 1)")));
    const qint64 edit = queueChange(0);
    QSqlDatabase second = worker(QStringLiteral("worker-2")); // transactions that began after the edit
    QSqlDatabase third = worker(QStringLiteral("worker-3"));
    QCOMPARE(idsOf(OutboxQueue::claimNewer(second, 50, mark.value(), edit)), QList<qint64>{edit});
    const QList<qint64> next = idsOf(OutboxQueue::claim(third, 1000));
    QCOMPARE(oldest.size(), 1000);
    QCOMPARE(next.size(), 1000);
    QCOMPARE(next.first(), oldest.last() + 1);
    QVERIFY(mark.value() >= next.last() + 1000);
}

void TestOutboxQueue::aDoneMarkTouchesOnlyTheChangesItNames()
{
    QList<qint64> ids;
    for (int i = 0; i < 4; ++i)
        ids << queueChange();
    QVERIFY(m_db->exec(QStringLiteral("UPDATE sync.outbox SET status = 'dead' WHERE id = ?"), {ids.at(3)}));
    QSqlDatabase db = worker(QStringLiteral("worker-1"));
    QCOMPARE(idsOf(OutboxQueue::claim(db, 10)), ids.mid(0, 3));

    QVERIFY(OutboxQueue::markDone(db, {ids.at(0), ids.at(2), ids.at(3)}));
    QVERIFY(sql::exec(db, QStringLiteral("COMMIT")));
    // The dead change stays dead: only pending changes are marked done.
    QCOMPARE(m_db->value(QStringLiteral("SELECT string_agg(status, ',' ORDER BY id) FROM sync.outbox")).toString(),
             QStringLiteral("done,pending,done,dead"));
}

// A batch claimed just after midnight holds changes from two day partitions; the done mark, planned
// for the partitions of the batch's capture window only, reaches both. Times are claimed rounded to
// the millisecond; these are a fraction of one either side of midnight.
void TestOutboxQueue::aDoneMarkWithinTheCaptureWindowReachesAcrossMidnight()
{
    QList<qint64> ids;
    for (const char *offset : {"-0.4 milliseconds", "0.6 milliseconds", "2 hours"}) {
        ids << m_db->value(QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, "
                                          "operation, captured_at) "
                                          "VALUES ('backend', 'customer', 'backend.users', 1, 'update', "
                                          "date_trunc('day', now()) + ?::interval) RETURNING id"),
                           {QString::fromLatin1(offset)})
                   .toLongLong();
    }
    QSqlDatabase db = worker(QStringLiteral("worker-1"));
    const auto claimed = OutboxQueue::claim(db, 2);
    QCOMPARE(idsOf(claimed), ids.mid(0, 2));
    const OutboxQueue::CaptureWindow window{claimed->at(0).capturedAt.toMSecsSinceEpoch(),
                                            claimed->at(1).capturedAt.toMSecsSinceEpoch()};
    // The window bounds the mark: the change two hours later is outside it, though named.
    QVERIFY(OutboxQueue::markDone(db, ids, window));
    QVERIFY(sql::exec(db, QStringLiteral("COMMIT")));
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT string_agg(status, ',' ORDER BY id) FROM sync.outbox")).toString(),
        QStringLiteral("done,done,pending"));
}

QTEST_GUILESS_MAIN(TestOutboxQueue)
#include "tst_outboxqueue.moc"
