#pragma once

#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace syncdesk {

struct EventFilter
{
    QString status; // pending, done, dead
    QString entity;
    QString side;
    int limit = 10;
};

// Captured changes as the live-events views and GET events/recent show them, newest first.
class EventQueries
{
public:
    static Result<QJsonArray> recent(QSqlDatabase &db, const EventFilter &filter);
    static Result<QJsonObject> get(QSqlDatabase &db, qint64 id, bool *exists = nullptr);
};

} // namespace syncdesk
