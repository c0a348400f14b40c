#pragma once

#include "sync/fieldreconciler.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace syncdesk {

// What reconciling one record did: for the history, the event handlers and the live view.
struct ReconciledRecord
{
    QString entity;
    // updated, unchanged, linked, created_in_backend, created_in_dashboard, deleted_in_backend,
    // deleted_in_dashboard, delete_propagated, held_as_duplicate (a possible duplicate awaits a
    // decision), waiting (a decision about it or its owner awaits)
    QString action;
    qint64 linkId = 0;
    qint64 backendId = 0;
    qint64 dashboardId = 0;
    QStringList toBackend;
    QStringList toDashboard;
    QJsonObject baselineBefore; // canonical field values both sides agreed on before, and after
    QJsonObject baselineAfter;
    QJsonObject backendRow; // current rows (column names), as written
    QJsonObject dashboardRow;
    QList<FieldConflict> conflicts;
    QList<qint64> eventIds;
    QString changedOn; // backend, dashboard, both: where the changes that started this came from

    QString direction() const
    {
        if (!toBackend.isEmpty() && !toDashboard.isEmpty())
            return QStringLiteral("both");
        if (!toBackend.isEmpty() || action == QLatin1String("created_in_backend"))
            return QStringLiteral("to_backend");
        if (!toDashboard.isEmpty() || action == QLatin1String("created_in_dashboard"))
            return QStringLiteral("to_dashboard");
        return QStringLiteral("none");
    }
    // Nothing was done because a person's decision about the record waits (it has no counterpart).
    bool isHeld() const
    {
        return action == QLatin1String("held_as_duplicate") || action == QLatin1String("waiting");
    }
    // Whether the canonical value of `field` changed in this reconciliation (old and new baselines).
    bool fieldChanged(const QString &field) const { return baselineBefore.value(field) != baselineAfter.value(field); }
};

} // namespace syncdesk
