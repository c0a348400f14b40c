#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace syncdesk {

namespace {

QJsonObject page(QSqlQuery &row, int limit, int offset, int itemsColumn)
{
    row.next();
    return QJsonObject{{QStringLiteral("total"), row.value(0).toLongLong()},
                       {QStringLiteral("limit"), limit},
                       {QStringLiteral("offset"), offset},
                       {QStringLiteral("items"),
                        QJsonDocument::fromJson(row.value(itemsColumn).toString().toUtf8()).array()}};
}

} // namespace

QJsonObject listPage(QSqlQuery &row, int limit, int offset)
{
    return page(row, limit, offset, 1);
}

QJsonObject recordListPage(QSqlQuery &row, const RecordListFilter &filter)
{
    QJsonObject list = page(row, filter.limit, filter.offset, 2);
    list.insert(QStringLiteral("states"), QJsonDocument::fromJson(row.value(1).toString().toUtf8()).object());
    return list;
}

} // namespace syncdesk
