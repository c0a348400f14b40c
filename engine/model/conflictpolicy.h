#pragma once

#include "core/result.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace syncdesk {

enum class ConflictStrategy { LatestWins, ManualReview, Merge, PreserveBoth };

// A record deleted on one side while its counterpart lives on: a person decides (review), or the
// counterpart is deleted too (propagate). SYNC_DELETE_POLICY.
enum class DeletePolicy { Review, Propagate };

QString toString(ConflictStrategy strategy);
std::optional<ConflictStrategy> conflictStrategyFromString(const QString &text);

// The strategy for a field changed on both sides to different values, and for `merge` the strategy
// to fall back on when the values cannot be merged (plain text).
struct FieldStrategy
{
    ConflictStrategy strategy = ConflictStrategy::LatestWins;
    ConflictStrategy fallback = ConflictStrategy::LatestWins;

    friend bool operator==(const FieldStrategy &, const FieldStrategy &) = default;
};

// Which strategy settles a conflict, per entity (default) and per field (override). Written as
// rules: "customer=latest_wins", "customer.email=manual_review", "customer.name=merge/manual_review".
class ConflictPolicy
{
public:
    // customer: latest_wins, email manual_review, tags merge; ticket: latest_wins, subject and
    // description manual_review.
    static ConflictPolicy defaults();
    // Applies `rules` on top of `base`; refuses unknown entities, fields and strategies.
    static Result<ConflictPolicy> parse(const QStringList &rules, const ConflictPolicy &base = defaults());

    FieldStrategy strategyFor(const QString &entity, const QString &field) const;
    // Sets one rule ("customer.phone", or "customer" for the entity default).
    Status setRule(const QString &target, const FieldStrategy &strategy);
    QStringList rules() const;

private:
    QMap<QString, FieldStrategy> m_entityDefaults;
    QMap<QString, FieldStrategy> m_fieldRules; // "customer.phone"
};

} // namespace syncdesk
