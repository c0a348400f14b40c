#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace syncdesk {

struct SettingSpec;
struct SyncSettings;

// The event relay to NATS JetStream (SYNC_NATS_*). Off while no URL is set.
struct RelaySettings
{
    QString url;                                  // SYNC_NATS_URL: nats:// or tls://, comma-separated servers
    bool enabled = true;                          // SYNC_NATS_ENABLED: the switch on the Settings page
    QString stream = QStringLiteral("SYNCDESK");  // SYNC_NATS_STREAM
    QString subjectPrefix = QStringLiteral("syncdesk"); // SYNC_NATS_SUBJECT_PREFIX: <prefix>.<entity>.<kind>
    QString credentialsFile;                      // SYNC_NATS_CREDENTIALS: a .creds file (JWT and NKey seed)
    QString nkey;                                 // SYNC_NATS_NKEY: the user's public NKey (U...)
    QString nkeySeedFile;                         // SYNC_NATS_NKEY_SEED: the file holding its seed (SU...)
    QString tlsCaFile;                            // SYNC_NATS_TLS_CA: CA certificates trusted for tls://
    int streamMaxAgeDays = 7;                     // SYNC_NATS_STREAM_MAX_AGE: retention of a stream SyncDesk creates; 0 keeps
    int duplicateWindowSeconds = 120;             // SYNC_NATS_DUPLICATE_WINDOW: of a stream SyncDesk creates

    // Configured and switched on.
    bool active() const { return enabled && !url.trimmed().isEmpty(); }
    // The URL with any password replaced by "***", for logs, status and the window.
    QString displayUrl() const;

    // What is wrong with these values, one sentence each naming the setting; empty when all is well.
    // The Settings page checks with it before applying.
    QStringList problems() const;

    bool operator==(const RelaySettings &) const = default;
};

// The relay's part of the settings table, kept apart from the engine's so each stays readable.
void appendRelaySettingSpecs(QList<SettingSpec> &specs);

} // namespace syncdesk
