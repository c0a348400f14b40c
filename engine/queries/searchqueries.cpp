#include "queries/searchqueries.h"

#include "database/sql.h"
#include "queries/fielddifferences.h"
#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "queries/helpdeskmirror.h"
#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace syncdesk {

QString SearchQueries::prefixQuery(const QString &text)
{
    // Only letters and digits reach tsquery syntax: nothing a user types can break the query.
    static const QRegularExpression separators(QStringLiteral("[^\\p{L}\\p{N}]+"));
    QStringList terms;
    for (const QString &word : text.toLower().split(separators, Qt::SkipEmptyParts).mid(0, 8))
        terms << word.left(64) + QStringLiteral(":*");
    QString query = terms.join(QStringLiteral(" & "));
    // An e-mail address is one lexeme in the search columns: look for it whole as well.
    static const QRegularExpression emailLike(QStringLiteral("^[\\p{L}\\p{N}._+-]+@[\\p{L}\\p{N}._-]+$"));
    const QString trimmed = text.trimmed().toLower();
    if (!query.isEmpty() && emailLike.match(trimmed).hasMatch())
        query = QStringLiteral("(%1) | '%2':*").arg(query, trimmed.left(200));
    return query;
}

Result<QJsonObject> SearchQueries::search(ReadConnections &db, const QString &text, int limit, int offset)
{
    const QString query = prefixQuery(text);
    if (query.isEmpty())
        return Result<QJsonObject>::success(QJsonObject{{QStringLiteral("query"), text},
                                                        {QStringLiteral("total"), 0},
                                                        {QStringLiteral("limit"), limit},
                                                        {QStringLiteral("offset"), offset},
                                                        {QStringLiteral("items"), QJsonArray()}});
    // Names and e-mails are indexed with the 'simple' configuration, prose with 'english'; a query
    // in both configurations matches either. A linked pair is one record however many of its sides
    // match: hits are grouped by link before they are counted, ranked (a record by its best side) and
    // paged, and only the page's records are read in full.
    const QString plain = QStringLiteral(
        "WITH q AS (SELECT to_tsquery('simple', ?) AS simple, to_tsquery('english', ?) AS english), hits AS ("
        " SELECT 'customer' AS type, l.id AS link_id, u.id AS backend_id, l.dashboard_id, ts_rank(u.search, q.simple) AS rank "
        "  FROM backend.users u CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'customer' AND l.backend_id = u.id "
        "  WHERE u.search @@ q.simple "
        " UNION ALL SELECT 'customer', l.id, l.backend_id, c.id, ts_rank(c.search, q.simple) "
        "  FROM dashboard.customers c CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'customer' AND l.dashboard_id = c.id "
        "  WHERE c.search @@ q.simple OR c.search @@ q.english "
        " UNION ALL SELECT 'ticket', l.id, l.backend_id, t.id, ts_rank(t.search, q.english) "
        "  FROM dashboard.tickets t CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'ticket' AND l.dashboard_id = t.id "
        "  WHERE t.search @@ q.english OR t.search @@ q.simple "
        " UNION ALL SELECT 'ticket', l.id, t.id, l.dashboard_id, ts_rank(t.search, q.english) "
        "  FROM backend.tickets t CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'ticket' AND l.backend_id = t.id "
        "  WHERE t.search @@ q.english OR t.search @@ q.simple "
        " UNION ALL SELECT 'conversation', NULL, v.id, NULL, 0.5 * ts_rank(to_tsvector('english', coalesce(v.subject, '')), q.english) "
        "  FROM backend.conversations v CROSS JOIN q WHERE to_tsvector('english', coalesce(v.subject, '')) @@ q.english "
        " UNION ALL SELECT 'message', NULL, m.id, NULL, ts_rank(m.search, q.english) "
        "  FROM backend.messages m CROSS JOIN q WHERE m.search @@ q.english), "
        "records AS (SELECT type, link_id, max(backend_id) AS backend_id, max(dashboard_id) AS dashboard_id, max(rank) AS rank "
        "  FROM hits GROUP BY type, link_id, CASE WHEN link_id IS NULL THEN coalesce(backend_id, -dashboard_id) END), "
        "page AS (SELECT * FROM records ORDER BY rank DESC, type, coalesce(link_id, 0), backend_id, dashboard_id LIMIT ? OFFSET ?), "
        "shown AS (SELECT p.*, json_build_object("
        "  'type', p.type, "
        "  'source', CASE WHEN p.type IN ('conversation', 'message') THEN 'backend' "
        "   WHEN coalesce(u.id, bt.id) IS NOT NULL AND coalesce(c.id, dt.id) IS NOT NULL THEN 'both' "
        "   WHEN coalesce(u.id, bt.id) IS NOT NULL THEN 'backend' ELSE 'dashboard' END, "
        "  'backend_id', coalesce(u.id, bt.id, v.id, m.id), 'dashboard_id', coalesce(c.id, dt.id), 'link_id', p.link_id, "
        "  'title', CASE p.type WHEN 'customer' THEN coalesce(nullif(c.name, ''), nullif(u.full_name, ''), c.email, u.email) "
        "   WHEN 'ticket' THEN coalesce(dt.subject, bt.subject) WHEN 'conversation' THEN coalesce(v.subject, '') "
        "   ELSE left(m.content, 80) END, "
        "  'snippet', CASE p.type WHEN 'customer' THEN CASE WHEN u.email <> c.email THEN u.email || ' / ' || c.email "
        "    ELSE coalesce(c.email, u.email) END "
        "   WHEN 'ticket' THEN left(coalesce(dt.description, bt.description), 160) WHEN 'conversation' THEN '' "
        "   ELSE ts_headline('english', m.content, q.english, 'MaxWords=18, MinWords=6') END, "
        "  'rank', round(p.rank::numeric, 4), "
        "  'differs', CASE WHEN u.id IS NOT NULL AND c.id IS NOT NULL THEN %1 "
        "   WHEN bt.id IS NOT NULL AND dt.id IS NOT NULL THEN %2 ELSE '{}'::text[] END, "
        "  'details', CASE p.type "
        "   WHEN 'customer' THEN json_build_object('email', coalesce(c.email, u.email), 'name', coalesce(c.name, u.full_name)) "
        "   WHEN 'ticket' THEN json_build_object('status', coalesce(dt.status, bt.status), 'priority', coalesce(dt.priority, bt.priority), "
        "    'customer_id', dt.customer_id, 'user_id', bt.user_id) "
        "   ELSE json_build_object('conversation_id', coalesce(v.id, m.conversation_id), 'status', v.status, 'user_id', v.user_id, "
        "    'role', m.role, 'ticket', CASE WHEN ct.conversation_id IS NULL THEN NULL ELSE json_build_object('backend_id', "
        "    ct.backend_ticket_id, 'dashboard_id', ct.dashboard_ticket_id, 'subject', ctt.subject, 'status', ctt.status) END) END"
        " ) AS item FROM page p CROSS JOIN q "
        " LEFT JOIN backend.users u ON p.type = 'customer' AND u.id = p.backend_id "
        " LEFT JOIN dashboard.customers c ON p.type = 'customer' AND c.id = p.dashboard_id "
        " LEFT JOIN backend.tickets bt ON p.type = 'ticket' AND bt.id = p.backend_id "
        " LEFT JOIN dashboard.tickets dt ON p.type = 'ticket' AND dt.id = p.dashboard_id "
        " LEFT JOIN backend.conversations v ON p.type = 'conversation' AND v.id = p.backend_id "
        " LEFT JOIN backend.messages m ON p.type = 'message' AND m.id = p.backend_id "
        " LEFT JOIN sync.conversation_tickets ct ON ct.conversation_id = coalesce(v.id, m.conversation_id) "
        " LEFT JOIN dashboard.tickets ctt ON ctt.id = ct.dashboard_ticket_id) "
        "SELECT (SELECT count(*) FROM records), (SELECT coalesce(json_agg(item ORDER BY rank DESC, type, coalesce(link_id, 0), "
        "backend_id, dashboard_id), '[]') FROM shown)::text")
                              .arg(FieldDifferences::differingFields(Mapping::builtIn().customer(), QStringLiteral("u"), QStringLiteral("c")),
                                   FieldDifferences::differingFields(Mapping::builtIn().ticket(), QStringLiteral("bt"), QStringLiteral("dt")));
    auto rows = HelpdeskMirror::run(db, plain, {query, query, limit, offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    QJsonObject page = listPage(rows.value(), limit, offset);
    page.insert(QStringLiteral("query"), text);
    return Result<QJsonObject>::success(page);
}

} // namespace syncdesk
