#pragma once

#include "core/result.h"
#include "model/mapping.h"
#include "sync/liveevent.h"
#include "sync/operationresult.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace syncdesk {

class ConnectionProvider;
class RelayJournal;

// How a person settles a conflict.
struct ConflictDecision
{
    enum class Kind
    {
        UseBackend,      // the product's current value, on both sides
        UseDashboard,    // the helpdesk's current value, on both sides
        UseValue,        // a value the person typed
        Merge,           // both sides' changes merged (sets, objects); refused for text
        LatestWins,      // whichever side changed its record last
        DeleteOtherSide, // deleted-record conflicts: delete the surviving record too
        Restore,         // deleted-record conflicts: recreate the deleted record from the survivor
        CreateAnyway,    // possible duplicates: different people; create the new record's counterpart
        KeepApart,       // possible duplicates: the new record stays on its own side
    };
    Kind kind = Kind::UseBackend;
    QJsonValue value; // UseValue

    static std::optional<Kind> kindFromName(const QString &name);
    static QString name(Kind kind);
};

// Which open conflicts a bulk resolution applies to.
struct ConflictFilter
{
    QString entity;         // customer, ticket; empty: any
    QString field;          // e.g. phone; empty: any
    QList<qint64> ids;      // explicit conflicts; empty: all that match
    int limit = 1000;
};

struct BulkResolution
{
    int resolved = 0;
    QStringList failures; // "conflict 12: ..."
};

// Settles conflicts the engine left to a person: the chosen value is written to both sides and to
// the baseline in one transaction, the field syncs again, and the conflict records who decided what.
// A conflict can be resolved once. Blocking; call off the GUI thread. What it settled is announced to
// `announce` after the commit (and recorded in `journal`, for the event relay, before it).
class ConflictResolver
{
public:
    ConflictResolver(std::shared_ptr<ConnectionProvider> backend,
                     std::shared_ptr<ConnectionProvider> dashboard, LiveEventSink announce,
                     std::shared_ptr<const RelayJournal> journal = nullptr,
                     std::shared_ptr<const Mapping> mapping = Mapping::builtInShared());

    OperationResult resolve(qint64 conflictId, const ConflictDecision &decision, const QString &actor);
    Result<BulkResolution> resolveAll(const ConflictFilter &filter, const ConflictDecision &decision, const QString &actor);

private:
    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ConnectionProvider> m_dashboard;
    LiveEventSink m_announce;
    std::shared_ptr<const RelayJournal> m_journal;
    std::shared_ptr<const Mapping> m_mapping;
};

} // namespace syncdesk
