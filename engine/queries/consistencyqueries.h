#pragma once

#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>

namespace syncdesk {

// Stored consistency runs: one with its progress and report, or the latest ones.
class ConsistencyQueries
{
public:
    static Result<QJsonObject> run(QSqlDatabase &db, qint64 id, bool *exists = nullptr);
    static Result<QJsonArray> latest(QSqlDatabase &db, int limit);
};

} // namespace syncdesk
