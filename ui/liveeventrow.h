#pragma once

#include "sync/liveevent.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace syncdesk::ui {

// One line of the live view, prepared once when it arrives (the view shows it many times, the filter
// tests it many times): where it came from, what it is about, its state and a sentence for people.
struct LiveEventRow
{
    Q_DECLARE_TR_FUNCTIONS(syncdesk::ui::LiveEventRow)

public:
    QDateTime at;
    QString kind;   // the engine's kind: record_synced, conflict, event_dead, ...
    QString side;   // where the change came from: backend, dashboard, both; empty when it does not apply
    QString entity; // customer, ticket, conversation, task
    QString status; // synced, conflict, resolved, failed, dead, retried, info
    QString record; // "B 12 / D 34"
    QString summary;
    qint64 eventId = 0; // the captured change (failed and dead events), for retries and the detail
    qint64 backendId = 0;
    qint64 dashboardId = 0;
    QJsonObject payload;

    static LiveEventRow fromLiveEvent(const LiveEvent &event);
    // A row of EventQueries (sync.outbox), e.g. the dead events there already are when the view opens.
    static LiveEventRow fromOutboxEvent(const QJsonObject &event);
    // Text filter: whether `needle` (lower case) occurs in the summary, record, kind or entity.
    bool matches(const QString &needle) const;
    static QString kindTitle(const QString &kind);
    static QString statusTitle(const QString &status);
    static QString sideTitle(const QString &side);
    static QString entityTitle(const QString &entity);
};

} // namespace syncdesk::ui
