#include "config/settingsloader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;

// Command line over environment over settings file over defaults.
class TestSettingsLoader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void defaultsWithNothingConfigured();
    void precedence_data();
    void precedence();
    void everySettingFromEverySource_data();
    void everySettingFromEverySource();
    void refusesBadValues_data();
    void refusesBadValues();
    void relaySettingsThatOnlyWorkTogether();
    void reportsEveryProblemAtOnce();
    void refusesUnknownKeysInTheSettingsFile();
    void refusesAMissingExplicitSettingsFile();
    void ignoresAMissingDefaultSettingsFile();
    void commandLineFlagsMapToSettings();

private:
    QString writeSettingsFile(const QString &contents);
    QTemporaryDir m_dir;
};

void TestSettingsLoader::init()
{
    QVERIFY(m_dir.isValid());
}

QString TestSettingsLoader::writeSettingsFile(const QString &contents)
{
    const QString path = m_dir.filePath(QStringLiteral("syncdesk-%1.conf")
                                            .arg(QTest::currentDataTag())
                                            .replace(QLatin1Char(' '), QLatin1Char('_')));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(contents.toUtf8());
    return path;
}

void TestSettingsLoader::defaultsWithNothingConfigured()
{
    const auto settings = SettingsLoader::load({}, QProcessEnvironment(), QString());
    QVERIFY2(settings.ok(), qPrintable(settings.error()));
    QVERIFY(!settings->databaseUrl.has_value());
    QVERIFY(!settings->dashboardDatabaseUrl.has_value());
    QCOMPARE(settings->consistencyCheckIntervalHours, 1.0);
    QCOMPARE(settings->eventCleanupIntervalHours, 6.0);
    QCOMPARE(settings->auditRetentionDays, 90);
    QCOMPARE(settings->autoTicketThreshold, 0.7);
    QCOMPARE(settings->httpPort, 8000);
    QCOMPARE(settings->httpBind, QStringLiteral("127.0.0.1"));
    QCOMPARE(settings->workers, 2);
    QCOMPARE(settings->dataDir, SettingsLoader::defaultDataDir());
    QVERIFY(!settings->dataDir.isEmpty());
    QVERIFY(settings->settingsFile.isEmpty());
}

void TestSettingsLoader::precedence_data()
{
    QTest::addColumn<QString>("commandLine");
    QTest::addColumn<QString>("environment");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("expected");

    QTest::newRow("default") << ""
                             << ""
                             << "" << 2;
    QTest::newRow("file") << ""
                          << ""
                          << "3" << 3;
    QTest::newRow("environment over file") << ""
                                           << "4"
                                           << "3" << 4;
    QTest::newRow("command line over environment") << "5"
                                                   << "4"
                                                   << "3" << 5;
    QTest::newRow("command line over file") << "6"
                                            << ""
                                            << "3" << 6;
    QTest::newRow("command line alone") << "7"
                                        << ""
                                        << "" << 7;
}

void TestSettingsLoader::precedence()
{
    QFETCH(QString, commandLine);
    QFETCH(QString, environment);
    QFETCH(QString, file);
    QFETCH(int, expected);

    QMap<QString, QString> cli;
    if (!commandLine.isEmpty())
        cli.insert(QStringLiteral("SYNC_WORKERS"), commandLine);
    QProcessEnvironment env;
    if (!environment.isEmpty())
        env.insert(QStringLiteral("SYNC_WORKERS"), environment);
    const QString path =
        file.isEmpty() ? QString() : writeSettingsFile(QStringLiteral("SYNC_WORKERS=%1\n").arg(file));

    const auto settings = SettingsLoader::load(cli, env, path);
    QVERIFY2(settings.ok(), qPrintable(settings.error()));
    QCOMPARE(settings->workers, expected);
}

void TestSettingsLoader::everySettingFromEverySource_data()
{
    QTest::addColumn<QString>("source");
    QTest::newRow("command line") << "cli";
    QTest::newRow("environment") << "env";
    QTest::newRow("settings file") << "file";
}

void TestSettingsLoader::everySettingFromEverySource()
{
    QFETCH(QString, source);
    const QMap<QString, QString> values{
        {QStringLiteral("DATABASE_URL"), QStringLiteral("postgresql://u:p@main:5432/backend")},
        {QStringLiteral("DASHBOARD_DATABASE_URL"), QStringLiteral("postgresql://u:p@desk:5432/helpdesk")},
        {QStringLiteral("SYNC_CONSISTENCY_CHECK_INTERVAL"), QStringLiteral("0.5")},
        {QStringLiteral("SYNC_EVENT_CLEANUP_INTERVAL"), QStringLiteral("12")},
        {QStringLiteral("SYNC_AUTO_TICKET_THRESHOLD"), QStringLiteral("0.85")},
        {QStringLiteral("SYNC_DATA_DIR"), QStringLiteral("/srv/syncdesk/../syncdesk")},
        {QStringLiteral("SYNC_HTTP_PORT"), QStringLiteral("9100")},
        {QStringLiteral("SYNC_HTTP_BIND"), QStringLiteral("::1")},
        {QStringLiteral("SYNC_WORKERS"), QStringLiteral("8")},
        {QStringLiteral("SYNC_PG_BINDIR"), QStringLiteral("/opt/pg/bin")},
    };
    QMap<QString, QString> cli;
    QProcessEnvironment env;
    QString path;
    if (source == QLatin1String("cli"))
        cli = values;
    if (source == QLatin1String("env")) {
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            env.insert(it.key(), it.value());
    }
    if (source == QLatin1String("file")) {
        QString contents;
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            contents += QStringLiteral("%1=\"%2\"\n").arg(it.key(), it.value());
        path = writeSettingsFile(contents);
    }
    const auto settings = SettingsLoader::load(cli, env, path);
    QVERIFY2(settings.ok(), qPrintable(settings.error()));
    QCOMPARE(settings->databaseUrl->host(), QStringLiteral("main"));
    QCOMPARE(settings->dashboardDatabaseUrl->database(), QStringLiteral("helpdesk"));
    QCOMPARE(settings->consistencyCheckIntervalHours, 0.5);
    QCOMPARE(settings->eventCleanupIntervalHours, 12.0);
    QCOMPARE(settings->autoTicketThreshold, 0.85);
    QCOMPARE(settings->dataDir, QStringLiteral("/srv/syncdesk"));
    QCOMPARE(settings->httpPort, 9100);
    QCOMPARE(settings->httpBind, QStringLiteral("::1"));
    QCOMPARE(settings->workers, 8);
    QCOMPARE(settings->pgBinDir, QStringLiteral("/opt/pg/bin"));
    QCOMPARE(settings->settingsFile.isEmpty(), path.isEmpty());
}

void TestSettingsLoader::refusesBadValues_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("workers not a number") << "SYNC_WORKERS"
                                          << "many"
                                          << "SYNC_WORKERS='many'";
    QTest::newRow("workers zero") << "SYNC_WORKERS"
                                  << "0"
                                  << "from 1 to 64";
    QTest::newRow("workers too many") << "SYNC_WORKERS"
                                      << "65"
                                      << "from 1 to 64";
    QTest::newRow("workers fraction") << "SYNC_WORKERS"
                                      << "2.5"
                                      << "SYNC_WORKERS='2.5'";
    QTest::newRow("port negative") << "SYNC_HTTP_PORT"
                                   << "-1"
                                   << "SYNC_HTTP_PORT='-1'";
    QTest::newRow("port too high") << "SYNC_HTTP_PORT"
                                   << "65536"
                                   << "from 0 to 65535";
    QTest::newRow("bind not an address") << "SYNC_HTTP_BIND"
                                         << "localhost"
                                         << "not an IPv4 or IPv6 address";
    QTest::newRow("threshold above one") << "SYNC_AUTO_TICKET_THRESHOLD"
                                         << "1.5"
                                         << "from 0 to 1";
    QTest::newRow("threshold nan") << "SYNC_AUTO_TICKET_THRESHOLD"
                                   << "nan"
                                   << "SYNC_AUTO_TICKET_THRESHOLD='nan'";
    QTest::newRow("check interval text") << "SYNC_CONSISTENCY_CHECK_INTERVAL"
                                         << "hourly"
                                         << "SYNC_CONSISTENCY_CHECK_INTERVAL='hourly'";
    QTest::newRow("check interval zero") << "SYNC_CONSISTENCY_CHECK_INTERVAL"
                                         << "0"
                                         << "number of hours";
    QTest::newRow("cleanup interval negative") << "SYNC_EVENT_CLEANUP_INTERVAL"
                                               << "-6"
                                               << "SYNC_EVENT_CLEANUP_INTERVAL='-6'";
    QTest::newRow("cleanup interval infinite") << "SYNC_EVENT_CLEANUP_INTERVAL"
                                               << "inf"
                                               << "number of hours";
    QTest::newRow("audit retention zero") << "SYNC_AUDIT_RETENTION_DAYS"
                                          << "0"
                                          << "SYNC_AUDIT_RETENTION_DAYS='0'";
    QTest::newRow("data dir blank") << "SYNC_DATA_DIR"
                                    << "  "
                                    << "SYNC_DATA_DIR";
    QTest::newRow("database url scheme") << "DATABASE_URL"
                                         << "mysql://u:secret@db/x"
                                         << "DATABASE_URL";
    QTest::newRow("dashboard url port") << "DASHBOARD_DATABASE_URL"
                                        << "postgresql://u:secret@db:99999/x"
                                        << "DASHBOARD_DATABASE_URL";
    QTest::newRow("nats url scheme") << "SYNC_NATS_URL"
                                     << "http://relay:secret@broker:4222"
                                     << "nats://host:port or tls://host:port";
    QTest::newRow("nats url without host") << "SYNC_NATS_URL"
                                           << "nats://:4222"
                                           << "nats://host:port or tls://host:port";
    QTest::newRow("nats stream with a space") << "SYNC_NATS_STREAM"
                                              << "my stream"
                                              << "not a stream name";
    QTest::newRow("nats prefix with a wildcard") << "SYNC_NATS_SUBJECT_PREFIX"
                                                 << "syncdesk.>"
                                                 << "not a subject prefix";
    QTest::newRow("nats nkey not a user key") << "SYNC_NATS_NKEY"
                                              << "SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY"
                                              << "public user NKey";
    QTest::newRow("nats credentials missing") << "SYNC_NATS_CREDENTIALS"
                                              << "/nonexistent/relay.creds"
                                              << "no readable file";
    QTest::newRow("nats stream age negative") << "SYNC_NATS_STREAM_MAX_AGE"
                                              << "-1"
                                              << "from 0 to 3650";
    QTest::newRow("nats switch") << "SYNC_NATS_ENABLED"
                                 << "maybe"
                                 << "true or false";
}

void TestSettingsLoader::refusesBadValues()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QProcessEnvironment env;
    env.insert(name, value);
    const auto settings = SettingsLoader::load({}, env, QString());
    QVERIFY(!settings.ok());
    QVERIFY2(settings.error().contains(expected), qPrintable(settings.error()));
    QVERIFY2(settings.error().contains(name), qPrintable(settings.error()));
    QVERIFY2(settings.error().contains(QLatin1String("environment")), qPrintable(settings.error()));
    QVERIFY2(!settings.error().contains(QLatin1String("secret")), "a password leaked into the message");
}

void TestSettingsLoader::relaySettingsThatOnlyWorkTogether()
{
    QTemporaryDir dir;
    QFile seed(dir.filePath(QStringLiteral("relay.nk")));
    QVERIFY(seed.open(QIODevice::WriteOnly));
    seed.write("SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY\n");
    seed.close();
    const QString user = QStringLiteral("UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4");

    QProcessEnvironment env;
    env.insert(QStringLiteral("SYNC_NATS_URL"), QStringLiteral("nats://broker:4222, tls://relay:secret@backup:4222"));
    env.insert(QStringLiteral("SYNC_NATS_NKEY"), user);
    auto settings = SettingsLoader::load({}, env, QString());
    QVERIFY(!settings.ok());
    QVERIFY2(settings.error().contains(QLatin1String("SYNC_NATS_NKEY and SYNC_NATS_NKEY_SEED must be set together")),
             qPrintable(settings.error()));

    env.insert(QStringLiteral("SYNC_NATS_NKEY_SEED"), seed.fileName());
    settings = SettingsLoader::load({}, env, QString());
    QVERIFY2(settings.ok(), qPrintable(settings.error()));
    QCOMPARE(settings->relay.url, QStringLiteral("nats://broker:4222,tls://relay:secret@backup:4222"));
    QCOMPARE(settings->relay.displayUrl(), QStringLiteral("nats://broker:4222,tls://relay:***@backup:4222"));
    QCOMPARE(settings->relay.nkey, user);
    QCOMPARE(settings->relay.nkeySeedFile, seed.fileName());
    QVERIFY(settings->relay.active());
    QCOMPARE(settings->relay.stream, QStringLiteral("SYNCDESK"));
    QCOMPARE(settings->relay.subjectPrefix, QStringLiteral("syncdesk"));

    // Off by default: no URL, no relay; and switched off with a URL.
    QVERIFY(!SettingsLoader::load({}, QProcessEnvironment(), QString())->relay.active());
    env.insert(QStringLiteral("SYNC_NATS_ENABLED"), QStringLiteral("false"));
    QVERIFY(!SettingsLoader::load({}, env, QString())->relay.active());
}

void TestSettingsLoader::reportsEveryProblemAtOnce()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("SYNC_WORKERS"), QStringLiteral("x"));
    env.insert(QStringLiteral("SYNC_HTTP_PORT"), QStringLiteral("y"));
    const auto settings = SettingsLoader::load(
        {{QStringLiteral("SYNC_AUTO_TICKET_THRESHOLD"), QStringLiteral("2")}}, env, QString());
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().split(QLatin1Char('\n')).size(), 3);
    QVERIFY(settings.error().contains(QLatin1String("command line --auto-ticket-threshold")));
}

void TestSettingsLoader::refusesUnknownKeysInTheSettingsFile()
{
    const QString path = writeSettingsFile(QStringLiteral("SYNC_WOKRERS=4\n"));
    const auto settings = SettingsLoader::load({}, QProcessEnvironment(), path);
    QVERIFY(!settings.ok());
    QVERIFY2(settings.error().contains(QLatin1String("SYNC_WOKRERS")), qPrintable(settings.error()));
}

void TestSettingsLoader::refusesAMissingExplicitSettingsFile()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("SYNC_CONFIG"), m_dir.filePath(QStringLiteral("missing.conf")));
    const auto fromEnv = SettingsLoader::load({}, env, QString());
    QVERIFY(!fromEnv.ok());
    QVERIFY2(fromEnv.error().contains(QLatin1String("missing.conf")), qPrintable(fromEnv.error()));

    const auto fromCli =
        SettingsLoader::load({{QStringLiteral("SYNC_CONFIG"), m_dir.filePath(QStringLiteral("gone.conf"))}},
                             QProcessEnvironment(), QString());
    QVERIFY(!fromCli.ok());
}

void TestSettingsLoader::ignoresAMissingDefaultSettingsFile()
{
    const auto settings =
        SettingsLoader::load({}, QProcessEnvironment(), m_dir.filePath(QStringLiteral("none.conf")));
    QVERIFY2(settings.ok(), qPrintable(settings.error()));
}

void TestSettingsLoader::commandLineFlagsMapToSettings()
{
    QCommandLineParser parser;
    SettingsLoader::addOptions(parser);
    QVERIFY(parser.parse({QStringLiteral("syncdesk"), QStringLiteral("--workers"), QStringLiteral("3"),
                          QStringLiteral("--http-bind=0.0.0.0"), QStringLiteral("--data-dir"),
                          QStringLiteral("/tmp/x")}));
    const auto values = SettingsLoader::commandLineValues(parser);
    QCOMPARE(values.value(QStringLiteral("SYNC_WORKERS")), QStringLiteral("3"));
    QCOMPARE(values.value(QStringLiteral("SYNC_HTTP_BIND")), QStringLiteral("0.0.0.0"));
    const auto settings = SettingsLoader::load(values, QProcessEnvironment(), QString());
    QVERIFY2(settings.ok(), qPrintable(settings.error()));
    QCOMPARE(settings->workers, 3);
    QCOMPARE(settings->dataDir, QStringLiteral("/tmp/x"));
}

QTEST_GUILESS_MAIN(TestSettingsLoader)
#include "tst_settingsloader.moc"
