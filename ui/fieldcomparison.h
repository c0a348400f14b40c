#pragma once

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace syncdesk::ui {

// One line of a field-by-field comparison: the field, its value in each column, which cells differ
// from the first column (before, baseline), and whether the line is the one that matters most
// (the conflict's own field).
struct ComparisonRow
{
    QString field;
    QStringList values;
    QList<bool> changed; // per value; the first column is the reference
    bool emphasized = false;

    bool anyChanged() const { return changed.contains(true); }
};

// Builds the comparisons the window shows: a record before and after a change, a conflict's
// baseline against both sides, two linked records side by side.
class FieldComparison
{
    Q_DECLARE_TR_FUNCTIONS(syncdesk::ui::FieldComparison)

public:
    // Before and after images of a change; fields listed in `changedFields` are marked even when
    // their values print alike. Fields come in the order of `order` first, then alphabetically.
    static QList<ComparisonRow> beforeAfter(const QJsonObject &before, const QJsonObject &after,
                                            const QStringList &changedFields = {},
                                            const QStringList &order = {});
    // ConflictRecordQueries::detail()'s "fields": baseline, backend, dashboard; a side's cell is
    // marked when it differs from the baseline.
    static QList<ComparisonRow> conflictFields(const QJsonArray &fields);
    // Two linked records (canonical field names) side by side; both cells are marked where they differ.
    static QList<ComparisonRow> sideBySide(const QJsonObject &backend, const QJsonObject &dashboard,
                                           const QStringList &fields);

    // Whether two values mean the same (sets compare without order, null equals a missing value).
    static bool same(const QJsonValue &a, const QJsonValue &b);
    // How a value reads in a cell: "—" for none, lists comma-separated, objects as compact JSON.
    static QString display(const QJsonValue &value);
};

} // namespace syncdesk::ui
