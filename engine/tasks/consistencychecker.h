#pragma once

#include "core/result.h"
#include "model/mapping.h"
#include "sync/liveevent.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace syncdesk {

class ConnectionProvider;
class RelayJournal;

// One kind of inconsistency and what the check did about it.
struct ConsistencyFinding
{
    QString check;       // unlinked_records, drifted_pairs, links_to_missing_rows, ...
    QString description;
    qint64 found = 0;
    qint64 repaired = 0;
    QList<QJsonObject> examples; // a few of them, for a person to look at
};

struct ConsistencyReport
{
    qint64 runId = 0;
    QList<ConsistencyFinding> findings;
    qint64 issuesFound = 0;
    qint64 repaired = 0;
    qint64 elapsedMs = 0;

    // Issues left after repair.
    qint64 remaining() const { return issuesFound - repaired; }
    bool consistent() const { return remaining() == 0; }
    QJsonObject toJson() const;
    QString toText() const;
};

// Compares the two systems with set-based SQL (never a row loop) and repairs what is safe:
// records missing a counterpart, linked pairs whose fields drifted apart with no change pending,
// links to rows that are gone (all re-queued for the engine, which applies its usual rules), and
// conversations whose status contradicts their ticket's (set right). Duplicate customers, stuck and
// dead events are reported for a person. Each run is stored in sync.consistency_runs.
class ConsistencyChecker
{
public:
    using Progress = std::function<void(double fraction, const QString &step)>;

    // `dashboard`: the helpdesk's own database, when it has one. The check then copies the helpdesk's
    // records and queue into temporary tables of the backend session first, and compares the same way.
    // `mapping`: the tables and fields it compares (SyncDesk's own by default).
    explicit ConsistencyChecker(QSqlDatabase db, QSqlDatabase dashboard = {},
                                std::shared_ptr<const Mapping> mapping = Mapping::builtInShared());

    // Adoption without the queue: with repair on and both systems in one database, the check makes
    // the counterparts of records that simply need one itself (RecordAdopter), in chunks, before it
    // queues the rest. Without this, every unlinked record is queued for the workers.
    struct DirectAdoption
    {
        // Where the adoption's lanes get their connections (the backend's database).
        std::shared_ptr<ConnectionProvider> connections;
        int lanes = 2;
        const RelayJournal *journal = nullptr;
        LiveEventSink announce;
        // Entities whose new records a handler reads: those go through the queue, as in the workers.
        std::function<bool(const QString &entity)> viaQueue;
        int chunkSize = 5000;
    };
    void adoptDirectly(DirectAdoption adoption) { m_adoption = std::move(adoption); }

    // Inserts a run row (status running) and returns its id; run() then fills it.
    Result<qint64> createRun(const QString &triggeredBy);
    Result<ConsistencyReport> run(qint64 runId, bool repair = true, const Progress &progress = {});

private:
    // `progress`: how far the step's adoption is (0..1) and what to tell a person about it.
    Result<ConsistencyFinding>
    unlinkedRecords(const QString &entity, bool repair,
                    const std::function<void(double, const QString &)> &progress = {});
    // The records RecordAdopter made (0 when adoption is not direct).
    Result<qint64> adopt(const QString &entity, const std::function<void(double, const QString &)> &progress);
    Result<ConsistencyFinding> driftedPairs(const QString &entity, bool repair);
    Result<ConsistencyFinding> linksToMissingRows(const QString &entity, bool repair);
    Result<ConsistencyFinding> conversationStatusMismatches(bool repair);
    Result<ConsistencyFinding> duplicateCustomers();
    Result<ConsistencyFinding> stuckEvents();
    Result<ConsistencyFinding> deadEvents();

    Status copyHelpdesk();
    void dropCopies();
    // The helpdesk's table as the statements read it: itself, or its copy.
    QString dashboardTable(const QString &qualified) const;
    // ` AND ...`: the rows of a side's table that are the entity's (the mapping's filter).
    QString entityRowsOnly(const EntityDefinition &entity, bool backend, const QString &alias) const;
    // Both queues' events (pending and dead, for the copy).
    QString queue() const;
    // With a copy: links settled before it was taken (a later change would compare with stale rows).
    QString settledBeforeCopy(const QString &alias) const;

    QSqlDatabase m_db;
    QSqlDatabase m_dashboard;
    std::shared_ptr<const Mapping> m_mapping;
    bool m_split = false;
    QString m_copiedAt; // the backend's clock when the copy began
    std::optional<DirectAdoption> m_adoption;
};

} // namespace syncdesk
