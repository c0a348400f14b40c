#include "ui/errortext.h"
#include "ui/fieldcomparison.h"
#include "ui/jsontablemodel.h"
#include "ui/throughputhistory.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;

// The window's small pieces of logic: lists that refresh without losing the person's place, field
// comparisons, the chart's 15 minutes, and messages that say what to do.
class TestUiModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aRefreshKeepsRowsAndSignalsOnlyWhatChanged_data();
    void aRefreshKeepsRowsAndSignalsOnlyWhatChanged();
    void aChangedOrderStartsAfresh();
    void comparisonsMarkWhatDiffers_data();
    void comparisonsMarkWhatDiffers();
    void theChartKeepsFifteenMinutes();
    void axesEndOnRoundNumbers_data();
    void axesEndOnRoundNumbers();
    void failuresSayWhatToDo_data();
    void failuresSayWhatToDo();

private:
    static QJsonArray list(const QList<int> &ids, int changedId = -1);
};

QJsonArray TestUiModels::list(const QList<int> &ids, int changedId)
{
    QJsonArray rows;
    for (int id : ids)
        rows.append(QJsonObject{{"id", id},
                                {"name", id == changedId ? QString("changed") : QString("row %1").arg(id)}});
    return rows;
}

void TestUiModels::aRefreshKeepsRowsAndSignalsOnlyWhatChanged_data()
{
    QTest::addColumn<QList<int>>("before");
    QTest::addColumn<QList<int>>("after");
    QTest::addColumn<int>("changedId");
    QTest::addColumn<int>("insertions");
    QTest::addColumn<int>("removals");
    QTest::addColumn<int>("changes");
    QTest::newRow("nothing new") << QList<int>{3, 2, 1} << QList<int>{3, 2, 1} << -1 << 0 << 0 << 0;
    QTest::newRow("one row's content changed")
        << QList<int>{3, 2, 1} << QList<int>{3, 2, 1} << 2 << 0 << 0 << 1;
    QTest::newRow("new rows on top: one insertion")
        << QList<int>{3, 2, 1} << QList<int>{6, 5, 4, 3, 2, 1} << -1 << 1 << 0 << 0;
    QTest::newRow("new rows in two places")
        << QList<int>{5, 3, 1} << QList<int>{6, 5, 4, 3, 1} << -1 << 2 << 0 << 0;
    QTest::newRow("a settled row leaves")
        << QList<int>{4, 3, 2, 1} << QList<int>{4, 2, 1} << -1 << 0 << 1 << 0;
    QTest::newRow("rows leave and arrive")
        << QList<int>{4, 3, 2, 1} << QList<int>{5, 4, 2} << -1 << 1 << 2 << 0;
}

void TestUiModels::aRefreshKeepsRowsAndSignalsOnlyWhatChanged()
{
    QFETCH(QList<int>, before);
    QFETCH(QList<int>, after);
    QFETCH(int, changedId);
    QFETCH(int, insertions);
    QFETCH(int, removals);
    QFETCH(int, changes);
    JsonTableModel model({{"Name",
                           [](const QJsonObject &row, int role) -> QVariant {
                               return role == Qt::DisplayRole ? QVariant(row.value("name").toString())
                                                              : QVariant();
                           }}},
                         JsonTableModel::idKey("id"));
    model.setRows(list(before));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRows(list(after, changedId));
    QCOMPARE(inserted.size(), insertions);
    QCOMPARE(removed.size(), removals);
    QCOMPARE(changed.size(), changes);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.rowCount(), after.size());
    for (int row = 0; row < after.size(); ++row)
        QCOMPARE(model.idAt(row), QString::number(after.at(row)));
    if (changedId > 0)
        QCOMPARE(model.index(model.rowOfId(QString::number(changedId)), 0).data().toString(),
                 QStringLiteral("changed"));
}

void TestUiModels::aChangedOrderStartsAfresh()
{
    JsonTableModel model({{"Name", [](const QJsonObject &, int) { return QVariant(); }}},
                         JsonTableModel::idKey("id"));
    model.setRows(list({1, 2, 3}));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRows(list({3, 1, 2}));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.idAt(0), QStringLiteral("3"));
}

void TestUiModels::comparisonsMarkWhatDiffers_data()
{
    QTest::addColumn<QJsonValue>("a");
    QTest::addColumn<QJsonValue>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("equal text") << QJsonValue("x") << QJsonValue("x") << true;
    QTest::newRow("different text") << QJsonValue("x") << QJsonValue("y") << false;
    QTest::newRow("sets in another order")
        << QJsonValue(QJsonArray{"a", "b"}) << QJsonValue(QJsonArray{"b", "a"}) << true;
    QTest::newRow("sets with another member")
        << QJsonValue(QJsonArray{"a"}) << QJsonValue(QJsonArray{"a", "b"}) << false;
    QTest::newRow("null and missing")
        << QJsonValue(QJsonValue::Null) << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("null and empty text") << QJsonValue(QJsonValue::Null) << QJsonValue("") << false;
}

void TestUiModels::comparisonsMarkWhatDiffers()
{
    QFETCH(QJsonValue, a);
    QFETCH(QJsonValue, b);
    QFETCH(bool, same);
    QCOMPARE(FieldComparison::same(a, b), same);
    const QList<ComparisonRow> rows =
        FieldComparison::beforeAfter(QJsonObject{{"f", a}, {"id", 1}}, QJsonObject{{"f", b}, {"id", 1}});
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.first().field, QStringLiteral("f")); // data before bookkeeping
    QCOMPARE(rows.first().changed.last(), !same);
    QVERIFY(!rows.last().anyChanged());

    const QList<ComparisonRow> conflict = FieldComparison::conflictFields(QJsonArray{QJsonObject{
        {"field", "f"}, {"baseline", a}, {"backend", a}, {"dashboard", b}, {"in_conflict", true}}});
    QCOMPARE(conflict.first().changed, (QList<bool>{false, false, !same}));
    QVERIFY(conflict.first().emphasized);
}

void TestUiModels::theChartKeepsFifteenMinutes()
{
    ThroughputHistory history;
    const QDateTime start = QDateTime::currentDateTimeUtc();
    for (int second = 0; second <= 3600; second += 2)
        history.add(start.addSecs(second), second % 7, second / 10);
    QCOMPARE(history.samples().first().at, start.addSecs(3600 - 15 * 60));
    QCOMPARE(history.samples().size(), 15 * 60 / 2 + 1);
    QCOMPARE(history.maxQueueDepth(), qint64(360));
    history.add(start, 100, 100); // a sample from the past is ignored
    QCOMPARE(history.samples().last().at, start.addSecs(3600));
}

void TestUiModels::axesEndOnRoundNumbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("ceiling");
    QTest::newRow("nothing yet") << 0.0 << 5.0;
    QTest::newRow("7 -> 10") << 7.0 << 10.0;
    QTest::newRow("12 -> 20") << 12.0 << 20.0;
    QTest::newRow("480 -> 500") << 480.0 << 500.0;
    QTest::newRow("5001 -> 10000") << 5001.0 << 10000.0;
}

void TestUiModels::axesEndOnRoundNumbers()
{
    QFETCH(double, value);
    QFETCH(double, ceiling);
    QCOMPARE(ThroughputHistory::niceCeiling(value), ceiling);
}

void TestUiModels::failuresSayWhatToDo_data()
{
    QTest::addColumn<int>("failure");
    QTest::addColumn<QString>("advice");
    QTest::newRow("not found") << int(OperationResult::Failure::NotFound) << "F5";
    QTest::newRow("someone was first") << int(OperationResult::Failure::Conflict) << "F5";
    QTest::newRow("bad value") << int(OperationResult::Failure::InvalidInput) << "Correct the value";
    QTest::newRow("database away") << int(OperationResult::Failure::Unavailable) << "PostgreSQL is running";
    QTest::newRow("anything else") << int(OperationResult::Failure::Failed) << "log";
}

void TestUiModels::failuresSayWhatToDo()
{
    QFETCH(int, failure);
    QFETCH(QString, advice);
    const QString text = ErrorText::forOperation(
        "Resolving conflict 4", OperationResult::fail(OperationResult::Failure(failure), "the reason"));
    QVERIFY2(text.contains("Resolving conflict 4") && text.contains("the reason") && text.contains(advice),
             qPrintable(text));
}

QTEST_GUILESS_MAIN(TestUiModels)
#include "tst_uimodels.moc"
