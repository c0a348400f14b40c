#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace syncdesk {

// The day before the demo starts, as SyncDesk would have recorded it, so that the window shows what a
// day looks like from the first minute: the changes both systems made and when each was applied (busy
// in office hours, quiet at night, and a twenty-minute outage of the helpdesk whose queue drained when
// it came back), a consistency check every hour, and the day's conflicts: most settled by their rule or
// by an agent, a few still waiting for a person (with both systems' records differing to match).
// Written by the demo seeder inside its transactions, after the records; the same seed gives the same day.
class DemoHistory
{
public:
    // `scale`: the day's traffic relative to the default demo of 300 customers.
    DemoHistory(quint32 seed, const QDateTime &now, double scale);

    Status write(QSqlDatabase &backend, QSqlDatabase &dashboard) const;

    // When the helpdesk's database could not be reached, and for how long.
    QDateTime outageStart() const;
    static constexpr int kOutageMinutes = 20;

private:
    // The day's captured and applied changes of `side` into `db`'s queue.
    Status writeQueue(QSqlDatabase &db, const QString &side) const;
    Status writeConflicts(QSqlDatabase &backend, QSqlDatabase &dashboard) const;
    Status writeChecks(QSqlDatabase &backend) const;

    quint32 m_seed;
    QDateTime m_now;
    double m_scale;
};

} // namespace syncdesk
