#include "config/apisettings.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>

namespace syncdesk {

namespace {

// HS256 keys shorter than the hash output weaken it (RFC 7518 section 3.2).
constexpr int kMinimumSecretBytes = 32;

QString parseWhole(qint64 &target, const QString &value, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 number = value.trimmed().toLongLong(&ok);
    if (!ok || number < min || number > max)
        return QStringLiteral("is not a whole number from %1 to %2").arg(min).arg(max);
    target = number;
    return {};
}

QString parseWhole(int &target, const QString &value, int min, int max)
{
    qint64 number = 0;
    if (QString problem = parseWhole(number, value, min, max); !problem.isEmpty())
        return problem;
    target = int(number);
    return {};
}

QString parseSeconds(double &target, const QString &value, double min, double max)
{
    bool ok = false;
    const double seconds = value.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < min || seconds > max)
        return QStringLiteral("is not a number of seconds from %1 to %2").arg(min).arg(max);
    target = seconds;
    return {};
}

// "rate" or "rate/burst"; 0 turns the limit off. Without a burst, two seconds' worth.
QString parseRate(double &rate, double &burst, const QString &value)
{
    const QStringList parts = value.trimmed().split(QLatin1Char('/'));
    bool ok = false;
    const double perSecond = parts.value(0).toDouble(&ok);
    if (!ok || !std::isfinite(perSecond) || perSecond < 0 || perSecond > 1e6 || parts.size() > 2)
        return QStringLiteral("is not requests per second (0 to 1000000), optionally followed by /burst");
    double size = perSecond * 2;
    if (parts.size() == 2) {
        size = parts.at(1).toDouble(&ok);
        if (!ok || !std::isfinite(size) || size < 1 || size > 1e7)
            return QStringLiteral("has a burst that is not a number from 1 to 10000000");
    }
    rate = perSecond;
    burst = std::max(size, 1.0);
    return {};
}

QString readableFile(QString &target, const QString &value)
{
    const QString path = value.trimmed();
    if (path.isEmpty()) {
        target.clear();
        return {};
    }
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("names no readable file");
    target = info.absoluteFilePath();
    return {};
}

QString checkSecret(const QByteArray &secret)
{
    if (secret.size() < kMinimumSecretBytes)
        return QStringLiteral("is shorter than %1 bytes (HS256 needs a 256-bit secret)").arg(kMinimumSecretBytes);
    return {};
}

} // namespace

void appendApiSettingSpecs(QList<SettingSpec> &specs)
{
    specs.append({QStringLiteral("SYNC_HTTP_WORKERS"), QStringLiteral("http-workers"), QStringLiteral("n"),
                  QStringLiteral("Threads that serve REST requests which use the database."), QStringLiteral("4"),
                  [](SyncSettings &s, const QString &v) { return parseWhole(s.httpWorkers, v, 1, 64); }});
    specs.append({QStringLiteral("SYNC_HTTP_MAX_BODY"), QStringLiteral("http-max-body"), QStringLiteral("bytes"),
                  QStringLiteral("Largest request body the REST API accepts (larger: 413)."), QStringLiteral("1048576"),
                  [](SyncSettings &s, const QString &v) { return parseWhole(s.httpMaxBodyBytes, v, 0, 64 * 1024 * 1024); }});
    specs.append({QStringLiteral("SYNC_HTTP_MAX_HEADER"), QStringLiteral("http-max-header"), QStringLiteral("bytes"),
                  QStringLiteral("Largest request line and headers the REST API accepts (larger: 413)."),
                  QStringLiteral("16384"),
                  [](SyncSettings &s, const QString &v) { return parseWhole(s.httpMaxHeaderBytes, v, 1024, 1024 * 1024); }});
    specs.append({QStringLiteral("SYNC_HTTP_IDLE_TIMEOUT"), QStringLiteral("http-idle-timeout"), QStringLiteral("seconds"),
                  QStringLiteral("A REST connection without a request for this long is closed."), QStringLiteral("60"),
                  [](SyncSettings &s, const QString &v) { return parseSeconds(s.httpIdleTimeoutSeconds, v, 0.1, 3600); }});
    specs.append({QStringLiteral("SYNC_HTTP_REQUEST_TIMEOUT"), QStringLiteral("http-request-timeout"), QStringLiteral("seconds"),
                  QStringLiteral("A request must arrive completely within this time of its first byte (else 408)."),
                  QStringLiteral("10"),
                  [](SyncSettings &s, const QString &v) { return parseSeconds(s.httpRequestTimeoutSeconds, v, 0.1, 600); }});
    specs.append({QStringLiteral("SYNC_HTTP_MAX_CONNECTIONS"), QStringLiteral("http-max-connections"), QStringLiteral("n"),
                  QStringLiteral("Open REST connections at most (more are refused)."), QStringLiteral("512"),
                  [](SyncSettings &s, const QString &v) { return parseWhole(s.httpMaxConnections, v, 1, 100000); }});
    specs.append({QStringLiteral("SYNC_HTTP_MAX_CONNECTIONS_PER_CLIENT"), QStringLiteral("http-max-connections-per-client"),
                  QStringLiteral("n"), QStringLiteral("Open REST connections from one client address at most."),
                  QStringLiteral("64"),
                  [](SyncSettings &s, const QString &v) { return parseWhole(s.httpMaxConnectionsPerClient, v, 1, 100000); }});
    specs.append({QStringLiteral("SYNC_RATE_LIMIT_CLIENT"), QStringLiteral("rate-limit-client"), QStringLiteral("rate[/burst]"),
                  QStringLiteral("Requests per second from one client address (token bucket; 0: no limit); over it: 429."),
                  QStringLiteral("200/400"),
                  [](SyncSettings &s, const QString &v) { return parseRate(s.rateLimitClient, s.rateLimitClientBurst, v); }});
    specs.append({QStringLiteral("SYNC_RATE_LIMIT_CREDENTIAL"), QStringLiteral("rate-limit-credential"),
                  QStringLiteral("rate[/burst]"),
                  QStringLiteral("Requests per second per token subject or API key (token bucket; 0: no limit)."),
                  QStringLiteral("100/200"), [](SyncSettings &s, const QString &v) {
                      return parseRate(s.rateLimitCredential, s.rateLimitCredentialBurst, v);
                  }});
    specs.append({QStringLiteral("SYNC_JWT_SECRET"), QStringLiteral("jwt-secret"), QStringLiteral("secret"),
                  QStringLiteral("HS256 secret of the REST API's bearer tokens, 32 bytes or more (prefer "
                                 "SYNC_JWT_SECRET_FILE: a command line is visible to other users)."),
                  QStringLiteral("unset"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      const QByteArray secret = v.toUtf8();
                      if (secret.isEmpty()) {
                          s.jwtSecret.clear();
                          return {};
                      }
                      if (QString problem = checkSecret(secret); !problem.isEmpty())
                          return problem;
                      s.jwtSecret = secret;
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_JWT_SECRET_FILE"), QStringLiteral("jwt-secret-file"), QStringLiteral("file"),
                  QStringLiteral("File holding the HS256 secret (a trailing newline is ignored)."), QStringLiteral("unset"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      if (v.trimmed().isEmpty())
                          return {};
                      if (!s.jwtSecret.isEmpty())
                          return QStringLiteral("cannot be used together with SYNC_JWT_SECRET");
                      QFile file(v.trimmed());
                      if (!file.open(QIODevice::ReadOnly))
                          return QStringLiteral("cannot be read: %1").arg(file.errorString());
                      QByteArray secret = file.read(64 * 1024);
                      while (secret.endsWith('\n') || secret.endsWith('\r'))
                          secret.chop(1);
                      if (QString problem = checkSecret(secret); !problem.isEmpty())
                          return QStringLiteral("holds a secret that %1").arg(problem);
                      s.jwtSecretFile = QFileInfo(file).absoluteFilePath();
                      s.jwtSecret = secret;
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_JWT_ISSUER"), QStringLiteral("jwt-issuer"), QStringLiteral("iss"),
                  QStringLiteral("When set, bearer tokens must carry this issuer (iss)."), QStringLiteral("unset"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      s.jwtIssuer = v.trimmed();
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_JWT_AUDIENCE"), QStringLiteral("jwt-audience"), QStringLiteral("aud"),
                  QStringLiteral("When set, bearer tokens must name this audience (aud)."), QStringLiteral("unset"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      s.jwtAudience = v.trimmed();
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_JWT_LEEWAY"), QStringLiteral("jwt-leeway"), QStringLiteral("seconds"),
                  QStringLiteral("Clock difference allowed when checking a token's exp and nbf."), QStringLiteral("30"),
                  [](SyncSettings &s, const QString &v) { return parseWhole(s.jwtLeewaySeconds, v, 0, 300); }});
    specs.append({QStringLiteral("SYNC_CORS_ORIGINS"), QStringLiteral("cors-origins"), QStringLiteral("origins"),
                  QStringLiteral("Comma-separated browser origins allowed to call the REST API, e.g. "
                                 "https://admin.example.com (none by default)."),
                  QStringLiteral("none"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      QStringList origins;
                      for (const QString &item : v.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                          const QString origin = item.trimmed();
                          const QUrl url(origin, QUrl::StrictMode);
                          const bool valid = url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
                                             && !url.host().isEmpty() && url.path().isEmpty() && !url.hasQuery()
                                             && !url.hasFragment() && url.userInfo().isEmpty();
                          if (!valid)
                              return QStringLiteral("has '%1', which is not an origin like https://host[:port]").arg(origin);
                          origins << origin.toLower();
                      }
                      s.corsOrigins = origins;
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_TLS_CERT"), QStringLiteral("tls-cert"), QStringLiteral("file"),
                  QStringLiteral("PEM certificate (chain) of the REST API; with SYNC_TLS_KEY it serves HTTPS only."),
                  QStringLiteral("unset"), [](SyncSettings &s, const QString &v) { return readableFile(s.tlsCertFile, v); }});
    specs.append({QStringLiteral("SYNC_TLS_KEY"), QStringLiteral("tls-key"), QStringLiteral("file"),
                  QStringLiteral("PEM private key (unencrypted) of SYNC_TLS_CERT."), QStringLiteral("unset"),
                  [](SyncSettings &s, const QString &v) { return readableFile(s.tlsKeyFile, v); }});
    specs.append({QStringLiteral("SYNC_LOG_FORMAT"), QStringLiteral("log-format"), QStringLiteral("text|json"),
                  QStringLiteral("Log lines on stderr as text or as one JSON object per line."), QStringLiteral("text"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      const QString format = v.trimmed().toLower();
                      if (format != QLatin1String("text") && format != QLatin1String("json"))
                          return QStringLiteral("is neither text nor json");
                      s.logFormat = format;
                      return {};
                  }});
}

QStringList checkApiSettings(const SyncSettings &settings)
{
    QStringList problems;
    if (settings.tlsCertFile.isEmpty() != settings.tlsKeyFile.isEmpty())
        problems << QStringLiteral("SYNC_TLS_CERT and SYNC_TLS_KEY must be set together");
    return problems;
}

} // namespace syncdesk
