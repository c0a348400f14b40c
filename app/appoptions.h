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
    DemoOptions demoOptions;

    static void addTo(QCommandLineParser &parser);
    static Result<AppOptions> from(const QCommandLineParser &parser);
    static const QStringList &commands();
};

} // namespace syncdesk::app
