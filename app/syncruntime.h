#pragma once

#include "appoptions.h"
#include "config/syncsettings.h"
#include "core/result.h"
#include "ui/apiservercontrol.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace syncdesk {
class ConnectionProvider;
class DatabaseBootstrap;
class DataSyncService;
class DemoTraffic;
class StatisticsPoller;
} // namespace syncdesk

namespace syncdesk::api {
class ApiServerHost;
}

namespace syncdesk::app {

// The running SyncDesk, shared by the window and the headless service: the database (private
// cluster or configured server, migrated), the demo data and traffic when asked for, and the
// statistics every view shows.
class SyncRuntime : public QObject, public ui::ApiServerControl
{
    Q_OBJECT

public:
    SyncRuntime(SyncSettings settings, AppOptions options, QObject *parent = nullptr);
    ~SyncRuntime() override;

    // Blocking and thread-agnostic (the GUI runs it on a pool thread): starts or connects to
    // PostgreSQL, migrates, seeds demo data.
    Status prepare();
    // On the main thread, after prepare(): starts the sync engine and the background activity.
    Status startServices();
    // On the main thread: stops everything, the private PostgreSQL last.
    void stop();

    StatisticsPoller *statistics() const { return m_statistics.get(); }
    DataSyncService *engine() const { return m_engine.get(); }
    // The backend database (both schemas) after prepare(), for read models such as the window's.
    std::shared_ptr<ConnectionProvider> backendConnections() const { return m_backend; }
    std::shared_ptr<ConnectionProvider> dashboardConnections() const { return m_dashboard; }
    const SyncSettings &settings() const { return m_settings; }
    // Why the REST API is not served although it was asked for (window mode), or empty.
    QString apiProblem() const { return m_apiProblem; }
    QString databaseDescription() const;
    // The helpdesk in a database of its own (DASHBOARD_DATABASE_URL).
    bool separateDashboardDatabase() const;

    // On the main thread.
    Status applyApiSettings(bool enabled, const QString &bind, int port) override;
    QString apiAddress() const override;

private:
    // --reopen-open-mode: the REST API's closed mark goes, if no credentials are left.
    Status reopenOpenMode();
    SyncSettings m_settings;
    AppOptions m_options;
    std::unique_ptr<DatabaseBootstrap> m_bootstrap;
    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ConnectionProvider> m_dashboard;
    std::unique_ptr<StatisticsPoller> m_statistics;
    std::unique_ptr<DataSyncService> m_engine;
    std::unique_ptr<api::ApiServerHost> m_api; // the REST API, on or off
    QString m_apiProblem;
    QThread m_demoThread;
    DemoTraffic *m_traffic = nullptr;
};

} // namespace syncdesk::app
