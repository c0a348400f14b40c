#include "syncdeskservice.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

namespace syncdesk::test {

SyncDeskService::SyncDeskService(const QString &databaseUrl, const QMap<QString, QString> &environment,
                                 const QStringList &extraArguments)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(QLatin1String("SYNC_")) || name.endsWith(QLatin1String("DATABASE_URL")))
            env.remove(name);
    }
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path());
    if (!databaseUrl.isEmpty()) // empty: SyncDesk's private PostgreSQL in SYNC_DATA_DIR
        env.insert(QStringLiteral("DATABASE_URL"), databaseUrl);
    env.insert(QStringLiteral("SYNC_HTTP_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("SYNC_DATA_DIR"), m_home.path());
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    m_process.setProcessEnvironment(env);
    m_process.start(binary(), QStringList{QStringLiteral("--headless")} + extraArguments);
}

SyncDeskService::~SyncDeskService()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

QString SyncDeskService::binary()
{
    return qEnvironmentVariable("SYNCDESK_BINARY");
}

QString SyncDeskService::log()
{
    m_err += m_process.readAllStandardError();
    return QString::fromUtf8(m_err);
}

bool SyncDeskService::waitForLog(const QString &text, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (log().contains(text))
            return true;
        if (m_process.state() == QProcess::NotRunning)
            return log().contains(text);
        m_process.waitForReadyRead(100);
    }
    return false;
}

bool SyncDeskService::waitUntilServing(int timeoutMs)
{
    if (!waitForLog(QStringLiteral("REST API listening on"), timeoutMs))
        return false;
    static const QRegularExpression listening(QStringLiteral("REST API listening on https?://[^ ]+:(\\d+)"));
    const auto match = listening.match(log());
    m_port = match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
    return m_port > 0;
}

int SyncDeskService::stop(int signal, int timeoutMs)
{
    ::kill(pid_t(m_process.processId()), signal);
    if (!finish(timeoutMs))
        return -1;
    return exitCode();
}

bool SyncDeskService::finish(int timeoutMs)
{
    const bool done = m_process.waitForFinished(timeoutMs);
    log();
    return done;
}

int SyncDeskService::exitCode() const
{
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

qint64 SyncDeskService::residentKb() const
{
    QFile status(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

int SyncDeskService::openFiles() const
{
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(m_process.processId())).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size());
}

} // namespace syncdesk::test
