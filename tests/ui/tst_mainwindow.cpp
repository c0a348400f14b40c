#include "api/apiserverhost.h"
#include "database/connectionprovider.h"
#include "ui/apikeyspanel.h"
#include "ui/apiservercontrol.h"
#include "ui/comparisonmodel.h"
#include "ui/conflictdetailview.h"
#include "ui/conflictspage.h"
#include "ui/consistencypage.h"
#include "ui/consistencyreportdialog.h"
#include "ui/consistencyreportview.h"
#include "ui/conversationdetail.h"
#include "ui/conversationspage.h"
#include "ui/customerspage.h"
#include "ui/jsontablemodel.h"
#include "ui/liveeventdetail.h"
#include "ui/liveeventfilter.h"
#include "ui/liveeventmodel.h"
#include "ui/liveeventspage.h"
#include "ui/messagebar.h"
#include "ui/newapikeydialog.h"
#include "ui/overviewpage.h"
#include "ui/searchpage.h"
#include "ui/servicestatusbar.h"
#include "ui/settingspage.h"
#include "ui/statcard.h"
#include "ui/throughputchart.h"
#include "ui/ticketspage.h"
#include "ui/translationloader.h"
#include "ui/windowhost.h"
#include "natsserver.h"
#include "uifixture.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

using namespace syncdesk;
using namespace syncdesk::test;
using namespace syncdesk::ui;

// An admin opens SyncDesk: every page shows the two systems' data, the status bar and the overview
// show the engine, checks run from a button, shortcuts and remembered geometry work, in German too.
class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void listPagesShowTheFixturesRecords_data();
    void listPagesShowTheFixturesRecords();
    void theOverviewAndStatusBarShowTheEngine();
    void liveEventsShowWhatChangedFieldByField();
    void aConflictWaitsOnTheConflictsPage();
    void deadChangesAreRetriedFromTheLiveView_data();
    void deadChangesAreRetriedFromTheLiveView();
    void aTicketStatusChangedOnTheTicketsPageReachesBothSides();
    void searchFindsBothSidesAndOpensTheRecordsPage();
    void runConsistencyCheckShowsAReport();
    void shortcutsSwitchPagesAndFocusSearch_data();
    void shortcutsSwitchPagesAndFocusSearch();
    void geometryAndPageAreRemembered();
    void settingsApplyConflictStrategiesAtOnceAndSaveTheFile();
    void settingsSwitchTheApiAndTheEngineWithoutARestart();
    void settingsShowTheEventRelayAndSwitchIt();
    void anApiKeyIsShownOnceAndListed();
    void theGermanTranslationShowsGermanTexts();
    void choosingALanguageReopensTheWindowInIt();

private:
    template<typename T>
    T *page(const QString &name)
    {
        return qobject_cast<T *>(m_ui->window()->page(name));
    }
    static QWidget *visibleTopLevel(const QString &objectName);
    std::unique_ptr<UiFixture> m_ui;
};

void TestMainWindow::initTestCase()
{
    UiFixture::isolateSettings();
}

void TestMainWindow::init()
{
    EngineOptions options = SyncFixture::defaults();
    options.conflictRules = {QStringLiteral("customer.phone=manual_review")};
    m_ui = std::make_unique<UiFixture>(60, options);
    QVERIFY2(m_ui->isReady(), qPrintable(m_ui->error()));
}

void TestMainWindow::cleanup()
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (qobject_cast<QDialog *>(widget))
            widget->close();
    }
    m_ui.reset();
}

QWidget *TestMainWindow::visibleTopLevel(const QString &objectName)
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (widget->objectName() == objectName && widget->isVisible())
            return widget;
    }
    return nullptr;
}

void TestMainWindow::listPagesShowTheFixturesRecords_data()
{
    QTest::addColumn<QString>("page");
    QTest::addColumn<QString>("expectedRows");
    QTest::newRow("conversations with their analysis")
        << "conversations"
        << "SELECT least(count(*), 500) FROM backend.conversations";
    QTest::newRow("tickets of both systems side by side")
        << "tickets"
        << "SELECT least(count(*), 200) FROM (SELECT backend_id FROM sync.links WHERE entity = 'ticket' "
           "UNION ALL "
           "SELECT id FROM backend.tickets t WHERE NOT EXISTS (SELECT 1 FROM sync.links l WHERE l.entity = "
           "'ticket' AND "
           "l.backend_id = t.id) UNION ALL SELECT id FROM dashboard.tickets t WHERE NOT EXISTS (SELECT 1 "
           "FROM sync.links l "
           "WHERE l.entity = 'ticket' AND l.dashboard_id = t.id)) pairs";
    QTest::newRow("customers of both systems side by side")
        << "customers"
        << "SELECT least(count(*), 200) FROM (SELECT backend_id FROM sync.links WHERE entity = 'customer' "
           "UNION ALL "
           "SELECT id FROM backend.users u WHERE NOT EXISTS (SELECT 1 FROM sync.links l WHERE l.entity = "
           "'customer' AND "
           "l.backend_id = u.id) UNION ALL SELECT id FROM dashboard.customers c WHERE NOT EXISTS (SELECT 1 "
           "FROM sync.links l "
           "WHERE l.entity = 'customer' AND l.dashboard_id = c.id)) pairs";
}

void TestMainWindow::listPagesShowTheFixturesRecords()
{
    QFETCH(QString, page);
    QFETCH(QString, expectedRows);
    const int expected = m_ui->db().value(expectedRows).toInt();
    QVERIFY(expected > 0);
    MainWindow &window = m_ui->openWindow();
    window.showPage(page);
    QCOMPARE(window.currentPageName(), page);
    auto *table = window.page(page)->findChild<QTableView *>();
    QVERIFY(table);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), expected, 15000);
    // The first row is selected and its detail filled in: the page is usable at once.
    QTRY_VERIFY_WITH_TIMEOUT(table->currentIndex().isValid(), 5000);
    if (page == QLatin1String("customers") || page == QLatin1String("tickets")) {
        auto *records = static_cast<RecordsPage *>(window.page(page));
        QTRY_VERIFY(records->comparison()->rowCount() > 0);
        const QString state = table->model()->index(0, 0).data().toString();
        QVERIFY2(!state.isEmpty(), "every pair shows its sync state");
    } else {
        auto *conversations = page == QLatin1String("conversations")
                                  ? static_cast<ConversationsPage *>(window.page(page))
                                  : nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(conversations->detail()->conversationId() != 0, 5000);
        QVERIFY(!conversations->detail()
                     ->findChild<QTextBrowser *>(QStringLiteral("transcript"))
                     ->toPlainText()
                     .isEmpty());
    }
}

void TestMainWindow::theOverviewAndStatusBarShowTheEngine()
{
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("overview"));
    auto *overview = page<OverviewPage>(QStringLiteral("overview"));
    QVERIFY(overview);
    const QString customers = QLocale().toString(
        m_ui->db().value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toLongLong());
    QList<StatCard *> cards = overview->findChildren<StatCard *>();
    const auto card = [&](const QString &value) {
        return std::any_of(cards.cbegin(), cards.cend(), [&](StatCard *c) { return c->value() == value; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(card(customers), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.serviceStatusBar()->summary().contains(QLatin1String("Syncing")), 10000);
    QVERIFY(window.serviceStatusBar()->summary().contains(QLatin1String("Backend")));
    QVERIFY(window.serviceStatusBar()->summary().contains(QLatin1String("0 open conflicts")));
    const auto values = [&]() {
        QStringList shown;
        for (StatCard *c : std::as_const(cards))
            shown << c->value();
        return shown.join(QStringLiteral(" | "));
    };
    QTRY_VERIFY2(card(QStringLiteral("never")), qPrintable(values())); // no consistency check has run yet
    // The service card counts the background tasks as the API's `background_tasks` does, and names them.
    const auto service = std::find_if(cards.cbegin(), cards.cend(), [](StatCard *c) { return c->value() == QLatin1String("Syncing"); });
    QVERIFY(service != cards.cend());
    QTRY_VERIFY2((*service)->detail().endsWith(QLatin1String(", 3 background tasks")), qPrintable((*service)->detail()));
    QVERIFY2((*service)->toolTip().contains(QLatin1String("Consistency check: next at")), qPrintable((*service)->toolTip()));
    // The chart opens on the last 24 hours from the queue's record, and switches to the live minutes.
    QCOMPARE(overview->chart()->range(), ThroughputChart::Range::LastDay);
    QTRY_COMPARE_WITH_TIMEOUT(overview->chart()->period().samples().size(), qsizetype(ThroughputChart::buckets(ThroughputChart::Range::LastDay)), 10000);
    overview->chartRange()->setCurrentIndex(overview->chartRange()->findData(int(ThroughputChart::Range::Live)));
    QCOMPARE(overview->chart()->range(), ThroughputChart::Range::Live);

    // Pause from the overview: the engine pauses, the button says how to go back.
    auto *pause = overview->findChild<QPushButton *>(QStringLiteral("pauseSync"));
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(m_ui->sync().engine().status().paused);
    QCOMPARE(pause->text(), QStringLiteral("Resume sync"));
    QTRY_VERIFY(window.serviceStatusBar()->summary().contains(QLatin1String("Paused")));
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!m_ui->sync().engine().status().paused);
    QVERIFY(overview->chart()->history().samples().size() >= 1);
}

void TestMainWindow::liveEventsShowWhatChangedFieldByField()
{
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("live"));
    auto *live = page<LiveEventsPage>(QStringLiteral("live"));
    const qint64 user = m_ui->linkedUser();
    QVERIFY(m_ui->sync().product(
        QStringLiteral("UPDATE backend.users SET company = 'Renamed Ltd' WHERE id = ?"), {user}));
    QTRY_VERIFY_WITH_TIMEOUT(live->model()->rowCount() > 0, 15000);
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&]() {
            for (int i = 0; i < live->model()->rowCount(); ++i) {
                if (live->model()->rowAt(i).kind == QLatin1String("record_synced") &&
                    live->model()->rowAt(i).backendId == user) {
                    row = i;
                    return true;
                }
            }
            return false;
        }(),
        15000);
    QCOMPARE(live->model()->rowAt(row).side, QStringLiteral("backend"));
    live->table()->setCurrentIndex(live->filter()->mapFromSource(live->model()->index(row, 0)));
    const QList<ComparisonRow> fields = live->detail()->comparison()->rows();
    const auto company = std::find_if(fields.cbegin(), fields.cend(), [](const ComparisonRow &r) {
        return r.field == QLatin1String("company");
    });
    QVERIFY(company != fields.cend());
    QCOMPARE(company->values.last(), QStringLiteral("Renamed Ltd"));
    QVERIFY2(company->changed.last(), "the changed field is highlighted");

    // Filters: by side and by text.
    live->filter()->setSide(QStringLiteral("dashboard"));
    for (int i = 0; i < live->filter()->rowCount(); ++i)
        QVERIFY(live->model()->rowAt(live->filter()->mapToSource(live->filter()->index(i, 0)).row()).side !=
                QLatin1String("backend"));
    live->filter()->setSide(QString());
    live->filter()->setText(QStringLiteral("company"));
    QVERIFY(live->filter()->rowCount() >= 1);
    live->filter()->setText(QStringLiteral("no event says this"));
    QCOMPARE(live->filter()->rowCount(), 0);
}

void TestMainWindow::aConflictWaitsOnTheConflictsPage()
{
    const qint64 user = m_ui->linkedUser();
    const qint64 conflict =
        m_ui->sync().clash(user, QStringLiteral("phone = '+49 111'"), QStringLiteral("phone = '+49 222'"));
    QVERIFY(conflict > 0);
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("conflicts"));
    auto *conflicts = page<ConflictsPage>(QStringLiteral("conflicts"));
    QTRY_COMPARE_WITH_TIMEOUT(conflicts->model()->rowCount(), 1, 10000);
    const QJsonObject row = conflicts->model()->rowAt(0);
    QCOMPARE(row.value(QStringLiteral("field")).toString(), QStringLiteral("phone"));
    QVERIFY2(!row.value(QStringLiteral("record")).toString().isEmpty(), "the conflict names its customer");
    QTRY_COMPARE_WITH_TIMEOUT(conflicts->detail()->conflictId(), conflict, 5000);
    const QList<ComparisonRow> fields = conflicts->detail()->comparison()->rows();
    const auto phone = std::find_if(fields.cbegin(), fields.cend(),
                                    [](const ComparisonRow &r) { return r.field == QLatin1String("phone"); });
    QVERIFY(phone != fields.cend());
    QVERIFY(phone->emphasized);
    QCOMPARE(phone->values.at(1), QStringLiteral("+49 111"));
    QCOMPARE(phone->values.at(2), QStringLiteral("+49 222"));
    QVERIFY(phone->changed.at(1) && phone->changed.at(2));
    QTRY_VERIFY(window.serviceStatusBar()->summary().contains(QLatin1String("1 open conflict")));
}

void TestMainWindow::deadChangesAreRetriedFromTheLiveView_data()
{
    QTest::addColumn<bool>("all");
    QTest::newRow("the selected one") << false;
    QTest::newRow("all dead changes") << true;
}

void TestMainWindow::deadChangesAreRetriedFromTheLiveView()
{
    QFETCH(bool, all);
    // Two changes the engine gave up on (as after the maximum attempts), for records that no longer exist.
    const QList<qint64> dead{
        m_ui->db()
            .value(QStringLiteral(
                "INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, status, attempts, "
                "last_error) VALUES ('backend', 'customer', 'backend.users', 987654, 'update', 'dead', 8, "
                "'boom') RETURNING id"))
            .toLongLong(),
        m_ui->db()
            .value(QStringLiteral(
                "INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation, status, attempts, "
                "last_error) VALUES ('dashboard', 'customer', 'dashboard.customers', 987655, 'update', "
                "'dead', 8, "
                "'boom') RETURNING id"))
            .toLongLong()};
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("live"));
    auto *live = page<LiveEventsPage>(QStringLiteral("live"));
    QTRY_COMPARE_WITH_TIMEOUT(live->model()->deadEventIds().size(), 2, 10000);
    if (all) {
        live->retryAllDead();
    } else {
        live->filter()->setStatus(QStringLiteral("dead"));
        int row = -1;
        for (int i = 0; i < live->filter()->rowCount(); ++i) {
            if (live->model()
                    ->rowAt(live->filter()->mapToSource(live->filter()->index(i, 0)).row())
                    .eventId == dead.first())
                row = i;
        }
        QVERIFY(row >= 0);
        live->table()->selectRow(row);
        QTest::mouseClick(live->findChild<QPushButton *>(QStringLiteral("retrySelected")), Qt::LeftButton);
    }
    QTRY_VERIFY_WITH_TIMEOUT(live->messageBar()->isVisible(), 10000);
    QVERIFY2(
        live->messageBar()->text().contains(all ? QLatin1String("2 changes") : QLatin1String("1 change")),
        qPrintable(live->messageBar()->text()));
    // Queued again: no longer dead (the engine takes them up; records that are gone fail again later).
    QCOMPARE(
        m_ui->db()
            .value(QStringLiteral("SELECT status <> 'dead' FROM sync.outbox WHERE id = ?"), {dead.first()})
            .toBool(),
        true);
    QCOMPARE(
        m_ui->db()
            .value(QStringLiteral("SELECT status <> 'dead' FROM sync.outbox WHERE id = ?"), {dead.last()})
            .toBool(),
        all);
    QCOMPARE(live->model()->deadEventIds().size(), all ? 0 : 1);
}

void TestMainWindow::aTicketStatusChangedOnTheTicketsPageReachesBothSides()
{
    const auto ticket = m_ui->db().rows(
        QStringLiteral("SELECT l.dashboard_id, l.backend_id FROM sync.links l JOIN dashboard.tickets d ON "
                       "d.id = l.dashboard_id WHERE l.entity = 'ticket' AND d.status = 'open' "
                       "ORDER BY l.dashboard_id LIMIT 1"));
    QCOMPARE(ticket.size(), 1);
    const qint64 dashboardId = ticket[0][0].toLongLong();
    const qint64 backendId = ticket[0][1].toLongLong();
    const QString subject =
        m_ui->db()
            .value(QStringLiteral("SELECT subject FROM dashboard.tickets WHERE id = ?"), {dashboardId})
            .toString();
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("tickets"));
    auto *tickets = page<TicketsPage>(QStringLiteral("tickets"));
    tickets->showRecord(QStringLiteral("dashboard"), dashboardId, subject);
    QTRY_COMPARE_WITH_TIMEOUT(tickets->currentRecord().value(QStringLiteral("dashboard_id")).toInteger(),
                              dashboardId, 10000);
    QVERIFY(tickets->applyButton()->isEnabled());
    tickets->statusBox()->setCurrentIndex(tickets->statusBox()->findData(QStringLiteral("resolved")));
    QTest::mouseClick(tickets->applyButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(tickets->messageBar()->isVisible(), 10000);
    QVERIFY2(tickets->messageBar()->kind() == MessageBar::Kind::Success,
             qPrintable(tickets->messageBar()->text()));
    QCOMPARE(m_ui->db()
                 .value(QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ?"), {dashboardId})
                 .toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_ui->db()
                 .value(QStringLiteral("SELECT status FROM backend.tickets WHERE id = ?"), {backendId})
                 .toString(),
             QStringLiteral("resolved"));
    QVERIFY(m_ui->db()
                .value(QStringLiteral("SELECT count(*) FROM backend.notifications WHERE ticket_id = ? AND "
                                      "kind = 'ticket_status'"),
                       {backendId})
                .toInt() > 0);
    // The list shows the new status on both sides.
    QTRY_COMPARE_WITH_TIMEOUT(tickets->currentRecord()
                                  .value(QStringLiteral("backend"))
                                  .toObject()
                                  .value(QStringLiteral("status"))
                                  .toString(),
                              QStringLiteral("resolved"), 10000);
}

void TestMainWindow::searchFindsBothSidesAndOpensTheRecordsPage()
{
    const auto customer = m_ui->db().rows(
        QStringLiteral("SELECT c.id, c.email, l.backend_id FROM dashboard.customers c JOIN sync.links l "
                       "ON l.entity = 'customer' AND l.dashboard_id = c.id ORDER BY c.id LIMIT 1"));
    QCOMPARE(customer.size(), 1);
    const qint64 customerId = customer[0][0].toLongLong();
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("search"));
    auto *search = page<SearchPage>(QStringLiteral("search"));
    QSignalSpy searched(search, &SearchPage::searched);
    search->search(customer[0][1].toString());
    QVERIFY(searched.wait(10000));
    // One result for the customer, naming both systems' records.
    int dashboardRow = -1;
    int results = 0;
    for (int row = 0; row < search->model()->rowCount(); ++row) {
        const QJsonObject result = search->model()->rowAt(row);
        if (result.value(QStringLiteral("type")).toString() == QLatin1String("customer") &&
            result.value(QStringLiteral("dashboard_id")).toInteger() == customerId) {
            dashboardRow = row;
            ++results;
        }
    }
    QCOMPARE(results, 1);
    const QJsonObject pair = search->model()->rowAt(dashboardRow);
    QCOMPARE(pair.value(QStringLiteral("source")).toString(), QStringLiteral("both"));
    QCOMPARE(pair.value(QStringLiteral("backend_id")).toInteger(), customer[0][2].toLongLong());
    QCOMPARE(search->model()->index(dashboardRow, 2).data().toString(),
             QStringLiteral("backend #%1 = dashboard #%2").arg(customer[0][2].toLongLong()).arg(customerId));
    search->openResult(dashboardRow);
    QCOMPARE(window.currentPageName(), QStringLiteral("customers"));
    auto *customers = page<CustomersPage>(QStringLiteral("customers"));
    QTRY_COMPARE_WITH_TIMEOUT(customers->currentRecord().value(QStringLiteral("dashboard_id")).toInteger(),
                              customerId, 10000);
    QCOMPARE(customers->currentRecord().value(QStringLiteral("backend_id")).toInteger(),
             customer[0][2].toLongLong());
}

void TestMainWindow::runConsistencyCheckShowsAReport()
{
    // Something to find: a customer the helpdesk has and the product does not, and a linked customer
    // whose phone differs on the two sides, with nothing queued.
    QVERIFY(m_ui->db().exec(QStringLiteral("SET syncdesk.origin = 'test'")));
    const qint64 lonely = m_ui->db()
                              .value(QStringLiteral("INSERT INTO dashboard.customers (email, name) VALUES "
                                                    "('lonely@example.com', 'Lonely Lou') RETURNING id"))
                              .toLongLong();
    const auto drifted = m_ui->db().rows(QStringLiteral(
        "UPDATE dashboard.customers c SET phone = '+44 20 7946 0018' FROM sync.links l WHERE l.entity = 'customer' "
        "AND l.dashboard_id = c.id AND l.id = (SELECT min(id) FROM sync.links WHERE entity = 'customer' AND "
        "backend_id IS NOT NULL AND dashboard_id IS NOT NULL) RETURNING c.name, c.email, l.backend_id, c.id"));
    QVERIFY(m_ui->db().exec(QStringLiteral("RESET syncdesk.origin")));
    QCOMPARE(drifted.size(), 1);
    const QString backendPhone =
        m_ui->db().value(QStringLiteral("SELECT phone FROM backend.users WHERE id = ?"), {drifted[0][2]}).toString();
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("overview"));
    auto *overview = page<OverviewPage>(QStringLiteral("overview"));
    QTest::mouseClick(overview->findChild<QPushButton *>(QStringLiteral("runConsistencyCheck")),
                      Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(visibleTopLevel(QStringLiteral("consistencyReportDialog")) != nullptr, 30000);
    auto *dialog =
        qobject_cast<ConsistencyReportDialog *>(visibleTopLevel(QStringLiteral("consistencyReportDialog")));
    QVERIFY(dialog);
    QVERIFY2(dialog->view()->verdict().contains(QLatin1String("issue")),
             qPrintable(dialog->view()->verdict()));
    QCOMPARE(visibleTopLevel(QStringLiteral("consistencyProgress")), nullptr);

    // Each finding is a sentence naming the record, its side and what differs; no JSON.
    QAbstractItemModel *checks = dialog->view()->tree()->model();
    QStringList lines;
    QModelIndex lonelyLine;
    for (int row = 0; row < checks->rowCount(); ++row) {
        const QModelIndex check = checks->index(row, 0);
        for (int child = 0; child < checks->rowCount(check); ++child) {
            const QModelIndex line = checks->index(child, 0, check);
            lines << line.data().toString();
            if (line.data().toString().contains(QLatin1String("Lonely Lou")))
                lonelyLine = line;
        }
    }
    const QString all = lines.join(QLatin1Char('\n'));
    QVERIFY2(!all.contains(QLatin1Char('{')), qPrintable(all));
    QVERIFY2(lonelyLine.isValid(), qPrintable(all));
    QCOMPARE(lonelyLine.data().toString(),
             QStringLiteral("Lonely Lou <lonely@example.com>, dashboard #%1: missing in the backend").arg(lonely));
    const QString driftedLine = QStringLiteral("%1 <%2>, backend #%3 / dashboard #%4: phone “%5” in the backend, "
                                               "“+44 20 7946 0018” in the dashboard")
                                    .arg(drifted[0][0].toString(), drifted[0][1].toString(), drifted[0][2].toString(),
                                         drifted[0][3].toString(), backendPhone);
    QVERIFY2(lines.contains(driftedLine), qPrintable(driftedLine + QLatin1String("\nnot in\n") + all));

    // Double-clicking a finding closes the report and shows the record on its page.
    QTreeView *tree = dialog->view()->tree();
    tree->scrollTo(lonelyLine);
    const QPoint at = tree->visualRect(lonelyLine).center();
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, at);
    QTRY_COMPARE_WITH_TIMEOUT(window.currentPageName(), QStringLiteral("customers"), 5000);
    QTRY_VERIFY(visibleTopLevel(QStringLiteral("consistencyReportDialog")) == nullptr);
    auto *customers = page<CustomersPage>(QStringLiteral("customers"));
    QTRY_COMPARE_WITH_TIMEOUT(customers->currentRecord().value(QStringLiteral("dashboard_id")).toInteger(), lonely, 10000);

    // The run is in the history, with its report; nothing useful is cut at the default size.
    window.showPage(QStringLiteral("consistency"));
    auto *history = page<ConsistencyPage>(QStringLiteral("consistency"));
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 1, 10000);
    QCOMPARE(history->model()->rowAt(0).value(QStringLiteral("triggered_by")).toString(),
             QStringLiteral("tester"));
    QTRY_VERIFY(history->report()->verdict().contains(QLatin1String("issue")));
    const QFontMetrics metrics(history->table()->font());
    for (int column = 0; column < history->model()->columnCount(); ++column) {
        const QString text = history->model()->index(0, column).data().toString();
        QVERIFY2(history->table()->columnWidth(column) >= metrics.horizontalAdvance(text),
                 qPrintable(QStringLiteral("column %1 cuts \"%2\"").arg(column).arg(text)));
    }
    QCOMPARE(history->model()->index(0, 3).data().toString(), QStringLiteral("completed"));
}

void TestMainWindow::shortcutsSwitchPagesAndFocusSearch_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<QString>("page");
    QTest::newRow("Ctrl+1 overview") << int(Qt::Key_1) << "overview";
    QTest::newRow("Ctrl+2 live events") << int(Qt::Key_2) << "live";
    QTest::newRow("Ctrl+3 conflicts") << int(Qt::Key_3) << "conflicts";
    QTest::newRow("Ctrl+4 conversations") << int(Qt::Key_4) << "conversations";
    QTest::newRow("Ctrl+5 tickets") << int(Qt::Key_5) << "tickets";
    QTest::newRow("Ctrl+6 customers") << int(Qt::Key_6) << "customers";
    QTest::newRow("Ctrl+7 search") << int(Qt::Key_7) << "search";
    QTest::newRow("Ctrl+8 consistency") << int(Qt::Key_8) << "consistency";
    QTest::newRow("Ctrl+9 settings") << int(Qt::Key_9) << "settings";
}

void TestMainWindow::shortcutsSwitchPagesAndFocusSearch()
{
    QFETCH(int, key);
    QFETCH(QString, page);
    MainWindow &window = m_ui->openWindow();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key(key), Qt::ControlModifier);
    QCOMPARE(window.currentPageName(), page);
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    // Ctrl+F goes to the page's own search box, or to the Search page for pages without one.
    auto *focused = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY2(focused || window.currentPageName() == QLatin1String("search") ||
                 page == QLatin1String("conflicts"),
             qPrintable(QApplication::focusWidget() ? QApplication::focusWidget()->metaObject()->className()
                                                    : "nothing"));
    if (page == QLatin1String("overview") || page == QLatin1String("consistency") ||
        page == QLatin1String("settings"))
        QCOMPARE(window.currentPageName(), QStringLiteral("search"));
}

void TestMainWindow::geometryAndPageAreRemembered()
{
    {
        MainWindow &window = m_ui->openWindow();
        window.resize(1111, 777);
        window.showPage(QStringLiteral("tickets"));
        m_ui->closeWindow();
    }
    MainWindow &again = m_ui->openWindow();
    QCOMPARE(again.size(), QSize(1111, 777));
    QCOMPARE(again.currentPageName(), QStringLiteral("tickets"));
}

void TestMainWindow::settingsApplyConflictStrategiesAtOnceAndSaveTheFile()
{
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("settings"));
    auto *settings = page<SettingsPage>(QStringLiteral("settings"));
    QVERIFY(m_ui->sync()
                .engine()
                .conflictPolicy()
                ->strategyFor(QStringLiteral("customer"), QStringLiteral("company"))
                .strategy == ConflictStrategy::LatestWins);
    settings->setStrategy(QStringLiteral("customer.company"), QStringLiteral("manual_review"));
    QVERIFY(settings->save());
    QVERIFY(m_ui->sync()
                .engine()
                .conflictPolicy()
                ->strategyFor(QStringLiteral("customer"), QStringLiteral("company"))
                .strategy == ConflictStrategy::ManualReview);
    QSettings file(settings->settingsPath(), QSettings::IniFormat);
    QCOMPARE(file.value(QStringLiteral("conflicts/customer.company")).toString(),
             QStringLiteral("manual_review"));
    QCOMPARE(file.value(QStringLiteral("SYNC_AUTO_TICKET_THRESHOLD")).toString(), QStringLiteral("0.7"));
    // The page's own earlier rule (phone under review) is kept.
    QCOMPARE(file.value(QStringLiteral("conflicts/customer.phone")).toString(),
             QStringLiteral("manual_review"));
}

namespace {

// The REST API as the application hosts it, for the Settings page to switch.
class HostedApi final : public ApiServerControl
{
public:
    explicit HostedApi(api::ApiServerHost &host)
        : m_host(host)
    {
    }
    Status applyApiSettings(bool enabled, const QString &bind, int port) override
    {
        return m_host.apply(enabled, bind, port);
    }
    QString apiAddress() const override { return m_host.url(); }

private:
    api::ApiServerHost &m_host;
};

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Whether an HTTP server answers on the port.
bool answersHttp(int port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    if (!socket.waitForConnected(2000))
        return false;
    socket.write("GET /api/sync/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray reply;
    while (socket.waitForReadyRead(3000))
        reply += socket.readAll();
    return reply.startsWith("HTTP/1.1 ");
}

} // namespace

void TestMainWindow::settingsSwitchTheApiAndTheEngineWithoutARestart()
{
    // SyncDesk was started with its API off.
    SyncSettings started = m_ui->windowContext().settings;
    started.httpEnabled = false;
    started.httpBind = QStringLiteral("127.0.0.1");
    api::ApiServerHost host(&m_ui->sync().engine(),
                            std::make_shared<ConnectionProvider>(m_ui->db().url(), QStringLiteral("api-test")), started);
    HostedApi control(host);
    m_ui->windowContext().settings = started;
    m_ui->windowContext().api = &control;
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("settings"));
    auto *settings = page<SettingsPage>(QStringLiteral("settings"));
    auto *enabled = settings->findChild<QCheckBox *>(QStringLiteral("apiEnabled"));
    auto *bind = settings->findChild<QLineEdit *>(QStringLiteral("apiBind"));
    auto *port = settings->findChild<QSpinBox *>(QStringLiteral("apiPort"));
    QVERIFY(enabled && bind && port);
    QVERIFY(!enabled->isChecked());

    // An admin switches it on, on a port of their choice, and raises the ticket threshold.
    const int first = freePort();
    enabled->setChecked(true);
    port->setValue(first);
    settings->findChild<QDoubleSpinBox *>(QStringLiteral("autoTicketThreshold"))->setValue(0.85);
    settings->findChild<QCheckBox *>(QStringLiteral("autoCreateTickets"))->setChecked(false);
    settings->findChild<QDoubleSpinBox *>(QStringLiteral("consistencyInterval"))->setValue(2.5);
    QVERIFY(settings->save());
    QVERIFY(answersHttp(first));
    QCOMPARE(control.apiAddress(), QStringLiteral("http://127.0.0.1:%1").arg(first));
    const EngineOptions running = m_ui->sync().engine().options();
    QCOMPARE(running.autoTicketing.threshold, 0.85);
    QVERIFY(!running.autoTicketing.createTickets);
    QCOMPARE(running.consistencyCheckIntervalHours, 2.5);
    QSettings file(settings->settingsPath(), QSettings::IniFormat);
    QCOMPARE(file.value(QStringLiteral("SYNC_HTTP_ENABLED")).toString(), QStringLiteral("true"));

    // Opening it to every network without credentials is refused; the API stays where it was.
    bind->setText(QStringLiteral("0.0.0.0"));
    settings->save();
    QVERIFY(settings->findChild<MessageBar *>()->text().contains(QStringLiteral("REST API")));
    QVERIFY(answersHttp(first));

    // Moved to another port, then switched off.
    const int second = freePort();
    bind->setText(QStringLiteral("127.0.0.1"));
    port->setValue(second);
    QVERIFY(settings->save());
    QVERIFY(answersHttp(second));
    QVERIFY(!answersHttp(first));
    enabled->setChecked(false);
    QVERIFY(settings->save());
    QVERIFY(!answersHttp(second));
    QVERIFY(control.apiAddress().isEmpty());
    m_ui->closeWindow();
}

void TestMainWindow::settingsShowTheEventRelayAndSwitchIt()
{
    auto url = NatsServer::fixtureUrl();
    QVERIFY2(url.ok(), qPrintable(url.error()));
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("settings"));
    auto *settings = page<SettingsPage>(QStringLiteral("settings"));
    auto *enabled = settings->findChild<QCheckBox *>(QStringLiteral("relayEnabled"));
    auto *server = settings->findChild<QLineEdit *>(QStringLiteral("relayUrl"));
    auto *stream = settings->findChild<QLineEdit *>(QStringLiteral("relayStream"));
    auto *prefix = settings->findChild<QLineEdit *>(QStringLiteral("relayPrefix"));
    auto *state = settings->findChild<QLabel *>(QStringLiteral("relayState"));
    QVERIFY(enabled && server && stream && prefix && state);
    QCOMPARE(state->text(), QStringLiteral("Off: no server set."));

    // An admin points SyncDesk at the company's broker: the relay starts without a restart.
    server->setText(url.value());
    server->setModified(true);
    stream->setText(QStringLiteral("WINDOW_%1").arg(QCoreApplication::applicationPid()));
    prefix->setText(QStringLiteral("window%1").arg(QCoreApplication::applicationPid()));
    enabled->setChecked(true);
    QVERIFY(settings->save());
    QTRY_VERIFY_WITH_TIMEOUT(state->text().contains(QStringLiteral("Connected")), 10000);
    QSettings file(settings->settingsPath(), QSettings::IniFormat);
    QCOMPARE(file.value(QStringLiteral("SYNC_NATS_URL")).toString(), url.value());

    // A change in the product is published, and the page counts it.
    QVERIFY(m_ui->sync().product(QStringLiteral("UPDATE backend.users SET phone = '+49 30 1234' WHERE id = ?"), {m_ui->linkedUser()}));
    QVERIFY(m_ui->sync().synced());
    QTRY_VERIFY_WITH_TIMEOUT(m_ui->sync().engine().status().relay.published >= 1 && m_ui->sync().engine().status().relay.lagEvents == 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(state->text().contains(QStringLiteral("%1 published, 0 waiting").arg(m_ui->sync().engine().status().relay.published)), 10000);

    // Switched off: the engine stops recording and publishing, and the page says so.
    enabled->setChecked(false);
    QVERIFY(settings->save());
    QVERIFY(!m_ui->sync().engine().status().relay.enabled);
    QTRY_VERIFY2(state->text().startsWith(QStringLiteral("Switched off.")), qPrintable(state->text()));
    QCOMPARE(file.value(QStringLiteral("SYNC_NATS_ENABLED")).toString(), QStringLiteral("false"));

    // A subject prefix the broker cannot take is refused; the relay stays as it was.
    enabled->setChecked(true);
    prefix->setText(QStringLiteral("has spaces"));
    settings->save();
    QVERIFY2(settings->findChild<MessageBar *>()->text().contains(QStringLiteral("SYNC_NATS_SUBJECT_PREFIX")),
             qPrintable(settings->findChild<MessageBar *>()->text()));
    QVERIFY(!m_ui->sync().engine().status().relay.enabled);
    m_ui->closeWindow();
}

void TestMainWindow::anApiKeyIsShownOnceAndListed()
{
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("settings"));
    auto *settings = page<SettingsPage>(QStringLiteral("settings"));
    QSignalSpy created(settings->apiKeys(), &ApiKeysPanel::created);
    settings->apiKeys()->create(QStringLiteral("crm-export"), QStringLiteral("viewer"));
    QVERIFY(created.wait(10000));
    const QString key = created.at(0).at(1).toString();
    QVERIFY(key.size() >= 20);
    QTRY_VERIFY(visibleTopLevel(QStringLiteral("newApiKeyDialog")) || window.findChild<NewApiKeyDialog *>());
    auto *dialog = window.findChild<NewApiKeyDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("newApiKey"))->text(), key);
    QTRY_COMPARE_WITH_TIMEOUT(settings->apiKeys()->model()->rowCount(), 1, 10000);
    const QJsonObject listed = settings->apiKeys()->model()->rowAt(0);
    QCOMPARE(listed.value(QStringLiteral("name")).toString(), QStringLiteral("crm-export"));
    QVERIFY2(key.startsWith(listed.value(QStringLiteral("prefix")).toString()),
             "the list shows only the key's start");
    QVERIFY(!QJsonDocument(listed).toJson().contains(key.toUtf8()));
}

void TestMainWindow::theGermanTranslationShowsGermanTexts()
{
    QVERIFY(TranslationLoader::install(QStringLiteral("de")));
    MainWindow &window = m_ui->openWindow();
    auto *navigation = window.findChild<QListWidget *>(QStringLiteral("navigation"));
    QStringList titles;
    for (int i = 0; i < navigation->count(); ++i)
        titles << navigation->item(i)->text();
    const QString runCheck = page<OverviewPage>(QStringLiteral("overview"))
                                 ->findChild<QPushButton *>(QStringLiteral("runConsistencyCheck"))
                                 ->text();
    const QString file = window.menuBar()->actions().value(0)->text();
    const QString status = window.serviceStatusBar()->summary();
    TranslationLoader::install(QStringLiteral("en"));
    QCOMPARE(titles.value(0), QStringLiteral("Übersicht"));
    QCOMPARE(titles.value(1), QStringLiteral("Live-Ereignisse"));
    QCOMPARE(titles.value(2), QStringLiteral("Konflikte"));
    QCOMPARE(titles.value(8), QStringLiteral("Einstellungen"));
    QCOMPARE(file, QStringLiteral("&Datei"));
    QCOMPARE(runCheck, QStringLiteral("Konsistenzprüfung starten"));
    QVERIFY2(status.contains(QStringLiteral("offene Konflikte")) ||
                 status.contains(QStringLiteral("Synchronisiert")),
             qPrintable(status));
}

void TestMainWindow::choosingALanguageReopensTheWindowInIt()
{
    WindowHost host(m_ui->windowContext());
    host.open();
    QSignalSpy replaced(&host, &WindowHost::windowReplaced);
    host.window()->showPage(QStringLiteral("settings"));
    auto *settings = qobject_cast<SettingsPage *>(host.window()->page(QStringLiteral("settings")));
    auto *language = settings->findChild<QComboBox *>(QStringLiteral("language"));
    language->setCurrentIndex(language->findData(QStringLiteral("de")));
    QVERIFY(settings->save());
    QVERIFY(replaced.wait(10000));
    // The engine ran on; the new window speaks German and opens where the choice was made.
    QVERIFY(m_ui->sync().engine().isRunning());
    auto *navigation = host.window()->findChild<QListWidget *>(QStringLiteral("navigation"));
    const QString overview = navigation->item(0)->text();
    const QString current = host.window()->currentPageName();

    // And back.
    settings = qobject_cast<SettingsPage *>(host.window()->page(QStringLiteral("settings")));
    language = settings->findChild<QComboBox *>(QStringLiteral("language"));
    language->setCurrentIndex(language->findData(QStringLiteral("en")));
    QVERIFY(settings->save());
    QVERIFY(replaced.wait(10000));
    const QString englishAgain = host.window()->findChild<QListWidget *>(QStringLiteral("navigation"))->item(0)->text();
    TranslationLoader::setPreferredLanguage(QString());
    TranslationLoader::install(QStringLiteral("en"));
    host.shutdown();
    QCOMPARE(overview, QStringLiteral("Übersicht"));
    QCOMPARE(current, QStringLiteral("settings"));
    QCOMPARE(englishAgain, QStringLiteral("Overview"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
