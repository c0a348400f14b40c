#include "queries/ticketqueries.h"

#include "database/sql.h"
#include "queries/helpdeskmirror.h"
#include "queries/recordlistpage.h"
#include "queries/recordlistquery.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

Result<QJsonObject> TicketQueries::list(ReadConnections &db, const RecordListFilter &filter)
{
    RecordListQuery query;
    query.entity = QStringLiteral("ticket");
    query.backendTable = QStringLiteral("backend.tickets");
    query.dashboardTable = QStringLiteral("dashboard.tickets");
    query.ctes = QStringLiteral("wanted AS (SELECT ?::bigint AS user_id, (SELECT dashboard_id FROM sync.links "
                                "WHERE entity = 'customer' AND backend_id = ?::bigint) AS customer_id), ");
    query.columns = QStringLiteral(
        "CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object('subject', b.subject, 'status', b.status, "
        "  'priority', b.priority, 'category', b.category, 'user_id', b.user_id, 'conversation_id', b.conversation_id, "
        "  'updated_at', b.updated_at) END AS bj, "
        "CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('subject', d.subject, 'status', d.status, "
        "  'priority', d.priority, 'category', d.category, 'assignee', d.assignee, 'source', d.source, "
        "  'customer_id', d.customer_id, 'updated_at', d.updated_at) END AS dj, "
        "json_build_object('user_id', coalesce(b.user_id, cl.backend_id), 'customer_id', coalesce(d.customer_id, "
        "  ul.dashboard_id), 'name', coalesce(nullif(dc.name, ''), nullif(bu.full_name, ''), dc.email, bu.email), "
        "  'email', coalesce(dc.email, bu.email)) AS customer, "
        "CASE WHEN b.id IS NULL OR d.id IS NULL THEN '{}'::text[] ELSE array_remove(ARRAY["
        "  CASE WHEN b.subject IS DISTINCT FROM d.subject THEN 'subject' END, "
        "  CASE WHEN b.description IS DISTINCT FROM d.description THEN 'description' END, "
        "  CASE WHEN b.status IS DISTINCT FROM d.status THEN 'status' END, "
        "  CASE WHEN b.priority IS DISTINCT FROM d.priority THEN 'priority' END, "
        "  CASE WHEN b.category IS DISTINCT FROM d.category THEN 'category' END], NULL) END AS differs, "
        "greatest(b.updated_at, d.updated_at) AS updated_at, "
        "coalesce(w.user_id > 0 AND (b.user_id = w.user_id OR d.customer_id = w.customer_id), false) AS of_user");
    query.joins = QStringLiteral(
        "CROSS JOIN wanted w "
        "LEFT JOIN dashboard.customers dc ON dc.id = d.customer_id LEFT JOIN backend.users bu ON bu.id = b.user_id "
        "LEFT JOIN sync.links cl ON cl.entity = 'customer' AND cl.dashboard_id = d.customer_id AND b.id IS NULL "
        "LEFT JOIN sync.links ul ON ul.entity = 'customer' AND ul.backend_id = b.user_id AND d.id IS NULL");
    query.where = QStringLiteral(
        "(? = '' OR b.subject ILIKE ? OR d.subject ILIKE ? OR dc.name ILIKE ? OR dc.email ILIKE ? OR bu.full_name ILIKE ? "
        "  OR bu.email ILIKE ? OR d.assignee ILIKE ?) "
        "AND (NOT ? OR coalesce(d.status, b.status) NOT IN ('resolved', 'closed'))");
    query.statedWhere = QStringLiteral("? OR ?::bigint = 0 OR of_user");
    query.itemColumns = QStringLiteral("'customer', customer, 'updated_at', updated_at, 'of_user', of_user");
    query.order = QStringLiteral("of_user DESC, updated_at DESC, d_id DESC, b_id DESC");
    const QString pattern = filter.pattern();
    const QString state = filter.state;
    auto rows = HelpdeskMirror::run(db, query.sql(),
                                    {filter.userId, filter.userId, pattern, pattern, pattern, pattern, pattern,
                                     pattern, pattern, pattern, filter.openOnly, filter.userFirst, filter.userId,
                                     state, state, state, state, filter.limit, filter.offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    return Result<QJsonObject>::success(recordListPage(rows.value(), filter));
}

} // namespace syncdesk
