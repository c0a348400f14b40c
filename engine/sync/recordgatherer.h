#pragma once

#include "core/result.h"
#include "model/entitydefinition.h"
#include "sync/gatheredrecords.h"
#include "sync/linkstore.h"
#include "sync/outboxevent.h"
#include "sync/reconciledrecord.h"
#include "sync/rowstore.h"
#include "sync/syncconnections.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>

#include <functional>

namespace syncdesk {

// Owners' counterparts on the other side, and the owners that cannot have one yet.
struct OwnerCounterparts
{
    QHash<qint64, qint64> counterparts;
    QSet<qint64> waiting; // a person's decision about them waits (a possible duplicate, a deletion)

    // From the owners as reconciling them left them; `fromBackend`: the owners' ids are backend ids.
    static OwnerCounterparts of(const QList<ReconciledRecord> &owners, bool fromBackend)
    {
        OwnerCounterparts owned;
        for (const ReconciledRecord &record : owners) {
            const qint64 owner = fromBackend ? record.backendId : record.dashboardId;
            if (record.isHeld())
                owned.waiting.insert(owner);
            else if (record.backendId && record.dashboardId)
                owned.counterparts.insert(owner, fromBackend ? record.dashboardId : record.backendId);
        }
        return owned;
    }
};

// For entities owned by another (tickets by customers): maps owner ids on one side to their
// counterparts on the other, linking owners first when needed. `fromBackend`: the ids are backend ids.
using OwnerResolver =
    std::function<Result<OwnerCounterparts>(const QList<qint64> &ownerIds, bool fromBackend)>;

// The first step of reconciling one entity: everything read from the database and locked, so that
// deciding (ReconcilePlanner) needs no SQL. Locks come in one order for every worker — links first,
// in id order, then rows — so no two workers reconcile one record at once. One gatherer per batch.
class RecordGatherer
{
public:
    RecordGatherer(SyncConnections &db, const EntityDefinition &entity, OwnerResolver owners = {});

    // `events` must all be of this entity. `extraBackendIds`/`extraDashboardIds`: records to gather
    // although no event names them (on-demand syncs, owners of new records). With `deferred`,
    // records another worker holds are skipped rather than waited for, and the ids of their events
    // are put there (they stay pending for a later batch).
    Result<GatheredRecords> gather(const OutboxEvents &events, const QList<qint64> &extraBackendIds,
                                   const QList<qint64> &extraDashboardIds, QList<qint64> *deferred);

private:
    Status lockLinks(QList<qint64> *deferred);
    Status loadRows();
    Status loadRows(bool backendSide);
    Status leaveOutOthers();
    Status lockLinksFoundLate();
    Status matchByAdoptionKey();
    Status findTakenAddresses();
    Status deferTwins(QList<qint64> *deferred);
    Status findClashes(const QHash<qint64, QJsonObject> &backendCandidates,
                       const QHash<qint64, QJsonObject> &dashboardCandidates,
                       const QList<Link> &candidateLinks);
    void pairUp(GatheredRecords &gathered) const;
    Status resolveOwners(GatheredRecords &gathered) const;
    Status reserveIds(GatheredRecords &gathered);
    void remember(const QList<Link> &links);
    QList<qint64> unlinked(bool backendSide) const;

    const EntityDefinition &m_entity;
    OwnerResolver m_owners;
    LinkStore m_links;
    RowStore m_backendStore;
    RowStore m_dashboardStore;

    QHash<qint64, OutboxEvents> m_backendEvents; // by record id
    QHash<qint64, OutboxEvents> m_dashboardEvents;
    QSet<qint64> m_backendIds; // the records asked for, without their counterparts
    QSet<qint64> m_dashboardIds;
    QHash<qint64, Link> m_linkById;
    QHash<qint64, qint64> m_linkOfBackend; // record id -> link id
    QHash<qint64, qint64> m_linkOfDashboard;
    QHash<qint64, QJsonObject> m_backendRows;
    QHash<qint64, QJsonObject> m_dashboardRows;
    QStringList m_unlinkedKeys; // adoption keys of the unlinked records, locked
    QHash<qint64, qint64> m_matchedDashboardOf; // unlinked backend record -> its match by adoption key
    QHash<qint64, qint64> m_matchedBackendOf;
    struct Clash
    {
        qint64 holder = 0;
        qint64 partner = 0;
        QJsonObject holderRow;
    };
    QHash<qint64, Clash> m_clashOfBackend; // unlinked records whose key the other side holds
    QHash<qint64, Clash> m_clashOfDashboard;
    QSqlDatabase m_syncDb; // where sync.conflicts is
    // lower(email) -> the records holding it, for the addresses linked records are about to copy
    QHash<QString, QList<qint64>> m_addressHoldersInBackend;
    QHash<QString, QList<qint64>> m_addressHoldersInDashboard;
};

} // namespace syncdesk
