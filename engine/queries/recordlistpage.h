#pragma once

#include "queries/recordlistfilter.h"

#include <QJsonObject>

class QSqlQuery;

namespace syncdesk {

// A page of a side-by-side list from its query's one row (total, states as JSON, items as JSON), with the
// filter's limit and offset: the shape the customers and tickets lists share.
QJsonObject recordListPage(QSqlQuery &row, const RecordListFilter &filter);

} // namespace syncdesk
