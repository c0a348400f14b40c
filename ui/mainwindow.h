#pragma once

#include <QMainWindow>

namespace syncdesk {
class StatisticsPoller;
}

namespace syncdesk::ui {

class OverviewPage;

// The desktop admin window. It only shows what the engine reports by signal; it never touches the
// database itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(syncdesk::StatisticsPoller *statistics, const QString &databaseDescription,
               QWidget *parent = nullptr);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    OverviewPage *m_overview = nullptr;
};

} // namespace syncdesk::ui
