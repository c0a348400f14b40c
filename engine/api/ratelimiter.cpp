#include "api/ratelimiter.h"

#include <cmath>

namespace syncdesk::api {

namespace {
constexpr qsizetype kPruneAbove = 10000;
}

RateLimiter::RateLimiter(double ratePerSecond, double burst)
    : m_rate(ratePerSecond)
    , m_burst(std::max(burst, 1.0))
{
}

int RateLimiter::take(const QString &key, qint64 nowMs)
{
    if (m_rate <= 0)
        return 0;
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= kPruneAbove)
            prune(nowMs);
        it = m_buckets.insert(key, Bucket{m_burst, nowMs});
    }
    Bucket &bucket = it.value();
    bucket.tokens = std::min(m_burst, bucket.tokens + double(nowMs - bucket.updatedMs) * m_rate / 1000.0);
    bucket.updatedMs = nowMs;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    return std::max(1, int(std::ceil((1.0 - bucket.tokens) / m_rate)));
}

void RateLimiter::prune(qint64 nowMs)
{
    // A bucket that would be full again carries no information.
    m_buckets.removeIf([this, nowMs](const auto &entry) {
        const Bucket &bucket = entry.value();
        return bucket.tokens + double(nowMs - bucket.updatedMs) * m_rate / 1000.0 >= m_burst;
    });
    // Still too many (a flood from many addresses): start afresh rather than grow.
    if (m_buckets.size() >= kPruneAbove)
        m_buckets.clear();
}

} // namespace syncdesk::api
