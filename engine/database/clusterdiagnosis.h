#pragma once

#include <QString>

namespace syncdesk {

// Turns what initdb, pg_ctl and the server wrote into one sentence an admin can act on.
class ClusterDiagnosis
{
public:
    enum class Problem
    {
        None,
        DiskFull,
        SocketInUse,
        DataDirInUse,
        OldProcessesAlive,
        VersionMismatch,
        PermissionDenied,
        Unknown
    };

    static Problem classify(const QString &output);
    // `output`: the program's output and the tail of the server log; `dataDir`: the cluster folder.
    static QString explain(const QString &output, const QString &dataDir, const QString &logFile);

private:
    static QString lastErrorLine(const QString &output);
};

} // namespace syncdesk
