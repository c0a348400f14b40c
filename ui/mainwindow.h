#pragma once

#include "ui/uicontext.h"

#include <QHash>
#include <QMainWindow>

class QLabel;
class QListWidget;
class QProgressBar;
class QStackedWidget;

namespace syncdesk {
struct DatabaseStatistics;
struct ServiceStatus;
} // namespace syncdesk

namespace syncdesk::ui {

class BackgroundRunner;
class ConsistencyCheckController;
class Page;
class ServiceStatusBar;

// The desktop admin window: a list of pages on the left, the page on the right, the engine's state in
// the status bar. It only shows what the engine and the read models report; every query and every
// blocking engine call runs on its BackgroundRunner's threads.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const UiContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Page names: overview, live, conflicts, conversations, tickets, customers, search, consistency,
    // settings.
    Page *page(const QString &name) const;
    QString currentPageName() const;
    void showPage(const QString &name);
    ServiceStatusBar *serviceStatusBar() const { return m_status; }
    BackgroundRunner *runner() const { return m_runner; }
    ConsistencyCheckController *consistency() const { return m_consistency; }
    // Waits for the work in flight; the composition root calls it before it stops the engine.
    void shutdown();

Q_SIGNALS:
    // A new language was saved on the Settings page ("" = the system's).
    void languageChosen(const QString &language);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addPage(const QString &name, Page *page);
    void createActions();
    void onStatus(const syncdesk::ServiceStatus &status);
    void onStatistics(const syncdesk::DatabaseStatistics &statistics);
    void openRecord(const QString &source, qint64 id, const QJsonObject &details);
    void focusSearch();
    void refreshCurrent();
    void saveState();

    UiContext m_context;
    BackgroundRunner *m_runner = nullptr;
    ConsistencyCheckController *m_consistency = nullptr;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_stack = nullptr;
    ServiceStatusBar *m_status = nullptr;
    QProgressBar *m_busy = nullptr;
    QList<QString> m_pageNames;
    QHash<QString, Page *> m_pages;
    bool m_shutDown = false;
};

} // namespace syncdesk::ui
