#pragma once

#include "database/databasestatistics.h"
#include "service/servicestatus.h"
#include "ui/page.h"

class QComboBox;
class QPushButton;
class QTimer;

namespace syncdesk::ui {

class ConsistencyCheckController;
class StatCard;
class ThroughputChart;

// First page: is the sync healthy, how much waits, how fast it goes, what needs a person; the
// buttons admins press (check, clean up, pause); throughput and queue live over the last 15 minutes, or
// over the last hour or day from the queue's record.
class OverviewPage : public Page
{
    Q_OBJECT

public:
    OverviewPage(const UiContext &context, BackgroundRunner *runner, ConsistencyCheckController *consistency,
                 QWidget *parent = nullptr);

    QString title() const override { return tr("Overview"); }
    QString iconName() const override { return QStringLiteral("overview"); }
    void refresh() override;

    void showStatus(const syncdesk::ServiceStatus &status);
    void showStatistics(const syncdesk::DatabaseStatistics &statistics);
    ThroughputChart *chart() const { return m_chart; }
    QComboBox *chartRange() const { return m_range; }
    // What the buttons (and the Sync menu) do.
    void togglePause();
    void cleanUp();

private:
    void onTaskFinished(const QString &task, qint64 runId, bool ok, const QString &summary);
    void showLastCheck(const QJsonObject &run);
    void onRangeChosen();
    // Reads the chart's hour or day from the queue's record (nothing for the live range).
    void loadPeriod();

    ConsistencyCheckController *m_consistency;
    StatCard *m_service = nullptr;
    StatCard *m_queue = nullptr;
    StatCard *m_throughput = nullptr;
    StatCard *m_dead = nullptr;
    StatCard *m_conflicts = nullptr;
    StatCard *m_lastCheck = nullptr;
    StatCard *m_records = nullptr;
    StatCard *m_tickets = nullptr;
    QPushButton *m_check = nullptr;
    QPushButton *m_cleanup = nullptr;
    QPushButton *m_pause = nullptr;
    ThroughputChart *m_chart = nullptr;
    QComboBox *m_range = nullptr;
    QTimer *m_periodRefresh = nullptr;
    bool m_paused = false;
    bool m_cleaning = false;
};

} // namespace syncdesk::ui
