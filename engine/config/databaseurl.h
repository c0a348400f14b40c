#pragma once

#include "core/result.h"

#include <QList>
#include <QPair>
#include <QString>

class QSqlDatabase;

namespace syncdesk {

// A PostgreSQL connection URI (postgresql://user:pass@host:port/db?param=value) as libpq reads it:
// percent-encoded parts, Unix-socket hosts (percent-encoded path or ?host=/dir), and the libpq
// parameters a deployment sets (sslmode, connect_timeout, application_name, ...).
class DatabaseUrl
{
public:
    DatabaseUrl() = default;

    // Parses `text`; the error names the offending part and never shows the password.
    static Result<DatabaseUrl> parse(const QString &text);
    // A URL for a server listening on a Unix socket in `socketDir`.
    static DatabaseUrl forSocket(const QString &socketDir, int port, const QString &user,
                                 const QString &database);

    bool isEmpty() const { return m_host.isEmpty() && m_database.isEmpty() && m_user.isEmpty(); }
    QString host() const { return m_host; }
    bool isUnixSocket() const { return m_host.startsWith(QLatin1Char('/')); }
    int port() const { return m_port; } // 0: libpq's default
    QString user() const { return m_user; }
    QString password() const { return m_password; }
    QString database() const { return m_database; }
    // libpq parameters other than host, port, user, password and dbname, in URL order.
    QList<QPair<QString, QString>> parameters() const { return m_parameters; }
    QString parameter(const QString &name) const;

    DatabaseUrl withDatabase(const QString &database) const;
    DatabaseUrl withParameter(const QString &name, const QString &value) const;

    // postgresql://user:***@host:port/db?... : safe for logs and error messages.
    QString toDisplayString() const;
    // The full URL, password included, percent-encoded: for child processes and settings files.
    QString toString() const;
    // The libpq keyword/value string ("host='/tmp' port='5432' ..."), for psql/pgbench/libpq.
    QString toConnInfo() const;
    // Configures a QPSQL connection (host, port, user, password, database and connect options).
    void applyTo(QSqlDatabase &db) const;

    friend bool operator==(const DatabaseUrl &, const DatabaseUrl &) = default;

private:
    QString m_host;
    int m_port = 0;
    QString m_user;
    QString m_password;
    QString m_database;
    QList<QPair<QString, QString>> m_parameters;
};

} // namespace syncdesk
