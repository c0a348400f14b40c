#pragma once

#include <QByteArray>
#include <QString>

namespace syncdesk {

// One versioned SQL script, e.g. resources/migrations/0003_change_capture.sql.
struct Migration
{
    int version = 0;
    QString name; // "0003_change_capture"
    QByteArray sql;
    QString checksum; // SHA-256 of sql, hex

    static Migration fromSql(int version, const QString &name, const QByteArray &sql);
};

} // namespace syncdesk
