#include "queries/customerqueries.h"

#include "database/sql.h"
#include "queries/helpdeskmirror.h"
#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

Result<QJsonObject> CustomerQueries::list(ReadConnections &db, const RecordListFilter &filter)
{
    // Open conflicts and waiting changes are aggregated once and joined by hash: a correlated count per
    // row would scan the outbox once per customer.
    const QString plain = QStringLiteral(
        "WITH conflicts AS (SELECT link_id, count(*) AS n FROM sync.conflicts WHERE status = 'open' AND "
        "entity = 'customer' "
        "  GROUP BY link_id), "
        "pending AS (SELECT side, entity_id, count(*) AS n FROM sync.outbox WHERE status IN ('pending', "
        "'processing') "
        "  AND entity = 'customer' GROUP BY side, entity_id), "
        "pairs AS (SELECT l.id AS link_id, l.backend_id, l.dashboard_id, l.synced_at FROM sync.links l WHERE "
        "l.entity = 'customer' "
        "  UNION ALL SELECT NULL, u.id, NULL, NULL FROM backend.users u WHERE NOT EXISTS "
        "   (SELECT 1 FROM sync.links l WHERE l.entity = 'customer' AND l.backend_id = u.id) "
        "  UNION ALL SELECT NULL, NULL, c.id, NULL FROM dashboard.customers c WHERE NOT EXISTS "
        "   (SELECT 1 FROM sync.links l WHERE l.entity = 'customer' AND l.dashboard_id = c.id)), "
        "joined AS (SELECT p.link_id, p.synced_at, u.id AS b_id, c.id AS d_id, "
        "  CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('email', u.email, 'name', u.full_name, "
        "'phone', u.phone, "
        "   'company', u.company, 'locale', u.locale, 'tags', u.tags, 'updated_at', u.updated_at) END AS b, "
        "  CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('email', c.email, 'name', c.name, "
        "'phone', c.phone, "
        "   'company', c.company, 'locale', c.locale, 'tags', c.tags, 'updated_at', c.updated_at) END AS d, "
        "  CASE WHEN u.id IS NULL OR c.id IS NULL THEN '{}'::text[] ELSE array_remove(ARRAY["
        "   CASE WHEN u.email IS DISTINCT FROM c.email THEN 'email' END, "
        "   CASE WHEN u.full_name IS DISTINCT FROM c.name THEN 'name' END, "
        "   CASE WHEN coalesce(u.phone, '') <> coalesce(c.phone, '') THEN 'phone' END, "
        "   CASE WHEN coalesce(u.company, '') <> coalesce(c.company, '') THEN 'company' END, "
        "   CASE WHEN u.locale IS DISTINCT FROM c.locale THEN 'locale' END, "
        "   CASE WHEN (SELECT array_agg(t ORDER BY t) FROM unnest(u.tags) t) IS DISTINCT FROM "
        "    (SELECT array_agg(t ORDER BY t) FROM unnest(c.tags) t) THEN 'tags' END], NULL) END AS differs, "
        "  coalesce(x.n, 0) AS conflicts, coalesce(pb.n, 0) + coalesce(pd.n, 0) AS pending, "
        "  lower(coalesce(nullif(c.name, ''), nullif(u.full_name, ''), c.email, u.email)) AS sort_key "
        " FROM pairs p LEFT JOIN backend.users u ON u.id = p.backend_id LEFT JOIN dashboard.customers c ON "
        "c.id = p.dashboard_id "
        " LEFT JOIN conflicts x ON x.link_id = p.link_id "
        " LEFT JOIN pending pb ON pb.side = 'backend' AND pb.entity_id = p.backend_id "
        " LEFT JOIN pending pd ON pd.side = 'dashboard' AND pd.entity_id = p.dashboard_id "
        " WHERE (u.id IS NOT NULL OR c.id IS NOT NULL) AND (? = '' OR u.email ILIKE ? OR u.full_name ILIKE ? "
        "  OR u.company ILIKE ? OR c.email ILIKE ? OR c.name ILIKE ? OR c.company ILIKE ?)), "
        "stated AS (SELECT j.*, CASE WHEN conflicts > 0 THEN 'conflict' WHEN pending > 0 THEN 'pending' "
        "  WHEN b IS NULL THEN 'dashboard_only' WHEN d IS NULL THEN 'backend_only' "
        "  WHEN cardinality(differs) > 0 THEN 'differs' ELSE 'in_sync' END AS state FROM joined j) "
        "SELECT (SELECT count(*) FROM stated WHERE ? = '' OR state = ?), "
        " (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state, count(*) AS n FROM stated "
        "GROUP BY state) s)::text, "
        " (SELECT coalesce(json_agg(json_build_object('link_id', link_id, 'backend_id', b_id, "
        "'dashboard_id', d_id, "
        "   'state', state, 'backend', b, 'dashboard', d, 'differs', differs, 'open_conflicts', conflicts, "
        "   'pending_events', pending, 'synced_at', synced_at) ORDER BY sort_key, d_id, b_id), '[]') "
        "  FROM (SELECT * FROM stated WHERE ? = '' OR state = ? ORDER BY sort_key, d_id, b_id LIMIT ? OFFSET "
        "?) s)::text");
    const QString pattern = filter.pattern();
    const QString state = filter.state;
    auto rows = HelpdeskMirror::run(db, plain,
                                    {pattern, pattern, pattern, pattern, pattern, pattern, pattern, state,
                                     state, state, state, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(recordListPage(rows.value(), filter));
}

} // namespace syncdesk
