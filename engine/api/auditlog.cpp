#include "api/auditlog.h"

#include "database/connectionprovider.h"
#include "database/sql.h"
#include "queries/recordlistpage.h"

#include <algorithm>
#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk::api {

namespace {
// Groups held in memory between flushes at most; past it (addresses by the thousand) new groups are
// counted under one client address, "(many)", rather than growing without bound.
constexpr int kMaxRefusalGroups = 10000;
const QString kManyClients = QStringLiteral("(many)");
} // namespace

QString AuditEntry::resultOf(int status)
{
    if (status < 400)
        return QStringLiteral("success");
    return status == 401 || status == 403 ? QStringLiteral("denied") : QStringLiteral("error");
}

AuditLog::AuditLog(std::shared_ptr<ConnectionProvider> connections)
    : m_connections(std::move(connections))
{
}

Status AuditLog::record(const AuditEntry &entry)
{
    auto db = m_connections->database();
    if (!db)
        return Status::failure(db.error());
    // In milliseconds, as the refusals' times (QDateTime) are: a refusal that came within the same
    // millisecond after this answer was listed as older than it (the newest-first listing's order).
    return sql::exec(db.value(),
                     QStringLiteral("INSERT INTO sync.audit_log (at, actor, role, action, target, result, status, "
                                    "client_address, request_id, client_request_id, details) VALUES (date_trunc("
                                    "'milliseconds', now()), ?, nullif(?, ''), ?, nullif(?, ''), ?, "
                                    "nullif(?, 0), ?, ?, nullif(?, ''), ?::jsonb)"),
                     {entry.actor, entry.role, entry.action, entry.target, entry.result, entry.status, entry.clientAddress,
                      entry.requestId, entry.clientRequestId,
                      QString::fromUtf8(QJsonDocument(entry.details).toJson(QJsonDocument::Compact))});
}

void AuditLog::countRefusal(const AuditEntry &entry, const QDateTime &at)
{
    QMutexLocker locker(&m_mutex);
    const qint64 minute = at.toSecsSinceEpoch() / 60;
    const auto keyOf = [&](const QString &client) {
        return QStringLiteral("%1|%2|%3|%4|%5").arg(minute).arg(entry.status).arg(client, entry.actor, entry.action);
    };
    QString client = entry.clientAddress;
    if (!m_refusals.contains(keyOf(client)) && m_refusals.size() >= kMaxRefusalGroups)
        client = kManyClients;
    Tally &tally = m_refusals[keyOf(client)];
    if (tally.count == 0) {
        tally.first = entry;
        tally.first.clientAddress = client;
        tally.firstAt = at;
        tally.arrival = ++m_arrivals;
    }
    tally.lastAt = at;
    ++tally.count;
}

bool AuditLog::hasRefusals() const
{
    QMutexLocker locker(&m_mutex);
    return !m_refusals.isEmpty();
}

Status AuditLog::flushRefusals()
{
    QHash<QString, Tally> taken;
    {
        QMutexLocker locker(&m_mutex);
        taken.swap(m_refusals);
    }
    if (taken.isEmpty())
        return Status::success();
    // Written oldest first, so that the ids (the listing's tie-break) follow the order of arrival.
    QList<Tally> tallies = taken.values();
    std::sort(tallies.begin(), tallies.end(), [](const Tally &a, const Tally &b) { return a.arrival < b.arrival; });
    QJsonArray rows;
    for (const Tally &tally : std::as_const(tallies)) {
        const AuditEntry &entry = tally.first;
        rows.append(QJsonObject{{QStringLiteral("at"), tally.firstAt.toUTC().toString(Qt::ISODateWithMs)},
                                {QStringLiteral("last_at"), tally.lastAt.toUTC().toString(Qt::ISODateWithMs)},
                                {QStringLiteral("count"), tally.count},
                                {QStringLiteral("actor"), entry.actor},
                                {QStringLiteral("role"), entry.role},
                                {QStringLiteral("action"), entry.action},
                                {QStringLiteral("target"), entry.target},
                                {QStringLiteral("result"), entry.result},
                                {QStringLiteral("status"), entry.status},
                                {QStringLiteral("client_address"), entry.clientAddress},
                                {QStringLiteral("request_id"), entry.requestId},
                                {QStringLiteral("client_request_id"), entry.clientRequestId},
                                {QStringLiteral("details"), entry.details}});
    }
    auto db = m_connections->database();
    Status written = db ? sql::exec(db.value(),
                                    QStringLiteral(
                                        "INSERT INTO sync.audit_log (at, last_at, minute, count, actor, role, action, target, "
                                        "result, status, client_address, request_id, client_request_id, details) "
                                        "SELECT r.at, r.last_at, date_trunc('minute', r.at), r.count, r.actor, nullif(r.role, ''), "
                                        "r.action, nullif(r.target, ''), r.result, r.status, r.client_address, r.request_id, "
                                        "nullif(r.client_request_id, ''), r.details FROM jsonb_to_recordset(?::jsonb) AS r(at "
                                        "timestamptz, last_at timestamptz, count integer, actor text, role text, action text, "
                                        "target text, result text, status smallint, client_address text, request_id text, "
                                        "client_request_id text, details jsonb) "
                                        "ON CONFLICT (minute, client_address, actor, action, status) WHERE minute IS NOT NULL "
                                        "DO UPDATE SET count = sync.audit_log.count + excluded.count, "
                                        "last_at = greatest(sync.audit_log.last_at, excluded.last_at)"),
                                    {QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact))})
                          : Status::failure(db.error());
    if (!written) {
        // Kept for the next flush (the database may be back by then).
        QMutexLocker locker(&m_mutex);
        for (auto it = taken.cbegin(); it != taken.cend(); ++it) {
            Tally &tally = m_refusals[it.key()];
            if (tally.count == 0) {
                tally = it.value();
            } else {
                tally.firstAt = std::min(tally.firstAt, it->firstAt);
                tally.arrival = std::min(tally.arrival, it->arrival);
                tally.count += it->count;
            }
        }
    }
    return written;
}

Result<QJsonObject> AuditLog::list(const AuditFilter &filter)
{
    auto db = m_connections->database();
    if (!db)
        return Result<QJsonObject>::failure(db.error());
    const QString since = filter.since.isValid() ? filter.since.toUTC().toString(Qt::ISODateWithMs) : QString();
    auto rows = sql::run(db.value(),
                         QStringLiteral("WITH matching AS (SELECT * FROM sync.audit_log WHERE (? = '' OR actor = ?) "
                                        "AND (? = '' OR action = ?) AND (? = '' OR result = ?) AND (? = '' OR at >= ?::timestamptz)) "
                                        "SELECT (SELECT count(*) FROM matching), (SELECT coalesce(json_agg(json_build_object("
                                        "'id', id, 'at', at, 'actor', actor, 'role', role, 'action', action, 'target', target, "
                                        "'result', result, 'status', status, 'count', count, 'last_at', last_at, "
                                        "'client_address', client_address, 'request_id', request_id, 'client_request_id', "
                                        "client_request_id, 'details', details) ORDER BY at DESC, id DESC), '[]') FROM "
                                        "(SELECT * FROM matching "
                                        "ORDER BY at DESC, id DESC LIMIT ? OFFSET ?) page)::text"),
                         {filter.actor, filter.actor, filter.action, filter.action, filter.result, filter.result, since,
                          since.isEmpty() ? QStringLiteral("-infinity") : since, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(listPage(rows.value(), filter.limit, filter.offset));
}

} // namespace syncdesk::api
