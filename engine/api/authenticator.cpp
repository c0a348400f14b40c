#include "api/authenticator.h"

#include "api/apierror.h"
#include "api/apilogging.h"
#include "auth/apikeystore.h"

#include <QCryptographicHash>

namespace syncdesk::api {

namespace {
constexpr qint64 kCacheMs = 1000;
constexpr qsizetype kMaxCachedKeys = 1000;
} // namespace

Authenticator::Authenticator(JwtCodec jwt, std::shared_ptr<ApiKeyStore> keys, std::shared_ptr<ApiAccess> access, bool loopbackBind)
    : m_jwt(std::move(jwt))
    , m_keys(std::move(keys))
    , m_access(std::move(access))
    , m_loopbackBind(loopbackBind)
{
}

const ApiAccess::State &Authenticator::accessState(qint64 nowMs)
{
    if (nowMs < m_stateExpiresMs)
        return m_state;
    auto state = m_access->state();
    if (!state)
        throw ApiError::unavailable(QStringLiteral("the API keys cannot be read: %1").arg(state.error()));
    m_state = state.value();
    m_stateExpiresMs = nowMs + kCacheMs;
    const QString mode = m_jwt.isConfigured() || m_state.activeKeys > 0 ? QStringLiteral("credentials")
                         : m_state.closed                               ? QStringLiteral("closed")
                                                                        : QStringLiteral("open");
    if (!m_mode.isEmpty() && mode != m_mode) {
        if (mode == QLatin1String("credentials"))
            qCWarning(lcApi) << "the REST API needs credentials from now on: an API key exists";
        else if (mode == QLatin1String("closed"))
            qCWarning(lcApi).noquote() << "no API key is active any more; the REST API stays closed (it was closed at"
                                       << m_state.closedAt.toString(Qt::ISODate) << "because" << m_state.reason
                                       << ") until an admin runs 'syncdesk --reopen-open-mode'";
        else
            qCWarning(lcApi) << "the REST API was reopened in open local mode: anyone on this machine can call it";
    }
    m_mode = mode;
    return m_state;
}

bool Authenticator::openMode(qint64 nowMs)
{
    if (m_jwt.isConfigured())
        return false;
    const ApiAccess::State &state = accessState(nowMs);
    return state.activeKeys == 0 && !state.closed;
}

std::optional<ApiKeyInfo> Authenticator::lookUp(const QByteArray &key, qint64 nowMs)
{
    // Cached by the key's hash: the cache never holds a usable key.
    const QByteArray hash = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
    if (auto it = m_keyCache.constFind(hash); it != m_keyCache.cend() && nowMs < it->expiresMs)
        return it->info ? std::optional<ApiKeyInfo>(*it->info) : std::nullopt;
    auto found = m_keys->authenticate(QString::fromLatin1(key));
    if (!found)
        throw ApiError::unavailable(QStringLiteral("the API key cannot be checked: %1").arg(found.error()));
    if (m_keyCache.size() >= kMaxCachedKeys)
        m_keyCache.clear();
    m_keyCache.insert(hash, CachedKey{found.value() ? std::make_shared<ApiKeyInfo>(*found.value()) : nullptr, nowMs + kCacheMs});
    return found.value();
}

Principal Authenticator::authenticate(const QByteArray &authorization, const QByteArray &apiKey, const QByteArray &accessToken,
                                      qint64 nowMs)
{
    if (openMode(nowMs)) {
        if (!m_loopbackBind)
            throw ApiError::unauthorized(QStringLiteral("no JWT secret and no API key are configured; without them the API "
                                                        "only serves a loopback address"));
        return Principal{Principal::Kind::Local, QStringLiteral("local"), Role::Admin, 0};
    }
    QByteArray token = accessToken;
    if (!authorization.isEmpty()) {
        const qsizetype space = authorization.indexOf(' ');
        if (space <= 0 || authorization.left(space).compare("Bearer", Qt::CaseInsensitive) != 0)
            throw ApiError::unauthorized(QStringLiteral("the Authorization header is not 'Bearer <token>'"));
        token = authorization.mid(space + 1).trimmed();
    }
    if (!token.isEmpty()) {
        if (!m_jwt.isConfigured())
            throw ApiError::unauthorized(QStringLiteral("bearer tokens are not accepted: no JWT secret is configured"));
        auto claims = m_jwt.verify(token, nowMs / 1000);
        if (!claims)
            throw ApiError::unauthorized(QStringLiteral("invalid bearer token: %1").arg(claims.error()));
        return Principal{Principal::Kind::Token, claims->subject, claims->role, 0};
    }
    if (!apiKey.isEmpty()) {
        const auto key = lookUp(apiKey.trimmed(), nowMs);
        if (!key)
            throw ApiError::unauthorized(QStringLiteral("the API key is not valid or was revoked"));
        return Principal{Principal::Kind::ApiKey, QStringLiteral("key:") + key->name, key->role, key->id};
    }
    if (!m_jwt.isConfigured() && m_state.activeKeys == 0)
        throw ApiError::unauthorized(QStringLiteral("the REST API is closed: credentials existed (%1), and revoking them "
                                                    "does not reopen it; create an API key (syncdesk api-key create), or "
                                                    "reopen open local mode with 'syncdesk --reopen-open-mode'")
                                         .arg(m_state.reason));
    throw ApiError::unauthorized(QStringLiteral("credentials are required: Authorization: Bearer <token> or X-API-Key"));
}

} // namespace syncdesk::api
