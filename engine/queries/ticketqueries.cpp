#include "queries/ticketqueries.h"

#include "database/sql.h"
#include "queries/helpdeskmirror.h"
#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

Result<QJsonObject> TicketQueries::list(ReadConnections &db, const RecordListFilter &filter)
{
    const QString plain = QStringLiteral(
        "WITH conflicts AS (SELECT link_id, count(*) AS n FROM sync.conflicts WHERE status = 'open' AND "
        "entity = 'ticket' "
        "  GROUP BY link_id), "
        "pending AS (SELECT side, entity_id, count(*) AS n FROM sync.outbox WHERE status IN ('pending', "
        "'processing') "
        "  AND entity = 'ticket' GROUP BY side, entity_id), "
        "wanted AS (SELECT ?::bigint AS user_id, (SELECT dashboard_id FROM sync.links WHERE entity = "
        "'customer' "
        "  AND backend_id = ?::bigint) AS customer_id), "
        "pairs AS (SELECT l.id AS link_id, l.backend_id, l.dashboard_id FROM sync.links l WHERE l.entity = "
        "'ticket' "
        "  UNION ALL SELECT NULL, t.id, NULL FROM backend.tickets t WHERE NOT EXISTS "
        "   (SELECT 1 FROM sync.links l WHERE l.entity = 'ticket' AND l.backend_id = t.id) "
        "  UNION ALL SELECT NULL, NULL, t.id FROM dashboard.tickets t WHERE NOT EXISTS "
        "   (SELECT 1 FROM sync.links l WHERE l.entity = 'ticket' AND l.dashboard_id = t.id)), "
        "joined AS (SELECT p.link_id, b.id AS b_id, d.id AS d_id, "
        "  CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object('subject', b.subject, 'status', b.status, "
        "   'priority', b.priority, 'category', b.category, 'user_id', b.user_id, 'conversation_id', "
        "b.conversation_id, "
        "   'updated_at', b.updated_at) END AS bj, "
        "  CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('subject', d.subject, 'status', d.status, "
        "   'priority', d.priority, 'category', d.category, 'assignee', d.assignee, 'source', d.source, "
        "   'customer_id', d.customer_id, 'updated_at', d.updated_at) END AS dj, "
        "  json_build_object('user_id', coalesce(b.user_id, cl.backend_id), 'customer_id', "
        "coalesce(d.customer_id, ul.dashboard_id), "
        "   'name', coalesce(nullif(dc.name, ''), nullif(bu.full_name, ''), dc.email, bu.email), "
        "   'email', coalesce(dc.email, bu.email)) AS customer, "
        "  CASE WHEN b.id IS NULL OR d.id IS NULL THEN '{}'::text[] ELSE array_remove(ARRAY["
        "   CASE WHEN b.subject IS DISTINCT FROM d.subject THEN 'subject' END, "
        "   CASE WHEN b.description IS DISTINCT FROM d.description THEN 'description' END, "
        "   CASE WHEN b.status IS DISTINCT FROM d.status THEN 'status' END, "
        "   CASE WHEN b.priority IS DISTINCT FROM d.priority THEN 'priority' END, "
        "   CASE WHEN b.category IS DISTINCT FROM d.category THEN 'category' END], NULL) END AS differs, "
        "  coalesce(x.n, 0) AS conflicts, coalesce(pb.n, 0) + coalesce(pd.n, 0) AS pending, "
        "  greatest(b.updated_at, d.updated_at) AS updated_at, "
        "  coalesce(w.user_id > 0 AND (b.user_id = w.user_id OR d.customer_id = w.customer_id), false) AS "
        "of_user "
        " FROM pairs p CROSS JOIN wanted w "
        " LEFT JOIN backend.tickets b ON b.id = p.backend_id LEFT JOIN dashboard.tickets d ON d.id = "
        "p.dashboard_id "
        " LEFT JOIN dashboard.customers dc ON dc.id = d.customer_id LEFT JOIN backend.users bu ON bu.id = "
        "b.user_id "
        " LEFT JOIN sync.links cl ON cl.entity = 'customer' AND cl.dashboard_id = d.customer_id AND b.id IS "
        "NULL "
        " LEFT JOIN sync.links ul ON ul.entity = 'customer' AND ul.backend_id = b.user_id AND d.id IS NULL "
        " LEFT JOIN conflicts x ON x.link_id = p.link_id "
        " LEFT JOIN pending pb ON pb.side = 'backend' AND pb.entity_id = p.backend_id "
        " LEFT JOIN pending pd ON pd.side = 'dashboard' AND pd.entity_id = p.dashboard_id "
        " WHERE (b.id IS NOT NULL OR d.id IS NOT NULL) "
        "  AND (? = '' OR b.subject ILIKE ? OR d.subject ILIKE ? OR dc.name ILIKE ? OR dc.email ILIKE ? OR "
        "bu.full_name ILIKE ? "
        "   OR bu.email ILIKE ? OR d.assignee ILIKE ?) "
        "  AND (NOT ? OR coalesce(d.status, b.status) NOT IN ('resolved', 'closed'))), "
        "stated AS (SELECT j.*, CASE WHEN conflicts > 0 THEN 'conflict' WHEN pending > 0 THEN 'pending' "
        "  WHEN bj IS NULL THEN 'dashboard_only' WHEN dj IS NULL THEN 'backend_only' "
        "  WHEN cardinality(differs) > 0 THEN 'differs' ELSE 'in_sync' END AS state FROM joined j "
        "  WHERE ? OR ?::bigint = 0 OR of_user) "
        "SELECT (SELECT count(*) FROM stated WHERE ? = '' OR state = ?), "
        " (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state, count(*) AS n FROM stated "
        "GROUP BY state) s)::text, "
        " (SELECT coalesce(json_agg(json_build_object('link_id', link_id, 'backend_id', b_id, "
        "'dashboard_id', d_id, "
        "   'state', state, 'customer', customer, 'backend', bj, 'dashboard', dj, 'differs', differs, "
        "   'open_conflicts', conflicts, 'pending_events', pending, 'updated_at', updated_at, 'of_user', "
        "of_user) "
        "   ORDER BY of_user DESC, updated_at DESC, d_id DESC, b_id DESC), '[]') "
        "  FROM (SELECT * FROM stated WHERE ? = '' OR state = ? "
        "   ORDER BY of_user DESC, updated_at DESC, d_id DESC, b_id DESC LIMIT ? OFFSET ?) s)::text");
    const QString pattern = filter.pattern();
    const QString state = filter.state;
    auto rows = HelpdeskMirror::run(db, plain,
                                    {filter.userId, filter.userId, pattern, pattern, pattern, pattern,
                                     pattern, pattern, pattern, pattern, filter.openOnly, filter.userFirst,
                                     filter.userId, state, state, state, state, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(recordListPage(rows.value(), filter));
}

} // namespace syncdesk
