#pragma once

#include "conflicts/conflictresolver.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace syncdesk::ui {

// What a person can do with one conflict, and the engine decision each choice means. The conflicts
// page and its dialogs only ask this class; the rules live here, with unit tests.
class ConflictActions
{
    Q_DECLARE_TR_FUNCTIONS(syncdesk::ui::ConflictActions)

public:
    enum class Action
    {
        UseBackend,      // the product's value on both sides
        UseDashboard,    // the helpdesk's value on both sides
        Merge,           // both sides' changes merged (sets); not for text
        KeepBoth,        // text: both values in one ("A / B"); sets: every value of both; deleted: restore
        EditValue,       // a value the person types
        LatestWins,      // the side that changed last
        DeleteOtherSide, // deleted record: delete the survivor too
        Restore,         // deleted record: recreate the deleted one
        CreateAnyway,    // possible duplicate: different people, create the new one's counterpart
        KeepApart,       // possible duplicate: the new record stays on its own side
    };

    // `conflict` as ConflictQueries returns it (kind, entity, field, baseline/backend/dashboard values,
    // status).
    explicit ConflictActions(QJsonObject conflict);

    bool isOpen() const;
    bool isDeletion() const;
    bool isDuplicate() const;
    // A field conflict held because the value is another record's address on the side it would go to:
    // that side ("backend", "dashboard"); empty for any other conflict.
    QString addressTakenOn() const;
    // The conflict is about whole records (deleted, possible duplicate), not one field.
    bool isAboutRecords() const { return isDeletion() || isDuplicate(); }
    QString fieldKind() const; // text, set, object; empty for deletions and unknown fields
    QList<Action> available() const;
    bool allows(Action action) const { return available().contains(action); }
    // Why an action is not offered, for the button's tooltip; empty when it is.
    QString whyNot(Action action) const;

    // The decision for `action`; EditValue reads `typed` (sets: comma-separated; empty text clears the
    // field).
    Result<ConflictDecision> decision(Action action, const QString &typed = {}) const;
    // What the field would read after `action` when that can be known beforehand (for confirmations).
    QString preview(Action action, const QString &typed = {}) const;
    // The text an editor starts with: the helpdesk's value (the side agents work in), sets comma-separated.
    QString initialText() const;

    static QString title(Action action);
    // The engine's resolution name ("backend", "merge", ...) for people.
    static QString resolutionTitle(const QString &resolution);
    static QList<Action> bulkActions(); // the ones that make sense for many conflicts at once
    // The decision a bulk action means for every conflict it applies to; a failure for actions that
    // need one conflict's values (keep both, edit value).
    static Result<ConflictDecision> bulkDecision(Action action);

private:
    QJsonValue keepBothValue() const;
    bool freeText() const;

    QJsonObject m_conflict;
};

} // namespace syncdesk::ui
