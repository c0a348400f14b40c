#include "ui/mainwindow.h"

#include "database/statisticspoller.h"
#include "ui/overviewpage.h"

#include <QAction>
#include <QCloseEvent>
#include <QKeySequence>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

namespace syncdesk::ui {

MainWindow::MainWindow(StatisticsPoller *statistics, const QString &databaseDescription, QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("SyncDesk"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/syncdesk.svg")));
    m_overview = new OverviewPage(databaseDescription, this);
    setCentralWidget(m_overview);

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    auto *refresh = toolbar->addAction(tr("Refresh"));
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QAction::triggered, statistics, &StatisticsPoller::refreshNow);

    connect(statistics, &StatisticsPoller::statisticsChanged, this, [this](const DatabaseStatistics &stats) {
        m_overview->showStatistics(stats);
        statusBar()->showMessage(tr("Connected · %n pending change(s)", nullptr, int(stats.pendingEvents)));
    });
    connect(statistics, &StatisticsPoller::collectionFailed, this, [this](const QString &message) {
        m_overview->showError(message);
        statusBar()->showMessage(tr("Database unreachable"));
    });

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
        resize(900, 600);
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    event->accept();
}

} // namespace syncdesk::ui
