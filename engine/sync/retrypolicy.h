#pragma once

#include <QString>

#include <chrono>
#include <random>

namespace syncdesk {

// When a failed event is tried again: exponentially later, capped, with jitter so that events that
// failed together do not come back together; dead after `maxAttempts`. Transient failures (a lost
// connection, a deadlock, a serialization failure) are not the event's fault and burn no attempt.
class RetryPolicy
{
public:
    RetryPolicy(int maxAttempts = 8, std::chrono::milliseconds base = std::chrono::seconds(2),
                std::chrono::milliseconds cap = std::chrono::minutes(10));

    int maxAttempts() const { return m_maxAttempts; }
    // Delay before attempt `attempt` + 1, for an event that has failed `attempt` times (1-based).
    std::chrono::milliseconds backoff(int attempt, std::mt19937 &random) const;
    bool exhausted(int attempts) const { return attempts >= m_maxAttempts; }

    // Whether an error (as sql::errorText formats it) is transient.
    static bool isTransient(const QString &error, bool connectionBroken);
    // Whether it says this session ended (terminated, timed out, cut) while the server may well be up.
    static bool isLostSession(const QString &error);

private:
    int m_maxAttempts;
    std::chrono::milliseconds m_base;
    std::chrono::milliseconds m_cap;
};

} // namespace syncdesk
