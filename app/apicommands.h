#pragma once

#include "config/syncsettings.h"

#include <QStringList>

class QCommandLineParser;

namespace syncdesk::app {

// The REST API's admin commands:
//   syncdesk api-key create --name NAME --role viewer|agent|admin   (prints the key once, on stdout)
//   syncdesk api-key list
//   syncdesk api-key revoke ID|NAME
//   syncdesk token --subject S --role R [--ttl SECONDS]            (prints a bearer token, on stdout)
// Exit codes: 0 done, 1 the database or the secret is not there or refuses, 2 usage error.
class ApiCommands
{
public:
    static void addOptions(QCommandLineParser &parser);
    static int runApiKey(const QCommandLineParser &parser, const QStringList &arguments, const SyncSettings &settings);
    static int runToken(const QCommandLineParser &parser, const SyncSettings &settings);
};

} // namespace syncdesk::app
