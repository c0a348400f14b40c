#pragma once

#include "database/databasestatistics.h"

#include <QWidget>

class QGridLayout;
class QLabel;

namespace syncdesk::ui {

// First page: where the data lives and how much of it there is on each side, and the change queue.
class OverviewPage : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPage(const QString &databaseDescription, QWidget *parent = nullptr);

    void showStatistics(const syncdesk::DatabaseStatistics &statistics);
    void showError(const QString &message);

private:
    QLabel *addRow(QGridLayout *grid, int row, const QString &label);

    QLabel *m_backendUsers = nullptr;
    QLabel *m_backendConversations = nullptr;
    QLabel *m_backendMessages = nullptr;
    QLabel *m_backendTickets = nullptr;
    QLabel *m_dashboardCustomers = nullptr;
    QLabel *m_dashboardTickets = nullptr;
    QLabel *m_pending = nullptr;
    QLabel *m_dead = nullptr;
    QLabel *m_capturedLastMinute = nullptr;
    QLabel *m_oldestPending = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace syncdesk::ui
