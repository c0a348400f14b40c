#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QString>

// How the demo writes its rows: a table's rows built as one JSON array, inserted with
// jsonb_to_recordset in one round trip, times as UTC ISO-8601 text.
namespace syncdesk::demorows {

inline QString iso(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

inline QString json(const QJsonArray &rows)
{
    return QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
}

} // namespace syncdesk::demorows
