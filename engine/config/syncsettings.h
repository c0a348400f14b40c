#pragma once

#include "config/databaseurl.h"
#include "config/relaysettings.h"
#include "model/mapping.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
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
    bool httpEnabled = true;                         // SYNC_HTTP_ENABLED; --no-http sets it false
    int workers = 2;                                 // SYNC_WORKERS
    QString pgBinDir;                                // SYNC_PG_BINDIR; empty: search
    int batchSize = 1000;                            // SYNC_BATCH_SIZE: events per claimed batch
    int maxAttempts = 8;                             // SYNC_MAX_ATTEMPTS: then an event is dead
    double pollIntervalSeconds = 5.0;                // SYNC_POLL_INTERVAL: slow poll behind LISTEN/NOTIFY
    int leaseSeconds = 60;                           // SYNC_LEASE: a claim held longer is taken again
    bool propagateDeletes = false;                   // SYNC_DELETE_POLICY=propagate|review
    QStringList conflictRules;                       // SYNC_CONFLICT_STRATEGIES and [conflicts] in the file
    int retentionDays = 7;                           // SYNC_RETENTION_DAYS: applied changes and history kept
    int auditRetentionDays = 90;                     // SYNC_AUDIT_RETENTION_DAYS: audit log rows kept
    bool autoCreateTickets = true;                   // SYNC_AUTO_CREATE_TICKETS: false recommends only
    double analysisDebounceSeconds = 3.0;            // SYNC_ANALYSIS_DEBOUNCE
    // REST API
    int httpWorkers = 4;                             // SYNC_HTTP_WORKERS: threads for requests that use the database
    qint64 httpMaxBodyBytes = 1024 * 1024;           // SYNC_HTTP_MAX_BODY
    qint64 httpMaxHeaderBytes = 16 * 1024;           // SYNC_HTTP_MAX_HEADER
    double httpIdleTimeoutSeconds = 60.0;            // SYNC_HTTP_IDLE_TIMEOUT: an idle keep-alive connection is closed
    double httpRequestTimeoutSeconds = 10.0;         // SYNC_HTTP_REQUEST_TIMEOUT: a request must arrive within this
    int httpMaxConnections = 512;                    // SYNC_HTTP_MAX_CONNECTIONS
    int httpMaxConnectionsPerClient = 64;            // SYNC_HTTP_MAX_CONNECTIONS_PER_CLIENT
    double rateLimitClient = 200.0;                  // SYNC_RATE_LIMIT_CLIENT: requests/s per client address (0: off)
    double rateLimitClientBurst = 400.0;
    double rateLimitCredential = 100.0;              // SYNC_RATE_LIMIT_CREDENTIAL: requests/s per token subject or key
    double rateLimitCredentialBurst = 200.0;
    QByteArray jwtSecret;                            // SYNC_JWT_SECRET or SYNC_JWT_SECRET_FILE's content; never printed
    QString jwtSecretFile;                           // SYNC_JWT_SECRET_FILE
    QString jwtIssuer;                               // SYNC_JWT_ISSUER: required `iss` when set
    QString jwtAudience;                             // SYNC_JWT_AUDIENCE: required in `aud` when set
    int jwtLeewaySeconds = 30;                       // SYNC_JWT_LEEWAY: clock skew allowed on exp/nbf
    QStringList corsOrigins;                         // SYNC_CORS_ORIGINS: browser origins allowed; none by default
    QString tlsCertFile;                             // SYNC_TLS_CERT (PEM)
    QString tlsKeyFile;                              // SYNC_TLS_KEY (PEM, unencrypted)
    QString logFormat = QStringLiteral("text");      // SYNC_LOG_FORMAT: text or json
    RelaySettings relay;                             // SYNC_NATS_*: the event relay to NATS JetStream
    // SYNC_MAPPING: the tables and fields kept in sync, read (and checked) when the settings load.
    std::shared_ptr<const Mapping> mapping = Mapping::builtInShared();
    QString settingsFile;                            // the settings file that was read, if any
};

} // namespace syncdesk
