#pragma once

#include "core/result.h"
#include "queries/readconnections.h"

#include <QSqlQuery>
#include <QString>
#include <QVariantList>

namespace syncdesk {

// The read models compare both systems in one statement. With the helpdesk in a database of its own,
// its customers, tickets and waiting changes are copied (COPY, streamed) into temporary tables of the
// reading session, at most every `maxAgeMs`, and the statement reads those instead. A list is then at
// most that old on the helpdesk's side; a copy of 500,000 customers takes about 1.3 s (docs/benchmarks.md).
class HelpdeskMirror
{
public:
    // `statement` as it reads the helpdesk on `db.backend`: unchanged with one database; with two,
    // dashboard.customers, dashboard.tickets and the queue's waiting changes point at the copies.
    static Result<QString> statement(ReadConnections &db, const QString &statement, int maxAgeMs = 2000);
    // Runs `statement`, so rewritten, on `db.backend`.
    static Result<QSqlQuery> run(ReadConnections &db, const QString &statement,
                                 const QVariantList &values = {});

private:
    static Status refresh(ReadConnections &db);
};

} // namespace syncdesk
