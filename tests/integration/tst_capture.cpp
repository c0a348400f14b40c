#include "database/connectionprovider.h"
#include "database/sql.h"
#include "testdatabase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDriver>
#include <QTest>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

namespace {

struct OutboxEvent
{
    QString side, entity, tableName, operation;
    qint64 entityId = 0;
    QStringList changedColumns;
    QJsonObject before, after;
    QString status;
};

QStringList pgArray(const QString &text)
{
    QString inner = text.mid(1, text.size() - 2);
    return inner.isEmpty() ? QStringList() : inner.split(QLatin1Char(','));
}

} // namespace

// Change capture: every change to a captured table, by any client, becomes exactly one outbox row
// in the same transaction; SyncDesk's own tagged writes and changes that change nothing do not.
class TestCapture final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void capturesInsertUpdateDelete_data();
    void capturesInsertUpdateDelete();
    void rolledBackChangeLeavesNoEvent();
    void engineTaggedChangesAreNotCaptured_data();
    void engineTaggedChangesAreNotCaptured();
    void updateThatChangesNothingIsNotCaptured_data();
    void updateThatChangesNothingIsNotCaptured();
    void multiRowStatementGivesOneEventPerRow();
    void aBulkInsertIsCapturedInOneCall();
    void eventBecomesVisibleOnlyWithItsCommit();
    void aChangeMadeWithPsqlIsCaptured();
    void wakesTheEngineOnlyWhileItWaits();
    void rowVersionAndTimestampMoveOnRealChanges();
    void engineWritesDoNotEvenCallTheCaptureFunction_data();
    void engineWritesDoNotEvenCallTheCaptureFunction();

private:
    qint64 mark() const;
    QList<OutboxEvent> eventsSince(qint64 mark) const;
    qint64 insertReturningId(const QString &statement, const QVariantList &values = {}) const;

    std::unique_ptr<TestDatabase> m_db;
};

void TestCapture::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
}

void TestCapture::cleanup()
{
    m_db.reset();
}

qint64 TestCapture::mark() const
{
    return m_db->value(QStringLiteral("SELECT coalesce(max(id), 0) FROM sync.outbox")).toLongLong();
}

QList<OutboxEvent> TestCapture::eventsSince(qint64 mark) const
{
    QList<OutboxEvent> events;
    const auto rows =
        m_db->rows(QStringLiteral("SELECT side, entity, table_name, entity_id, operation, changed_columns, "
                                  "before_image::text, after_image::text, status "
                                  "FROM sync.outbox WHERE id > ? ORDER BY id"),
                   {mark});
    for (const QVariantList &row : rows) {
        OutboxEvent event;
        event.side = row.at(0).toString();
        event.entity = row.at(1).toString();
        event.tableName = row.at(2).toString();
        event.entityId = row.at(3).toLongLong();
        event.operation = row.at(4).toString();
        event.changedColumns = pgArray(row.at(5).toString());
        event.before = QJsonDocument::fromJson(row.at(6).toString().toUtf8()).object();
        event.after = QJsonDocument::fromJson(row.at(7).toString().toUtf8()).object();
        event.status = row.at(8).toString();
        events << event;
    }
    return events;
}

qint64 TestCapture::insertReturningId(const QString &statement, const QVariantList &values) const
{
    return m_db->value(statement, values).toLongLong();
}

void TestCapture::capturesInsertUpdateDelete_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("side");
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QString>("setup");  // run untracked (engine-tagged); returns a parent id or nothing
    QTest::addColumn<QString>("insert"); // returns the new id; %1 = the parent id
    QTest::addColumn<QString>("update"); // ? = the id
    QTest::addColumn<QStringList>("changed");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("oldValue");
    QTest::addColumn<QString>("newValue");
    QTest::addColumn<int>("insertedColumns"); // all but updated_at and version

    QTest::newRow("backend.users")
        << "backend.users"
        << "backend"
        << "customer"
        << ""
        << "INSERT INTO backend.users (email, full_name, phone) VALUES ('cara@example.com', 'Cara', '+1 555 "
           "0100') RETURNING id"
        << "UPDATE backend.users SET full_name = 'Cara Jones', company = 'Northwind' WHERE id = ?"
        << QStringList{"full_name", "company"} << "full_name"
        << "Cara"
        << "Cara Jones" << 9;
    QTest::newRow("backend.conversations")
        << "backend.conversations"
        << "backend"
        << "conversation"
        << "INSERT INTO backend.users (email) VALUES ('dan@example.com') RETURNING id"
        << "INSERT INTO backend.conversations (user_id, subject) VALUES (%1, 'Where is my order?') RETURNING "
           "id"
        << "UPDATE backend.conversations SET status = 'escalated' WHERE id = ?" << QStringList{"status"}
        << "status"
        << "active"
        << "escalated" << 7;
    QTest::newRow("backend.messages")
        << "backend.messages"
        << "backend"
        << "message"
        << "WITH u AS (INSERT INTO backend.users (email) VALUES ('eve@example.com') RETURNING id) "
           "INSERT INTO backend.conversations (user_id) SELECT id FROM u RETURNING id"
        << "INSERT INTO backend.messages (conversation_id, role, content) VALUES (%1, 'customer', 'I want a "
           "refund') RETURNING id"
        << "UPDATE backend.messages SET content = 'I want a refund, please', metadata = '{\"edited\": true}' "
           "WHERE id = ?"
        << QStringList{"content", "metadata"} << "content"
        << "I want a refund"
        << "I want a refund, please" << 6;
    QTest::newRow("backend.tickets")
        << "backend.tickets"
        << "backend"
        << "ticket"
        << "INSERT INTO backend.users (email) VALUES ('fay@example.com') RETURNING id"
        << "INSERT INTO backend.tickets (user_id, subject) VALUES (%1, 'Refund for order #4411') RETURNING id"
        << "UPDATE backend.tickets SET priority = 'high' WHERE id = ?" << QStringList{"priority"}
        << "priority"
        << "normal"
        << "high" << 9;
    QTest::newRow("dashboard.customers")
        << "dashboard.customers"
        << "dashboard"
        << "customer"
        << ""
        << "INSERT INTO dashboard.customers (email, name, tags) VALUES ('gus@example.com', 'Gus', '{vip}') "
           "RETURNING id"
        << "UPDATE dashboard.customers SET tags = '{vip,annual}', notes = 'Called twice' WHERE id = ?"
        << QStringList{"tags", "notes"} << "notes"
        << ""
        << "Called twice" << 9;
    QTest::newRow("dashboard.tickets")
        << "dashboard.tickets"
        << "dashboard"
        << "ticket"
        << "INSERT INTO dashboard.customers (email) VALUES ('hal@example.com') RETURNING id"
        << "INSERT INTO dashboard.tickets (customer_id, subject) VALUES (%1, 'Cannot log in') RETURNING id"
        << "UPDATE dashboard.tickets SET status = 'open', assignee = 'anna.k' WHERE id = ?"
        << QStringList{"status", "assignee"} << "status"
        << "new"
        << "open" << 10;
}

void TestCapture::capturesInsertUpdateDelete()
{
    QFETCH(QString, table);
    QFETCH(QString, side);
    QFETCH(QString, entity);
    QFETCH(QString, setup);
    QFETCH(QString, insert);
    QFETCH(QString, update);
    QFETCH(QStringList, changed);
    QFETCH(QString, field);
    QFETCH(QString, oldValue);
    QFETCH(QString, newValue);
    QFETCH(int, insertedColumns);

    qint64 parent = 0;
    if (!setup.isEmpty()) {
        QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
        QVERIFY(m_db->exec(QStringLiteral("SET LOCAL syncdesk.origin = 'test-setup'")));
        parent = insertReturningId(setup);
        QVERIFY(m_db->exec(QStringLiteral("COMMIT")));
    }

    // Someone adds a record: one insert event carrying the new row.
    qint64 before = mark();
    const qint64 id = insertReturningId(insert.contains(QLatin1String("%1")) ? insert.arg(parent) : insert);
    QList<OutboxEvent> events = eventsSince(before);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].side, side);
    QCOMPARE(events[0].entity, entity);
    QCOMPARE(events[0].tableName, table);
    QCOMPARE(events[0].entityId, id);
    QCOMPARE(events[0].operation, QStringLiteral("insert"));
    QCOMPARE(events[0].status, QStringLiteral("pending"));
    QCOMPARE(events[0].changedColumns.size(), insertedColumns);
    QVERIFY(events[0].before.isEmpty());
    QCOMPARE(events[0].after.value(QStringLiteral("id")).toInteger(), id);
    QCOMPARE(events[0].after.value(field).toString(), oldValue);
    QVERIFY2(!events[0].after.contains(QStringLiteral("search")),
             "generated search columns are not part of images");

    // Someone edits it: one update event naming exactly the changed columns, with both images.
    before = mark();
    QVERIFY(m_db->exec(update, {id}));
    events = eventsSince(before);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].operation, QStringLiteral("update"));
    QStringList actual = events[0].changedColumns;
    actual.sort();
    changed.sort();
    QCOMPARE(actual, changed);
    QCOMPARE(events[0].before.value(field).toString(), oldValue);
    QCOMPARE(events[0].after.value(field).toString(), newValue);

    // Someone deletes it: one delete event keeping the last image.
    before = mark();
    QVERIFY(m_db->exec(QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(table), {id}));
    events = eventsSince(before);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].operation, QStringLiteral("delete"));
    QCOMPARE(events[0].entityId, id);
    QCOMPARE(events[0].before.value(field).toString(), newValue);
    QVERIFY(events[0].after.isEmpty());
}

void TestCapture::rolledBackChangeLeavesNoEvent()
{
    const qint64 before = mark();
    QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES ('ivy@example.com', 'Ivy')")));
    QVERIFY(m_db->exec(
        QStringLiteral("UPDATE dashboard.customers SET name = 'Ivy B' WHERE email = 'ivy@example.com'")));
    QCOMPARE(eventsSince(before).size(), 2); // visible inside the transaction...
    QVERIFY(m_db->exec(QStringLiteral("ROLLBACK")));
    QCOMPARE(eventsSince(before).size(), 0); // ...and gone with it
}

void TestCapture::engineTaggedChangesAreNotCaptured_data()
{
    QTest::addColumn<QString>("statement");
    QTest::newRow("insert") << "INSERT INTO backend.users (email) VALUES ('jo@example.com')";
    QTest::newRow("update")
        << "UPDATE backend.users SET phone = '+44 20 0000' WHERE email = 'seed@example.com'";
    QTest::newRow("delete") << "DELETE FROM backend.users WHERE email = 'seed@example.com'";
}

void TestCapture::engineTaggedChangesAreNotCaptured()
{
    QFETCH(QString, statement);
    QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
    QVERIFY(m_db->exec(QStringLiteral("SET LOCAL syncdesk.origin = 'seed'")));
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO backend.users (email) VALUES ('seed@example.com')")));
    QVERIFY(m_db->exec(QStringLiteral("COMMIT")));

    const qint64 before = mark();
    QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
    QVERIFY(m_db->exec(QStringLiteral("SET LOCAL syncdesk.origin = 'engine'")));
    QVERIFY(m_db->exec(statement));
    QVERIFY(m_db->exec(QStringLiteral("COMMIT")));
    QCOMPARE(eventsSince(before).size(), 0);

    // The tag ends with its transaction: the next change by anyone is captured again.
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO backend.users (email) VALUES ('after@example.com')")));
    QCOMPARE(eventsSince(before).size(), 1);
}

void TestCapture::updateThatChangesNothingIsNotCaptured_data()
{
    QTest::addColumn<QString>("statement");
    QTest::newRow("same value")
        << "UPDATE dashboard.customers SET name = 'Kim' WHERE email = 'kim@example.com'";
    QTest::newRow("every column to itself") << "UPDATE dashboard.customers SET email = email, name = name, "
                                               "phone = phone, tags = tags, notes = notes";
    QTest::newRow("only updated_at")
        << "UPDATE dashboard.customers SET updated_at = now() + interval '1 hour'";
    QTest::newRow("no matching row") << "UPDATE dashboard.customers SET name = 'Nobody' WHERE id = -1";
}

void TestCapture::updateThatChangesNothingIsNotCaptured()
{
    QFETCH(QString, statement);
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES ('kim@example.com', 'Kim')")));
    const qint64 before = mark();
    QVERIFY(m_db->exec(statement));
    QCOMPARE(eventsSince(before).size(), 0);
}

void TestCapture::multiRowStatementGivesOneEventPerRow()
{
    const qint64 beforeInsert = mark();
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO backend.users (email, locale) "
                       "SELECT 'bulk' || g || '@example.com', 'en' FROM generate_series(1, 25) g")));
    // New rows are captured per statement, in the order they were inserted, each with its row.
    const QList<OutboxEvent> inserted = eventsSince(beforeInsert);
    QCOMPARE(inserted.size(), 25);
    for (qsizetype i = 0; i < inserted.size(); ++i) {
        QCOMPARE(inserted.at(i).operation, QStringLiteral("insert"));
        QCOMPARE(inserted.at(i).after.value(QStringLiteral("email")).toString(),
                 QStringLiteral("bulk%1@example.com").arg(i + 1));
        QCOMPARE(inserted.at(i).after.value(QStringLiteral("id")).toInteger(), inserted.at(i).entityId);
        if (i > 0)
            QVERIFY(inserted.at(i).entityId > inserted.at(i - 1).entityId);
    }
    const qint64 before = mark();
    QVERIFY(m_db->exec(QStringLiteral("UPDATE backend.users SET locale = 'de' WHERE email LIKE 'bulk%'")));
    const QList<OutboxEvent> events = eventsSince(before);
    QCOMPARE(events.size(), 25);
    for (const OutboxEvent &event : events)
        QCOMPARE(event.changedColumns, QStringList{QStringLiteral("locale")});
}

void TestCapture::aBulkInsertIsCapturedInOneCall()
{
    // An import of many rows costs one call of the capture function, not one per row.
    const qint64 before = mark();
    QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
    QVERIFY(m_db->exec(QStringLiteral("SET LOCAL track_functions = 'pl'")));
    const auto calls = [&](const char *function) {
        return m_db
            ->value(QStringLiteral("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
                                   "WHERE schemaname = 'sync' AND funcname = ?"),
                    {QString::fromLatin1(function)})
            .toLongLong();
    };
    const qint64 statementCalls = calls("capture_inserts_dashboard_customers");
    const qint64 rowCalls = calls("capture_dashboard_customers");
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO dashboard.customers (email, name) "
                       "SELECT 'csv' || g || '@example.com', 'Row ' || g FROM generate_series(1, 1000) g")));
    QCOMPARE(calls("capture_inserts_dashboard_customers"), statementCalls + 1);
    QCOMPARE(calls("capture_dashboard_customers"), rowCalls);
    QVERIFY(m_db->exec(QStringLiteral("COMMIT")));
    QCOMPARE(eventsSince(before).size(), 1000);
}

void TestCapture::eventBecomesVisibleOnlyWithItsCommit()
{
    const qint64 before = mark();
    ConnectionProvider otherClient(m_db->url(), QStringLiteral("observer"));
    auto observer = otherClient.database();
    QVERIFY2(observer.ok(), qPrintable(observer.error()));
    const auto visibleToObserver = [&]() {
        return sql::scalar(observer.value(), QStringLiteral("SELECT count(*) FROM sync.outbox WHERE id > ?"),
                           {before})
            .value()
            .toInt();
    };
    QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO dashboard.customers (email) VALUES ('lou@example.com')")));
    QCOMPARE(visibleToObserver(), 0);
    QVERIFY(m_db->exec(QStringLiteral("COMMIT")));
    QCOMPARE(visibleToObserver(), 1);
}

void TestCapture::aChangeMadeWithPsqlIsCaptured()
{
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES ('mo@example.com', 'Mo')")));
    const qint64 before = mark();
    QProcess psql;
    psql.start(QStringLiteral("psql"),
               {QStringLiteral("-X"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                QStringLiteral("-d"), m_db->url().toConnInfo(), QStringLiteral("-c"),
                QStringLiteral("UPDATE dashboard.customers SET phone = '+49 30 1234' "
                               "WHERE email = 'mo@example.com'")});
    QVERIFY2(psql.waitForFinished(30000), "psql did not finish");
    QVERIFY2(psql.exitCode() == 0, psql.readAllStandardError().constData());
    const QList<OutboxEvent> events = eventsSince(before);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].changedColumns, QStringList{QStringLiteral("phone")});
    QCOMPARE(events[0].after.value(QStringLiteral("phone")).toString(), QStringLiteral("+49 30 1234"));
}

void TestCapture::wakesTheEngineOnlyWhileItWaits()
{
    // An idle engine: holds the wake-up lock and listens.
    ConnectionProvider engineSide(m_db->url(), QStringLiteral("engine"));
    auto engine = engineSide.database();
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QVERIFY(engine.value().driver()->subscribeToNotification(QStringLiteral("syncdesk_outbox")));
    QSignalSpy wakeUps(engine.value().driver(),
                       qOverload<const QString &, QSqlDriver::NotificationSource, const QVariant &>(
                           &QSqlDriver::notification));
    QVERIFY(sql::exec(engine.value(), QStringLiteral("SELECT pg_advisory_lock(1398361667, 1)")).ok());

    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO dashboard.customers (email) VALUES ('ned@example.com')")));
    QTRY_COMPARE(wakeUps.size(), 1);
    QCOMPARE(wakeUps.at(0).at(2).toString(), QStringLiteral("dashboard"));

    // A busy engine (lock released) is not woken: it will look at the outbox anyway.
    QVERIFY(sql::exec(engine.value(), QStringLiteral("SELECT pg_advisory_unlock(1398361667, 1)")).ok());
    QVERIFY(m_db->exec(
        QStringLiteral("UPDATE dashboard.customers SET name = 'Ned' WHERE email = 'ned@example.com'")));
    QTest::qWait(300);
    QCOMPARE(wakeUps.size(), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt(),
             2); // but still captured
}

void TestCapture::rowVersionAndTimestampMoveOnRealChanges()
{
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO dashboard.customers (email) VALUES ('ola@example.com')")));
    const auto versionAndTime = [&]() {
        return m_db
            ->rows(QStringLiteral(
                "SELECT version, updated_at FROM dashboard.customers WHERE email = 'ola@example.com'"))
            .value(0);
    };
    const QVariantList first = versionAndTime();
    QVERIFY(m_db->exec(
        QStringLiteral("UPDATE dashboard.customers SET company = 'Atlas' WHERE email = 'ola@example.com'")));
    const QVariantList second = versionAndTime();
    QCOMPARE(second.at(0).toLongLong(), first.at(0).toLongLong() + 1);
    QVERIFY(second.at(1).toDateTime() >= first.at(1).toDateTime());
    QVERIFY(m_db->exec(
        QStringLiteral("UPDATE dashboard.customers SET company = 'Atlas' WHERE email = 'ola@example.com'")));
    QCOMPARE(versionAndTime().at(0).toLongLong(), second.at(0).toLongLong());
}

void TestCapture::engineWritesDoNotEvenCallTheCaptureFunction_data()
{
    QTest::addColumn<QStringList>("setup");
    QTest::addColumn<QString>("function");
    QTest::addColumn<QString>("insert");
    QTest::addColumn<QString>("update");
    QTest::addColumn<QString>("column");
    QTest::newRow("trigger as the migrations installed it")
        << QStringList() << "capture_backend_users"
        << "INSERT INTO backend.users (email) VALUES ('uma@example.com')"
        << "UPDATE backend.users SET company = ? WHERE email = 'uma@example.com'"
        << "company";
    // The helpdesk adds a column; the operator re-runs install_capture as its migration tells.
    QTest::newRow("re-installed after a new column")
        << QStringList{QStringLiteral("ALTER TABLE dashboard.customers ADD COLUMN segment text"),
                       QStringLiteral(
                           "SELECT sync.install_capture('dashboard.customers', 'dashboard', 'customer')")}
        << "capture_dashboard_customers"
        << "INSERT INTO dashboard.customers (email) VALUES ('uma@example.com')"
        << "UPDATE dashboard.customers SET segment = ? WHERE email = 'uma@example.com'"
        << "segment";
}

void TestCapture::engineWritesDoNotEvenCallTheCaptureFunction()
{
    QFETCH(QStringList, setup);
    QFETCH(QString, function);
    QFETCH(QString, insert);
    QFETCH(QString, update);
    QFETCH(QString, column);
    for (const QString &statement : std::as_const(setup))
        QVERIFY(m_db->exec(statement));
    QVERIFY(m_db->exec(insert));

    // Calls of the capture function this session has not yet reported (statistics are flushed lazily,
    // so compare before and after).
    const auto captureCalls = [&]() {
        return m_db
            ->value(QStringLiteral("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
                                   "WHERE schemaname = 'sync' AND funcname = ?"),
                    {function})
            .toLongLong();
    };
    // A person's edit is captured, naming the column.
    qint64 before = mark();
    QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
    QVERIFY(m_db->exec(QStringLiteral("SET LOCAL track_functions = 'pl'")));
    qint64 calls = captureCalls();
    QVERIFY(m_db->exec(update, {QStringLiteral("Atlas")}));
    QCOMPARE(captureCalls(), calls + 1);
    QVERIFY(m_db->exec(QStringLiteral("COMMIT")));
    const QList<OutboxEvent> events = eventsSince(before);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].changedColumns, QStringList{column});

    // SyncDesk's own write is not captured, and the trigger's condition keeps PostgreSQL from even
    // calling the capture function for it (a call per row the engine applies is what it saves).
    before = mark();
    QVERIFY(m_db->exec(QStringLiteral("BEGIN")));
    QVERIFY(m_db->exec(QStringLiteral("SET LOCAL track_functions = 'pl'")));
    QVERIFY(m_db->exec(QStringLiteral("SET LOCAL syncdesk.origin = 'engine'")));
    calls = captureCalls();
    QVERIFY(m_db->exec(update, {QStringLiteral("Borealis")}));
    QCOMPARE(captureCalls(), calls);
    QVERIFY(m_db->exec(QStringLiteral("COMMIT")));
    QCOMPARE(eventsSince(before).size(), 0);
}

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_capture.moc"
