#pragma once

#include "core/result.h"
#include "schema/migration.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace syncdesk {

struct MigrationReport
{
    QStringList applied;   // names of the migrations this run applied, in order
    int schemaVersion = 0; // the database's version afterwards
};

// Brings a database's schema up to the migrations shipped with the binary. Each migration runs in
// its own transaction and is recorded with its checksum in sync.schema_migrations; an advisory lock
// makes instances that start together migrate once. Refuses a database whose applied migrations
// were changed since, or that is newer than this binary.
class Migrator
{
public:
    explicit Migrator(QList<Migration> migrations);
    // The migrations compiled into SyncDesk (resources/migrations).
    static QList<Migration> bundled();

    Result<MigrationReport> migrate(QSqlDatabase &db) const;
    int latestVersion() const;

private:
    Result<MigrationReport> migrateLocked(QSqlDatabase &db) const;

    QList<Migration> m_migrations;
};

} // namespace syncdesk
