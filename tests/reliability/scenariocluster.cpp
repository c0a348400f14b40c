#include "scenariocluster.h"

#include "database/connectionprovider.h"
#include "database/postgrescluster.h"
#include "database/sql.h"
#include "schema/migrator.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QThread>

#include <csignal>

namespace syncdesk::test {

ScenarioCluster::ScenarioCluster(const QString &name)
    : m_dir(QDir::tempPath() + QStringLiteral("/syncdesk-crash-%1-XXXXXX").arg(name))
{
    // When the suite runs as root, the server runs as postgres and must pass through this folder.
    QFile::setPermissions(m_dir.path(), QFile::permissions(m_dir.path()) | QFileDevice::ExeOther | QFileDevice::ReadOther);
    ClusterOptions options;
    options.dataDir = m_dir.path();
    // Without fsync: a crash of the server (not of the machine) loses nothing PostgreSQL wrote.
    options.durable = false;
    m_cluster = std::make_unique<PostgresCluster>(options);
}

ScenarioCluster::~ScenarioCluster()
{
    m_connections.reset();
    if (m_cluster)
        m_cluster->stopRunningServer();
}

bool ScenarioCluster::start()
{
    if (Status started = m_cluster->start(); !started) {
        m_error = started.error();
        return false;
    }
    if (!m_connections)
        m_connections = std::make_shared<ConnectionProvider>(m_cluster->url(), QStringLiteral("crash-suite"));
    // After a restart this thread's connection is the old server's: its first use fails and the
    // provider opens a new one.
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto db = m_connections->database();
        if (!db) {
            m_error = db.error();
            continue;
        }
        if (auto migrated = Migrator(Migrator::bundled()).migrate(db.value()); !migrated) {
            m_error = migrated.error();
            continue;
        }
        return true;
    }
    return false;
}

bool ScenarioCluster::stopImmediately()
{
    const qint64 pid = m_cluster->postmasterPid();
    if (pid <= 0 || ::kill(pid_t(pid), SIGQUIT) != 0)
        return false;
    QDeadlineTimer deadline(30000);
    while (m_cluster->isRunning() && !deadline.hasExpired())
        QThread::msleep(50);
    return !m_cluster->isRunning();
}

bool ScenarioCluster::stop()
{
    return m_cluster->stopRunningServer().ok();
}

DatabaseUrl ScenarioCluster::url() const
{
    return m_cluster->url();
}

QVariant ScenarioCluster::value(const QString &statement) const
{
    auto db = m_connections->database();
    auto result = db ? sql::scalar(db.value(), statement) : Result<QVariant>::failure(db.error());
    if (!result) {
        m_error = result.error();
        return {};
    }
    return result.value();
}

bool ScenarioCluster::exec(const QString &statement) const
{
    auto db = m_connections->database();
    Status done = db ? sql::exec(db.value(), statement) : Status::failure(db.error());
    if (!done)
        m_error = done.error();
    return done.ok();
}

} // namespace syncdesk::test
