#pragma once

#include "core/result.h"
#include "sync/reconciledrecord.h"

#include <QList>
#include <QSqlDatabase>

namespace syncdesk {

// Writes what a batch did into sync.conflicts and sync.history: one statement each per batch.
class SyncJournal
{
public:
    explicit SyncJournal(QSqlDatabase db);

    Status recordConflicts(const QList<ReconciledRecord> &records);
    Status recordHistory(const QList<ReconciledRecord> &records);

private:
    QSqlDatabase m_db;
};

} // namespace syncdesk
