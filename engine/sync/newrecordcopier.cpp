#include "sync/newrecordcopier.h"

#include "core/logging.h"
#include "database/sql.h"
#include "sync/canonicalsql.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <array>

namespace syncdesk {

namespace {

using Kind = FieldDefinition::Kind;

// Advisory lock class of adoption keys, shared with LinkStore::lockEmails ('SYND').
constexpr int kAdoptionKeyLockClass = 1398361668;

QString jsonLiteral(const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    // [value] -> value: QJsonDocument writes arrays and objects only.
    return canonicalsql::literal(QString::fromUtf8(json.mid(1, json.size() - 2))) + QStringLiteral("::jsonb");
}

// Whether an event says "this record may be new here": its creation, or a consistency check's note
// that no link names it (an update without changed columns; a captured update always has some).
bool announcesNewRecord(const OutboxEvent &event)
{
    return event.operation == QLatin1String("insert") ||
           (event.operation == QLatin1String("update") && event.changedColumns.isEmpty());
}

} // namespace

// The adoption key of a row of one side as SQL (empty when the entity has none).
QString NewRecordCopier::adoptionKey(const EntityDefinition &entity, bool backendSide, const QString &row)
{
    const FieldDefinition *field = entity.field(entity.matchField);
    if (!field)
        return {};
    const QString column = row + QLatin1Char('.') +
                           sql::quoteIdentifier(backendSide ? field->backendColumn : field->dashboardColumn);
    return entity.matchIgnoresCase ? QStringLiteral("lower(%1::text)").arg(column)
                                   : column + QStringLiteral("::text");
}

NewRecordCopier::NewRecordCopier(const EntityDefinition &entity)
    : m_entity(entity)
{}

bool NewRecordCopier::supports() const
{
    const auto integral = [](const TableKey &key) {
        return key.type == QLatin1String("bigint") || key.type == QLatin1String("integer");
    };
    if (!integral(m_entity.backendKey) || !integral(m_entity.dashboardKey))
        return false;
    if (m_entity.filtered()) // which rows are the entity's is the gatherer's question
        return false;
    for (const FieldDefinition &field : m_entity.fields) {
        if (field.kind == Kind::JsonObject)
            return false;
        if (field.translates()) // values spelt per side: the full way translates them
            return false;
    }
    return m_entity.matchField.isEmpty() || m_entity.field(m_entity.matchField) != nullptr;
}

// Locks the source rows (skipping those another worker holds), then their adoption keys in the same
// order LinkStore::lockEmails takes them, so that nobody links or creates a record of the same key
// on either side until this transaction ends. Returns the locked ids.
QString NewRecordCopier::lockStatement(bool fromBackend) const
{
    const QString source = fromBackend ? m_entity.backendTable : m_entity.dashboardTable;
    const QString rows = QStringLiteral("SELECT s.id%1 FROM %2 s WHERE s.id = ANY(?::bigint[]) ORDER BY s.id "
                                        "FOR UPDATE SKIP LOCKED");
    const QString key = adoptionKey(m_entity, fromBackend, QStringLiteral("s"));
    if (key.isEmpty())
        return rows.arg(QString(), source);
    return QStringLiteral(
               "WITH locked AS MATERIALIZED (%1), keyed AS MATERIALIZED (SELECT pg_advisory_xact_lock(%2, h) "
               "FROM (SELECT DISTINCT hashtext(k) AS h FROM locked WHERE k IS NOT NULL ORDER BY 1) AS x) "
               "SELECT l.id FROM locked l WHERE (SELECT count(*) FROM keyed) >= 0")
        .arg(rows.arg(QStringLiteral(", ") + key + QStringLiteral(" AS k"), source))
        .arg(kAdoptionKeyLockClass);
}

// One statement: the records that qualify, their counterparts, links and history rows. Bind values:
// the locked record ids, each one's slice [first, last] of the event id list, the event id list.
QString NewRecordCopier::createStatement(bool fromBackend) const
{
    const QString source = fromBackend ? m_entity.backendTable : m_entity.dashboardTable;
    const QString target = fromBackend ? m_entity.dashboardTable : m_entity.backendTable;
    const QString sourceKey = fromBackend ? QStringLiteral("backend_id") : QStringLiteral("dashboard_id");
    const QString targetKey = fromBackend ? QStringLiteral("dashboard_id") : QStringLiteral("backend_id");
    const TableKey &targetIdColumn = fromBackend ? m_entity.dashboardKey : m_entity.backendKey;
    const QString entityName = canonicalsql::literal(m_entity.name);

    QStringList baseline, newRow, columns, names;
    for (const FieldDefinition &field : m_entity.fields) {
        const QString name = canonicalsql::literal(field.name);
        const QString column =
            QStringLiteral("s.") +
            sql::quoteIdentifier(fromBackend ? field.backendColumn : field.dashboardColumn);
        const bool set = field.kind == Kind::TextSet;
        baseline << name << (set ? canonicalsql::set(column) : canonicalsql::text(column));
        const QString targetColumn = fromBackend ? field.dashboardColumn : field.backendColumn;
        const bool notNull = fromBackend ? field.notNullDashboard : field.notNullBackend;
        const QString value = QStringLiteral("f.baseline -> %1").arg(name);
        newRow << canonicalsql::literal(targetColumn)
               << (notNull ? QStringLiteral("coalesce(nullif(%1, 'null'::jsonb), %2)")
                                 .arg(value,
                                      set ? QStringLiteral("'[]'::jsonb") : QStringLiteral("'\"\"'::jsonb"))
                           : value);
        columns << targetColumn;
        names << name;
    }

    // Columns a new row needs that no field covers, from the source row through their maps.
    QStringList sourceValues;
    for (const CreateValue &value : fromBackend ? m_entity.createInDashboard : m_entity.createInBackend) {
        QString expression;
        if (value.now) {
            expression = QStringLiteral("to_jsonb(now())");
        } else if (value.from.isEmpty()) {
            expression = jsonLiteral(value.constant);
        } else {
            const QString given = QStringLiteral("f.v%1").arg(sourceValues.size());
            sourceValues << QStringLiteral("to_jsonb(s.%1) AS v%2")
                                .arg(sql::quoteIdentifier(value.from))
                                .arg(sourceValues.size());
            QStringList cases;
            for (const auto &[from, written] : value.values)
                cases << QStringLiteral("WHEN %1 THEN %2")
                             .arg(from.isNull() ? given + QStringLiteral(" IS NULL")
                                                : QStringLiteral("%1 = %2").arg(given, jsonLiteral(from)),
                                  jsonLiteral(written));
            const QString otherwise = value.otherwise
                                          ? jsonLiteral(*value.otherwise)
                                          : QStringLiteral("coalesce(%1, 'null'::jsonb)").arg(given);
            expression =
                cases.isEmpty()
                    ? otherwise
                    : QStringLiteral("CASE %1 ELSE %2 END").arg(cases.join(QLatin1Char(' ')), otherwise);
        }
        newRow << canonicalsql::literal(value.column) << expression;
        columns << value.column;
    }

    // A record that belongs to another (a ticket to its customer) needs its owner linked already;
    // the owner's link is held against deletion while the counterpart is made.
    QString owners, ownerJoin, ownerValue;
    if (!m_entity.ownerEntity.isEmpty()) {
        const QString ownerSource =
            sql::quoteIdentifier(fromBackend ? m_entity.ownerBackendColumn : m_entity.ownerDashboardColumn);
        const QString ownerTarget = fromBackend ? m_entity.ownerDashboardColumn : m_entity.ownerBackendColumn;
        owners =
            QStringLiteral(
                "owners AS MATERIALIZED (SELECT o.%1 AS source_owner, o.%2 AS target_owner FROM sync.links o "
                "WHERE o.entity = %3 AND o.state = 'active' AND o.%2 IS NOT NULL AND o.%1 = ANY(ARRAY("
                "SELECT s.%4 FROM e JOIN %5 s ON s.id = e.record)) FOR KEY SHARE SKIP LOCKED), ")
                .arg(sourceKey, targetKey, canonicalsql::literal(m_entity.ownerEntity), ownerSource, source);
        ownerJoin = QStringLiteral(" JOIN owners o ON o.source_owner = s.%1").arg(ownerSource);
        ownerValue = QStringLiteral(", o.target_owner");
        newRow << canonicalsql::literal(ownerTarget) << QStringLiteral("to_jsonb(f.target_owner)");
        columns << ownerTarget;
    }
    newRow << canonicalsql::literal(targetIdColumn.column) << QStringLiteral("to_jsonb(f.new_id)");
    columns << targetIdColumn.column;

    // Nothing of the same adoption key on the other side (that is a match to link, the full way's
    // work), and no twin of it among this batch's new records. Links and keys are probed per record
    // (scalar sub-selects stay index probes): during a bulk load the statistics still describe the
    // tables as they were before it, and a join the planner chose on them re-read every link made so
    // far for each batch.
    const QString sourceKeyExpression = adoptionKey(m_entity, fromBackend, QStringLiteral("s"));
    QString keyColumn = QStringLiteral(", NULL::text AS k"), noMatch;
    if (!sourceKeyExpression.isEmpty()) {
        keyColumn = QStringLiteral(", %1 AS k").arg(sourceKeyExpression);
        noMatch =
            QStringLiteral(
                " AND nullif(%1, '') IS NOT NULL AND (SELECT true FROM %2 t WHERE %3 = %1 LIMIT 1) IS NULL")
                .arg(sourceKeyExpression, target, adoptionKey(m_entity, !fromBackend, QStringLiteral("t")));
    }

    QStringList quotedColumns, fromRecord;
    for (const QString &column : std::as_const(columns)) {
        quotedColumns << sql::quoteIdentifier(column);
        fromRecord << QStringLiteral("r.") + sql::quoteIdentifier(column);
    }
    const QString direction = fromBackend ? QStringLiteral("to_dashboard") : QStringLiteral("to_backend");
    const QString action =
        fromBackend ? QStringLiteral("created_in_dashboard") : QStringLiteral("created_in_backend");
    QJsonArray fieldList;
    for (const FieldDefinition &field : m_entity.fields)
        fieldList.append(field.name);
    const QJsonObject details{
        {QStringLiteral("to_backend"), fromBackend ? QJsonArray() : fieldList},
        {QStringLiteral("to_dashboard"), fromBackend ? fieldList : QJsonArray()},
        {QStringLiteral("changed_on"), fromBackend ? QStringLiteral("backend") : QStringLiteral("dashboard")},
        {QStringLiteral("conflicts"), 0}};

    return QStringLiteral(
               "WITH e AS (SELECT * FROM unnest(?::bigint[], ?::int[], ?::int[]) AS e(record, first_event, "
               "last_event)), "
               "{owners}"
               "found AS MATERIALIZED (SELECT s.id AS source_id, e.first_event, e.last_event, "
               "jsonb_build_object({baseline}) AS baseline{key}{owner value}{source values} "
               "FROM e JOIN {source} s ON s.id = e.record{owner join} "
               "WHERE (SELECT true FROM sync.links l WHERE l.entity = {entity} AND l.{source key} = s.id) IS "
               "NULL{no match}), "
               // The new rows' ids and their links' are drawn here, so that every write below reads this
               // one row set and nothing joins two row sets the planner cannot estimate.
               "numbered AS MATERIALIZED (SELECT g.*, nextval((SELECT pg_get_serial_sequence({target name}, "
               "{target id}))::regclass) AS new_id, nextval((SELECT pg_get_serial_sequence('sync.links', "
               "'id'))::regclass) "
               "AS link_id FROM (SELECT *, {twins} AS twins FROM found) g "
               "WHERE g.k IS NULL OR g.twins = 1), "
               "chosen AS MATERIALIZED (SELECT f.source_id, f.first_event, f.last_event, f.baseline, "
               "f.new_id, f.link_id, "
               "jsonb_build_object({new row}) AS new_row FROM numbered f), "
               "inserted AS (INSERT INTO {target} ({columns}) SELECT {record columns} FROM chosen c, "
               "jsonb_populate_record(NULL::{target}, c.new_row) AS r), "
               "linked AS (INSERT INTO sync.links (id, entity, {source key}, {target key}, baseline, "
               "synced_at) "
               "OVERRIDING SYSTEM VALUE SELECT c.link_id, {entity}, c.source_id, c.new_id, c.baseline, now() "
               "FROM chosen c "
               "ORDER BY c.source_id), "
               "journal AS (INSERT INTO sync.history (entity, link_id, backend_id, dashboard_id, direction, "
               "action, fields, "
               "event_ids, details) SELECT {entity}, c.link_id, {backend id}, {dashboard id}, '{direction}', "
               "'{action}', "
               "ARRAY[{names}]::text[], (?::bigint[])[c.first_event:c.last_event], {details} FROM chosen c) "
               "SELECT c.link_id, c.source_id, c.new_id, c.baseline::text FROM chosen c")
        .replace(QStringLiteral("{owners}"), owners)
        // Twins share an adoption key; without one there are none (and no sort to find them).
        .replace(QStringLiteral("{twins}"), sourceKeyExpression.isEmpty()
                                                ? QStringLiteral("1")
                                                : QStringLiteral("count(*) OVER (PARTITION BY k)"))
        .replace(QStringLiteral("{baseline}"), baseline.join(QStringLiteral(", ")))
        .replace(QStringLiteral("{key}"), keyColumn)
        .replace(QStringLiteral("{owner value}"), ownerValue)
        .replace(QStringLiteral("{source values}"),
                 sourceValues.isEmpty() ? QString()
                                        : QStringLiteral(", ") + sourceValues.join(QStringLiteral(", ")))
        .replace(QStringLiteral("{source}"), source)
        .replace(QStringLiteral("{owner join}"), ownerJoin)
        .replace(QStringLiteral("{no match}"), noMatch)
        .replace(QStringLiteral("{new row}"), newRow.join(QStringLiteral(", ")))
        .replace(QStringLiteral("{target name}"), canonicalsql::literal(target))
        .replace(QStringLiteral("{target id}"), canonicalsql::literal(targetIdColumn.column))
        .replace(QStringLiteral("{columns}"), quotedColumns.join(QStringLiteral(", ")))
        .replace(QStringLiteral("{record columns}"), fromRecord.join(QStringLiteral(", ")))
        .replace(QStringLiteral("{target}"), target)
        .replace(QStringLiteral("{source key}"), sourceKey)
        .replace(QStringLiteral("{target key}"), targetKey)
        .replace(QStringLiteral("{backend id}"),
                 fromBackend ? QStringLiteral("c.source_id") : QStringLiteral("c.new_id"))
        .replace(QStringLiteral("{dashboard id}"),
                 fromBackend ? QStringLiteral("c.new_id") : QStringLiteral("c.source_id"))
        .replace(QStringLiteral("{direction}"), direction)
        .replace(QStringLiteral("{action}"), action)
        .replace(QStringLiteral("{names}"), names.join(QStringLiteral(", ")))
        .replace(QStringLiteral("{details}"), jsonLiteral(details))
        .replace(QStringLiteral("{entity}"), entityName);
}

Result<QList<ReconciledRecord>> NewRecordCopier::apply(QSqlDatabase &db, const OutboxEvents &events,
                                                       OutboxEvents &rest) const
{
    using Records = Result<QList<ReconciledRecord>>;
    // Per side (0 backend, 1 dashboard): each record's events in this batch, and the records that may
    // be new (announced as such, and not deleted in the same batch).
    std::array<QHash<qint64, QList<qint64>>, 2> eventsOf;
    std::array<QSet<qint64>, 2> announced, deleted;
    for (const OutboxEvent &event : events) {
        if (event.entity != m_entity.name)
            continue;
        const int side = event.side == QLatin1String("backend") ? 0 : 1;
        eventsOf[side][event.entityId] << event.id;
        if (announcesNewRecord(event))
            announced[side].insert(event.entityId);
        else if (event.operation == QLatin1String("delete"))
            deleted[side].insert(event.entityId);
    }

    QList<ReconciledRecord> records;
    std::array<QSet<qint64>, 2> created;
    for (int side : {0, 1}) {
        const bool fromBackend = side == 0;
        QList<qint64> candidates;
        for (qint64 record : std::as_const(announced[side])) {
            if (!deleted[side].contains(record))
                candidates << record;
        }
        if (candidates.isEmpty())
            continue;
        auto locked = lock(db, fromBackend, std::move(candidates));
        if (!locked)
            return Records::failure(locked.error());
        if (locked->isEmpty())
            continue;
        auto made = create(db, fromBackend, locked.value(), eventsOf[side]);
        if (!made)
            return made;
        for (const ReconciledRecord &record : std::as_const(made.value()))
            created[side].insert(fromBackend ? record.backendId : record.dashboardId);
        records << made.value();
    }
    for (const OutboxEvent &event : events) {
        const int side = event.side == QLatin1String("backend") ? 0 : 1;
        if (event.entity != m_entity.name || !created[side].contains(event.entityId))
            rest << event;
    }
    return Records::success(records);
}

Result<QList<ReconciledRecord>> NewRecordCopier::create(QSqlDatabase &db, bool fromBackend,
                                                        const QList<qint64> &lockedIds,
                                                        const QHash<qint64, QList<qint64>> &eventsOf) const
{
    using Records = Result<QList<ReconciledRecord>>;
    // Each record's events, oldest first, as a slice [first, last] of one list (for its history row).
    QList<qint64> eventIds, firstEvents, lastEvents;
    for (qint64 record : lockedIds) {
        firstEvents << eventIds.size() + 1;
        eventIds << eventsOf.value(record);
        std::sort(eventIds.begin() + firstEvents.last() - 1, eventIds.end());
        lastEvents << eventIds.size();
    }
    // Every look-up here is by key through an index. With the links' statistics from before a bulk
    // load the planner read all links for each batch's ticket owners instead (a million links: 10 s
    // a batch of an adoption instead of 0.1 s) until autovacuum had analysed them.
    if (Status indexed = sql::exec(db, QStringLiteral("SET LOCAL enable_seqscan = off")); !indexed)
        return Records::failure(indexed.error());
    auto rows = sql::run(db, createStatement(fromBackend),
                         {sql::bigintArray(lockedIds), sql::bigintArray(firstEvents),
                          sql::bigintArray(lastEvents), sql::bigintArray(eventIds)});
    if (!rows)
        return Records::failure(
            QStringLiteral("creating new %1 records: %2").arg(m_entity.name, rows.error()));
    QList<ReconciledRecord> records;
    const QStringList fieldNames = m_entity.fieldNames();
    while (rows.value().next()) {
        const QSqlQuery &row = rows.value();
        ReconciledRecord record;
        record.entity = m_entity.name;
        record.linkId = row.value(0).toLongLong();
        const qint64 source = row.value(1).toLongLong();
        const qint64 counterpart = row.value(2).toLongLong();
        record.backendId = fromBackend ? source : counterpart;
        record.dashboardId = fromBackend ? counterpart : source;
        record.action =
            fromBackend ? QStringLiteral("created_in_dashboard") : QStringLiteral("created_in_backend");
        record.changedOn = fromBackend ? QStringLiteral("backend") : QStringLiteral("dashboard");
        (fromBackend ? record.toDashboard : record.toBackend) = fieldNames;
        record.baselineAfter = QJsonDocument::fromJson(row.value(3).toString().toUtf8()).object();
        record.eventIds = eventsOf.value(source);
        std::sort(record.eventIds.begin(), record.eventIds.end());
        records << record;
    }
    // Only once every row is read: the next statement on the connection ends the result.
    if (Status restored = sql::exec(db, QStringLiteral("SET LOCAL enable_seqscan TO DEFAULT")); !restored)
        return Records::failure(restored.error());
    return Records::success(records);
}

Result<QList<qint64>> NewRecordCopier::lock(QSqlDatabase &db, bool fromBackend, QList<qint64> ids) const
{
    std::sort(ids.begin(), ids.end());
    auto locked = sql::run(db, lockStatement(fromBackend), {sql::bigintArray(ids)});
    if (!locked)
        return Result<QList<qint64>>::failure(
            QStringLiteral("locking new %1 records: %2").arg(m_entity.name, locked.error()));
    QList<qint64> lockedIds;
    while (locked.value().next())
        lockedIds << locked.value().value(0).toLongLong();
    return Result<QList<qint64>>::success(lockedIds);
}

Result<QList<ReconciledRecord>> NewRecordCopier::adopt(QSqlDatabase &db, bool fromBackend,
                                                       QList<qint64> ids) const
{
    using Records = Result<QList<ReconciledRecord>>;
    if (ids.isEmpty())
        return Records::success({});
    auto locked = lock(db, fromBackend, std::move(ids));
    if (!locked)
        return Records::failure(locked.error());
    QList<qint64> lockedIds = std::move(locked).value();
    if (lockedIds.isEmpty())
        return Records::success({});
    // A record with a change in the queue is the queue's: a worker may hold that change already and
    // would find the link made under it. Asked once the rows are locked, so that no change to them
    // can commit in between. One range of the queue's pending part per chunk, not a probe per record.
    auto waiting =
        sql::run(db,
                 QStringLiteral("SELECT DISTINCT entity_id FROM sync.outbox WHERE status IN ('pending', "
                                "'processing') AND side = ? AND entity = ? AND entity_id BETWEEN ? AND ?"),
                 {fromBackend ? QStringLiteral("backend") : QStringLiteral("dashboard"), m_entity.name,
                  lockedIds.first(), lockedIds.last()});
    if (!waiting)
        return Records::failure(QStringLiteral("reading the queued changes of %1 records: %2")
                                    .arg(m_entity.name, waiting.error()));
    QSet<qint64> queued;
    while (waiting.value().next())
        queued.insert(waiting.value().value(0).toLongLong());
    if (!queued.isEmpty())
        lockedIds.removeIf([&queued](qint64 id) { return queued.contains(id); });
    if (lockedIds.isEmpty())
        return Records::success({});
    return create(db, fromBackend, lockedIds, {});
}

} // namespace syncdesk
