#pragma once

#include "api/connectionguard.h"
#include "api/jwtcodec.h"
#include "config/syncsettings.h"
#include "core/result.h"

#include <QHostAddress>
#include <QSslConfiguration>
#include <QStringList>

#include <optional>

namespace syncdesk::api {

// The REST API's configuration, resolved from the settings (the TLS files are read here, so a bad
// certificate stops SyncDesk at start).
struct ApiConfig
{
    QHostAddress bindAddress = QHostAddress::LocalHost;
    quint16 port = 8000;
    int workers = 4;
    GuardLimits limits;
    int maxConnections = 512;
    int maxConnectionsPerClient = 64;
    double clientRate = 200;
    double clientBurst = 400;
    double credentialRate = 100;
    double credentialBurst = 200;
    JwtCodec::Options jwt;
    QStringList corsOrigins;
    std::optional<QSslConfiguration> tls;
    int maxStreamClients = 256;

    bool loopback() const { return bindAddress.isLoopback(); }
    QString displayAddress() const;

    static Result<ApiConfig> from(const SyncSettings &settings);
};

} // namespace syncdesk::api
