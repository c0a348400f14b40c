#include "mappingcommand.h"

#include "database/connectionprovider.h"
#include "model/mapping.h"
#include "model/mappingfile.h"
#include "schema/databasebootstrap.h"
#include "schema/mappingcheck.h"

#include <cstdio>

namespace syncdesk::app {

namespace {

enum ExitCode { Success = 0, Failure = 1, UsageError = 2 };

void printError(const QString &message)
{
    std::fprintf(stderr, "syncdesk: %s\n", qPrintable(message));
}

int show(const Mapping &mapping)
{
    if (mapping.isBuiltIn())
        std::printf("# The mapping in effect: SyncDesk's own tables (built in, %s).\n%s",
                    qPrintable(mapping.source), qPrintable(mapping.text));
    else
        std::printf("# The mapping in effect: %s (SYNC_MAPPING).\n%s", qPrintable(mapping.source),
                    qPrintable(mapping.text));
    return Success;
}

int check(const Mapping &mapping, const SyncSettings &settings)
{
    DatabaseBootstrap bootstrap(settings);
    // Read only: a database being checked is not migrated.
    if (Status started = bootstrap.start(false); !started) {
        printError(started.error());
        return Failure;
    }
    int code = Failure;
    {
        ConnectionProvider backend(bootstrap.backendUrl(), QStringLiteral("mapping-check"));
        ConnectionProvider dashboard(bootstrap.dashboardUrl(), QStringLiteral("mapping-check-dashboard"));
        auto backendDb = backend.database();
        auto dashboardDb = bootstrap.separateDashboardDatabase() ? dashboard.database() : backendDb;
        if (!backendDb || !dashboardDb) {
            printError(!backendDb ? backendDb.error() : dashboardDb.error());
        } else if (auto problems = MappingCheck(mapping, backendDb.value(), dashboardDb.value()).run(); !problems) {
            printError(problems.error());
        } else if (!problems->isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(problems->join(QLatin1Char('\n'))));
            std::printf("%s: %lld problem%s\n", qPrintable(mapping.source), qlonglong(problems->size()),
                        problems->size() == 1 ? "" : "s");
        } else {
            std::printf("%s holds against %s%s\n", qPrintable(mapping.source),
                        qPrintable(bootstrap.backendUrl().toDisplayString()),
                        bootstrap.separateDashboardDatabase()
                            ? qPrintable(QStringLiteral(" and ") + bootstrap.dashboardUrl().toDisplayString())
                            : "");
            code = Success;
        }
    }
    bootstrap.stop();
    return code;
}

} // namespace

int MappingCommand::run(const QStringList &arguments, const SyncSettings &settings)
{
    const QString verb = arguments.value(0);
    if (verb == QLatin1String("show") && arguments.size() == 1)
        return show(*settings.mapping);
    if (verb == QLatin1String("check") && arguments.size() <= 2) {
        if (arguments.size() == 1)
            return check(*settings.mapping, settings);
        auto mapping = MappingFile::read(arguments.at(1));
        if (!mapping) {
            std::fprintf(stderr, "%s\n", qPrintable(mapping.error()));
            return Failure;
        }
        return check(mapping.value(), settings);
    }
    printError(QStringLiteral("mapping needs show, or check [FILE] (e.g. syncdesk mapping check my-mapping.yaml)"));
    return UsageError;
}

} // namespace syncdesk::app
