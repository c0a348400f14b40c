#include "syncruntime.h"

#include "api/apiserverhost.h"
#include "auth/apiaccess.h"
#include "database/connectionprovider.h"
#include "schema/databasebootstrap.h"
#include "database/statisticspoller.h"
#include "demo/demoseeder.h"
#include "demo/demotraffic.h"
#include "service/datasyncservice.h"

#include <QLoggingCategory>

#include <unistd.h>

Q_LOGGING_CATEGORY(lcRuntime, "syncdesk.app.runtime", QtInfoMsg)

namespace syncdesk::app {

SyncRuntime::SyncRuntime(SyncSettings settings, AppOptions options, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_options(std::move(options))
{}

SyncRuntime::~SyncRuntime()
{
    stop();
}

Status SyncRuntime::prepare()
{
    m_bootstrap = std::make_unique<DatabaseBootstrap>(m_settings);
    if (Status started = m_bootstrap->start(); !started)
        return started;
    for (const QString &applied : m_bootstrap->appliedMigrations())
        qCInfo(lcRuntime).noquote() << "migrated" << applied;
    m_settings.mapping = m_bootstrap->mapping();
    m_backend = std::make_shared<ConnectionProvider>(m_bootstrap->backendUrl(), QStringLiteral("backend"));
    m_dashboard =
        m_bootstrap->separateDashboardDatabase()
            ? std::make_shared<ConnectionProvider>(m_bootstrap->dashboardUrl(), QStringLiteral("dashboard"))
            : m_backend;
    if (m_bootstrap->separateDashboardDatabase())
        qCInfo(lcRuntime).noquote() << "the helpdesk has its own database:" << m_bootstrap->dashboardUrl().toDisplayString();
    if (m_options.reopenOpenMode) {
        if (Status reopened = reopenOpenMode(); !reopened)
            return reopened;
    }
    if (!m_options.demo)
        return Status::success();

    auto backend = m_backend->database();
    if (!backend)
        return Status::failure(backend.error());
    auto dashboard = m_dashboard->database();
    if (!dashboard)
        return Status::failure(dashboard.error());
    auto seeded = DemoSeeder(m_options.demoOptions).seed(backend.value(), dashboard.value());
    if (!seeded)
        return Status::failure(seeded.error());
    if (!seeded->seeded)
        qCInfo(lcRuntime) << "the database already has data; demo seeding skipped";
    return Status::success();
}

Status SyncRuntime::reopenOpenMode()
{
    if (!m_settings.jwtSecret.isEmpty())
        return Status::failure(QStringLiteral("--reopen-open-mode: a JWT secret is configured (SYNC_JWT_SECRET or "
                                              "SYNC_JWT_SECRET_FILE); without credentials means without it"));
    const QByteArray user = qgetenv("USER");
    const QString actor = QStringLiteral("cli:%1").arg(user.isEmpty() ? QString::number(::getuid()) : QString::fromLocal8Bit(user));
    auto reopened = ApiAccess(m_backend).reopen(actor);
    if (!reopened)
        return Status::failure(QStringLiteral("--reopen-open-mode: ") + reopened.error());
    if (reopened.value())
        qCWarning(lcRuntime) << "open local mode reopened (--reopen-open-mode): until a key is created, anyone on this machine "
                                "can call the REST API as admin";
    else
        qCInfo(lcRuntime) << "--reopen-open-mode: open local mode was not closed";
    return Status::success();
}

Status SyncRuntime::startServices()
{
    m_engine = std::make_unique<DataSyncService>(EngineOptions::from(m_settings), m_backend, m_dashboard);
    if (Status started = m_engine->start(); !started) {
        m_engine.reset();
        return started;
    }
    if (m_options.noHttp)
        m_settings.httpEnabled = false;
    m_api = std::make_unique<api::ApiServerHost>(m_engine.get(), m_backend, m_settings);
    if (!m_settings.httpEnabled)
        qCInfo(lcRuntime) << "the REST API is off (--no-http or SYNC_HTTP_ENABLED=false)";
    if (m_settings.httpEnabled) {
        if (Status serving = m_api->start(); !serving) {
            // A service without its API is broken; a window without it (another SyncDesk has the port)
            // is still useful, so it only says so.
            if (!m_options.apiOptional)
                return serving;
            m_apiProblem = serving.error();
            qCWarning(lcRuntime).noquote() << "the REST API is not served:" << serving.error();
        }
    }
    m_statistics = std::make_unique<StatisticsPoller>(m_backend, 2000);
    if (m_dashboard != m_backend)
        m_statistics->setHelpdeskConnections(m_dashboard);
    m_statistics->start();
    if (m_options.demo && m_options.demoOptions.rate > 0) {
        m_traffic = new DemoTraffic(m_backend, m_dashboard, m_options.demoOptions);
        m_traffic->moveToThread(&m_demoThread);
        connect(&m_demoThread, &QThread::finished, m_traffic, &QObject::deleteLater);
        m_demoThread.setObjectName(QStringLiteral("demo-traffic"));
        m_demoThread.start();
        QMetaObject::invokeMethod(m_traffic, &DemoTraffic::start, Qt::QueuedConnection);
        qCInfo(lcRuntime).noquote() << "demo traffic:" << m_options.demoOptions.rate
                                    << "changes per second, seed" << m_options.demoOptions.seed;
    }
    return Status::success();
}

Status SyncRuntime::applyApiSettings(bool enabled, const QString &bind, int port)
{
    if (!m_api)
        return Status::failure(tr("SyncDesk is not running"));
    Status applied = m_api->apply(enabled, bind, port);
    if (applied) {
        m_settings.httpEnabled = m_api->settings().httpEnabled;
        m_settings.httpBind = m_api->settings().httpBind;
        m_settings.httpPort = m_api->settings().httpPort;
        m_apiProblem.clear();
    }
    return applied;
}

QString SyncRuntime::apiAddress() const
{
    return m_api ? m_api->url() : QString();
}

void SyncRuntime::stop()
{
    // The API first: it stops accepting and answers what it has taken while the engine still runs.
    m_api.reset();
    if (m_traffic) {
        QMetaObject::invokeMethod(m_traffic, &DemoTraffic::stop, Qt::BlockingQueuedConnection);
        m_traffic = nullptr;
    }
    if (m_demoThread.isRunning()) {
        m_demoThread.quit();
        m_demoThread.wait();
    }
    // The engine finishes its batches in flight before the database goes away.
    if (m_engine)
        m_engine->stop();
    m_engine.reset();
    m_statistics.reset();
    m_dashboard.reset();
    m_backend.reset();
    if (m_bootstrap) {
        if (Status stopped = m_bootstrap->stop(); !stopped)
            qCWarning(lcRuntime).noquote() << stopped.error();
        m_bootstrap.reset();
    }
}

bool SyncRuntime::separateDashboardDatabase() const
{
    return m_bootstrap && m_bootstrap->separateDashboardDatabase();
}

QString SyncRuntime::databaseDescription() const
{
    if (!m_bootstrap)
        return {};
    QString text = m_bootstrap->backendUrl().toDisplayString();
    if (m_bootstrap->usesPrivateCluster())
        text = tr("private PostgreSQL in %1 (%2)").arg(m_settings.dataDir, text);
    if (m_bootstrap->separateDashboardDatabase())
        text += tr("; dashboard: %1").arg(m_bootstrap->dashboardUrl().toDisplayString());
    return text;
}

} // namespace syncdesk::app
