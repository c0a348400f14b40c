#include "schema/migration.h"

#include <QCryptographicHash>

namespace syncdesk {

Migration Migration::fromSql(int version, const QString &name, const QByteArray &sql)
{
    Migration migration;
    migration.version = version;
    migration.name = name;
    migration.sql = sql;
    migration.checksum =
        QString::fromLatin1(QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex());
    return migration;
}

} // namespace syncdesk
