#include "auth/apikeystore.h"

#include "database/connectionprovider.h"
#include "database/sql.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace syncdesk {

namespace {

const QString kKeyPrefix = QStringLiteral("sdk_");
constexpr int kPrefixLength = 12; // "sdk_" and 8 characters of the random part

const QString kColumns = QStringLiteral("id, name, prefix, role, created_at, created_by, last_used_at, revoked_at");

ApiKeyInfo readInfo(const QSqlQuery &row)
{
    ApiKeyInfo info;
    info.id = row.value(0).toLongLong();
    info.name = row.value(1).toString();
    info.prefix = row.value(2).toString();
    info.role = roleFromName(row.value(3).toString()).value_or(Role::Viewer);
    info.createdAt = row.value(4).toDateTime().toUTC();
    info.createdBy = row.value(5).toString();
    info.lastUsedAt = row.value(6).isNull() ? QDateTime() : row.value(6).toDateTime().toUTC();
    info.revokedAt = row.value(7).isNull() ? QDateTime() : row.value(7).toDateTime().toUTC();
    return info;
}

QString randomSecret()
{
    // 32 bytes from the operating system's generator, base64url without padding (43 characters).
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + bytes.size()));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

ApiKeyStore::ApiKeyStore(std::shared_ptr<ConnectionProvider> connections)
    : m_connections(std::move(connections))
{
}

QString ApiKeyStore::hash(const QString &key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
}

bool ApiKeyStore::looksLikeKey(const QString &key)
{
    static const QRegularExpression shape(QStringLiteral("^sdk_[A-Za-z0-9_-]{43}$"));
    return shape.match(key).hasMatch();
}

Result<CreatedApiKey> ApiKeyStore::create(const QString &name, Role role, const QString &createdBy)
{
    const QString trimmed = name.trimmed();
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$"));
    if (!validName.match(trimmed).hasMatch())
        return Result<CreatedApiKey>::failure(QStringLiteral("the key name '%1' is not 1 to 64 letters, digits or . _ @ : - "
                                                             "(starting with a letter or digit)")
                                                  .arg(name));
    auto db = m_connections->database();
    if (!db)
        return Result<CreatedApiKey>::failure(db.error());
    const QString key = kKeyPrefix + randomSecret();
    auto row = sql::run(db.value(),
                        QStringLiteral("INSERT INTO sync.api_keys (name, prefix, key_hash, role, created_by) VALUES (?, ?, ?, ?, ?) "
                                       "ON CONFLICT (name) DO NOTHING RETURNING %1")
                            .arg(kColumns),
                        {trimmed, key.left(kPrefixLength), hash(key), roleName(role), createdBy});
    if (!row)
        return Result<CreatedApiKey>::failure(row.error());
    if (!row.value().next())
        return Result<CreatedApiKey>::failure(QStringLiteral("an API key named '%1' exists already; revoked keys keep "
                                                             "their names")
                                                  .arg(trimmed));
    return Result<CreatedApiKey>::success(CreatedApiKey{readInfo(row.value()), key});
}

Result<QList<ApiKeyInfo>> ApiKeyStore::list()
{
    auto db = m_connections->database();
    if (!db)
        return Result<QList<ApiKeyInfo>>::failure(db.error());
    auto rows = sql::run(db.value(), QStringLiteral("SELECT %1 FROM sync.api_keys ORDER BY id").arg(kColumns));
    if (!rows)
        return Result<QList<ApiKeyInfo>>::failure(rows.error());
    QList<ApiKeyInfo> keys;
    while (rows.value().next())
        keys << readInfo(rows.value());
    return Result<QList<ApiKeyInfo>>::success(keys);
}

Result<ApiKeyInfo> ApiKeyStore::revoke(const QString &idOrName)
{
    auto db = m_connections->database();
    if (!db)
        return Result<ApiKeyInfo>::failure(db.error());
    bool numeric = false;
    const qint64 id = idOrName.toLongLong(&numeric);
    auto found = sql::run(db.value(),
                          QStringLiteral("SELECT %1 FROM sync.api_keys WHERE %2 = ?").arg(kColumns, numeric ? QStringLiteral("id")
                                                                                                            : QStringLiteral("name")),
                          {numeric ? QVariant(id) : QVariant(idOrName)});
    if (!found)
        return Result<ApiKeyInfo>::failure(found.error());
    if (!found.value().next())
        return Result<ApiKeyInfo>::failure(QStringLiteral("there is no API key %1").arg(idOrName));
    const ApiKeyInfo existing = readInfo(found.value());
    if (existing.revoked())
        return Result<ApiKeyInfo>::failure(QStringLiteral("API key '%1' was revoked already at %2")
                                               .arg(existing.name, existing.revokedAt.toString(Qt::ISODate)));
    auto revoked = sql::run(db.value(),
                            QStringLiteral("UPDATE sync.api_keys SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL "
                                           "RETURNING %1")
                                .arg(kColumns),
                            {existing.id});
    if (!revoked)
        return Result<ApiKeyInfo>::failure(revoked.error());
    if (!revoked.value().next())
        return Result<ApiKeyInfo>::failure(QStringLiteral("API key '%1' was revoked already").arg(existing.name));
    return Result<ApiKeyInfo>::success(readInfo(revoked.value()));
}

Result<std::optional<ApiKeyInfo>> ApiKeyStore::authenticate(const QString &key)
{
    using Found = std::optional<ApiKeyInfo>;
    if (!looksLikeKey(key))
        return Result<Found>::success(std::nullopt);
    auto db = m_connections->database();
    if (!db)
        return Result<Found>::failure(db.error());
    // Looked up by hash (unique index), and the use noted in the same statement.
    auto row = sql::run(db.value(),
                        QStringLiteral("UPDATE sync.api_keys SET last_used_at = now() WHERE key_hash = ? AND revoked_at IS NULL "
                                       "RETURNING %1")
                            .arg(kColumns),
                        {hash(key)});
    if (!row)
        return Result<Found>::failure(row.error());
    if (!row.value().next())
        return Result<Found>::success(std::nullopt);
    return Result<Found>::success(readInfo(row.value()));
}

Result<qint64> ApiKeyStore::activeCount()
{
    auto db = m_connections->database();
    if (!db)
        return Result<qint64>::failure(db.error());
    auto count = sql::scalar(db.value(), QStringLiteral("SELECT count(*) FROM sync.api_keys WHERE revoked_at IS NULL"));
    if (!count)
        return Result<qint64>::failure(count.error());
    return Result<qint64>::success(count.value().toLongLong());
}

} // namespace syncdesk
