#include "sync/retrypolicy.h"

#include "database/sql.h"

#include <algorithm>

namespace syncdesk {

RetryPolicy::RetryPolicy(int maxAttempts, std::chrono::milliseconds base, std::chrono::milliseconds cap)
    : m_maxAttempts(std::max(1, maxAttempts))
    , m_base(base)
    , m_cap(cap)
{
}

std::chrono::milliseconds RetryPolicy::backoff(int attempt, std::mt19937 &random) const
{
    const int exponent = std::clamp(attempt - 1, 0, 30);
    const double ideal = std::min<double>(double(m_base.count()) * double(1LL << std::min(exponent, 20)),
                                          double(m_cap.count()));
    // "Equal jitter": half fixed, half random, so the delay still grows but failures spread out.
    std::uniform_real_distribution<double> jitter(0.0, ideal / 2.0);
    return std::chrono::milliseconds(qint64(ideal / 2.0 + jitter(random)));
}

bool RetryPolicy::isTransient(const QString &error, bool connectionBroken)
{
    if (connectionBroken)
        return true;
    const QString state = sql::sqlState(error);
    if (state.startsWith(QLatin1String("08")))                       // connection exception
        return true;
    return state == QLatin1String("40001")                            // serialization_failure
           || state == QLatin1String("40P01")                         // deadlock_detected
           || state == QLatin1String("55P03")                         // lock_not_available
           || state == QLatin1String("57P01") || state == QLatin1String("57P02")
           || state == QLatin1String("57P03")                         // server shutting down / starting
           || state == QLatin1String("53300")                         // too_many_connections
           || state == QLatin1String("25P03")                         // idle_in_transaction_session_timeout
           || error.contains(QLatin1String("server closed the connection"))
           || error.contains(QLatin1String("no connection to the server"));
}

bool RetryPolicy::isLostSession(const QString &error)
{
    const QString state = sql::sqlState(error);
    return state.startsWith(QLatin1String("08"))          // connection exception
           || state == QLatin1String("57P01")             // terminated by an administrator
           || state == QLatin1String("25P03")             // idle_in_transaction_session_timeout
           || error.contains(QLatin1String("server closed the connection"))
           || error.contains(QLatin1String("no connection to the server"));
}

} // namespace syncdesk
