#pragma once

#include "core/result.h"
#include "sync/liveevent.h"

#include <QByteArray>
#include <QSqlDatabase>

#include <atomic>
#include <functional>
#include <mutex>

namespace syncdesk {

// The durable record the event relay publishes from (transactional outbox): the events a
// transaction announces are written into sync.relay_batches by that transaction just before it
// commits, as one row, so they exist exactly when what they tell of was committed. Shared by the
// workers, the operations and the relay; transactions record only while the relay is on.
class RelayJournal
{
public:
    // Whether transactions record their events (the relay is configured and switched on).
    void setRecording(bool on) { m_recording.store(on, std::memory_order_relaxed); }
    bool recording() const { return m_recording.load(std::memory_order_relaxed); }
    // Called on the committing thread after a transaction that recorded events has committed.
    void setOnRecorded(std::function<void()> wake);

    // In the transaction open on `db`: one row holding the relayed ones among `events`. Writes
    // nothing while recording is off or when no event is relayed; returns whether it wrote a row.
    Result<bool> record(QSqlDatabase &db, const LiveEvents &events) const;
    // After the commit of a transaction whose record() wrote a row: wakes the relay.
    void committed() const;

    // The kinds published: what changed in the two systems or waits for a person. Not retries
    // (event_failed: the change is still on its way) and not the engine's own tasks.
    static bool relayed(const QString &kind);
    // "<entity>.<kind>": the subject below the configured prefix.
    static QByteArray subjectOf(const LiveEvent &event);
    // The relayed events as the row stores them, one line each: subject, TAB, the JSON document
    // without its id (the relay adds it). `count` receives the number of lines.
    static QByteArray lines(const LiveEvents &events, int &count);

private:
    std::atomic_bool m_recording{false};
    mutable std::mutex m_wakeMutex;
    std::function<void()> m_wake;
};

} // namespace syncdesk
