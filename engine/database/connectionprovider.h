#pragma once

#include "config/databaseurl.h"
#include "core/result.h"

#include <QMutex>
#include <QSet>
#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace syncdesk {

// Hands each thread its own QSqlDatabase connection to one database (Qt connections must stay on
// the thread that opened them): opened on first use, re-opened when the server went away, closed
// when the thread ends.
class ConnectionProvider
{
public:
    // `role` names the connections in logs and in pg_stat_activity (application_name), e.g. "backend".
    ConnectionProvider(DatabaseUrl url, QString role);
    ~ConnectionProvider();
    ConnectionProvider(const ConnectionProvider &) = delete;
    ConnectionProvider &operator=(const ConnectionProvider &) = delete;

    // The calling thread's open connection, or why there is none.
    Result<QSqlDatabase> database();
    const DatabaseUrl &url() const { return m_url; }
    QString role() const { return m_role; }

    // Whether the connection's socket is known to be broken (the server restarted or went away).
    static bool isBroken(const QSqlDatabase &db);

private:
    QString connectionNameForThisThread() const;

    DatabaseUrl m_url;
    QString m_role;
    quint64 m_instance;
    QString m_displayUrl; // as configured: password masked, no added parameters
    // Shared with the thread-exit handlers, which may run after this provider is gone.
    struct Registry
    {
        QMutex mutex;
        QSet<QString> names;
    };
    std::shared_ptr<Registry> m_registry = std::make_shared<Registry>();
};

} // namespace syncdesk
