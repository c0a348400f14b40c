#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace syncdesk::api {

class ApiError;

// One HTTP response of the REST API, written to the socket by the server (or by the connection guard
// for requests refused before QtHttpServer sees them) through toHttp(): the only place response bytes
// are put together.
struct ApiResponse
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool omitBody = false; // HEAD

    static ApiResponse json(const QJsonObject &object, int status = 200);
    static ApiResponse json(const QJsonArray &array, int status = 200);
    static ApiResponse text(QByteArray body, QByteArray contentType, int status = 200);
    static ApiResponse noContent(int status = 204);
    // The error's status, body and the headers its kind calls for (Retry-After, Allow, WWW-Authenticate).
    static ApiResponse error(const ApiError &error);

    ApiResponse &header(QByteArray name, QByteArray value)
    {
        headers.append({std::move(name), std::move(value)});
        return *this;
    }
    QByteArray headerValue(const QByteArray &name) const;
    QByteArray toHttp(const QByteArray &requestId, bool closeConnection) const;

    static QByteArray reasonPhrase(int status);
};

} // namespace syncdesk::api
