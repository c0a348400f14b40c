#include "queries/recordlistquery.h"

namespace syncdesk {

QString RecordListQuery::sql() const
{
    // Open conflicts and waiting changes are aggregated once and joined by hash: a correlated count per
    // row would scan the outbox once per record.
    return QStringLiteral(
               "WITH conflicts AS (SELECT link_id, count(*) AS n FROM sync.conflicts WHERE status = 'open' "
               "  AND entity = '%1' GROUP BY link_id), "
               "pending AS (SELECT side, entity_id, count(*) AS n FROM sync.outbox WHERE status IN ('pending', 'processing') "
               "  AND entity = '%1' GROUP BY side, entity_id), "
               "pairs AS (SELECT l.id AS link_id, l.backend_id, l.dashboard_id, l.synced_at FROM sync.links l "
               "  WHERE l.entity = '%1' "
               "  UNION ALL SELECT NULL, b.id, NULL, NULL FROM %2 b WHERE NOT EXISTS "
               "   (SELECT 1 FROM sync.links l WHERE l.entity = '%1' AND l.backend_id = b.id) "
               "  UNION ALL SELECT NULL, NULL, d.id, NULL FROM %3 d WHERE NOT EXISTS "
               "   (SELECT 1 FROM sync.links l WHERE l.entity = '%1' AND l.dashboard_id = d.id)), "
               "%4"
               "joined AS (SELECT p.link_id, p.synced_at, b.id AS b_id, d.id AS d_id, %5, "
               "  coalesce(x.n, 0) AS conflicts, coalesce(pb.n, 0) + coalesce(pd.n, 0) AS pending "
               " FROM pairs p LEFT JOIN %2 b ON b.id = p.backend_id LEFT JOIN %3 d ON d.id = p.dashboard_id %6 "
               " LEFT JOIN conflicts x ON x.link_id = p.link_id "
               " LEFT JOIN pending pb ON pb.side = 'backend' AND pb.entity_id = p.backend_id "
               " LEFT JOIN pending pd ON pd.side = 'dashboard' AND pd.entity_id = p.dashboard_id "
               " WHERE (b.id IS NOT NULL OR d.id IS NOT NULL) AND (%7)), "
               "stated AS (SELECT j.*, CASE WHEN conflicts > 0 THEN 'conflict' WHEN pending > 0 THEN 'pending' "
               "  WHEN b_id IS NULL THEN 'dashboard_only' WHEN d_id IS NULL THEN 'backend_only' "
               "  WHEN cardinality(differs) > 0 THEN 'differs' ELSE 'in_sync' END AS state FROM joined j WHERE %8) "
               "SELECT (SELECT count(*) FROM stated WHERE ? = '' OR state = ?), "
               " (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state, count(*) AS n FROM stated "
               "  GROUP BY state) s)::text, "
               " (SELECT coalesce(json_agg(json_build_object('link_id', link_id, 'backend_id', b_id, 'dashboard_id', d_id, "
               "   'state', state, 'backend', bj, 'dashboard', dj, 'differs', differs, 'open_conflicts', conflicts, "
               "   'pending_events', pending, %9) ORDER BY %10), '[]') "
               "  FROM (SELECT * FROM stated WHERE ? = '' OR state = ? ORDER BY %10 LIMIT ? OFFSET ?) s)::text")
        .arg(entity, backendTable, dashboardTable, ctes, columns, joins, where, statedWhere, itemColumns)
        .arg(order);
}

} // namespace syncdesk
