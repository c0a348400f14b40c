#include "database/connectionprovider.h"
#include "syncfixture.h"
#include "tasks/consistencychecker.h"

#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// The consistency check finds every kind of drift injected behind the engine's back, repairs what
// is safe, reports the rest, and records each run.
class TestConsistencyCheck final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void aSyncedDatabaseIsConsistent();
    void findsAndRepairsInjectedDrift();
    void fieldsWaitingForAPersonAreNotDrift();
    void reportsWithoutRepairingWhenAskedTo();

private:
    // Writes behind the engine's back (not captured), as a buggy script or a restore would.
    bool behindTheEnginesBack(const QString &statement, const QVariantList &values = {});
    Result<ConsistencyReport> check(bool repair = true);
    static qint64 found(const ConsistencyReport &report, const QString &check);
    static qint64 repaired(const ConsistencyReport &report, const QString &check);

    TestDatabase &helpdesk() { return m_helpdesk ? *m_helpdesk : *m_db; }
    std::unique_ptr<SyncFixture> engine() { return std::make_unique<SyncFixture>(*m_db, helpdesk(), SyncFixture::defaults()); }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<TestDatabase> m_helpdesk; // the helpdesk in a database of its own
};

void TestConsistencyCheck::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    if (SyncFixture::layoutOfRow() == SyncFixture::Layout::TwoDatabases) {
        m_helpdesk = SyncFixture::helpdeskDatabase();
        QVERIFY(m_helpdesk);
    }
}

void TestConsistencyCheck::cleanup()
{
    m_helpdesk.reset();
    m_db.reset();
}

bool TestConsistencyCheck::behindTheEnginesBack(const QString &statement, const QVariantList &values)
{
    TestDatabase &db = statement.contains(QLatin1String("dashboard.")) ? helpdesk() : *m_db;
    return db.exec(QStringLiteral("BEGIN")) && db.exec(QStringLiteral("SET LOCAL syncdesk.origin = 'restore-script'"))
           && db.exec(statement, values) && db.exec(QStringLiteral("COMMIT"));
}

Result<ConsistencyReport> TestConsistencyCheck::check(bool repair)
{
    ConnectionProvider connections(m_db->url(), QStringLiteral("checker"));
    ConnectionProvider helpdeskConnections(helpdesk().url(), QStringLiteral("checker-helpdesk"));
    auto db = connections.database();
    auto dashboard = m_helpdesk ? helpdeskConnections.database() : db;
    if (!db || !dashboard)
        return Result<ConsistencyReport>::failure(!db ? db.error() : dashboard.error());
    ConsistencyChecker checker(db.value(), dashboard.value());
    auto run = checker.createRun(QStringLiteral("test"));
    if (!run)
        return Result<ConsistencyReport>::failure(run.error());
    return checker.run(run.value(), repair);
}

qint64 TestConsistencyCheck::found(const ConsistencyReport &report, const QString &check)
{
    for (const ConsistencyFinding &finding : report.findings) {
        if (finding.check == check)
            return finding.found;
    }
    return -1;
}

qint64 TestConsistencyCheck::repaired(const ConsistencyReport &report, const QString &check)
{
    for (const ConsistencyFinding &finding : report.findings) {
        if (finding.check == check)
            return finding.repaired;
    }
    return -1;
}

void TestConsistencyCheck::aSyncedDatabaseIsConsistent()
{
    auto engine = this->engine();
    SyncFixture &sync = *engine;
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("a@example.com"), QStringLiteral("A"));
    sync.helpdeskAddsCustomer(QStringLiteral("b@example.com"), QStringLiteral("B"));
    m_db->exec(QStringLiteral("INSERT INTO backend.tickets (user_id, subject) VALUES (?, 'Help')"), {user});
    QVERIFY(sync.synced());
    const auto report = check();
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY2(report->consistent(), qPrintable(report->toText()));
    QCOMPARE(report->issuesFound, 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM sync.consistency_runs WHERE id = ?"), {report->runId}).toString(),
             QStringLiteral("completed"));
}

void TestConsistencyCheck::findsAndRepairsInjectedDrift()
{
    auto engine = this->engine();
    SyncFixture &sync = *engine;
    QVERIFY(sync.start());
    const qint64 drifting = sync.productSignsUp(QStringLiteral("drift@example.com"), QStringLiteral("Drift"), QStringLiteral("+1 1"));
    const qint64 vanishing = sync.productSignsUp(QStringLiteral("gone@example.com"), QStringLiteral("Gone"));
    const qint64 owner = sync.productSignsUp(QStringLiteral("owner@example.com"), QStringLiteral("Owner"));
    const qint64 conversation = m_db->value(QStringLiteral("INSERT INTO backend.conversations (user_id) VALUES (?) RETURNING id"),
                                            {owner})
                                    .toLongLong();
    QVERIFY(sync.synced());
    const OperationResult ticket = sync.engine().operations().createTicketFromConversation(conversation, {}, {});
    QVERIFY2(ticket.success, qPrintable(ticket.error));
    QVERIFY(sync.engine().operations().handleTicketStatusChange(ticket.entityId, QStringLiteral("resolved"), {}).success);
    sync.engine().stop();

    // Every kind of damage, made where capture cannot see it.
    QVERIFY(behindTheEnginesBack(QStringLiteral("INSERT INTO backend.users (email, full_name) VALUES ('lonely@example.com', 'Lonely')")));
    QVERIFY(behindTheEnginesBack(QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES ('solo@example.com', 'Solo')")));
    QVERIFY(behindTheEnginesBack(QStringLiteral("UPDATE dashboard.customers SET phone = '+1 2' WHERE id = ?"),
                                 {sync.customerOfUser(drifting)}));
    QVERIFY(behindTheEnginesBack(QStringLiteral("DELETE FROM backend.users WHERE id = ?"), {vanishing}));
    QVERIFY(behindTheEnginesBack(QStringLiteral("UPDATE backend.conversations SET status = 'active' WHERE id = ?"), {conversation}));
    QVERIFY(behindTheEnginesBack(QStringLiteral("INSERT INTO backend.users (email) VALUES ('Twin@example.com'), ('twin@example.com')")));
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, status, last_error) "
                                      "VALUES ('backend', 'customer', 'backend.users', 999, 'update', 'dead', 'gave up')")));
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, captured_at, "
                                      "next_attempt_at) VALUES ('backend', 'conversation', 'backend.conversations', ?, 'update', "
                                      "now() - interval '1 hour', now() - interval '1 hour')"),
                       {conversation}));

    const auto report = check();
    QVERIFY2(report.ok(), qPrintable(report.error()));
    const QString text = report->toText();
    QCOMPARE(found(report.value(), QStringLiteral("unlinked_customers")), 4); // lonely, solo and the twins
    QCOMPARE(repaired(report.value(), QStringLiteral("unlinked_customers")), 4);
    QCOMPARE(found(report.value(), QStringLiteral("drifted_customers")), 1);
    QCOMPARE(repaired(report.value(), QStringLiteral("drifted_customers")), 1);
    QCOMPARE(found(report.value(), QStringLiteral("customer_links_to_missing_rows")), 1);
    QCOMPARE(found(report.value(), QStringLiteral("conversation_status_mismatches")), 1);
    QCOMPARE(repaired(report.value(), QStringLiteral("conversation_status_mismatches")), 1);
    QCOMPARE(found(report.value(), QStringLiteral("duplicate_customers")), 1);
    QCOMPARE(repaired(report.value(), QStringLiteral("duplicate_customers")), 0); // a person decides
    QCOMPARE(found(report.value(), QStringLiteral("dead_events")), 1);
    QCOMPARE(found(report.value(), QStringLiteral("stuck_events")), 1);
    QVERIFY(!report->consistent());
    QVERIFY2(text.contains(QLatin1String("fields differ with no change pending: 1 found")), qPrintable(text));
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM backend.conversations WHERE id = ?"), {conversation}).toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT counts -> 'drifted_customers' ->> 'found' FROM sync.consistency_runs WHERE id = ?"),
                         {report->runId})
                 .toString(),
             QStringLiteral("1"));

    // The engine applies the re-queued repairs with its usual rules.
    auto restarted = this->engine();
    SyncFixture &after = *restarted;
    QVERIFY(after.start());
    QVERIFY(after.synced());
    QCOMPARE(after.userField(drifting, QStringLiteral("phone")).toString(), QStringLiteral("+1 2"));
    QVERIFY(helpdesk().value(QStringLiteral("SELECT count(*) FROM dashboard.customers WHERE email = 'lonely@example.com'")).toInt() == 1);
    QVERIFY(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE email = 'solo@example.com'")).toInt() == 1);
    QCOMPARE(m_db->value(QStringLiteral("SELECT state FROM sync.links WHERE entity = 'customer' AND backend_id = ?"), {vanishing})
                 .toString(),
             QStringLiteral("deleted_in_backend"));
    const auto second = check();
    QVERIFY2(second.ok(), qPrintable(second.error()));
    QCOMPARE(found(second.value(), QStringLiteral("drifted_customers")), 0);
    QCOMPARE(found(second.value(), QStringLiteral("unlinked_customers")), 0);
    QCOMPARE(found(second.value(), QStringLiteral("customer_links_to_missing_rows")), 0);
}

void TestConsistencyCheck::fieldsWaitingForAPersonAreNotDrift()
{
    auto engine = this->engine();
    SyncFixture &sync = *engine;
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("pat@example.com"), QStringLiteral("Pat"));
    QVERIFY(sync.synced());
    QVERIFY(sync.pauseEngine());
    QVERIFY(sync.product(QStringLiteral("UPDATE backend.users SET email = 'pat@one.example.com' WHERE id = ?"), {user}));
    QVERIFY(sync.helpdesk(QStringLiteral("UPDATE dashboard.customers SET email = 'pat@two.example.com' WHERE id = ?"),
                          {sync.customerOfUser(user)}));
    sync.engine().resume();
    QVERIFY(sync.synced());
    const auto report = check();
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(found(report.value(), QStringLiteral("drifted_customers")), 0);
}

void TestConsistencyCheck::reportsWithoutRepairingWhenAskedTo()
{
    QVERIFY(behindTheEnginesBack(QStringLiteral("INSERT INTO backend.users (email) VALUES ('quiet@example.com')")));
    const auto report = check(false);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QCOMPARE(found(report.value(), QStringLiteral("unlinked_customers")), 1);
    QCOMPARE(report->repaired, 0);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestConsistencyCheck)
#include "tst_consistencycheck.moc"
