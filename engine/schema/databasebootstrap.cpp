#include "schema/databasebootstrap.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"
#include "schema/captureinstaller.h"
#include "schema/mappingcheck.h"
#include "schema/mappinglookups.h"
#include "schema/migrator.h"

namespace syncdesk {

DatabaseBootstrap::DatabaseBootstrap(SyncSettings settings)
    : m_settings(std::move(settings))
{}

DatabaseBootstrap::~DatabaseBootstrap()
{
    if (Status stopped = stop(); !stopped)
        qCWarning(lcDatabase).noquote() << stopped.error();
}

Status DatabaseBootstrap::start(bool migrate)
{
    if (m_settings.databaseUrl) {
        m_backendUrl = *m_settings.databaseUrl;
    } else {
        ClusterOptions options;
        options.dataDir = m_settings.dataDir;
        options.binDir = m_settings.pgBinDir;
        m_cluster = std::make_unique<PostgresCluster>(options);
        if (Status started = m_cluster->start(); !started) {
            m_cluster.reset();
            return started;
        }
        m_backendUrl = m_cluster->url();
        qCInfo(lcDatabase).noquote() << "using the private PostgreSQL:" << m_backendUrl.toDisplayString();
    }
    m_dashboardUrl = m_settings.dashboardDatabaseUrl.value_or(m_backendUrl);
    if (!migrate)
        return Status::success();
    if (Status migrated = migrateDatabase(m_backendUrl, QStringLiteral("backend")); !migrated)
        return migrated;
    if (separateDashboardDatabase()) {
        if (Status migrated = migrateDatabase(m_dashboardUrl, QStringLiteral("dashboard")); !migrated)
            return migrated;
    }
    return prepareMappedTables();
}

// SyncDesk's own tables get their capture from the migrations; the tables a mapping file names get
// it here, once the file holds against both databases.
Status DatabaseBootstrap::prepareMappedTables()
{
    const Mapping &mapping = *m_settings.mapping;
    if (mapping.isBuiltIn())
        return Status::success();
    ConnectionProvider backend(m_backendUrl, QStringLiteral("mapping"));
    ConnectionProvider dashboard(m_dashboardUrl, QStringLiteral("mapping-dashboard"));
    auto backendDb = backend.database();
    if (!backendDb)
        return Status::failure(backendDb.error());
    auto dashboardDb = separateDashboardDatabase() ? dashboard.database() : backendDb;
    if (!dashboardDb)
        return Status::failure(dashboardDb.error());
    auto problems = MappingCheck(mapping, backendDb.value(), dashboardDb.value()).run();
    if (!problems)
        return Status::failure(problems.error());
    if (!problems->isEmpty())
        return Status::failure(QStringLiteral("the mapping %1 does not hold against the databases:\n%2")
                                   .arg(mapping.source, problems->join(QLatin1Char('\n'))));
    auto installed = CaptureInstaller(mapping).install(backendDb.value(), dashboardDb.value());
    if (!installed)
        return Status::failure(installed.error());
    auto resolved = MappingLookups::resolve(mapping, backendDb.value(), dashboardDb.value());
    if (!resolved)
        return Status::failure(resolved.error());
    m_settings.mapping = std::make_shared<const Mapping>(std::move(resolved).value());
    return Status::success();
}

Status DatabaseBootstrap::migrateDatabase(const DatabaseUrl &url, const QString &role)
{
    ConnectionProvider connections(url, role);
    auto db = connections.database();
    if (!db)
        return Status::failure(db.error());
    auto report = Migrator(Migrator::bundled()).migrate(db.value());
    if (!report)
        return Status::failure(
            QStringLiteral("%1 database %2: %3").arg(role, url.toDisplayString(), report.error()));
    for (const QString &name : report->applied)
        m_applied << role + QStringLiteral(": ") + name;
    m_schemaVersion = report->schemaVersion;
    // New days need their outbox partitions; the cleanup task keeps this going while running.
    if (Status partitions = sql::exec(db.value(), QStringLiteral("SELECT sync.ensure_outbox_partitions()"));
        !partitions)
        return Status::failure(
            QStringLiteral("%1 database: cannot create outbox partitions: %2").arg(role, partitions.error()));
    if (role == QLatin1String("dashboard")) {
        if (Status numbered = sql::exec(db.value(), QStringLiteral("SELECT sync.number_events_as_dashboard_database()"));
            !numbered)
            return Status::failure(QStringLiteral("dashboard database: %1").arg(numbered.error()));
    }
    return Status::success();
}

Status DatabaseBootstrap::stop()
{
    if (!m_cluster)
        return Status::success();
    Status stopped = m_cluster->stop();
    m_cluster.reset();
    return stopped;
}

} // namespace syncdesk
