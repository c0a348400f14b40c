#pragma once

#include <QByteArray>
#include <QString>

namespace syncdesk::api {

// The one error type of the REST API. Every handler reports failures as an ApiError; httpStatus()
// is the single place where an error kind becomes an HTTP status, and toJson() the single error body
// shape: {"error": {"code": "...", "message": "..."}}.
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
        RequestTimeout,
        TooManyRequests,
        Unavailable,
        Internal,
    };

    ApiError(Kind kind, QString code, QString message);

    static ApiError badRequest(const QString &message)
    {
        return {Kind::BadRequest, QStringLiteral("bad_request"), message};
    }
    static ApiError notFound(const QString &message)
    {
        return {Kind::NotFound, QStringLiteral("not_found"), message};
    }

    Kind kind() const { return m_kind; }
    QString code() const { return m_code; }
    QString message() const { return m_message; }
    int httpStatus() const;
    QByteArray toJson() const;

private:
    Kind m_kind;
    QString m_code;
    QString m_message;
};

} // namespace syncdesk::api
