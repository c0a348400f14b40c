#include "database/connectionprovider.h"
#include "database/postgrescluster.h"
#include "database/sql.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace syncdesk;

namespace {

ClusterOptions optionsIn(const QString &dataDir)
{
    ClusterOptions options;
    options.dataDir = dataDir;
    options.durable = false;
    return options;
}

bool canQuery(const PostgresCluster &cluster, const QString &statement = QStringLiteral("SELECT 1"))
{
    ConnectionProvider connections(cluster.url(), QStringLiteral("cluster-test"));
    auto db = connections.database();
    return db && sql::exec(db.value(), statement).ok();
}

void writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(contents);
}

} // namespace

// SyncDesk's private PostgreSQL: started when needed, stopped on exit, and sane after crashes.
class TestPostgresCluster final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void startsStopsAndStartsAgain();
    void recoversAfterThePostmasterWasKilled();
    void startsAgainTheServerItStartedAfterAnImmediateShutdown();
    void restartsAServerOrphanedByACrashedSyncDesk();
    void refusesAServerItDidNotStart();
    void refusesAFolderAnotherSyncDeskUses();
    void refusesASocketAnotherServerHolds();
    void namesThePackageWhenProgramsAreMissing();
    void refusesDataFromAnotherMajorVersion();
    void refusesAFolderThatIsNotACluster();
    void saysWhenTheDiskIsFull();
    void saysWhenTheServerAccountCannotReachTheFolder();
    void keepsSocketPathsShort();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestPostgresCluster::init()
{
    // In /tmp: as root the server runs as `postgres`, which must be able to reach the folder.
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/syncdesk-cluster-test-XXXXXX"));
    QVERIFY(m_dir->isValid());
    // Like any data folder a user picks, it must be reachable by the account the server runs as.
    QVERIFY(QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                     QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                                                     QFileDevice::ReadOther | QFileDevice::ExeOther));
}

void TestPostgresCluster::startsStopsAndStartsAgain()
{
    PostgresCluster cluster(optionsIn(m_dir->path()));
    const Status started = cluster.start();
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(cluster.isRunning());
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("pg/PG_VERSION"))));
    QVERIFY(cluster.socketDir().startsWith(m_dir->path()));
    QVERIFY(canQuery(cluster, QStringLiteral("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)")));

    QVERIFY(cluster.stop().ok());
    QVERIFY(!cluster.isRunning());
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("cluster.owner"))));

    // The second start finds the cluster made by the first and keeps its data.
    QVERIFY(cluster.start().ok());
    QVERIFY(canQuery(cluster, QStringLiteral("SELECT id FROM kept")));
}

void TestPostgresCluster::recoversAfterThePostmasterWasKilled()
{
    {
        PostgresCluster crashed(optionsIn(m_dir->path()));
        QVERIFY(crashed.start().ok());
        QVERIFY(canQuery(crashed,
                         QStringLiteral("CREATE TABLE survived (id int); INSERT INTO survived VALUES (42)")));
        const qint64 pid = crashed.postmasterPid();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_VERIFY(!crashed.isRunning());
        crashed.keepRunning(); // nothing left to stop
    }
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("pg/postmaster.pid")))); // stale
    PostgresCluster restarted(optionsIn(m_dir->path()));
    const Status started = restarted.start();
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(canQuery(restarted, QStringLiteral("SELECT 1 FROM survived WHERE id = 42")));
}

void TestPostgresCluster::startsAgainTheServerItStartedAfterAnImmediateShutdown()
{
    // The same object (the same running SyncDesk) starts its server again after it went down under it.
    PostgresCluster cluster(optionsIn(m_dir->path()));
    QVERIFY(cluster.start().ok());
    QVERIFY(canQuery(cluster, QStringLiteral("CREATE TABLE survived (id int); INSERT INTO survived VALUES (7)")));
    QCOMPARE(::kill(pid_t(cluster.postmasterPid()), SIGQUIT), 0); // pg_ctl stop -m immediate
    QTRY_VERIFY(!cluster.isRunning());
    const Status started = cluster.start();
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(canQuery(cluster, QStringLiteral("SELECT 1 FROM survived WHERE id = 7")));
}

void TestPostgresCluster::restartsAServerOrphanedByACrashedSyncDesk()
{
    PostgresCluster first(optionsIn(m_dir->path()));
    QVERIFY(first.start().ok());
    const qint64 orphanPid = first.postmasterPid();
    first.keepRunning();
    // The SyncDesk that started it is gone (a pid that does not run).
    writeFile(m_dir->filePath(QStringLiteral("cluster.owner")), "999999999 0\n");

    PostgresCluster second(optionsIn(m_dir->path()));
    const Status started = second.start();
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(second.postmasterPid() != orphanPid);
    QVERIFY(canQuery(second));
}

void TestPostgresCluster::refusesAServerItDidNotStart()
{
    PostgresCluster foreign(optionsIn(m_dir->path()));
    QVERIFY(foreign.start().ok());
    foreign.keepRunning();
    QFile::remove(m_dir->filePath(QStringLiteral("cluster.owner"))); // as if started by hand with pg_ctl

    PostgresCluster ours(optionsIn(m_dir->path()));
    const Status started = ours.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("SyncDesk did not start")), qPrintable(started.error()));
    QVERIFY(foreign.isRunning()); // left alone
    QVERIFY(foreign.stopRunningServer().ok());
}

void TestPostgresCluster::refusesAFolderAnotherSyncDeskUses()
{
    PostgresCluster running(optionsIn(m_dir->path()));
    QVERIFY(running.start().ok());
    // Another live process (pid 1, with its real start time) owns it.
    QFile stat(QStringLiteral("/proc/1/stat"));
    QVERIFY(stat.open(QIODevice::ReadOnly));
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    writeFile(m_dir->filePath(QStringLiteral("cluster.owner")), "1 " + fields.at(19) + "\n");

    PostgresCluster second(optionsIn(m_dir->path()));
    const Status started = second.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("in use by another SyncDesk (pid 1)")),
             qPrintable(started.error()));
    QVERIFY(running.isRunning());
}

void TestPostgresCluster::refusesASocketAnotherServerHolds()
{
    PostgresCluster first(optionsIn(m_dir->filePath(QStringLiteral("a"))));
    const Status firstStarted = first.start();
    QVERIFY2(firstStarted.ok(), qPrintable(firstStarted.error()));
    // A second cluster whose socket folder is the first one's.
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("b"))));
    QVERIFY(QFile::link(first.socketDir(), m_dir->filePath(QStringLiteral("b/run"))));
    PostgresCluster second(optionsIn(m_dir->filePath(QStringLiteral("b"))));
    const Status started = second.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("socket")) &&
                 started.error().contains(QLatin1String("already in use")),
             qPrintable(started.error()));
    QVERIFY(!started.error().contains(QLatin1Char('\n')));
    QVERIFY(canQuery(first));
}

void TestPostgresCluster::namesThePackageWhenProgramsAreMissing()
{
    ClusterOptions options = optionsIn(m_dir->path());
    options.binDir = m_dir->filePath(QStringLiteral("no-postgres-here"));
    QVERIFY(QDir().mkpath(options.binDir));
    PostgresCluster cluster(options);
    const Status started = cluster.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("apt install postgresql")), qPrintable(started.error()));
    QVERIFY2(started.error().contains(QLatin1String("DATABASE_URL")), qPrintable(started.error()));
    QVERIFY(!started.error().contains(QLatin1Char('\n')));
}

void TestPostgresCluster::refusesDataFromAnotherMajorVersion()
{
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("pg"))));
    writeFile(m_dir->filePath(QStringLiteral("pg/PG_VERSION")), "9\n");
    PostgresCluster cluster(optionsIn(m_dir->path()));
    const Status started = cluster.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("created by PostgreSQL 9")), qPrintable(started.error()));
}

void TestPostgresCluster::refusesAFolderThatIsNotACluster()
{
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("pg"))));
    writeFile(m_dir->filePath(QStringLiteral("pg/holiday.jpg")), "not a database");
    PostgresCluster cluster(optionsIn(m_dir->path()));
    const Status started = cluster.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("neither empty nor a PostgreSQL data folder")),
             qPrintable(started.error()));
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("pg/holiday.jpg")))); // nothing deleted
}

void TestPostgresCluster::saysWhenTheDiskIsFull()
{
    // A one-megabyte file system stands in for a full disk.
    const QString small = m_dir->filePath(QStringLiteral("small"));
    QVERIFY(QDir().mkpath(small));
    QProcess mount;
    mount.start(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                          QStringLiteral("size=1m"), QStringLiteral("tmpfs"), small});
    if (!mount.waitForFinished(10000) || mount.exitCode() != 0)
        QSKIP("cannot mount a small tmpfs here (needs root outside a restricted container)");
    PostgresCluster cluster(optionsIn(small + QStringLiteral("/data")));
    const Status started = cluster.start();
    QProcess::execute(QStringLiteral("umount"), {small});
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("is full")), qPrintable(started.error()));
}

void TestPostgresCluster::saysWhenTheServerAccountCannotReachTheFolder()
{
    if (::geteuid() != 0)
        QSKIP("only a root-run SyncDesk hands the server to another account");
    const QString closed = m_dir->filePath(QStringLiteral("closed"));
    QVERIFY(QDir().mkpath(closed));
    QVERIFY(QFile::setPermissions(closed,
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    PostgresCluster cluster(optionsIn(closed + QStringLiteral("/data")));
    const Status started = cluster.start();
    QVERIFY(!started.ok());
    QVERIFY2(started.error().contains(QLatin1String("'postgres', which cannot reach")),
             qPrintable(started.error()));
}

void TestPostgresCluster::keepsSocketPathsShort()
{
    QString deep = m_dir->path();
    while (deep.size() < 120)
        deep += QStringLiteral("/a-rather-long-folder-name");
    PostgresCluster cluster(optionsIn(deep));
    const Status started = cluster.start();
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(cluster.socketDir().size() < 100);
    QVERIFY(canQuery(cluster));
}

QTEST_GUILESS_MAIN(TestPostgresCluster)
#include "tst_postgrescluster.moc"
