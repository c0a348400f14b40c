#include "sync/reconcileplanner.h"

#include <QDateTime>
#include <QJsonArray>

namespace syncdesk {

namespace {

QDateTime rowTime(const QJsonObject &row)
{
    return QDateTime::fromString(row.value(QStringLiteral("updated_at")).toString(), Qt::ISODateWithMs);
}

QString changedOn(bool fromBackend, bool fromDashboard)
{
    if (fromBackend && fromDashboard)
        return QStringLiteral("both");
    if (fromBackend)
        return QStringLiteral("backend");
    return fromDashboard ? QStringLiteral("dashboard") : QString();
}

} // namespace

ReconcilePlanner::ReconcilePlanner(const EntityDefinition &entity, const ConflictPolicy &policy, DeletePolicy deletes)
    : m_entity(entity)
    , m_policy(policy)
    , m_deletes(deletes)
{
}

Result<ReconcilePlan> ReconcilePlanner::plan(const GatheredRecords &gathered) const
{
    ReconcilePlan plan;
    qsizetype usedBackendIds = 0, usedDashboardIds = 0;
    for (const RecordPair &pair : gathered.pairs) {
        ChangeTimes times;
        ReconciledRecord record = startRecord(pair, times);
        if (pair.link) {
            planLinked(pair, times, record, plan);
            plan.records << record;
            continue;
        }
        if (pair.clashHolder) {
            planHeldDuplicate(pair, record, plan);
            continue;
        }
        if (!pair.matched && ownerWaits(pair, gathered)) {
            record.action = QStringLiteral("waiting");
            (pair.backendRow ? record.backendId : record.dashboardId) =
                (pair.backendRow ? *pair.backendRow : *pair.dashboardRow)
                    .value(QStringLiteral("id"))
                    .toInteger();
            plan.records << record;
            continue;
        }
        Link link;
        if (pair.matched) {
            // Two existing records found each other: reconcile without a baseline.
            link.backendId = pair.backendRow->value(QStringLiteral("id")).toInteger();
            link.dashboardId = pair.dashboardRow->value(QStringLiteral("id")).toInteger();
            const RecordDecision decision =
                decide(pair, std::nullopt, {}, link.backendId, link.dashboardId, times, record, plan);
            link.baseline = decision.baseline;
            link.pausedFields = decision.pausedFields;
            record.action = QStringLiteral("linked");
        } else {
            const bool inDashboard = pair.backendRow.has_value();
            const QList<qint64> &reserved = inDashboard ? gathered.newDashboardIds : gathered.newBackendIds;
            qsizetype &used = inDashboard ? usedDashboardIds : usedBackendIds;
            if (used >= reserved.size())
                return Result<ReconcilePlan>::failure(
                    QStringLiteral("no id was reserved for a new %1 in the %2")
                        .arg(m_entity.name, inDashboard ? QStringLiteral("helpdesk") : QStringLiteral("backend")));
            if (Status planned = planCounterpart(pair, reserved.at(used++), gathered, link, record, plan); !planned)
                return Result<ReconcilePlan>::failure(planned.error());
        }
        record.backendId = link.backendId;
        record.dashboardId = link.dashboardId;
        plan.newLinks << link;
        plan.recordOfNewLink << int(plan.records.size());
        plan.records << record;
    }
    return Result<ReconcilePlan>::success(std::move(plan));
}

// The record as the events tell it: which changes started it, where from, and when each side last
// changed each field (for latest-wins).
ReconciledRecord ReconcilePlanner::startRecord(const RecordPair &pair, ChangeTimes &times) const
{
    ReconciledRecord record;
    record.entity = m_entity.name;
    bool fromBackend = false, fromDashboard = false;
    for (const OutboxEvent &event : pair.events) {
        record.eventIds << event.id;
        const bool backendSide = event.side == QLatin1String("backend");
        (backendSide ? fromBackend : fromDashboard) = true;
        for (const FieldDefinition &field : m_entity.fields) {
            const QStringList columns = field.columnsOn(backendSide);
            if (std::none_of(columns.cbegin(), columns.cend(),
                             [&](const QString &column) { return event.changedColumns.contains(column); }))
                continue;
            QDateTime &latest = (backendSide ? times.backendFields : times.dashboardFields)[field.name];
            if (!latest.isValid() || event.capturedAt > latest)
                latest = event.capturedAt;
        }
    }
    record.changedOn = changedOn(fromBackend, fromDashboard);
    return record;
}

void ReconcilePlanner::planLinked(const RecordPair &pair, ChangeTimes &times, ReconciledRecord &record,
                                  ReconcilePlan &plan) const
{
    Link link = *pair.link;
    record.linkId = link.id;
    record.backendId = link.backendId;
    record.dashboardId = link.dashboardId;
    record.baselineBefore = link.baseline;
    record.baselineAfter = link.baseline;
    if (!link.isActive()) {
        record.action = QStringLiteral("waiting");
    } else if (!pair.backendRow && !pair.dashboardRow) {
        plan.removedLinks << link.id;
        record.action = QStringLiteral("deleted_on_both_sides");
    } else if (!pair.backendRow || !pair.dashboardRow) {
        planOneSideDeleted(pair, link, record, plan);
    } else {
        const RecordDecision decision =
            decide(pair, link.baseline.isEmpty() ? std::nullopt : std::optional(link.baseline), link.pausedFields,
                   link.backendId, link.dashboardId, times, record, plan);
        if (decision.baseline != link.baseline || decision.pausedFields != link.pausedFields) {
            link.baseline = decision.baseline;
            link.pausedFields = decision.pausedFields;
            plan.changedLinks << link;
        }
        record.action = decision.writesSomething()       ? QStringLiteral("updated")
                        : decision.conflicts.isEmpty() ? QStringLiteral("unchanged")
                                                       : QStringLiteral("conflict");
    }
}

void ReconcilePlanner::planOneSideDeleted(const RecordPair &pair, Link link, ReconciledRecord &record,
                                          ReconcilePlan &plan) const
{
    const bool goneInBackend = !pair.backendRow;
    const QString side = goneInBackend ? QStringLiteral("backend") : QStringLiteral("dashboard");
    if (m_deletes == DeletePolicy::Propagate) {
        (goneInBackend ? plan.dashboardDeletes : plan.backendDeletes)
            << (goneInBackend ? link.dashboardId : link.backendId);
        plan.removedLinks << link.id;
        record.action = QStringLiteral("delete_propagated");
        return;
    }
    // The surviving record stays; a person decides (delete it too, restore, or unlink).
    QJsonObject deletedImage;
    for (const OutboxEvent &event : pair.events) {
        if (event.operation == QLatin1String("delete"))
            deletedImage = event.beforeImage;
    }
    // The deleted record as it was, from the side that deleted it.
    const QJsonValue deleted = deletedImage.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                      : QJsonValue(m_entity.canonical(deletedImage, goneInBackend));
    FieldConflict conflict;
    conflict.baseline = link.baseline;
    conflict.backendValue = goneInBackend ? deleted : QJsonValue(m_entity.canonical(*pair.backendRow, true));
    conflict.dashboardValue = goneInBackend ? QJsonValue(m_entity.canonical(*pair.dashboardRow, false)) : deleted;
    conflict.strategy = ConflictStrategy::ManualReview;
    conflict.status = QStringLiteral("open");
    record.conflicts << conflict;
    link.state = QStringLiteral("deleted_in_") + side;
    plan.changedLinks << link;
    record.action = QStringLiteral("deleted_in_") + side;
}

// Reconciles a pair with both rows and queues the writes its decision needs.
RecordDecision ReconcilePlanner::decide(const RecordPair &pair, const std::optional<QJsonObject> &baseline,
                                        const QStringList &paused, qint64 backendId, qint64 dashboardId,
                                        ChangeTimes &times, ReconciledRecord &record, ReconcilePlan &plan) const
{
    times.backendRow = rowTime(*pair.backendRow);
    times.dashboardRow = rowTime(*pair.dashboardRow);
    RecordDecision decision = FieldReconciler(m_entity, m_policy)
                                  .reconcile(baseline, m_entity.canonical(*pair.backendRow, true),
                                             m_entity.canonical(*pair.dashboardRow, false), paused, times);
    holdTakenAddress(pair, baseline, decision);
    record.backendRow = *pair.backendRow;
    record.dashboardRow = *pair.dashboardRow;
    for (bool backendSide : {true, false}) {
        const QJsonObject &changes = backendSide ? decision.backendChanges : decision.dashboardChanges;
        if (changes.isEmpty())
            continue;
        const QJsonObject set = m_entity.rowFor(changes, backendSide);
        (backendSide ? plan.backendUpdates : plan.dashboardUpdates)
            .append(QJsonObject{{QStringLiteral("id"), backendSide ? backendId : dashboardId}, {QStringLiteral("set"), set}});
        QJsonObject &row = backendSide ? record.backendRow : record.dashboardRow;
        for (auto it = set.begin(); it != set.end(); ++it)
            row.insert(it.key(), it.value());
    }
    record.toBackend = decision.copiedToBackend;
    record.toDashboard = decision.copiedToDashboard;
    record.conflicts = decision.conflicts;
    record.baselineAfter = decision.baseline;
    return decision;
}

// A linked record's address that another record holds (ignoring case) on the side it would be copied
// to is not copied: that would make two people with one address there, or be refused by its unique
// index until the change was dead. The address waits for a person as an open conflict on the field
// (settled like any other); the record's other changes go on.
void ReconcilePlanner::holdTakenAddress(const RecordPair &pair, const std::optional<QJsonObject> &baseline,
                                        RecordDecision &decision) const
{
    const QString &field = m_entity.matchField;
    const bool toBackend = decision.backendChanges.contains(field) && !pair.addressHoldersInBackend.isEmpty();
    const bool toDashboard =
        decision.dashboardChanges.contains(field) && !pair.addressHoldersInDashboard.isEmpty();
    if (field.isEmpty() || (!toBackend && !toDashboard))
        return;
    decision.backendChanges.remove(field);
    decision.dashboardChanges.remove(field);
    decision.copiedToBackend.removeAll(field);
    decision.copiedToDashboard.removeAll(field);
    decision.conflicts.removeIf([&](const FieldConflict &settled) { return settled.field == field; });
    const QJsonValue before = baseline ? baseline->value(field) : QJsonValue(QJsonValue::Undefined);
    if (before.isUndefined())
        decision.baseline.remove(field);
    else
        decision.baseline.insert(field, before);
    decision.pausedFields << field;
    FieldConflict conflict;
    conflict.field = field;
    conflict.kind = QStringLiteral("field");
    conflict.baseline = before.isUndefined() ? QJsonValue(QJsonValue::Null) : before;
    conflict.backendValue = m_entity.canonical(*pair.backendRow, true).value(field);
    conflict.dashboardValue = m_entity.canonical(*pair.dashboardRow, false).value(field);
    conflict.strategy = ConflictStrategy::ManualReview;
    conflict.status = QStringLiteral("open");
    const QList<qint64> &holders =
        toDashboard ? pair.addressHoldersInDashboard : pair.addressHoldersInBackend;
    QJsonArray holderIds;
    for (qint64 id : holders)
        holderIds.append(id);
    conflict.details = QJsonObject{
        {QStringLiteral("reason"), QStringLiteral("address_taken")},
        {QStringLiteral("taken_on"), toDashboard ? QStringLiteral("dashboard") : QStringLiteral("backend")},
        {QStringLiteral("holder_ids"), holderIds}};
    decision.conflicts << conflict;
}

// A record new on one side that looks like someone the other side has already: no counterpart, a
// link that holds its later changes, and a conflict naming both records for a person to settle.
void ReconcilePlanner::planHeldDuplicate(const RecordPair &pair, ReconciledRecord &record,
                                         ReconcilePlan &plan) const
{
    const bool newInBackend = pair.backendRow.has_value();
    const QJsonObject &source = newInBackend ? *pair.backendRow : *pair.dashboardRow;
    const qint64 sourceId = source.value(QStringLiteral("id")).toInteger();
    Link link;
    (newInBackend ? link.backendId : link.dashboardId) = sourceId;
    link.state = QStringLiteral("duplicate");
    record.backendId = newInBackend ? sourceId : pair.clashHolder;
    record.dashboardId = newInBackend ? pair.clashHolder : sourceId;
    record.backendRow = newInBackend ? source : pair.clashHolderRow;
    record.dashboardRow = newInBackend ? pair.clashHolderRow : source;
    record.action = QStringLiteral("held_as_duplicate");
    FieldConflict conflict;
    conflict.kind = QStringLiteral("duplicate");
    conflict.baseline = QJsonValue::Null;
    conflict.backendValue = m_entity.canonical(record.backendRow, true);
    conflict.dashboardValue = m_entity.canonical(record.dashboardRow, false);
    conflict.strategy = ConflictStrategy::ManualReview;
    conflict.status = QStringLiteral("open");
    const QString side = newInBackend ? QStringLiteral("backend") : QStringLiteral("dashboard");
    conflict.details = QJsonObject{
        {QStringLiteral("new_side"), side},
        {QStringLiteral("new_id"), sourceId},
        {QStringLiteral("holder_id"), pair.clashHolder},
        {QStringLiteral("holder_linked_to"),
         pair.clashHolderPartner ? QJsonValue(pair.clashHolderPartner) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("same_address"), m_entity.matchValue(source, newInBackend) ==
                                             m_entity.matchValue(pair.clashHolderRow, !newInBackend)}};
    record.conflicts << conflict;
    plan.newLinks << link;
    plan.recordOfNewLink << int(plan.records.size());
    plan.records << record;
}

// A new owned record (a ticket) whose owner cannot have a counterpart until a person decides.
bool ReconcilePlanner::ownerWaits(const RecordPair &pair, const GatheredRecords &gathered) const
{
    if (m_entity.ownerEntity.isEmpty() || !pair.needsCounterpart())
        return false;
    if (pair.backendRow)
        return gathered.waitingBackendOwners.contains(
            pair.backendRow->value(m_entity.ownerBackendColumn).toInteger());
    return gathered.waitingDashboardOwners.contains(
        pair.dashboardRow->value(m_entity.ownerDashboardColumn).toInteger());
}

// A record only one side has: its counterpart, created on the other side under `newId`.
Status ReconcilePlanner::planCounterpart(const RecordPair &pair, qint64 newId, const GatheredRecords &gathered,
                                         Link &link, ReconciledRecord &record, ReconcilePlan &plan) const
{
    const bool fromBackendRow = pair.backendRow.has_value();
    const QJsonObject &source = fromBackendRow ? *pair.backendRow : *pair.dashboardRow;
    const qint64 sourceId = source.value(QStringLiteral("id")).toInteger();
    const QJsonObject values = m_entity.canonical(source, fromBackendRow);
    QJsonObject row = m_entity.rowFor(values, !fromBackendRow);
    row.insert(QStringLiteral("id"), newId);
    if (!m_entity.ownerEntity.isEmpty()) {
        const qint64 owner =
            source.value(fromBackendRow ? m_entity.ownerBackendColumn : m_entity.ownerDashboardColumn).toInteger();
        const qint64 counterpart = (fromBackendRow ? gathered.ownerInDashboard : gathered.ownerInBackend).value(owner);
        if (!counterpart)
            return Status::failure(
                QStringLiteral("%1 %2 cannot be created in the %3: its %4 (%5) has no counterpart there")
                    .arg(m_entity.name)
                    .arg(sourceId)
                    .arg(fromBackendRow ? QStringLiteral("helpdesk") : QStringLiteral("backend"), m_entity.ownerEntity)
                    .arg(owner));
        row.insert(fromBackendRow ? m_entity.ownerDashboardColumn : m_entity.ownerBackendColumn, counterpart);
    }
    m_entity.completeNewRow(source, row, !fromBackendRow);
    (fromBackendRow ? plan.dashboardInserts : plan.backendInserts).append(row);
    link.backendId = fromBackendRow ? sourceId : newId;
    link.dashboardId = fromBackendRow ? newId : sourceId;
    link.baseline = values;
    (fromBackendRow ? record.backendRow : record.dashboardRow) = source;
    (fromBackendRow ? record.dashboardRow : record.backendRow) = row;
    (fromBackendRow ? record.toDashboard : record.toBackend) = m_entity.fieldNames();
    record.baselineAfter = values;
    record.action = fromBackendRow ? QStringLiteral("created_in_dashboard") : QStringLiteral("created_in_backend");
    return Status::success();
}

} // namespace syncdesk
