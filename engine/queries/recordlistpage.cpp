#include "queries/recordlistpage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace syncdesk {

QJsonObject recordListPage(QSqlQuery &row, const RecordListFilter &filter)
{
    row.next();
    return QJsonObject{{QStringLiteral("total"), row.value(0).toLongLong()},
                       {QStringLiteral("limit"), filter.limit},
                       {QStringLiteral("offset"), filter.offset},
                       {QStringLiteral("states"), QJsonDocument::fromJson(row.value(1).toString().toUtf8()).object()},
                       {QStringLiteral("items"), QJsonDocument::fromJson(row.value(2).toString().toUtf8()).array()}};
}

} // namespace syncdesk
