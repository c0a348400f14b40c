#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "sync/reconcileplanwriter.h"
#include "syncfixture.h"
#include "testdatabase.h"

#include <QJsonDocument>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

namespace {

// A customer only the product has, planned to be created in the helpdesk under `newId`: what
// ReconcilePlanner decides for it.
ReconcilePlan createInHelpdesk(qint64 userId, qint64 newId, const QJsonObject &values)
{
    const EntityDefinition &customer = Mapping::builtIn().customer();
    ReconcilePlan plan;
    QJsonObject row = customer.rowFor(values, false);
    row.insert(QStringLiteral("id"), newId);
    plan.dashboardInserts.append(row);
    Link link;
    link.backendId = userId;
    link.dashboardId = newId;
    link.baseline = values;
    plan.newLinks << link;
    ReconciledRecord record;
    record.entity = customer.name;
    record.action = QStringLiteral("created_in_dashboard");
    record.backendId = userId;
    record.dashboardId = newId;
    record.toDashboard = customer.fieldNames();
    record.baselineAfter = values;
    plan.records << record;
    plan.recordOfNewLink << 0;
    return plan;
}

} // namespace

// Writing what reconciliation decided: every kind of write in one statement, new links named in the
// records they were made for, and nothing written after a write that failed.
class TestReconcilePlanWriter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aPlanLandsOnBothSidesLinkedAndInTheHistory();
    void theFirstWriteThatFailsEndsThePlan();
};

void TestReconcilePlanWriter::aPlanLandsOnBothSidesLinkedAndInTheHistory()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    const qint64 user = database.value(QStringLiteral("INSERT INTO backend.users (email, full_name, phone) "
                                                      "VALUES ('ivy@example.com', 'Ivy', '+1 5') RETURNING id"))
                            .toLongLong();
    const qint64 newId =
        database.value(QStringLiteral("SELECT nextval(pg_get_serial_sequence('dashboard.customers', 'id'))")).toLongLong();
    const QJsonObject values = Mapping::builtIn().customer().canonical(
        QJsonObject{{QStringLiteral("email"), QStringLiteral("ivy@example.com")},
                    {QStringLiteral("full_name"), QStringLiteral("Ivy")},
                    {QStringLiteral("phone"), QStringLiteral("+1 5")}},
        true);

    QSqlDatabase db = database.db();
    SyncConnections connections{db, db, {}};
    QVERIFY(db.transaction());
    auto written = ReconcilePlanWriter(Mapping::builtIn().customer()).write(connections, createInHelpdesk(user, newId, values));
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QVERIFY(db.commit());

    QCOMPARE(written->size(), 1);
    const qint64 link = written->constFirst().linkId;
    QVERIFY(link > 0);
    QCOMPARE(database.value(QStringLiteral("SELECT name || ' ' || phone FROM dashboard.customers WHERE id = ?"), {newId})
                 .toString(),
             QStringLiteral("Ivy +1 5"));
    QCOMPARE(database.value(QStringLiteral("SELECT backend_id || '/' || dashboard_id FROM sync.links WHERE id = ?"), {link})
                 .toString(),
             QStringLiteral("%1/%2").arg(user).arg(newId));
    QCOMPARE(database.value(QStringLiteral("SELECT baseline ->> 'phone' FROM sync.links WHERE id = ?"), {link}).toString(),
             QStringLiteral("+1 5"));
    QCOMPARE(database.value(QStringLiteral("SELECT action FROM sync.history WHERE link_id = ?"), {link}).toString(),
             QStringLiteral("created_in_dashboard"));
}

void TestReconcilePlanWriter::theFirstWriteThatFailsEndsThePlan()
{
    // Two databases, so a failure in the helpdesk leaves the product's transaction open and readable.
    TestDatabase product;
    QVERIFY2(product.isReady(), qPrintable(product.error()));
    std::unique_ptr<TestDatabase> helpdesk = SyncFixture::helpdeskDatabase();
    QVERIFY(helpdesk);
    const qint64 user = product.value(QStringLiteral("INSERT INTO backend.users (email, full_name, phone) "
                                                     "VALUES ('jo@example.com', 'Jo', '+1 1') RETURNING id"))
                            .toLongLong();
    QJsonObject values = Mapping::builtIn().customer().canonical(
        QJsonObject{{QStringLiteral("email"), QStringLiteral("jo@example.com")}, {QStringLiteral("full_name"), QStringLiteral("Jo")}},
        true);
    ReconcilePlan plan = createInHelpdesk(user, 1, values);
    // The helpdesk refuses the new row (its e-mail is NOT NULL); the plan also changes the product's
    // row, a write that comes later.
    QJsonObject refused = plan.dashboardInserts.first().toObject();
    refused.insert(QStringLiteral("email"), QJsonValue(QJsonValue::Null));
    plan.dashboardInserts = QJsonArray{refused};
    plan.backendUpdates.append(QJsonObject{{QStringLiteral("id"), user},
                                           {QStringLiteral("set"), QJsonObject{{QStringLiteral("phone"), QStringLiteral("+1 2")}}}});

    QSqlDatabase backend = product.db();
    QSqlDatabase dashboard = helpdesk->db();
    SyncConnections connections{backend, dashboard, {}};
    QVERIFY(!connections.shared());
    QVERIFY(backend.transaction());
    QVERIFY(dashboard.transaction());
    auto written = ReconcilePlanWriter(Mapping::builtIn().customer()).write(connections, plan);
    QVERIFY(!written.ok());
    QVERIFY2(written.error().startsWith(QLatin1String("creating helpdesk records customer:")), qPrintable(written.error()));
    // Inside the product's still open transaction: neither the later update nor the link was written.
    QCOMPARE(product.value(QStringLiteral("SELECT phone FROM backend.users WHERE id = ?"), {user}).toString(),
             QStringLiteral("+1 1"));
    QCOMPARE(product.value(QStringLiteral("SELECT count(*) FROM sync.links")).toInt(), 0);
    QVERIFY(backend.rollback());
    QVERIFY(dashboard.rollback());
}

QTEST_GUILESS_MAIN(TestReconcilePlanWriter)
#include "tst_reconcileplanwriter.moc"
