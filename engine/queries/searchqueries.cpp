#include "queries/searchqueries.h"

#include "database/sql.h"
#include "queries/helpdeskmirror.h"

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
    // in both configurations matches either.
    const QString plain = QStringLiteral(
        "WITH q AS (SELECT to_tsquery('simple', ?) AS simple, to_tsquery('english', ?) AS english), hits AS ("
        " SELECT 'backend_user' AS source, u.id, u.full_name AS title, u.email AS snippet, ts_rank(u.search, q.simple) AS rank, "
        "  json_build_object('email', u.email, 'customer_id', l.dashboard_id) AS extra "
        "  FROM backend.users u CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'customer' AND l.backend_id = u.id "
        "  WHERE u.search @@ q.simple "
        " UNION ALL SELECT 'dashboard_customer', c.id, c.name, c.email, ts_rank(c.search, q.simple), "
        "  json_build_object('email', c.email, 'user_id', l.backend_id) "
        "  FROM dashboard.customers c CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'customer' AND l.dashboard_id = c.id "
        "  WHERE c.search @@ q.simple OR c.search @@ q.english "
        " UNION ALL SELECT 'dashboard_ticket', t.id, t.subject, left(t.description, 160), ts_rank(t.search, q.english), "
        "  json_build_object('status', t.status, 'customer_id', t.customer_id, 'backend_ticket_id', l.backend_id) "
        "  FROM dashboard.tickets t CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'ticket' AND l.dashboard_id = t.id "
        "  WHERE t.search @@ q.english OR t.search @@ q.simple "
        " UNION ALL SELECT 'backend_ticket', t.id, t.subject, left(t.description, 160), ts_rank(t.search, q.english), "
        "  json_build_object('status', t.status, 'user_id', t.user_id, 'dashboard_ticket_id', l.dashboard_id) "
        "  FROM backend.tickets t CROSS JOIN q LEFT JOIN sync.links l ON l.entity = 'ticket' AND l.backend_id = t.id "
        "  WHERE t.search @@ q.english OR t.search @@ q.simple "
        " UNION ALL SELECT 'conversation', v.id, coalesce(v.subject, ''), '', 0.5 * ts_rank(to_tsvector('english', "
        "  coalesce(v.subject, '')), q.english), json_build_object('status', v.status, 'user_id', v.user_id) "
        "  FROM backend.conversations v CROSS JOIN q WHERE to_tsvector('english', coalesce(v.subject, '')) @@ q.english "
        " UNION ALL SELECT 'message', m.id, left(m.content, 80), ts_headline('english', m.content, q.english, "
        "  'MaxWords=18, MinWords=6'), ts_rank(m.search, q.english), json_build_object('conversation_id', m.conversation_id, "
        "  'role', m.role) FROM backend.messages m CROSS JOIN q WHERE m.search @@ q.english) "
        "SELECT (SELECT count(*) FROM hits), (SELECT coalesce(json_agg(json_build_object('source', source, 'id', id, "
        "'title', title, 'snippet', snippet, 'rank', round(rank::numeric, 4), 'details', extra)), '[]') FROM "
        "(SELECT * FROM hits ORDER BY rank DESC, source, id LIMIT ? OFFSET ?) s)::text");
    auto rows = HelpdeskMirror::run(db, plain, {query, query, limit, offset});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    rows.value().next();
    return Result<QJsonObject>::success(
        QJsonObject{{QStringLiteral("query"), text},
                    {QStringLiteral("total"), rows.value().value(0).toLongLong()},
                    {QStringLiteral("limit"), limit},
                    {QStringLiteral("offset"), offset},
                    {QStringLiteral("items"), QJsonDocument::fromJson(rows.value().value(1).toString().toUtf8()).array()}});
}

} // namespace syncdesk
