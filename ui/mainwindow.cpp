#include "ui/mainwindow.h"

#include "database/statisticspoller.h"
#include "service/datasyncservice.h"
#include "ui/backgroundrunner.h"
#include "ui/conflictspage.h"
#include "ui/consistencycheckcontroller.h"
#include "ui/consistencypage.h"
#include "ui/conversationspage.h"
#include "ui/customerspage.h"
#include "ui/icons.h"
#include "ui/liveeventspage.h"
#include "ui/overviewpage.h"
#include "ui/searchpage.h"
#include "ui/servicestatusbar.h"
#include "ui/settingspage.h"
#include "ui/ticketspage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QKeySequence>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

Q_LOGGING_CATEGORY(lcUiWindow, "syncdesk.ui.window", QtInfoMsg)

namespace syncdesk::ui {

MainWindow::MainWindow(const UiContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(context)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("SyncDesk"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/syncdesk.svg")));
    m_runner = new BackgroundRunner(this);
    m_consistency = new ConsistencyCheckController(context.engine, m_runner, context.actor, this);

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_navigation = new QListWidget(splitter);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setMaximumWidth(220);
    m_navigation->setMinimumWidth(150);
    m_stack = new QStackedWidget(splitter);
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    addPage(QStringLiteral("overview"), new OverviewPage(context, m_runner, m_consistency, m_stack));
    addPage(QStringLiteral("live"), new LiveEventsPage(context, m_runner, m_stack));
    addPage(QStringLiteral("conflicts"), new ConflictsPage(context, m_runner, m_stack));
    addPage(QStringLiteral("conversations"), new ConversationsPage(context, m_runner, m_stack));
    addPage(QStringLiteral("tickets"), new TicketsPage(context, m_runner, m_stack));
    addPage(QStringLiteral("customers"), new CustomersPage(context, m_runner, m_stack));
    addPage(QStringLiteral("search"), new SearchPage(context, m_runner, m_stack));
    addPage(QStringLiteral("consistency"), new ConsistencyPage(context, m_runner, m_consistency, m_stack));
    auto *settingsPage = new SettingsPage(context, m_runner, m_stack);
    addPage(QStringLiteral("settings"), settingsPage);
    connect(settingsPage, &SettingsPage::languageChosen, this, &MainWindow::languageChosen);

    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || row >= m_pageNames.size())
            return;
        Page *page = m_pages.value(m_pageNames.at(row));
        m_stack->setCurrentWidget(page);
        page->activate();
    });

    m_status = new ServiceStatusBar(this);
    statusBar()->addPermanentWidget(m_status);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(80);
    m_busy->setMaximumHeight(14);
    m_busy->setToolTip(tr("Loading…"));
    m_busy->hide();
    statusBar()->addWidget(m_busy);
    // Only show the busy bar when loading takes a noticeable moment.
    connect(m_runner, &BackgroundRunner::busyChanged, m_busy, &QWidget::setVisible);

    connect(context.engine, &DataSyncService::statusChanged, this, &MainWindow::onStatus);
    if (context.statistics) {
        connect(context.statistics, &StatisticsPoller::statisticsChanged, this, &MainWindow::onStatistics);
        connect(context.statistics, &StatisticsPoller::collectionFailed, this,
                [this](const QString &message) {
                    statusBar()->showMessage(tr("Cannot read the record counts: %1").arg(message), 10000);
                });
    }
    connect(m_consistency, &ConsistencyCheckController::started, this, [this](qint64 runId) {
        statusBar()->showMessage(tr("Consistency check %1 running…").arg(runId), 5000);
    });
    connect(m_consistency, &ConsistencyCheckController::openRecord, this, &MainWindow::openRecord);
    createActions();
    onStatus(context.engine->status());

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    splitter->restoreState(settings.value(QStringLiteral("mainWindow/splitter")).toByteArray());
    const QString lastPage =
        settings.value(QStringLiteral("mainWindow/page"), QStringLiteral("overview")).toString();
    showPage(m_pages.contains(lastPage) ? lastPage : QStringLiteral("overview"));
    qCInfo(lcUiWindow).noquote() << "window ready on page" << currentPageName();
}

MainWindow::~MainWindow()
{
    shutdown();
}

void MainWindow::addPage(const QString &name, Page *page)
{
    page->setObjectName(page->objectName().isEmpty() ? name + QStringLiteral("Page") : page->objectName());
    m_pageNames << name;
    m_pages.insert(name, page);
    m_stack->addWidget(page);
    auto *item = new QListWidgetItem(Icons::get(page->iconName()), page->title(), m_navigation);
    item->setData(Qt::UserRole, name);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(page->title()).arg(m_pageNames.size()));
    connect(page, &Page::showPage, this, &MainWindow::showPage);
    connect(page, &Page::openRecord, this, &MainWindow::openRecord);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *refresh = view->addAction(Icons::get(QStringLiteral("refresh")), tr("&Refresh"), this,
                                       &MainWindow::refreshCurrent);
    refresh->setObjectName(QStringLiteral("refreshAction"));
    refresh->setShortcut(QKeySequence(Qt::Key_F5));
    QAction *search =
        view->addAction(Icons::get(QStringLiteral("search")), tr("&Find"), this, &MainWindow::focusSearch);
    search->setObjectName(QStringLiteral("findAction"));
    search->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    view->addSeparator();
    for (int i = 0; i < m_pageNames.size(); ++i) {
        const QString name = m_pageNames.at(i);
        Page *page = m_pages.value(name);
        QAction *go = view->addAction(Icons::get(page->iconName()), page->title(), this,
                                      [this, name]() { showPage(name); });
        go->setObjectName(QStringLiteral("goTo_%1").arg(name));
        if (i < 9)
            go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }

    QMenu *sync = menuBar()->addMenu(tr("&Sync"));
    sync->addAction(Icons::get(QStringLiteral("consistency")), tr("Run &consistency check"), m_consistency,
                    &ConsistencyCheckController::start);
    // Through the overview, so its message bar says how it went.
    auto *overview = static_cast<OverviewPage *>(m_pages.value(QStringLiteral("overview")));
    sync->addAction(Icons::get(QStringLiteral("cleanup")), tr("Clean &up now"), overview,
                    &OverviewPage::cleanUp);
    QAction *pause = sync->addAction(tr("&Pause or resume sync"), this, [this, overview]() {
        overview->togglePause();
        onStatus(m_context.engine->status());
    });
    pause->setObjectName(QStringLiteral("pauseAction"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SyncDesk"), this, [this]() {
        QMessageBox::about(
            this, tr("About SyncDesk"),
            tr("<b>SyncDesk %1</b><p>Keeps customers, tickets and AI-agent conversations consistent between "
               "the product backend and the helpdesk dashboard.</p><p>Database: %2</p>"
               "<p>The conversation analyzer's model was trained on the Bitext customer-support intent data "
               "(CDLA-Sharing-1.0), on CLINC150 by Larson et al., \"An Evaluation Dataset for Intent "
               "Classification and Out-of-Scope Prediction\", EMNLP-IJCNLP 2019 (CC BY 3.0), and on "
               "conversations written for SyncDesk.</p>")
                .arg(QCoreApplication::applicationVersion(), m_context.databaseDescription.toHtmlEscaped()));
    });
}

Page *MainWindow::page(const QString &name) const
{
    return m_pages.value(name);
}

QString MainWindow::currentPageName() const
{
    const int row = m_navigation->currentRow();
    return row >= 0 && row < m_pageNames.size() ? m_pageNames.at(row) : QString();
}

void MainWindow::showPage(const QString &name)
{
    const int row = int(m_pageNames.indexOf(name));
    if (row < 0)
        return;
    if (m_navigation->currentRow() == row)
        m_pages.value(name)->activate();
    else
        m_navigation->setCurrentRow(row);
}

void MainWindow::onStatus(const ServiceStatus &status)
{
    m_status->showStatus(status);
    if (auto *overview = qobject_cast<OverviewPage *>(m_pages.value(QStringLiteral("overview"))))
        overview->showStatus(status);
}

void MainWindow::onStatistics(const DatabaseStatistics &statistics)
{
    if (auto *overview = qobject_cast<OverviewPage *>(m_pages.value(QStringLiteral("overview"))))
        overview->showStatistics(statistics);
}

void MainWindow::openRecord(const QString &source, qint64 id, const QJsonObject &details)
{
    // A search result or a link: show the record on the page that owns it.
    if (source == QLatin1String("backend_user") || source == QLatin1String("dashboard_customer")) {
        showPage(QStringLiteral("customers"));
        static_cast<CustomersPage *>(m_pages.value(QStringLiteral("customers")))
            ->showRecord(source == QLatin1String("backend_user") ? QStringLiteral("backend")
                                                                 : QStringLiteral("dashboard"),
                         id, details.value(QLatin1String("email")).toString());
    } else if (source == QLatin1String("backend_ticket") || source == QLatin1String("dashboard_ticket")) {
        showPage(QStringLiteral("tickets"));
        static_cast<TicketsPage *>(m_pages.value(QStringLiteral("tickets")))
            ->showRecord(source == QLatin1String("backend_ticket") ? QStringLiteral("backend")
                                                                   : QStringLiteral("dashboard"),
                         id, details.value(QLatin1String("title")).toString());
    } else if (source == QLatin1String("conversation") || source == QLatin1String("message")) {
        const qint64 conversation = source == QLatin1String("message")
                                        ? details.value(QLatin1String("conversation_id")).toInteger()
                                        : id;
        showPage(QStringLiteral("conversations"));
        static_cast<ConversationsPage *>(m_pages.value(QStringLiteral("conversations")))
            ->showConversation(conversation);
    } else if (source == QLatin1String("conflict")) {
        showPage(QStringLiteral("conflicts"));
        static_cast<ConflictsPage *>(m_pages.value(QStringLiteral("conflicts")))->selectConflict(id);
    } else {
        qCWarning(lcUiWindow) << "no page shows records of" << source;
    }
}

void MainWindow::focusSearch()
{
    Page *current = m_pages.value(currentPageName());
    if (current && current->focusSearch())
        return;
    showPage(QStringLiteral("search"));
    if (Page *search = m_pages.value(QStringLiteral("search")))
        search->focusSearch();
}

void MainWindow::refreshCurrent()
{
    if (Page *current = m_pages.value(currentPageName()))
        current->refresh();
    if (m_context.statistics)
        m_context.statistics->refreshNow();
    onStatus(m_context.engine->status());
}

void MainWindow::saveState()
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), QMainWindow::saveState());
    if (auto *splitter = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        settings.setValue(QStringLiteral("mainWindow/splitter"), splitter->saveState());
    settings.setValue(QStringLiteral("mainWindow/page"), currentPageName());
}

void MainWindow::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    // Work in flight uses the engine and the database: let it finish before either goes away.
    m_runner->waitForDone();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    qCInfo(lcUiWindow) << "window closed; waiting for" << m_runner->pending() << "request(s) in flight";
    shutdown();
    event->accept();
}

} // namespace syncdesk::ui
