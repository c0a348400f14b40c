#include "api/apiresponse.h"

#include "api/apierror.h"

#include <QJsonDocument>

namespace syncdesk::api {

ApiResponse ApiResponse::json(const QJsonObject &object, int status)
{
    ApiResponse response;
    response.status = status;
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

ApiResponse ApiResponse::json(const QJsonArray &array, int status)
{
    ApiResponse response;
    response.status = status;
    response.body = QJsonDocument(array).toJson(QJsonDocument::Compact);
    return response;
}

ApiResponse ApiResponse::text(QByteArray body, QByteArray contentType, int status)
{
    ApiResponse response;
    response.status = status;
    response.contentType = std::move(contentType);
    response.body = std::move(body);
    return response;
}

ApiResponse ApiResponse::noContent(int status)
{
    ApiResponse response;
    response.status = status;
    response.contentType.clear();
    return response;
}

ApiResponse ApiResponse::error(const ApiError &error)
{
    ApiResponse response;
    response.status = error.httpStatus();
    response.body = error.toJson();
    if (error.retryAfterSeconds() > 0)
        response.header(QByteArrayLiteral("Retry-After"), QByteArray::number(error.retryAfterSeconds()));
    if (!error.allowedMethods().isEmpty())
        response.header(QByteArrayLiteral("Allow"), error.allowedMethods().join(QStringLiteral(", ")).toLatin1());
    if (error.kind() == ApiError::Kind::Unauthorized)
        response.header(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"syncdesk\""));
    return response;
}

QByteArray ApiResponse::headerValue(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray ApiResponse::reasonPhrase(int status)
{
    switch (status) {
    case 100: return QByteArrayLiteral("Continue");
    case 101: return QByteArrayLiteral("Switching Protocols");
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 202: return QByteArrayLiteral("Accepted");
    case 204: return QByteArrayLiteral("No Content");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 409: return QByteArrayLiteral("Conflict");
    case 413: return QByteArrayLiteral("Content Too Large");
    case 415: return QByteArrayLiteral("Unsupported Media Type");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 503: return QByteArrayLiteral("Service Unavailable");
    default: return QByteArrayLiteral("Status");
    }
}

QByteArray ApiResponse::toHttp(const QByteArray &requestId, bool closeConnection) const
{
    QByteArray out;
    out.reserve(256 + body.size());
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\n";
    if (!contentType.isEmpty()) {
        out += "Content-Type: ";
        out += contentType;
        out += "\r\n";
    }
    // 204 carries no Content-Length; everything else does, HEAD included (the length GET would have).
    if (status != 204) {
        out += "Content-Length: ";
        out += QByteArray::number(body.size());
        out += "\r\n";
    }
    // Nothing the API sends is meant to be rendered or framed by a browser.
    out += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'none'\r\n"
           "X-Frame-Options: DENY\r\n";
    if (!requestId.isEmpty()) {
        out += "X-Request-Id: ";
        out += requestId;
        out += "\r\n";
    }
    for (const auto &[name, value] : headers) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    if (closeConnection)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!omitBody && status != 204)
        out += body;
    return out;
}

} // namespace syncdesk::api
