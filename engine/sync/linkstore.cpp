#include "sync/linkstore.h"

#include "database/sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace syncdesk {

namespace {

QString toJson(const QJsonArray &rows)
{
    return QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
}

// Advisory lock class for e-mail addresses being linked ('SYND').
constexpr int kEmailLockClass = 1398361668;

} // namespace

LinkStore::LinkStore(QSqlDatabase db, QString entity)
    : m_db(std::move(db))
    , m_entity(std::move(entity))
{
}

Result<QList<Link>> LinkStore::lock(const QList<qint64> &backendIds, const QList<qint64> &dashboardIds, QList<Link> *busy)
{
    QList<Link> links;
    if (backendIds.isEmpty() && dashboardIds.isEmpty())
        return Result<QList<Link>>::success(links);
    const QString columns = QStringLiteral("id, coalesce(backend_id, 0), coalesce(dashboard_id, 0), baseline::text, "
                                           "paused_fields::text, state");
    // Two index lookups joined in a subquery: an OR of the two key lists makes the planner scan the table.
    const QString matching = QStringLiteral("id IN (SELECT id FROM sync.links WHERE entity = ? AND backend_id = ANY(?::bigint[]) "
                                            "UNION ALL SELECT id FROM sync.links WHERE entity = ? AND "
                                            "dashboard_id = ANY(?::bigint[]))");
    const QVariantList keys{m_entity, sql::bigintArray(backendIds), m_entity, sql::bigintArray(dashboardIds)};
    const auto read = [](QSqlQuery &query) {
        Link link;
        link.id = query.value(0).toLongLong();
        link.backendId = query.value(1).toLongLong();
        link.dashboardId = query.value(2).toLongLong();
        link.baseline = QJsonDocument::fromJson(query.value(3).toString().toUtf8()).object();
        link.pausedFields = sql::parseTextArray(query.value(4).toString());
        link.state = query.value(5).toString();
        return link;
    };
    auto rows = sql::run(m_db,
                         QStringLiteral("SELECT %1 FROM sync.links WHERE %2 ORDER BY id FOR UPDATE%3")
                             .arg(columns, matching, busy ? QStringLiteral(" SKIP LOCKED") : QString()),
                         keys);
    if (!rows)
        return Result<QList<Link>>::failure(rows.error());
    QSet<qint64> locked;
    while (rows.value().next()) {
        links << read(rows.value());
        locked.insert(links.constLast().id);
    }
    if (busy) {
        // The links another worker is reconciling right now: their changes wait for a later batch.
        // Only records that came back without a link can be among them (or have none at all).
        QSet<qint64> coveredBackend, coveredDashboard;
        for (const Link &link : std::as_const(links)) {
            coveredBackend.insert(link.backendId);
            coveredDashboard.insert(link.dashboardId);
        }
        QList<qint64> uncoveredBackend, uncoveredDashboard;
        for (qint64 id : backendIds) {
            if (!coveredBackend.contains(id))
                uncoveredBackend << id;
        }
        for (qint64 id : dashboardIds) {
            if (!coveredDashboard.contains(id))
                uncoveredDashboard << id;
        }
        if (uncoveredBackend.isEmpty() && uncoveredDashboard.isEmpty())
            return Result<QList<Link>>::success(links);
        auto all = sql::run(m_db, QStringLiteral("SELECT %1 FROM sync.links WHERE %2").arg(columns, matching),
                            {m_entity, sql::bigintArray(uncoveredBackend), m_entity, sql::bigintArray(uncoveredDashboard)});
        if (!all)
            return Result<QList<Link>>::failure(all.error());
        while (all.value().next()) {
            if (!locked.contains(all.value().value(0).toLongLong()))
                busy->append(read(all.value()));
        }
    }
    return Result<QList<Link>>::success(links);
}

Status LinkStore::lockEmails(const QStringList &lowerEmails)
{
    if (lowerEmails.isEmpty())
        return Status::success();
    // Sorted, so two workers locking overlapping sets cannot deadlock.
    return sql::exec(m_db,
                     QStringLiteral("SELECT pg_advisory_xact_lock(%1, h) FROM "
                                    "(SELECT DISTINCT hashtext(e) AS h FROM unnest(?::text[]) AS e ORDER BY 1) AS s")
                         .arg(kEmailLockClass),
                     {sql::textArray(lowerEmails)});
}

Status LinkStore::insert(QList<Link> &links)
{
    if (links.isEmpty())
        return Status::success();
    QJsonArray rows;
    for (const Link &link : std::as_const(links)) {
        // A link may hold one side only (a record waiting for a decision about a possible duplicate).
        const auto idOrNull = [](qint64 id) { return id ? QJsonValue(id) : QJsonValue(QJsonValue::Null); };
        rows.append(
            QJsonObject{{QStringLiteral("n"), rows.size()},
                        {QStringLiteral("backend_id"), idOrNull(link.backendId)},
                        {QStringLiteral("dashboard_id"), idOrNull(link.dashboardId)},
                        {QStringLiteral("baseline"), link.baseline},
                        {QStringLiteral("paused_fields"), QJsonArray::fromStringList(link.pausedFields)},
                        {QStringLiteral("state"), link.state}});
    }
    auto inserted =
        sql::run(m_db,
                 QStringLiteral(
                     "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline, paused_fields, "
                     "state, synced_at) SELECT ?, backend_id, dashboard_id, baseline, paused_fields, state, "
                     "now() FROM jsonb_to_recordset(?::jsonb) AS r(n int, backend_id bigint, "
                     "dashboard_id bigint, baseline jsonb, paused_fields text[], state text) ORDER BY n "
                     "RETURNING id, coalesce(backend_id, 0), coalesce(dashboard_id, 0)"),
                 {m_entity, toJson(rows)});
    if (!inserted)
        return Status::failure(inserted.error());
    QHash<std::pair<qint64, qint64>, qint64> idByRecords;
    while (inserted.value().next())
        idByRecords.insert({inserted.value().value(1).toLongLong(), inserted.value().value(2).toLongLong()},
                           inserted.value().value(0).toLongLong());
    for (Link &link : links)
        link.id = idByRecords.value({link.backendId, link.dashboardId});
    return Status::success();
}

Status LinkStore::update(const QList<Link> &links)
{
    if (links.isEmpty())
        return Status::success();
    QJsonArray rows;
    QList<qint64> ids;
    for (const Link &link : links) {
        ids << link.id;
        rows.append(QJsonObject{{QStringLiteral("id"), link.id},
                                {QStringLiteral("baseline"), link.baseline},
                                {QStringLiteral("paused_fields"), QJsonArray::fromStringList(link.pausedFields)},
                                {QStringLiteral("state"), link.state}});
    }
    return sql::exec(m_db,
                     QStringLiteral("UPDATE sync.links l SET baseline = r.baseline, paused_fields = r.paused_fields, "
                                    "state = r.state, synced_at = now(), updated_at = now(), version = l.version + 1 "
                                    "FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, baseline jsonb, paused_fields text[], "
                                    "state text) WHERE l.id = r.id AND l.id = ANY(?::bigint[])"), // the index, as in RowStore
                     {toJson(rows), sql::bigintArray(ids)});
}

Status LinkStore::remove(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return Status::success();
    return sql::exec(m_db, QStringLiteral("DELETE FROM sync.links WHERE id = ANY(?::bigint[])"), {sql::bigintArray(ids)});
}

} // namespace syncdesk
