#include "config/databaseurl.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QStringList>
#include <QUrl>

#include <algorithm>

namespace syncdesk {

namespace {

// Parameters libpq accepts in a URI query that SyncDesk passes through. host/port/user/password/dbname
// are handled separately because they override the URI's own parts.
const QStringList &passThroughParameters()
{
    static const QStringList names{
        QStringLiteral("sslmode"),
        QStringLiteral("connect_timeout"),
        QStringLiteral("application_name"),
        QStringLiteral("options"),
        QStringLiteral("sslcert"),
        QStringLiteral("sslkey"),
        QStringLiteral("sslrootcert"),
        QStringLiteral("sslcrl"),
        QStringLiteral("sslpassword"),
        QStringLiteral("target_session_attrs"),
        QStringLiteral("keepalives"),
        QStringLiteral("keepalives_idle"),
        QStringLiteral("keepalives_interval"),
        QStringLiteral("keepalives_count"),
        QStringLiteral("tcp_user_timeout"),
        QStringLiteral("client_encoding"),
        QStringLiteral("gssencmode"),
        QStringLiteral("channel_binding"),
        QStringLiteral("hostaddr"),
        QStringLiteral("krbsrvname"),
    };
    return names;
}

// A host is a name, an IPv6 address (the only hosts with ':', written in brackets in a URL) or a socket
// folder, without ',' (libpq would read several hosts). Anything else would not survive being written
// back into a URL (toString()) unchanged.
bool isValidHost(const QString &host)
{
    if (host.contains(QLatin1Char(',')))
        return false;
    if (host.isEmpty() || host.startsWith(QLatin1Char('/')))
        return true;
    if (host.contains(QLatin1Char('[')) || host.contains(QLatin1Char(']')))
        return false;
    if (!host.contains(QLatin1Char(':')))
        return true;
    return std::all_of(host.cbegin(), host.cend(), [](QChar c) {
        return c.isDigit() || (c >= QLatin1Char('a') && c <= QLatin1Char('f')) || (c >= QLatin1Char('A') && c <= QLatin1Char('F'))
               || c == QLatin1Char(':') || c == QLatin1Char('.');
    });
}

bool isNonNegativeInteger(const QString &value, qint64 max)
{
    bool ok = false;
    const qint64 number = value.toLongLong(&ok);
    return ok && number >= 0 && number <= max && !value.startsWith(QLatin1Char('+'));
}

QString validateParameter(const QString &name, const QString &value)
{
    static const QStringList sslModes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                      QStringLiteral("prefer"),    QStringLiteral("require"),
                                      QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    static const QStringList sessionAttrs{QStringLiteral("any"),       QStringLiteral("read-write"),
                                          QStringLiteral("read-only"), QStringLiteral("primary"),
                                          QStringLiteral("standby"),   QStringLiteral("prefer-standby")};
    static const QStringList gssModes{QStringLiteral("disable"), QStringLiteral("prefer"),
                                      QStringLiteral("require")};
    static const QStringList bindingModes{QStringLiteral("disable"), QStringLiteral("prefer"),
                                          QStringLiteral("require")};
    static const QStringList integerParameters{
        QStringLiteral("connect_timeout"),  QStringLiteral("keepalives"),
        QStringLiteral("keepalives_idle"),  QStringLiteral("keepalives_interval"),
        QStringLiteral("keepalives_count"), QStringLiteral("tcp_user_timeout")};

    const auto oneOf = [&](const QStringList &allowed) -> QString {
        if (allowed.contains(value))
            return {};
        return QStringLiteral("%1 '%2' is not one of %3")
            .arg(name, value, allowed.join(QStringLiteral(", ")));
    };
    if (name == QLatin1String("sslmode"))
        return oneOf(sslModes);
    if (name == QLatin1String("target_session_attrs"))
        return oneOf(sessionAttrs);
    if (name == QLatin1String("gssencmode"))
        return oneOf(gssModes);
    if (name == QLatin1String("channel_binding"))
        return oneOf(bindingModes);
    if (integerParameters.contains(name) && !isNonNegativeInteger(value, 2147483647))
        return QStringLiteral("%1 '%2' is not a whole number of 0 or more").arg(name, value);
    // QPSQL joins connect options with ';', so a ';' inside a value cannot be passed on safely.
    if (value.contains(QLatin1Char(';')))
        return QStringLiteral("%1 must not contain ';'").arg(name);
    return {};
}

// Strict percent-decoding: QUrl::fromPercentEncoding silently keeps broken escapes, we refuse them.
std::optional<QString> percentDecode(const QString &text)
{
    const QByteArray raw = text.toUtf8();
    QByteArray decoded;
    decoded.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        if (c != '%') {
            decoded.append(c);
            continue;
        }
        if (i + 2 >= raw.size())
            return std::nullopt;
        const auto hex = [](char h) -> int {
            if (h >= '0' && h <= '9')
                return h - '0';
            if (h >= 'a' && h <= 'f')
                return h - 'a' + 10;
            if (h >= 'A' && h <= 'F')
                return h - 'A' + 10;
            return -1;
        };
        const int high = hex(raw.at(i + 1));
        const int low = hex(raw.at(i + 2));
        if (high < 0 || low < 0)
            return std::nullopt;
        decoded.append(char(high * 16 + low));
        i += 2;
    }
    const QString result = QString::fromUtf8(decoded);
    if (result.toUtf8() != decoded) // not valid UTF-8
        return std::nullopt;
    return result;
}

QString percentEncode(const QString &text, const QByteArray &keep = {})
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text, keep));
}

// libpq keyword/value quoting: single quotes, with backslash and quote escaped.
QString connInfoQuote(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString &input)
{
    const QString text = input.trimmed();
    DatabaseUrl url;

    // Error messages show the URL with its password masked; compute that display form from the raw text.
    const auto masked = [&text]() {
        const qsizetype schemeEnd = text.indexOf(QLatin1String("://"));
        if (schemeEnd < 0)
            return text.size() > 60 ? text.left(60) + QStringLiteral("…") : text;
        const qsizetype authorityStart = schemeEnd + 3;
        qsizetype authorityEnd = text.size();
        for (const QChar stop : {QLatin1Char('/'), QLatin1Char('?')}) {
            const qsizetype at = text.indexOf(stop, authorityStart);
            if (at >= 0 && at < authorityEnd)
                authorityEnd = at;
        }
        const qsizetype at = text.lastIndexOf(QLatin1Char('@'), authorityEnd - 1);
        if (at < authorityStart)
            return text;
        const qsizetype colon = text.indexOf(QLatin1Char(':'), authorityStart);
        if (colon < 0 || colon > at)
            return text;
        QString out = text;
        out.replace(colon + 1, at - colon - 1, QStringLiteral("***"));
        return out;
    };
    const auto fail = [&](const QString &what) {
        return Result<DatabaseUrl>::failure(text.isEmpty() ? what
                                                           : QStringLiteral("%1: %2").arg(masked(), what));
    };

    if (text.isEmpty())
        return fail(QStringLiteral("the URL is empty"));
    const qsizetype schemeEnd = text.indexOf(QLatin1String("://"));
    if (schemeEnd < 0)
        return fail(QStringLiteral("not a URL; expected postgresql://user:password@host:port/database"));
    const QString scheme = text.left(schemeEnd);
    if (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres"))
        return fail(QStringLiteral("scheme '%1' is not postgresql:// or postgres://").arg(scheme));

    QString rest = text.mid(schemeEnd + 3);
    if (rest.contains(QLatin1Char('#')))
        return fail(QStringLiteral("a URL fragment ('#...') is not allowed; percent-encode '#' as %23"));
    QString query;
    if (const qsizetype q = rest.indexOf(QLatin1Char('?')); q >= 0) {
        query = rest.mid(q + 1);
        rest = rest.left(q);
    }
    QString path;
    if (const qsizetype slash = rest.indexOf(QLatin1Char('/')); slash >= 0) {
        path = rest.mid(slash + 1);
        rest = rest.left(slash);
    }
    QString hostPort = rest;
    if (const qsizetype at = rest.lastIndexOf(QLatin1Char('@')); at >= 0) {
        const QString userInfo = rest.left(at);
        hostPort = rest.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        const auto user = percentDecode(colon >= 0 ? userInfo.left(colon) : userInfo);
        if (!user)
            return fail(QStringLiteral("the user name has an invalid percent-encoding"));
        url.m_user = *user;
        if (colon >= 0) {
            const auto password = percentDecode(userInfo.mid(colon + 1));
            if (!password)
                return fail(QStringLiteral("the password has an invalid percent-encoding"));
            url.m_password = *password;
        }
    }

    if (hostPort.contains(QLatin1Char(',')))
        return fail(QStringLiteral("several hosts ('%1') are not supported; give one host").arg(hostPort));
    QString portText;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("the IPv6 host '%1' lacks its closing ']'").arg(hostPort));
        url.m_host = hostPort.mid(1, close - 1);
        const QString after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':')))
                return fail(QStringLiteral("unexpected '%1' after the IPv6 host").arg(after));
            portText = after.mid(1);
            if (portText.isEmpty())
                return fail(QStringLiteral("the port is empty"));
        }
    } else {
        const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
        QString hostText = hostPort;
        if (colon >= 0) {
            hostText = hostPort.left(colon);
            portText = hostPort.mid(colon + 1);
            if (portText.isEmpty())
                return fail(QStringLiteral("the port is empty"));
        }
        const auto host = percentDecode(hostText);
        if (!host)
            return fail(QStringLiteral("the host has an invalid percent-encoding"));
        url.m_host = *host;
    }
    const auto badHost = [&]() {
        return fail(QStringLiteral("host '%1' is not a host name, an IPv6 address in brackets ([::1]) or a socket folder")
                        .arg(url.m_host));
    };
    if (!isValidHost(url.m_host))
        return badHost();
    const auto parsePort = [&](const QString &value) -> bool {
        bool ok = false;
        const int port = value.toInt(&ok);
        if (!ok || port < 1 || port > 65535 || value.startsWith(QLatin1Char('+')))
            return false;
        url.m_port = port;
        return true;
    };
    if (!portText.isEmpty() && !parsePort(portText))
        return fail(QStringLiteral("port '%1' is not a number from 1 to 65535").arg(portText));

    if (!path.isEmpty()) {
        // A '/' in the path is a mistake (postgresql://host/db/more); one that is meant is written %2F
        // (found by fuzzing: the check used to run after decoding, so %2F was refused too, and a
        // ?dbname= with '/' could not be written back into a URL).
        if (path.contains(QLatin1Char('/')))
            return fail(QStringLiteral("database name '%1' contains '/'; percent-encode it as %2F").arg(path));
        const auto database = percentDecode(path);
        if (!database)
            return fail(QStringLiteral("the database name has an invalid percent-encoding"));
        url.m_database = *database;
    }

    if (!query.isEmpty()) {
        for (const QString &pair : query.split(QLatin1Char('&'))) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return fail(QStringLiteral("query parameter '%1' is not of the form name=value").arg(pair));
            const auto name = percentDecode(pair.left(eq));
            const auto value = percentDecode(pair.mid(eq + 1));
            if (!name || !value)
                return fail(QStringLiteral("query parameter '%1' has an invalid percent-encoding")
                                .arg(pair.left(eq)));
            if (*name == QLatin1String("host")) {
                if (value->contains(QLatin1Char(',')))
                    return fail(
                        QStringLiteral("several hosts ('%1') are not supported; give one host").arg(*value));
                url.m_host = *value;
                if (!isValidHost(url.m_host))
                    return badHost();
            } else if (*name == QLatin1String("port")) {
                if (!parsePort(*value))
                    return fail(QStringLiteral("port '%1' is not a number from 1 to 65535").arg(*value));
            } else if (*name == QLatin1String("user")) {
                url.m_user = *value;
            } else if (*name == QLatin1String("password")) {
                url.m_password = *value;
            } else if (*name == QLatin1String("dbname")) {
                url.m_database = *value;
            } else if (passThroughParameters().contains(*name)) {
                if (const QString problem = validateParameter(*name, *value); !problem.isEmpty())
                    return fail(problem);
                url.m_parameters.append({*name, *value});
            } else {
                return fail(QStringLiteral("unknown parameter '%1'").arg(*name));
            }
        }
    }
    return Result<DatabaseUrl>::success(url);
}

DatabaseUrl DatabaseUrl::forSocket(const QString &socketDir, int port, const QString &user,
                                   const QString &database)
{
    DatabaseUrl url;
    url.m_host = socketDir;
    url.m_port = port;
    url.m_user = user;
    url.m_database = database;
    return url;
}

QString DatabaseUrl::parameter(const QString &name) const
{
    for (const auto &[key, value] : m_parameters) {
        if (key == name)
            return value;
    }
    return {};
}

DatabaseUrl DatabaseUrl::withDatabase(const QString &database) const
{
    DatabaseUrl copy = *this;
    copy.m_database = database;
    return copy;
}

DatabaseUrl DatabaseUrl::withParameter(const QString &name, const QString &value) const
{
    DatabaseUrl copy = *this;
    for (auto &entry : copy.m_parameters) {
        if (entry.first == name) {
            entry.second = value;
            return copy;
        }
    }
    copy.m_parameters.append({name, value});
    return copy;
}

namespace {
QString render(const DatabaseUrl &url, bool maskPassword)
{
    QString out = QStringLiteral("postgresql://");
    const bool socketHost = url.isUnixSocket();
    if (!url.user().isEmpty() || !url.password().isEmpty()) {
        out += percentEncode(url.user());
        if (!url.password().isEmpty())
            out += QLatin1Char(':') + (maskPassword ? QStringLiteral("***") : percentEncode(url.password()));
        out += QLatin1Char('@');
    }
    if (!socketHost) {
        out += url.host().contains(QLatin1Char(':')) ? QLatin1Char('[') + url.host() + QLatin1Char(']')
                                                     : percentEncode(url.host());
        if (url.port() > 0)
            out += QLatin1Char(':') + QString::number(url.port());
    }
    out += QLatin1Char('/') + percentEncode(url.database());
    QStringList query;
    if (socketHost) {
        query << QStringLiteral("host=") + percentEncode(url.host(), "/"); // readable socket paths
        if (url.port() > 0)
            query << QStringLiteral("port=") + QString::number(url.port());
    }
    for (const auto &[name, value] : url.parameters())
        query << percentEncode(name) + QLatin1Char('=') + percentEncode(value);
    if (!query.isEmpty())
        out += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return out;
}
} // namespace

QString DatabaseUrl::toDisplayString() const
{
    return render(*this, true);
}

QString DatabaseUrl::toString() const
{
    return render(*this, false);
}

QString DatabaseUrl::toConnInfo() const
{
    QStringList parts;
    const auto add = [&parts](const QString &key, const QString &value) {
        if (!value.isEmpty())
            parts << key + QLatin1Char('=') + connInfoQuote(value);
    };
    add(QStringLiteral("host"), m_host);
    if (m_port > 0)
        add(QStringLiteral("port"), QString::number(m_port));
    add(QStringLiteral("user"), m_user);
    add(QStringLiteral("password"), m_password);
    add(QStringLiteral("dbname"), m_database);
    for (const auto &[name, value] : m_parameters)
        add(name, value);
    return parts.join(QLatin1Char(' '));
}

void DatabaseUrl::applyTo(QSqlDatabase &db) const
{
    db.setHostName(m_host);
    db.setPort(m_port > 0 ? m_port : -1);
    db.setUserName(m_user);
    db.setPassword(m_password);
    db.setDatabaseName(m_database);
    QStringList options;
    for (const auto &[name, value] : m_parameters)
        options << name + QLatin1Char('=') + connInfoQuote(value);
    db.setConnectOptions(options.join(QLatin1Char(';')));
}

} // namespace syncdesk
