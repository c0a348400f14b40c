#pragma once

#include "config/databaseurl.h"
#include "config/syncsettings.h"
#include "core/result.h"
#include "database/postgrescluster.h"

#include <QStringList>

#include <memory>

namespace syncdesk {

// Gets SyncDesk a migrated database: the configured server (DATABASE_URL, and DASHBOARD_DATABASE_URL
// when the dashboard lives apart), or the private cluster in the data folder when none is configured.
// Blocking; used once at start-up by every mode (GUI, headless, admin commands).
class DatabaseBootstrap
{
public:
    explicit DatabaseBootstrap(SyncSettings settings);
    ~DatabaseBootstrap();

    // Starts the private cluster when needed, then migrates (unless `migrate` is false).
    Status start(bool migrate = true);
    // Stops the private cluster if this bootstrap started it.
    Status stop();

    DatabaseUrl backendUrl() const { return m_backendUrl; }
    DatabaseUrl dashboardUrl() const { return m_dashboardUrl; }
    bool separateDashboardDatabase() const { return !(m_backendUrl == m_dashboardUrl); }
    bool usesPrivateCluster() const { return m_cluster != nullptr; }
    PostgresCluster *cluster() const { return m_cluster.get(); }
    // Migrations applied by start(), per database ("backend: 0001_...").
    QStringList appliedMigrations() const { return m_applied; }
    int schemaVersion() const { return m_schemaVersion; }
    // The mapping in effect, its lookup tables read (after start()).
    std::shared_ptr<const Mapping> mapping() const { return m_settings.mapping; }

private:
    Status migrateDatabase(const DatabaseUrl &url, const QString &role);
    Status prepareMappedTables();

    SyncSettings m_settings;
    std::unique_ptr<PostgresCluster> m_cluster;
    DatabaseUrl m_backendUrl;
    DatabaseUrl m_dashboardUrl;
    QStringList m_applied;
    int m_schemaVersion = 0;
};

} // namespace syncdesk
