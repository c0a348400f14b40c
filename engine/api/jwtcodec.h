#pragma once

#include "auth/role.h"
#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace syncdesk::api {

// What a verified bearer token says.
struct TokenClaims
{
    QString subject;
    Role role = Role::Viewer;
    qint64 expiresAt = 0; // seconds since the epoch
    QJsonObject claims;   // all of them, as signed
};

// HS256 JSON Web Tokens (RFC 7519) through libjwt: verification for the API, signing for
// `syncdesk token` and the tests. Only HS256 is accepted: the header's alg is checked before libjwt
// sees the token (so "none" and other algorithms never reach signature checking) and again after.
// exp is required; exp and nbf are checked with the configured leeway, iss and aud when configured;
// sub (a string) and role (viewer, agent, admin) are required.
class JwtCodec
{
public:
    struct Options
    {
        QByteArray secret;
        QString issuer;   // required iss when not empty
        QString audience; // required in aud when not empty
        int leewaySeconds = 30;
    };

    explicit JwtCodec(Options options);

    bool isConfigured() const { return !m_options.secret.isEmpty(); }
    // The token's claims, or why it is refused (a message safe to show the caller).
    Result<TokenClaims> verify(const QByteArray &token, qint64 nowSeconds) const;
    // Verifies only the signature with `secret` and returns the payload (for external test vectors).
    static Result<QJsonObject> verifySignature(const QByteArray &token, const QByteArray &secret);
    Result<QByteArray> sign(const QString &subject, Role role, qint64 ttlSeconds, qint64 nowSeconds) const;

private:
    Options m_options;
};

} // namespace syncdesk::api
