#pragma once

#include "core/result.h"
#include "model/conflictpolicy.h"
#include "model/entitydefinition.h"
#include "sync/fieldreconciler.h"
#include "sync/gatheredrecords.h"
#include "sync/reconcileplan.h"

#include <optional>

namespace syncdesk {

// The second step of reconciling one entity, and the one that decides: given the records as both
// systems hold them (RecordGatherer), what to write where, which conflicts to record and what to put
// in the history. Pure: no database, so the whole three-way table is tested directly.
//   * linked records: field by field against the baseline (FieldReconciler); a record deleted on one
//     side waits for a person or is deleted on the other side too (DeletePolicy); deleted on both,
//     the link goes; a link waiting for a decision is left alone;
//   * two records matched by the adoption key: linked, reconciled without a baseline;
//   * a record only one side has: its counterpart is created on the other side, under the owner's
//     counterpart for owned entities (a ticket's customer); it waits while a decision about its
//     owner does;
//   * a record only one side has whose key another record on the other side holds: a possible
//     duplicate, held (a link without a counterpart) with a conflict for a person; a linked record's
//     key changed to one another record holds where it would be copied: that field waits for a person.
class ReconcilePlanner
{
public:
    ReconcilePlanner(const EntityDefinition &entity, const ConflictPolicy &policy, DeletePolicy deletes);

    Result<ReconcilePlan> plan(const GatheredRecords &gathered) const;

private:
    ReconciledRecord startRecord(const RecordPair &pair, ChangeTimes &times) const;
    void planLinked(const RecordPair &pair, ChangeTimes &times, ReconciledRecord &record, ReconcilePlan &plan) const;
    void planOneSideDeleted(const RecordPair &pair, Link link, ReconciledRecord &record, ReconcilePlan &plan) const;
    RecordDecision decide(const RecordPair &pair, const std::optional<QJsonObject> &baseline,
                          const QStringList &paused, qint64 backendId, qint64 dashboardId, ChangeTimes &times,
                          ReconciledRecord &record, ReconcilePlan &plan) const;
    void holdTakenAddress(const RecordPair &pair, const std::optional<QJsonObject> &baseline,
                          RecordDecision &decision) const;
    void planHeldDuplicate(const RecordPair &pair, ReconciledRecord &record, ReconcilePlan &plan) const;
    bool ownerWaits(const RecordPair &pair, const GatheredRecords &gathered) const;
    Status planCounterpart(const RecordPair &pair, qint64 newId, const GatheredRecords &gathered, Link &link,
                           ReconciledRecord &record, ReconcilePlan &plan) const;

    const EntityDefinition &m_entity;
    const ConflictPolicy &m_policy;
    DeletePolicy m_deletes;
};

} // namespace syncdesk
