#include "database/serveraccount.h"

#include "core/logging.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace syncdesk {

Result<ServerAccount> ServerAccount::resolve(const QString &accountWhenRoot)
{
    ServerAccount account;
    const bool root = ::geteuid() == 0;
    const QByteArray wanted = root ? accountWhenRoot.toLocal8Bit() : QByteArray();
    struct passwd entry;
    struct passwd *found = nullptr;
    QByteArray buffer(16384, '\0');
    const int rc = root ? ::getpwnam_r(wanted.constData(), &entry, buffer.data(), buffer.size(), &found)
                        : ::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found);
    if (rc != 0 || !found) {
        if (root)
            return Result<ServerAccount>::failure(
                QStringLiteral(
                    "SyncDesk runs as root and PostgreSQL will not, but the unprivileged account '%1' "
                    "that should run it does not exist: install the Debian package postgresql "
                    "(it creates that account) or run SyncDesk as a normal user")
                    .arg(accountWhenRoot));
        return Result<ServerAccount>::failure(QStringLiteral("cannot look up the current user account"));
    }
    account.m_name = QString::fromLocal8Bit(entry.pw_name);
    account.m_home = QString::fromLocal8Bit(entry.pw_dir);
    account.m_uid = entry.pw_uid;
    account.m_gid = entry.pw_gid;
    account.m_switchesUser = root;
    if (root && entry.pw_uid == 0)
        return Result<ServerAccount>::failure(
            QStringLiteral(
                "the account '%1' chosen to run PostgreSQL is root itself; PostgreSQL refuses to run as "
                "root")
                .arg(accountWhenRoot));
    if (root) {
        // Supplementary groups are looked up now: the child process may only make async-signal-safe calls.
        int count = 64;
        QList<gid_t> groups(count);
        if (::getgrouplist(entry.pw_name, entry.pw_gid, groups.data(), &count) < 0) {
            groups.resize(count);
            ::getgrouplist(entry.pw_name, entry.pw_gid, groups.data(), &count);
        }
        groups.resize(count);
        account.m_groups = groups;
    }
    return Result<ServerAccount>::success(account);
}

void ServerAccount::prepare(QProcess &process) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // English server messages: the cluster's error diagnosis reads them.
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.remove(QStringLiteral("PGDATA"));
    environment.remove(QStringLiteral("PGHOST"));
    environment.remove(QStringLiteral("PGPORT"));
    if (!m_switchesUser) {
        process.setProcessEnvironment(environment);
        return;
    }
    environment.insert(QStringLiteral("HOME"), m_home);
    environment.insert(QStringLiteral("USER"), m_name);
    environment.insert(QStringLiteral("LOGNAME"), m_name);
    process.setProcessEnvironment(environment);
    const uid_t uid = m_uid;
    const gid_t gid = m_gid;
    const QList<gid_t> groups = m_groups;
    process.setChildProcessModifier([uid, gid, groups]() {
        // Runs between fork and exec: async-signal-safe calls only. Order matters: groups and gid
        // can only be changed while still root.
        if (::setgroups(size_t(groups.size()), groups.constData()) != 0 || ::setgid(gid) != 0 ||
            ::setuid(uid) != 0)
            ::_exit(126);
    });
}

Status ServerAccount::giveOwnership(const QString &path, bool recursive) const
{
    if (!m_switchesUser)
        return Status::success();
    const auto chownOne = [this](const QString &file) -> Status {
        if (::lchown(QFile::encodeName(file).constData(), m_uid, m_gid) != 0)
            return Status::failure(QStringLiteral("cannot give %1 to the account '%2': %3")
                                       .arg(file, m_name, QString::fromLocal8Bit(std::strerror(errno))));
        return Status::success();
    };
    if (auto done = chownOne(path); !done)
        return done;
    if (!recursive)
        return Status::success();
    QDirIterator it(path, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (auto done = chownOne(it.next()); !done)
            return done;
    }
    return Status::success();
}

bool ServerAccount::canWrite(const QString &path) const
{
    if (!m_switchesUser)
        return ::access(QFile::encodeName(path).constData(), W_OK | X_OK) == 0;
    // Ask the kernel as that account: it also checks every parent folder on the way.
    QProcess probe;
    prepare(probe);
    probe.setProgram(QStringLiteral("/bin/sh"));
    probe.setArguments({QStringLiteral("-c"), QStringLiteral("test -w \"$1\" && test -x \"$1\""),
                        QStringLiteral("sh"), path});
    probe.setWorkingDirectory(QStringLiteral("/"));
    probe.start();
    if (!probe.waitForFinished(10000)) {
        probe.kill();
        probe.waitForFinished(1000);
        return false;
    }
    return probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
}

} // namespace syncdesk
