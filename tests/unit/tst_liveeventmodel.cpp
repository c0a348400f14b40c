#include "ui/liveeventfilter.h"
#include "ui/liveeventmodel.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;

// The live view's data: what each engine event becomes, a ring that keeps the newest events and
// forgets the oldest at a fixed size, batches that cost the view one notification, and the filters.
class TestLiveEventModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachEngineEventBecomesARow_data();
    void eachEngineEventBecomesARow();
    void aBatchIsOneInsertionNewestFirst();
    void theRingKeepsTheNewestAtAFixedSize();
    void aHugeBatchKeepsOnlyItsNewest();
    void retriedRowsChangeInOneRangedSignal();
    void filtersBySideEntityStateAndText_data();
    void filtersBySideEntityStateAndText();

private:
    static LiveEvent synced(int n, const QString &changedOn = QStringLiteral("backend"));
    static QList<LiveEventRow> rows(int from, int count);
};

LiveEvent TestLiveEventModel::synced(int n, const QString &changedOn)
{
    return LiveEvent{"record_synced", QDateTime::currentDateTimeUtc(),
                     QJsonObject{{"entity", "customer"},
                                 {"action", "updated"},
                                 {"backend_id", n},
                                 {"dashboard_id", n + 1000},
                                 {"changed_on", changedOn},
                                 {"to_dashboard", QJsonArray{"phone"}},
                                 {"to_backend", QJsonArray{}},
                                 {"before", QJsonObject{{"phone", "1"}}},
                                 {"after", QJsonObject{{"phone", "2"}}}}};
}

QList<LiveEventRow> TestLiveEventModel::rows(int from, int count)
{
    QList<LiveEventRow> batch;
    for (int i = from; i < from + count; ++i)
        batch << LiveEventRow::fromLiveEvent(synced(i));
    return batch;
}

void TestLiveEventModel::eachEngineEventBecomesARow_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("side");
    QTest::addColumn<QString>("entity");
    QTest::addColumn<qint64>("eventId");
    QTest::addColumn<QString>("summaryHas");
    QTest::newRow("a record synced from the helpdesk")
        << "record_synced" << synced(5, "dashboard").payload << "synced"
        << "dashboard"
        << "customer" << qint64(0) << "phone";
    QTest::newRow("a conflict waiting for a person") << "conflict"
                                                     << QJsonObject{{"entity", "customer"},
                                                                    {"field", "email"},
                                                                    {"status", "open"},
                                                                    {"strategy", "manual_review"}}
                                                     << "conflict"
                                                     << "both"
                                                     << "customer" << qint64(0) << "email";
    QTest::newRow("a conflict settled by its strategy") << "conflict"
                                                        << QJsonObject{{"entity", "customer"},
                                                                       {"field", "phone"},
                                                                       {"status", "resolved"},
                                                                       {"strategy", "latest_wins"}}
                                                        << "resolved"
                                                        << "both"
                                                        << "customer" << qint64(0) << "phone";
    QTest::newRow("a dead change") << "event_dead" << QJsonObject{{"event_id", 91},     {"side", "dashboard"},
                                                                  {"entity", "ticket"}, {"entity_id", 4},
                                                                  {"attempts", 8},      {"error", "boom"}}
                                   << "dead"
                                   << "dashboard"
                                   << "ticket" << qint64(91) << "boom";
    QTest::newRow("a failed change") << "event_failed"
                                     << QJsonObject{{"event_id", 92},
                                                    {"side", "backend"},
                                                    {"entity", "customer"},
                                                    {"attempts", 2},
                                                    {"error", "deadlock"}}
                                     << "failed"
                                     << "backend"
                                     << "customer" << qint64(92) << "attempt 2";
    QTest::newRow("a ticket status from the helpdesk") << "ticket_status"
                                                       << QJsonObject{{"dashboard_ticket_id", 3},
                                                                      {"old_status", "open"},
                                                                      {"new_status", "resolved"},
                                                                      {"subject", "Refund"},
                                                                      {"origin", "the helpdesk"}}
                                                       << "synced"
                                                       << "dashboard"
                                                       << "ticket" << qint64(0) << "resolved";
    QTest::newRow("an analysis") << "analysis"
                                 << QJsonObject{{"conversation_id", 12},
                                                {"result", "create_ticket"},
                                                {"confidence", 0.91},
                                                {"category", "refund"}}
                                 << "info"
                                 << "backend"
                                 << "conversation" << qint64(0) << "0.91";
}

void TestLiveEventModel::eachEngineEventBecomesARow()
{
    QFETCH(QString, kind);
    QFETCH(QJsonObject, payload);
    QFETCH(QString, status);
    QFETCH(QString, side);
    QFETCH(QString, entity);
    QFETCH(qint64, eventId);
    QFETCH(QString, summaryHas);
    const LiveEventRow row =
        LiveEventRow::fromLiveEvent(LiveEvent{kind, QDateTime::currentDateTimeUtc(), payload});
    QCOMPARE(row.status, status);
    QCOMPARE(row.side, side);
    QCOMPARE(row.entity, entity);
    QCOMPARE(row.eventId, eventId);
    QVERIFY2(row.summary.contains(summaryHas), qPrintable(row.summary));
}

void TestLiveEventModel::aBatchIsOneInsertionNewestFirst()
{
    LiveEventModel model(1000);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(rows(1, 300));
    model.append(rows(301, 200));
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 0);
    QCOMPARE(inserted.at(1).at(2).toInt(), 199);
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(model.rowAt(0).backendId, qint64(500));
    QCOMPARE(model.rowAt(499).backendId, qint64(1));
    QCOMPARE(model.index(0, LiveEventModel::Record).data().toString(), QStringLiteral("B 500 / D 1500"));
}

void TestLiveEventModel::theRingKeepsTheNewestAtAFixedSize()
{
    LiveEventModel model(1000);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    for (int batch = 0; batch < 25; ++batch)
        model.append(rows(batch * 500 + 1, 500));
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(model.received(), qint64(12500));
    QCOMPARE(model.rowAt(0).backendId, qint64(12500));
    QCOMPARE(model.rowAt(999).backendId, qint64(11501));
    // One removal per batch once full (23 of them), never a reset.
    QCOMPARE(removed.size(), 23);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.last().at(1).toInt(), 500);
    QCOMPARE(removed.last().at(2).toInt(), 999);
}

void TestLiveEventModel::aHugeBatchKeepsOnlyItsNewest()
{
    LiveEventModel model(100);
    model.append(rows(1, 50));
    model.append(rows(51, 250));
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.rowAt(0).backendId, qint64(300));
    QCOMPARE(model.rowAt(99).backendId, qint64(201));
}

void TestLiveEventModel::retriedRowsChangeInOneRangedSignal()
{
    LiveEventModel model(100);
    QList<LiveEventRow> batch = rows(1, 10);
    for (int i : {2, 5, 7}) {
        batch[i].status = "dead";
        batch[i].eventId = 100 + i;
    }
    model.append(batch);
    QCOMPARE(model.deadEventIds().size(), 3);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.markRetried({102, 107});
    QCOMPARE(changed.size(), 1);
    // Rows are newest first: event 107 is row 2, event 102 row 7.
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 7);
    QCOMPARE(model.rowAt(2).status, QStringLiteral("retried"));
    QCOMPARE(model.rowAt(4).status, QStringLiteral("dead"));
    QCOMPARE(model.deadEventIds(), QList<qint64>{105});
}

void TestLiveEventModel::filtersBySideEntityStateAndText_data()
{
    QTest::addColumn<QString>("side");
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("shown");
    QTest::newRow("everything") << ""
                                << ""
                                << ""
                                << "" << 6;
    QTest::newRow("from the backend (and from both)") << "backend"
                                                      << ""
                                                      << ""
                                                      << "" << 4;
    QTest::newRow("from the dashboard (and from both)") << "dashboard"
                                                        << ""
                                                        << ""
                                                        << "" << 3;
    QTest::newRow("tickets") << ""
                             << "ticket"
                             << ""
                             << "" << 1;
    QTest::newRow("dead ones") << ""
                               << ""
                               << "dead"
                               << "" << 1;
    QTest::newRow("text, any case") << ""
                                    << ""
                                    << ""
                                    << "EMAIL" << 1;
    QTest::newRow("record ids") << ""
                                << ""
                                << ""
                                << "b 2 /" << 1;
    QTest::newRow("nothing matches") << "backend"
                                     << "ticket"
                                     << ""
                                     << "" << 0;
}

void TestLiveEventModel::filtersBySideEntityStateAndText()
{
    QFETCH(QString, side);
    QFETCH(QString, entity);
    QFETCH(QString, status);
    QFETCH(QString, text);
    QFETCH(int, shown);
    LiveEventModel model(100);
    LiveEventFilter filter;
    filter.setSourceModel(&model);
    model.append({LiveEventRow::fromLiveEvent(synced(1, "backend")),
                  LiveEventRow::fromLiveEvent(synced(2, "backend")),
                  LiveEventRow::fromLiveEvent(synced(3, "dashboard")),
                  LiveEventRow::fromLiveEvent(
                      {"conflict", QDateTime::currentDateTimeUtc(),
                       QJsonObject{{"entity", "customer"}, {"field", "email"}, {"status", "open"}}}),
                  LiveEventRow::fromLiveEvent(
                      {"event_dead", QDateTime::currentDateTimeUtc(),
                       QJsonObject{{"event_id", 9}, {"side", "dashboard"}, {"entity", "ticket"}}}),
                  LiveEventRow::fromLiveEvent(
                      {"analysis", QDateTime::currentDateTimeUtc(), QJsonObject{{"conversation_id", 4}}})});
    filter.setSide(side);
    filter.setEntity(entity);
    filter.setStatus(status);
    filter.setText(text);
    QCOMPARE(filter.rowCount(), shown);
    // New rows are filtered as they arrive.
    const int before = filter.rowCount();
    model.append({LiveEventRow::fromLiveEvent(synced(4, "backend"))});
    const bool matches = (side.isEmpty() || side == "backend") &&
                         (entity.isEmpty() || entity == "customer") &&
                         (status.isEmpty() || status == "synced") && text.isEmpty();
    QCOMPARE(filter.rowCount(), before + (matches ? 1 : 0));
}

QTEST_GUILESS_MAIN(TestLiveEventModel)
#include "tst_liveeventmodel.moc"
