#include "demo/demoseeder.h"
#include "queries/conflictqueries.h"
#include "queries/consistencyqueries.h"
#include "queries/eventqueries.h"
#include "queries/searchqueries.h"
#include "queries/throughputqueries.h"
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
    void aLinkedPairIsOneResultNamingBothSides();
    void conversationsAndMessagesNameTheirTicket();
    void everyPageHoldsOtherRecordsAndTheTotalCountsRecords();
    void conflictsAreListedWithTheirTotal();
    void recentEventsNewestFirst();
    void consistencyRunsAreReadBack();
    void throughputHistoryCountsAppliedAndWaitingChanges();

private:
    static QSet<QString> sources(const QJsonObject &result);
    static QJsonArray itemsOf(ReadConnections &db, const QString &text);
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
        found.insert(item[QLatin1String("type")].toString() + QLatin1Char('/') + item[QLatin1String("source")].toString());
    return found;
}

QJsonArray TestQueries::itemsOf(ReadConnections &db, const QString &text)
{
    const auto result = SearchQueries::search(db, text, 100, 0);
    if (!result)
        qWarning() << result.error();
    return result ? result->value(QStringLiteral("items")).toArray() : QJsonArray();
}

void TestQueries::searchFindsEverySource_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expectedSources");
    QTest::newRow("a word in tickets and messages") << "refund" << QStringList{"ticket/both", "message/backend"};
    QTest::newRow("a name prefix") << "annabel" << QStringList{"customer/backend"};
    QTest::newRow("two words of a name") << "annabelle quist" << QStringList{"customer/backend"};
    QTest::newRow("an e-mail address") << "annabelle.quist@example.com" << QStringList{"customer/backend"};
    QTest::newRow("a helpdesk customer's name") << "zygmunt" << QStringList{"customer/dashboard"};
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

void TestQueries::aLinkedPairIsOneResultNamingBothSides()
{
    // Quorra Vexley is in both systems and linked; two namesakes are each in one system only.
    const qint64 user = m_db->value(QStringLiteral("INSERT INTO backend.users (email, full_name, phone) VALUES "
                                                   "('quorra.vexley@example.com', 'Quorra Vexley', '+1 555 100 2000') RETURNING id")).toLongLong();
    const qint64 customer = m_db->value(QStringLiteral("INSERT INTO dashboard.customers (email, name, phone) VALUES "
                                                       "('quorra.vexley@example.com', 'Quorra Vexley', '+1 555 100 2000') RETURNING id")).toLongLong();
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO sync.links (entity, backend_id, dashboard_id) VALUES ('customer', ?, ?)"),
                       {user, customer}));
    const qint64 productOnly = m_db->value(QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES "
                                                          "('quorra.v@example.com', 'Quorra Vexington') RETURNING id")).toLongLong();
    const qint64 helpdeskOnly = m_db->value(QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES "
                                                           "('qv@example.com', 'Quorra Velasquez') RETURNING id")).toLongLong();
    ReadConnections db{m_db->db(), m_db->db()};
    const auto result = SearchQueries::search(db, QStringLiteral("quorra"), 20, 0);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->value(QStringLiteral("total")).toInt(), 3);
    QMap<QString, QJsonObject> bySource;
    for (const QJsonValue &item : result->value(QStringLiteral("items")).toArray())
        bySource.insert(item[QLatin1String("source")].toString(), item.toObject());
    QCOMPARE(bySource.keys(), (QStringList{"backend", "both", "dashboard"}));
    const QJsonObject pair = bySource.value(QStringLiteral("both"));
    QCOMPARE(pair.value(QStringLiteral("type")).toString(), QStringLiteral("customer"));
    QCOMPARE(pair.value(QStringLiteral("backend_id")).toInteger(), user);
    QCOMPARE(pair.value(QStringLiteral("dashboard_id")).toInteger(), customer);
    QCOMPARE(pair.value(QStringLiteral("title")).toString(), QStringLiteral("Quorra Vexley"));
    QCOMPARE(pair.value(QStringLiteral("differs")).toArray(), QJsonArray());
    QCOMPARE(bySource.value(QStringLiteral("backend")).value(QStringLiteral("backend_id")).toInteger(), productOnly);
    QVERIFY(bySource.value(QStringLiteral("backend")).value(QStringLiteral("dashboard_id")).isNull());
    QCOMPARE(bySource.value(QStringLiteral("dashboard")).value(QStringLiteral("dashboard_id")).toInteger(), helpdeskOnly);

    // When the sides currently differ, the one result says in what.
    QVERIFY(m_db->exec(QStringLiteral("UPDATE dashboard.customers SET phone = '+44 20 7946 0018' WHERE id = ?"), {customer}));
    const QJsonArray again = itemsOf(db, QStringLiteral("quorra.vexley@example.com"));
    QCOMPARE(again.size(), 1);
    QCOMPARE(again.first()[QLatin1String("differs")].toArray(), QJsonArray{QStringLiteral("phone")});

    // A linked ticket found on both sides is one result too, with both ids.
    const qint64 backendTicket = m_db->value(QStringLiteral("INSERT INTO backend.tickets (user_id, subject, description) VALUES "
                                                            "(?, 'Zanzibar shipment lost', 'The Zanzibar parcel never came') RETURNING id"),
                                             {user}).toLongLong();
    const qint64 dashboardTicket = m_db->value(QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject, description) VALUES "
                                                              "(?, 'Zanzibar shipment lost', 'The Zanzibar parcel never came') RETURNING id"),
                                               {customer}).toLongLong();
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO sync.links (entity, backend_id, dashboard_id) VALUES ('ticket', ?, ?)"),
                       {backendTicket, dashboardTicket}));
    const QJsonArray tickets = itemsOf(db, QStringLiteral("zanzibar"));
    QCOMPARE(tickets.size(), 1);
    QCOMPARE(tickets.first()[QLatin1String("type")].toString(), QStringLiteral("ticket"));
    QCOMPARE(tickets.first()[QLatin1String("source")].toString(), QStringLiteral("both"));
    QCOMPARE(tickets.first()[QLatin1String("backend_id")].toInteger(), backendTicket);
    QCOMPARE(tickets.first()[QLatin1String("dashboard_id")].toInteger(), dashboardTicket);
}

void TestQueries::conversationsAndMessagesNameTheirTicket()
{
    const auto linked = m_db->rows(QStringLiteral("SELECT ct.conversation_id, ct.dashboard_ticket_id, m.id FROM sync.conversation_tickets ct "
                                                  "JOIN backend.messages m ON m.conversation_id = ct.conversation_id "
                                                  "ORDER BY ct.conversation_id, m.id LIMIT 1"));
    QCOMPARE(linked.size(), 1);
    const qint64 conversation = linked[0][0].toLongLong();
    const qint64 message = linked[0][2].toLongLong();
    QVERIFY(m_db->exec(QStringLiteral("UPDATE backend.messages SET content = content || ' Xylophonic.' WHERE id = ?"), {message}));
    ReadConnections db{m_db->db(), m_db->db()};
    const QJsonArray items = itemsOf(db, QStringLiteral("xylophonic"));
    QCOMPARE(items.size(), 1);
    const QJsonObject found = items.first().toObject();
    QCOMPARE(found.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
    QCOMPARE(found.value(QStringLiteral("backend_id")).toInteger(), message);
    const QJsonObject details = found.value(QStringLiteral("details")).toObject();
    QCOMPARE(details.value(QStringLiteral("conversation_id")).toInteger(), conversation);
    QCOMPARE(details.value(QStringLiteral("ticket"))[QLatin1String("dashboard_id")].toInteger(), linked[0][1].toLongLong());
}

void TestQueries::everyPageHoldsOtherRecordsAndTheTotalCountsRecords()
{
    // Walks every page of a common word: each record once, as many as the total says, best first.
    ReadConnections db{m_db->db(), m_db->db()};
    QSet<QString> seen;
    QSet<qint64> links;
    qint64 total = -1;
    double previousRank = 1e9;
    int pairs = 0;
    for (int offset = 0; total < 0 || offset < total; offset += 7) {
        const auto page = SearchQueries::search(db, QStringLiteral("order"), 7, offset);
        QVERIFY2(page.ok(), qPrintable(page.error()));
        if (total < 0)
            total = page->value(QStringLiteral("total")).toInteger();
        QCOMPARE(page->value(QStringLiteral("total")).toInteger(), total);
        const QJsonArray items = page->value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), qMin<qint64>(7, total - offset));
        for (const QJsonValue &item : items) {
            const QString key = QStringLiteral("%1/%2/%3").arg(item[QLatin1String("type")].toString())
                                    .arg(item[QLatin1String("backend_id")].toInteger())
                                    .arg(item[QLatin1String("dashboard_id")].toInteger());
            QVERIFY2(!seen.contains(key), qPrintable(key));
            seen.insert(key);
            if (const qint64 link = item[QLatin1String("link_id")].toInteger(); link > 0) {
                QVERIFY2(!links.contains(link), "a linked pair appears once");
                links.insert(link);
            }
            pairs += item[QLatin1String("source")].toString() == QLatin1String("both") ? 1 : 0;
            QVERIFY(item[QLatin1String("rank")].toDouble() <= previousRank);
            previousRank = item[QLatin1String("rank")].toDouble();
        }
    }
    QVERIFY(total > 20);
    QCOMPARE(qint64(seen.size()), total);
    // The demo's linked tickets about orders are among them, each once with both ids.
    QVERIFY(pairs > 0);
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

void TestQueries::throughputHistoryCountsAppliedAndWaitingChanges()
{
    // Five minutes ending an hour ago, per minute: three changes applied in the first, one that waited
    // from before the window and was applied in the third, two captured in the fourth still waiting,
    // and a dead one, which no queue counts.
    const QDateTime end = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() / 60 * 60 - 3600, Qt::UTC);
    const auto at = [&](int secondsBeforeEnd) { return end.addSecs(-secondsBeforeEnd).toString(Qt::ISODateWithMs); };
    const QString insert = QStringLiteral("INSERT INTO sync.outbox (captured_at, side, entity, table_name, entity_id, operation, "
                                          "status, processed_at) VALUES (?, 'backend', 'customer', 'backend.users', 1, 'update', ?, ?)");
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_db->exec(insert, {at(270), QStringLiteral("done"), at(260)}));
    QVERIFY(m_db->exec(insert, {at(360), QStringLiteral("done"), at(150)}));
    for (int i = 0; i < 2; ++i)
        QVERIFY(m_db->exec(insert, {at(90), QStringLiteral("pending"), QVariant(QMetaType(QMetaType::QString))}));
    QVERIFY(m_db->exec(insert, {at(210), QStringLiteral("dead"), QVariant(QMetaType(QMetaType::QString))}));
    ReadConnections db{m_db->db(), m_db->db()};
    const auto periods = ThroughputQueries::history(db, end, 60, 5);
    QVERIFY2(periods.ok(), qPrintable(periods.error()));
    QCOMPARE(periods->size(), 5);
    const QList<double> applied{3.0 / 60, 0, 1.0 / 60, 0, 0};
    const QList<qint64> queued{1, 1, 0, 2, 2};
    for (int i = 0; i < 5; ++i) {
        const QJsonObject period = periods->at(i).toObject();
        QCOMPARE(QDateTime::fromString(period.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs), end.addSecs(-60 * (4 - i)));
        QCOMPARE(period.value(QStringLiteral("events_per_second")).toDouble(), applied.at(i));
        QCOMPARE(period.value(QStringLiteral("queued")).toInteger(), queued.at(i));
    }
}

QTEST_GUILESS_MAIN(TestQueries)
#include "tst_queries.moc"
