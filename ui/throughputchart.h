#pragma once

#include "ui/throughputhistory.h"

#include <QChartView>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace syncdesk::ui {

// Throughput (events/s, left axis) and queue depth (right axis) over the last 15 minutes.
class ThroughputChart : public QChartView
{
    Q_OBJECT

public:
    explicit ThroughputChart(QWidget *parent = nullptr);

    void addSample(const QDateTime &at, double eventsPerSecond, qint64 queueDepth);
    const ThroughputHistory &history() const { return m_history; }

private:
    void redraw();

    ThroughputHistory m_history;
    QLineSeries *m_throughput = nullptr;
    QLineSeries *m_queue = nullptr;
    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_rateAxis = nullptr;
    QValueAxis *m_queueAxis = nullptr;
};

} // namespace syncdesk::ui
