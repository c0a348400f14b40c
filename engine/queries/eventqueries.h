#pragma once

#include "core/result.h"
#include "queries/readconnections.h"

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

// Captured changes as the live-events views and GET events/recent show them, newest first. With the
// helpdesk in its own database, both queues are read (its event ids start at 2^62).
class EventQueries
{
public:
    static Result<QJsonArray> recent(ReadConnections &db, const EventFilter &filter);
    static Result<QJsonObject> get(ReadConnections &db, qint64 id, bool *exists = nullptr);

private:
    static Result<QJsonArray> recentIn(QSqlDatabase &db, const EventFilter &filter);
};

} // namespace syncdesk
