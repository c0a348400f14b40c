#include "appoptions.h"

#include <QCommandLineParser>

#include <cmath>

namespace syncdesk::app {

const QStringList &AppOptions::commands()
{
    static const QStringList names{QStringLiteral("migrate"),  QStringLiteral("check"),
                                   QStringLiteral("analyze"),  QStringLiteral("api-key"),
                                   QStringLiteral("token"),    QStringLiteral("mapping"),
                                   QStringLiteral("uninstall")};
    return names;
}

void AppOptions::addTo(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("headless"), QStringLiteral("Run as a service without a window.")});
    parser.addOption({QStringLiteral("demo"),
                      QStringLiteral("Seed demo data into an empty database and keep generating live traffic.")});
    parser.addOption({QStringLiteral("demo-rate"),
                      QStringLiteral("Live demo changes per second (default 2; 0 seeds only)."), QStringLiteral("n")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed of the demo data and traffic (default 42)."),
                      QStringLiteral("n")});
    parser.addOption({QStringLiteral("report-only"),
                      QStringLiteral("With check: report inconsistencies without repairing any.")});
    parser.addOption(
        {QStringLiteral("yes"), QStringLiteral("With uninstall: remove SyncDesk from the databases.")});
    parser.addOption({QStringLiteral("no-http"), QStringLiteral("Run the sync engine without the REST API.")});
    parser.addOption({QStringLiteral("reopen-open-mode"),
                      QStringLiteral("Let the REST API run in open local mode again (no credentials: everyone on this machine "
                                     "is admin) after API keys or a JWT secret had closed it; refused while keys are active.")});
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QStringLiteral(
            "Optional: migrate (apply database migrations and exit); check (run one "
            "consistency check and print the report; exit 0 when consistent, 1 when "
            "issues remain); analyze (analyse conversations from --input offline, no "
            "database); api-key create|list|revoke (REST API keys: create --name N "
            "--role R, revoke ID|NAME); token (print a REST API bearer token: --subject "
            "S --role R [--ttl SECONDS]); mapping show|check [FILE] (print the mapping in "
            "effect; hold a mapping file against the databases); uninstall [--yes] (remove SyncDesk's "
            "triggers and sync schema from the databases, leaving their tables and rows)."),
        QStringLiteral("[command]"));
}

Result<AppOptions> AppOptions::from(const QCommandLineParser &parser)
{
    AppOptions options;
    const QStringList positional = parser.positionalArguments();
    // Only api-key and mapping take arguments of their own (create|list|revoke [id|name], show|check
    // [file]); their commands check them.
    if (positional.size() > 1
        && (positional.constFirst() == QLatin1String("api-key") || positional.constFirst() == QLatin1String("mapping")))
        options.commandArguments = positional.mid(1);
    else if (positional.size() > 1)
        return Result<AppOptions>::failure(
            QStringLiteral("unexpected arguments: %1").arg(positional.mid(1).join(QLatin1Char(' '))));
    if (!positional.isEmpty()) {
        options.command = positional.constFirst();
        if (!commands().contains(options.command))
            return Result<AppOptions>::failure(QStringLiteral("unknown command '%1'; commands: %2")
                                                   .arg(options.command, commands().join(QStringLiteral(", "))));
    }
    options.headless = parser.isSet(QStringLiteral("headless"));
    options.demo = parser.isSet(QStringLiteral("demo"));
    options.demoOptions.history = options.demo; // the demo opens on a day of history
    options.reportOnly = parser.isSet(QStringLiteral("report-only"));
    options.confirmed = parser.isSet(QStringLiteral("yes"));
    options.noHttp = parser.isSet(QStringLiteral("no-http"));
    options.reopenOpenMode = parser.isSet(QStringLiteral("reopen-open-mode"));
    if (parser.isSet(QStringLiteral("demo-rate"))) {
        bool ok = false;
        const double rate = parser.value(QStringLiteral("demo-rate")).toDouble(&ok);
        if (!ok || !std::isfinite(rate) || rate < 0 || rate > 10000)
            return Result<AppOptions>::failure(QStringLiteral("--demo-rate '%1' is not a number of changes per second "
                                                              "from 0 to 10000")
                                                   .arg(parser.value(QStringLiteral("demo-rate"))));
        options.demoOptions.rate = rate;
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        const uint seed = parser.value(QStringLiteral("seed")).toUInt(&ok);
        if (!ok)
            return Result<AppOptions>::failure(QStringLiteral("--seed '%1' is not a whole number from 0 to 4294967295")
                                                   .arg(parser.value(QStringLiteral("seed"))));
        options.demoOptions.seed = seed;
    }
    if ((parser.isSet(QStringLiteral("demo-rate")) || parser.isSet(QStringLiteral("seed"))) && !options.demo)
        return Result<AppOptions>::failure(QStringLiteral("--demo-rate and --seed only apply with --demo"));
    return Result<AppOptions>::success(options);
}

} // namespace syncdesk::app
