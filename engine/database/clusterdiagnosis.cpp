#include "database/clusterdiagnosis.h"

#include <QRegularExpression>
#include <QStringList>

namespace syncdesk {

ClusterDiagnosis::Problem ClusterDiagnosis::classify(const QString &output)
{
    const auto has = [&output](const char *needle) {
        return output.contains(QLatin1String(needle), Qt::CaseInsensitive);
    };
    if (has("No space left on device") || has("could not extend file") || has("disk full"))
        return Problem::DiskFull;
    if (has("lock file \"postmaster.pid\" already exists"))
        return Problem::DataDirInUse;
    if (has("could not bind") || has("Address already in use") || (has("lock file") && has(".s.PGSQL.")) ||
        has("another server might be running") || has("could not create any Unix-domain sockets"))
        return Problem::SocketInUse;
    if (has("pre-existing shared memory block") || has("shared memory block is still in use"))
        return Problem::OldProcessesAlive;
    if (has("database files are incompatible with server") || has("was initialized by PostgreSQL version"))
        return Problem::VersionMismatch;
    if (has("Permission denied"))
        return Problem::PermissionDenied;
    if (output.trimmed().isEmpty())
        return Problem::None;
    return Problem::Unknown;
}

QString ClusterDiagnosis::lastErrorLine(const QString &output)
{
    const QStringList lines = output.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    static const QRegularExpression severity(QStringLiteral("\\b(FATAL|PANIC|ERROR|error|could not)\\b"));
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (severity.match(*it).hasMatch())
            return it->trimmed();
    }
    return lines.isEmpty() ? QString() : lines.constLast().trimmed();
}

QString ClusterDiagnosis::explain(const QString &output, const QString &dataDir, const QString &logFile)
{
    const QString logHint = logFile.isEmpty() ? QString() : QStringLiteral(" (details: %1)").arg(logFile);
    switch (classify(output)) {
    case Problem::DiskFull:
        return QStringLiteral("the disk holding %1 is full: free some space or choose another --data-dir%2")
            .arg(dataDir, logHint);
    case Problem::SocketInUse:
        return QStringLiteral(
                   "the private PostgreSQL's socket in %1 is already in use by another server: stop "
                   "that server or choose another --data-dir%2")
            .arg(dataDir, logHint);
    case Problem::DataDirInUse:
        return QStringLiteral("the PostgreSQL data folder %1 is in use by another server: stop it or choose "
                              "another --data-dir%2")
            .arg(dataDir, logHint);
    case Problem::OldProcessesAlive:
        return QStringLiteral(
                   "processes of a previous PostgreSQL server on %1 are still running; wait a moment "
                   "and start again%2")
            .arg(dataDir, logHint);
    case Problem::VersionMismatch:
        return QStringLiteral(
                   "the data in %1 was made by another PostgreSQL major version: set SYNC_PG_BINDIR to "
                   "that version's programs, or move the folder away to start afresh%2")
            .arg(dataDir, logHint);
    case Problem::PermissionDenied:
        return QStringLiteral("PostgreSQL may not use %1 (permission denied): check the folder's owner%2")
            .arg(dataDir, logHint);
    case Problem::None:
        return QStringLiteral("PostgreSQL failed to start on %1 without saying why%2").arg(dataDir, logHint);
    case Problem::Unknown:
        break;
    }
    return QStringLiteral("PostgreSQL failed on %1: %2%3").arg(dataDir, lastErrorLine(output), logHint);
}

} // namespace syncdesk
