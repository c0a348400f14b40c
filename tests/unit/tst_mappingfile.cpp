#include "model/mapping.h"
#include "model/mappingfile.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QTest>

using namespace syncdesk;

namespace {

// A small valid mapping the error rows below break one line at a time.
const char *const kValid = R"(mapping: 1
entities:
  customer:
    backend: {table: crm.contacts, key: {column: id, type: bigint}}
    dashboard: {table: helpdesk.people, key: {column: id, type: integer}}
    match: lower(email)
    fields:
      email: {backend: email, dashboard: mail, not_null: dashboard}
      name: {backend: full_name, dashboard: display_name}
      labels: {kind: text_set, backend: labels, dashboard: tags}
  ticket:
    belongs_to: {entity: customer, backend: contact_id, dashboard: person_id}
    backend: {table: crm.cases, key: {column: id, type: bigint}}
    dashboard: {table: helpdesk.tickets, key: {column: id, type: bigint}}
    fields:
      title: {backend: title, dashboard: subject}
      state: {backend: state, dashboard: state, owner: dashboard}
    create:
      dashboard:
        channel: web
        origin: {from: conversation_id, values: {null: crm, "*": chat}}
        opened_at: now()
)";

QByteArray replaced(const QString &from, const QString &to)
{
    QString text = QString::fromUtf8(kValid);
    if (!text.contains(from))
        qFatal("test row replaces text the valid mapping does not have: %s", qPrintable(from));
    return text.replace(from, to).toUtf8();
}

} // namespace

// Reading a mapping file: what it describes, and every mistake told with its line.
class TestMappingFile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aValidFileDescribesBothEntities();
    void createValuesAreConstantsOrTranslations_data();
    void createValuesAreConstantsOrTranslations();
    void valuesSpeltPerSideTranslateBothWays_data();
    void valuesSpeltPerSideTranslateBothWays();
    void aNameInTwoColumnsIsJoinedAndSplit_data();
    void aNameInTwoColumnsIsJoinedAndSplit();
    void mistakesAreToldWithTheirLine_data();
    void mistakesAreToldWithTheirLine();
    void everyMistakeIsTold();
    void theBuiltInMappingIsSyncDesksOwnSchema();
};

void TestMappingFile::aValidFileDescribesBothEntities()
{
    const auto mapping = MappingFile::parse(kValid, QStringLiteral("valid.yaml"));
    QVERIFY2(mapping.ok(), qPrintable(mapping.error()));
    const EntityDefinition &customer = mapping->customer();
    QCOMPARE(customer.backendTable, QStringLiteral("crm.contacts"));
    QCOMPARE(customer.dashboardTable, QStringLiteral("helpdesk.people"));
    QCOMPARE(customer.dashboardKey.type, QStringLiteral("integer"));
    QCOMPARE(customer.fieldNames(), (QStringList{QStringLiteral("email"), QStringLiteral("name"), QStringLiteral("labels")}));
    QCOMPARE(customer.field(QStringLiteral("email"))->dashboardColumn, QStringLiteral("mail"));
    QVERIFY(!customer.field(QStringLiteral("email"))->notNullBackend);
    QVERIFY(customer.field(QStringLiteral("email"))->notNullDashboard);
    QCOMPARE(customer.field(QStringLiteral("labels"))->kind, FieldDefinition::Kind::TextSet);
    QCOMPARE(customer.matchField, QStringLiteral("email"));
    QVERIFY(customer.matchIgnoresCase);
    const EntityDefinition &ticket = mapping->ticket();
    QCOMPARE(ticket.ownerEntity, QStringLiteral("customer"));
    QCOMPARE(ticket.ownerBackendColumn, QStringLiteral("contact_id"));
    QCOMPARE(ticket.ownerDashboardColumn, QStringLiteral("person_id"));
    QCOMPARE(ticket.field(QStringLiteral("state"))->owner, FieldDefinition::Owner::Dashboard);
    QCOMPARE(ticket.createInDashboard.size(), 3);
    QVERIFY(ticket.createInBackend.isEmpty());
    QCOMPARE(mapping->lineOf(QStringLiteral("customer.fields.email.dashboard")), 8);
    QCOMPARE(mapping->lineOf(QStringLiteral("ticket.backend.table")), 13);
}

void TestMappingFile::createValuesAreConstantsOrTranslations_data()
{
    QTest::addColumn<QJsonObject>("sourceRow");
    QTest::addColumn<QString>("origin");
    QTest::newRow("no conversation") << QJsonObject{{"conversation_id", QJsonValue::Null}} << "crm";
    QTest::newRow("no such column in the row") << QJsonObject{} << "crm";
    QTest::newRow("a conversation") << QJsonObject{{"conversation_id", 17}} << "chat";
}

void TestMappingFile::createValuesAreConstantsOrTranslations()
{
    QFETCH(QJsonObject, sourceRow);
    QFETCH(QString, origin);
    const auto mapping = MappingFile::parse(kValid, QStringLiteral("valid.yaml"));
    QVERIFY2(mapping.ok(), qPrintable(mapping.error()));
    QJsonObject row{{"subject", "Printer"}};
    mapping->ticket().completeNewRow(sourceRow, row, false);
    QCOMPARE(row.value(QStringLiteral("channel")).toString(), QStringLiteral("web"));
    QCOMPARE(row.value(QStringLiteral("origin")).toString(), origin);
    QCOMPARE(row.value(QStringLiteral("subject")).toString(), QStringLiteral("Printer"));
    // now(): the time the row is made.
    const QDateTime openedAt =
        QDateTime::fromString(row.value(QStringLiteral("opened_at")).toString(), Qt::ISODateWithMs);
    QVERIFY(openedAt.isValid());
    QVERIFY(qAbs(openedAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
}

void TestMappingFile::valuesSpeltPerSideTranslateBothWays_data()
{
    QTest::addColumn<QJsonValue>("stored");    // in the product's column
    QTest::addColumn<QJsonValue>("canonical"); // what conflicts, history and the helpdesk see
    QTest::addColumn<QJsonValue>("writtenBack");

    QTest::newRow("a number") << QJsonValue(0) << QJsonValue("open") << QJsonValue(0);
    QTest::newRow("two numbers for one state: the first listed goes back")
        << QJsonValue(3) << QJsonValue("closed") << QJsonValue(2);
    QTest::newRow("a number the map does not list") << QJsonValue(9) << QJsonValue("9") << QJsonValue("9");
    QTest::newRow("nothing") << QJsonValue(QJsonValue::Null) << QJsonValue(QJsonValue::Null)
                             << QJsonValue(QJsonValue::Null);
}

void TestMappingFile::valuesSpeltPerSideTranslateBothWays()
{
    QFETCH(QJsonValue, stored);
    QFETCH(QJsonValue, canonical);
    QFETCH(QJsonValue, writtenBack);
    const auto mapping = MappingFile::parse(
        replaced("state: {backend: state, dashboard: state, owner: dashboard}",
                 "state: {backend: state, dashboard: state, owner: dashboard,\n"
                 "             values: {backend: {0: [open, new], 1: pending, 2: closed, 3: closed}}}"),
        QStringLiteral("mine.yaml"));
    QVERIFY2(mapping, qPrintable(mapping ? QString() : mapping.error()));
    const EntityDefinition &ticket = mapping->ticket();
    QCOMPARE(ticket.canonical(QJsonObject{{"state", stored}}, true).value(QStringLiteral("state")),
             canonical);
    // The helpdesk spells states as they are.
    QCOMPARE(ticket.canonical(QJsonObject{{"state", canonical}}, false).value(QStringLiteral("state")),
             canonical);
    QCOMPARE(ticket.rowFor(QJsonObject{{"state", canonical}}, true).value(QStringLiteral("state")),
             writtenBack);
    QCOMPARE(ticket.rowFor(QJsonObject{{"state", canonical}}, false).value(QStringLiteral("state")),
             canonical);
    // Every state listed for a number is written as that number.
    QCOMPARE(ticket.rowFor(QJsonObject{{"state", "new"}}, true).value(QStringLiteral("state")),
             QJsonValue(0));
}

void TestMappingFile::aNameInTwoColumnsIsJoinedAndSplit_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("last");
    QTest::addColumn<QJsonValue>("name");
    QTest::addColumn<QString>("firstWritten");
    QTest::addColumn<QString>("lastWritten");

    QTest::newRow("two words") << "Ada"
                               << "Lovelace" << QJsonValue("Ada Lovelace") << "Ada"
                               << "Lovelace";
    QTest::newRow("a first name of two words: the last word is the last name")
        << "Mary Ann"
        << "Smith" << QJsonValue("Mary Ann Smith") << "Mary Ann"
        << "Smith";
    QTest::newRow("only a first name") << "Cher"
                                       << "" << QJsonValue("Cher") << "Cher"
                                       << "";
    QTest::newRow("only a last name: read, and written back as a first name")
        << ""
        << "Lovelace" << QJsonValue("Lovelace") << "Lovelace"
        << "";
    QTest::newRow("nothing") << ""
                             << "" << QJsonValue(QJsonValue::Null) << ""
                             << "";
    QTest::newRow("spaces around") << " Ada "
                                   << " Lovelace" << QJsonValue("Ada Lovelace") << "Ada"
                                   << "Lovelace";
}

void TestMappingFile::aNameInTwoColumnsIsJoinedAndSplit()
{
    QFETCH(QString, first);
    QFETCH(QString, last);
    QFETCH(QJsonValue, name);
    QFETCH(QString, firstWritten);
    QFETCH(QString, lastWritten);
    const auto mapping = MappingFile::parse(
        replaced("name: {backend: full_name, dashboard: display_name}",
                 "name: {backend: full_name, dashboard: [first_name, last_name], not_null: dashboard}"),
        QStringLiteral("mine.yaml"));
    QVERIFY2(mapping, qPrintable(mapping ? QString() : mapping.error()));
    const EntityDefinition &customer = mapping->customer();
    const QJsonObject row{{"first_name", first}, {"last_name", last}};
    QCOMPARE(customer.canonical(row, false).value(QStringLiteral("name")), name);
    const QJsonObject written = customer.rowFor(QJsonObject{{"name", name}}, false);
    QCOMPARE(written.value(QStringLiteral("first_name")).toString(), firstWritten);
    QCOMPARE(written.value(QStringLiteral("last_name")).toString(), lastWritten);
    QCOMPARE(written.size(), 2);
    QCOMPARE(customer.columns(false), (QStringList{QStringLiteral("mail"), QStringLiteral("first_name"),
                                                   QStringLiteral("last_name"), QStringLiteral("tags")}));
}

void TestMappingFile::mistakesAreToldWithTheirLine_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("says");

    QTest::newRow("not YAML") << QByteArray("mapping: 1\nentities: [unclosed\n") << 3 << "not YAML";
    QTest::newRow("no version") << replaced("mapping: 1\n", "") << 1 << "'mapping: 1' is missing";
    QTest::newRow("a later format") << replaced("mapping: 1", "mapping: 2") << 1 << "format 2 is not known";
    QTest::newRow("an unknown entity")
        << replaced("  ticket:\n", "  order:\n    backend: {}\n  ticket:\n") << 11 << "unknown key 'order' in entities";
    QTest::newRow("a table without its schema")
        << replaced("table: crm.contacts", "table: contacts") << 4 << "must name a table with its schema";
    QTest::newRow("a key type that does not exist")
        << replaced("{column: id, type: bigint}}\n    dashboard: {table: helpdesk.people",
                    "{column: id, type: serial}}\n    dashboard: {table: helpdesk.people")
        << 4 << "key.type must be one of integer, bigint, uuid, text";
    QTest::newRow("a uuid key (not yet)")
        << replaced("{column: id, type: integer}", "{column: id, type: uuid}") << 5 << "integer or bigint column named id";
    QTest::newRow("a field without its helpdesk column")
        << replaced("name: {backend: full_name, dashboard: display_name}", "name: {backend: full_name}") << 9
        << "field 'name' has no dashboard column";
    QTest::newRow("a column that is no name")
        << replaced("dashboard: display_name", "dashboard: \"display name\"") << 9 << "must be a column name";
    QTest::newRow("one column for two fields")
        << replaced("dashboard: display_name", "dashboard: mail") << 9 << "column mail is mapped twice";
    QTest::newRow("an unknown kind") << replaced("kind: text_set", "kind: list") << 10 << "kind must be one of";
    QTest::newRow("a kind not supported yet")
        << replaced("kind: text_set", "kind: timestamp") << 10 << "'timestamp' is not supported by this version";
    QTest::newRow("an unknown owner") << replaced("owner: dashboard", "owner: agents") << 17
                                      << "owner must be backend, dashboard or shared";
    QTest::newRow("an unknown key in a field")
        << replaced("owner: dashboard", "owner: dashboard, direction: both") << 17 << "unknown key 'direction'";
    QTest::newRow("matching on a field that is not mapped") << replaced("lower(email)", "lower(phone)") << 6
                                                            << "match must name one of the entity's fields";
    QTest::newRow("a ticket that belongs to nobody")
        << replaced("    belongs_to: {entity: customer, backend: contact_id, dashboard: person_id}\n", "") << 11
        << "ticket must have belongs_to";
    QTest::newRow("a create column that is a field already")
        << replaced("        channel: web", "        subject: web") << 20 << "column subject is field 'title' already";
    QTest::newRow("values on a set")
        << replaced("kind: text_set, backend: labels, dashboard: tags",
                    "kind: text_set, backend: labels, dashboard: tags, values: {backend: {a: b}}")
        << 10 << "values translate text fields only";
    QTest::newRow("a value listed twice")
        << replaced("owner: dashboard}", "owner: dashboard, values: {backend: {1: open, \"1\": closed}}}")
        << 17 << "1 is listed twice";
    QTest::newRow("a name in three columns")
        << replaced("dashboard: display_name}", "dashboard: [a, b, c]}") << 9 << "must be one column, or two";
    QTest::newRow("matching on a name kept in two columns")
        << replaced("email: {backend: email, dashboard: mail, not_null: dashboard}",
                    "email: {backend: email, dashboard: [mail, mail2], not_null: dashboard}")
        << 6 << "match cannot use 'email'";
    QTest::newRow("no tickets") << QByteArray(kValid).left(QByteArray(kValid).indexOf("  ticket:")) << 2
                                << "entity 'ticket' is missing";
}

void TestMappingFile::mistakesAreToldWithTheirLine()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, says);
    const auto mapping = MappingFile::parse(yaml, QStringLiteral("mine.yaml"));
    QVERIFY(!mapping.ok());
    const QString expected = QStringLiteral("mine.yaml:%1: ").arg(line);
    bool found = false;
    for (const QString &problem : mapping.error().split(QLatin1Char('\n')))
        found = found || (problem.startsWith(expected) && problem.contains(says));
    QVERIFY2(found, qPrintable(QStringLiteral("expected \"%1...%2\" in:\n%3").arg(expected, says, mapping.error())));
}

void TestMappingFile::everyMistakeIsTold()
{
    QByteArray yaml = replaced("table: crm.contacts", "table: contacts");
    yaml.replace("kind: text_set", "kind: list");
    yaml.replace("owner: dashboard", "owner: agents");
    const auto mapping = MappingFile::parse(yaml, QStringLiteral("mine.yaml"));
    QVERIFY(!mapping.ok());
    QCOMPARE(mapping.error().split(QLatin1Char('\n')).size(), 3);
}

void TestMappingFile::theBuiltInMappingIsSyncDesksOwnSchema()
{
    const Mapping &mapping = Mapping::builtIn();
    QCOMPARE(mapping.source, QStringLiteral(":/mappings/default.yaml"));
    const EntityDefinition &customer = mapping.customer();
    QCOMPARE(customer.backendTable, QStringLiteral("backend.users"));
    QCOMPARE(customer.dashboardTable, QStringLiteral("dashboard.customers"));
    QCOMPARE(customer.fieldNames(), (QStringList{QStringLiteral("email"), QStringLiteral("name"), QStringLiteral("phone"),
                                                 QStringLiteral("company"), QStringLiteral("locale"), QStringLiteral("tags")}));
    QCOMPARE(customer.columns(true), (QStringList{QStringLiteral("email"), QStringLiteral("full_name"), QStringLiteral("phone"),
                                                  QStringLiteral("company"), QStringLiteral("locale"), QStringLiteral("tags")}));
    QVERIFY(customer.field(QStringLiteral("locale"))->notNullBackend);
    QVERIFY(!customer.field(QStringLiteral("phone"))->notNullDashboard);
    QCOMPARE(customer.matchField, QStringLiteral("email"));
    const EntityDefinition &ticket = mapping.ticket();
    QCOMPARE(ticket.field(QStringLiteral("status"))->owner, FieldDefinition::Owner::Dashboard);
    QCOMPARE(ticket.field(QStringLiteral("priority"))->owner, FieldDefinition::Owner::Dashboard);
    QCOMPARE(ticket.field(QStringLiteral("subject"))->owner, FieldDefinition::Owner::Shared);
    QCOMPARE(ticket.ownerBackendColumn, QStringLiteral("user_id"));
    QCOMPARE(ticket.ownerDashboardColumn, QStringLiteral("customer_id"));
    QJsonObject fromConversation;
    ticket.completeNewRow(QJsonObject{{"conversation_id", 9}}, fromConversation, false);
    QCOMPARE(fromConversation.value(QStringLiteral("source")).toString(), QStringLiteral("ai_agent"));
    QJsonObject fromProduct;
    ticket.completeNewRow(QJsonObject{{"conversation_id", QJsonValue::Null}}, fromProduct, false);
    QCOMPARE(fromProduct.value(QStringLiteral("source")).toString(), QStringLiteral("backend"));
    QJsonObject inProduct;
    ticket.completeNewRow(QJsonObject{{"source", "agent"}}, inProduct, true);
    QVERIFY(inProduct.isEmpty());
}

QTEST_GUILESS_MAIN(TestMappingFile)
#include "tst_mappingfile.moc"
