#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace syncdesk {

// Something a person watching SyncDesk wants to see as it happens: a record synced, a conflict,
// a ticket status propagated, an event that failed. Emitted after the transaction that made it true.
struct LiveEvent
{
    QString kind; // record_synced, conflict, ticket_status, event_failed, event_dead
    QDateTime at;
    QJsonObject payload;
};

using LiveEvents = QList<LiveEvent>;

} // namespace syncdesk

Q_DECLARE_METATYPE(syncdesk::LiveEvent)
