#include "ui/throughputchart.h"

#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

namespace syncdesk::ui {

ThroughputChart::ThroughputChart(QWidget *parent)
    : QChartView(parent)
{
    setObjectName(QStringLiteral("throughputChart"));
    setRenderHint(QPainter::Antialiasing);
    auto *chart = new QChart;
    chart->setTitle(tr("Throughput and queue, last 15 minutes"));

    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_throughput = new QLineSeries(chart);
    m_throughput->setName(tr("Events applied per second"));
    m_throughput->setColor(QColor(0x2f, 0x6f, 0xde));
    m_queue = new QLineSeries(chart);
    m_queue->setName(tr("Queue depth"));
    m_queue->setColor(QColor(0xef, 0x6c, 0x00));
    chart->addSeries(m_throughput);
    chart->addSeries(m_queue);

    m_time = new QDateTimeAxis(chart);
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setTickCount(6);
    chart->addAxis(m_time, Qt::AlignBottom);
    m_rateAxis = new QValueAxis(chart);
    m_rateAxis->setLabelFormat(QStringLiteral("%.0f"));
    // Six ticks split the round maxima (5, 10, 20, 50, ...) into whole numbers.
    m_rateAxis->setTickCount(6);
    m_rateAxis->setTitleText(tr("events/s"));
    chart->addAxis(m_rateAxis, Qt::AlignLeft);
    m_queueAxis = new QValueAxis(chart);
    m_queueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_queueAxis->setTickCount(6);
    m_queueAxis->setTitleText(tr("queued"));
    chart->addAxis(m_queueAxis, Qt::AlignRight);
    m_throughput->attachAxis(m_time);
    m_throughput->attachAxis(m_rateAxis);
    m_queue->attachAxis(m_time);
    m_queue->attachAxis(m_queueAxis);
    setChart(chart);
    setMinimumHeight(220);
    redraw();
}

int ThroughputChart::bucketSeconds(Range range)
{
    return range == Range::LastDay ? 300 : 60;
}

int ThroughputChart::buckets(Range range)
{
    return range == Range::LastDay ? 288 : 60;
}

void ThroughputChart::addSample(const QDateTime &at, double eventsPerSecond, qint64 queueDepth)
{
    m_history.add(at, eventsPerSecond, queueDepth);
    if (m_range == Range::Live)
        redraw();
}

void ThroughputChart::setRange(Range range)
{
    if (range == m_range)
        return;
    m_range = range;
    m_period = ThroughputHistory(qint64(bucketSeconds(range)) * buckets(range) * 1000);
    const QString title = range == Range::Live ? tr("Throughput and queue, last 15 minutes")
                          : range == Range::LastHour
                              ? tr("Throughput and queue, last hour (per minute)")
                              : tr("Throughput and queue, last 24 hours (per 5 minutes)");
    chart()->setTitle(title);
    m_time->setTickCount(range == Range::LastDay ? 9 : 7);
    redraw();
}

void ThroughputChart::setPeriod(const QList<ThroughputHistory::Sample> &samples)
{
    m_period = ThroughputHistory(qint64(bucketSeconds(m_range)) * buckets(m_range) * 1000);
    for (const ThroughputHistory::Sample &sample : samples)
        m_period.add(sample.at, sample.eventsPerSecond, sample.queueDepth);
    if (m_range != Range::Live)
        redraw();
}

void ThroughputChart::redraw()
{
    const ThroughputHistory &shown = m_range == Range::Live ? m_history : m_period;
    // replace() swaps the whole point list at once: one repaint, not one per point.
    QList<QPointF> rate;
    QList<QPointF> queue;
    rate.reserve(shown.samples().size());
    queue.reserve(shown.samples().size());
    for (const ThroughputHistory::Sample &sample : shown.samples()) {
        const double x = double(sample.at.toMSecsSinceEpoch());
        rate.append({x, sample.eventsPerSecond});
        queue.append({x, double(sample.queueDepth)});
    }
    m_throughput->replace(rate);
    m_queue->replace(queue);
    const QDateTime end =
        shown.samples().isEmpty() ? QDateTime::currentDateTime() : shown.samples().constLast().at;
    m_time->setRange(end.addMSecs(-shown.windowMs()).toLocalTime(), end.toLocalTime());
    m_rateAxis->setRange(0, ThroughputHistory::niceCeiling(shown.maxEventsPerSecond()));
    m_queueAxis->setRange(0, ThroughputHistory::niceCeiling(double(shown.maxQueueDepth())));
}

} // namespace syncdesk::ui
