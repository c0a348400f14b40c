#include "sync/canonicalsql.h"

namespace syncdesk::canonicalsql {

QString text(const QString &expression)
{
    return QStringLiteral("nullif(%1::text, '')").arg(expression);
}

QString set(const QString &expression)
{
    // An empty set (most records) skips the sub-select, which costs more than the rest of the test.
    return QStringLiteral(
               "CASE WHEN cardinality(%1) = 0 THEN '[]'::jsonb ELSE "
               "to_jsonb(ARRAY(SELECT DISTINCT v COLLATE \"C\" FROM unnest(%1) AS v ORDER BY 1)) END")
        .arg(expression);
}

QString literal(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace syncdesk::canonicalsql
