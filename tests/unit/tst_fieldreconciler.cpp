#include "sync/fieldreconciler.h"
#include "model/mapping.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace syncdesk;

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QString compact(const QJsonObject &value)
{
    return QString::fromUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact));
}

QDateTime at(int second)
{
    return QDateTime(QDate(2026, 11, 1), QTime(12, 0, second), Qt::UTC);
}

} // namespace

// Three-way reconciliation of one customer or ticket pair, rule by rule.
class TestFieldReconciler final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void customerPairs_data();
    void customerPairs();
    void strategies_data();
    void strategies();
    void helpdeskOwnsTicketWorkflow();
    void anOwnedFieldTakesItsOwnersValue_data();
    void anOwnedFieldTakesItsOwnersValue();
    void pausedFieldsAreLeftAlone();
    void mergesSetsAndObjects_data();
    void mergesSetsAndObjects();
    void policyRules_data();
    void policyRules();
};

void TestFieldReconciler::customerPairs_data()
{
    QTest::addColumn<QString>("baseline"); // "" = a new link without baseline
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("dashboard");
    QTest::addColumn<QString>("toBackend");
    QTest::addColumn<QString>("toDashboard");
    QTest::addColumn<QString>("newBaseline");

    QTest::newRow("in sync") << R"({"name":"Ann","phone":"1"})" << R"({"name":"Ann","phone":"1"})"
                             << R"({"name":"Ann","phone":"1"})" << "{}" << "{}" << R"({"name":"Ann","phone":"1"})";
    QTest::newRow("backend edit goes to the dashboard")
        << R"({"name":"Ann","phone":"1"})" << R"({"name":"Ann","phone":"2"})" << R"({"name":"Ann","phone":"1"})"
        << "{}" << R"({"phone":"2"})" << R"({"name":"Ann","phone":"2"})";
    QTest::newRow("dashboard edit goes to the backend")
        << R"({"name":"Ann","phone":"1"})" << R"({"name":"Ann","phone":"1"})" << R"({"name":"Anne","phone":"1"})"
        << R"({"name":"Anne"})" << "{}" << R"({"name":"Anne","phone":"1"})";
    QTest::newRow("different fields on each side both travel")
        << R"({"name":"Ann","phone":"1"})" << R"({"name":"Ann","phone":"2"})" << R"({"name":"Anne","phone":"1"})"
        << R"({"name":"Anne"})" << R"({"phone":"2"})" << R"({"name":"Anne","phone":"2"})";
    QTest::newRow("same change on both sides converges")
        << R"({"phone":"1"})" << R"({"phone":"3"})" << R"({"phone":"3"})" << "{}" << "{}" << R"({"phone":"3"})";
    QTest::newRow("cleared on one side is cleared on the other")
        << R"({"company":"Atlas"})" << R"({"company":null})" << R"({"company":"Atlas"})" << "{}"
        << R"({"company":null})" << R"({"company":null})";
    QTest::newRow("empty text equals null") << R"({"company":null})" << R"({"company":""})" << R"({"company":null})"
                                            << "{}" << "{}" << R"({"company":null})";
    QTest::newRow("tag order does not matter") << R"({"tags":["a","b"]})" << R"({"tags":["b","a"]})"
                                               << R"({"tags":["a","b"]})" << "{}" << "{}" << R"({"tags":["a","b"]})";
    QTest::newRow("new link fills the empty side") << "" << R"({"phone":"1","company":null})"
                                                   << R"({"phone":null,"company":"Atlas"})" << R"({"company":"Atlas"})"
                                                   << R"({"phone":"1"})" << R"({"company":"Atlas","phone":"1"})";
}

void TestFieldReconciler::customerPairs()
{
    QFETCH(QString, baseline);
    QFETCH(QString, backend);
    QFETCH(QString, dashboard);
    QFETCH(QString, toBackend);
    QFETCH(QString, toDashboard);
    QFETCH(QString, newBaseline);

    const ConflictPolicy policy = ConflictPolicy::defaults();
    const FieldReconciler reconciler(Mapping::builtIn().customer(), policy);
    const auto decision = reconciler.reconcile(baseline.isEmpty() ? std::nullopt : std::optional(object(baseline.toUtf8())),
                                               object(backend.toUtf8()), object(dashboard.toUtf8()), {}, {});
    QCOMPARE(compact(decision.backendChanges), compact(object(toBackend.toUtf8())));
    QCOMPARE(compact(decision.dashboardChanges), compact(object(toDashboard.toUtf8())));
    // Only the fields present in the rows are compared here.
    QJsonObject expected = object(newBaseline.toUtf8());
    for (auto it = expected.begin(); it != expected.end(); ++it)
        QCOMPARE(decision.baseline.value(it.key()), it.value());
    QVERIFY(decision.conflicts.isEmpty());
}

void TestFieldReconciler::strategies_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("backendSecond"); // when each side changed the field
    QTest::addColumn<int>("dashboardSecond");
    QTest::addColumn<QString>("expectedValue"); // "" = both sides stay as they are
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("paused");

    QTest::newRow("latest wins: dashboard later") << "customer.phone=latest_wins" << 1 << 5 << "D" << "resolved" << false;
    QTest::newRow("latest wins: backend later") << "customer.phone=latest_wins" << 9 << 5 << "B" << "resolved" << false;
    QTest::newRow("latest wins: tie goes to the helpdesk") << "customer.phone=latest_wins" << 5 << 5 << "D" << "resolved"
                                                           << false;
    QTest::newRow("manual review leaves both") << "customer.phone=manual_review" << 1 << 5 << "" << "open" << true;
    QTest::newRow("preserve both: winner applied, loser kept") << "customer.phone=preserve_both" << 9 << 5 << "B"
                                                               << "preserved" << false;
    QTest::newRow("merge of text falls back (manual)") << "customer.phone=merge/manual_review" << 1 << 5 << "" << "open"
                                                       << true;
    QTest::newRow("merge of text falls back (latest)") << "customer.phone=merge/latest_wins" << 1 << 5 << "D"
                                                       << "resolved" << false;
}

void TestFieldReconciler::strategies()
{
    QFETCH(QString, rule);
    QFETCH(int, backendSecond);
    QFETCH(int, dashboardSecond);
    QFETCH(QString, expectedValue);
    QFETCH(QString, status);
    QFETCH(bool, paused);

    const auto policy = ConflictPolicy::parse({rule});
    QVERIFY2(policy.ok(), qPrintable(policy.error()));
    const FieldReconciler reconciler(Mapping::builtIn().customer(), policy.value());
    ChangeTimes times;
    times.backendFields.insert(QStringLiteral("phone"), at(backendSecond));
    times.dashboardFields.insert(QStringLiteral("phone"), at(dashboardSecond));
    // Both sides changed the phone since they last agreed on "0".
    const auto decision = reconciler.reconcile(object(R"({"phone":"0","name":"Ann"})"), object(R"({"phone":"B","name":"Ann"})"),
                                               object(R"({"phone":"D","name":"Ann"})"), {}, times);
    QCOMPARE(decision.conflicts.size(), 1);
    const FieldConflict &conflict = decision.conflicts.constFirst();
    QCOMPARE(conflict.field, QStringLiteral("phone"));
    QCOMPARE(conflict.status, status);
    QCOMPARE(conflict.baseline.toString(), QStringLiteral("0"));
    QCOMPARE(conflict.backendValue.toString(), QStringLiteral("B"));
    QCOMPARE(conflict.dashboardValue.toString(), QStringLiteral("D"));
    QCOMPARE(decision.pausedFields.contains(QStringLiteral("phone")), paused);
    if (expectedValue.isEmpty()) {
        QVERIFY(!decision.writesSomething());
        QCOMPARE(decision.baseline.value(QStringLiteral("phone")).toString(), QStringLiteral("0"));
    } else {
        QCOMPARE(decision.baseline.value(QStringLiteral("phone")).toString(), expectedValue);
        const bool backendWins = expectedValue == QLatin1String("B");
        QCOMPARE(backendWins ? decision.dashboardChanges.value(QStringLiteral("phone")).toString()
                             : decision.backendChanges.value(QStringLiteral("phone")).toString(),
                 expectedValue);
        QCOMPARE(conflict.resolvedValue.toString(), expectedValue);
    }
}

void TestFieldReconciler::helpdeskOwnsTicketWorkflow()
{
    const ConflictPolicy policy = ConflictPolicy::defaults();
    const FieldReconciler reconciler(Mapping::builtIn().ticket(), policy);
    ChangeTimes times;
    times.backendFields.insert(QStringLiteral("status"), at(59)); // the product's change is even later
    times.dashboardFields.insert(QStringLiteral("status"), at(1));
    const auto decision = reconciler.reconcile(object(R"({"status":"open","priority":"normal"})"),
                                               object(R"({"status":"closed","priority":"low"})"),
                                               object(R"({"status":"resolved","priority":"urgent"})"), {}, times);
    QVERIFY(decision.conflicts.isEmpty());
    QCOMPARE(decision.backendChanges.value(QStringLiteral("status")).toString(), QStringLiteral("resolved"));
    QCOMPARE(decision.backendChanges.value(QStringLiteral("priority")).toString(), QStringLiteral("urgent"));
    QVERIFY(decision.dashboardChanges.isEmpty());

    // A status change in the product alone still travels to the helpdesk.
    const auto fromProduct = reconciler.reconcile(object(R"({"status":"resolved"})"), object(R"({"status":"open"})"),
                                                  object(R"({"status":"resolved"})"), {}, {});
    QCOMPARE(fromProduct.dashboardChanges.value(QStringLiteral("status")).toString(), QStringLiteral("open"));
}

void TestFieldReconciler::anOwnedFieldTakesItsOwnersValue_data()
{
    QTest::addColumn<int>("owner");
    QTest::addColumn<QString>("value");
    QTest::newRow("the product owns it") << int(FieldDefinition::Owner::Backend) << "B";
    QTest::newRow("the helpdesk owns it") << int(FieldDefinition::Owner::Dashboard) << "D";
}

void TestFieldReconciler::anOwnedFieldTakesItsOwnersValue()
{
    QFETCH(int, owner);
    QFETCH(QString, value);
    EntityDefinition entity;
    entity.name = QStringLiteral("customer");
    FieldDefinition plan;
    plan.name = QStringLiteral("plan");
    plan.backendColumn = plan.dashboardColumn = plan.name;
    plan.owner = FieldDefinition::Owner(owner);
    entity.fields << plan;
    const ConflictPolicy policy = ConflictPolicy::defaults();
    ChangeTimes times; // whichever changed last: ownership decides, not time
    times.backendFields.insert(QStringLiteral("plan"), at(value == QLatin1String("B") ? 1 : 9));
    times.dashboardFields.insert(QStringLiteral("plan"), at(5));
    const auto decision = FieldReconciler(entity, policy)
                              .reconcile(object(R"({"plan":"0"})"), object(R"({"plan":"B"})"), object(R"({"plan":"D"})"), {}, times);
    QVERIFY(decision.conflicts.isEmpty());
    QCOMPARE(decision.baseline.value(QStringLiteral("plan")).toString(), value);
    const QJsonObject &loser = value == QLatin1String("B") ? decision.dashboardChanges : decision.backendChanges;
    QCOMPARE(loser.value(QStringLiteral("plan")).toString(), value);
}

void TestFieldReconciler::pausedFieldsAreLeftAlone()
{
    const ConflictPolicy policy = ConflictPolicy::defaults();
    const FieldReconciler reconciler(Mapping::builtIn().customer(), policy);
    const auto decision = reconciler.reconcile(object(R"({"email":"a@x","phone":"1"})"), object(R"({"email":"b@x","phone":"2"})"),
                                               object(R"({"email":"c@x","phone":"1"})"), {QStringLiteral("email")}, {});
    QVERIFY(decision.conflicts.isEmpty());
    QVERIFY(!decision.backendChanges.contains(QStringLiteral("email")));
    QVERIFY(!decision.dashboardChanges.contains(QStringLiteral("email")));
    QCOMPARE(decision.dashboardChanges.value(QStringLiteral("phone")).toString(), QStringLiteral("2")); // others keep syncing
    QCOMPARE(decision.pausedFields, QStringList{QStringLiteral("email")});
}

void TestFieldReconciler::mergesSetsAndObjects_data()
{
    QTest::addColumn<QString>("baseline");
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("dashboard");
    QTest::addColumn<QString>("merged"); // "" = cannot merge
    QTest::addColumn<bool>("object");

    QTest::newRow("both add") << R"(["vip"])" << R"(["vip","beta"])" << R"(["vip","annual"])" << R"(["annual","beta","vip"])"
                              << false;
    QTest::newRow("one adds, one removes") << R"(["vip","trial"])" << R"(["vip","trial","beta"])" << R"(["vip"])"
                                           << R"(["beta","vip"])" << false;
    QTest::newRow("both remove different") << R"(["a","b","c"])" << R"(["a","b"])" << R"(["b","c"])" << R"(["b"])" << false;
    QTest::newRow("no baseline: union") << R"([])" << R"(["a"])" << R"(["b"])" << R"(["a","b"])" << false;
    QTest::newRow("objects, different keys") << R"({"plan":"pro"})" << R"({"plan":"pro","seats":5})"
                                             << R"({"plan":"team"})" << R"({"plan":"team","seats":5})" << true;
    QTest::newRow("objects, same key differently") << R"({"plan":"pro"})" << R"({"plan":"team"})" << R"({"plan":"free"})"
                                                   << "" << true;
}

void TestFieldReconciler::mergesSetsAndObjects()
{
    QFETCH(QString, baseline);
    QFETCH(QString, backend);
    QFETCH(QString, dashboard);
    QFETCH(QString, merged);
    QFETCH(bool, object);
    FieldDefinition field;
    field.name = QStringLiteral("f");
    field.kind = object ? FieldDefinition::Kind::JsonObject : FieldDefinition::Kind::TextSet;
    const auto parse = [](const QString &text) {
        return QJsonDocument::fromJson((QStringLiteral("{\"v\":") + text + QLatin1Char('}')).toUtf8()).object().value(QStringLiteral("v"));
    };
    const auto result = FieldReconciler::merge(field, parse(baseline), parse(backend), parse(dashboard));
    if (merged.isEmpty()) {
        QVERIFY(!result.has_value());
        return;
    }
    QVERIFY(result.has_value());
    QCOMPARE(*result, parse(merged));
}

void TestFieldReconciler::policyRules_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("error"); // "" = accepted
    QTest::newRow("entity default") << "ticket=preserve_both" << "";
    QTest::newRow("field rule") << "customer.company=manual_review" << "";
    QTest::newRow("merge with fallback") << "customer.name=merge/preserve_both" << "";
    QTest::newRow("unknown entity") << "order=latest_wins" << "not an entity";
    QTest::newRow("unknown field") << "customer.shoe_size=merge" << "not a synchronised field";
    QTest::newRow("unknown strategy") << "customer.phone=coin_flip" << "strategies are";
    QTest::newRow("merge falls back to merge") << "customer.phone=merge/merge" << "cannot be its own fallback";
    QTest::newRow("no equals") << "customer.phone" << "not of the form";
}

void TestFieldReconciler::policyRules()
{
    QFETCH(QString, rule);
    QFETCH(QString, error);
    const auto policy = ConflictPolicy::parse({rule});
    QCOMPARE(policy.ok(), error.isEmpty());
    if (!error.isEmpty())
        QVERIFY2(policy.error().contains(error), qPrintable(policy.error()));
    else
        QVERIFY(policy->rules().join(QLatin1Char(' ')).contains(rule.section(QLatin1Char('/'), 0, 0)));
}

QTEST_GUILESS_MAIN(TestFieldReconciler)
#include "tst_fieldreconciler.moc"
