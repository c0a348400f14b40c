#pragma once

#include "config/syncsettings.h"

#include <QString>

#include <memory>

namespace syncdesk {
class ConnectionProvider;
class DataSyncService;
class StatisticsPoller;
} // namespace syncdesk

namespace syncdesk::ui {

class ApiServerControl;

// What the window needs from the running SyncDesk, handed in by the composition root (the launcher,
// a test, the screenshot tool); nothing in ui/ reaches for a global.
struct UiContext
{
    DataSyncService *engine =
        nullptr; // lives on the GUI thread; its blocking calls run on the window's workers
    // Read models (both schemas in one database). Used on worker threads only: each gets its own connection.
    std::shared_ptr<ConnectionProvider> database;
    // The helpdesk's database when it has one of its own (DASHBOARD_DATABASE_URL); otherwise null.
    std::shared_ptr<ConnectionProvider> helpdeskDatabase;
    StatisticsPoller *statistics = nullptr; // optional: record counts per side on the overview
    SyncSettings settings;                  // as SyncDesk was started
    QString settingsFile;                   // where the Settings page saves; empty: the default settings file
    QString actor;                          // who decides (conflicts, tickets), recorded with each decision
    QString databaseDescription;
    ApiServerControl *api = nullptr; // optional: lets the Settings page switch and move the REST API
};

} // namespace syncdesk::ui
