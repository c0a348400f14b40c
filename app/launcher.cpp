#include "launcher.h"

#include "analyzecommand.h"
#include "api/apiconfig.h"
#include "apicommands.h"
#include "appoptions.h"
#include "config/settingsloader.h"
#include "database/connectionprovider.h"
#include "headlessservice.h"
#include "logformat.h"
#include "mappingcommand.h"
#include "schema/databasebootstrap.h"
#include "schema/uninstaller.h"
#include "sync/relayjournal.h"
#include "syncruntime.h"
#include "tasks/consistencychecker.h"
#include "ui/mainwindow.h"
#include "ui/translationloader.h"
#include "ui/windowhost.h"
#include "unixsignalwatcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QProgressDialog>
#include <QtConcurrent/QtConcurrentRun>

#include <csignal>
#include <cstdio>
#include <libpq-fe.h>
#include <memory>

namespace syncdesk::app {

namespace {

enum ExitCode { Success = 0, Failure = 1, UsageError = 2 };

void printError(const QString &message)
{
    for (const QString &line : message.split(QLatin1Char('\n')))
        std::fprintf(stderr, "syncdesk: %s\n", qPrintable(line));
}

bool displayAvailable()
{
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    return !environment.value(QStringLiteral("QT_QPA_PLATFORM")).isEmpty()
           || !environment.value(QStringLiteral("DISPLAY")).isEmpty()
           || !environment.value(QStringLiteral("WAYLAND_DISPLAY")).isEmpty();
}

void configureParser(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QStringLiteral("SyncDesk keeps customers, tickets and AI-agent conversations consistent between a product "
                       "backend and a helpdesk dashboard, both on PostgreSQL."));
    parser.addHelpOption();
    parser.addVersionOption();
    AppOptions::addTo(parser);
    AnalyzeCommand::addOptions(parser);
    ApiCommands::addOptions(parser);
    SettingsLoader::addOptions(parser);
}

int runMigrate(const SyncSettings &settings)
{
    DatabaseBootstrap bootstrap(settings);
    if (Status started = bootstrap.start(); !started) {
        printError(started.error());
        return Failure;
    }
    const QStringList applied = bootstrap.appliedMigrations();
    std::printf("%s: schema at version %d; %s\n", qPrintable(bootstrap.backendUrl().toDisplayString()),
                bootstrap.schemaVersion(),
                applied.isEmpty() ? "already up to date"
                                  : qPrintable(QStringLiteral("applied ") + applied.join(QStringLiteral(", "))));
    if (Status stopped = bootstrap.stop(); !stopped) {
        printError(stopped.error());
        return Failure;
    }
    return Success;
}

// Removes SyncDesk from the databases it was given: asks for --yes first, and says what it removes.
int runUninstall(const SyncSettings &settings, bool confirmed)
{
    DatabaseBootstrap bootstrap(settings);
    if (Status started = bootstrap.start(false); !started) {
        printError(started.error());
        return Failure;
    }
    int code = Success;
    {
        QList<std::pair<QString, DatabaseUrl>> databases{{QStringLiteral("backend"), bootstrap.backendUrl()}};
        if (bootstrap.separateDashboardDatabase())
            databases.append({QStringLiteral("dashboard"), bootstrap.dashboardUrl()});
        for (const auto &[role, url] : databases) {
            ConnectionProvider connections(url, QStringLiteral("uninstall-") + role);
            auto db = connections.database();
            if (!db) {
                printError(db.error());
                code = Failure;
                break;
            }
            Uninstaller uninstaller(db.value());
            auto steps = confirmed ? uninstaller.run() : uninstaller.plan();
            if (!steps) {
                printError(
                    QStringLiteral("%1 database %2: %3").arg(role, url.toDisplayString(), steps.error()));
                code = Failure;
                break;
            }
            std::printf("%s (%s): %s%s\n", qPrintable(url.toDisplayString()), qPrintable(role),
                        confirmed ? "removed" : "would remove",
                        steps->isEmpty()
                            ? " nothing, SyncDesk is not installed here"
                            : qPrintable(QStringLiteral(":\n  ") + steps->join(QStringLiteral("\n  "))));
        }
        if (code == Success && !confirmed) {
            printError(QStringLiteral(
                "nothing removed: run 'syncdesk uninstall --yes' to remove the above; tables and "
                "their rows stay as they are"));
            code = UsageError;
        }
    }
    bootstrap.stop();
    return code;
}

int runCheck(const SyncSettings &settings, bool repair)
{
    DatabaseBootstrap bootstrap(settings);
    if (Status started = bootstrap.start(); !started) {
        printError(started.error());
        return Failure;
    }
    int code = Failure;
    {
        ConnectionProvider connections(bootstrap.backendUrl(), QStringLiteral("check"));
        ConnectionProvider helpdesk(bootstrap.dashboardUrl(), QStringLiteral("check-dashboard"));
        auto db = connections.database();
        auto dashboard = bootstrap.separateDashboardDatabase() ? helpdesk.database() : db;
        if (!db || !dashboard) {
            printError(!db ? db.error() : dashboard.error());
        } else {
            ConsistencyChecker checker(db.value(), dashboard.value(), bootstrap.mapping());
            // Records one side lacks are made by the check itself, as a running SyncDesk's checks do
            // (an adoption needs no running engine); their events are kept for the relay when it is on.
            const auto lanes =
                std::make_shared<ConnectionProvider>(bootstrap.backendUrl(), QStringLiteral("check"));
            RelayJournal journal;
            journal.setRecording(settings.relay.active());
            ConsistencyChecker::DirectAdoption adoption;
            adoption.connections = lanes;
            adoption.journal = &journal;
            checker.adoptDirectly(adoption);
            auto run = checker.createRun(QStringLiteral("cli"));
            auto report = run ? checker.run(run.value(), repair) : Result<ConsistencyReport>::failure(run.error());
            if (!report) {
                printError(QStringLiteral("the consistency check failed: ") + report.error());
            } else {
                std::printf("%s\n", qPrintable(report->toText()));
                if (repair && report->repaired > 0)
                    std::printf("Records one side lacked were made on the other (when both systems share a "
                                "database); "
                                "other repairs are queued, and a running SyncDesk applies them.\n");
                code = report->consistent() ? Success : Failure;
            }
        }
    }
    bootstrap.stop();
    return code;
}

int runHeadless(SyncRuntime &runtime)
{
    if (Status prepared = runtime.prepare(); !prepared) {
        printError(QStringLiteral("cannot start: ") + prepared.error());
        runtime.stop();
        return Failure;
    }
    return HeadlessService(runtime).exec();
}

int runGui(SyncRuntime &runtime)
{
    // The language chosen on the Settings page, else the system's.
    ui::TranslationLoader::install(ui::TranslationLoader::preferredLanguage());
    // SIGINT/SIGTERM during start-up stop SyncDesk as soon as the step in progress (initdb, migrations)
    // is done; afterwards they close the window like its close button.
    UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    bool cancelled = false;
    // Start-up (initdb, migrations, seeding) runs off the GUI thread while a dialog says so.
    QProgressDialog progress(QCoreApplication::translate("syncdesk::app::Launcher", "Starting the database…"),
                             QCoreApplication::translate("syncdesk::app::Launcher", "Cancel"), 0, 0);
    progress.setWindowTitle(QStringLiteral("SyncDesk"));
    progress.setMinimumDuration(0);
    progress.setAutoClose(false);
    progress.show();
    QFutureWatcher<Status> preparation;
    QEventLoop waiting;
    const auto cancel = [&]() {
        cancelled = true;
        progress.setLabelText(QCoreApplication::translate("syncdesk::app::Launcher", "Stopping after the current step…"));
    };
    QObject::connect(&progress, &QProgressDialog::canceled, &progress, cancel);
    QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &progress, cancel);
    QObject::connect(&preparation, &QFutureWatcherBase::finished, &waiting, &QEventLoop::quit);
    preparation.setFuture(QtConcurrent::run([&runtime]() { return runtime.prepare(); }));
    waiting.exec();
    // Closing the dialog emits canceled(): stop listening first.
    QObject::disconnect(&signalWatcher, nullptr, &progress, nullptr);
    QObject::disconnect(&progress, &QProgressDialog::canceled, nullptr, nullptr);
    progress.close();
    if (cancelled) {
        runtime.stop();
        return Success;
    }
    if (const Status prepared = preparation.result(); !prepared) {
        QMessageBox::critical(nullptr,
                              QCoreApplication::translate("syncdesk::app::Launcher", "SyncDesk cannot start"),
                              prepared.error());
        runtime.stop();
        return Failure;
    }
    if (Status started = runtime.startServices(); !started) {
        QMessageBox::critical(nullptr,
                              QCoreApplication::translate("syncdesk::app::Launcher", "SyncDesk cannot start"),
                              started.error());
        runtime.stop();
        return Failure;
    }
    ui::UiContext context;
    context.engine = runtime.engine();
    // The window's read models get connections of their own, named so in pg_stat_activity.
    context.database = std::make_shared<ConnectionProvider>(runtime.backendConnections()->url(), QStringLiteral("ui"));
    if (runtime.separateDashboardDatabase())
        context.helpdeskDatabase =
            std::make_shared<ConnectionProvider>(runtime.dashboardConnections()->url(), QStringLiteral("ui-dashboard"));
    context.statistics = runtime.statistics();
    context.settings = runtime.settings();
    context.actor = qEnvironmentVariable("USER", QStringLiteral("desktop"));
    context.databaseDescription = runtime.databaseDescription();
    context.api = &runtime;
    int code = Success;
    {
        ui::WindowHost host(context);
        host.open();
        QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &host, [&host]() {
            host.window()->close();
            // Also ends a dialog's own event loop, should one be open.
            QCoreApplication::quit();
        });
        if (!runtime.apiProblem().isEmpty())
            QMessageBox::warning(host.window(), QCoreApplication::translate("syncdesk::app::Launcher", "REST API not available"),
                                 QCoreApplication::translate("syncdesk::app::Launcher",
                                                             "SyncDesk runs, but its REST API could not start: %1\n"
                                                             "Choose another port on the Settings page, or start with "
                                                             "--no-http.")
                                     .arg(runtime.apiProblem()));
        code = QApplication::exec();
        // The window's work in flight finishes, and its connections close, before the engine and the
        // database stop.
        host.shutdown();
    }
    context.database.reset();
    context.helpdeskDatabase.reset();
    runtime.stop();
    return code;
}

} // namespace

int Launcher::run(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QCommandLineParser parser;
    configureParser(parser);
    const bool parsed = parser.parse(arguments);
    const bool adminCommand = !parser.positionalArguments().isEmpty() || parser.isSet(QStringLiteral("help"))
                              || parser.isSet(QStringLiteral("version"));
    const bool headlessAsked = parser.isSet(QStringLiteral("headless"));
    const bool gui = parsed && !adminCommand && !headlessAsked && displayAvailable();

    std::unique_ptr<QCoreApplication> application;
    if (gui)
        application = std::make_unique<QApplication>(argc, argv);
    else
        application = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("SyncDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("syncdesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SYNCDESK_VERSION));

    if (!parsed) {
        printError(parser.errorText() + QStringLiteral("\nRun 'syncdesk --help' for the options."));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return Success;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("syncdesk %s (Qt %s, libpq %d)\n", SYNCDESK_VERSION, qVersion(), PQlibVersion());
        return Success;
    }
    auto options = AppOptions::from(parser);
    if (!options) {
        printError(options.error());
        return UsageError;
    }
    auto settings = SettingsLoader::load(SettingsLoader::commandLineValues(parser),
                                         QProcessEnvironment::systemEnvironment(),
                                         SettingsLoader::defaultSettingsFile());
    if (!settings) {
        printError(settings.error());
        return UsageError;
    }
    LogFormat::install(settings->logFormat);
    // The REST API's configuration is checked now (TLS files are read), so a bad one is a usage error.
    if (auto apiConfig = api::ApiConfig::from(settings.value()); !apiConfig) {
        printError(apiConfig.error());
        return UsageError;
    }
    if (options->command == QLatin1String("api-key"))
        return ApiCommands::runApiKey(parser, options->commandArguments, settings.value());
    if (options->command == QLatin1String("token"))
        return ApiCommands::runToken(parser, settings.value());
    if (options->command == QLatin1String("migrate"))
        return runMigrate(settings.value());
    if (options->command == QLatin1String("mapping"))
        return MappingCommand::run(options->commandArguments, settings.value());
    if (options->command == QLatin1String("uninstall"))
        return runUninstall(settings.value(), options->confirmed);
    if (options->command == QLatin1String("check"))
        return runCheck(settings.value(), !options->reportOnly);
    if (options->command == QLatin1String("analyze"))
        return AnalyzeCommand::run(parser, settings->autoTicketThreshold);

    AppOptions runOptions = options.value();
    runOptions.apiOptional = gui;
    SyncRuntime runtime(settings.value(), runOptions);
    if (gui) {
        ui::TranslationLoader::install(QString());
        return runGui(runtime);
    }
    if (!headlessAsked)
        printError(QStringLiteral("no display found; running headless (pass --headless to say so)"));
    return runHeadless(runtime);
}

} // namespace syncdesk::app
