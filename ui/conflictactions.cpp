#include "ui/conflictactions.h"

#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "ui/fieldcomparison.h"

#include <QJsonArray>

namespace syncdesk::ui {

namespace {

using Action = ConflictActions::Action;

QString str(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString();
}

} // namespace

ConflictActions::ConflictActions(QJsonObject conflict)
    : m_conflict(std::move(conflict))
{}

bool ConflictActions::isOpen() const
{
    return m_conflict.value(QLatin1String("status")).toString() == QLatin1String("open");
}

bool ConflictActions::isDeletion() const
{
    return m_conflict.value(QLatin1String("kind")).toString() == QLatin1String("deleted");
}

bool ConflictActions::isDuplicate() const
{
    return m_conflict.value(QLatin1String("kind")).toString() == QLatin1String("duplicate");
}

QString ConflictActions::addressTakenOn() const
{
    const QJsonObject details = m_conflict.value(QLatin1String("details")).toObject();
    return details.value(QLatin1String("reason")).toString() == QLatin1String("address_taken")
               ? details.value(QLatin1String("taken_on")).toString()
               : QString();
}

QString ConflictActions::fieldKind() const
{
    if (isAboutRecords())
        return {};
    const EntityDefinition *entity =
        Mapping::builtIn().entity(m_conflict.value(QLatin1String("entity")).toString());
    const FieldDefinition *field =
        entity ? entity->field(m_conflict.value(QLatin1String("field")).toString()) : nullptr;
    if (!field)
        return {};
    switch (field->kind) {
    case FieldDefinition::Kind::Text:
        return QStringLiteral("text");
    case FieldDefinition::Kind::TextSet:
        return QStringLiteral("set");
    case FieldDefinition::Kind::JsonObject:
        return QStringLiteral("object");
    }
    return {};
}

bool ConflictActions::freeText() const
{
    // Values that identify a record or come from a fixed list cannot hold two values at once.
    static const QStringList singleValued{QStringLiteral("email"), QStringLiteral("locale"),
                                          QStringLiteral("status"), QStringLiteral("priority"),
                                          QStringLiteral("category")};
    return fieldKind() == QLatin1String("text") &&
           !singleValued.contains(m_conflict.value(QLatin1String("field")).toString());
}

QList<Action> ConflictActions::available() const
{
    if (!isOpen())
        return {};
    if (isDeletion())
        return {Action::DeleteOtherSide, Action::Restore, Action::KeepBoth};
    if (isDuplicate()) // the engine refuses "create anyway" while the other side has the very address
        return {Action::CreateAnyway, Action::KeepApart};
    const QString kind = fieldKind();
    if (kind.isEmpty())
        return {};
    QList<Action> actions{Action::UseBackend, Action::UseDashboard};
    if (kind == QLatin1String("set") || kind == QLatin1String("object"))
        actions << Action::Merge;
    if (kind == QLatin1String("set") || freeText())
        actions << Action::KeepBoth;
    actions << Action::EditValue << Action::LatestWins;
    return actions;
}

QString ConflictActions::whyNot(Action action) const
{
    if (allows(action))
        return {};
    if (!isOpen())
        return tr("This conflict is already settled.");
    if (isDeletion())
        return tr("A deleted record is settled by deleting the other one too or restoring it.");
    if (isDuplicate())
        return tr("A possible duplicate is settled by creating it anyway or keeping it apart.");
    if (action == Action::CreateAnyway || action == Action::KeepApart)
        return tr("Only for possible duplicates.");
    if (action == Action::Merge)
        return tr("Text cannot be merged: choose a side, keep both or type the value.");
    if (action == Action::KeepBoth)
        return tr("This field holds one value only: choose a side or type the value.");
    if (action == Action::DeleteOtherSide || action == Action::Restore)
        return tr("Only for records deleted on one side.");
    return tr("Not possible for this conflict.");
}

QJsonValue ConflictActions::keepBothValue() const
{
    const QJsonValue backend = m_conflict.value(QLatin1String("backend_value"));
    const QJsonValue dashboard = m_conflict.value(QLatin1String("dashboard_value"));
    if (fieldKind() == QLatin1String("set")) {
        QStringList all;
        for (const QJsonValue &side : {backend, dashboard}) {
            for (const QJsonValue &item : side.toArray()) {
                if (!all.contains(item.toString()))
                    all << item.toString();
            }
        }
        all.sort();
        return QJsonArray::fromStringList(all);
    }
    const QString a = str(backend).trimmed();
    const QString b = str(dashboard).trimmed();
    if (a.isEmpty() || a == b)
        return b.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(b);
    if (b.isEmpty())
        return a;
    // Long text (descriptions) reads better as paragraphs.
    const bool paragraphs =
        a.size() + b.size() > 80 || a.contains(QLatin1Char('\n')) || b.contains(QLatin1Char('\n'));
    return a + (paragraphs ? QStringLiteral("\n\n") : QStringLiteral(" / ")) + b;
}

Result<ConflictDecision> ConflictActions::decision(Action action, const QString &typed) const
{
    using Kind = ConflictDecision::Kind;
    using R = Result<ConflictDecision>;
    if (!allows(action))
        return R::failure(whyNot(action));
    switch (action) {
    case Action::UseBackend:
        return R::success({Kind::UseBackend, {}});
    case Action::UseDashboard:
        return R::success({Kind::UseDashboard, {}});
    case Action::Merge:
        return R::success({Kind::Merge, {}});
    case Action::LatestWins:
        return R::success({Kind::LatestWins, {}});
    case Action::DeleteOtherSide:
        return R::success({Kind::DeleteOtherSide, {}});
    case Action::Restore:
        return R::success({Kind::Restore, {}});
    case Action::CreateAnyway:
        return R::success({Kind::CreateAnyway, {}});
    case Action::KeepApart:
        return R::success({Kind::KeepApart, {}});
    case Action::KeepBoth:
        if (isDeletion())
            return R::success({Kind::Restore, {}});
        return R::success({Kind::UseValue, keepBothValue()});
    case Action::EditValue: {
        if (fieldKind() == QLatin1String("set")) {
            QStringList items;
            for (const QString &part : typed.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const QString item = part.trimmed();
                if (!item.isEmpty() && !items.contains(item))
                    items << item;
            }
            return R::success({Kind::UseValue, QJsonArray::fromStringList(items)});
        }
        const QString text = typed.trimmed();
        if (text.isEmpty() && m_conflict.value(QLatin1String("field")).toString() == QLatin1String("email"))
            return R::failure(tr("An e-mail address cannot be empty."));
        return R::success({Kind::UseValue, text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text)});
    }
    }
    return R::failure(whyNot(action));
}

QString ConflictActions::preview(Action action, const QString &typed) const
{
    switch (action) {
    case Action::UseBackend:
        return FieldComparison::display(m_conflict.value(QLatin1String("backend_value")));
    case Action::UseDashboard:
        return FieldComparison::display(m_conflict.value(QLatin1String("dashboard_value")));
    case Action::KeepBoth:
        return isDeletion() ? QString() : FieldComparison::display(keepBothValue());
    case Action::EditValue: {
        const auto chosen = decision(action, typed);
        return chosen ? FieldComparison::display(chosen->value) : QString();
    }
    default:
        return {}; // the engine works it out from the current rows
    }
}

QString ConflictActions::initialText() const
{
    const QJsonValue dashboard = m_conflict.value(QLatin1String("dashboard_value"));
    if (dashboard.isArray()) {
        QStringList items;
        for (const QJsonValue &item : dashboard.toArray())
            items << item.toString();
        return items.join(QStringLiteral(", "));
    }
    return str(dashboard);
}

QString ConflictActions::title(Action action)
{
    switch (action) {
    case Action::UseBackend:
        return tr("Use backend");
    case Action::UseDashboard:
        return tr("Use dashboard");
    case Action::Merge:
        return tr("Merge");
    case Action::KeepBoth:
        return tr("Keep both");
    case Action::EditValue:
        return tr("Edit value…");
    case Action::LatestWins:
        return tr("Latest wins");
    case Action::DeleteOtherSide:
        return tr("Delete on the other side");
    case Action::Restore:
        return tr("Restore");
    case Action::CreateAnyway:
        return tr("Create anyway");
    case Action::KeepApart:
        return tr("Keep apart");
    }
    return {};
}

QString ConflictActions::resolutionTitle(const QString &resolution)
{
    static const QHash<QString, const char *> titles{
        {QStringLiteral("backend"), QT_TR_NOOP("backend's value")},
        {QStringLiteral("dashboard"), QT_TR_NOOP("dashboard's value")},
        {QStringLiteral("value"), QT_TR_NOOP("typed value")},
        {QStringLiteral("merge"), QT_TR_NOOP("merged")},
        {QStringLiteral("latest_wins"), QT_TR_NOOP("latest wins")},
        {QStringLiteral("delete_other_side"), QT_TR_NOOP("deleted on the other side")},
        {QStringLiteral("restore"), QT_TR_NOOP("restored")},
        {QStringLiteral("preserve_both"), QT_TR_NOOP("both preserved")},
        {QStringLiteral("create_anyway"), QT_TR_NOOP("created anyway")},
        {QStringLiteral("keep_apart"), QT_TR_NOOP("kept apart")},
    };
    const auto it = titles.constFind(resolution);
    return it == titles.constEnd() ? resolution : tr(it.value());
}

QList<ConflictActions::Action> ConflictActions::bulkActions()
{
    return {Action::UseBackend, Action::UseDashboard, Action::LatestWins, Action::Merge};
}

Result<ConflictDecision> ConflictActions::bulkDecision(Action action)
{
    using Kind = ConflictDecision::Kind;
    switch (action) {
    case Action::UseBackend:
        return Result<ConflictDecision>::success({Kind::UseBackend, {}});
    case Action::UseDashboard:
        return Result<ConflictDecision>::success({Kind::UseDashboard, {}});
    case Action::LatestWins:
        return Result<ConflictDecision>::success({Kind::LatestWins, {}});
    case Action::Merge:
        return Result<ConflictDecision>::success({Kind::Merge, {}});
    default:
        return Result<ConflictDecision>::failure(
            tr("%1 needs one conflict's values; settle those one by one.").arg(title(action)));
    }
}

} // namespace syncdesk::ui
