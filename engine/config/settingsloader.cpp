#include "config/settingsloader.h"

#include "config/apisettings.h"
#include "config/relaysettings.h"
#include "model/conflictpolicy.h"
#include "model/mappingfile.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QSettings>
#include <QStandardPaths>

#include <cmath>
#include <unistd.h>

namespace syncdesk {

namespace {

const QString kConfigName = QStringLiteral("SYNC_CONFIG");

QString parseHours(double &target, const QString &value)
{
    bool ok = false;
    const double hours = value.toDouble(&ok);
    // A minute at the shortest (anything quicker is a mistake that would hammer the database),
    // a year at the longest.
    if (!ok || !std::isfinite(hours) || hours < 1.0 / 60.0 || hours > 8760.0)
        return QStringLiteral("is not a number of hours from 0.0167 (one minute) to 8760");
    target = hours;
    return {};
}

QString parseBool(bool &target, const QString &value)
{
    const QString word = value.trimmed().toLower();
    if (word == QLatin1String("true") || word == QLatin1String("1") || word == QLatin1String("yes"))
        target = true;
    else if (word == QLatin1String("false") || word == QLatin1String("0") || word == QLatin1String("no"))
        target = false;
    else
        return QStringLiteral("is not true or false");
    return {};
}

QString parseInteger(int &target, const QString &value, int min, int max)
{
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < min || number > max)
        return QStringLiteral("is not a whole number from %1 to %2").arg(min).arg(max);
    target = number;
    return {};
}

QString parseUrl(std::optional<DatabaseUrl> &target, const QString &value)
{
    if (value.trimmed().isEmpty()) {
        target.reset();
        return {};
    }
    auto url = DatabaseUrl::parse(value);
    if (!url)
        return QStringLiteral("is not a valid PostgreSQL URL (%1)").arg(url.error());
    target = url.value();
    return {};
}

QList<SettingSpec> buildSpecs()
{
    QList<SettingSpec> specs;
    specs.append({QStringLiteral("DATABASE_URL"), QStringLiteral("database-url"), QStringLiteral("url"),
                  QStringLiteral("PostgreSQL URL of the main backend (and of the dashboard, unless "
                                 "DASHBOARD_DATABASE_URL is set). Unset: SyncDesk runs its own private "
                                 "PostgreSQL in the data folder."),
                  QStringLiteral("private cluster"),
                  [](SyncSettings &s, const QString &v) { return parseUrl(s.databaseUrl, v); }});
    specs.append(
        {QStringLiteral("DASHBOARD_DATABASE_URL"), QStringLiteral("dashboard-database-url"),
         QStringLiteral("url"),
         QStringLiteral("PostgreSQL URL of the helpdesk dashboard when it lives in a second database."),
         QStringLiteral("same as DATABASE_URL"),
         [](SyncSettings &s, const QString &v) { return parseUrl(s.dashboardDatabaseUrl, v); }});
    specs.append(
        {QStringLiteral("SYNC_CONSISTENCY_CHECK_INTERVAL"), QStringLiteral("consistency-check-interval"),
         QStringLiteral("hours"), QStringLiteral("Hours between automatic consistency checks."),
         QStringLiteral("1"),
         [](SyncSettings &s, const QString &v) { return parseHours(s.consistencyCheckIntervalHours, v); }});
    specs.append({QStringLiteral("SYNC_EVENT_CLEANUP_INTERVAL"), QStringLiteral("event-cleanup-interval"),
                  QStringLiteral("hours"), QStringLiteral("Hours between clean-ups of processed events."),
                  QStringLiteral("6"), [](SyncSettings &s, const QString &v) {
                      return parseHours(s.eventCleanupIntervalHours, v);
                  }});
    specs.append(
        {QStringLiteral("SYNC_AUTO_TICKET_THRESHOLD"), QStringLiteral("auto-ticket-threshold"),
         QStringLiteral("0..1"),
         QStringLiteral("Confidence at or above which a conversation becomes a ticket automatically."),
         QStringLiteral("0.7"), [](SyncSettings &s, const QString &v) -> QString {
             bool ok = false;
             const double threshold = v.toDouble(&ok);
             if (!ok || !std::isfinite(threshold) || threshold < 0.0 || threshold > 1.0)
                 return QStringLiteral("is not a number from 0 to 1");
             s.autoTicketThreshold = threshold;
             return {};
         }});
    specs.append({QStringLiteral("SYNC_DATA_DIR"), QStringLiteral("data-dir"), QStringLiteral("dir"),
                  QStringLiteral("Folder for the private PostgreSQL and local state."),
                  QStringLiteral("~/.local/share/syncdesk (root: /var/lib/syncdesk)"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      if (v.trimmed().isEmpty())
                          return QStringLiteral("is empty");
                      s.dataDir = QDir::cleanPath(QFileInfo(v.trimmed()).absoluteFilePath());
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_HTTP_PORT"), QStringLiteral("http-port"), QStringLiteral("port"),
                  QStringLiteral("TCP port of the REST API (0: any free port)."), QStringLiteral("8000"),
                  [](SyncSettings &s, const QString &v) { return parseInteger(s.httpPort, v, 0, 65535); }});
    specs.append({QStringLiteral("SYNC_HTTP_BIND"), QStringLiteral("http-bind"), QStringLiteral("address"),
                  QStringLiteral("IP address the REST API listens on."), QStringLiteral("127.0.0.1"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      QHostAddress address;
                      if (!address.setAddress(v.trimmed()))
                          return QStringLiteral("is not an IPv4 or IPv6 address");
                      s.httpBind = v.trimmed();
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_HTTP_ENABLED"), QStringLiteral("http-enabled"), QStringLiteral("true|false"),
                  QStringLiteral("Serve the REST API (false: the engine only, as --no-http)."), QStringLiteral("true"),
                  [](SyncSettings &s, const QString &v) { return parseBool(s.httpEnabled, v); }});
    specs.append({QStringLiteral("SYNC_WORKERS"), QStringLiteral("workers"), QStringLiteral("n"),
                  QStringLiteral("Sync worker threads, each with its own database connection."),
                  QStringLiteral("2"),
                  [](SyncSettings &s, const QString &v) { return parseInteger(s.workers, v, 1, 64); }});
    specs.append(
        {QStringLiteral("SYNC_PG_BINDIR"), QStringLiteral("pg-bindir"), QStringLiteral("dir"),
         QStringLiteral("Folder with the PostgreSQL server programs (initdb, pg_ctl) for the private "
                        "cluster."),
         QStringLiteral("pg_config --bindir, /usr/lib/postgresql/<newest>/bin, PATH"),
         [](SyncSettings &s, const QString &v) -> QString {
             s.pgBinDir = v.trimmed();
             return {};
         }});
    specs.append({QStringLiteral("SYNC_BATCH_SIZE"), QStringLiteral("batch-size"), QStringLiteral("n"),
                  QStringLiteral("Captured changes a worker claims and applies in one transaction."),
                  QStringLiteral("1000"),
                  [](SyncSettings &s, const QString &v) { return parseInteger(s.batchSize, v, 1, 10000); }});
    specs.append({QStringLiteral("SYNC_MAX_ATTEMPTS"), QStringLiteral("max-attempts"), QStringLiteral("n"),
                  QStringLiteral("Attempts before a failing change is dead (kept, shown, retryable by hand)."),
                  QStringLiteral("8"),
                  [](SyncSettings &s, const QString &v) { return parseInteger(s.maxAttempts, v, 1, 100); }});
    specs.append({QStringLiteral("SYNC_POLL_INTERVAL"), QStringLiteral("poll-interval"), QStringLiteral("seconds"),
                  QStringLiteral("How often idle workers look for changes a notification missed."),
                  QStringLiteral("5"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      bool ok = false;
                      const double seconds = v.toDouble(&ok);
                      if (!ok || !std::isfinite(seconds) || seconds < 0.05 || seconds > 300)
                          return QStringLiteral("is not a number of seconds from 0.05 to 300");
                      s.pollIntervalSeconds = seconds;
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_LEASE"), QStringLiteral("lease"), QStringLiteral("seconds"),
                  QStringLiteral("A claim held longer than this (a hung worker) is released and taken again."),
                  QStringLiteral("60"),
                  [](SyncSettings &s, const QString &v) { return parseInteger(s.leaseSeconds, v, 5, 3600); }});
    specs.append({QStringLiteral("SYNC_RETENTION_DAYS"), QStringLiteral("retention-days"), QStringLiteral("days"),
                  QStringLiteral("Days applied changes and sync history are kept (pending and dead changes always are)."),
                  QStringLiteral("7"),
                  [](SyncSettings &s, const QString &v) { return parseInteger(s.retentionDays, v, 1, 3650); }});
    specs.append({QStringLiteral("SYNC_AUDIT_RETENTION_DAYS"), QStringLiteral("audit-retention-days"), QStringLiteral("days"),
                  QStringLiteral("Days the REST API's audit log is kept (by the clean-up task)."),
                  QStringLiteral("90"),
                  [](SyncSettings &s, const QString &v) { return parseInteger(s.auditRetentionDays, v, 1, 36500); }});
    specs.append({QStringLiteral("SYNC_AUTO_CREATE_TICKETS"), QStringLiteral("auto-create-tickets"),
                  QStringLiteral("true|false"),
                  QStringLiteral("Create or link tickets for conversations at or above the threshold (false: only "
                                 "recommend, a person decides)."),
                  QStringLiteral("true"),
                  [](SyncSettings &s, const QString &v) { return parseBool(s.autoCreateTickets, v); }});
    specs.append({QStringLiteral("SYNC_ANALYSIS_DEBOUNCE"), QStringLiteral("analysis-debounce"), QStringLiteral("seconds"),
                  QStringLiteral("A conversation receiving messages is analysed again at most this often."),
                  QStringLiteral("3"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      bool ok = false;
                      const double seconds = v.toDouble(&ok);
                      if (!ok || !std::isfinite(seconds) || seconds < 0 || seconds > 3600)
                          return QStringLiteral("is not a number of seconds from 0 to 3600");
                      s.analysisDebounceSeconds = seconds;
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_DELETE_POLICY"), QStringLiteral("delete-policy"), QStringLiteral("policy"),
                  QStringLiteral("review: a record deleted on one side waits for a decision; propagate: delete it on "
                                 "the other side too."),
                  QStringLiteral("review"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      if (v != QLatin1String("review") && v != QLatin1String("propagate"))
                          return QStringLiteral("is neither review nor propagate");
                      s.propagateDeletes = v == QLatin1String("propagate");
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_CONFLICT_STRATEGIES"), QStringLiteral("conflict-strategies"),
                  QStringLiteral("rules"),
                  QStringLiteral("Comma-separated conflict rules entity[.field]=strategy[/fallback], strategies "
                                 "latest_wins, manual_review, merge, preserve_both (also [conflicts] in the file)."),
                  QStringLiteral("customer=latest_wins, customer.email=manual_review, customer.tags=merge, "
                                 "ticket=latest_wins, ticket.subject/description=manual_review"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      const QStringList rules = v.split(QLatin1Char(','), Qt::SkipEmptyParts);
                      auto policy = ConflictPolicy::parse(s.conflictRules + rules);
                      if (!policy)
                          return QStringLiteral("is not valid: %1").arg(policy.error());
                      s.conflictRules += rules;
                      return {};
                  }});
    specs.append({QStringLiteral("SYNC_MAPPING"), QStringLiteral("mapping"), QStringLiteral("file"),
                  QStringLiteral("Mapping file: the tables and fields kept in sync (docs/mapping.md)."),
                  QStringLiteral("SyncDesk's own tables (syncdesk mapping show)"),
                  [](SyncSettings &s, const QString &v) -> QString {
                      if (v.trimmed().isEmpty()) {
                          s.mapping = Mapping::builtInShared();
                          return {};
                      }
                      auto mapping = MappingFile::read(v.trimmed());
                      if (!mapping)
                          return QStringLiteral("cannot be used:\n%1").arg(mapping.error());
                      s.mapping = std::make_shared<const Mapping>(std::move(mapping).value());
                      return {};
                  }});
    appendApiSettingSpecs(specs);
    appendRelaySettingSpecs(specs);
    return specs;
}

QString settingsValue(const QVariant &value)
{
    // QSettings turns "a,b" into a list; settings are plain strings here.
    if (value.metaType().id() == QMetaType::QStringList)
        return value.toStringList().join(QLatin1Char(','));
    return value.toString();
}

} // namespace

const QList<SettingSpec> &SettingsLoader::specs()
{
    static const QList<SettingSpec> table = buildSpecs();
    return table;
}

void SettingsLoader::addOptions(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(QStringLiteral("config"),
                                        QStringLiteral("Settings file to read (env SYNC_CONFIG)."),
                                        QStringLiteral("file")));
    for (const SettingSpec &spec : specs()) {
        parser.addOption(QCommandLineOption(
            spec.flag,
            QStringLiteral("%1 (env %2, default: %3)").arg(spec.description, spec.name, spec.defaultText),
            spec.valueName));
    }
}

QMap<QString, QString> SettingsLoader::commandLineValues(const QCommandLineParser &parser)
{
    QMap<QString, QString> values;
    if (parser.isSet(QStringLiteral("config")))
        values.insert(kConfigName, parser.value(QStringLiteral("config")));
    for (const SettingSpec &spec : specs()) {
        if (parser.isSet(spec.flag))
            values.insert(spec.name, parser.value(spec.flag));
    }
    return values;
}

Result<SyncSettings> SettingsLoader::load(const QMap<QString, QString> &commandLine,
                                          const QProcessEnvironment &environment,
                                          const QString &defaultSettingsFile)
{
    QStringList errors;
    QMap<QString, QString> fileValues;
    QStringList fileConflictRules;
    QString fileRead;

    QString settingsFile = defaultSettingsFile;
    bool explicitFile = false;
    if (commandLine.contains(kConfigName)) {
        settingsFile = commandLine.value(kConfigName);
        explicitFile = true;
    } else if (environment.contains(kConfigName)) {
        settingsFile = environment.value(kConfigName);
        explicitFile = true;
    }
    if (!settingsFile.isEmpty()) {
        const QFileInfo info(settingsFile);
        if (info.isFile() && info.isReadable()) {
            QSettings file(settingsFile, QSettings::IniFormat);
            if (file.status() != QSettings::NoError) {
                errors << QStringLiteral("settings file %1 cannot be parsed").arg(settingsFile);
            } else {
                for (const QString &key : file.childKeys())
                    fileValues.insert(key, settingsValue(file.value(key)));
                // [conflicts] customer.phone = manual_review
                file.beginGroup(QStringLiteral("conflicts"));
                for (const QString &key : file.childKeys())
                    fileConflictRules << key + QLatin1Char('=') + settingsValue(file.value(key));
                file.endGroup();
                fileRead = info.absoluteFilePath();
            }
        } else if (explicitFile) {
            errors << QStringLiteral("settings file %1 does not exist or cannot be read").arg(settingsFile);
        }
    }
    for (auto it = fileValues.cbegin(); it != fileValues.cend(); ++it) {
        const bool known = std::any_of(specs().cbegin(), specs().cend(),
                                       [&](const SettingSpec &spec) { return spec.name == it.key(); });
        if (!known)
            errors
                << QStringLiteral("%1 in settings file %2 is not a SyncDesk setting").arg(it.key(), fileRead);
    }

    SyncSettings settings;
    settings.settingsFile = fileRead;
    // File rules first: rules from the environment or command line are applied on top of them.
    if (auto policy = ConflictPolicy::parse(fileConflictRules); !policy)
        errors << QStringLiteral("[conflicts] in settings file %1: %2").arg(fileRead, policy.error());
    else
        settings.conflictRules = fileConflictRules;
    for (const SettingSpec &spec : specs()) {
        QString value;
        QString source;
        if (commandLine.contains(spec.name)) {
            value = commandLine.value(spec.name);
            source = QStringLiteral("command line --%1").arg(spec.flag);
        } else if (environment.contains(spec.name)) {
            value = environment.value(spec.name);
            source = QStringLiteral("environment");
        } else if (fileValues.contains(spec.name)) {
            value = fileValues.value(spec.name);
            source = QStringLiteral("settings file %1").arg(fileRead);
        } else {
            continue;
        }
        if (const QString problem = spec.apply(settings, value); !problem.isEmpty()) {
            // URLs may carry passwords: their message already shows a masked form, not the raw value.
            // Secrets (SYNC_JWT_SECRET) are never shown, not even when they are wrong.
            const bool secret = spec.name.endsWith(QLatin1String("_URL")) || spec.name.contains(QLatin1String("SECRET"));
            errors
                << (secret
                        ? QStringLiteral("%1 (from the %2) %3").arg(spec.name, source, problem)
                        : QStringLiteral("%1='%2' (from the %3) %4").arg(spec.name, value, source, problem));
        }
    }
    if (settings.dataDir.isEmpty())
        settings.dataDir = defaultDataDir();
    errors << checkApiSettings(settings);
    errors << settings.relay.problems();
    if (!errors.isEmpty())
        return Result<SyncSettings>::failure(errors.join(QLatin1Char('\n')));
    return Result<SyncSettings>::success(settings);
}

QString SettingsLoader::defaultSettingsFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/syncdesk/syncdesk.conf");
}

QString SettingsLoader::defaultDataDir()
{
    // The PostgreSQL server must run as an unprivileged account, and that account cannot enter
    // /root; so a root-run SyncDesk keeps its data where a system service would.
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/syncdesk");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/syncdesk");
}

} // namespace syncdesk
