#pragma once

#include "sync/operationresult.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace syncdesk::api {

// The one error type of the REST API. Every layer reports failures as an ApiError (handlers throw it,
// the connection guard and the pipeline build it); httpStatus() is the single place where an error
// kind becomes an HTTP status, and toJson() the single error body shape:
// {"error": {"code": "...", "message": "...", "details": {...}}} (details only when there are any).
class ApiError
{
public:
    enum class Kind
    {
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        RequestTimeout,
        TooManyRequests,
        Unavailable,
        Internal,
    };

    ApiError(Kind kind, QString code, QString message);

    static ApiError badRequest(const QString &message, const QString &code = QStringLiteral("bad_request"))
    {
        return {Kind::BadRequest, code, message};
    }
    static ApiError notFound(const QString &message)
    {
        return {Kind::NotFound, QStringLiteral("not_found"), message};
    }
    static ApiError unauthorized(const QString &message)
    {
        return {Kind::Unauthorized, QStringLiteral("unauthorized"), message};
    }
    static ApiError forbidden(const QString &message, const QString &code = QStringLiteral("forbidden"))
    {
        return {Kind::Forbidden, code, message};
    }
    static ApiError methodNotAllowed(const QStringList &allowed);
    static ApiError conflict(const QString &message, const QJsonObject &details = {});
    static ApiError payloadTooLarge(const QString &message, const QString &code = QStringLiteral("payload_too_large"))
    {
        return {Kind::PayloadTooLarge, code, message};
    }
    static ApiError unsupportedMediaType(const QString &message)
    {
        return {Kind::UnsupportedMediaType, QStringLiteral("unsupported_media_type"), message};
    }
    static ApiError requestTimeout(const QString &message)
    {
        return {Kind::RequestTimeout, QStringLiteral("request_timeout"), message};
    }
    static ApiError tooManyRequests(const QString &message, int retryAfterSeconds);
    static ApiError unavailable(const QString &message)
    {
        return {Kind::Unavailable, QStringLiteral("unavailable"), message};
    }
    static ApiError internal(const QString &message)
    {
        return {Kind::Internal, QStringLiteral("internal"), message};
    }
    // An engine operation's failure: not found, conflict (with the ids the engine gave), invalid input,
    // unavailable, failed.
    static ApiError fromOperation(const OperationResult &result);
    // A query that failed: the database being away is 503, anything else 500.
    static ApiError fromDatabase(const QString &error);

    Kind kind() const { return m_kind; }
    QString code() const { return m_code; }
    QString message() const { return m_message; }
    QJsonObject details() const { return m_details; }
    int retryAfterSeconds() const { return m_retryAfterSeconds; }
    QStringList allowedMethods() const { return m_allowed; }
    ApiError &withDetails(const QJsonObject &details)
    {
        m_details = details;
        return *this;
    }

    int httpStatus() const;
    QByteArray toJson() const;

private:
    Kind m_kind;
    QString m_code;
    QString m_message;
    QJsonObject m_details;
    int m_retryAfterSeconds = 0;
    QStringList m_allowed;
};

} // namespace syncdesk::api
