#include "queries/conflictrecordqueries.h"

#include "database/sql.h"
#include "queries/helpdeskmirror.h"
#include "model/entitydefinition.h"
#include "model/mapping.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

namespace {

// The record a conflict is about, by name: the helpdesk's name when it has the record, else the product's.
const QString kRecord =
    QStringLiteral("CASE c.entity WHEN 'customer' THEN (SELECT coalesce(nullif(dc.name, ''), "
                   "nullif(bu.full_name, ''), dc.email, bu.email) "
                   " FROM (SELECT 1) one LEFT JOIN dashboard.customers dc ON dc.id = c.dashboard_id LEFT "
                   "JOIN backend.users bu ON bu.id = c.backend_id) "
                   " WHEN 'ticket' THEN (SELECT coalesce(dt.subject, bt.subject) FROM (SELECT 1) one "
                   " LEFT JOIN dashboard.tickets dt ON dt.id = c.dashboard_id LEFT JOIN backend.tickets bt "
                   "ON bt.id = c.backend_id) END");

QJsonObject parseObject(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

QString kindName(FieldDefinition::Kind kind)
{
    switch (kind) {
    case FieldDefinition::Kind::Text:
        return QStringLiteral("text");
    case FieldDefinition::Kind::TextSet:
        return QStringLiteral("set");
    case FieldDefinition::Kind::JsonObject:
        return QStringLiteral("object");
    }
    return {};
}

} // namespace

Result<QJsonObject> ConflictRecordQueries::list(ReadConnections &db, const ConflictListFilter &filter)
{
    auto listed = ConflictQueries::list(db, filter);
    if (!listed)
        return listed;
    QJsonArray items = listed->value(QStringLiteral("items")).toArray();
    if (items.isEmpty())
        return listed;
    QList<qint64> ids;
    for (const QJsonValue &item : std::as_const(items))
        ids << item.toObject().value(QStringLiteral("id")).toInteger();
    auto names = HelpdeskMirror::run(
        db,
        QStringLiteral("SELECT c.id, %1 FROM sync.conflicts c WHERE c.id = ANY (?::bigint[])").arg(kRecord),
        {sql::bigintArray(ids)});
    if (!names)
        return Result<QJsonObject>::failure(names.error());
    QHash<qint64, QString> byId;
    while (names.value().next())
        byId.insert(names.value().value(0).toLongLong(), names.value().value(1).toString());
    for (qsizetype i = 0; i < items.size(); ++i) {
        QJsonObject item = items.at(i).toObject();
        item.insert(QStringLiteral("record"), byId.value(item.value(QStringLiteral("id")).toInteger()));
        items.replace(i, item);
    }
    QJsonObject result = listed.value();
    result.insert(QStringLiteral("items"), items);
    return Result<QJsonObject>::success(result);
}

Result<QJsonObject> ConflictRecordQueries::detail(ReadConnections &db, qint64 id, bool *exists)
{
    bool found = false;
    auto conflict = ConflictQueries::get(db, id, &found);
    if (exists)
        *exists = found;
    if (!conflict)
        return conflict;
    const QString entityName = conflict->value(QStringLiteral("entity")).toString();
    const EntityDefinition *entity = Mapping::builtIn().entity(entityName);
    if (!entity)
        return Result<QJsonObject>::failure(
            QStringLiteral("conflict %1 is about an unknown entity %2").arg(id).arg(entityName));
    const qint64 backendId = conflict->value(QStringLiteral("backend_id")).toInteger();
    const qint64 dashboardId = conflict->value(QStringLiteral("dashboard_id")).toInteger();
    const qint64 linkId = conflict->value(QStringLiteral("link_id")).toInteger();
    // Generated columns (search) are left out: they are not data anyone compares.
    auto rows = HelpdeskMirror::run(
        db,
        QStringLiteral("SELECT (SELECT (to_jsonb(b) - 'search')::text FROM %1 b WHERE b.id = ?), "
                       "(SELECT (to_jsonb(d) - 'search')::text FROM %2 d WHERE d.id = ?), "
                       "(SELECT baseline::text FROM sync.links WHERE id = ?), "
                       "(SELECT %3 FROM sync.conflicts c WHERE c.id = ?)")
            .arg(entity->backendTable, entity->dashboardTable, kRecord),
        {backendId, dashboardId, linkId, id});
    if (!rows)
        return Result<QJsonObject>::failure(rows.error());
    rows.value().next();
    const QVariant backendText = rows.value().value(0);
    const QVariant dashboardText = rows.value().value(1);
    const QJsonObject backendRow = parseObject(backendText);
    const QJsonObject dashboardRow = parseObject(dashboardText);
    QJsonObject baseline = parseObject(rows.value().value(2));
    const QString conflictField = conflict->value(QStringLiteral("field")).toString();

    QJsonArray fields;
    for (const FieldDefinition &field : entity->fields) {
        // The conflict's own field shows the values the engine saw clash; the baseline of a paused field
        // is still the last agreed value.
        const bool inConflict = field.name == conflictField;
        fields.append(QJsonObject{
            {QStringLiteral("field"), field.name},
            {QStringLiteral("kind"), kindName(field.kind)},
            {QStringLiteral("baseline"),
             inConflict ? conflict->value(QStringLiteral("baseline_value")) : baseline.value(field.name)},
            {QStringLiteral("backend"),
             backendRow.isEmpty() ? QJsonValue() : field.storedIn(backendRow, true)},
            {QStringLiteral("dashboard"),
             dashboardRow.isEmpty() ? QJsonValue() : field.storedIn(dashboardRow, false)},
            {QStringLiteral("in_conflict"), inConflict}});
    }
    return Result<QJsonObject>::success(
        QJsonObject{{QStringLiteral("conflict"), conflict.value()},
                    {QStringLiteral("fields"), fields},
                    {QStringLiteral("record"), rows.value().value(3).toString()},
                    {QStringLiteral("backend_exists"), !backendText.isNull()},
                    {QStringLiteral("dashboard_exists"), !dashboardText.isNull()}});
}

} // namespace syncdesk
