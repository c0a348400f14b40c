#include "api/controllers/apikeycontroller.h"

#include "auth/apikeystore.h"

#include <QJsonArray>

namespace syncdesk::api {

namespace {

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonObject toJson(const ApiKeyInfo &key)
{
    return QJsonObject{{QStringLiteral("id"), key.id},
                       {QStringLiteral("name"), key.name},
                       {QStringLiteral("prefix"), key.prefix},
                       {QStringLiteral("role"), roleName(key.role)},
                       {QStringLiteral("created_at"), timeOrNull(key.createdAt)},
                       {QStringLiteral("created_by"), key.createdBy},
                       {QStringLiteral("last_used_at"), timeOrNull(key.lastUsedAt)},
                       {QStringLiteral("revoked_at"), timeOrNull(key.revokedAt)}};
}

} // namespace

void ApiKeyController::addRoutes(Router &router)
{
    router.add({"GET", QStringLiteral("/api/sync/api-keys"), QStringLiteral("api_keys.list"), Permission::Administer, false, false, {},
                [this](const ApiRequest &request) { return list(request); }});
    router.add({"POST", QStringLiteral("/api/sync/api-keys"), QStringLiteral("api_keys.create"), Permission::Administer, true, false,
                {}, [this](const ApiRequest &request) { return create(request); }});
    router.add({"POST", QStringLiteral("/api/sync/api-keys/{key_id}/revoke"), QStringLiteral("api_keys.revoke"),
                Permission::Administer, true, false, {}, [this](const ApiRequest &request) { return revoke(request); }});
}

ApiResponse ApiKeyController::list(const ApiRequest &) const
{
    auto keys = m_context.keys->list();
    if (!keys)
        throw ApiError::fromDatabase(keys.error());
    QJsonArray items;
    for (const ApiKeyInfo &key : keys.value())
        items.append(toJson(key));
    return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
}

ApiResponse ApiKeyController::create(const ApiRequest &request) const
{
    const QJsonObject body = request.jsonBody({QStringLiteral("name"), QStringLiteral("role")}, true);
    const QString name = json::string(body, QStringLiteral("name"), true, 64);
    const auto role = roleFromName(json::string(body, QStringLiteral("role"), true, 16));
    if (!role)
        throw ApiError::badRequest(QStringLiteral("'role' must be viewer, agent or admin"), QStringLiteral("invalid_body"));
    auto created = m_context.keys->create(name, *role, request.actor());
    if (!created) {
        if (created.error().contains(QLatin1String("exists already")))
            throw ApiError::conflict(created.error());
        if (created.error().startsWith(QLatin1String("the key name")))
            throw ApiError::badRequest(created.error(), QStringLiteral("invalid_body"));
        throw ApiError::fromDatabase(created.error());
    }
    QJsonObject result = toJson(created->info);
    result.insert(QStringLiteral("key"), created->key);
    return ApiResponse::json(result, 201);
}

ApiResponse ApiKeyController::revoke(const ApiRequest &request) const
{
    request.jsonBody({});
    const qint64 id = request.id(QStringLiteral("key_id"));
    auto revoked = m_context.keys->revoke(QString::number(id));
    if (!revoked) {
        if (revoked.error().startsWith(QLatin1String("there is no API key")))
            throw ApiError::notFound(revoked.error());
        if (revoked.error().contains(QLatin1String("revoked already")))
            throw ApiError::conflict(revoked.error());
        throw ApiError::fromDatabase(revoked.error());
    }
    return ApiResponse::json(toJson(revoked.value()));
}

} // namespace syncdesk::api
