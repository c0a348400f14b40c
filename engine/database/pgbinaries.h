#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

namespace syncdesk {

// The PostgreSQL server programs the private cluster needs (initdb, pg_ctl, postgres).
class PgBinaries
{
public:
    // With `explicitDir` (SYNC_PG_BINDIR) only that folder is tried; otherwise `pg_config --bindir`,
    // then /usr/lib/postgresql/<newest>/bin, then PATH.
    static Result<PgBinaries> locate(const QString &explicitDir);
    // The folders locate() tries, in order, without `explicitDir`.
    static QStringList searchPath();
    static QString missingMessage(const QStringList &searched);

    QString binDir() const { return m_binDir; }
    QString program(const QString &name) const { return m_binDir + QLatin1Char('/') + name; }
    int majorVersion() const { return m_majorVersion; }
    QString versionText() const { return m_versionText; }

private:
    static Result<PgBinaries> inspect(const QString &dir);

    QString m_binDir;
    int m_majorVersion = 0;
    QString m_versionText;
};

} // namespace syncdesk
