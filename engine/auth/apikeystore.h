#pragma once

#include "auth/role.h"
#include "core/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace syncdesk {

class ConnectionProvider;

struct ApiKeyInfo
{
    qint64 id = 0;
    QString name;
    QString prefix; // the first characters of the key, to recognise it in lists and logs
    Role role = Role::Viewer;
    QDateTime createdAt;
    QString createdBy;
    QDateTime lastUsedAt;
    QDateTime revokedAt;

    bool revoked() const { return revokedAt.isValid(); }
};

struct CreatedApiKey
{
    ApiKeyInfo info;
    QString key; // shown once, never stored
};

// API keys of the REST API (sync.api_keys). Only a SHA-256 hash of each key is stored: a key is 256
// random bits, so a fast hash is as safe as a slow one and keeps checking a key cheap. Used by the API
// to authenticate, and by `syncdesk api-key` and the window to create, list and revoke keys. Blocking;
// uses the calling thread's connection.
class ApiKeyStore
{
public:
    explicit ApiKeyStore(std::shared_ptr<ConnectionProvider> connections);

    Result<CreatedApiKey> create(const QString &name, Role role, const QString &createdBy);
    Result<QList<ApiKeyInfo>> list();
    // By id ("12") or name; a failure names what is wrong (unknown key, already revoked).
    Result<ApiKeyInfo> revoke(const QString &idOrName);
    // The key's record when the key is known and not revoked (and notes that it was used), nullopt
    // when it is not; a failure only when the database cannot be asked.
    Result<std::optional<ApiKeyInfo>> authenticate(const QString &key);
    // Keys that are not revoked: with none and no JWT secret, the API may run in open local mode.
    Result<qint64> activeCount();

    static QString hash(const QString &key);
    static bool looksLikeKey(const QString &key);

private:
    std::shared_ptr<ConnectionProvider> m_connections;
};

} // namespace syncdesk
