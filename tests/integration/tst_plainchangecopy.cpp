#include "model/conflictpolicy.h"
#include "database/connectionprovider.h"
#include "database/sql.h"
#include "sync/entitysynchronizer.h"
#include "sync/outboxqueue.h"
#include "sync/plainchangecopier.h"
#include "syncfixture.h"
#include "model/mapping.h"

#include <QJsonDocument>
#include <QMutex>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// The set-based copy of plain edits (PlainChangeCopier) is a shortcut through the three-way
// reconciliation, so it must leave both systems, the baselines, the history and the conflicts
// exactly as the full way does, and take only what it can take. Both systems share one database
// here: with two databases the engine always goes the full way.
class TestPlainChangeCopy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheSameAsTheFullReconciliation_data();
    void readsTheSameAsTheFullReconciliation();
    void aHelpdeskEditLandingWhileTheCopyWaitsIsNotOverwritten();
    void aRecordAnotherWorkerHoldsIsLeftToTheFullWay();
    void aHandlerThatReadsCustomersStillGetsTheirRows();

private:
    struct Outcome
    {
        int copied = 0;   // records the set-based copy settled
        int leftOver = 0; // events it left to the full reconciliation
        QList<QVariantList> state;
        QStringList baselinesNotAsStored; // records whose reported baseline the link does not hold
    };
    // One customer in both systems, then `edits` while no engine runs; then one batch: with or
    // without the set-based copy first, the full reconciliation for what it left.
    Outcome editAndSync(const QStringList &edits, bool copyInSql);
};

void TestPlainChangeCopy::readsTheSameAsTheFullReconciliation_data()
{
    QTest::addColumn<QStringList>("edits"); // :user and :customer stand for the two records
    QTest::addColumn<int>("copied");
    QTest::addColumn<int>("leftOver");
    QTest::newRow("the product renames")
        << QStringList{"UPDATE backend.users SET full_name = 'Ada King', phone = '+44 1' WHERE id = :user"}
        << 1 << 0;
    QTest::newRow("the product edits twice")
        << QStringList{"UPDATE backend.users SET phone = '+44 2' WHERE id = :user",
                       "UPDATE backend.users SET phone = '+44 3', company = 'Analytical' WHERE id = :user"}
        << 1 << 0;
    QTest::newRow("the product clears the company")
        << QStringList{"UPDATE backend.users SET company = '' WHERE id = :user"} << 1 << 0;
    QTest::newRow("the product changes the e-mail")
        << QStringList{"UPDATE backend.users SET email = 'ada.king@example.com' WHERE id = :user"} << 1 << 0;
    QTest::newRow("the helpdesk clears a name the product requires")
        << QStringList{"UPDATE dashboard.customers SET name = '' WHERE id = :customer"} << 1 << 0;
    QTest::newRow("the helpdesk removes the phone")
        << QStringList{"UPDATE dashboard.customers SET phone = NULL WHERE id = :customer"} << 1 << 0;
    QTest::newRow("an edit undone before the engine looked")
        << QStringList{"UPDATE backend.users SET phone = '+44 7' WHERE id = :user",
                       "UPDATE backend.users SET phone = '+44 0' WHERE id = :user"}
        << 0 << 0;
    QTest::newRow("both sides edit other fields (the full way merges)")
        << QStringList{"UPDATE backend.users SET full_name = 'Ada King' WHERE id = :user",
                       "UPDATE dashboard.customers SET phone = '+44 9' WHERE id = :customer"}
        << 0 << 2;
    QTest::newRow("both sides edit the same field (the full way settles it)")
        << QStringList{"UPDATE backend.users SET phone = '+44 5' WHERE id = :user",
                       "UPDATE dashboard.customers SET phone = '+44 6' WHERE id = :customer"}
        << 0 << 2;
    QTest::newRow("tags (a set that may need merging)")
        << QStringList{"UPDATE backend.users SET tags = '{vip}' WHERE id = :user"} << 0 << 1;
    QTest::newRow("a deleted customer")
        << QStringList{"DELETE FROM dashboard.customers WHERE id = :customer"} << 0 << 1;
}

TestPlainChangeCopy::Outcome TestPlainChangeCopy::editAndSync(const QStringList &edits, bool copyInSql)
{
    Outcome outcome;
    TestDatabase db;
    if (!db.isReady()) {
        qWarning() << db.error();
        return outcome;
    }
    qint64 user = 0, customer = 0;
    {
        SyncFixture sync(db);
        if (!sync.start())
            return outcome;
        user = sync.productSignsUp(QStringLiteral("ada@example.com"), QStringLiteral("Ada"),
                                   QStringLiteral("+44 0"));
        if (!sync.synced()) // one batch per step, so both runs start from the same history
            return outcome;
        sync.product(QStringLiteral("UPDATE backend.users SET company = 'Atlas' WHERE id = ?"), {user});
        if (!sync.synced())
            return outcome;
        customer = sync.customerOfUser(user);
    } // the engine stops: the edits below wait for the batch this test runs itself
    for (QString edit : edits) {
        edit.replace(QStringLiteral(":user"), QString::number(user))
            .replace(QStringLiteral(":customer"), QString::number(customer));
        if (!db.exec(edit))
            return outcome;
    }

    QSqlDatabase connection = db.db();
    db.exec(QStringLiteral("BEGIN"));
    db.exec(QStringLiteral("SELECT set_config('syncdesk.origin', 'engine', true)"));
    const auto claimed = OutboxQueue::claim(connection, 100);
    if (!claimed) {
        qWarning() << claimed.error();
        return outcome;
    }
    OutboxEvents rest = claimed.value();
    QList<ReconciledRecord> copiedRecords;
    if (copyInSql) {
        rest.clear();
        const auto copied =
            PlainChangeCopier(Mapping::builtIn().customer()).apply(connection, claimed.value(), rest);
        if (!copied) {
            qWarning() << copied.error();
            return outcome;
        }
        for (const ReconciledRecord &record : copied.value())
            outcome.copied += record.action == QLatin1String("updated") ? 1 : 0;
        copiedRecords = copied.value();
        outcome.leftOver = int(rest.size());
    }
    SyncConnections connections{connection, connection, connection};
    const ConflictPolicy policy = ConflictPolicy::defaults();
    QList<qint64> deferred;
    const auto reconciled = EntitySynchronizer(Mapping::builtIn().customer(), policy, DeletePolicy::Review)
                                .reconcile(connections, rest, {}, {}, &deferred);
    QList<qint64> ids;
    for (const OutboxEvent &event : claimed.value())
        ids << event.id;
    if (!reconciled || !deferred.isEmpty() || !OutboxQueue::markDone(connection, ids) ||
        !db.exec(QStringLiteral("COMMIT"))) {
        qWarning() << (reconciled ? QStringLiteral("deferred or not committed") : reconciled.error());
        return outcome;
    }
    // What the copy reported (the live view shows it) is what the links hold now.
    for (const ReconciledRecord &record : std::as_const(copiedRecords)) {
        if (record.action != QLatin1String("updated"))
            continue;
        const QJsonObject stored =
            QJsonDocument::fromJson(
                db.value(QStringLiteral("SELECT baseline::text FROM sync.links WHERE id = ?"),
                         {record.linkId})
                    .toString()
                    .toUtf8())
                .object();
        if (record.baselineAfter != stored)
            outcome.baselinesNotAsStored
                << QString::fromUtf8(QJsonDocument(record.baselineAfter).toJson(QJsonDocument::Compact));
    }
    // Everything a person or the next batch would see.
    for (const char *statement : {// As JSON, where null and '' read differently.
                                  "SELECT json_build_array(email, full_name, phone, company, locale, "
                                  "tags)::text FROM backend.users ORDER BY id",
                                  "SELECT json_build_array(email, name, phone, company, locale, tags)::text "
                                  "FROM dashboard.customers ORDER BY id",
                                  "SELECT backend_id, dashboard_id, baseline::text, paused_fields::text, "
                                  "state, version FROM sync.links ORDER BY id",
                                  "SELECT entity, link_id, direction, action, fields::text, event_ids::text, "
                                  "details::text FROM sync.history ORDER BY id",
                                  "SELECT field, status, strategy, resolution, baseline_value::text, "
                                  "backend_value::text, dashboard_value::text "
                                  "FROM sync.conflicts ORDER BY id"})
        outcome.state << db.rows(QString::fromLatin1(statement));
    return outcome;
}

void TestPlainChangeCopy::readsTheSameAsTheFullReconciliation()
{
    QFETCH(QStringList, edits);
    QFETCH(int, copied);
    QFETCH(int, leftOver);
    const Outcome fullWay = editAndSync(edits, false);
    const Outcome shortcut = editAndSync(edits, true);
    QVERIFY(!fullWay.state.isEmpty());
    QCOMPARE(shortcut.copied, copied);
    QCOMPARE(shortcut.leftOver, leftOver);
    QCOMPARE(shortcut.state, fullWay.state);
    QCOMPARE(shortcut.baselinesNotAsStored, QStringList());
}

void TestPlainChangeCopy::aHelpdeskEditLandingWhileTheCopyWaitsIsNotOverwritten()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    SyncFixture sync(db);
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("bea@example.com"), QStringLiteral("Bea"));
    QVERIFY(sync.synced());
    const qint64 customer = sync.customerOfUser(user);

    // An agent is saving a new name in the helpdesk (row locked, not committed yet)...
    ConnectionProvider agentConnections(db.url(), QStringLiteral("agent"));
    QSqlDatabase agent = agentConnections.database().value();
    QVERIFY(sql::exec(agent, QStringLiteral("BEGIN")));
    QVERIFY(sql::exec(agent,
                      QStringLiteral("UPDATE dashboard.customers SET name = 'Beatrice (agent)' WHERE id = ?"),
                      {customer}));
    // ...when the product renames her too: the copy reads the helpdesk's row as the baseline and
    // waits for the agent's lock to write it.
    QVERIFY(sync.product(
        QStringLiteral("UPDATE backend.users SET full_name = 'Beatrice (product)' WHERE id = ?"), {user}));
    // A session of this test's database waits for a lock (pg_locks spans the whole cluster, where
    // other tests run at the same time).
    QTRY_VERIFY(db.value(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                        "current_database() AND wait_event_type = 'Lock'"))
                    .toInt() > 0);
    QVERIFY(sql::exec(agent, QStringLiteral("COMMIT")));
    QVERIFY(sync.synced());

    // Both edits were seen: a conflict settled by the default for names (latest wins: the product's,
    // made last), not the agent's edit silently overwritten.
    QCOMPARE(sync.customerField(customer, QStringLiteral("name")).toString(),
             QStringLiteral("Beatrice (product)"));
    QCOMPARE(sync.userField(user, QStringLiteral("full_name")).toString(),
             QStringLiteral("Beatrice (product)"));
    const auto conflicts = db.rows(
        QStringLiteral("SELECT field, status, resolution, dashboard_value #>> '{}' FROM sync.conflicts"));
    QCOMPARE(conflicts.size(), 1);
    QCOMPARE(conflicts[0][0].toString(), QStringLiteral("name"));
    QCOMPARE(conflicts[0][1].toString(), QStringLiteral("resolved"));
    QCOMPARE(conflicts[0][2].toString(), QStringLiteral("latest_wins:backend"));
    QCOMPARE(conflicts[0][3].toString(), QStringLiteral("Beatrice (agent)"));
}

void TestPlainChangeCopy::aRecordAnotherWorkerHoldsIsLeftToTheFullWay()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    qint64 user = 0;
    {
        SyncFixture sync(db);
        QVERIFY(sync.start());
        user = sync.productSignsUp(QStringLiteral("dot@example.com"), QStringLiteral("Dot"));
        QVERIFY(sync.synced());
    } // the engine stops: this test runs the batch itself
    QVERIFY(db.exec(QStringLiteral("UPDATE backend.users SET full_name = 'Dorothy' WHERE id = ?"), {user}));

    // Another worker is reconciling the record: it holds the link.
    ConnectionProvider otherConnections(db.url(), QStringLiteral("other-worker"));
    QSqlDatabase other = otherConnections.database().value();
    QVERIFY(sql::exec(other, QStringLiteral("BEGIN")));
    QVERIFY(sql::exec(other, QStringLiteral("SELECT id FROM sync.links WHERE backend_id = ? FOR UPDATE"),
                      {user}));

    // The copy does not wait for it and copies nothing: the event is left to the full way (which
    // defers it while the link is held).
    QSqlDatabase connection = db.db();
    QVERIFY(db.exec(QStringLiteral("BEGIN")));
    const auto claimed = OutboxQueue::claim(connection, 100);
    QVERIFY2(claimed, qPrintable(claimed.error()));
    QCOMPARE(claimed.value().size(), 1);
    OutboxEvents rest;
    const PlainChangeCopier copier(Mapping::builtIn().customer());
    auto copied = copier.apply(connection, claimed.value(), rest);
    QVERIFY2(copied, qPrintable(copied.error()));
    QVERIFY(copied.value().isEmpty());
    QCOMPARE(rest.size(), 1);
    QVERIFY(db.exec(QStringLiteral("ROLLBACK")));

    // Once the other worker is done, the same batch is copied.
    QVERIFY(sql::exec(other, QStringLiteral("COMMIT")));
    QVERIFY(db.exec(QStringLiteral("BEGIN")));
    rest.clear();
    copied = copier.apply(connection, OutboxQueue::claim(connection, 100).value(), rest);
    QVERIFY2(copied, qPrintable(copied.error()));
    QCOMPARE(copied.value().size(), 1);
    QCOMPARE(copied.value().first().action, QStringLiteral("updated"));
    QVERIFY(rest.isEmpty());
    QVERIFY(db.exec(QStringLiteral("COMMIT")));
    QCOMPARE(
        db.value(QStringLiteral(
                     "SELECT c.name FROM dashboard.customers c JOIN sync.links l ON l.dashboard_id = c.id "
                     "WHERE l.backend_id = ?"),
                 {user})
            .toString(),
        QStringLiteral("Dorothy"));
}

namespace {

// A new automatic action on customers, registered like the built-in ones: it reads the rows.
class NameWatcher final : public EventHandler
{
public:
    QString name() const override { return QStringLiteral("name-watcher"); }
    QList<QPair<QString, QString>> subscriptions() const override
    {
        return {{QStringLiteral("customer"), QStringLiteral("update")}};
    }
    Status handle(HandlerContext &, const QList<ReconciledRecord> &records, const OutboxEvents &) override
    {
        QMutexLocker locker(&m_mutex);
        for (const ReconciledRecord &record : records)
            m_seen << record.backendRow.value(QStringLiteral("full_name")).toString() +
                          QStringLiteral(" / ") +
                          record.dashboardRow.value(QStringLiteral("name")).toString();
        return Status::success();
    }
    QStringList seen() const
    {
        QMutexLocker locker(&m_mutex);
        return m_seen;
    }

private:
    mutable QMutex m_mutex;
    QStringList m_seen;
};

} // namespace

void TestPlainChangeCopy::aHandlerThatReadsCustomersStillGetsTheirRows()
{
    TestDatabase db;
    QVERIFY2(db.isReady(), qPrintable(db.error()));
    SyncFixture sync(db);
    auto watcher = std::make_shared<NameWatcher>();
    sync.engine().handlers().add(watcher);
    QVERIFY(sync.start());
    const qint64 user = sync.productSignsUp(QStringLiteral("cy@example.com"), QStringLiteral("Cy"));
    QVERIFY(sync.synced());
    QVERIFY(
        sync.product(QStringLiteral("UPDATE backend.users SET full_name = 'Cyrus' WHERE id = ?"), {user}));
    QVERIFY(sync.synced());
    // The set-based copy steps aside for an entity a handler reads: the handler gets both rows as written.
    QVERIFY2(watcher->seen().contains(QStringLiteral("Cyrus / Cyrus")),
             qPrintable(watcher->seen().join(QStringLiteral(", "))));
}

QTEST_GUILESS_MAIN(TestPlainChangeCopy)
#include "tst_plainchangecopy.moc"
