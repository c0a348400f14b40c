#pragma once

#include "analyzer/analysis.h"
#include "core/result.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>

namespace syncdesk {

// Writes analyses into sync.analyses: the engine one at a time as conversations change, the demo
// seeder a whole data set's in one statement.
class AnalysisStore
{
public:
    // The sync.analyses row of `analysis` as JSON; `at` is its time (now when invalid).
    static QJsonObject row(const Analysis &analysis, qint64 conversationId, int messageCount,
                           const QDateTime &at = {});
    static Status insert(QSqlDatabase &db, const QJsonArray &rows);
};

} // namespace syncdesk
