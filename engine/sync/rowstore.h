#pragma once

#include "core/result.h"
#include "model/entitydefinition.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace syncdesk {

// Set-based access to the rows of one side's table: one round trip per operation, whatever the
// number of rows. Rows travel as JSON objects keyed by column name (generated columns left out).
class RowStore
{
public:
    // `keyExpression`: the adoption key over the row alias t (`lower(t."email")`); empty: none.
    // `filter`: the rows that are the entity's, over the alias t (empty: all).
    RowStore(QSqlDatabase db, QString table, QString keyExpression = {}, QString filter = {});
    static QString keyExpressionOf(const EntityDefinition &entity, bool backendSide);

    // Locks and reads the rows with these ids (ordered by id, so concurrent workers lock in one order).
    Result<QHash<qint64, QJsonObject>> lockRows(const QList<qint64> &ids);
    // Locks and reads rows whose adoption key is one of `keys`.
    Result<QHash<qint64, QJsonObject>> lockRowsByKey(const QStringList &keys);
    // The ids of the rows whose adoption key is one of `keys`, by key; nothing locked.
    Result<QHash<QString, QList<qint64>>> idsByKey(const QStringList &keys);
    // Those of `ids` whose rows do not pass the filter (none without one).
    Result<QList<qint64>> outsideFilter(const QList<qint64> &ids);
    // Reserves `count` ids from the table's identity sequence, so new rows can be linked before insertion.
    Result<QList<qint64>> reserveIds(int count);
    // Inserts rows given with their ids; every row must carry the same columns.
    Status insert(const QJsonArray &rows);
    // Applies {"id": n, "set": {column: value}} changes; columns not in "set" keep their values.
    Status update(const QJsonArray &changes, const QStringList &columns);
    Status remove(const QList<qint64> &ids);

private:
    QSqlDatabase m_db;
    QString m_table;
    QString m_keyExpression;
    QString m_filter;
};

} // namespace syncdesk
