#include "database/connectiontest.h"
#include "demo/demoseeder.h"
#include "queries/conflictrecordqueries.h"
#include "queries/conversationqueries.h"
#include "queries/customerqueries.h"
#include "queries/ticketqueries.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// The read models behind the window: both systems' records side by side with their sync state,
// conversations with their latest analysis, a conflict with both records field by field.
class TestWindowQueries final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void eachCustomerPairHasItsSyncState_data();
    void eachCustomerPairHasItsSyncState();
    void textFiltersTakeWildcardsLiterally();
    void aCustomersOpenTicketsComeFirst();
    void conversationsCarryTheirLatestAnalysis();
    void aConflictComparesBothRecordsFieldByField();
    void aConnectionTestSaysWhoAnswered();

private:
    QJsonObject pairOf(qint64 backendId, qint64 dashboardId);
    std::unique_ptr<TestDatabase> m_db;
    qint64 m_linkedUser = 0;
};

void TestWindowQueries::initTestCase()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    ReadConnections db{m_db->db(), m_db->db()};
    DemoOptions demo;
    demo.customers = 40;
    QVERIFY(DemoSeeder(demo).seed(db, db).ok());
    m_linkedUser =
        m_db->value(
                "SELECT backend_id FROM sync.links WHERE entity = 'customer' AND dashboard_id IS NOT NULL "
                "ORDER BY backend_id LIMIT 1")
            .toLongLong();
}

void TestWindowQueries::cleanupTestCase()
{
    m_db.reset();
}

QJsonObject TestWindowQueries::pairOf(qint64 backendId, qint64 dashboardId)
{
    ReadConnections db{m_db->db(), m_db->db()};
    RecordListFilter filter;
    filter.limit = 1000;
    auto list = CustomerQueries::list(db, filter);
    if (!list)
        return {};
    for (const QJsonValue &item : list->value("items").toArray()) {
        const QJsonObject pair = item.toObject();
        if ((backendId && pair.value("backend_id").toInteger() == backendId) ||
            (dashboardId && pair.value("dashboard_id").toInteger() == dashboardId))
            return pair;
    }
    return {};
}

void TestWindowQueries::eachCustomerPairHasItsSyncState_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("differs");
    QTest::newRow("seeded and linked") << ""
                                       << "in_sync"
                                       << "";
    QTest::newRow("a change waits in the outbox") << "UPDATE backend.users SET phone = '+1 999' WHERE id = %1"
                                                  << "pending"
                                                  << "phone";
    QTest::newRow("drifted with nothing pending")
        << "SET LOCAL syncdesk.origin = 'test'; UPDATE dashboard.customers SET company = 'Elsewhere' WHERE "
           "id = "
           "(SELECT dashboard_id FROM sync.links WHERE entity = 'customer' AND backend_id = %1)"
        << "differs"
        << "company";
    QTest::newRow("an open conflict") << "INSERT INTO sync.conflicts (kind, entity, link_id, backend_id, "
                                         "dashboard_id, field, strategy) SELECT 'field', "
                                         "'customer', id, backend_id, dashboard_id, 'email', 'manual_review' "
                                         "FROM sync.links WHERE entity = 'customer' AND "
                                         "backend_id = %1"
                                      << "conflict"
                                      << "";
}

void TestWindowQueries::eachCustomerPairHasItsSyncState()
{
    QFETCH(QString, setup);
    QFETCH(QString, state);
    QFETCH(QString, differs);
    QVERIFY(m_db->exec("BEGIN"));
    if (!setup.isEmpty()) {
        for (const QString &statement : setup.arg(m_linkedUser).split("; "))
            QVERIFY(m_db->exec(statement));
    }
    const QJsonObject pair = pairOf(m_linkedUser, 0);
    QVERIFY(m_db->exec("ROLLBACK"));
    QCOMPARE(pair.value("state").toString(), state);
    QCOMPARE(pair.value("backend").toObject().isEmpty(), false);
    QCOMPARE(pair.value("dashboard").toObject().isEmpty(), false);
    if (!differs.isEmpty())
        QVERIFY2(pair.value("differs").toArray().contains(differs), qPrintable(QJsonDocument(pair).toJson()));
}

void TestWindowQueries::textFiltersTakeWildcardsLiterally()
{
    QVERIFY(m_db->exec("BEGIN"));
    QVERIFY(m_db->exec("SET LOCAL syncdesk.origin = 'test'"));
    QVERIFY(m_db->exec(
        "INSERT INTO backend.users (email, full_name) VALUES ('only_here@example.com', '100% Product')"));
    ReadConnections db{m_db->db(), m_db->db()};
    RecordListFilter filter;
    filter.text = "100%";
    auto percent = CustomerQueries::list(db, filter);
    filter.text = "ONLY_HERE";
    auto email = CustomerQueries::list(db, filter);
    filter.text = "_";
    filter.state = "backend_only";
    auto underscore = CustomerQueries::list(db, filter);
    QVERIFY(m_db->exec("ROLLBACK"));
    QVERIFY2(percent.ok(), qPrintable(percent.error()));
    QCOMPARE(percent->value("total").toInt(), 1);
    const QJsonObject only = percent->value("items").toArray().first().toObject();
    QCOMPARE(only.value("state").toString(), QStringLiteral("backend_only"));
    QVERIFY(only.value("dashboard").isNull());
    QCOMPARE(email->value("total").toInt(), 1);
    QCOMPARE(underscore->value("total").toInt(), 1);
}

void TestWindowQueries::aCustomersOpenTicketsComeFirst()
{
    ReadConnections db{m_db->db(), m_db->db()};
    const qint64 customer =
        m_db->value("SELECT dashboard_id FROM sync.links WHERE entity = 'customer' AND backend_id = ?",
                    {m_linkedUser})
            .toLongLong();
    QVERIFY(m_db->exec("BEGIN"));
    QVERIFY(m_db->exec("SET LOCAL syncdesk.origin = 'test'"));
    QVERIFY(m_db->exec(
        "INSERT INTO dashboard.tickets (customer_id, subject, status) VALUES (?, 'Mine and open', 'open'), "
        "(?, 'Mine but closed', 'closed')",
        {customer, customer}));
    RecordListFilter filter;
    filter.userId = m_linkedUser;
    filter.openOnly = true;
    auto mine = TicketQueries::list(db, filter);
    filter.userFirst = true;
    auto firstThenOthers = TicketQueries::list(db, filter);
    QVERIFY(m_db->exec("ROLLBACK"));
    QVERIFY2(mine.ok(), qPrintable(mine.error()));
    QVERIFY(mine->value("total").toInt() >= 1);
    QStringList subjects;
    for (const QJsonValue &item : mine->value("items").toArray()) {
        QVERIFY(item.toObject().value("of_user").toBool());
        subjects << item.toObject().value("dashboard").toObject().value("subject").toString();
    }
    QVERIFY(subjects.contains("Mine and open"));
    QVERIFY(!subjects.contains("Mine but closed"));
    const QJsonArray all = firstThenOthers->value("items").toArray();
    QVERIFY(all.size() > mine->value("items").toArray().size());
    bool others = false;
    for (const QJsonValue &item : all) {
        if (!item.toObject().value("of_user").toBool())
            others = true;
        else
            QVERIFY2(!others, "the customer's own tickets come before everyone else's");
    }
    QVERIFY(others);
}

void TestWindowQueries::conversationsCarryTheirLatestAnalysis()
{
    ReadConnections db{m_db->db(), m_db->db()};
    const qint64 conversation = m_db->value("SELECT min(id) FROM backend.conversations").toLongLong();
    QVERIFY(m_db->exec("BEGIN"));
    // Only this test's verdicts: the seeded ones depend on the shipped model (rolled back below).
    QVERIFY(m_db->exec("DELETE FROM sync.analyses"));
    QVERIFY(m_db->exec(
        "INSERT INTO sync.analyses (conversation_id, analyzer_version, confidence, result, category, "
        "priority, "
        "sentiment, signals, created_at) VALUES (?, 't', 0.2, 'no_action', 'general', 'low', 0, '[]', now() "
        "- "
        "interval '1 hour'), (?, 't', 0.93, 'needs_review', 'refund', 'high', -0.5, "
        "'[{\"name\": \"refund_request\", \"detail\": \"asks for money back\", \"weight\": 1.2}]', now())",
        {conversation, conversation}));
    ConversationFilter review;
    review.view = "needs_review";
    auto listed = ConversationQueries::list(db, review);
    ConversationFilter above;
    above.view = "above_threshold_without_ticket";
    above.threshold = 0.9;
    auto aboveThreshold = ConversationQueries::list(db, above);
    auto detail = ConversationQueries::get(db, conversation);
    bool exists = true;
    auto missing = ConversationQueries::get(db, 987654321, &exists);
    QVERIFY(m_db->exec("ROLLBACK"));
    QVERIFY2(listed.ok(), qPrintable(listed.error()));
    QCOMPARE(listed->value("total").toInt(), 1);
    const QJsonObject item = listed->value("items").toArray().first().toObject();
    QCOMPARE(item.value("id").toInteger(), conversation);
    QCOMPARE(item.value("analysis").toObject().value("confidence").toDouble(), 0.93);
    QVERIFY(item.value("message_count").toInt() > 0);
    QVERIFY(aboveThreshold->value("total").toInt() >= 1);
    QVERIFY2(detail.ok(), qPrintable(detail.error()));
    QVERIFY(detail->value("messages").toArray().size() > 0);
    QCOMPARE(detail->value("analysis")
                 .toObject()
                 .value("signals")
                 .toArray()
                 .first()
                 .toObject()
                 .value("name")
                 .toString(),
             QStringLiteral("refund_request"));
    QVERIFY(!missing.ok());
    QVERIFY(!exists);
}

void TestWindowQueries::aConflictComparesBothRecordsFieldByField()
{
    ReadConnections db{m_db->db(), m_db->db()};
    QVERIFY(m_db->exec("BEGIN"));
    QVERIFY(m_db->exec("SET LOCAL syncdesk.origin = 'test'"));
    QVERIFY(m_db->exec("UPDATE backend.users SET phone = '+1 B' WHERE id = ?", {m_linkedUser}));
    QVERIFY(m_db->exec(
        "UPDATE dashboard.customers SET phone = '+1 D' WHERE id = (SELECT dashboard_id FROM sync.links WHERE "
        "entity = 'customer' AND backend_id = ?)",
        {m_linkedUser}));
    const qint64 id =
        m_db->value(
                "INSERT INTO sync.conflicts (kind, entity, link_id, backend_id, dashboard_id, field, "
                "baseline_value, "
                "backend_value, dashboard_value, strategy) SELECT 'field', 'customer', id, backend_id, "
                "dashboard_id, "
                "'phone', '\"+1 0\"', '\"+1 B\"', '\"+1 D\"', 'manual_review' FROM sync.links WHERE entity = "
                "'customer' AND backend_id = ? RETURNING id",
                {m_linkedUser})
            .toLongLong();
    auto detail = ConflictRecordQueries::detail(db, id);
    ConflictListFilter open;
    open.status = "open";
    auto listed = ConflictRecordQueries::list(db, open);
    QVERIFY(m_db->exec("ROLLBACK"));
    QVERIFY2(detail.ok(), qPrintable(detail.error()));
    QVERIFY(!detail->value("record").toString().isEmpty());
    QVERIFY(detail->value("backend_exists").toBool() && detail->value("dashboard_exists").toBool());
    const QJsonArray fields = detail->value("fields").toArray();
    QCOMPARE(fields.size(), 6); // email, name, phone, company, locale, tags
    for (const QJsonValue &value : fields) {
        const QJsonObject field = value.toObject();
        if (field.value("field").toString() != "phone")
            continue;
        QVERIFY(field.value("in_conflict").toBool());
        QCOMPARE(field.value("baseline").toString(), QStringLiteral("+1 0"));
        QCOMPARE(field.value("backend").toString(), QStringLiteral("+1 B"));
        QCOMPARE(field.value("dashboard").toString(), QStringLiteral("+1 D"));
    }
    QCOMPARE(listed->value("items").toArray().first().toObject().value("record").toString(),
             detail->value("record").toString());
}

void TestWindowQueries::aConnectionTestSaysWhoAnswered()
{
    auto good = ConnectionTest::run(m_db->url().toString());
    QVERIFY2(good.ok(), qPrintable(good.error()));
    QCOMPARE(good->database, m_db->name());
    QVERIFY(good->serverVersion.startsWith("PostgreSQL"));
    QVERIFY(good->schemaVersion > 0);
    auto bad = ConnectionTest::run("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2");
    QVERIFY(!bad.ok());
    QVERIFY(!bad.error().isEmpty());
    auto garbage = ConnectionTest::run("not a url");
    QVERIFY(!garbage.ok());
    QVERIFY(garbage.error().contains("not valid"));
}

QTEST_GUILESS_MAIN(TestWindowQueries)
#include "tst_windowqueries.moc"
