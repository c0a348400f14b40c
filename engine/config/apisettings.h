#pragma once

#include "config/settingsloader.h"

#include <QList>

namespace syncdesk {

// The REST API's part of the settings table (SYNC_HTTP_*, SYNC_JWT_*, SYNC_RATE_LIMIT_*, SYNC_CORS_ORIGINS,
// SYNC_TLS_*, SYNC_LOG_FORMAT), kept apart from the engine's so each stays readable.
void appendApiSettingSpecs(QList<SettingSpec> &specs);

// Settings that are only wrong together (a TLS certificate without its key, ...); empty when all is well.
QStringList checkApiSettings(const SyncSettings &settings);

} // namespace syncdesk
