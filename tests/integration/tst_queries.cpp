#include "demo/demoseeder.h"
#include "queries/conflictqueries.h"
#include "queries/consistencyqueries.h"
#include "queries/eventqueries.h"
#include "queries/searchqueries.h"
#include "tasks/consistencychecker.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QTest>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// What support staff read: one search over every source, conflicts, recent changes, check runs.
class TestQueries final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void searchFindsEverySource_data();
    void searchFindsEverySource();
    void searchIsSafeForAnyInput_data();
    void searchIsSafeForAnyInput();
    void searchPages();
    void conflictsAreListedWithTheirTotal();
    void recentEventsNewestFirst();
    void consistencyRunsAreReadBack();

private:
    static QSet<QString> sources(const QJsonObject &result);
    std::unique_ptr<TestDatabase> m_db;
};

void TestQueries::initTestCase()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    ReadConnections db{m_db->db(), m_db->db()};
    QVERIFY(DemoSeeder(DemoOptions{}).seed(db, db).ok());
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES ('annabelle.quist@example.com', "
                                      "'Annabelle Quist')")));
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES ('zq@example.com', 'Zygmunt Quelle')")));
}

void TestQueries::cleanupTestCase()
{
    m_db.reset();
}

QSet<QString> TestQueries::sources(const QJsonObject &result)
{
    QSet<QString> found;
    for (const QJsonValue &item : result.value(QStringLiteral("items")).toArray())
        found.insert(item.toObject().value(QStringLiteral("source")).toString());
    return found;
}

void TestQueries::searchFindsEverySource_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expectedSources");
    QTest::newRow("a word in tickets and messages") << "refund" << QStringList{"dashboard_ticket", "backend_ticket", "message"};
    QTest::newRow("a name prefix") << "annabel" << QStringList{"backend_user"};
    QTest::newRow("two words of a name") << "annabelle quist" << QStringList{"backend_user"};
    QTest::newRow("an e-mail address") << "annabelle.quist@example.com" << QStringList{"backend_user"};
    QTest::newRow("a helpdesk customer's name") << "zygmunt" << QStringList{"dashboard_customer"};
}

void TestQueries::searchFindsEverySource()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expectedSources);
    ReadConnections db{m_db->db(), m_db->db()};
    const auto result = SearchQueries::search(db, text, 200, 0);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(result->value(QStringLiteral("total")).toInt() > 0);
    const QSet<QString> found = sources(result.value());
    for (const QString &source : expectedSources)
        QVERIFY2(found.contains(source), qPrintable(QStringLiteral("%1 missing from %2").arg(source, QStringList(found.values()).join(QLatin1Char(',')))));
    // Best first.
    const QJsonArray items = result->value(QStringLiteral("items")).toArray();
    for (qsizetype i = 1; i < items.size(); ++i)
        QVERIFY(items.at(i - 1).toObject().value(QStringLiteral("rank")).toDouble() >= items.at(i).toObject().value(QStringLiteral("rank")).toDouble());
}

void TestQueries::searchIsSafeForAnyInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("only punctuation") << "!!! ??? ***";
    QTest::newRow("tsquery syntax") << "refund & | ! ( ) :* <->";
    QTest::newRow("sql") << "'; DROP TABLE backend.users; --";
    QTest::newRow("long") << QString(5000, QLatin1Char('a'));
    QTest::newRow("unicode") << "Grüße 日本 🚀";
}

void TestQueries::searchIsSafeForAnyInput()
{
    QFETCH(QString, text);
    ReadConnections db{m_db->db(), m_db->db()};
    const auto result = SearchQueries::search(db, text, 10, 0);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(result->contains(QStringLiteral("total")));
    QCOMPARE(m_db->value(QStringLiteral("SELECT to_regclass('backend.users') IS NOT NULL")).toBool(), true);
}

void TestQueries::searchPages()
{
    ReadConnections db{m_db->db(), m_db->db()};
    const auto first = SearchQueries::search(db, QStringLiteral("order"), 5, 0);
    const auto second = SearchQueries::search(db, QStringLiteral("order"), 5, 5);
    QVERIFY(first.ok() && second.ok());
    QVERIFY(first->value(QStringLiteral("total")).toInt() > 10);
    QCOMPARE(first->value(QStringLiteral("total")), second->value(QStringLiteral("total")));
    QCOMPARE(first->value(QStringLiteral("items")).toArray().size(), 5);
    QVERIFY(first->value(QStringLiteral("items")).toArray().first() != second->value(QStringLiteral("items")).toArray().first());
}

void TestQueries::conflictsAreListedWithTheirTotal()
{
    QVERIFY(m_db->exec(QStringLiteral(
        "INSERT INTO sync.conflicts (kind, entity, field, backend_value, dashboard_value, strategy, status) "
        "SELECT 'field', 'customer', CASE WHEN g % 2 = 0 THEN 'phone' ELSE 'email' END, '\"b\"', '\"d\"', 'manual_review', "
        "CASE WHEN g <= 7 THEN 'open' ELSE 'resolved' END FROM generate_series(1, 10) g")));
    ReadConnections db{m_db->db(), m_db->db()};
    ConflictListFilter open;
    open.status = QStringLiteral("open");
    open.limit = 3;
    const auto page = ConflictQueries::list(db, open);
    QVERIFY2(page.ok(), qPrintable(page.error()));
    QCOMPARE(page->value(QStringLiteral("total")).toInt(), 7);
    QCOMPARE(page->value(QStringLiteral("items")).toArray().size(), 3);
    ConflictListFilter phones;
    phones.field = QStringLiteral("phone");
    QCOMPARE(ConflictQueries::list(db, phones)->value(QStringLiteral("total")).toInt(), 5);
    const qint64 id = page->value(QStringLiteral("items")).toArray().first().toObject().value(QStringLiteral("id")).toInteger();
    bool exists = false;
    const auto one = ConflictQueries::get(db, id, &exists);
    QVERIFY(one.ok() && exists);
    QCOMPARE(one->value(QStringLiteral("backend_value")).toString(), QStringLiteral("b"));
    QVERIFY(!ConflictQueries::get(db, 999999, &exists).ok());
    QVERIFY(!exists);
}

void TestQueries::recentEventsNewestFirst()
{
    QVERIFY(m_db->exec(QStringLiteral("UPDATE backend.users SET locale = 'de' WHERE id IN (1, 2, 3)")));
    QVERIFY(m_db->exec(QStringLiteral("UPDATE dashboard.customers SET notes = 'x' WHERE id = (SELECT min(id) FROM dashboard.customers)")));
    ReadConnections db{m_db->db(), m_db->db()};
    const auto all = EventQueries::recent(db, EventFilter{QString(), QString(), QString(), 10});
    QVERIFY2(all.ok(), qPrintable(all.error()));
    QVERIFY(all->size() >= 4);
    QVERIFY(all->at(0).toObject().value(QStringLiteral("id")).toInteger() > all->at(1).toObject().value(QStringLiteral("id")).toInteger());
    QCOMPARE(all->at(0).toObject().value(QStringLiteral("side")).toString(), QStringLiteral("dashboard"));
    const auto backendOnly = EventQueries::recent(db, EventFilter{QStringLiteral("pending"), QStringLiteral("customer"),
                                                                  QStringLiteral("backend"), 2});
    QCOMPARE(backendOnly->size(), 2);
    QCOMPARE(backendOnly->at(0).toObject().value(QStringLiteral("after")).toObject().value(QStringLiteral("locale")).toString(),
             QStringLiteral("de"));
}

void TestQueries::consistencyRunsAreReadBack()
{
    ReadConnections db{m_db->db(), m_db->db()};
    ConsistencyChecker checker(db);
    const qint64 run = checker.createRun(QStringLiteral("test")).value();
    QVERIFY(checker.run(run, false).ok());
    bool exists = false;
    const auto read = ConsistencyQueries::run(db, run, &exists);
    QVERIFY2(read.ok(), qPrintable(read.error()));
    QCOMPARE(read->value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QVERIFY(read->value(QStringLiteral("report")).toObject().contains(QStringLiteral("checks")));
    QCOMPARE(ConsistencyQueries::latest(db, 5)->first().toObject().value(QStringLiteral("id")).toInteger(), run);
}

QTEST_GUILESS_MAIN(TestQueries)
#include "tst_queries.moc"
