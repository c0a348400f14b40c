#pragma once

#include "auth/role.h"

#include <QString>

namespace syncdesk::api {

// Who made a request, as authentication established it.
struct Principal
{
    enum class Kind
    {
        Token,  // a verified bearer token: subject from its sub claim
        ApiKey, // an API key: subject "key:<name>"
        Local,  // open local mode: no credentials are configured, loopback only
    };

    Kind kind = Kind::Local;
    QString subject;
    Role role = Role::Viewer;
    qint64 keyId = 0;

    // The key of this caller's rate-limit bucket.
    QString rateKey() const
    {
        switch (kind) {
        case Kind::Token:
            return QStringLiteral("token:") + subject;
        case Kind::ApiKey:
            return QStringLiteral("key:%1").arg(keyId);
        case Kind::Local:
            break;
        }
        return QStringLiteral("local");
    }
    QString kindName() const
    {
        return kind == Kind::Token ? QStringLiteral("token") : kind == Kind::ApiKey ? QStringLiteral("api_key") : QStringLiteral("local");
    }
};

} // namespace syncdesk::api
