#include "ui/throughputhistory.h"

#include <algorithm>
#include <cmath>

namespace syncdesk::ui {

ThroughputHistory::ThroughputHistory(qint64 windowMs)
    : m_windowMs(windowMs)
{}

void ThroughputHistory::add(const QDateTime &at, double eventsPerSecond, qint64 queueDepth)
{
    // A clock that jumped back (or a late sample) would fold the line over itself: keep time ordered.
    if (!m_samples.isEmpty() && at < m_samples.constLast().at)
        return;
    m_samples.append({at, std::max(0.0, eventsPerSecond), std::max<qint64>(0, queueDepth)});
    const QDateTime oldest = at.addMSecs(-m_windowMs);
    const auto firstKept =
        std::find_if(m_samples.cbegin(), m_samples.cend(), [&](const Sample &s) { return s.at >= oldest; });
    m_samples.erase(m_samples.cbegin(), firstKept);
}

double ThroughputHistory::maxEventsPerSecond() const
{
    double max = 0;
    for (const Sample &sample : m_samples)
        max = std::max(max, sample.eventsPerSecond);
    return max;
}

qint64 ThroughputHistory::maxQueueDepth() const
{
    qint64 max = 0;
    for (const Sample &sample : m_samples)
        max = std::max(max, sample.queueDepth);
    return max;
}

double ThroughputHistory::niceCeiling(double value, double minimum)
{
    if (!(value > minimum))
        return minimum;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

} // namespace syncdesk::ui
