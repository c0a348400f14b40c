#pragma once

#include <QDateTime>
#include <QList>

namespace syncdesk::ui {

// The last minutes of throughput and queue depth, as the overview chart draws them. Samples older
// than the window are dropped as new ones arrive, so it never grows past one window's worth.
class ThroughputHistory
{
public:
    struct Sample
    {
        QDateTime at;
        double eventsPerSecond = 0;
        qint64 queueDepth = 0;
    };

    explicit ThroughputHistory(qint64 windowMs = 15 * 60 * 1000);

    void add(const QDateTime &at, double eventsPerSecond, qint64 queueDepth);
    const QList<Sample> &samples() const { return m_samples; }
    qint64 windowMs() const { return m_windowMs; }
    double maxEventsPerSecond() const;
    qint64 maxQueueDepth() const;
    // A round axis maximum at or above `value` (1, 2, 5, 10, 20, 50, ...), at least `minimum`.
    static double niceCeiling(double value, double minimum = 5);

private:
    qint64 m_windowMs;
    QList<Sample> m_samples;
};

} // namespace syncdesk::ui
