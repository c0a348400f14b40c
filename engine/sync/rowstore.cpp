#include "sync/rowstore.h"

#include "database/sql.h"

#include <QJsonDocument>

namespace syncdesk {

namespace {

QString toJson(const QJsonArray &rows)
{
    return QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
}

Result<QHash<qint64, QJsonObject>> readRows(Result<QSqlQuery> rows)
{
    if (!rows)
        return Result<QHash<qint64, QJsonObject>>::failure(rows.error());
    QHash<qint64, QJsonObject> out;
    while (rows.value().next())
        out.insert(rows.value().value(0).toLongLong(),
                   QJsonDocument::fromJson(rows.value().value(1).toString().toUtf8()).object());
    return Result<QHash<qint64, QJsonObject>>::success(out);
}

} // namespace

RowStore::RowStore(QSqlDatabase db, QString table, QString keyExpression, QString filter)
    : m_db(std::move(db))
    , m_table(std::move(table))
    , m_keyExpression(std::move(keyExpression))
    , m_filter(filter.isEmpty() ? QString() : QStringLiteral(" AND (%1)").arg(filter))
{
}

Result<QList<qint64>> RowStore::outsideFilter(const QList<qint64> &ids)
{
    QList<qint64> outside;
    if (ids.isEmpty() || m_filter.isEmpty())
        return Result<QList<qint64>>::success(outside);
    auto rows = sql::run(
        m_db,
        QStringLiteral("SELECT t.id FROM %1 t WHERE t.id = ANY(?::bigint[]) AND NOT coalesce(true%2, false)")
            .arg(m_table, m_filter),
        {sql::bigintArray(ids)});
    if (!rows)
        return Result<QList<qint64>>::failure(rows.error());
    while (rows.value().next())
        outside << rows.value().value(0).toLongLong();
    return Result<QList<qint64>>::success(outside);
}

QString RowStore::keyExpressionOf(const EntityDefinition &entity, bool backendSide)
{
    const QString column = entity.matchColumn(backendSide);
    if (column.isEmpty())
        return {};
    return (entity.matchIgnoresCase ? QStringLiteral("lower(t.%1)") : QStringLiteral("t.%1::text"))
        .arg(sql::quoteIdentifier(column));
}

Result<QHash<qint64, QJsonObject>> RowStore::lockRows(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return Result<QHash<qint64, QJsonObject>>::success({});
    return readRows(sql::run(m_db,
                             QStringLiteral("SELECT t.id, (to_jsonb(t) - 'search')::text FROM %1 t "
                                            "WHERE t.id = ANY(?::bigint[]) ORDER BY t.id FOR UPDATE")
                                 .arg(m_table),
                             {sql::bigintArray(ids)}));
}

Result<QHash<qint64, QJsonObject>> RowStore::lockRowsByKey(const QStringList &keys)
{
    if (keys.isEmpty() || m_keyExpression.isEmpty())
        return Result<QHash<qint64, QJsonObject>>::success({});
    return readRows(sql::run(m_db,
                             QStringLiteral("SELECT t.id, (to_jsonb(t) - 'search')::text FROM %1 t "
                                            "WHERE %2 = ANY(?::text[])%3 ORDER BY t.id FOR UPDATE")
                                 .arg(m_table, m_keyExpression, m_filter),
                             {sql::textArray(keys)}));
}

Result<QHash<QString, QList<qint64>>> RowStore::idsByKey(const QStringList &keys)
{
    using Ids = Result<QHash<QString, QList<qint64>>>;
    QHash<QString, QList<qint64>> ids;
    if (keys.isEmpty() || m_keyExpression.isEmpty())
        return Ids::success(ids);
    auto rows = sql::run(m_db,
                         QStringLiteral("SELECT %2, t.id FROM %1 t WHERE %2 = ANY(?::text[])%3")
                             .arg(m_table, m_keyExpression, m_filter),
                         {sql::textArray(keys)});
    if (!rows)
        return Ids::failure(rows.error());
    while (rows.value().next())
        ids[rows.value().value(0).toString()] << rows.value().value(1).toLongLong();
    return Ids::success(ids);
}

Result<QList<qint64>> RowStore::reserveIds(int count)
{
    QList<qint64> ids;
    if (count <= 0)
        return Result<QList<qint64>>::success(ids);
    auto rows = sql::run(m_db,
                         QStringLiteral("SELECT nextval(pg_get_serial_sequence('%1', 'id')) FROM generate_series(1, ?)")
                             .arg(m_table),
                         {count});
    if (!rows)
        return Result<QList<qint64>>::failure(rows.error());
    while (rows.value().next())
        ids << rows.value().value(0).toLongLong();
    return Result<QList<qint64>>::success(ids);
}

Status RowStore::insert(const QJsonArray &rows)
{
    if (rows.isEmpty())
        return Status::success();
    const QStringList columns = rows.first().toObject().keys();
    QStringList quoted;
    for (const QString &column : columns)
        quoted << sql::quoteIdentifier(column);
    return sql::exec(m_db,
                     QStringLiteral("INSERT INTO %1 (%2) SELECT %2 FROM jsonb_populate_recordset(NULL::%1, ?::jsonb)")
                         .arg(m_table, quoted.join(QStringLiteral(", "))),
                     {toJson(rows)});
}

Status RowStore::update(const QJsonArray &changes, const QStringList &columns)
{
    if (changes.isEmpty())
        return Status::success();
    QStringList quoted, fromRecord;
    for (const QString &column : columns) {
        quoted << sql::quoteIdentifier(column);
        fromRecord << QStringLiteral("r.") + sql::quoteIdentifier(column);
    }
    QList<qint64> ids;
    ids.reserve(changes.size());
    for (const QJsonValue &change : changes)
        ids << change.toObject().value(QStringLiteral("id")).toInteger();
    // jsonb_populate_record(t, set) is the row with only the given columns replaced. The id array
    // lets the planner use the primary key: it guesses 100 rows for a JSON set and would rather scan a
    // small table whole, which made every single-row update as slow as the table is large.
    return sql::exec(m_db,
                     QStringLiteral("UPDATE %1 t SET (%2) = (SELECT %3 FROM jsonb_populate_record(t, e.v -> 'set') r) "
                                    "FROM jsonb_array_elements(?::jsonb) AS e(v) WHERE t.id = (e.v ->> 'id')::bigint "
                                    "AND t.id = ANY(?::bigint[])")
                         .arg(m_table, quoted.join(QStringLiteral(", ")), fromRecord.join(QStringLiteral(", "))),
                     {toJson(changes), sql::bigintArray(ids)});
}

Status RowStore::remove(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return Status::success();
    return sql::exec(m_db, QStringLiteral("DELETE FROM %1 WHERE id = ANY(?::bigint[])").arg(m_table),
                     {sql::bigintArray(ids)});
}

} // namespace syncdesk
