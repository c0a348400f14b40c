#include "database/postgrescluster.h"

#include "core/logging.h"
#include "database/clusterdiagnosis.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QThread>
#include <QUuid>

#include <cerrno>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

namespace syncdesk {

namespace {

constexpr qint64 kMinimumFreeBytes = 64LL * 1024 * 1024;
constexpr int kMaxSocketPath = 107; // sun_path is 108 bytes, NUL included

bool processAlive(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}

// A running (not zombie) PostgreSQL server process. A killed postmaster may linger as a zombie
// where nothing reaps orphans (containers), and PostgreSQL's own lock-file check counts those as alive.
bool isLivePostgres(qint64 pid)
{
    if (!processAlive(pid))
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype open = text.indexOf('(');
    const qsizetype close = text.lastIndexOf(')');
    const QByteArray name = text.mid(open + 1, close - open - 1);
    const char state = close + 2 < text.size() ? text.at(close + 2) : '?';
    return name == "postgres" && state != 'Z' && state != 'X';
}

qint64 pidInLockFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return QString::fromLatin1(file.readLine()).trimmed().toLongLong();
}

// Field 22 of /proc/<pid>/stat: when the process started. With the pid it identifies a process even
// after the pid has been reused.
QString processStartTime(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')'); // the command name may contain spaces
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}

QString canonical(const QString &path)
{
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? QDir::cleanPath(path) : resolved;
}

QString confQuote(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace

PostgresCluster::PostgresCluster(ClusterOptions options)
    : m_options(std::move(options))
{
    m_options.dataDir = QDir::cleanPath(QFileInfo(m_options.dataDir).absoluteFilePath());
    m_pgData = m_options.dataDir + QStringLiteral("/pg");
    m_socketDir = m_options.dataDir + QStringLiteral("/run");
}

PostgresCluster::~PostgresCluster()
{
    if (m_startedByUs) {
        if (const Status stopped = stop(); !stopped)
            qCWarning(lcCluster).noquote() << stopped.error();
    }
}

DatabaseUrl PostgresCluster::urlFor(const QString &database) const
{
    return DatabaseUrl::forSocket(m_socketDir, m_options.port, m_options.superuser, database);
}

Status PostgresCluster::start()
{
    if (m_startedByUs && isRunning())
        return Status::success();
    // A server this object started that is gone (it crashed, or someone stopped it) is started again.
    m_startedByUs = false;
    if (Status found = resolvePrograms(); !found)
        return found;
    for (auto step : {&PostgresCluster::prepareFolders, &PostgresCluster::initializeIfNeeded,
                      &PostgresCluster::writeServerSettings, &PostgresCluster::handleExistingServer}) {
        if (Status done = (this->*step)(); !done)
            return done;
    }
    if (!m_startedByUs) {
        waitForLeftoverProcesses();
        if (Status started = startServer(); !started)
            return started;
    }
    return ensureDatabase();
}

Status PostgresCluster::resolvePrograms()
{
    auto binaries = PgBinaries::locate(m_options.binDir);
    if (!binaries)
        return Status::failure(binaries.error());
    m_binaries = binaries.value();
    auto account = ServerAccount::resolve(m_options.accountWhenRoot);
    if (!account)
        return Status::failure(account.error());
    m_account = account.value();
    return Status::success();
}

Status PostgresCluster::pgCtlStop()
{
    auto stopped = runProgram(m_binaries->program(QStringLiteral("pg_ctl")),
                              {QStringLiteral("stop"), QStringLiteral("-D"), m_pgData, QStringLiteral("-m"),
                               QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("-t"),
                               QStringLiteral("60"), QStringLiteral("-s")},
                              90000);
    if (!stopped && isRunning())
        return Status::failure(QStringLiteral("the PostgreSQL server in %1 did not stop: %2")
                                   .arg(m_pgData, stopped.error().trimmed()));
    return Status::success();
}

Status PostgresCluster::stopRunningServer()
{
    if (!isRunning())
        return Status::success();
    if (Status found = resolvePrograms(); !found)
        return found;
    m_startedByUs = false;
    Status stopped = pgCtlStop();
    if (stopped)
        QFile::remove(ownerFile());
    return stopped;
}

Status PostgresCluster::prepareFolders()
{
    const QString &dataDir = m_options.dataDir;
    if (!QDir().mkpath(dataDir))
        return Status::failure(
            QStringLiteral("cannot create the data folder %1: check that its parent exists and "
                           "is writable, or choose another --data-dir")
                .arg(dataDir));
    const QStorageInfo storage(dataDir);
    if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < kMinimumFreeBytes)
        return Status::failure(
            ClusterDiagnosis::explain(QStringLiteral("No space left on device"), dataDir, {}));

    if (m_account->switchesUser()) {
        // The server account must pass through the (root-owned) data folder to reach its own folders.
        struct stat info
        {
        };
        const QByteArray native = QFile::encodeName(dataDir);
        if (::stat(native.constData(), &info) == 0 && !(info.st_mode & S_IXOTH))
            ::chmod(native.constData(), (info.st_mode & 07777) | S_IXOTH);
    }

    // Unix socket paths are short; a deep data folder gets its socket in a private folder under /tmp.
    if ((m_socketDir + QStringLiteral("/.s.PGSQL.%1.lock").arg(m_options.port)).toUtf8().size() >
        kMaxSocketPath) {
        const QByteArray hash =
            QCryptographicHash::hash(dataDir.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
        m_socketDir = QDir::tempPath() + QStringLiteral("/syncdesk-%1").arg(QString::fromLatin1(hash));
        qCInfo(lcCluster).noquote() << "data folder path too long for a Unix socket; using" << m_socketDir;
    }

    for (const QString &dir : {m_pgData, m_socketDir}) {
        const bool existed = QFileInfo::exists(dir);
        if (!QDir().mkpath(dir))
            return Status::failure(
                QStringLiteral("cannot create %1: check the permissions of the data folder").arg(dir));
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        // A folder left by an earlier run of SyncDesk as a normal user or as root itself.
        const bool wrongOwner = m_account->switchesUser() && QFileInfo(dir).ownerId() == 0;
        if (!existed || wrongOwner) {
            if (Status given = m_account->giveOwnership(dir, existed); !given)
                return given;
        }
    }
    if (!m_account->canWrite(m_pgData))
        return Status::failure(
            QStringLiteral("PostgreSQL runs as the account '%1', which cannot reach %2 (a parent "
                           "folder is closed to it): choose a --data-dir that account can "
                           "enter, such as /var/lib/syncdesk")
                .arg(m_account->name(), m_pgData));
    return Status::success();
}

Status PostgresCluster::initializeIfNeeded()
{
    const QString versionFile = m_pgData + QStringLiteral("/PG_VERSION");
    if (QFileInfo::exists(versionFile)) {
        QFile file(versionFile);
        if (!file.open(QIODevice::ReadOnly))
            return Status::failure(QStringLiteral("cannot read %1").arg(versionFile));
        const int major = QString::fromLatin1(file.readAll()).trimmed().toInt();
        if (major != m_binaries->majorVersion())
            return Status::failure(
                QStringLiteral(
                    "the private PostgreSQL in %1 was created by PostgreSQL %2, but the programs found "
                    "in %3 are PostgreSQL %4: set SYNC_PG_BINDIR to PostgreSQL %2's bin folder, or move "
                    "%1 away to start with an empty database")
                    .arg(m_pgData)
                    .arg(major)
                    .arg(m_binaries->binDir())
                    .arg(m_binaries->majorVersion()));
        return Status::success();
    }
    if (!QDir(m_pgData).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return Status::failure(
            QStringLiteral("%1 is neither empty nor a PostgreSQL data folder: move it away or "
                           "choose another --data-dir")
                .arg(m_pgData));

    qCInfo(lcCluster).noquote() << "creating the private PostgreSQL cluster in" << m_pgData;
    QStringList arguments{QStringLiteral("-D"),
                          m_pgData,
                          QStringLiteral("-U"),
                          m_options.superuser,
                          QStringLiteral("--auth=trust"),
                          QStringLiteral("--encoding=UTF8"),
                          QStringLiteral("--locale=C.UTF-8")};
    if (m_binaries->majorVersion() >= 14)
        arguments << QStringLiteral("--no-instructions");
    if (!m_options.durable)
        arguments << QStringLiteral("--no-sync");
    auto initialized = runProgram(m_binaries->program(QStringLiteral("initdb")), arguments, 180000);
    if (!initialized)
        return Status::failure(ClusterDiagnosis::explain(initialized.error(), m_pgData, {}));
    return Status::success();
}

Status PostgresCluster::writeServerSettings()
{
    // Our settings live in their own file, rewritten at each start, so that an admin's edits to
    // postgresql.conf survive and a moved data folder gets its new socket path.
    const QString mainConf = m_pgData + QStringLiteral("/postgresql.conf");
    QFile main(mainConf);
    if (!main.open(QIODevice::ReadWrite | QIODevice::Text))
        return Status::failure(QStringLiteral("cannot open %1").arg(mainConf));
    const QByteArray include = "include_if_exists = 'syncdesk.conf'";
    if (!main.readAll().contains(include)) {
        main.seek(main.size());
        main.write("\n# SyncDesk's settings for its private server\n" + include + "\n");
    }
    main.close();

    QStringList lines{
        QStringLiteral("# Written by SyncDesk at every start; put your own settings in postgresql.conf"),
        QStringLiteral("listen_addresses = ''"),
        QStringLiteral("unix_socket_directories = %1").arg(confQuote(m_socketDir)),
        QStringLiteral("port = %1").arg(m_options.port),
        QStringLiteral("lc_messages = 'C.UTF-8'"),
        QStringLiteral("max_connections = 200"),
        QStringLiteral("logging_collector = off")};
    if (!m_options.durable) {
        // Survives a crash of the server process (the OS still has the WAL), not of the machine.
        lines << QStringLiteral("fsync = off") << QStringLiteral("full_page_writes = off");
    }
    for (auto it = m_options.serverSettings.cbegin(); it != m_options.serverSettings.cend(); ++it)
        lines << QStringLiteral("%1 = %2").arg(it.key(), confQuote(it.value()));
    const QString confPath = m_pgData + QStringLiteral("/syncdesk.conf");
    QFile conf(confPath);
    if (!conf.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) ||
        conf.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()) < 0)
        return Status::failure(ClusterDiagnosis::explain(conf.errorString(), m_pgData, {}));
    conf.close();
    return m_account->giveOwnership(confPath, false);
}

Status PostgresCluster::handleExistingServer()
{
    const QString pidFile = m_pgData + QStringLiteral("/postmaster.pid");
    const qint64 serverPid = pidInLockFile(pidFile);
    if (serverPid == 0)
        return Status::success();

    // A running postmaster's working folder is its data folder; anything else is a reused pid.
    const bool serverRunning =
        isLivePostgres(serverPid) &&
        canonical(QStringLiteral("/proc/%1/cwd").arg(serverPid)) == canonical(m_pgData);
    if (!serverRunning) {
        qCInfo(lcCluster).noquote() << "found a stale postmaster.pid (pid" << serverPid
                                    << "is not a running server): a previous server crashed";
        // PostgreSQL treats any live pid in its lock files (a zombie, a reused pid) as a running
        // server; once the crashed server's children are gone, its lock files are ours to remove.
        waitForLeftoverProcesses();
        if (processAlive(serverPid))
            QFile::remove(pidFile);
        const QString socketLock = m_socketDir + QStringLiteral("/.s.PGSQL.%1.lock").arg(m_options.port);
        if (const qint64 socketOwner = pidInLockFile(socketLock);
            socketOwner == serverPid && processAlive(socketOwner))
            QFile::remove(socketLock);
        return Status::success();
    }

    QFile owner(ownerFile());
    if (!owner.open(QIODevice::ReadOnly))
        return Status::failure(
            QStringLiteral("%1 is used by a PostgreSQL server that SyncDesk did not start (pid %2): "
                           "stop that server or choose another --data-dir")
                .arg(m_pgData)
                .arg(serverPid));
    const QStringList ownerFields =
        QString::fromLatin1(owner.readAll()).simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    owner.close();
    const qint64 ownerPid = ownerFields.value(0).toLongLong();
    const bool ownerAlive = processAlive(ownerPid) && processStartTime(ownerPid) == ownerFields.value(1);
    if (ownerAlive && ownerPid == QCoreApplication::applicationPid()) {
        m_startedByUs = true;
        return Status::success();
    }
    if (ownerAlive)
        return Status::failure(
            QStringLiteral("the private PostgreSQL in %1 is in use by another SyncDesk (pid %2): "
                           "stop it first or choose another --data-dir")
                .arg(m_pgData)
                .arg(ownerPid));
    qCWarning(lcCluster).noquote()
        << "restarting the private PostgreSQL left running by a SyncDesk that ended "
           "abnormally (pid"
        << ownerPid << ")";
    return pgCtlStop();
}

void PostgresCluster::waitForLeftoverProcesses()
{
    // Children of a killed postmaster (checkpointer, backends) notice its death and exit within a
    // moment; starting a new server before they are gone fails on their shared memory.
    const QString target = canonical(m_pgData);
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        bool leftovers = false;
        const QStringList entries =
            QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &entry : entries) {
            bool numeric = false;
            const qint64 pid = entry.toLongLong(&numeric);
            if (!numeric || pid == QCoreApplication::applicationPid())
                continue;
            if (QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).canonicalFilePath() == target) {
                leftovers = true;
                break;
            }
        }
        if (!leftovers)
            return;
        QThread::msleep(100);
    }
    qCWarning(lcCluster) << "processes of a previous server are still running in" << m_pgData;
}

Status PostgresCluster::startServer()
{
    const qint64 logOffset = QFileInfo(logFile()).size();
    const QStringList arguments{QStringLiteral("start"),
                                QStringLiteral("-D"),
                                m_pgData,
                                QStringLiteral("-l"),
                                logFile(),
                                QStringLiteral("-w"),
                                QStringLiteral("-t"),
                                QStringLiteral("60"),
                                QStringLiteral("-s")};
    for (int attempt = 1;; ++attempt) {
        auto started = runProgram(m_binaries->program(QStringLiteral("pg_ctl")), arguments, 90000);
        if (started)
            break;
        QString output = started.error();
        QFile log(logFile());
        if (log.open(QIODevice::ReadOnly)) {
            log.seek(qMin(logOffset, log.size()));
            output += QLatin1Char('\n') + QString::fromUtf8(log.read(64 * 1024));
        }
        if (ClusterDiagnosis::classify(output) == ClusterDiagnosis::Problem::OldProcessesAlive &&
            attempt < 5) {
            QThread::msleep(1000);
            continue;
        }
        return Status::failure(ClusterDiagnosis::explain(output, m_pgData, logFile()));
    }
    m_startedByUs = true;
    QFile owner(ownerFile());
    const qint64 self = QCoreApplication::applicationPid();
    if (owner.open(QIODevice::WriteOnly | QIODevice::Truncate))
        owner.write(QStringLiteral("%1 %2\n").arg(self).arg(processStartTime(self)).toLatin1());
    qCInfo(lcCluster).noquote() << "private PostgreSQL" << m_binaries->majorVersion() << "running on"
                                << m_socketDir;
    return Status::success();
}

Status PostgresCluster::ensureDatabase()
{
    const QString connectionName =
        QStringLiteral("syncdesk-cluster-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
    Status result = Status::success();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        urlFor(QStringLiteral("postgres")).applyTo(db);
        if (!db.open()) {
            result =
                Status::failure(QStringLiteral("the private PostgreSQL started but refuses connections: %1")
                                    .arg(db.lastError().text()));
        } else {
            QSqlQuery query(db);
            query.prepare(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
            query.addBindValue(m_options.database);
            if (query.exec() && !query.next()) {
                QString name = m_options.database;
                name.replace(QLatin1Char('"'), QLatin1String("\"\""));
                if (!query.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(name)))
                    result = Status::failure(QStringLiteral("cannot create the database %1: %2")
                                                 .arg(m_options.database, query.lastError().text()));
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    return result;
}

Status PostgresCluster::stop()
{
    if (!m_startedByUs)
        return Status::success();
    m_startedByUs = false;
    Status stopped = pgCtlStop();
    QFile::remove(ownerFile());
    if (stopped)
        qCInfo(lcCluster).noquote() << "private PostgreSQL stopped";
    return stopped;
}

qint64 PostgresCluster::postmasterPid() const
{
    const qint64 pid = pidInLockFile(m_pgData + QStringLiteral("/postmaster.pid"));
    const bool ours =
        isLivePostgres(pid) && canonical(QStringLiteral("/proc/%1/cwd").arg(pid)) == canonical(m_pgData);
    return ours ? pid : 0;
}

bool PostgresCluster::isRunning() const
{
    return postmasterPid() != 0;
}

Result<QString> PostgresCluster::runProgram(const QString &program, const QStringList &arguments,
                                            int timeoutMs)
{
    QProcess process;
    m_account->prepare(process);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_pgData);
    process.setProgram(program);
    process.setArguments(arguments);
    process.start(QIODevice::ReadOnly);
    if (!process.waitForStarted(10000))
        return Result<QString>::failure(
            QStringLiteral("cannot run %1: %2").arg(program, process.errorString()));
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        return Result<QString>::failure(
            QStringLiteral("%1 did not finish in %2 s").arg(program).arg(timeoutMs / 1000));
    }
    const QString output = QString::fromLocal8Bit(process.readAll());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        qCDebug(lcCluster).noquote() << program << arguments.join(QLatin1Char(' ')) << "failed:" << output;
        return Result<QString>::failure(output.isEmpty() ? QStringLiteral("%1 failed (exit code %2)")
                                                               .arg(QFileInfo(program).fileName())
                                                               .arg(process.exitCode())
                                                         : output);
    }
    return Result<QString>::success(output);
}

} // namespace syncdesk
