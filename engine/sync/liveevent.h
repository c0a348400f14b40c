#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QLatin1String>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>

namespace syncdesk {

// Every kind of live event the engine announces. The one list: the REST stream's `kinds` filter,
// the window's live view and docs/architecture.md ("Live events") follow it, and a test holds them
// to it.
namespace LiveEventKind {
inline constexpr QLatin1String RecordSynced("record_synced");           // a record reconciled, with what travelled
inline constexpr QLatin1String Conflict("conflict");                    // a field changed on both sides
inline constexpr QLatin1String ConflictResolved("conflict_resolved");   // a person settled a conflict
inline constexpr QLatin1String TicketStatus("ticket_status");           // a status change propagated
inline constexpr QLatin1String TicketCreated("ticket_created");         // a ticket made from a conversation
inline constexpr QLatin1String ConversationLinked("conversation_linked"); // a conversation linked to a ticket
inline constexpr QLatin1String Analysis("analysis");                    // a conversation analysed
inline constexpr QLatin1String EventFailed("event_failed");             // a captured change failed; retried later
inline constexpr QLatin1String EventDead("event_dead");                 // a change out of attempts; waits for a person
inline constexpr QLatin1String TaskFinished("task_finished");           // a consistency check or clean-up ended

inline constexpr std::array all{RecordSynced,  Conflict,  ConflictResolved, TicketStatus, TicketCreated,
                                ConversationLinked, Analysis, EventFailed, EventDead,  TaskFinished};
} // namespace LiveEventKind

// Something a person watching SyncDesk wants to see as it happens. Announced by the engine after the
// transaction that made it true has committed; never for work that was rolled back.
struct LiveEvent
{
    QString kind; // one of LiveEventKind
    QDateTime at;
    QJsonObject payload;

    static LiveEvent now(QLatin1String kind, QJsonObject payload)
    {
        return LiveEvent{QString(kind), QDateTime::currentDateTimeUtc(), std::move(payload)};
    }
};

using LiveEvents = QList<LiveEvent>;

// Where the engine announces what it did. DataSyncService batches them into its `liveEvents` signal.
using LiveEventSink = std::function<void(const LiveEvents &)>;

// The names of LiveEventKind, in its order.
inline QStringList liveEventKinds()
{
    QStringList names;
    for (QLatin1String kind : LiveEventKind::all)
        names << QString(kind);
    return names;
}

} // namespace syncdesk

Q_DECLARE_METATYPE(syncdesk::LiveEvent)
