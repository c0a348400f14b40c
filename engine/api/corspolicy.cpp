#include "api/corspolicy.h"

namespace syncdesk::api {

CorsPolicy::CorsPolicy(QStringList origins)
{
    for (const QString &origin : origins)
        m_origins << origin.toLower().toUtf8();
}

bool CorsPolicy::allows(const QByteArray &origin) const
{
    return !origin.isEmpty() && m_origins.contains(origin.toLower());
}

QList<QPair<QByteArray, QByteArray>> CorsPolicy::responseHeaders(const QByteArray &origin) const
{
    return {{QByteArrayLiteral("Access-Control-Allow-Origin"), origin},
            {QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin")},
            {QByteArrayLiteral("Access-Control-Expose-Headers"), QByteArrayLiteral("X-Request-Id, Retry-After")}};
}

QList<QPair<QByteArray, QByteArray>> CorsPolicy::preflightHeaders(const QByteArray &origin, const QStringList &methods) const
{
    QStringList allowed = methods;
    allowed << QStringLiteral("OPTIONS");
    return {{QByteArrayLiteral("Access-Control-Allow-Origin"), origin},
            {QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin")},
            {QByteArrayLiteral("Access-Control-Allow-Methods"), allowed.join(QStringLiteral(", ")).toLatin1()},
            {QByteArrayLiteral("Access-Control-Allow-Headers"),
             QByteArrayLiteral("Authorization, Content-Type, X-API-Key, X-Request-Id")},
            {QByteArrayLiteral("Access-Control-Max-Age"), QByteArrayLiteral("600")}};
}

} // namespace syncdesk::api
