#include "ui/conflictactions.h"

#include <QJsonArray>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;
using Action = ConflictActions::Action;
using Kind = ConflictDecision::Kind;

Q_DECLARE_METATYPE(Action)
Q_DECLARE_METATYPE(Kind)

// What a person may do with a conflict, and what each choice asks the engine to do.
class TestConflictActions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void whatIsOfferedDependsOnTheField_data();
    void whatIsOfferedDependsOnTheField();
    void eachChoiceIsADecision_data();
    void eachChoiceIsADecision();
    void typedValuesAreParsedForTheField_data();
    void typedValuesAreParsedForTheField();
    void aSettledConflictOffersNothing();
    void bulkActionsNeedNoValues();
    void anAddressTakenOnTheOtherSideIsNamed();

private:
    static QJsonObject conflict(const QString &entity, const QString &field, const QJsonValue &backend,
                                const QJsonValue &dashboard, const QString &kind = QStringLiteral("field"));
};

QJsonObject TestConflictActions::conflict(const QString &entity, const QString &field,
                                          const QJsonValue &backend, const QJsonValue &dashboard,
                                          const QString &kind)
{
    return {{"id", 7},
            {"kind", kind},
            {"entity", entity},
            {"field", field},
            {"status", "open"},
            {"baseline_value", QJsonValue()},
            {"backend_value", backend},
            {"dashboard_value", dashboard}};
}

void TestConflictActions::whatIsOfferedDependsOnTheField_data()
{
    QTest::addColumn<QJsonObject>("conflict");
    QTest::addColumn<bool>("merge");
    QTest::addColumn<bool>("keepBoth");
    QTest::addColumn<bool>("edit");
    QTest::addColumn<bool>("restore");
    QTest::newRow("a phone number: text, either or both")
        << conflict("customer", "phone", "+1", "+2") << false << true << true << false;
    QTest::newRow("an e-mail: one value only")
        << conflict("customer", "email", "a@x.io", "b@x.io") << false << false << true << false;
    QTest::newRow("a ticket status: from a list")
        << conflict("ticket", "status", "open", "closed") << false << false << true << false;
    QTest::newRow("tags: a set merges")
        << conflict("customer", "tags", QJsonArray{"a"}, QJsonArray{"b"}) << true << true << true << false;
    QTest::newRow("a deleted record")
        << conflict("customer", "", QJsonValue(), QJsonValue(), "deleted") << false << true << false << true;
    QTest::newRow("a possible duplicate: about records, not fields")
        << conflict("customer", "", QJsonValue(), QJsonValue(), "duplicate") << false << false << false
        << false;
    QTest::newRow("an unknown field: nothing")
        << conflict("customer", "shoe_size", "42", "43") << false << false << false << false;
}

void TestConflictActions::whatIsOfferedDependsOnTheField()
{
    QFETCH(QJsonObject, conflict);
    QFETCH(bool, merge);
    QFETCH(bool, keepBoth);
    QFETCH(bool, edit);
    QFETCH(bool, restore);
    const ConflictActions actions(conflict);
    QCOMPARE(actions.allows(Action::Merge), merge);
    QCOMPARE(actions.allows(Action::KeepBoth), keepBoth);
    QCOMPARE(actions.allows(Action::EditValue), edit);
    QCOMPARE(actions.allows(Action::Restore), restore);
    QCOMPARE(actions.allows(Action::DeleteOtherSide), restore);
    const bool duplicate = conflict.value(QStringLiteral("kind")).toString() == QLatin1String("duplicate");
    QCOMPARE(actions.allows(Action::CreateAnyway), duplicate);
    QCOMPARE(actions.allows(Action::KeepApart), duplicate);
    if (!merge)
        QVERIFY2(!actions.whyNot(Action::Merge).isEmpty(), "a refused action says why");
}

void TestConflictActions::eachChoiceIsADecision_data()
{
    QTest::addColumn<QJsonObject>("conflict");
    QTest::addColumn<Action>("action");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QJsonValue>("value");
    const QJsonObject phone = conflict("customer", "phone", "+1 111", "+1 222");
    QTest::newRow("use backend") << phone << Action::UseBackend << Kind::UseBackend << QJsonValue();
    QTest::newRow("use dashboard") << phone << Action::UseDashboard << Kind::UseDashboard << QJsonValue();
    QTest::newRow("latest wins") << phone << Action::LatestWins << Kind::LatestWins << QJsonValue();
    QTest::newRow("keep both phone numbers")
        << phone << Action::KeepBoth << Kind::UseValue << QJsonValue("+1 111 / +1 222");
    QTest::newRow("keep both when one side is empty")
        << conflict("customer", "company", QJsonValue(), "Acme") << Action::KeepBoth << Kind::UseValue
        << QJsonValue("Acme");
    QTest::newRow("keep both of equal values once")
        << conflict("customer", "company", "Acme", "Acme") << Action::KeepBoth << Kind::UseValue
        << QJsonValue("Acme");
    QTest::newRow("keep both long texts as paragraphs")
        << conflict("ticket", "description", QString(60, 'a'), QString(40, 'b')) << Action::KeepBoth
        << Kind::UseValue << QJsonValue(QString(60, 'a') + "\n\n" + QString(40, 'b'));
    QTest::newRow("keep both tags: every tag once, sorted")
        << conflict("customer", "tags", QJsonArray{"vip", "beta"}, QJsonArray{"vip", "churn"})
        << Action::KeepBoth << Kind::UseValue << QJsonValue(QJsonArray{"beta", "churn", "vip"});
    QTest::newRow("merge tags") << conflict("customer", "tags", QJsonArray{"a"}, QJsonArray{"b"})
                                << Action::Merge << Kind::Merge << QJsonValue();
    QTest::newRow("keep both records: restore")
        << conflict("customer", "", QJsonValue(), QJsonValue(), "deleted") << Action::KeepBoth
        << Kind::Restore << QJsonValue();
    QTest::newRow("delete on the other side")
        << conflict("ticket", "", QJsonValue(), QJsonValue(), "deleted") << Action::DeleteOtherSide
        << Kind::DeleteOtherSide << QJsonValue();
    const QJsonObject duplicate = conflict("customer", "", QJsonValue(), QJsonValue(), "duplicate");
    QTest::newRow("a possible duplicate is someone else")
        << duplicate << Action::CreateAnyway << Kind::CreateAnyway << QJsonValue();
    QTest::newRow("a possible duplicate stays on its side")
        << duplicate << Action::KeepApart << Kind::KeepApart << QJsonValue();
}

void TestConflictActions::eachChoiceIsADecision()
{
    QFETCH(QJsonObject, conflict);
    QFETCH(Action, action);
    QFETCH(Kind, kind);
    QFETCH(QJsonValue, value);
    const auto decision = ConflictActions(conflict).decision(action);
    QVERIFY2(decision.ok(), qPrintable(decision.error()));
    QCOMPARE(decision->kind, kind);
    QCOMPARE(decision->value, value);
}

void TestConflictActions::typedValuesAreParsedForTheField_data()
{
    QTest::addColumn<QJsonObject>("conflict");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QJsonValue>("value");
    const QJsonObject phone = conflict("customer", "phone", "+1", "+2");
    const QJsonObject tags = conflict("customer", "tags", QJsonArray{"a"}, QJsonArray{"b"});
    QTest::newRow("text, trimmed") << phone << "  +1 555  " << true << QJsonValue("+1 555");
    QTest::newRow("empty text clears the field") << phone << "" << true << QJsonValue(QJsonValue::Null);
    QTest::newRow("an e-mail cannot be cleared")
        << conflict("customer", "email", "a@x.io", "b@x.io") << " " << false << QJsonValue();
    QTest::newRow("tags from a comma list")
        << tags << "vip, beta ,,vip" << true << QJsonValue(QJsonArray{"vip", "beta"});
    QTest::newRow("no tags at all") << tags << "" << true << QJsonValue(QJsonArray{});
}

void TestConflictActions::typedValuesAreParsedForTheField()
{
    QFETCH(QJsonObject, conflict);
    QFETCH(QString, typed);
    QFETCH(bool, accepted);
    QFETCH(QJsonValue, value);
    const auto decision = ConflictActions(conflict).decision(Action::EditValue, typed);
    QCOMPARE(decision.ok(), accepted);
    if (!accepted) {
        QVERIFY(!decision.error().isEmpty());
        return;
    }
    QCOMPARE(decision->kind, Kind::UseValue);
    QCOMPARE(decision->value, value);
}

void TestConflictActions::aSettledConflictOffersNothing()
{
    QJsonObject settled = conflict("customer", "phone", "+1", "+2");
    settled.insert("status", "resolved");
    const ConflictActions actions(settled);
    QVERIFY(actions.available().isEmpty());
    const auto decision = actions.decision(Action::UseBackend);
    QVERIFY(!decision.ok());
    QVERIFY(decision.error().contains("already settled"));
}

void TestConflictActions::bulkActionsNeedNoValues()
{
    for (Action action : ConflictActions::bulkActions())
        QVERIFY(ConflictActions::bulkDecision(action).ok());
    QVERIFY(!ConflictActions::bulkDecision(Action::KeepBoth).ok());
    QVERIFY(!ConflictActions::bulkDecision(Action::EditValue).ok());
}

void TestConflictActions::anAddressTakenOnTheOtherSideIsNamed()
{
    QJsonObject taken = conflict("customer", "email", "Zoe@Example.com", "ann@example.com");
    QCOMPARE(ConflictActions(taken).addressTakenOn(), QString());
    taken.insert(
        "details",
        QJsonObject{{"reason", "address_taken"}, {"taken_on", "dashboard"}, {"holder_ids", QJsonArray{12}}});
    const ConflictActions actions(taken);
    QCOMPARE(actions.addressTakenOn(), QStringLiteral("dashboard"));
    // Settled like any field: either side's address, or one typed in.
    QVERIFY(actions.allows(Action::UseBackend));
    QVERIFY(actions.allows(Action::UseDashboard));
    QVERIFY(!actions.allows(Action::CreateAnyway));
}

QTEST_GUILESS_MAIN(TestConflictActions)
#include "tst_conflictactions.moc"
