#pragma once

#include "config/databaseurl.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace syncdesk {

// The typed configuration every component is handed (never read from a global).
// Built by SettingsLoader: command line over environment over settings file over these defaults.
struct SyncSettings
{
    std::optional<DatabaseUrl> databaseUrl;          // DATABASE_URL; unset: the private cluster
    std::optional<DatabaseUrl> dashboardDatabaseUrl; // DASHBOARD_DATABASE_URL; unset: same database
    double consistencyCheckIntervalHours = 1.0;      // SYNC_CONSISTENCY_CHECK_INTERVAL
    double eventCleanupIntervalHours = 6.0;          // SYNC_EVENT_CLEANUP_INTERVAL
    double autoTicketThreshold = 0.7;                // SYNC_AUTO_TICKET_THRESHOLD
    QString dataDir;                                 // SYNC_DATA_DIR; resolved, never empty after loading
    int httpPort = 8000;                             // SYNC_HTTP_PORT
    QString httpBind = QStringLiteral("127.0.0.1");  // SYNC_HTTP_BIND
    int workers = 2;                                 // SYNC_WORKERS
    QString pgBinDir;                                // SYNC_PG_BINDIR; empty: search
    int batchSize = 1000;                            // SYNC_BATCH_SIZE: events per claimed batch
    int maxAttempts = 8;                             // SYNC_MAX_ATTEMPTS: then an event is dead
    double pollIntervalSeconds = 5.0;                // SYNC_POLL_INTERVAL: slow poll behind LISTEN/NOTIFY
    int leaseSeconds = 60;                           // SYNC_LEASE: a claim held longer is taken again
    bool propagateDeletes = false;                   // SYNC_DELETE_POLICY=propagate|review
    QStringList conflictRules;                       // SYNC_CONFLICT_STRATEGIES and [conflicts] in the file
    int retentionDays = 7;                           // SYNC_RETENTION_DAYS: applied changes and history kept
    bool autoCreateTickets = true;                   // SYNC_AUTO_CREATE_TICKETS: false recommends only
    double analysisDebounceSeconds = 3.0;            // SYNC_ANALYSIS_DEBOUNCE
    QString settingsFile;                            // the settings file that was read, if any
};

} // namespace syncdesk
