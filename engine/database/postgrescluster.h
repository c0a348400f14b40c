#pragma once

#include "config/databaseurl.h"
#include "core/result.h"
#include "database/pgbinaries.h"
#include "database/serveraccount.h"

#include <QMap>
#include <QString>

#include <optional>

namespace syncdesk {

struct ClusterOptions
{
    QString dataDir; // the cluster lives in <dataDir>/pg, its socket in <dataDir>/run
    QString binDir;  // SYNC_PG_BINDIR; empty: search
    int port = 5432; // only names the socket file; no TCP port is opened
    QString superuser = QStringLiteral("syncdesk");
    QString database = QStringLiteral("syncdesk"); // created after start when missing
    bool durable = true; // false (tests, benchmarks): no fsync, survives process crashes only
    QMap<QString, QString> serverSettings; // extra postgresql.conf settings
    QString accountWhenRoot = QStringLiteral("postgres");
};

// SyncDesk's private PostgreSQL (as Akonadi runs its own MySQL): initdb on first use, pg_ctl start on
// a Unix socket inside the data folder, stop on exit. Recovers after crashes: a stale postmaster.pid
// is left to PostgreSQL's own check, a server orphaned by a crashed SyncDesk is restarted, and a
// server that another program started is never touched.
// Blocking: call it at start-up or from a worker thread, never from the GUI thread.
class PostgresCluster
{
public:
    explicit PostgresCluster(ClusterOptions options);
    ~PostgresCluster();
    PostgresCluster(const PostgresCluster &) = delete;
    PostgresCluster &operator=(const PostgresCluster &) = delete;

    Status start();
    // Stops the server if this object started it.
    Status stop();
    // Leaves a server this object started running after it is gone (the test fixture's cluster
    // outlives the fixture tool). A later start() treats it as orphaned and restarts it.
    void keepRunning() { m_startedByUs = false; }
    // Stops whatever server runs on this data folder, whoever started it.
    Status stopRunningServer();
    bool isRunning() const;

    DatabaseUrl url() const { return urlFor(m_options.database); }
    DatabaseUrl urlFor(const QString &database) const;
    QString pgDataDir() const { return m_pgData; }
    QString socketDir() const { return m_socketDir; }
    QString logFile() const { return m_pgData + QStringLiteral("/server.log"); }
    // The postmaster's process id while running (0 otherwise).
    qint64 postmasterPid() const;

private:
    Status prepareFolders();
    Status initializeIfNeeded();
    Status writeServerSettings();
    Status handleExistingServer();
    void waitForLeftoverProcesses();
    Status startServer();
    Status ensureDatabase();
    Status resolvePrograms();
    Status pgCtlStop();
    Result<QString> runProgram(const QString &program, const QStringList &arguments, int timeoutMs);
    QString ownerFile() const { return m_options.dataDir + QStringLiteral("/cluster.owner"); }

    ClusterOptions m_options;
    QString m_pgData;
    QString m_socketDir;
    std::optional<PgBinaries> m_binaries;
    std::optional<ServerAccount> m_account;
    bool m_startedByUs = false;
};

} // namespace syncdesk
