#pragma once

#include "core/result.h"

#include <QList>
#include <QString>

#include <sys/types.h>

class QProcess;

namespace syncdesk {

// The operating-system account the private PostgreSQL server runs as. PostgreSQL refuses to run as
// root, so when SyncDesk runs as root the server programs run as an unprivileged account (Debian's
// `postgres`), which is given the cluster's folders. Otherwise they run as the current user.
class ServerAccount
{
public:
    static Result<ServerAccount> resolve(const QString &accountWhenRoot);

    bool switchesUser() const { return m_switchesUser; }
    QString name() const { return m_name; }

    // Makes `process` run as this account (a no-op when it is the current user).
    void prepare(QProcess &process) const;
    // Hands `path` (and, when `recursive`, everything below it) to this account.
    Status giveOwnership(const QString &path, bool recursive) const;
    // Whether this account can create files in `path` (checked as that account, parent folders included).
    bool canWrite(const QString &path) const;

private:
    QString m_name;
    QString m_home;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
    QList<gid_t> m_groups;
    bool m_switchesUser = false;
};

} // namespace syncdesk
