#pragma once

#include "queries/recordlistfilter.h"

#include <QJsonObject>

class QSqlQuery;

namespace syncdesk {

// A page of a list from its query's one row (total, then the page's items as JSON), with the limit and
// offset asked for: {"total", "limit", "offset", "items"}, the shape every paged list answers with.
QJsonObject listPage(QSqlQuery &row, int limit, int offset);

// A page of a side-by-side list from its query's one row (total, states as JSON, items as JSON), with the
// filter's limit and offset: listPage's shape with the counts per state ("states").
QJsonObject recordListPage(QSqlQuery &row, const RecordListFilter &filter);

} // namespace syncdesk
