#include "sync/linkstore.h"

#include "database/sql.h"

#include <QJsonArray>
#include <QJsonDocument>

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

Result<QList<Link>> LinkStore::lock(const QList<qint64> &backendIds, const QList<qint64> &dashboardIds)
{
    QList<Link> links;
    if (backendIds.isEmpty() && dashboardIds.isEmpty())
        return Result<QList<Link>>::success(links);
    auto rows = sql::run(m_db,
                         QStringLiteral("SELECT id, coalesce(backend_id, 0), coalesce(dashboard_id, 0), baseline::text, "
                                        "paused_fields::text, state FROM sync.links WHERE entity = ? "
                                        "AND (backend_id = ANY(?::bigint[]) OR dashboard_id = ANY(?::bigint[])) "
                                        "ORDER BY id FOR UPDATE"),
                         {m_entity, sql::bigintArray(backendIds), sql::bigintArray(dashboardIds)});
    if (!rows)
        return Result<QList<Link>>::failure(rows.error());
    while (rows.value().next()) {
        const QSqlQuery &row = rows.value();
        Link link;
        link.id = row.value(0).toLongLong();
        link.backendId = row.value(1).toLongLong();
        link.dashboardId = row.value(2).toLongLong();
        link.baseline = QJsonDocument::fromJson(row.value(3).toString().toUtf8()).object();
        link.pausedFields = sql::parseTextArray(row.value(4).toString());
        link.state = row.value(5).toString();
        links << link;
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
        rows.append(QJsonObject{{QStringLiteral("n"), rows.size()},
                                {QStringLiteral("backend_id"), link.backendId},
                                {QStringLiteral("dashboard_id"), link.dashboardId},
                                {QStringLiteral("baseline"), link.baseline},
                                {QStringLiteral("paused_fields"), QJsonArray::fromStringList(link.pausedFields)},
                                {QStringLiteral("state"), link.state}});
    }
    auto inserted = sql::run(m_db,
                             QStringLiteral("INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline, paused_fields, "
                                            "state, synced_at) SELECT ?, backend_id, dashboard_id, baseline, paused_fields, state, "
                                            "now() FROM jsonb_to_recordset(?::jsonb) AS r(n int, backend_id bigint, "
                                            "dashboard_id bigint, baseline jsonb, paused_fields text[], state text) ORDER BY n "
                                            "RETURNING id, backend_id"),
                             {m_entity, toJson(rows)});
    if (!inserted)
        return Status::failure(inserted.error());
    QHash<qint64, qint64> idByBackend;
    while (inserted.value().next())
        idByBackend.insert(inserted.value().value(1).toLongLong(), inserted.value().value(0).toLongLong());
    for (Link &link : links)
        link.id = idByBackend.value(link.backendId);
    return Status::success();
}

Status LinkStore::update(const QList<Link> &links)
{
    if (links.isEmpty())
        return Status::success();
    QJsonArray rows;
    for (const Link &link : links) {
        rows.append(QJsonObject{{QStringLiteral("id"), link.id},
                                {QStringLiteral("baseline"), link.baseline},
                                {QStringLiteral("paused_fields"), QJsonArray::fromStringList(link.pausedFields)},
                                {QStringLiteral("state"), link.state}});
    }
    return sql::exec(m_db,
                     QStringLiteral("UPDATE sync.links l SET baseline = r.baseline, paused_fields = r.paused_fields, "
                                    "state = r.state, synced_at = now(), updated_at = now(), version = l.version + 1 "
                                    "FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, baseline jsonb, paused_fields text[], "
                                    "state text) WHERE l.id = r.id"),
                     {toJson(rows)});
}

Status LinkStore::remove(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return Status::success();
    return sql::exec(m_db, QStringLiteral("DELETE FROM sync.links WHERE id = ANY(?::bigint[])"), {sql::bigintArray(ids)});
}

} // namespace syncdesk
