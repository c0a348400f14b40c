#pragma once

#include "config/databaseurl.h"
#include "testcluster.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <memory>

namespace syncdesk {
class ConnectionProvider;
}

namespace syncdesk::test {

// A fresh database of the test cluster for one test case, dropped when the object goes away.
// Migrated (a copy of the fixture's template, so it is instant) or empty (for migration tests).
class TestDatabase
{
public:
    enum class Content
    {
        Migrated,
        Empty
    };

    explicit TestDatabase(Content content = Content::Migrated);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    bool isReady() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString name() const { return m_name; }
    const DatabaseUrl &url() const { return m_url; }
    const TestCluster &cluster() const { return m_cluster; }

    // Connections for any thread (each thread gets its own).
    std::shared_ptr<ConnectionProvider> connections() const { return m_connections; }
    // The calling thread's connection.
    QSqlDatabase db() const;

    // Shorthands for test bodies; a failing statement fails the current test with the server's message.
    QVariant value(const QString &statement, const QVariantList &values = {}) const;
    bool exec(const QString &statement, const QVariantList &values = {}) const;
    // Runs a script of the source tree (path relative to it, "examples/chatwoot-zammad/zammad.sql").
    bool runScript(const QString &path) const;
    // A file of the source tree, by its path relative to it.
    static QString sourceFile(const QString &path);
    QList<QVariantList> rows(const QString &statement, const QVariantList &values = {}) const;

private:
    TestCluster m_cluster;
    QString m_name;
    DatabaseUrl m_url;
    QString m_error;
    std::shared_ptr<ConnectionProvider> m_connections;
};

} // namespace syncdesk::test
