#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace syncdesk {

// One captured change, as claimed from sync.outbox.
struct OutboxEvent
{
    qint64 id = 0;
    QDateTime capturedAt;
    QString side;      // backend, dashboard
    QString entity;    // customer, ticket, conversation, message
    qint64 entityId = 0;
    QString operation; // insert, update, delete
    QStringList changedColumns;
    QJsonObject beforeImage; // read for deletes only
    int attempts = 0;
};

using OutboxEvents = QList<OutboxEvent>;

} // namespace syncdesk
