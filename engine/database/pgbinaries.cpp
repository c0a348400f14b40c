#include "database/pgbinaries.h"

#include "core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

namespace syncdesk {

namespace {

QString runForOutput(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.start(QIODevice::ReadOnly);
    if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        process.kill();
        process.waitForFinished(1000);
        return {};
    }
    return QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
}

bool hasServerPrograms(const QString &dir)
{
    for (const char *name : {"initdb", "pg_ctl", "postgres"}) {
        const QFileInfo program(dir + QLatin1Char('/') + QLatin1String(name));
        if (!program.isFile() || !program.isExecutable())
            return false;
    }
    return true;
}

} // namespace

QStringList PgBinaries::searchPath()
{
    QStringList dirs;
    if (const QString pgConfig = QStandardPaths::findExecutable(QStringLiteral("pg_config"));
        !pgConfig.isEmpty()) {
        if (const QString dir = runForOutput(pgConfig, {QStringLiteral("--bindir")}); !dir.isEmpty())
            dirs << dir;
    }
    QDir versions(QStringLiteral("/usr/lib/postgresql"));
    QStringList majors = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(majors.begin(), majors.end(),
              [](const QString &a, const QString &b) { return a.toDouble() > b.toDouble(); });
    for (const QString &major : majors)
        dirs << versions.filePath(major) + QStringLiteral("/bin");
    if (const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb")); !initdb.isEmpty())
        dirs << QFileInfo(initdb).absolutePath();
    dirs.removeDuplicates();
    return dirs;
}

QString PgBinaries::missingMessage(const QStringList &searched)
{
    return QStringLiteral("PostgreSQL server programs (initdb, pg_ctl) were not found%1: install them with "
                          "'sudo apt install postgresql' (Debian package postgresql), or set DATABASE_URL "
                          "to use an existing PostgreSQL server")
        .arg(searched.isEmpty() ? QString() : QStringLiteral(" in ") + searched.join(QStringLiteral(", ")));
}

Result<PgBinaries> PgBinaries::locate(const QString &explicitDir)
{
    const QStringList candidates = explicitDir.isEmpty() ? searchPath() : QStringList{explicitDir};
    for (const QString &dir : candidates) {
        if (!hasServerPrograms(dir))
            continue;
        auto found = inspect(dir);
        if (found)
            return found;
        qCWarning(lcCluster) << "skipping" << dir << ":" << found.error();
    }
    return Result<PgBinaries>::failure(
        missingMessage(candidates.isEmpty() ? QStringList{QStringLiteral("PATH")} : candidates));
}

Result<PgBinaries> PgBinaries::inspect(const QString &dir)
{
    PgBinaries binaries;
    binaries.m_binDir = QDir::cleanPath(dir);
    // "pg_ctl (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    binaries.m_versionText =
        runForOutput(binaries.program(QStringLiteral("pg_ctl")), {QStringLiteral("--version")});
    static const QRegularExpression version(QStringLiteral("\\(PostgreSQL\\)\\s+(\\d+)"));
    const auto match = version.match(binaries.m_versionText);
    if (!match.hasMatch())
        return Result<PgBinaries>::failure(QStringLiteral("cannot tell the version of %1").arg(dir));
    binaries.m_majorVersion = match.captured(1).toInt();
    if (binaries.m_majorVersion < 13)
        return Result<PgBinaries>::failure(
            QStringLiteral("PostgreSQL %1 in %2 is too old; SyncDesk needs 13 or newer")
                .arg(binaries.m_majorVersion)
                .arg(dir));
    return Result<PgBinaries>::success(binaries);
}

} // namespace syncdesk
