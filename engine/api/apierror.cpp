#include "api/apierror.h"

#include "database/sql.h"

#include <QJsonDocument>

namespace syncdesk::api {

ApiError::ApiError(Kind kind, QString code, QString message)
    : m_kind(kind)
    , m_code(std::move(code))
    , m_message(std::move(message))
{}

ApiError ApiError::methodNotAllowed(const QStringList &allowed)
{
    ApiError error(Kind::MethodNotAllowed, QStringLiteral("method_not_allowed"),
                   QStringLiteral("this path allows %1").arg(allowed.join(QStringLiteral(", "))));
    error.m_allowed = allowed;
    return error;
}

ApiError ApiError::conflict(const QString &message, const QJsonObject &details)
{
    ApiError error(Kind::Conflict, QStringLiteral("conflict"), message);
    error.m_details = details;
    return error;
}

ApiError ApiError::tooManyRequests(const QString &message, int retryAfterSeconds)
{
    ApiError error(Kind::TooManyRequests, QStringLiteral("rate_limited"), message);
    error.m_retryAfterSeconds = std::max(1, retryAfterSeconds);
    return error;
}

ApiError ApiError::fromOperation(const OperationResult &result)
{
    using Failure = OperationResult::Failure;
    switch (result.failure) {
    case Failure::NotFound:
        return notFound(result.error);
    case Failure::Conflict:
        return conflict(result.error, result.data);
    case Failure::InvalidInput:
        return badRequest(result.error, QStringLiteral("invalid_input"));
    case Failure::Unavailable:
        return unavailable(result.error);
    case Failure::None:
    case Failure::Failed:
        break;
    }
    return {Kind::Internal, QStringLiteral("operation_failed"), result.error};
}

ApiError ApiError::fromDatabase(const QString &error)
{
    // SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart).
    const QString state = sql::sqlState(error);
    const bool away = state.startsWith(QLatin1String("08")) || state.startsWith(QLatin1String("57P")) || state.isEmpty();
    if (away)
        return unavailable(QStringLiteral("the database cannot be reached: %1").arg(error));
    return {Kind::Internal, QStringLiteral("database_error"), error};
}

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
    case Kind::UnsupportedMediaType:
        return 415;
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
    QJsonObject error{{QStringLiteral("code"), m_code}, {QStringLiteral("message"), m_message}};
    if (!m_details.isEmpty())
        error.insert(QStringLiteral("details"), m_details);
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

} // namespace syncdesk::api
