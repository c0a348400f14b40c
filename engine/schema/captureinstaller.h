#pragma once

#include "core/result.h"
#include "model/mapping.h"

#include <QSqlDatabase>
#include <QStringList>

namespace syncdesk {

// Installs, or brings up to date, the change capture of the tables a mapping file names: the same
// generated triggers SyncDesk's own tables get from the migrations, tracking only the columns the
// mapping syncs (its key, fields and owner column), so that an edit to a column nobody syncs is no
// event. A table whose triggers are present and track the same columns is left alone; anything else
// is (re)installed in one transaction per table. Blocking; used at start-up.
class CaptureInstaller
{
public:
    explicit CaptureInstaller(const Mapping &mapping);

    // The tables whose capture was (re)installed ("backend: crm.contacts"). `dashboard` may be
    // `backend` (one database).
    Result<QStringList> install(QSqlDatabase backend, QSqlDatabase dashboard) const;
    static QStringList trackedColumns(const EntityDefinition &entity, bool backendSide);

private:
    Result<bool> installTable(QSqlDatabase &db, const EntityDefinition &entity, bool backendSide) const;

    const Mapping &m_mapping;
};

} // namespace syncdesk
