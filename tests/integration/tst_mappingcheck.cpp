#include "model/mapping.h"
#include "model/mappingfile.h"
#include "schema/mappingcheck.h"
#include "testdatabase.h"

#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// Holding a mapping against real databases: SyncDesk's own schema satisfies the built-in mapping, and
// each way a database can disagree with a mapping is told with the line of the mapping it breaks.
class TestMappingCheck final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theBuiltInMappingHoldsOnSyncDesksSchema();
    void aDatabaseThatDisagreesIsToldWhere_data();
    void aDatabaseThatDisagreesIsToldWhere();
    void twoDatabasesAreReadEachForItsSide();
};

void TestMappingCheck::theBuiltInMappingHoldsOnSyncDesksSchema()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    auto problems = MappingCheck(Mapping::builtIn(), database.db(), database.db()).run();
    QVERIFY2(problems.ok(), qPrintable(problems.error()));
    QVERIFY2(problems->isEmpty(), qPrintable(problems->join(QLatin1Char('\n'))));
}

void TestMappingCheck::aDatabaseThatDisagreesIsToldWhere_data()
{
    QTest::addColumn<QString>("change"); // DDL run on SyncDesk's schema first
    QTest::addColumn<QString>("path");   // the part of the built-in mapping whose line is named
    QTest::addColumn<QString>("says");

    QTest::newRow("a mapped column dropped") << "ALTER TABLE dashboard.customers DROP COLUMN company CASCADE"
                                             << "customer.fields.company.dashboard" << "dashboard.customers has no column company";
    QTest::newRow("a column renamed") << "ALTER TABLE backend.users RENAME COLUMN full_name TO display_name"
                                      << "customer.fields.name.backend" << "backend.users has no column full_name";
    QTest::newRow("a text column turned into a number")
        << "ALTER TABLE dashboard.customers DROP COLUMN search; "
           "ALTER TABLE dashboard.customers ALTER COLUMN phone TYPE integer USING NULL"
        << "customer.fields.phone.dashboard" << "is integer, which cannot hold a field of kind text";
    QTest::newRow("tags no longer a list") << "ALTER TABLE backend.users ALTER COLUMN tags TYPE text USING ''"
                                           << "customer.fields.tags.backend" << "cannot hold a field of kind text_set";
    QTest::newRow("a column made NOT NULL without the mapping saying so")
        << "UPDATE backend.users SET phone = '' WHERE phone IS NULL; ALTER TABLE backend.users ALTER COLUMN phone SET NOT NULL"
        << "customer.fields.phone.backend" << "is NOT NULL: say not_null: backend";
    QTest::newRow("a whole table gone") << "DROP TABLE dashboard.ticket_activities, dashboard.tickets CASCADE"
                                        << "ticket.dashboard.table" << "table dashboard.tickets does not exist";
    QTest::newRow("an owner column of another type")
        << "ALTER TABLE backend.tickets DROP CONSTRAINT tickets_user_id_fkey; "
           "ALTER TABLE backend.tickets ALTER COLUMN user_id TYPE text"
        << "ticket.belongs_to.backend"
        << "backend.tickets.user_id is text, but the customer's key is bigint";
    QTest::newRow("a column a new row needs dropped") << "ALTER TABLE dashboard.tickets DROP COLUMN source"
                                                      << "ticket.create.dashboard.source" << "has no column source";
}

void TestMappingCheck::aDatabaseThatDisagreesIsToldWhere()
{
    QFETCH(QString, change);
    QFETCH(QString, path);
    QFETCH(QString, says);
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    for (const QString &statement : change.split(QStringLiteral("; ")))
        QVERIFY(database.exec(statement));
    auto problems = MappingCheck(Mapping::builtIn(), database.db(), database.db()).run();
    QVERIFY2(problems.ok(), qPrintable(problems.error()));
    const int line = Mapping::builtIn().lineOf(path);
    QVERIFY2(line > 0, qPrintable(path));
    const QString expected = QStringLiteral(":/mappings/default.yaml:%1: ").arg(line);
    bool found = false;
    for (const QString &problem : problems.value())
        found = found || (problem.startsWith(expected) && problem.contains(says));
    QVERIFY2(found, qPrintable(QStringLiteral("expected \"%1...%2\" in:\n%3").arg(expected, says, problems->join(QLatin1Char('\n')))));
}

void TestMappingCheck::twoDatabasesAreReadEachForItsSide()
{
    // A mapping whose helpdesk tables live in another database: each side is looked up where it is.
    TestDatabase product;
    TestDatabase helpdesk;
    QVERIFY2(product.isReady() && helpdesk.isReady(), qPrintable(product.error() + helpdesk.error()));
    QVERIFY(helpdesk.exec(QStringLiteral("CREATE SCHEMA desk")));
    QVERIFY(helpdesk.exec(QStringLiteral("CREATE TABLE desk.people (id bigint PRIMARY KEY, mail text NOT NULL, "
                                         "display_name text)")));
    QVERIFY(helpdesk.exec(QStringLiteral("CREATE TABLE desk.cases (id bigint PRIMARY KEY, person bigint, title text)")));
    const QByteArray yaml = R"(mapping: 1
entities:
  customer:
    backend: {table: backend.users, key: {column: id, type: bigint}}
    dashboard: {table: desk.people, key: {column: id, type: bigint}, filter: "t.kind = 'customer'"}
    fields:
      email: {backend: email, dashboard: mail, not_null: both}
      name: {backend: full_name, dashboard: display_name, not_null: backend}
  ticket:
    belongs_to: {entity: customer, backend: user_id, dashboard: person}
    backend: {table: backend.tickets, key: {column: id, type: bigint}}
    dashboard: {table: desk.cases, key: {column: id, type: bigint}}
    fields:
      subject: {backend: subject, dashboard: title, not_null: backend}
      status: {backend: status, dashboard: state, not_null: backend}
)";
    const auto mapping = MappingFile::parse(yaml, QStringLiteral("desk.yaml"));
    QVERIFY2(mapping.ok(), qPrintable(mapping.error()));
    auto problems = MappingCheck(mapping.value(), product.db(), helpdesk.db()).run();
    QVERIFY2(problems.ok(), qPrintable(problems.error()));
    // The filter is planned where the helpdesk's table is, and its mistake told with its line.
    QCOMPARE(
        problems.value(),
        (QStringList{
            QStringLiteral(
                "desk.yaml:5: the filter does not hold on desk.people: column t.kind does not exist [42703]"),
            QStringLiteral("desk.yaml:15: desk.cases has no column state")}));
}

QTEST_GUILESS_MAIN(TestMappingCheck)
#include "tst_mappingcheck.moc"
