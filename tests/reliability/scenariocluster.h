#pragma once

#include "config/databaseurl.h"

#include <QString>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>

namespace syncdesk {
class ConnectionProvider;
class PostgresCluster;
} // namespace syncdesk

namespace syncdesk::test {

// A PostgreSQL server of one crash scenario, in a folder of its own: the scenarios stop and crash it,
// which the shared test cluster must never see. Migrated on first start.
class ScenarioCluster
{
public:
    explicit ScenarioCluster(const QString &name);
    ~ScenarioCluster();

    bool start();
    // The postmaster gets SIGQUIT: what `pg_ctl stop -m immediate` does (no checkpoint; the next start
    // recovers from the write-ahead log).
    bool stopImmediately();
    // A clean (fast) shutdown.
    bool stop();

    DatabaseUrl url() const;
    // Connections of this (the suite's) process.
    std::shared_ptr<ConnectionProvider> connections() const { return m_connections; }
    QVariant value(const QString &statement) const;
    bool exec(const QString &statement) const;
    QString error() const { return m_error; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PostgresCluster> m_cluster;
    std::shared_ptr<ConnectionProvider> m_connections;
    mutable QString m_error;
};

} // namespace syncdesk::test
