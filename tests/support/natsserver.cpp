#include "natsserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QThread>
#include <QUrl>

#include <csignal>

namespace syncdesk::test {

namespace {

bool alive(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0)
        return false;
    // A killed process nobody reaped yet is a zombie: gone for our purposes.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    return line.mid(line.lastIndexOf(')') + 2, 1) != "Z";
}

} // namespace

NatsServer::~NatsServer()
{
    if (m_owned && running())
        stop();
}

bool NatsServer::running() const
{
    return alive(m_pid);
}

QString NatsServer::log() const
{
    QFile file(m_storeDir + QStringLiteral("/nats-server.log"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

Status NatsServer::start(const QString &storeDir, quint16 port, const QStringList &extraArguments)
{
    m_storeDir = storeDir;
    m_extra = extraArguments;
    if (!QDir().mkpath(storeDir))
        return Status::failure(QStringLiteral("cannot create %1").arg(storeDir));
    const QString portsDir = storeDir + QStringLiteral("/ports");
    QDir(portsDir).removeRecursively();
    QDir().mkpath(portsDir);
    // -p -1: a free port the server chooses; it writes it into the ports file.
    const QStringList arguments = QStringList{QStringLiteral("-js"), QStringLiteral("-a"), QStringLiteral("127.0.0.1"),
                                              QStringLiteral("-p"), port ? QString::number(port) : QStringLiteral("-1"),
                                              QStringLiteral("-sd"), storeDir, QStringLiteral("--ports_file_dir"), portsDir,
                                              QStringLiteral("-l"), storeDir + QStringLiteral("/nats-server.log")}
                                  + extraArguments;
    // Detached, with no standard streams of ours: CTest waits for the fixture's output to close.
    QProcess process;
    process.setProgram(QStringLiteral("nats-server"));
    process.setArguments(arguments);
    process.setWorkingDirectory(storeDir);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    qint64 pid = 0;
    if (!process.startDetached(&pid))
        return Status::failure(QStringLiteral("cannot start nats-server (install the nats-server package)"));
    m_pid = pid;
    const QString portsFile = QStringLiteral("%1/nats-server_%2.ports").arg(portsDir).arg(pid);
    const QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        QFile file(portsFile);
        if (file.open(QIODevice::ReadOnly)) {
            const QJsonArray urls = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("nats")).toArray();
            const int found = QUrl(urls.at(0).toString()).port();
            if (found > 0) {
                m_port = quint16(found);
                return Status::success();
            }
        }
        if (!running())
            return Status::failure(QStringLiteral("nats-server stopped at start: %1").arg(log()));
        QThread::msleep(20);
    }
    return Status::failure(QStringLiteral("nats-server did not say its port within 20 s: %1").arg(log()));
}

Status NatsServer::waitUntilGone(int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    while (running()) {
        if (deadline.hasExpired())
            return Status::failure(QStringLiteral("nats-server %1 did not stop").arg(m_pid));
        QThread::msleep(10);
    }
    return Status::success();
}

Status NatsServer::kill()
{
    if (m_pid > 0)
        ::kill(pid_t(m_pid), SIGKILL);
    return waitUntilGone(10000);
}

Status NatsServer::stop()
{
    if (m_pid > 0 && running())
        ::kill(pid_t(m_pid), SIGTERM);
    return waitUntilGone(20000);
}

Status NatsServer::restart()
{
    if (running())
        return Status::failure(QStringLiteral("nats-server %1 still runs").arg(m_pid));
    return start(m_storeDir, m_port, m_extra);
}

Result<QString> NatsServer::fixtureUrl()
{
    const QString stateFile = qEnvironmentVariable(stateVariable);
    if (stateFile.isEmpty() || !QFileInfo::exists(stateFile))
        return Result<QString>::failure(QStringLiteral("%1 names no state file: run the tests through ctest, whose "
                                                       "fixture starts the NATS server")
                                            .arg(QLatin1String(stateVariable)));
    QSettings state(stateFile, QSettings::IniFormat);
    return Result<QString>::success(state.value(QStringLiteral("url")).toString());
}

Status NatsServer::writeState(const QString &stateFile) const
{
    QSettings state(stateFile, QSettings::IniFormat);
    state.setValue(QStringLiteral("url"), url());
    state.setValue(QStringLiteral("pid"), m_pid);
    state.setValue(QStringLiteral("storeDir"), m_storeDir);
    state.sync();
    return state.status() == QSettings::NoError ? Status::success()
                                                : Status::failure(QStringLiteral("cannot write %1").arg(stateFile));
}

Status NatsServer::stopFromState(const QString &stateFile)
{
    if (!QFileInfo::exists(stateFile))
        return Status::success();
    QSettings state(stateFile, QSettings::IniFormat);
    NatsServer server;
    server.m_pid = state.value(QStringLiteral("pid")).toLongLong();
    server.m_storeDir = state.value(QStringLiteral("storeDir")).toString();
    server.m_owned = false;
    Status stopped = server.stop();
    if (stopped && !server.m_storeDir.isEmpty())
        QDir(server.m_storeDir).removeRecursively();
    QFile::remove(stateFile);
    return stopped;
}

} // namespace syncdesk::test
