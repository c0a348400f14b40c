#pragma once

#include "api/jwtcodec.h"
#include "api/principal.h"
#include "auth/apiaccess.h"

#include <QByteArray>
#include <QHash>

#include <memory>
#include <optional>

namespace syncdesk {
class ApiKeyStore;
struct ApiKeyInfo;
} // namespace syncdesk

namespace syncdesk::api {

// Establishes who is calling: a bearer token (Authorization: Bearer, or access_token in the query of
// the live stream, which browsers cannot give headers), an API key (X-API-Key), or nobody. With no JWT
// secret and no API key configured, and open local mode not closed by credentials that existed
// before (ApiAccess), every caller is the local admin (the server only starts that way on a loopback
// address). Throws ApiError (401, or 503 when the keys cannot be read). Used on the HTTP thread only;
// key checks and the access state are cached for a second, so a revoked key stops working within
// about a second and a busy caller costs one database lookup a second. Changes of mode are logged.
class Authenticator
{
public:
    Authenticator(JwtCodec jwt, std::shared_ptr<ApiKeyStore> keys, std::shared_ptr<ApiAccess> access, bool loopbackBind);

    Principal authenticate(const QByteArray &authorization, const QByteArray &apiKey, const QByteArray &accessToken,
                           qint64 nowMs);
    bool openMode(qint64 nowMs);
    const JwtCodec &jwt() const { return m_jwt; }

private:
    const ApiAccess::State &accessState(qint64 nowMs);
    std::optional<ApiKeyInfo> lookUp(const QByteArray &key, qint64 nowMs);

    JwtCodec m_jwt;
    std::shared_ptr<ApiKeyStore> m_keys;
    std::shared_ptr<ApiAccess> m_access;
    bool m_loopbackBind;
    struct CachedKey
    {
        std::shared_ptr<ApiKeyInfo> info; // null: not a valid key
        qint64 expiresMs = 0;
    };
    QHash<QByteArray, CachedKey> m_keyCache;
    ApiAccess::State m_state;
    qint64 m_stateExpiresMs = 0;
    QString m_mode; // open, credentials, closed: for logging its changes
};

} // namespace syncdesk::api
