#include "api/apierror.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace syncdesk::api {

ApiError::ApiError(Kind kind, QString code, QString message)
    : m_kind(kind)
    , m_code(std::move(code))
    , m_message(std::move(message))
{}

int ApiError::httpStatus() const
{
    switch (m_kind) {
    case Kind::BadRequest:
        return 400;
    case Kind::Unauthorized:
        return 401;
    case Kind::Forbidden:
        return 403;
    case Kind::NotFound:
        return 404;
    case Kind::MethodNotAllowed:
        return 405;
    case Kind::RequestTimeout:
        return 408;
    case Kind::Conflict:
        return 409;
    case Kind::PayloadTooLarge:
        return 413;
    case Kind::TooManyRequests:
        return 429;
    case Kind::Unavailable:
        return 503;
    case Kind::Internal:
        return 500;
    }
    return 500;
}

QByteArray ApiError::toJson() const
{
    const QJsonObject error{{QStringLiteral("code"), m_code}, {QStringLiteral("message"), m_message}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

} // namespace syncdesk::api
