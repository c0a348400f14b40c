#include "api/jwtcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>

#include <jwt.h>

#include <cmath>
#include <cstdlib>
#include <memory>

namespace syncdesk::api {

namespace {

// Tokens are small; anything this big is not one of ours.
constexpr qsizetype kMaxTokenBytes = 8192;
constexpr double kMaxWholeSeconds = 9007199254740992.0; // 2^53

struct JwtDeleter
{
    void operator()(jwt_t *jwt) const { jwt_free(jwt); }
};
using JwtPointer = std::unique_ptr<jwt_t, JwtDeleter>;

bool isBase64Url(const QByteArray &part)
{
    return std::all_of(part.cbegin(), part.cend(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

Result<QJsonObject> decodeJsonPart(const QByteArray &part, const char *what)
{
    QByteArray padded = part;
    while (padded.size() % 4 != 0)
        padded.append('=');
    const auto decoded = QByteArray::fromBase64Encoding(padded, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Result<QJsonObject>::failure(QStringLiteral("the token's %1 is not base64url").arg(QLatin1String(what)));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return Result<QJsonObject>::failure(QStringLiteral("the token's %1 is not a JSON object").arg(QLatin1String(what)));
    return Result<QJsonObject>::success(document.object());
}

// Checks the shape and the header before any signature work; returns the three parts.
Result<QList<QByteArray>> split(const QByteArray &token)
{
    using Parts = Result<QList<QByteArray>>;
    if (token.isEmpty() || token.size() > kMaxTokenBytes)
        return Parts::failure(QStringLiteral("the token is empty or too long"));
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty() || parts.at(2).isEmpty())
        return Parts::failure(QStringLiteral("the token is not three dot-separated parts with a signature"));
    for (const QByteArray &part : parts) {
        if (!isBase64Url(part))
            return Parts::failure(QStringLiteral("the token is not base64url"));
    }
    auto header = decodeJsonPart(parts.at(0), "header");
    if (!header)
        return Parts::failure(header.error());
    if (header->value(QStringLiteral("alg")).toString() != QLatin1String("HS256"))
        return Parts::failure(QStringLiteral("the token is not signed with HS256"));
    const QJsonValue type = header->value(QStringLiteral("typ"));
    if (!type.isUndefined() && type.toString().compare(QLatin1String("JWT"), Qt::CaseInsensitive) != 0)
        return Parts::failure(QStringLiteral("the token is not a JWT"));
    if (header->contains(QStringLiteral("crit")))
        return Parts::failure(QStringLiteral("the token has critical header parameters this server does not know"));
    return Parts::success(parts);
}

} // namespace

JwtCodec::JwtCodec(Options options)
    : m_options(std::move(options))
{
}

Result<QJsonObject> JwtCodec::verifySignature(const QByteArray &token, const QByteArray &secret)
{
    auto parts = split(token);
    if (!parts)
        return Result<QJsonObject>::failure(parts.error());
    if (secret.isEmpty())
        return Result<QJsonObject>::failure(QStringLiteral("no secret to verify the token with"));
    jwt_t *raw = nullptr;
    const QByteArray terminated = token; // QByteArray data is NUL-terminated
    const int failed = jwt_decode(&raw, terminated.constData(), reinterpret_cast<const unsigned char *>(secret.constData()),
                                  int(secret.size()));
    JwtPointer jwt(raw);
    if (failed != 0 || !jwt)
        return Result<QJsonObject>::failure(QStringLiteral("the token's signature is not valid"));
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
        return Result<QJsonObject>::failure(QStringLiteral("the token is not signed with HS256"));
    // The payload as libjwt verified it.
    return decodeJsonPart(parts->at(1), "payload");
}

Result<TokenClaims> JwtCodec::verify(const QByteArray &token, qint64 nowSeconds) const
{
    auto payload = verifySignature(token, m_options.secret);
    if (!payload)
        return Result<TokenClaims>::failure(payload.error());
    const QJsonObject &claims = payload.value();
    // A time in whole seconds; past 2^53 a double no longer holds whole seconds, and a larger one
    // would not fit qint64 (or overflow with the leeway added): no real token says such a time.
    const auto number = [&claims](const char *name) -> std::optional<qint64> {
        const QJsonValue value = claims.value(QLatin1String(name));
        if (!value.isDouble() || !(std::abs(value.toDouble()) <= kMaxWholeSeconds))
            return std::nullopt;
        return qint64(std::floor(value.toDouble()));
    };
    const qint64 leeway = m_options.leewaySeconds;
    const auto expires = number("exp");
    if (!expires)
        return Result<TokenClaims>::failure(QStringLiteral("the token has no numeric expiry (exp)"));
    if (nowSeconds > *expires + leeway)
        return Result<TokenClaims>::failure(QStringLiteral("the token has expired"));
    if (claims.contains(QStringLiteral("nbf"))) {
        const auto notBefore = number("nbf");
        if (!notBefore)
            return Result<TokenClaims>::failure(QStringLiteral("the token's nbf is not a number"));
        if (nowSeconds + leeway < *notBefore)
            return Result<TokenClaims>::failure(QStringLiteral("the token is not valid yet"));
    }
    if (!m_options.issuer.isEmpty() && claims.value(QStringLiteral("iss")).toString() != m_options.issuer)
        return Result<TokenClaims>::failure(QStringLiteral("the token is from another issuer"));
    if (!m_options.audience.isEmpty()) {
        const QJsonValue audience = claims.value(QStringLiteral("aud"));
        const bool listed = audience.isString() ? audience.toString() == m_options.audience
                                                : audience.toArray().contains(QJsonValue(m_options.audience));
        if (!listed)
            return Result<TokenClaims>::failure(QStringLiteral("the token is meant for another audience"));
    }
    TokenClaims verified;
    verified.subject = claims.value(QStringLiteral("sub")).toString();
    if (verified.subject.isEmpty() || verified.subject.size() > 200)
        return Result<TokenClaims>::failure(QStringLiteral("the token has no subject (sub)"));
    const auto role = roleFromName(claims.value(QStringLiteral("role")).toString());
    if (!role)
        return Result<TokenClaims>::failure(QStringLiteral("the token's role is not viewer, agent or admin"));
    verified.role = *role;
    verified.expiresAt = *expires;
    verified.claims = claims;
    return Result<TokenClaims>::success(verified);
}

Result<QByteArray> JwtCodec::sign(const QString &subject, Role role, qint64 ttlSeconds, qint64 nowSeconds) const
{
    if (!isConfigured())
        return Result<QByteArray>::failure(QStringLiteral("no JWT secret is configured (SYNC_JWT_SECRET or SYNC_JWT_SECRET_FILE)"));
    jwt_t *raw = nullptr;
    if (jwt_new(&raw) != 0)
        return Result<QByteArray>::failure(QStringLiteral("libjwt could not create a token"));
    JwtPointer jwt(raw);
    int failed = jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char *>(m_options.secret.constData()),
                             int(m_options.secret.size()));
    failed |= jwt_add_grant(jwt.get(), "sub", subject.toUtf8().constData());
    failed |= jwt_add_grant(jwt.get(), "role", roleName(role).toUtf8().constData());
    failed |= jwt_add_grant_int(jwt.get(), "iat", long(nowSeconds));
    failed |= jwt_add_grant_int(jwt.get(), "exp", long(nowSeconds + ttlSeconds));
    if (!m_options.issuer.isEmpty())
        failed |= jwt_add_grant(jwt.get(), "iss", m_options.issuer.toUtf8().constData());
    if (!m_options.audience.isEmpty())
        failed |= jwt_add_grant(jwt.get(), "aud", m_options.audience.toUtf8().constData());
    if (failed != 0)
        return Result<QByteArray>::failure(QStringLiteral("libjwt could not fill the token"));
    char *encoded = jwt_encode_str(jwt.get());
    if (!encoded)
        return Result<QByteArray>::failure(QStringLiteral("libjwt could not sign the token"));
    QByteArray token(encoded);
    std::free(encoded); // libjwt 1.10 allocates with malloc and has no free function of its own
    return Result<QByteArray>::success(token);
}

} // namespace syncdesk::api
