#include "syncfixture.h"

#include <QJsonArray>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// A person settles what the engine could not: the chosen value goes to both sides and the
// baseline at once, the field syncs again, and the decision is recorded, once.
class TestConflictResolution final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void usingOneSidesValueSettlesIt_data();
    void usingOneSidesValueSettlesIt();
    void aConflictIsResolvedOnlyOnce();
    void mergeWorksForTagsButNotForText();
    void badValuesAreRefusedAndChangeNothing();
    void bulkResolutionByRule();
    void aDeletedRecordIsDeletedOnTheOtherSideOrRestored_data();
    void aDeletedRecordIsDeletedOnTheOtherSideOrRestored();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SyncFixture> m_sync;
};

void TestConflictResolution::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isReady(), qPrintable(m_db->error()));
    EngineOptions options = SyncFixture::defaults();
    options.conflictRules = {QStringLiteral("customer.phone=manual_review"), QStringLiteral("customer.tags=manual_review")};
    m_sync = std::make_unique<SyncFixture>(*m_db, options, SyncFixture::layoutOfRow());
    QVERIFY(m_sync->start());
}

void TestConflictResolution::cleanup()
{
    m_sync.reset();
    m_db.reset();
}

void TestConflictResolution::usingOneSidesValueSettlesIt_data()
{
    QTest::addColumn<QString>("decision");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("use the product's") << "backend" << "" << "+1 111";
    QTest::newRow("use the helpdesk's") << "dashboard" << "" << "+1 222";
    QTest::newRow("use a typed value") << "value" << "+1 333" << "+1 333";
    QTest::newRow("latest wins") << "latest_wins" << "" << "+1 222";
}

void TestConflictResolution::usingOneSidesValueSettlesIt()
{
    QFETCH(QString, decision);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const qint64 user = m_sync->productSignsUp(QStringLiteral("res@example.com"), QStringLiteral("Res"), QStringLiteral("+1 000"));
    QVERIFY(m_sync->synced());
    const qint64 conflict = m_sync->clash(user, QStringLiteral("phone = '+1 111'"), QStringLiteral("phone = '+1 222'"));
    QVERIFY(conflict > 0);

    const OperationResult resolved = m_sync->engine().conflicts().resolve(
        conflict, ConflictDecision{*ConflictDecision::kindFromName(decision), value.isEmpty() ? QJsonValue() : QJsonValue(value)},
        QStringLiteral("anna.k"));
    QVERIFY2(resolved.success, qPrintable(resolved.error));
    const qint64 customer = m_sync->customerOfUser(user);
    QCOMPARE(m_sync->userField(user, QStringLiteral("phone")).toString(), expected);
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("phone")).toString(), expected);
    const auto row = m_db->rows(QStringLiteral("SELECT status, resolution, resolved_by, resolved_value #>> '{}' FROM sync.conflicts WHERE id = ?"),
                                {conflict});
    QCOMPARE(row[0][0].toString(), QStringLiteral("resolved"));
    QCOMPARE(row[0][1].toString(), decision);
    QCOMPARE(row[0][2].toString(), QStringLiteral("anna.k"));
    QCOMPARE(row[0][3].toString(), expected);
    QCOMPARE(m_db->value(QStringLiteral("SELECT paused_fields::text FROM sync.links WHERE backend_id = ? AND entity = 'customer'"), {user})
                 .toString(),
             QStringLiteral("{}"));
    // Not captured back as a change, and the field syncs again afterwards.
    QVERIFY(m_sync->synced());
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET phone = '+1 444' WHERE id = ?"), {user}));
    QVERIFY(m_sync->synced());
    QCOMPARE(m_sync->customerField(customer, QStringLiteral("phone")).toString(), QStringLiteral("+1 444"));
    // The engine told the window and the API stream itself.
    const auto announced = m_sync->announcement(LiveEventKind::ConflictResolved);
    QVERIFY(announced);
    QCOMPARE(announced->payload.value(QStringLiteral("conflict_id")).toInteger(), conflict);
}

void TestConflictResolution::aConflictIsResolvedOnlyOnce()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("once@example.com"), QStringLiteral("Once"), QStringLiteral("+1 000"));
    QVERIFY(m_sync->synced());
    const qint64 conflict = m_sync->clash(user, QStringLiteral("phone = '+1 1'"), QStringLiteral("phone = '+1 2'"));
    QVERIFY(m_sync->engine().conflicts().resolve(conflict, {ConflictDecision::Kind::UseBackend, {}}, QStringLiteral("a")).success);
    const OperationResult again = m_sync->engine().conflicts().resolve(conflict, {ConflictDecision::Kind::UseDashboard, {}},
                                                                      QStringLiteral("b"));
    QVERIFY(!again.success);
    QCOMPARE(again.failure, OperationResult::Failure::Conflict);
    QVERIFY2(again.error.contains(QLatin1String("already resolved by a")), qPrintable(again.error));
    QCOMPARE(m_sync->customerField(m_sync->customerOfUser(user), QStringLiteral("phone")).toString(), QStringLiteral("+1 1"));
    QCOMPARE(m_sync->engine().conflicts().resolve(424242, {ConflictDecision::Kind::UseBackend, {}}, {}).failure,
             OperationResult::Failure::NotFound);
}

void TestConflictResolution::mergeWorksForTagsButNotForText()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("tags@example.com"), QStringLiteral("Tags"), QStringLiteral("+1 0"));
    QVERIFY(m_sync->product(QStringLiteral("UPDATE backend.users SET tags = '{a,b}' WHERE id = ?"), {user}));
    QVERIFY(m_sync->synced());
    const qint64 tags = m_sync->clash(user, QStringLiteral("tags = '{a,b,c}'"), QStringLiteral("tags = '{b,d}'"));
    const OperationResult merged = m_sync->engine().conflicts().resolve(tags, {ConflictDecision::Kind::Merge, {}}, {});
    QVERIFY2(merged.success, qPrintable(merged.error));
    QCOMPARE(m_sync->userField(user, QStringLiteral("tags")).toString(), QStringLiteral("{b,c,d}"));
    QCOMPARE(m_sync->customerField(m_sync->customerOfUser(user), QStringLiteral("tags")).toString(), QStringLiteral("{b,c,d}"));

    const qint64 phone = m_sync->clash(user, QStringLiteral("phone = '+1 1'"), QStringLiteral("phone = '+1 2'"));
    const OperationResult text = m_sync->engine().conflicts().resolve(phone, {ConflictDecision::Kind::Merge, {}}, {});
    QCOMPARE(text.failure, OperationResult::Failure::InvalidInput);
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM sync.conflicts WHERE id = ?"), {phone}).toString(), QStringLiteral("open"));
}

void TestConflictResolution::badValuesAreRefusedAndChangeNothing()
{
    const qint64 user = m_sync->productSignsUp(QStringLiteral("bad@example.com"), QStringLiteral("Bad"), QStringLiteral("+1 0"));
    QVERIFY(m_sync->synced());
    const qint64 conflict = m_sync->clash(user, QStringLiteral("phone = '+1 1'"), QStringLiteral("phone = '+1 2'"));
    const OperationResult wrongType = m_sync->engine().conflicts().resolve(
        conflict, {ConflictDecision::Kind::UseValue, QJsonValue(QJsonArray{1, 2})}, {});
    QCOMPARE(wrongType.failure, OperationResult::Failure::InvalidInput);
    // A value one side's database refuses rolls back both sides.
    QVERIFY(m_sync->helpdeskDb().exec(QStringLiteral("ALTER TABLE dashboard.customers ADD CONSTRAINT short_phones CHECK (length(phone) < 20)")));
    const OperationResult refused = m_sync->engine().conflicts().resolve(
        conflict, {ConflictDecision::Kind::UseValue, QJsonValue(QStringLiteral("+1 555 555 555 555 555 555"))}, {});
    QCOMPARE(refused.failure, OperationResult::Failure::InvalidInput);
    QCOMPARE(m_sync->userField(user, QStringLiteral("phone")).toString(), QStringLiteral("+1 1"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT status FROM sync.conflicts WHERE id = ?"), {conflict}).toString(), QStringLiteral("open"));
}

void TestConflictResolution::bulkResolutionByRule()
{
    QList<qint64> users;
    for (int i = 0; i < 3; ++i) {
        users << m_sync->productSignsUp(QStringLiteral("bulk%1@example.com").arg(i), QStringLiteral("Bulk"), QStringLiteral("+1 0"));
    }
    QVERIFY(m_sync->synced());
    for (qint64 user : users)
        m_sync->clash(user, QStringLiteral("phone = '+1 backend'"), QStringLiteral("phone = '+1 helpdesk'"));
    m_sync->clash(users.first(), QStringLiteral("email = 'x@product.example.com'"), QStringLiteral("email = 'x@helpdesk.example.com'"));
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.conflicts WHERE status = 'open'")).toInt(), 4);

    ConflictFilter phones;
    phones.entity = QStringLiteral("customer");
    phones.field = QStringLiteral("phone");
    const auto bulk = m_sync->engine().conflicts().resolveAll(phones, {ConflictDecision::Kind::UseDashboard, {}},
                                                             QStringLiteral("lead"));
    QVERIFY2(bulk.ok(), qPrintable(bulk.error()));
    QCOMPARE(bulk->resolved, 3);
    QVERIFY(bulk->failures.isEmpty());
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE phone = '+1 helpdesk'")).toInt(), 3);
    QCOMPARE(m_db->value(QStringLiteral("SELECT field FROM sync.conflicts WHERE status = 'open'")).toString(), QStringLiteral("email"));
}

void TestConflictResolution::aDeletedRecordIsDeletedOnTheOtherSideOrRestored_data()
{
    QTest::addColumn<QString>("decision");
    QTest::addColumn<int>("customersAfter");
    QTest::addColumn<int>("usersAfter");
    QTest::newRow("delete the helpdesk's record too") << "delete_other_side" << 0 << 0;
    QTest::newRow("restore the product's record") << "restore" << 1 << 1;
}

void TestConflictResolution::aDeletedRecordIsDeletedOnTheOtherSideOrRestored()
{
    QFETCH(QString, decision);
    QFETCH(int, customersAfter);
    QFETCH(int, usersAfter);
    const qint64 user = m_sync->productSignsUp(QStringLiteral("gone@example.com"), QStringLiteral("Gone"));
    QVERIFY(m_sync->synced());
    QVERIFY(m_sync->product(QStringLiteral("DELETE FROM backend.users WHERE id = ?"), {user}));
    QVERIFY(m_sync->synced());
    const qint64 conflict = m_db->value(QStringLiteral("SELECT id FROM sync.conflicts WHERE kind = 'deleted'")).toLongLong();
    QCOMPARE(m_sync->engine().conflicts().resolve(conflict, {ConflictDecision::Kind::UseBackend, {}}, {}).failure,
             OperationResult::Failure::InvalidInput);
    const OperationResult settled = m_sync->engine().conflicts().resolve(
        conflict, {*ConflictDecision::kindFromName(decision), {}}, QStringLiteral("lead"));
    QVERIFY2(settled.success, qPrintable(settled.error));
    QVERIFY(m_sync->synced());
    QTRY_COMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM backend.users WHERE email = 'gone@example.com'")).toInt(), usersAfter);
    QCOMPARE(m_sync->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.customers WHERE email = 'gone@example.com'")).toInt(), customersAfter);
    QCOMPARE(m_db->value(QStringLiteral("SELECT count(*) FROM sync.links WHERE entity = 'customer' AND state <> 'active'")).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestConflictResolution)
#include "tst_conflictresolution.moc"
