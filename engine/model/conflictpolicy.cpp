#include "model/conflictpolicy.h"

#include "model/entitydefinition.h"
#include "model/mapping.h"

namespace syncdesk {

QString toString(ConflictStrategy strategy)
{
    switch (strategy) {
    case ConflictStrategy::LatestWins:
        return QStringLiteral("latest_wins");
    case ConflictStrategy::ManualReview:
        return QStringLiteral("manual_review");
    case ConflictStrategy::Merge:
        return QStringLiteral("merge");
    case ConflictStrategy::PreserveBoth:
        return QStringLiteral("preserve_both");
    }
    return {};
}

std::optional<ConflictStrategy> conflictStrategyFromString(const QString &text)
{
    for (ConflictStrategy strategy : {ConflictStrategy::LatestWins, ConflictStrategy::ManualReview,
                                      ConflictStrategy::Merge, ConflictStrategy::PreserveBoth}) {
        if (toString(strategy) == text)
            return strategy;
    }
    return std::nullopt;
}

ConflictPolicy ConflictPolicy::defaults()
{
    ConflictPolicy policy;
    policy.m_entityDefaults.insert(QStringLiteral("customer"), {ConflictStrategy::LatestWins, ConflictStrategy::LatestWins});
    policy.m_entityDefaults.insert(QStringLiteral("ticket"), {ConflictStrategy::LatestWins, ConflictStrategy::LatestWins});
    policy.m_fieldRules.insert(QStringLiteral("customer.email"), {ConflictStrategy::ManualReview, ConflictStrategy::ManualReview});
    policy.m_fieldRules.insert(QStringLiteral("customer.tags"), {ConflictStrategy::Merge, ConflictStrategy::LatestWins});
    policy.m_fieldRules.insert(QStringLiteral("ticket.subject"), {ConflictStrategy::ManualReview, ConflictStrategy::ManualReview});
    policy.m_fieldRules.insert(QStringLiteral("ticket.description"),
                               {ConflictStrategy::ManualReview, ConflictStrategy::ManualReview});
    return policy;
}

Status ConflictPolicy::setRule(const QString &target, const FieldStrategy &strategy)
{
    const QStringList parts = target.split(QLatin1Char('.'));
    const EntityDefinition *entity = Mapping::builtIn().entity(parts.value(0));
    if (!entity || parts.size() > 2)
        return Status::failure(QStringLiteral("'%1' is not an entity (customer, ticket) or entity.field").arg(target));
    if (strategy.fallback == ConflictStrategy::Merge)
        return Status::failure(QStringLiteral("merge cannot be its own fallback ('%1')").arg(target));
    if (parts.size() == 1) {
        m_entityDefaults.insert(entity->name, strategy);
        return Status::success();
    }
    if (!entity->field(parts.at(1)))
        return Status::failure(QStringLiteral("'%1' is not a synchronised field of %2 (fields: %3)")
                                   .arg(parts.at(1), entity->name, entity->fieldNames().join(QStringLiteral(", "))));
    m_fieldRules.insert(target, strategy);
    return Status::success();
}

Result<ConflictPolicy> ConflictPolicy::parse(const QStringList &rules, const ConflictPolicy &base)
{
    ConflictPolicy policy = base;
    for (const QString &rawRule : rules) {
        const QString rule = rawRule.trimmed();
        if (rule.isEmpty())
            continue;
        const qsizetype eq = rule.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return Result<ConflictPolicy>::failure(
                QStringLiteral("conflict rule '%1' is not of the form entity[.field]=strategy[/fallback]").arg(rule));
        const QString target = rule.left(eq).trimmed();
        const QStringList strategyParts = rule.mid(eq + 1).trimmed().split(QLatin1Char('/'));
        const auto strategy = conflictStrategyFromString(strategyParts.value(0).trimmed());
        const auto fallback = strategyParts.size() > 1 ? conflictStrategyFromString(strategyParts.at(1).trimmed())
                                                       : std::optional(ConflictStrategy::LatestWins);
        if (!strategy || !fallback || strategyParts.size() > 2)
            return Result<ConflictPolicy>::failure(
                QStringLiteral("conflict rule '%1': strategies are latest_wins, manual_review, merge, preserve_both")
                    .arg(rule));
        if (Status set = policy.setRule(target, {*strategy, *fallback}); !set)
            return Result<ConflictPolicy>::failure(QStringLiteral("conflict rule '%1': %2").arg(rule, set.error()));
    }
    return Result<ConflictPolicy>::success(policy);
}

FieldStrategy ConflictPolicy::strategyFor(const QString &entity, const QString &field) const
{
    const auto rule = m_fieldRules.constFind(entity + QLatin1Char('.') + field);
    if (rule != m_fieldRules.cend())
        return rule.value();
    return m_entityDefaults.value(entity, FieldStrategy{});
}

QStringList ConflictPolicy::rules() const
{
    QStringList out;
    const auto render = [](const QString &target, const FieldStrategy &strategy) {
        QString text = target + QLatin1Char('=') + toString(strategy.strategy);
        if (strategy.strategy == ConflictStrategy::Merge)
            text += QLatin1Char('/') + toString(strategy.fallback);
        return text;
    };
    for (auto it = m_entityDefaults.cbegin(); it != m_entityDefaults.cend(); ++it)
        out << render(it.key(), it.value());
    for (auto it = m_fieldRules.cbegin(); it != m_fieldRules.cend(); ++it)
        out << render(it.key(), it.value());
    return out;
}

} // namespace syncdesk
