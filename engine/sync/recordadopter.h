#pragma once

#include "core/result.h"
#include "model/entitydefinition.h"
#include "sync/liveevent.h"

#include <QSqlDatabase>

#include <atomic>
#include <functional>
#include <memory>

namespace syncdesk {

class ConnectionProvider;
class RelayJournal;

// Adoption from the tables themselves (issue 16). When SyncDesk meets two populated systems, most
// records of one side have no counterpart yet. Instead of queueing an event per record for the
// workers (a claim and a done mark each), the unlinked records are read once in key order and their
// counterparts, links, baselines and history rows made in chunks, each chunk one transaction of
// set-based statements (NewRecordCopier's), on a few connections at once (lanes: threads with their
// own connections taking chunks in turn). What does not simply qualify — a match to link, an address
// another record holds or shares, an owner not linked yet, a record a worker holds or has a change
// waiting for — is left unlinked, for the consistency check to queue as before. Interrupted, nothing
// is half-made and nothing made twice: the next run goes on from what is still unlinked. Both
// systems must share the database.
class RecordAdopter
{
public:
    struct Progress
    {
        qint64 done = 0;  // counterparts made so far
        qint64 total = 0; // records without a link when the adoption began
        double perSecond = 0;
        double secondsLeft = -1; // -1 until a rate is known
    };
    using ProgressSink = std::function<void(const Progress &)>;

    // `announce` receives each committed chunk's live events (from the lanes' threads); `journal`
    // records them for the relay.
    RecordAdopter(std::shared_ptr<ConnectionProvider> connections, const RelayJournal *journal = nullptr,
                  LiveEventSink announce = {});

    void setChunkSize(int rows) { m_chunkSize = std::max(1, rows); }
    void setLanes(int lanes) { m_lanes = std::max(1, lanes); }

    // How many of the entity's records on both sides have no link (the work ahead).
    static Result<qint64> unlinkedCount(QSqlDatabase &db, const EntityDefinition &entity);
    // Makes the counterparts of the entity's unlinked records of both sides, backend's first, and
    // returns how many. Progress counts towards the records unlinked when it began; `progress` is
    // called on the calling thread a few times a second.
    Result<qint64> adopt(const EntityDefinition &entity, const ProgressSink &progress = {});

    // From any thread (a stopping engine, a test): the lanes finish the chunk they are in and adopt()
    // returns what was made; what is left stays unlinked for the next run.
    void requestStop() { m_stopRequested = true; }
    bool stopped() const { return m_stopRequested; }

private:
    // One lane: chunks of `ids` (one side's unlinked records, in key order) taken in turn with the
    // other lanes through `next`, at most `maxChunks` of them.
    Status adoptLane(const EntityDefinition &entity, bool fromBackend, const QList<qint64> &ids,
                     std::atomic<qsizetype> &next, std::atomic<qint64> &done, const std::atomic_bool &stop,
                     int maxChunks) const;

    std::shared_ptr<ConnectionProvider> m_connections;
    const RelayJournal *m_journal = nullptr;
    LiveEventSink m_announce;
    int m_chunkSize = 5000;
    int m_lanes = 2;
    std::atomic_bool m_stopRequested{false};
};

} // namespace syncdesk
