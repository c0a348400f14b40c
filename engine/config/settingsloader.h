#pragma once

#include "config/syncsettings.h"
#include "core/result.h"

#include <QList>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>

#include <functional>

class QCommandLineParser;

namespace syncdesk {

// One configurable value: its environment/settings-file name, its command-line flag, and how it is
// checked and stored. The table of these is the single description of SyncDesk's configuration
// (it feeds --help, the settings file and the README's table).
struct SettingSpec
{
    QString name;      // environment variable and settings-file key, e.g. SYNC_WORKERS
    QString flag;      // command-line option without dashes, e.g. workers
    QString valueName; // shown in --help
    QString description;
    QString defaultText;
    // Stores `value` in `settings`; returns an empty string or what is wrong with the value.
    std::function<QString(SyncSettings &settings, const QString &value)> apply;
};

class SettingsLoader
{
public:
    static const QList<SettingSpec> &specs();

    // Registers --config and one option per spec.
    static void addOptions(QCommandLineParser &parser);
    // The values given on the command line, keyed by spec name (plus SYNC_CONFIG for --config).
    static QMap<QString, QString> commandLineValues(const QCommandLineParser &parser);

    // Resolves the configuration. `defaultSettingsFile` is read when it exists and neither --config
    // nor SYNC_CONFIG names another file. Every bad value is reported, one per line, naming its source.
    static Result<SyncSettings> load(const QMap<QString, QString> &commandLine,
                                     const QProcessEnvironment &environment,
                                     const QString &defaultSettingsFile);

    static QString defaultSettingsFile();
    static QString defaultDataDir();
};

} // namespace syncdesk
