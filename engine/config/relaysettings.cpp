#include "config/relaysettings.h"

#include "config/settingsloader.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

namespace syncdesk {

namespace {

QStringList servers(const QString &url)
{
    QStringList list;
    for (const QString &part : url.split(QLatin1Char(','), Qt::SkipEmptyParts))
        list << part.trimmed();
    return list;
}

QString urlProblem(const QString &url)
{
    const QStringList list = servers(url);
    if (list.isEmpty())
        return {};
    for (const QString &server : list) {
        const QUrl parsed(server, QUrl::StrictMode);
        const QString scheme = parsed.scheme();
        if (!parsed.isValid() || parsed.host().isEmpty() ||
            (scheme != QLatin1String("nats") && scheme != QLatin1String("tls")))
            return QStringLiteral("is not a list of nats://host:port or tls://host:port addresses");
        if (parsed.port() == 0 || (!parsed.path().isEmpty() && parsed.path() != QLatin1String("/")))
            return QStringLiteral("is not a list of nats://host:port or tls://host:port addresses");
    }
    return {};
}

QString fileProblem(const QString &path)
{
    if (path.isEmpty())
        return {};
    const QFileInfo info(path);
    return info.isFile() && info.isReadable() ? QString() : QStringLiteral("names no readable file");
}

QString wholeNumber(int &target, const QString &value, int min, int max)
{
    bool ok = false;
    const int number = value.trimmed().toInt(&ok);
    if (!ok || number < min || number > max)
        return QStringLiteral("is not a whole number from %1 to %2").arg(min).arg(max);
    target = number;
    return {};
}

// Each check once, for the settings table (one value) and for problems() (all of them together).
const QRegularExpression &streamNamePattern()
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return pattern;
}

const QRegularExpression &subjectPrefixPattern()
{
    // Subject tokens without wildcards or spaces; the entity and the kind are appended.
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$"));
    return pattern;
}

const QRegularExpression &publicUserKeyPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^U[A-Z2-7]{55}$"));
    return pattern;
}

} // namespace

QString RelaySettings::displayUrl() const
{
    QStringList shown;
    for (const QString &server : servers(url)) {
        QUrl parsed(server);
        if (!parsed.password().isEmpty())
            parsed.setPassword(QStringLiteral("***"));
        shown << parsed.toString();
    }
    return shown.join(QLatin1Char(','));
}

QStringList RelaySettings::problems() const
{
    QStringList found;
    if (const QString problem = urlProblem(url); !problem.isEmpty())
        found << QStringLiteral("SYNC_NATS_URL %1").arg(problem);
    if (!streamNamePattern().match(stream).hasMatch())
        found << QStringLiteral("SYNC_NATS_STREAM '%1' is not a stream name (letters, digits, - and _)").arg(stream);
    if (!subjectPrefixPattern().match(subjectPrefix).hasMatch())
        found << QStringLiteral("SYNC_NATS_SUBJECT_PREFIX '%1' is not a subject prefix (dot-separated words, no wildcards)")
                     .arg(subjectPrefix);
    if (!nkey.isEmpty() && !publicUserKeyPattern().match(nkey).hasMatch())
        found << QStringLiteral("SYNC_NATS_NKEY is not a public user NKey (U followed by 55 characters)");
    if (nkey.isEmpty() != nkeySeedFile.isEmpty())
        found << QStringLiteral("SYNC_NATS_NKEY and SYNC_NATS_NKEY_SEED must be set together");
    if (!nkey.isEmpty() && !credentialsFile.isEmpty())
        found << QStringLiteral("SYNC_NATS_CREDENTIALS and SYNC_NATS_NKEY are two ways to log in; set one");
    for (const auto &[name, path] : {std::pair{"SYNC_NATS_CREDENTIALS", credentialsFile},
                                     std::pair{"SYNC_NATS_NKEY_SEED", nkeySeedFile},
                                     std::pair{"SYNC_NATS_TLS_CA", tlsCaFile}}) {
        if (const QString problem = fileProblem(path); !problem.isEmpty())
            found << QStringLiteral("%1 %2").arg(QLatin1String(name), problem);
    }
    if (streamMaxAgeDays < 0 || streamMaxAgeDays > 3650)
        found << QStringLiteral("SYNC_NATS_STREAM_MAX_AGE is not a number of days from 0 to 3650");
    if (duplicateWindowSeconds < 1 || duplicateWindowSeconds > 86400)
        found << QStringLiteral("SYNC_NATS_DUPLICATE_WINDOW is not a number of seconds from 1 to 86400");
    return found;
}

void appendRelaySettingSpecs(QList<SettingSpec> &specs)
{
    const auto text = [](QString RelaySettings::*member, const QRegularExpression *pattern, const char *what) {
        return [member, pattern, what](SyncSettings &s, const QString &v) -> QString {
            const QString value = v.trimmed();
            if (pattern && !pattern->match(value).hasMatch())
                return QLatin1String(what);
            s.relay.*member = value;
            return {};
        };
    };
    const auto file = [](QString RelaySettings::*member) {
        return [member](SyncSettings &s, const QString &v) -> QString {
            const QString path = v.trimmed();
            if (const QString problem = fileProblem(path); !problem.isEmpty())
                return problem;
            s.relay.*member = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
            return {};
        };
    };
    specs.append({QStringLiteral("SYNC_NATS_URL"), QStringLiteral("nats-url"), QStringLiteral("url"),
                  QStringLiteral("NATS server(s) the event relay publishes to, nats://host:4222 or tls://host:4222, "
                                 "comma-separated. Unset: no relay."),
                  QStringLiteral("unset"), [](SyncSettings &s, const QString &v) -> QString {
                      if (const QString problem = urlProblem(v); !problem.isEmpty())
                          return problem;
                      s.relay.url = servers(v).join(QLatin1Char(','));
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_NATS_ENABLED"), QStringLiteral("nats-enabled"), QStringLiteral("true|false"),
                  QStringLiteral("Relay events to NATS while SYNC_NATS_URL is set (the Settings page switches it)."),
                  QStringLiteral("true"), [](SyncSettings &s, const QString &v) -> QString {
                      const QString word = v.trimmed().toLower();
                      const QStringList yes{QStringLiteral("true"), QStringLiteral("1"), QStringLiteral("yes")};
                      const QStringList no{QStringLiteral("false"), QStringLiteral("0"), QStringLiteral("no")};
                      if (!yes.contains(word) && !no.contains(word))
                          return QStringLiteral("is not true or false");
                      s.relay.enabled = yes.contains(word);
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_NATS_STREAM"), QStringLiteral("nats-stream"), QStringLiteral("name"),
                  QStringLiteral("JetStream stream the events go to (created when missing)."), QStringLiteral("SYNCDESK"),
                  text(&RelaySettings::stream, &streamNamePattern(), "is not a stream name (letters, digits, - and _)")});
    specs.append({QStringLiteral("SYNC_NATS_SUBJECT_PREFIX"), QStringLiteral("nats-subject-prefix"),
                  QStringLiteral("prefix"), QStringLiteral("Events are published on <prefix>.<entity>.<kind>."),
                  QStringLiteral("syncdesk"),
                  text(&RelaySettings::subjectPrefix, &subjectPrefixPattern(),
                       "is not a subject prefix (dot-separated words, no wildcards)")});
    specs.append({QStringLiteral("SYNC_NATS_CREDENTIALS"), QStringLiteral("nats-credentials"), QStringLiteral("file"),
                  QStringLiteral("NATS credentials file (.creds: user JWT and NKey seed)."), QStringLiteral("unset"),
                  file(&RelaySettings::credentialsFile)});
    specs.append({QStringLiteral("SYNC_NATS_NKEY"), QStringLiteral("nats-nkey"), QStringLiteral("key"),
                  QStringLiteral("Public NKey of the NATS user (with SYNC_NATS_NKEY_SEED)."), QStringLiteral("unset"),
                  text(&RelaySettings::nkey, &publicUserKeyPattern(), "is not a public user NKey (U followed by 55 characters)")});
    specs.append({QStringLiteral("SYNC_NATS_NKEY_SEED"), QStringLiteral("nats-nkey-seed"), QStringLiteral("file"),
                  QStringLiteral("File holding the seed of SYNC_NATS_NKEY."), QStringLiteral("unset"),
                  file(&RelaySettings::nkeySeedFile)});
    specs.append({QStringLiteral("SYNC_NATS_TLS_CA"), QStringLiteral("nats-tls-ca"), QStringLiteral("file"),
                  QStringLiteral("PEM file of the CA certificates that sign the NATS server's (tls://)."),
                  QStringLiteral("the system's"), file(&RelaySettings::tlsCaFile)});
    specs.append({QStringLiteral("SYNC_NATS_STREAM_MAX_AGE"), QStringLiteral("nats-stream-max-age"),
                  QStringLiteral("days"),
                  QStringLiteral("Days a stream SyncDesk creates keeps its messages (0: until its limits)."),
                  QStringLiteral("7"), [](SyncSettings &s, const QString &v) {
                      return wholeNumber(s.relay.streamMaxAgeDays, v, 0, 3650);
                  }});
    specs.append({QStringLiteral("SYNC_NATS_DUPLICATE_WINDOW"), QStringLiteral("nats-duplicate-window"),
                  QStringLiteral("seconds"),
                  QStringLiteral("How long a stream SyncDesk creates remembers message ids to drop re-sent events."),
                  QStringLiteral("120"), [](SyncSettings &s, const QString &v) {
                      return wholeNumber(s.relay.duplicateWindowSeconds, v, 1, 86400);
                  }});
}

} // namespace syncdesk
