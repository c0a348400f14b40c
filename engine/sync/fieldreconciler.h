#pragma once

#include "model/conflictpolicy.h"
#include "model/entitydefinition.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QStringList>

#include <optional>

namespace syncdesk {

// A conflict the reconciler found: settled automatically (resolved / preserved) or waiting (open).
struct FieldConflict
{
    QString field;
    QJsonValue baseline;
    QJsonValue backendValue;
    QJsonValue dashboardValue;
    ConflictStrategy strategy = ConflictStrategy::LatestWins;
    QString status;     // open, resolved, preserved
    QString resolution; // latest_wins:backend, merge, preserve_both:dashboard, dashboard_owns, ...
    QJsonValue resolvedValue;
    QString kind;        // field, deleted, duplicate; empty: field, or deleted when there is no field
    QJsonObject details; // duplicate: new_side, new_id, holder_id, holder_linked_to, same_address
};

// What to do with one linked record pair. Values are canonical (EntityDefinition field names).
struct RecordDecision
{
    QJsonObject backendChanges;
    QJsonObject dashboardChanges;
    QJsonObject baseline;
    QStringList pausedFields;
    QList<FieldConflict> conflicts;
    QStringList copiedToBackend;
    QStringList copiedToDashboard;

    bool writesSomething() const { return !backendChanges.isEmpty() || !dashboardChanges.isEmpty(); }
};

// When each side last changed a field (from the events being processed), and when each row last changed.
struct ChangeTimes
{
    QHash<QString, QDateTime> backendFields;
    QHash<QString, QDateTime> dashboardFields;
    QDateTime backendRow;
    QDateTime dashboardRow;
};

// Three-way, field-by-field reconciliation of one record pair against the values both sides last
// agreed on. Pure: no database, so every rule is tested directly.
//   * equal on both sides: nothing to do;
//   * changed on one side only: copied across;
//   * a new link (no baseline) where one side is empty: the other side's value is taken;
//   * changed on both sides to different values: a conflict, settled by the policy's strategy
//     (a field the helpdesk owns takes the dashboard's value without a conflict).
// Fields waiting for a person (paused) are left alone.
class FieldReconciler
{
public:
    FieldReconciler(const EntityDefinition &entity, const ConflictPolicy &policy);

    RecordDecision reconcile(const std::optional<QJsonObject> &baseline, const QJsonObject &backend,
                             const QJsonObject &dashboard, const QStringList &pausedFields,
                             const ChangeTimes &times) const;

    // Three-way merge of sets (additions and removals of both sides kept) and JSON objects (key by
    // key); nothing for text.
    static std::optional<QJsonValue> merge(const FieldDefinition &field, const QJsonValue &baseline,
                                           const QJsonValue &backend, const QJsonValue &dashboard);

private:
    void settleClash(const FieldDefinition &field, const QJsonValue &baseline, const QJsonValue &backend,
                     const QJsonValue &dashboard, const ChangeTimes &times, RecordDecision &decision) const;
    void settleWith(ConflictStrategy strategy, const FieldDefinition &field, const QJsonValue &baseline,
                    const QJsonValue &backend, const QJsonValue &dashboard, const ChangeTimes &times,
                    ConflictStrategy configured, RecordDecision &decision) const;
    static void apply(const FieldDefinition &field, const QJsonValue &value, const QJsonValue &backend,
                      const QJsonValue &dashboard, RecordDecision &decision);

    const EntityDefinition &m_entity;
    const ConflictPolicy &m_policy;
};

} // namespace syncdesk
