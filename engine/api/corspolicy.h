#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QStringList>

namespace syncdesk::api {

// Which browser origins may call the API (SYNC_CORS_ORIGINS; none by default) and the headers that
// tell the browser so. Preflights (OPTIONS with Access-Control-Request-Method) are answered by the
// server with what allowedHeaders() returns.
class CorsPolicy
{
public:
    explicit CorsPolicy(QStringList origins);

    bool allows(const QByteArray &origin) const;
    // Headers for an actual response to an allowed origin.
    QList<QPair<QByteArray, QByteArray>> responseHeaders(const QByteArray &origin) const;
    // Headers answering a preflight for `methods` of one path.
    QList<QPair<QByteArray, QByteArray>> preflightHeaders(const QByteArray &origin, const QStringList &methods) const;

private:
    QList<QByteArray> m_origins;
};

} // namespace syncdesk::api
