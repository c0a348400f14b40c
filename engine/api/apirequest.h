#pragma once

#include "api/apierror.h"
#include "api/principal.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace syncdesk::api {

struct Route;

// One request as the handlers see it: copied out of QtHttpServer's request (which QtHttpServer reuses
// for the next request on the connection) so it can be served on a worker thread. The helpers check
// input and throw ApiError (400) for anything that is not of the documented shape.
struct ApiRequest
{
    QByteArray method;
    QStringList segments; // the path, percent-decoded, split at '/'
    QString path;
    QMap<QString, QString> query;
    QList<QPair<QByteArray, QByteArray>> headers; // names in lower case
    QByteArray body;
    QString client; // the client's address
    QByteArray requestId;       // the server's own, always fresh
    QByteArray clientRequestId; // the client's X-Request-Id when it sent a sane one
    qint64 receivedMs = 0;
    std::optional<ApiError> malformed; // the path or query could not be decoded

    // Filled in by the pipeline.
    const Route *route = nullptr;
    Principal principal;
    QMap<QString, qint64> ids; // path parameters ({conversation_id}, ...)

    QByteArray header(const QByteArray &lowerCaseName) const;
    qint64 id(const QString &name) const { return ids.value(name); }
    // Who the engine records as having done something: the principal's subject.
    QString actor() const { return principal.subject; }

    // Query parameters.
    int intParam(const QString &name, int fallback, int min, int max) const;
    QString enumParam(const QString &name, const QStringList &allowed) const; // empty when absent
    QString textParam(const QString &name, int maxLength) const;
    // The body as a JSON object with only `allowed` members (an empty body is {} unless `required`).
    QJsonObject jsonBody(const QStringList &allowed, bool required = false) const;

    // Splits a path into decoded segments; nullopt when it is not valid percent-encoded UTF-8.
    static std::optional<QStringList> decodePath(const QByteArray &encodedPath);
    // Parses a query string (application/x-www-form-urlencoded rules: + is a space).
    static std::optional<QMap<QString, QString>> decodeQuery(const QByteArray &encodedQuery);
};

// Member checks for JSON bodies (throw ApiError 400 naming the member).
namespace json {
QString string(const QJsonObject &object, const QString &name, bool required, int maxLength = 10000);
std::optional<qint64> positiveId(const QJsonObject &object, const QString &name, bool required);
std::optional<double> number(const QJsonObject &object, const QString &name, double min, double max);
QList<qint64> idList(const QJsonObject &object, const QString &name, int maxItems);
} // namespace json

} // namespace syncdesk::api
