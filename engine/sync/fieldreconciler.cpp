#include "sync/fieldreconciler.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace syncdesk {

namespace {

bool isEmptyValue(const QJsonValue &value)
{
    return value.isNull() || value.isUndefined() || (value.isArray() && value.toArray().isEmpty())
           || (value.isObject() && value.toObject().isEmpty()) || (value.isString() && value.toString().isEmpty());
}

QStringList toSet(const FieldDefinition &field, const QJsonValue &value)
{
    QStringList items;
    for (const QJsonValue &item : field.normalize(value).toArray())
        items << item.toString();
    return items;
}

} // namespace

FieldReconciler::FieldReconciler(const EntityDefinition &entity, const ConflictPolicy &policy)
    : m_entity(entity)
    , m_policy(policy)
{
}

std::optional<QJsonValue> FieldReconciler::merge(const FieldDefinition &field, const QJsonValue &baseline,
                                                 const QJsonValue &backend, const QJsonValue &dashboard)
{
    if (field.kind == FieldDefinition::Kind::TextSet) {
        const QStringList base = toSet(field, baseline);
        const QStringList ours = toSet(field, backend);
        const QStringList theirs = toSet(field, dashboard);
        QSet<QString> candidates(ours.cbegin(), ours.cend());
        candidates.unite(QSet<QString>(theirs.cbegin(), theirs.cend()));
        QStringList merged;
        for (const QString &item : std::as_const(candidates)) {
            const bool inBase = base.contains(item);
            const bool inOurs = ours.contains(item);
            const bool inTheirs = theirs.contains(item);
            // Kept when both have it, or when one side added it; dropped when either side removed it.
            if ((inOurs && inTheirs) || (!inBase && (inOurs || inTheirs)))
                merged << item;
        }
        merged.sort();
        return QJsonValue(QJsonArray::fromStringList(merged));
    }
    if (field.kind == FieldDefinition::Kind::JsonObject) {
        const QJsonObject base = baseline.toObject();
        const QJsonObject ours = backend.toObject();
        const QJsonObject theirs = dashboard.toObject();
        QJsonObject merged;
        QSet<QString> keys;
        for (const QJsonObject *object : {&base, &ours, &theirs}) {
            for (auto it = object->begin(); it != object->end(); ++it)
                keys.insert(it.key());
        }
        for (const QString &key : std::as_const(keys)) {
            const QJsonValue b = base.value(key), o = ours.value(key), t = theirs.value(key);
            QJsonValue chosen;
            if (o == t)
                chosen = o;
            else if (o == b)
                chosen = t;
            else if (t == b)
                chosen = o;
            else
                return std::nullopt; // the same key changed differently on both sides
            if (!chosen.isUndefined())
                merged.insert(key, chosen);
        }
        return QJsonValue(merged);
    }
    return std::nullopt;
}

void FieldReconciler::apply(const FieldDefinition &field, const QJsonValue &value, const QJsonValue &backend,
                            const QJsonValue &dashboard, RecordDecision &decision)
{
    if (backend != value) {
        decision.backendChanges.insert(field.name, value);
        decision.copiedToBackend << field.name;
    }
    if (dashboard != value) {
        decision.dashboardChanges.insert(field.name, value);
        decision.copiedToDashboard << field.name;
    }
    decision.baseline.insert(field.name, value);
}

RecordDecision FieldReconciler::reconcile(const std::optional<QJsonObject> &baseline, const QJsonObject &backend,
                                          const QJsonObject &dashboard, const QStringList &pausedFields,
                                          const ChangeTimes &times) const
{
    RecordDecision decision;
    decision.baseline = baseline.value_or(QJsonObject());
    decision.pausedFields = pausedFields;
    for (const FieldDefinition &field : m_entity.fields) {
        if (pausedFields.contains(field.name))
            continue; // a person decides this one
        const QJsonValue b = field.normalize(backend.value(field.name));
        const QJsonValue d = field.normalize(dashboard.value(field.name));
        const QJsonValue l = baseline ? field.normalize(baseline->value(field.name)) : QJsonValue(QJsonValue::Undefined);
        if (b == d) {
            decision.baseline.insert(field.name, b);
        } else if (baseline && d == l) {
            apply(field, b, b, d, decision);
        } else if (baseline && b == l) {
            apply(field, d, b, d, decision);
        } else if (!baseline && isEmptyValue(d)) {
            apply(field, b, b, d, decision);
        } else if (!baseline && isEmptyValue(b)) {
            apply(field, d, b, d, decision);
        } else {
            settleClash(field, l, b, d, times, decision);
        }
    }
    return decision;
}

void FieldReconciler::settleClash(const FieldDefinition &field, const QJsonValue &baseline, const QJsonValue &backend,
                                  const QJsonValue &dashboard, const ChangeTimes &times,
                                  RecordDecision &decision) const
{
    if (field.owner != FieldDefinition::Owner::Shared) {
        const QJsonValue &owned = field.owner == FieldDefinition::Owner::Dashboard ? dashboard : backend;
        apply(field, owned, backend, dashboard, decision);
        return;
    }
    const FieldStrategy strategy = m_policy.strategyFor(m_entity.name, field.name);
    settleWith(strategy.strategy, field, baseline, backend, dashboard, times, strategy.strategy, decision);
}

void FieldReconciler::settleWith(ConflictStrategy strategy, const FieldDefinition &field, const QJsonValue &baseline,
                                 const QJsonValue &backend, const QJsonValue &dashboard, const ChangeTimes &times,
                                 ConflictStrategy configured, RecordDecision &decision) const
{
    FieldConflict conflict;
    conflict.field = field.name;
    conflict.baseline = baseline.isUndefined() ? QJsonValue(QJsonValue::Null) : baseline;
    conflict.backendValue = backend;
    conflict.dashboardValue = dashboard;
    conflict.strategy = configured;
    // The later change, by the events that carried them, else by the rows' timestamps; a tie goes to
    // the helpdesk, so the outcome never depends on processing order.
    const auto backendIsLater = [&]() {
        const QDateTime ours = times.backendFields.value(field.name, times.backendRow);
        const QDateTime theirs = times.dashboardFields.value(field.name, times.dashboardRow);
        return ours.isValid() && (!theirs.isValid() || ours > theirs);
    };
    switch (strategy) {
    case ConflictStrategy::ManualReview:
        conflict.status = QStringLiteral("open");
        decision.pausedFields << field.name;
        break;
    case ConflictStrategy::LatestWins:
    case ConflictStrategy::PreserveBoth: {
        const bool backendWins = backendIsLater();
        apply(field, backendWins ? backend : dashboard, backend, dashboard, decision);
        const QString winner = backendWins ? QStringLiteral("backend") : QStringLiteral("dashboard");
        conflict.status = strategy == ConflictStrategy::PreserveBoth ? QStringLiteral("preserved") : QStringLiteral("resolved");
        conflict.resolution = toString(strategy) + QLatin1Char(':') + winner;
        conflict.resolvedValue = backendWins ? backend : dashboard;
        break;
    }
    case ConflictStrategy::Merge: {
        const auto merged = merge(field, baseline, backend, dashboard);
        if (!merged) {
            const FieldStrategy rule = m_policy.strategyFor(m_entity.name, field.name);
            const ConflictStrategy fallback =
                rule.fallback == ConflictStrategy::Merge ? ConflictStrategy::LatestWins : rule.fallback;
            settleWith(fallback, field, baseline, backend, dashboard, times, configured, decision);
            return;
        }
        apply(field, *merged, backend, dashboard, decision);
        conflict.status = QStringLiteral("resolved");
        conflict.resolution = QStringLiteral("merge");
        conflict.resolvedValue = *merged;
        break;
    }
    }
    decision.conflicts << conflict;
}

} // namespace syncdesk
