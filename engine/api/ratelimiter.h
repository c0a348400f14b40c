#pragma once

#include <QHash>
#include <QString>

namespace syncdesk::api {

// Token buckets by key (a client address, a credential): `rate` tokens a second up to `burst`; a
// request takes one. Used from the HTTP thread only. Buckets that have refilled are forgotten when
// there are many, so a flood of addresses cannot grow it without bound.
class RateLimiter
{
public:
    RateLimiter(double ratePerSecond, double burst);

    bool enabled() const { return m_rate > 0; }
    // 0 when the request may go ahead, else the whole seconds until it could.
    int take(const QString &key, qint64 nowMs);

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 updatedMs = 0;
    };
    void prune(qint64 nowMs);

    double m_rate;
    double m_burst;
    QHash<QString, Bucket> m_buckets;
};

} // namespace syncdesk::api
