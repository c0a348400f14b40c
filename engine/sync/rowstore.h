#pragma once

#include "core/result.h"

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
    RowStore(QSqlDatabase db, QString table);

    // Locks and reads the rows with these ids (ordered by id, so concurrent workers lock in one order).
    Result<QHash<qint64, QJsonObject>> lockRows(const QList<qint64> &ids);
    // Locks and reads rows whose lower(email) is one of `emails`.
    Result<QHash<qint64, QJsonObject>> lockRowsByEmail(const QStringList &emails);
    // The ids of the rows whose lower(email) is one of `emails`, by lower(email); nothing locked.
    Result<QHash<QString, QList<qint64>>> idsByEmail(const QStringList &emails);
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
};

} // namespace syncdesk
