#include "model/mappingfile.h"
#include "schema/captureinstaller.h"
#include "schema/mappinglookups.h"
#include "syncfixture.h"
#include "tasks/consistencychecker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

namespace {

// A product and a helpdesk that never heard of SyncDesk (tests/data/mapping/): their own schemas,
// table and column names, an integer key on one side, columns nobody syncs.
QString testData(const QString &name)
{
    return QStringLiteral("tests/data/mapping/") + name;
}

} // namespace

// The engine syncs the tables a mapping file names, not only its own: a product's contacts and cases
// and a helpdesk's people and tickets, under other names, with a capture SyncDesk installs itself.
class TestMappedTables final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void theCaptureIsInstalledOnceAndTracksOnlyMappedColumns();
    void aContactAppearsInTheHelpdeskAndEditsComeBack();
    void aColumnNobodySyncsMakesNoEvent();
    void aCaseFollowsItsContactIntoTheHelpdesk();
    void oneCustomerNewOnBothSidesIsLinkedNotDuplicated();
    void aSecondContactWithATakenAddressWaitsForAPerson();
    void aClashBecomesAConflictUnderTheCanonicalName();
    void twoPopulatedSystemsAreAdoptedByTheCheck();
    void anAgentInTheHelpdesksPeopleNeverSyncs();

private:
    qint64 productAddsContact(const QString &mail, const QString &name);
    qint64 personOf(qint64 contact);
    // How many rows of the product's (contacts) or the helpdesk's (people) table match `where`.
    int contacts(const QString &where = QStringLiteral("true"));
    int people(const QString &where = QStringLiteral("true"));
    QVariant person(qint64 id, const QString &column);

    std::shared_ptr<const Mapping> m_mapping;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<TestDatabase> m_ownHelpdesk; // the helpdesk's database of its own (two databases)
    std::unique_ptr<SyncFixture> m_sync;
    QStringList m_installed;
};

void TestMappedTables::init()
{
    auto mapping = MappingFile::read(TestDatabase::sourceFile(testData(QStringLiteral("contacts.yaml"))));
    QVERIFY2(mapping, qPrintable(mapping ? QString() : mapping.error()));
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    if (SyncFixture::layoutOfRow() == SyncFixture::Layout::TwoDatabases) {
        m_ownHelpdesk = SyncFixture::helpdeskDatabase();
        QVERIFY(m_ownHelpdesk);
    }
    TestDatabase &helpdesk = m_ownHelpdesk ? *m_ownHelpdesk : *m_db;
    QVERIFY(m_db->runScript(testData(QStringLiteral("contacts-product.sql"))));
    QVERIFY(helpdesk.runScript(testData(QStringLiteral("contacts-helpdesk.sql"))));
    // As SyncDesk starts: the lookup tables read into the mapping, the capture installed.
    auto resolved = MappingLookups::resolve(mapping.value(), m_db->db(), helpdesk.db());
    QVERIFY2(resolved, qPrintable(resolved ? QString() : resolved.error()));
    m_mapping = std::make_shared<const Mapping>(std::move(resolved).value());
    auto installed = CaptureInstaller(*m_mapping).install(m_db->db(), helpdesk.db());
    QVERIFY2(installed, qPrintable(installed ? QString() : installed.error()));
    m_installed = installed.value();
    EngineOptions options = SyncFixture::defaults();
    options.mapping = m_mapping;
    options.conflictRules = {QStringLiteral("customer.phone=manual_review")};
    m_sync = std::make_unique<SyncFixture>(*m_db, helpdesk, options);
}

void TestMappedTables::cleanup()
{
    m_sync.reset();
    m_ownHelpdesk.reset();
    m_db.reset();
}

qint64 TestMappedTables::productAddsContact(const QString &mail, const QString &name)
{
    return m_db
        ->value(QStringLiteral("INSERT INTO crm.contacts (mail, full_name) VALUES (?, ?) RETURNING id"),
                {mail, name})
        .toLongLong();
}

int TestMappedTables::contacts(const QString &where)
{
    return m_db->value(QStringLiteral("SELECT count(*) FROM crm.contacts WHERE %1").arg(where)).toInt();
}

int TestMappedTables::people(const QString &where)
{
    return m_sync->helpdeskDb()
        .value(QStringLiteral("SELECT count(*) FROM helpdesk.people WHERE %1").arg(where))
        .toInt();
}

qint64 TestMappedTables::personOf(qint64 contact)
{
    return m_db
        ->value(QStringLiteral(
                    "SELECT dashboard_id FROM sync.links WHERE entity = 'customer' AND backend_id = ?"),
                {contact})
        .toLongLong();
}

QVariant TestMappedTables::person(qint64 id, const QString &column)
{
    return m_sync->helpdeskDb().value(
        QStringLiteral("SELECT %1 FROM helpdesk.people WHERE id = ?").arg(column), {id});
}

void TestMappedTables::theCaptureIsInstalledOnceAndTracksOnlyMappedColumns()
{
    QCOMPARE(
        m_installed,
        (QStringList{QStringLiteral("backend: crm.contacts"), QStringLiteral("dashboard: helpdesk.people"),
                     QStringLiteral("backend: crm.cases"), QStringLiteral("dashboard: helpdesk.tickets")}));
    // Started again, nothing to do.
    auto again = CaptureInstaller(*m_mapping).install(m_sync->productDb().db(), m_sync->helpdeskDb().db());
    QVERIFY(again);
    QVERIFY(again->isEmpty());
    QCOMPARE(
        m_db
            ->value(QStringLiteral(
                "SELECT tracked_columns::text FROM sync.mapped_tables WHERE table_name = 'crm.contacts'"))
            .toString(),
        QStringLiteral("{full_name,id,labels,mail,phone_number}"));
    // A trigger somebody dropped is put back.
    QVERIFY(m_sync->helpdeskDb().exec(
        QStringLiteral("DROP TRIGGER syncdesk_capture_inserts ON helpdesk.people")));
    again = CaptureInstaller(*m_mapping).install(m_sync->productDb().db(), m_sync->helpdeskDb().db());
    QVERIFY(again);
    QCOMPARE(again.value(), QStringList{QStringLiteral("dashboard: helpdesk.people")});
    // Nothing was added to the users' tables.
    QCOMPARE(m_db->value(QStringLiteral(
                             "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'crm' "
                             "AND table_name = 'contacts'"))
                 .toInt(),
             6);
}

void TestMappedTables::aContactAppearsInTheHelpdeskAndEditsComeBack()
{
    QVERIFY(m_sync->start());
    const qint64 contact =
        m_db
            ->value(QStringLiteral(
                "INSERT INTO crm.contacts (mail, full_name, phone_number, labels) "
                "VALUES ('Ada@Example.com', 'Ada Lovelace', '+44 20 7946 0000', '{vip}') RETURNING id"))
            .toLongLong();
    QVERIFY(m_sync->synced());
    const qint64 person = personOf(contact);
    QVERIFY(person > 0);
    QCOMPARE(this->person(person, QStringLiteral("email")).toString(), QStringLiteral("Ada@Example.com"));
    // The helpdesk keeps a name in two columns.
    QCOMPARE(this->person(person, QStringLiteral("firstname")).toString(), QStringLiteral("Ada"));
    QCOMPARE(this->person(person, QStringLiteral("lastname")).toString(), QStringLiteral("Lovelace"));
    QCOMPARE(this->person(person, QStringLiteral("phone")).toString(), QStringLiteral("+44 20 7946 0000"));
    QCOMPARE(this->person(person, QStringLiteral("tags::text")).toString(), QStringLiteral("{vip}"));

    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE helpdesk.people SET lastname = 'King' WHERE id = ?"),
                             {person}));
    QVERIFY(m_sync->synced());
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT full_name FROM crm.contacts WHERE id = ?"), {contact}).toString(),
        QStringLiteral("Ada King"));
    // History and live events speak canonical names.
    QCOMPARE(
        m_db->value(QStringLiteral(
                        "SELECT count(*) FROM sync.history WHERE backend_id = ? AND entity = 'customer'"),
                    {contact})
            .toInt(),
        2);
    // Live events too (they reach listeners batched, a moment after the commit).
    const auto nameCameBack = [&]() {
        for (const LiveEvent &event : m_sync->announced()) {
            if (event.kind == QLatin1String("record_synced") &&
                event.payload.value(QStringLiteral("to_backend")).toVariant().toStringList() ==
                    QStringList{QStringLiteral("name")} &&
                event.payload.value(QStringLiteral("after"))
                        .toObject()
                        .value(QStringLiteral("name"))
                        .toString() == QLatin1String("Ada King"))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(nameCameBack(), 5000);
}

void TestMappedTables::aColumnNobodySyncsMakesNoEvent()
{
    QVERIFY(m_sync->start());
    const qint64 contact = productAddsContact(QStringLiteral("bo@example.com"), QStringLiteral("Bo"));
    QVERIFY(m_sync->synced());
    const qint64 person = personOf(contact);
    const auto events = [&]() {
        const QString count = QStringLiteral("SELECT count(*) FROM sync.outbox");
        return m_db->value(count).toInt() +
               (m_sync->twoDatabases() ? m_sync->helpdeskDb().value(count).toInt() : 0);
    };
    const int before = events();
    QVERIFY(m_sync->product(QStringLiteral("UPDATE crm.contacts SET last_seen_at = now() WHERE id = ?"),
                            {contact}));
    QVERIFY(m_sync->helpdesk(
        QStringLiteral("UPDATE helpdesk.people SET login_count = login_count + 1 WHERE id = ?"), {person}));
    QCOMPARE(events(), before);
    // A real edit still is one.
    QVERIFY(m_sync->product(
        QStringLiteral("UPDATE crm.contacts SET phone_number = '+1 555 0101' WHERE id = ?"), {contact}));
    QVERIFY(m_sync->synced());
    QCOMPARE(this->person(person, QStringLiteral("phone")).toString(), QStringLiteral("+1 555 0101"));
}

void TestMappedTables::aCaseFollowsItsContactIntoTheHelpdesk()
{
    QVERIFY(m_sync->start());
    // Contact and case in one transaction: the case's customer is made first, on the way.
    QVERIFY(m_db->exec(QStringLiteral(
        "WITH c AS (INSERT INTO crm.contacts (mail, full_name) VALUES ('cy@example.com', 'Cy') "
        "RETURNING id) INSERT INTO crm.cases (contact_id, title) SELECT id, 'Refund please' FROM c")));
    QVERIFY(m_sync->synced());
    const qint64 contact =
        m_db->value(QStringLiteral("SELECT id FROM crm.contacts WHERE mail = 'cy@example.com'")).toLongLong();
    const qint64 caseId =
        m_db->value(QStringLiteral("SELECT id FROM crm.cases WHERE contact_id = ?"), {contact}).toLongLong();
    const qint64 ticket =
        m_db->value(QStringLiteral(
                        "SELECT dashboard_id FROM sync.links WHERE entity = 'ticket' AND backend_id = ?"),
                    {caseId})
            .toLongLong();
    QVERIFY(ticket > 0);
    const QVariantList row =
        m_sync->helpdeskDb()
            .rows(QStringLiteral(
                      "SELECT person_id, subject, state, channel FROM helpdesk.tickets WHERE id = ?"),
                  {ticket})
            .value(0);
    QCOMPARE(row, (QVariantList{personOf(contact), QStringLiteral("Refund please"), QStringLiteral("open"),
                                QStringLiteral("web")}));

    // The helpdesk owns the state: its change comes back, spelt as the product spells it (0, 1, 2).
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE helpdesk.tickets SET state = 'closed' WHERE id = ?"),
                             {ticket}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT state FROM crm.cases WHERE id = ?"), {caseId}).toInt(), 2);
    // And the product's number arrives as the helpdesk's word.
    QVERIFY(m_sync->product(QStringLiteral("UPDATE crm.cases SET state = 1 WHERE id = ?"), {caseId}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->helpdeskDb()
                 .value(QStringLiteral("SELECT state FROM helpdesk.tickets WHERE id = ?"), {ticket})
                 .toString(),
             QStringLiteral("pending"));

    // The helpdesk refers to its priorities by id, the product names them: translated through the
    // helpdesk's table of priorities, both ways.
    QCOMPARE(
        m_sync->helpdeskDb()
            .value(QStringLiteral("SELECT p.name FROM helpdesk.tickets t JOIN helpdesk.ticket_priorities p "
                                  "ON p.id = t.priority_id WHERE t.id = ?"),
                   {ticket})
            .toString(),
        QStringLiteral("normal"));
    QVERIFY(m_sync->helpdesk(QStringLiteral("UPDATE helpdesk.tickets SET priority_id = (SELECT id FROM "
                                            "helpdesk.ticket_priorities WHERE name = 'high') WHERE id = ?"),
                             {ticket}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT priority FROM crm.cases WHERE id = ?"), {caseId}).toString(),
             QStringLiteral("high"));
    QVERIFY(m_sync->product(QStringLiteral("UPDATE crm.cases SET priority = 'low' WHERE id = ?"), {caseId}));
    QVERIFY(m_sync->synced());
    QCOMPARE(
        m_sync->helpdeskDb()
            .value(QStringLiteral("SELECT p.name FROM helpdesk.tickets t JOIN helpdesk.ticket_priorities p "
                                  "ON p.id = t.priority_id WHERE t.id = ?"),
                   {ticket})
            .toString(),
        QStringLiteral("low"));
}

void TestMappedTables::oneCustomerNewOnBothSidesIsLinkedNotDuplicated()
{
    // Both systems learn of the customer before SyncDesk looks: the addresses match, ignoring case.
    const qint64 contact = productAddsContact(QStringLiteral("Fay@Example.com"), QStringLiteral("Fay"));
    const qint64 person =
        m_sync->helpdeskDb()
            .value(QStringLiteral("INSERT INTO helpdesk.people (email, firstname, phone) "
                                  "VALUES ('fay@example.com', 'Fay', '+1 555 0199') RETURNING id"))
            .toLongLong();
    QVERIFY(m_sync->start());
    QVERIFY(m_sync->synced());
    QCOMPARE(personOf(contact), person);
    QCOMPARE(contacts(), 1);
    QCOMPARE(people(), 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT phone_number FROM crm.contacts WHERE id = ?"), {contact})
                 .toString(),
             QStringLiteral("+1 555 0199"));
}

void TestMappedTables::aSecondContactWithATakenAddressWaitsForAPerson()
{
    // Both systems knew the customer before SyncDesk came.
    const qint64 person = m_sync->helpdeskDb()
                              .value(QStringLiteral("INSERT INTO helpdesk.people (email, firstname) "
                                                    "VALUES ('dee@example.com', 'Dee') RETURNING id"))
                              .toLongLong();
    QVERIFY(m_sync->start());
    QVERIFY(m_sync->synced());
    const qint64 contact =
        m_db->value(QStringLiteral(
                        "SELECT backend_id FROM sync.links WHERE entity = 'customer' AND dashboard_id = ?"),
                    {person})
            .toLongLong();
    QVERIFY(contact > 0); // the helpdesk's person came over
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO crm.contacts (mail, full_name) VALUES ('DEE@example.com', 'Dee Dee')")));
    QVERIFY(m_sync->synced());
    // The product's second contact with that address is held for a person, not made a second person.
    QCOMPARE(people(QStringLiteral("lower(email) = 'dee@example.com'")), 1);
    QCOMPARE(
        m_db->value(QStringLiteral(
                        "SELECT count(*) FROM sync.conflicts WHERE kind = 'duplicate' AND status = 'open'"))
            .toInt(),
        1);
}

void TestMappedTables::aClashBecomesAConflictUnderTheCanonicalName()
{
    QVERIFY(m_sync->start());
    const qint64 contact = productAddsContact(QStringLiteral("eve@example.com"), QStringLiteral("Eve"));
    QVERIFY(m_sync->synced());
    const qint64 person = personOf(contact);
    QVERIFY(m_sync->pauseEngine());
    QVERIFY(m_sync->product(QStringLiteral("UPDATE crm.contacts SET phone_number = '111' WHERE id = ?"),
                            {contact}));
    QVERIFY(
        m_sync->helpdesk(QStringLiteral("UPDATE helpdesk.people SET phone = '222' WHERE id = ?"), {person}));
    m_sync->engine().resume();
    QVERIFY(m_sync->synced());
    const QVariantList conflict =
        m_db
            ->rows(QStringLiteral(
                "SELECT entity, field, backend_value #>> '{}', dashboard_value #>> '{}' FROM sync.conflicts "
                "WHERE status = 'open'"))
            .value(0);
    QCOMPARE(conflict, (QVariantList{QStringLiteral("customer"), QStringLiteral("phone"),
                                     QStringLiteral("111"), QStringLiteral("222")}));
}

void TestMappedTables::twoPopulatedSystemsAreAdoptedByTheCheck()
{
    // Both systems were in use before SyncDesk came: their records were never captured.
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO crm.contacts (mail, full_name) VALUES ('ann@example.com', 'Ann'), "
                       "('ben@example.com', 'Ben')")));
    QVERIFY(m_db->exec(
        QStringLiteral("INSERT INTO crm.cases (contact_id, title, state) SELECT id, 'Lost parcel', 1 "
                       "FROM crm.contacts WHERE mail = 'ben@example.com'")));
    QVERIFY(m_sync->helpdeskDb().exec(
        QStringLiteral("INSERT INTO helpdesk.people (email, firstname, phone, role) VALUES "
                       "('ANN@example.com', 'Ann', '+1 555 0100', 'customer'), ('cat@example.com', 'Cat', "
                       "NULL, 'customer'), "
                       "('ben@example.com', 'Ben the agent', NULL, 'agent')")));
    QVERIFY(m_db->exec(QStringLiteral("DELETE FROM sync.outbox")));
    QVERIFY(m_sync->helpdeskDb().exec(QStringLiteral("DELETE FROM sync.outbox")));
    QVERIFY(m_sync->start());

    const auto check = [&]() -> std::optional<ConsistencyReport> {
        QSqlDatabase product = m_sync->productDb().db();
        ConsistencyChecker checker(
            product, m_sync->twoDatabases() ? m_sync->helpdeskDb().db() : QSqlDatabase(), m_mapping);
        auto run = checker.createRun(QStringLiteral("test"));
        auto report = run ? checker.run(run.value(), true) : Result<ConsistencyReport>::failure(run.error());
        if (!report) {
            qWarning().noquote() << report.error();
            return std::nullopt;
        }
        return report.value();
    };
    const auto adopted = check();
    QVERIFY(adopted);
    QVERIFY(m_sync->synced());
    // Ann is one person on both sides, linked by address; Ben and Cat were copied; Ben's case followed him.
    QCOMPARE(contacts(), 3);
    // Ben the customer is not matched to Ben the agent: agents are not customers.
    QCOMPARE(people(QStringLiteral("role = 'customer'")), 3);
    QCOMPARE(people(), 4);
    const qint64 ann =
        m_db->value(QStringLiteral("SELECT id FROM crm.contacts WHERE mail = 'ann@example.com'"))
            .toLongLong();
    QCOMPARE(person(personOf(ann), QStringLiteral("email")).toString(), QStringLiteral("ANN@example.com"));
    QCOMPARE(
        m_db->value(QStringLiteral("SELECT phone_number FROM crm.contacts WHERE id = ?"), {ann}).toString(),
        QStringLiteral("+1 555 0100"));
    QCOMPARE(m_sync->helpdeskDb()
                 .value(QStringLiteral("SELECT state FROM helpdesk.tickets WHERE subject = 'Lost parcel'"))
                 .toString(),
             QStringLiteral("pending"));

    // Checked again, the two systems agree (the case's state 1 and the ticket's "pending" are one).
    const auto again = check();
    QVERIFY(again);
    QVERIFY2(again->issuesFound == 0, qPrintable(QString::fromUtf8(QJsonDocument(again->toJson()).toJson())));
}

void TestMappedTables::anAgentInTheHelpdesksPeopleNeverSyncs()
{
    QVERIFY(m_sync->start());
    QVERIFY(m_sync->helpdeskDb().exec(QStringLiteral(
        "INSERT INTO helpdesk.people (email, firstname, role) VALUES ('jo@example.com', 'Jo', 'agent'), "
        "('kim@example.com', 'Kim', 'customer')")));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT string_agg(mail, ',') FROM crm.contacts")).toString(),
             QStringLiteral("kim@example.com"));
    // Edited, still not a customer; the agent's change was looked at and let go, nothing waits.
    QVERIFY(m_sync->helpdesk(
        QStringLiteral("UPDATE helpdesk.people SET firstname = 'Jo Agent' WHERE email = 'jo@example.com'")));
    QVERIFY(m_sync->synced());
    QCOMPARE(contacts(), 1);
    QCOMPARE(m_sync->helpdeskDb()
                 .value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'"))
                 .toInt(),
             0);
    // An agent who becomes a customer syncs from the next change on.
    QVERIFY(m_sync->helpdesk(QStringLiteral(
        "UPDATE helpdesk.people SET role = 'customer', firstname = 'Jo' WHERE email = 'jo@example.com'")));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM crm.contacts WHERE mail = 'jo@example.com'"))
                 .toInt(),
             1);
}

QTEST_GUILESS_MAIN(TestMappedTables)
#include "tst_mappedtables.moc"
