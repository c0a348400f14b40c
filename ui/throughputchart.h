#pragma once

#include "ui/throughputhistory.h"

#include <QChartView>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace syncdesk::ui {

// Throughput (events/s, left axis) and queue depth (right axis): live over the last 15 minutes from the
// engine's status, or over the last hour or day from the queue's own record (setPeriod()).
class ThroughputChart : public QChartView
{
    Q_OBJECT

public:
    enum class Range
    {
        Live, // the last 15 minutes, sampled as the status arrives
        LastHour,
        LastDay
    };

    explicit ThroughputChart(QWidget *parent = nullptr);

    void addSample(const QDateTime &at, double eventsPerSecond, qint64 queueDepth);
    // The live samples (kept whatever range is shown).
    const ThroughputHistory &history() const { return m_history; }
    Range range() const { return m_range; }
    void setRange(Range range);
    // The periods of the shown hour or day, oldest first, as ThroughputQueries::history() reads them.
    void setPeriod(const QList<ThroughputHistory::Sample> &samples);
    const ThroughputHistory &period() const { return m_period; }
    // How the shown hour or day is read: seconds per point and points.
    static int bucketSeconds(Range range);
    static int buckets(Range range);

private:
    void redraw();

    Range m_range = Range::Live;
    ThroughputHistory m_history;
    ThroughputHistory m_period;
    QLineSeries *m_throughput = nullptr;
    QLineSeries *m_queue = nullptr;
    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_rateAxis = nullptr;
    QValueAxis *m_queueAxis = nullptr;
};

} // namespace syncdesk::ui
