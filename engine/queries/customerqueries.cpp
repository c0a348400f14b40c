#include "queries/customerqueries.h"

#include "database/sql.h"
#include "queries/helpdeskmirror.h"
#include "queries/recordlistpage.h"
#include "queries/recordlistquery.h"

namespace syncdesk {

Result<QJsonObject> CustomerQueries::list(ReadConnections &db, const RecordListFilter &filter)
{
    RecordListQuery query;
    query.entity = QStringLiteral("customer");
    query.backendTable = QStringLiteral("backend.users");
    query.dashboardTable = QStringLiteral("dashboard.customers");
    query.columns = QStringLiteral(
        "CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object('email', b.email, 'name', b.full_name, "
        "  'phone', b.phone, 'company', b.company, 'locale', b.locale, 'tags', b.tags, 'updated_at', b.updated_at) END AS bj, "
        "CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('email', d.email, 'name', d.name, "
        "  'phone', d.phone, 'company', d.company, 'locale', d.locale, 'tags', d.tags, 'updated_at', d.updated_at) END AS dj, "
        "CASE WHEN b.id IS NULL OR d.id IS NULL THEN '{}'::text[] ELSE array_remove(ARRAY["
        "  CASE WHEN b.email IS DISTINCT FROM d.email THEN 'email' END, "
        "  CASE WHEN b.full_name IS DISTINCT FROM d.name THEN 'name' END, "
        "  CASE WHEN coalesce(b.phone, '') <> coalesce(d.phone, '') THEN 'phone' END, "
        "  CASE WHEN coalesce(b.company, '') <> coalesce(d.company, '') THEN 'company' END, "
        "  CASE WHEN b.locale IS DISTINCT FROM d.locale THEN 'locale' END, "
        "  CASE WHEN (SELECT array_agg(t ORDER BY t) FROM unnest(b.tags) t) IS DISTINCT FROM "
        "   (SELECT array_agg(t ORDER BY t) FROM unnest(d.tags) t) THEN 'tags' END], NULL) END AS differs, "
        "lower(coalesce(nullif(d.name, ''), nullif(b.full_name, ''), d.email, b.email)) AS sort_key");
    query.where = QStringLiteral("? = '' OR b.email ILIKE ? OR b.full_name ILIKE ? OR b.company ILIKE ? "
                                 "OR d.email ILIKE ? OR d.name ILIKE ? OR d.company ILIKE ?");
    query.statedWhere = QStringLiteral("true");
    query.itemColumns = QStringLiteral("'synced_at', synced_at");
    query.order = QStringLiteral("sort_key, d_id, b_id");
    const QString pattern = filter.pattern();
    const QString state = filter.state;
    auto rows = HelpdeskMirror::run(db, query.sql(),
                                    {pattern, pattern, pattern, pattern, pattern, pattern, pattern, state, state, state,
                                     state, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(recordListPage(rows.value(), filter));
}

} // namespace syncdesk
