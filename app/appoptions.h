#pragma once

#include "core/result.h"
#include "demo/demooptions.h"

#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace syncdesk::app {

// What the command line asks the application to do, beyond the engine's settings.
struct AppOptions
{
    QString command; // empty: run (GUI or headless); "migrate"
    bool headless = false;
    bool demo = false;
    bool reportOnly = false; // check: report, repair nothing
    bool confirmed = false;  // --yes: uninstall for real
    bool noHttp = false;     // run the engine without the REST API
    bool reopenOpenMode = false; // clear the REST API's closed mark (credentials existed) at start
    bool apiOptional = false; // the window runs on when the API cannot start; the service does not
    QStringList commandArguments; // after the command (api-key create|list|revoke [id])
    DemoOptions demoOptions;

    static void addTo(QCommandLineParser &parser);
    static Result<AppOptions> from(const QCommandLineParser &parser);
    static const QStringList &commands();
};

} // namespace syncdesk::app
