#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace syncdesk {

// The event relay as the status endpoint, the metrics, the health check and the Settings page
// show it. The counts are the database's, so every instance shows the same, whichever publishes.
struct RelayStatus
{
    bool configured = false; // SYNC_NATS_URL is set
    bool enabled = false;    // and switched on: this instance records events and may publish them
    bool connected = false;  // to NATS, with the stream in place
    bool leader = false;     // this instance is the one that publishes (one per database)
    QString server;          // the URL, password masked
    QString stream;
    qint64 published = 0;    // events the broker acknowledged, all time
    QDateTime lastPublishedAt;
    qint64 lagEvents = 0;    // recorded and not acknowledged yet
    double lagSeconds = 0;   // how long the oldest of them has waited
    qint64 expiredEvents = 0; // removed by the cleanup before they were published (relay.events_expired says so)
    QString problem;         // why events are not reaching the broker, or empty

    // Waiting longer than this means the broker is not being fed: health says degraded.
    static constexpr double lagWarnSeconds = 60.0;
    // On, and nothing keeps events from the broker.
    bool healthy() const { return !enabled || (problem.isEmpty() && lagSeconds < lagWarnSeconds); }

    // {"enabled", "connected", "published_total", "lag_events", "lag_seconds", ...}
    QJsonObject toJson() const;
};

} // namespace syncdesk

Q_DECLARE_METATYPE(syncdesk::RelayStatus)
