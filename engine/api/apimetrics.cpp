#include "api/apimetrics.h"

namespace syncdesk::api {

namespace {

QByteArray escapeLabel(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

void family(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(QByteArray &out, const QByteArray &name, const QByteArray &labels, double value)
{
    out += name;
    if (!labels.isEmpty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += QByteArray::number(value, 'g', 17);
    out += '\n';
}

QByteArray label(const char *name, const QString &value)
{
    return QByteArray(name) + "=\"" + escapeLabel(value) + '"';
}

QByteArray bound(double value)
{
    return QByteArray::number(value, 'g', 6);
}

} // namespace

ApiMetrics::ApiMetrics()
{
    m_applyLatency.counts = QList<quint64>(applyBuckets().size() + 1, 0);
}

const QList<double> &ApiMetrics::applyBuckets()
{
    static const QList<double> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
    return buckets;
}

const QList<double> &ApiMetrics::requestBuckets()
{
    static const QList<double> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
    return buckets;
}

void ApiMetrics::Histogram::observe(const QList<double> &bounds, double value)
{
    if (counts.isEmpty())
        counts = QList<quint64>(bounds.size() + 1, 0);
    qsizetype bucket = 0;
    while (bucket < bounds.size() && value > bounds.at(bucket))
        ++bucket;
    ++counts[bucket];
    sum += value;
    ++count;
}

void ApiMetrics::recordBatch(const BatchOutcome &outcome)
{
    QMutexLocker locker(&m_mutex);
    const QDateTime committed = outcome.committedAt.isValid() ? outcome.committedAt : QDateTime::currentDateTimeUtc();
    for (const OutboxEvent &event : outcome.applied) {
        ++m_processed[event.entity];
        if (event.capturedAt.isValid())
            m_applyLatency.observe(applyBuckets(), std::max<double>(0.0, double(event.capturedAt.msecsTo(committed)) / 1000.0));
    }
}

void ApiMetrics::recordLiveEvents(const LiveEvents &events)
{
    QMutexLocker locker(&m_mutex);
    for (const LiveEvent &event : events) {
        ++m_liveEvents[event.kind];
        const QString entity = event.payload.value(QStringLiteral("entity")).toString();
        if (event.kind == LiveEventKind::EventFailed)
            ++m_failed[entity];
        else if (event.kind == LiveEventKind::EventDead) {
            ++m_failed[entity];
            ++m_dead[entity];
        } else if (event.kind == LiveEventKind::Conflict)
            ++m_conflicts[entity];
    }
}

void ApiMetrics::recordRequest(const QString &route, int status, double seconds)
{
    QMutexLocker locker(&m_mutex);
    ++m_requests[{route, status}];
    m_requestLatency[route].observe(requestBuckets(), seconds);
}

QByteArray ApiMetrics::render(const ServiceStatus &status, const ServerGauges &server) const
{
    QByteArray out;
    out.reserve(16 * 1024);
    QMutexLocker locker(&m_mutex);

    family(out, "syncdesk_up", "gauge", "Whether the sync engine is running (1) or not (0).");
    sample(out, "syncdesk_up", {}, status.serviceRunning ? 1 : 0);
    family(out, "syncdesk_degraded", "gauge", "Whether the engine reports itself degraded.");
    sample(out, "syncdesk_degraded", {}, status.degraded ? 1 : 0);
    family(out, "syncdesk_database_reachable", "gauge", "Whether each side's database answered the last health check.");
    sample(out, "syncdesk_database_reachable", label("side", QStringLiteral("backend")), status.backendReachable ? 1 : 0);
    sample(out, "syncdesk_database_reachable", label("side", QStringLiteral("dashboard")), status.dashboardReachable ? 1 : 0);
    family(out, "syncdesk_workers", "gauge", "Sync worker threads, and how many are busy.");
    sample(out, "syncdesk_workers", label("state", QStringLiteral("total")), status.workers);
    sample(out, "syncdesk_workers", label("state", QStringLiteral("busy")), status.busyWorkers);

    const auto counters = [&out](const char *name, const char *help, const QMap<QString, quint64> &values) {
        family(out, name, "counter", help);
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            sample(out, name, label("entity", it.key()), double(it.value()));
    };
    counters("syncdesk_events_processed_total", "Captured changes applied, by entity.", m_processed);
    counters("syncdesk_events_failed_total", "Captured changes whose apply failed (retried later or dead), by entity.", m_failed);
    counters("syncdesk_events_dead_total", "Captured changes that became dead after their last attempt, by entity.", m_dead);
    counters("syncdesk_conflicts_detected_total", "Conflicts the engine detected, by entity.", m_conflicts);

    family(out, "syncdesk_events_dead", "gauge", "Dead events waiting for a retry by hand.");
    sample(out, "syncdesk_events_dead", {}, double(status.deadEvents));
    family(out, "syncdesk_queue_depth", "gauge", "Captured changes not applied yet.");
    sample(out, "syncdesk_queue_depth", {}, double(status.queuedEvents));
    family(out, "syncdesk_queue_due", "gauge", "Captured changes due now (not waiting for a retry).");
    sample(out, "syncdesk_queue_due", {}, double(status.dueEvents));
    family(out, "syncdesk_queue_oldest_pending_seconds", "gauge", "Age of the oldest change not applied yet.");
    sample(out, "syncdesk_queue_oldest_pending_seconds", {}, status.oldestPendingSeconds);
    family(out, "syncdesk_conflicts_open", "gauge", "Conflicts waiting for a person.");
    sample(out, "syncdesk_conflicts_open", {}, double(status.openConflicts));
    family(out, "syncdesk_events_per_second", "gauge", "Changes applied per second over the last ten seconds.");
    sample(out, "syncdesk_events_per_second", {}, status.eventsPerSecond);

    family(out, "syncdesk_relay_enabled", "gauge", "Whether the event relay to NATS is configured and on.");
    sample(out, "syncdesk_relay_enabled", {}, status.relay.enabled ? 1 : 0);
    family(out, "syncdesk_relay_connected", "gauge", "Whether this instance's relay is connected to NATS.");
    sample(out, "syncdesk_relay_connected", {}, status.relay.connected ? 1 : 0);
    family(out, "syncdesk_relay_published_total", "counter", "Events the broker acknowledged, all time (the database's count).");
    sample(out, "syncdesk_relay_published_total", {}, double(status.relay.published));
    family(out, "syncdesk_relay_lag_events", "gauge", "Events recorded for the relay and not acknowledged by the broker yet.");
    sample(out, "syncdesk_relay_lag_events", {}, double(status.relay.lagEvents));
    family(out, "syncdesk_relay_lag_seconds", "gauge", "How long the oldest of them has waited.");
    sample(out, "syncdesk_relay_lag_seconds", {}, status.relay.lagSeconds);
    family(out, "syncdesk_relay_events_expired_total", "counter",
           "Events removed after the retention before any relay published them.");
    sample(out, "syncdesk_relay_events_expired_total", {}, double(status.relay.expiredEvents));

    const auto histogram = [&out](const QByteArray &name, const QByteArray &labels, const QList<double> &bounds,
                                  const Histogram &values) {
        quint64 cumulative = 0;
        const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels + ',';
        for (qsizetype i = 0; i <= bounds.size(); ++i) {
            cumulative += values.counts.value(i);
            sample(out, name + "_bucket", prefix + "le=\"" + (i < bounds.size() ? bound(bounds.at(i)) : QByteArray("+Inf")) + '"',
                   double(cumulative));
        }
        sample(out, name + "_sum", labels, values.sum);
        sample(out, name + "_count", labels, double(values.count));
    };
    family(out, "syncdesk_apply_latency_seconds", "histogram", "Time from a change's capture to the commit that applied it.");
    histogram("syncdesk_apply_latency_seconds", {}, applyBuckets(), m_applyLatency);

    family(out, "syncdesk_http_requests_total", "counter", "REST API requests by route and status.");
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it)
        sample(out, "syncdesk_http_requests_total", label("route", it.key().first) + ',' + label("status", QString::number(it.key().second)),
               double(it.value()));
    family(out, "syncdesk_http_request_duration_seconds", "histogram", "REST API request handling time by route.");
    for (auto it = m_requestLatency.cbegin(); it != m_requestLatency.cend(); ++it)
        histogram("syncdesk_http_request_duration_seconds", label("route", it.key()), requestBuckets(), it.value());
    family(out, "syncdesk_http_connections", "gauge", "Open REST API connections.");
    sample(out, "syncdesk_http_connections", {}, server.openConnections);
    family(out, "syncdesk_http_connections_refused_total", "counter",
           "Connections refused or closed by the server's limits, by reason.");
    for (auto it = server.refusals.cbegin(); it != server.refusals.cend(); ++it)
        sample(out, "syncdesk_http_connections_refused_total", label("reason", it.key()), double(it.value()));
    family(out, "syncdesk_stream_clients", "gauge", "Clients of the live event stream (WebSocket).");
    sample(out, "syncdesk_stream_clients", {}, server.streamClients);
    return out;
}

} // namespace syncdesk::api
