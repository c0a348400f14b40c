#pragma once

#include "core/result.h"

#include <QSqlDatabase>
#include <QStringList>

namespace syncdesk {

// Takes SyncDesk out of a database: the triggers it put on tables (its own and mapped ones) and its
// `sync` schema (queue, links, baselines, conflicts, history, its functions). Users' tables, their
// rows and definitions stay as they are. Blocking; one transaction, so it is all or nothing.
class Uninstaller
{
public:
    explicit Uninstaller(QSqlDatabase db);

    // What run() would remove, one line each ("trigger syncdesk_capture on crm.contacts").
    Result<QStringList> plan();
    // Removes it; returns what was removed.
    Result<QStringList> run();

private:
    QSqlDatabase m_db;
};

} // namespace syncdesk
