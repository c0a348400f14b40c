#include "api/apirequest.h"

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace syncdesk::api {

namespace {

constexpr int kMaxQueryParameters = 50;

std::optional<QString> decodeComponent(QByteArray encoded, bool plusIsSpace)
{
    if (plusIsSpace)
        encoded.replace('+', ' ');
    // A '%' not followed by two hex digits is malformed, not a literal '%'.
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        if (encoded.at(i) != '%')
            continue;
        const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
        if (i + 2 >= encoded.size() || !hex(encoded.at(i + 1)) || !hex(encoded.at(i + 2)))
            return std::nullopt;
    }
    const QByteArray decoded = QByteArray::fromPercentEncoding(encoded);
    if (!QByteArrayView(decoded).isValidUtf8() || decoded.contains('\0'))
        return std::nullopt;
    return QString::fromUtf8(decoded);
}

ApiError badParameter(const QString &name, const QString &what)
{
    return ApiError::badRequest(QStringLiteral("query parameter '%1' %2").arg(name, what), QStringLiteral("invalid_parameter"));
}

ApiError badMember(const QString &name, const QString &what)
{
    return ApiError::badRequest(QStringLiteral("'%1' %2").arg(name, what), QStringLiteral("invalid_body"));
}

} // namespace

QByteArray ApiRequest::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

std::optional<QStringList> ApiRequest::decodePath(const QByteArray &encodedPath)
{
    QStringList segments;
    const QList<QByteArray> parts = encodedPath.split('/');
    for (qsizetype i = 1; i < parts.size(); ++i) {
        auto segment = decodeComponent(parts.at(i), false);
        if (!segment)
            return std::nullopt;
        segments << *segment;
    }
    return segments;
}

std::optional<QMap<QString, QString>> ApiRequest::decodeQuery(const QByteArray &encodedQuery)
{
    QMap<QString, QString> query;
    if (encodedQuery.isEmpty())
        return query;
    const QList<QByteArray> pairs = encodedQuery.split('&');
    if (pairs.size() > kMaxQueryParameters)
        return std::nullopt;
    for (const QByteArray &pair : pairs) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        auto name = decodeComponent(equals < 0 ? pair : pair.left(equals), true);
        auto value = decodeComponent(equals < 0 ? QByteArray() : pair.mid(equals + 1), true);
        if (!name || !value || name->isEmpty())
            return std::nullopt;
        query.insert(*name, *value);
    }
    return query;
}

int ApiRequest::intParam(const QString &name, int fallback, int min, int max) const
{
    if (!query.contains(name))
        return fallback;
    bool ok = false;
    const QString text = query.value(name);
    const qlonglong value = text.toLongLong(&ok);
    if (!ok || value < min || value > max || text.trimmed() != text)
        throw badParameter(name, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
    return int(value);
}

QString ApiRequest::enumParam(const QString &name, const QStringList &allowed) const
{
    if (!query.contains(name))
        return {};
    const QString value = query.value(name);
    if (!allowed.contains(value))
        throw badParameter(name, QStringLiteral("must be one of %1").arg(allowed.join(QStringLiteral(", "))));
    return value;
}

QString ApiRequest::textParam(const QString &name, int maxLength) const
{
    const QString value = query.value(name);
    if (value.size() > maxLength)
        throw badParameter(name, QStringLiteral("is longer than %1 characters").arg(maxLength));
    return value;
}

QJsonObject ApiRequest::jsonBody(const QStringList &allowed, bool required) const
{
    if (body.trimmed().isEmpty()) {
        if (required)
            throw ApiError::badRequest(QStringLiteral("a JSON object body is required"), QStringLiteral("invalid_body"));
        return {};
    }
    if (!QByteArrayView(body).isValidUtf8())
        throw ApiError::badRequest(QStringLiteral("the body is not valid UTF-8"), QStringLiteral("invalid_json"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError::badRequest(QStringLiteral("the body is not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset),
                                   QStringLiteral("invalid_json"));
    if (!document.isObject())
        throw ApiError::badRequest(QStringLiteral("the body must be a JSON object"), QStringLiteral("invalid_body"));
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key()))
            throw badMember(it.key(), allowed.isEmpty() ? QStringLiteral("is not expected: this request takes no body members")
                                                        : QStringLiteral("is not one of %1").arg(allowed.join(QStringLiteral(", "))));
    }
    return object;
}

namespace json {

QString string(const QJsonObject &object, const QString &name, bool required, int maxLength)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull()) {
        if (required)
            throw badMember(name, QStringLiteral("is required"));
        return {};
    }
    if (!value.isString())
        throw badMember(name, QStringLiteral("must be a string"));
    if (value.toString().size() > maxLength)
        throw badMember(name, QStringLiteral("is longer than %1 characters").arg(maxLength));
    return value.toString();
}

std::optional<qint64> positiveId(const QJsonObject &object, const QString &name, bool required)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull()) {
        if (required)
            throw badMember(name, QStringLiteral("is required"));
        return std::nullopt;
    }
    const double number = value.toDouble(-1);
    // Whole numbers up to 2^53 are exact in JSON numbers as parsers read them.
    if (!value.isDouble() || !std::isfinite(number) || number < 1 || number > 9007199254740991.0 || std::floor(number) != number)
        throw badMember(name, QStringLiteral("must be a positive whole number"));
    return qint64(number);
}

std::optional<double> number(const QJsonObject &object, const QString &name, double min, double max)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() < min || value.toDouble() > max)
        throw badMember(name, QStringLiteral("must be a number from %1 to %2").arg(min).arg(max));
    return value.toDouble();
}

QList<qint64> idList(const QJsonObject &object, const QString &name, int maxItems)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isArray() || value.toArray().size() > maxItems)
        throw badMember(name, QStringLiteral("must be a list of at most %1 ids").arg(maxItems));
    QList<qint64> ids;
    for (const QJsonValue &item : value.toArray()) {
        const QJsonObject wrapper{{name, item}};
        ids << *positiveId(wrapper, name, true);
    }
    return ids;
}

} // namespace json

} // namespace syncdesk::api
