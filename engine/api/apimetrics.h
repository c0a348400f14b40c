#pragma once

#include "service/servicestatus.h"
#include "sync/batchprocessor.h"
#include "sync/liveevent.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>

namespace syncdesk::api {

// Counters and histograms behind GET /api/sync/metrics, in the Prometheus text format (0.0.4): the
// engine's (events applied, failed and dead by entity, capture-to-apply latency, conflicts), the
// queue's (from the engine status, no query) and the API's own (requests by route and status,
// connections). Fed from the engine's signals and the HTTP thread; read from any thread.
class ApiMetrics
{
public:
    ApiMetrics();

    void recordBatch(const BatchOutcome &outcome);
    void recordLiveEvents(const LiveEvents &events);
    void recordRequest(const QString &route, int status, double seconds);

    struct ServerGauges
    {
        int openConnections = 0;
        int streamClients = 0;
        QMap<QString, qint64> refusals;
    };
    QByteArray render(const ServiceStatus &status, const ServerGauges &server) const;

    // Upper bounds (seconds) of the latency histograms' buckets.
    static const QList<double> &applyBuckets();
    static const QList<double> &requestBuckets();

private:
    struct Histogram
    {
        QList<quint64> counts; // per bucket (not cumulative), then +Inf
        double sum = 0;
        quint64 count = 0;
        void observe(const QList<double> &bounds, double value);
    };

    mutable QMutex m_mutex;
    QMap<QString, quint64> m_processed;  // by entity
    QMap<QString, quint64> m_failed;
    QMap<QString, quint64> m_dead;
    QMap<QString, quint64> m_conflicts;  // detected, by entity
    QMap<QString, quint64> m_liveEvents; // by kind
    Histogram m_applyLatency;
    QMap<QPair<QString, int>, quint64> m_requests; // (route, status)
    QMap<QString, Histogram> m_requestLatency;     // by route
};

} // namespace syncdesk::api
