// The CTest fixture: `start <state-file>` starts one throw-away PostgreSQL cluster for the whole
// test run and migrates a template database; `stop <state-file>` stops it and removes its folder.
#include "database/connectionprovider.h"
#include "database/postgrescluster.h"
#include "database/sql.h"
#include "schema/migrator.h"
#include "testcluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace syncdesk;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "syncdesk-test-cluster: %s\n", qPrintable(message));
    return 1;
}

ClusterOptions optionsFor(const QString &dataDir)
{
    ClusterOptions options;
    options.dataDir = dataDir;
    options.durable = false; // a test cluster needs no fsync
    options.database = QStringLiteral("syncdesk_template");
    options.serverSettings.insert(QStringLiteral("max_connections"), QStringLiteral("300"));
    return options;
}

int start(const QString &stateFile)
{
    if (auto previous = test::TestCluster::read(stateFile)) {
        // A run that was interrupted left its cluster behind; stop it first.
        PostgresCluster(optionsFor(previous->dataDir)).stopRunningServer();
        QDir(previous->dataDir).removeRecursively();
        QFile::remove(stateFile);
    }
    // In /tmp, not the build folder: as root the server runs as `postgres`, which cannot enter /root.
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/syncdesk-tests-XXXXXX"));
    if (!dir.isValid())
        return fail(QStringLiteral("cannot create a temporary folder: %1").arg(dir.errorString()));
    dir.setAutoRemove(false);
    PostgresCluster cluster(optionsFor(dir.path()));
    if (Status started = cluster.start(); !started)
        return fail(started.error());
    {
        ConnectionProvider connections(cluster.url(), QStringLiteral("test-fixture"));
        auto db = connections.database();
        if (!db)
            return fail(db.error());
        auto migrated = Migrator(Migrator::bundled()).migrate(db.value());
        if (!migrated)
            return fail(migrated.error());
        db.value().close();
    }
    test::TestCluster state;
    state.dataDir = dir.path();
    state.templateDatabase = QStringLiteral("syncdesk_template");
    state.adminUrl = cluster.urlFor(QStringLiteral("postgres"));
    if (Status written = state.write(stateFile); !written)
        return fail(written.error());
    cluster.keepRunning();
    std::printf("test cluster running in %s\n", qPrintable(dir.path()));
    return 0;
}

int stop(const QString &stateFile)
{
    auto state = test::TestCluster::read(stateFile);
    if (!state)
        return 0; // nothing to stop
    PostgresCluster cluster(optionsFor(state->dataDir));
    if (Status stopped = cluster.stopRunningServer(); !stopped)
        return fail(stopped.error());
    QDir(state->dataDir).removeRecursively();
    QFile::remove(stateFile);
    std::printf("test cluster stopped\n");
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 3 ||
        (arguments.at(1) != QLatin1String("start") && arguments.at(1) != QLatin1String("stop")))
        return fail(QStringLiteral("usage: syncdesk-test-cluster start|stop <state-file>"));
    return arguments.at(1) == QLatin1String("start") ? start(arguments.at(2)) : stop(arguments.at(2));
}
