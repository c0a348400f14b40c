#include "testdatabase.h"

#include "database/connectionprovider.h"
#include "database/sql.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlRecord>
#include <QTest>
#include <QUuid>

namespace syncdesk::test {

namespace {

// The admin connection lives on the test's main thread for the whole run, and goes with the
// application object (static destructors would run after Qt SQL's own globals are gone).
ConnectionProvider *g_admin = nullptr;

Result<QSqlDatabase> adminConnection(const TestCluster &cluster)
{
    if (!g_admin) {
        g_admin = new ConnectionProvider(cluster.adminUrl, QStringLiteral("test-admin"));
        qAddPostRoutine([]() {
            delete g_admin;
            g_admin = nullptr;
        });
    }
    return g_admin->database();
}

} // namespace

TestDatabase::TestDatabase(Content content)
{
    auto cluster = TestCluster::fromEnvironment();
    if (!cluster) {
        m_error = cluster.error();
        return;
    }
    m_cluster = cluster.value();
    auto admin = adminConnection(m_cluster);
    if (!admin) {
        m_error = admin.error();
        return;
    }
    m_name = QStringLiteral("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
    const QString source =
        content == Content::Migrated ? m_cluster.templateDatabase : QStringLiteral("template0");
    if (Status created =
            sql::exec(admin.value(), QStringLiteral("CREATE DATABASE %1 TEMPLATE %2")
                                         .arg(sql::quoteIdentifier(m_name), sql::quoteIdentifier(source)));
        !created) {
        m_error = QStringLiteral("cannot create test database: %1").arg(created.error());
        return;
    }
    m_url = m_cluster.adminUrl.withDatabase(m_name);
    m_connections = std::make_shared<ConnectionProvider>(m_url, QStringLiteral("test"));
}

TestDatabase::~TestDatabase()
{
    if (m_name.isEmpty())
        return;
    m_connections.reset();
    if (auto admin = adminConnection(m_cluster))
        sql::exec(
            admin.value(),
            QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(sql::quoteIdentifier(m_name)));
}

QSqlDatabase TestDatabase::db() const
{
    if (!m_connections)
        return {};
    auto connection = m_connections->database();
    if (!connection) {
        QTest::qFail(qPrintable(connection.error()), __FILE__, __LINE__);
        return {};
    }
    return connection.value();
}

QVariant TestDatabase::value(const QString &statement, const QVariantList &values) const
{
    QSqlDatabase connection = db();
    auto result = sql::scalar(connection, statement, values);
    if (!result) {
        QTest::qFail(qPrintable(QStringLiteral("%1\n   in: %2").arg(result.error(), statement)), __FILE__,
                     __LINE__);
        return {};
    }
    return result.value();
}

bool TestDatabase::exec(const QString &statement, const QVariantList &values) const
{
    QSqlDatabase connection = db();
    Status done = sql::exec(connection, statement, values);
    if (!done)
        QTest::qFail(qPrintable(QStringLiteral("%1\n   in: %2").arg(done.error(), statement)), __FILE__,
                     __LINE__);
    return done.ok();
}

QString TestDatabase::sourceFile(const QString &path)
{
    return qEnvironmentVariable("SYNCDESK_SOURCE_DIR") + QLatin1Char('/') + path;
}

bool TestDatabase::runScript(const QString &path) const
{
    QFile file(sourceFile(path));
    if (!file.open(QIODevice::ReadOnly)) {
        QTest::qFail(qPrintable(QStringLiteral("cannot read %1").arg(file.fileName())), __FILE__, __LINE__);
        return false;
    }
    QSqlDatabase connection = db();
    Status done = sql::executeScript(connection, file.readAll());
    if (!done)
        QTest::qFail(qPrintable(QStringLiteral("%1\n   in: %2").arg(done.error(), path)), __FILE__, __LINE__);
    return done.ok();
}

QList<QVariantList> TestDatabase::rows(const QString &statement, const QVariantList &values) const
{
    QSqlDatabase connection = db();
    auto result = sql::run(connection, statement, values);
    QList<QVariantList> out;
    if (!result) {
        QTest::qFail(qPrintable(QStringLiteral("%1\n   in: %2").arg(result.error(), statement)), __FILE__,
                     __LINE__);
        return out;
    }
    QSqlQuery &query = result.value();
    while (query.next()) {
        QVariantList row;
        for (int i = 0; i < query.record().count(); ++i)
            row << query.value(i);
        out << row;
    }
    return out;
}

} // namespace syncdesk::test
