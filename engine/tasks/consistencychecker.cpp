#include "tasks/consistencychecker.h"

#include "core/logging.h"
#include "database/sql.h"
#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "queries/fielddifferences.h"
#include "sync/recordadopter.h"
#include "sync/rowstore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace syncdesk {

namespace {

QList<QJsonObject> parseExamples(const QVariant &json)
{
    QList<QJsonObject> out;
    for (const QJsonValue &value : QJsonDocument::fromJson(json.toString().toUtf8()).array())
        out << value.toObject();
    return out;
}

// "a.b" -> "a.b" quoted per part.
QString table(const QString &qualified)
{
    const QStringList parts = qualified.split(QLatin1Char('.'));
    return sql::quoteIdentifier(parts.at(0)) + QLatin1Char('.') + sql::quoteIdentifier(parts.at(1));
}

// Runs one check statement returning (found, repaired, examples json) in its own transaction,
// tagged so that its repairs are not captured as changes. A check compares whole tables, so it is
// planned without nested loops: with statistics from before a bulk load (or an outbox the check's
// previous part had just filled with a million rows) the planner took an anti-join for a nested loop
// that read the outbox once per ticket, and an adoption of 1,000,000 customers spent minutes at full
// CPU in the unlinked-tickets check. Hash and merge joins cost little more on small tables.
Result<ConsistencyFinding> runCheck(QSqlDatabase &db, const QString &check, const QString &description,
                                    const QString &statement, const QVariantList &values = {})
{
    using Finding = Result<ConsistencyFinding>;
    Status begun = sql::exec(db, QStringLiteral("BEGIN"));
    if (begun)
        begun = sql::exec(db, QStringLiteral("SELECT set_config('syncdesk.origin', 'consistency-check', true), "
                                             "set_config('enable_nestloop', 'off', true)"));
    if (!begun)
        return Finding::failure(begun.error());
    auto row = sql::run(db, statement, values);
    if (!row || !row.value().next()) {
        sql::exec(db, QStringLiteral("ROLLBACK"));
        return Finding::failure(QStringLiteral("%1: %2").arg(check, row ? QStringLiteral("no result") : row.error()));
    }
    ConsistencyFinding finding;
    finding.check = check;
    finding.description = description;
    finding.found = row.value().value(0).toLongLong();
    finding.repaired = row.value().value(1).toLongLong();
    finding.examples = parseExamples(row.value().value(2));
    if (Status committed = sql::exec(db, QStringLiteral("COMMIT")); !committed)
        return Finding::failure(committed.error());
    return Finding::success(finding);
}

QString repairFlag(bool repair)
{
    return repair ? QStringLiteral("true") : QStringLiteral("false");
}

// jsonb_build_object arguments that let a person recognise a record in a report: a customer's name
// and e-mail, a ticket's subject, read from the row aliased `row` on one side.
QString describing(const EntityDefinition &entity, bool backend, const QString &row)
{
    QStringList pairs;
    for (const char *name : {"name", "email", "subject"}) {
        if (const FieldDefinition *field = entity.field(QLatin1String(name)))
            pairs << QStringLiteral("'%1', %2")
                         .arg(field->name, FieldDifferences::valueOn(*field, row, backend));
    }
    return pairs.join(QStringLiteral(", "));
}

} // namespace

QJsonObject ConsistencyReport::toJson() const
{
    QJsonObject checks;
    for (const ConsistencyFinding &finding : findings) {
        QJsonArray examples;
        for (const QJsonObject &example : finding.examples)
            examples.append(example);
        checks.insert(finding.check, QJsonObject{{QStringLiteral("description"), finding.description},
                                                 {QStringLiteral("found"), finding.found},
                                                 {QStringLiteral("repaired"), finding.repaired},
                                                 {QStringLiteral("examples"), examples}});
    }
    return QJsonObject{{QStringLiteral("run_id"), runId},
                       {QStringLiteral("issues_found"), issuesFound},
                       {QStringLiteral("repaired"), repaired},
                       {QStringLiteral("remaining"), remaining()},
                       {QStringLiteral("consistent"), consistent()},
                       {QStringLiteral("elapsed_ms"), elapsedMs},
                       {QStringLiteral("checks"), checks}};
}

QString ConsistencyReport::toText() const
{
    QStringList lines;
    lines << QStringLiteral("Consistency check %1: %2 issue(s) found, %3 repaired, %4 remaining (%5 ms)")
                 .arg(runId)
                 .arg(issuesFound)
                 .arg(repaired)
                 .arg(remaining())
                 .arg(elapsedMs);
    for (const ConsistencyFinding &finding : findings) {
        lines << QStringLiteral("  %1 %2: %3 found, %4 repaired")
                     .arg(finding.found - finding.repaired > 0 ? QStringLiteral("!") : QStringLiteral(" "),
                          finding.description)
                     .arg(finding.found)
                     .arg(finding.repaired);
        for (const QJsonObject &example : finding.examples)
            lines << QStringLiteral("      %1").arg(QString::fromUtf8(QJsonDocument(example).toJson(QJsonDocument::Compact)));
    }
    return lines.join(QLatin1Char('\n'));
}

ConsistencyChecker::ConsistencyChecker(QSqlDatabase db, QSqlDatabase dashboard,
                                       std::shared_ptr<const Mapping> mapping)
    : m_db(std::move(db))
    , m_dashboard(std::move(dashboard))
    , m_mapping(std::move(mapping))
    , m_split(m_dashboard.isValid() && m_dashboard.connectionName() != m_db.connectionName())
{
}

QString ConsistencyChecker::dashboardTable(const QString &qualified) const
{
    return m_split ? QStringLiteral("pg_temp.") + sql::quoteIdentifier(QString(qualified).replace(QLatin1Char('.'), QLatin1Char('_')))
                   : table(qualified);
}

QString ConsistencyChecker::entityRowsOnly(const EntityDefinition &entity, bool backend,
                                           const QString &alias) const
{
    if (!backend && m_split) // the copy carries the filter's verdict, taken where the helpdesk's tables are
        return entity.dashboardFilter.isEmpty() ? QString()
                                                : QStringLiteral(" AND %1.syncdesk_passes").arg(alias);
    return entity.filterSql(backend, alias);
}

QString ConsistencyChecker::queue() const
{
    return m_split ? QStringLiteral("(SELECT id, side, entity, entity_id, status, next_attempt_at, attempts, last_error "
                                    "FROM sync.outbox UNION ALL SELECT id, side, entity, entity_id, status, next_attempt_at, "
                                    "attempts, last_error FROM pg_temp.sync_outbox)")
                   : QStringLiteral("sync.outbox");
}

QString ConsistencyChecker::settledBeforeCopy(const QString &alias) const
{
    return m_split ? QStringLiteral(" AND greatest(%1.created_at, %1.updated_at, coalesce(%1.synced_at, %1.created_at)) < '%2'")
                         .arg(alias, m_copiedAt)
                   : QString();
}

Status ConsistencyChecker::copyHelpdesk()
{
    dropCopies();
    auto now = sql::scalar(m_db, QStringLiteral("SELECT clock_timestamp()::text"));
    if (!now)
        return Status::failure(now.error());
    m_copiedAt = now.value().toString();
    // The columns the checks read. The records first, then the queue: an event committed with a
    // record that made it into the copy is then in the copy too.
    QList<std::pair<QString, QStringList>> copies;
    QHash<QString, QString> filters; // which rows of a table are the entity's: the copy says
    for (const EntityDefinition &entity : m_mapping->entities) {
        QStringList columns{entity.dashboardKey.column};
        for (const FieldDefinition &field : entity.fields) {
            for (const QString &column : field.columnsOn(false)) {
                if (!columns.contains(column))
                    columns << column;
            }
        }
        if (!entity.ownerDashboardColumn.isEmpty()) // whether its owner waits for a decision
            columns << entity.ownerDashboardColumn;
        copies.append({entity.dashboardTable, columns});
        filters.insert(entity.dashboardTable, entity.dashboardFilter);
    }
    copies.append({QStringLiteral("sync.outbox"), QStringList{QStringLiteral("id"), QStringLiteral("side"), QStringLiteral("entity"),
                                                              QStringLiteral("entity_id"), QStringLiteral("status"),
                                                              QStringLiteral("next_attempt_at"), QStringLiteral("attempts"),
                                                              QStringLiteral("last_error")}});
    for (const auto &[source, columns] : copies) {
        QStringList quoted;
        for (const QString &column : columns)
            quoted << sql::quoteIdentifier(column);
        const QString list = quoted.join(QStringLiteral(", "));
        const QString filter = filters.value(source);
        const QString copiedList = filter.isEmpty() ? list : list + QStringLiteral(", syncdesk_passes");
        const QString selected =
            filter.isEmpty()
                ? list
                : list + QStringLiteral(", coalesce((%1), false) AS syncdesk_passes").arg(filter);
        const QString copy = QString(source).replace(QLatin1Char('.'), QLatin1Char('_'));
        const QString where = source == QLatin1String("sync.outbox")
                                  ? QStringLiteral(" WHERE status IN ('pending', 'dead')")
                                  : QString();
        // The copy's columns have the types the helpdesk's database gives them (its own types, which the
        // backend's database does not know, as text).
        auto types = sql::scalar(
            m_dashboard,
            QStringLiteral("SELECT string_agg(format('%I %s', a.attname, CASE WHEN a.atttypid < 16384 THEN "
                           "format_type(a.atttypid, a.atttypmod) ELSE 'text' END), ', ' ORDER BY "
                           "array_position(?::text[], "
                           "a.attname::text)) FROM pg_attribute a WHERE a.attrelid = ?::regclass AND "
                           "a.attname = ANY(?::text[]) "
                           "AND NOT a.attisdropped"),
            {sql::textArray(columns), source, sql::textArray(columns)});
        if (!types)
            return Status::failure(
                QStringLiteral("reading the helpdesk's %1: %2").arg(source, types.error()));
        const QString definition =
            types.value().toString() +
            (filter.isEmpty() ? QString() : QStringLiteral(", syncdesk_passes boolean"));
        if (Status made = sql::exec(
                m_db,
                QStringLiteral("CREATE TEMP TABLE %1 (%2)").arg(sql::quoteIdentifier(copy), definition));
            !made)
            return made;
        auto copied = sql::copyAcross(
            m_dashboard,
            QStringLiteral("COPY (SELECT %1 FROM %2 t%3) TO STDOUT").arg(selected, table(source), where),
            m_db,
            QStringLiteral("COPY pg_temp.%1 (%2) FROM STDIN").arg(sql::quoteIdentifier(copy), copiedList));
        if (!copied)
            return Status::failure(QStringLiteral("copying the helpdesk's %1: %2").arg(source, copied.error()));
        if (Status indexed = sql::exec(m_db, QStringLiteral("CREATE UNIQUE INDEX ON pg_temp.%1 (id)").arg(sql::quoteIdentifier(copy)));
            !indexed)
            return indexed;
        if (Status analyzed = sql::exec(m_db, QStringLiteral("ANALYZE pg_temp.%1").arg(sql::quoteIdentifier(copy))); !analyzed)
            return analyzed;
    }
    return Status::success();
}

void ConsistencyChecker::dropCopies()
{
    if (!m_split)
        return;
    QStringList copies{QStringLiteral("pg_temp.sync_outbox")};
    for (const EntityDefinition &entity : m_mapping->entities)
        copies << dashboardTable(entity.dashboardTable);
    sql::exec(m_db, QStringLiteral("DROP TABLE IF EXISTS %1").arg(copies.join(QStringLiteral(", "))));
}

Result<qint64> ConsistencyChecker::createRun(const QString &triggeredBy)
{
    auto id = sql::scalar(m_db, QStringLiteral("INSERT INTO sync.consistency_runs (triggered_by) VALUES (?) RETURNING id"),
                          {triggeredBy});
    if (!id)
        return Result<qint64>::failure(id.error());
    return Result<qint64>::success(id.value().toLongLong());
}

Result<qint64> ConsistencyChecker::adopt(const QString &entityName,
                                         const std::function<void(double, const QString &)> &progress)
{
    const EntityDefinition &entity = *m_mapping->entity(entityName);
    if (!m_adoption || !m_adoption->connections || m_split ||
        (m_adoption->viaQueue && m_adoption->viaQueue(entity.name)))
        return Result<qint64>::success(0);
    RecordAdopter adopter(m_adoption->connections, m_adoption->journal, m_adoption->announce);
    adopter.setChunkSize(m_adoption->chunkSize);
    adopter.setLanes(m_adoption->lanes);
    const QLocale locale = QLocale::c();
    return adopter.adopt(entity, [&](const RecordAdopter::Progress &done) {
        if (!progress)
            return;
        QString text = QStringLiteral("%1s on one side only: %2 of %3 made on the other side")
                           .arg(entity.name, locale.toString(done.done), locale.toString(done.total));
        if (done.perSecond > 0)
            text += QStringLiteral(", %1 a second, about %2 s left")
                        .arg(locale.toString(qint64(done.perSecond)))
                        .arg(qint64(done.secondsLeft + 0.5));
        progress(done.total > 0 ? std::min(1.0, double(done.done) / double(done.total)) : 1.0, text);
    });
}

Result<ConsistencyFinding>
ConsistencyChecker::unlinkedRecords(const QString &entityName, bool repair,
                                    const std::function<void(double, const QString &)> &progress)
{
    const EntityDefinition &entity = *m_mapping->entity(entityName);
    QStringList parts;
    for (const bool backend : {true, false}) {
        const QString side = backend ? QStringLiteral("backend") : QStringLiteral("dashboard");
        const QString tableName = backend ? entity.backendTable : entity.dashboardTable;
        // Records whose owner waits for a person's decision (a possible duplicate, a deletion) wait with it.
        const QString ownerWaits =
            entity.ownerEntity.isEmpty()
                ? QString()
                : QStringLiteral(" AND NOT EXISTS (SELECT 1 FROM sync.links ol WHERE ol.entity = '%1' AND "
                                 "ol.%2_id = r.%3 "
                                 "AND ol.state <> 'active')")
                      .arg(entity.ownerEntity, side,
                           backend ? entity.ownerBackendColumn : entity.ownerDashboardColumn);
        parts << QStringLiteral(
                     "SELECT '%1'::text AS side, '%2'::text AS table_name, r.id, jsonb_build_object(%6) AS "
                     "record FROM %3 r "
                     "WHERE NOT EXISTS (SELECT 1 FROM sync.links l WHERE l.entity = '%4' AND l.%1_id = r.id) "
                     "AND NOT EXISTS (SELECT 1 FROM %5 o WHERE o.status = 'pending' AND o.side = '%1' "
                     "AND o.entity = '%4' AND o.entity_id = r.id)%7%8")
                     .arg(side, tableName, backend ? table(tableName) : dashboardTable(tableName),
                          entity.name, queue(), describing(entity, backend, QStringLiteral("r")), ownerWaits,
                          entityRowsOnly(entity, backend, QStringLiteral("r")));
    }
    // The examples name what was found, also when the check then makes it itself: read before it does
    // (each side's first ten in key order, which the primary key's index gives without a full scan).
    qint64 adopted = 0;
    QList<QJsonObject> examplesBefore;
    if (repair && m_adoption) {
        QStringList firstTen;
        for (const QString &part : std::as_const(parts))
            firstTen << QStringLiteral("(SELECT * FROM (%1) p ORDER BY id LIMIT 10)").arg(part);
        auto examples = sql::scalar(
            m_db,
            QStringLiteral(
                "SELECT coalesce(json_agg(jsonb_build_object('side', side, 'id', id) || record ORDER BY "
                "side, id), '[]')::text FROM (SELECT * FROM (%1) u ORDER BY side, id LIMIT 10) s")
                .arg(firstTen.join(QStringLiteral(" UNION ALL "))));
        if (!examples)
            return Result<ConsistencyFinding>::failure(
                QStringLiteral("unlinked_%1s: %2").arg(entity.name, examples.error()));
        examplesBefore = parseExamples(examples.value());
        auto made = adopt(entityName, progress);
        if (!made)
            return Result<ConsistencyFinding>::failure(
                QStringLiteral("unlinked_%1s: %2").arg(entity.name, made.error()));
        adopted = made.value();
    }
    auto finding = runCheck(
        m_db, QStringLiteral("unlinked_%1s").arg(entity.name),
        QStringLiteral("%1s that exist on one side only").arg(entity.name),
        QStringLiteral(
            "WITH found AS (%1), queued AS (INSERT INTO sync.outbox (side, entity, table_name, entity_id, "
            "operation) SELECT side, '%2', table_name, id, 'update' FROM found WHERE %3 RETURNING 1) "
            "SELECT (SELECT count(*) FROM found), (SELECT count(*) FROM queued), "
            "(SELECT coalesce(json_agg(jsonb_build_object('side', side, 'id', id) || record), '[]') FROM "
            "(SELECT * FROM found ORDER BY side, id LIMIT 10) s)::text")
            .arg(parts.join(QStringLiteral(" UNION ALL ")), entity.name, repairFlag(repair)));
    if (finding && adopted > 0) {
        // Those made directly were found and repaired as well.
        finding.value().found += adopted;
        finding.value().repaired += adopted;
        finding.value().examples = examplesBefore;
    }
    return finding;
}

Result<ConsistencyFinding> ConsistencyChecker::driftedPairs(const QString &entityName, bool repair)
{
    const EntityDefinition &entity = *m_mapping->entity(entityName);
    QStringList differs, fields, values;
    for (const FieldDefinition &field : entity.fields) {
        const QString b = FieldDifferences::valueOn(field, QStringLiteral("b"), true);
        const QString d = FieldDifferences::valueOn(field, QStringLiteral("d"), false);
        // Compared as the engine compares: '' is null, tags are sets; fields a person must decide are skipped.
        const QString different = FieldDifferences::differs(
            field, FieldDifferences::canonical(field, b, true), FieldDifferences::canonical(field, d, false));
        differs << QStringLiteral("(NOT ('%1' = ANY (l.paused_fields)) AND %2)").arg(field.name, different);
        fields << QStringLiteral("CASE WHEN NOT ('%1' = ANY (l.paused_fields)) AND %2 THEN '%1' END").arg(field.name, different);
        // What differs, for the report: both sides' values of each drifted field.
        values << QStringLiteral("'%1', CASE WHEN NOT ('%1' = ANY (l.paused_fields)) AND %2 THEN jsonb_build_object('backend', %3, "
                                 "'dashboard', %4) END")
                      .arg(field.name, different, b, d);
    }
    const QString found = QStringLiteral(
        "SELECT l.id, l.backend_id, l.dashboard_id, array_remove(ARRAY[%1], NULL) AS fields, "
        "jsonb_strip_nulls(jsonb_build_object(%7)) AS drifted, jsonb_build_object(%8) AS record FROM sync.links l "
        "JOIN %2 b ON b.id = l.backend_id JOIN %3 d ON d.id = l.dashboard_id "
        "WHERE l.entity = '%4' AND l.state = 'active' AND (%5) "
        "AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.side = 'backend' AND p.entity_id = l.backend_id) "
        "AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.side = 'dashboard' AND p.entity_id = l.dashboard_id)%6")
                              .arg(fields.join(QStringLiteral(", ")), table(entity.backendTable), dashboardTable(entity.dashboardTable),
                                   entity.name, differs.join(QStringLiteral(" OR ")), settledBeforeCopy(QStringLiteral("l")),
                                   values.join(QStringLiteral(", ")), describing(entity, false, QStringLiteral("d")));
    return runCheck(m_db, QStringLiteral("drifted_%1s").arg(entity.name),
                    QStringLiteral("linked %1s whose fields differ with no change pending").arg(entity.name),
                    QStringLiteral("WITH pending AS (SELECT side, entity_id FROM %5 q WHERE status = 'pending' "
                                   "AND entity = '%1'), found AS (%2), queued AS (INSERT INTO sync.outbox (side, entity, "
                                   "table_name, entity_id, operation) SELECT 'backend', '%1', '%3', backend_id, 'update' "
                                   "FROM found WHERE %4 RETURNING 1) "
                                   "SELECT (SELECT count(*) FROM found), (SELECT count(*) FROM queued), "
                                   "(SELECT coalesce(json_agg(jsonb_build_object('link_id', id, 'backend_id', backend_id, "
                                   "'dashboard_id', dashboard_id, 'fields', fields, 'values', drifted) || record), '[]') FROM "
                                   "(SELECT * FROM found ORDER BY id LIMIT 10) s)::text")
                        .arg(entity.name, found, entity.backendTable, repairFlag(repair), queue()));
}

Result<ConsistencyFinding> ConsistencyChecker::linksToMissingRows(const QString &entityName, bool repair)
{
    const EntityDefinition &entity = *m_mapping->entity(entityName);
    // A vanished row is reported to the engine as a deletion, which it handles by its delete policy.
    return runCheck(m_db, QStringLiteral("%1_links_to_missing_rows").arg(entity.name),
                    QStringLiteral("%1 links whose record is gone on a side").arg(entity.name),
                    QStringLiteral("WITH found AS (SELECT l.id, l.backend_id, l.dashboard_id, b.id IS NULL AS backend_missing, "
                                   "CASE WHEN b.id IS NULL THEN jsonb_build_object(%9) ELSE jsonb_build_object(%8) END AS record "
                                   "FROM sync.links l LEFT JOIN %1 b ON b.id = l.backend_id LEFT JOIN %2 d ON d.id = l.dashboard_id "
                                   "WHERE l.entity = '%3' AND l.state = 'active' AND (b.id IS NULL OR d.id IS NULL)%7), "
                                   "queued AS (INSERT INTO sync.outbox (side, entity, table_name, entity_id, operation) "
                                   "SELECT CASE WHEN backend_missing THEN 'backend' ELSE 'dashboard' END, '%3', "
                                   "CASE WHEN backend_missing THEN '%4' ELSE '%5' END, "
                                   "CASE WHEN backend_missing THEN backend_id ELSE dashboard_id END, 'delete' FROM found "
                                   "WHERE %6 RETURNING 1) "
                                   "SELECT (SELECT count(*) FROM found), (SELECT count(*) FROM queued), "
                                   "(SELECT coalesce(json_agg(jsonb_build_object('link_id', id, 'backend_id', backend_id, "
                                   "'dashboard_id', dashboard_id, 'missing', CASE WHEN backend_missing THEN 'backend' ELSE "
                                   "'dashboard' END) || record), '[]') FROM (SELECT * FROM found ORDER BY id LIMIT 10) s)::text")
                        .arg(table(entity.backendTable), dashboardTable(entity.dashboardTable), entity.name, entity.backendTable,
                             entity.dashboardTable, repairFlag(repair), settledBeforeCopy(QStringLiteral("l")),
                             describing(entity, true, QStringLiteral("b")), describing(entity, false, QStringLiteral("d"))));
}

Result<ConsistencyFinding> ConsistencyChecker::conversationStatusMismatches(bool repair)
{
    // Conversations are SyncDesk's own tables' (a mapping file cannot name them yet).
    if (!m_mapping->isBuiltIn())
        return Result<ConsistencyFinding>::success(
            ConsistencyFinding{QStringLiteral("conversation_status_mismatches"),
                               QStringLiteral("conversations whose status contradicts their ticket's"),
                               0,
                               0,
                               {}});
    return runCheck(m_db, QStringLiteral("conversation_status_mismatches"),
                    QStringLiteral("conversations whose status contradicts their ticket's"),
                    QStringLiteral("WITH found AS (SELECT c.id, c.status, c.subject, t.id AS ticket_id, t.status AS ticket_status, "
                                   "t.subject AS ticket_subject, "
                                   "CASE WHEN t.status IN ('resolved', 'closed') THEN t.status ELSE 'escalated' END AS wanted "
                                   "FROM sync.conversation_tickets ct JOIN backend.conversations c ON c.id = ct.conversation_id "
                                   "JOIN %2 t ON t.id = ct.dashboard_ticket_id "
                                   "WHERE ((t.status IN ('resolved', 'closed') AND c.status <> t.status) "
                                   "OR (t.status NOT IN ('resolved', 'closed') AND c.status IN ('resolved', 'closed')))%3), "
                                   "fixed AS (UPDATE backend.conversations c SET status = f.wanted, updated_at = now() "
                                   "FROM found f WHERE c.id = f.id AND %1 RETURNING 1) "
                                   "SELECT (SELECT count(*) FROM found), (SELECT count(*) FROM fixed), "
                                   "(SELECT coalesce(json_agg(json_build_object('conversation_id', id, 'status', status, "
                                   "'subject', subject, 'ticket_id', ticket_id, 'ticket_status', ticket_status, "
                                   "'ticket_subject', ticket_subject)), '[]') FROM "
                                   "(SELECT * FROM found ORDER BY id LIMIT 10) s)::text")
                        .arg(repairFlag(repair), dashboardTable(QStringLiteral("dashboard.tickets")),
                             // A status the engine propagated after the copy would look contradicted.
                             m_split ? QStringLiteral(" AND c.updated_at < '%1'").arg(m_copiedAt) : QString()));
}

Result<ConsistencyFinding> ConsistencyChecker::duplicateCustomers()
{
    // Records of one side sharing the adoption key (an address in any case, by default).
    const EntityDefinition &customer = m_mapping->customer();
    const QString none =
        QStringLiteral("SELECT NULL::text AS side, NULL::text AS email, NULL::bigint[] AS ids WHERE false");
    const auto side = [&](bool backend) {
        const QString key = RowStore::keyExpressionOf(customer, backend);
        if (key.isEmpty())
            return none;
        return QStringLiteral("SELECT '%1'::text AS side, %2 AS email, array_agg(t.id ORDER BY "
                              "t.id)::bigint[] AS ids FROM %3 t "
                              "WHERE %2 IS NOT NULL%4 GROUP BY %2 HAVING count(*) > 1")
            .arg(backend ? QStringLiteral("backend") : QStringLiteral("dashboard"), key,
                 backend ? table(customer.backendTable) : dashboardTable(customer.dashboardTable),
                 entityRowsOnly(customer, backend, QStringLiteral("t")));
    };
    return runCheck(
        m_db, QStringLiteral("duplicate_customers"),
        QStringLiteral("customers sharing an e-mail address (any case) on one side"),
        QStringLiteral(
            "WITH found AS (%1 UNION ALL %2) "
            "SELECT (SELECT count(*) FROM found), 0, (SELECT coalesce(json_agg(json_build_object("
            "'side', side, 'email', email, 'ids', ids)), '[]') FROM (SELECT * FROM found LIMIT 10) s)::text")
            .arg(side(true), side(false)));
}

Result<ConsistencyFinding> ConsistencyChecker::stuckEvents()
{
    return runCheck(m_db, QStringLiteral("stuck_events"),
                    QStringLiteral("changes due for more than five minutes and still not applied"),
                    QStringLiteral("WITH found AS (SELECT id, side, entity, entity_id, attempts FROM %1 q "
                                   "WHERE status = 'pending' AND next_attempt_at < now() - interval '5 minutes') "
                                   "SELECT (SELECT count(*) FROM found), 0, (SELECT coalesce(json_agg(json_build_object('event_id', "
                                   "id, 'side', side, 'entity', entity, 'entity_id', entity_id, 'attempts', attempts)), '[]') "
                                   "FROM (SELECT * FROM found ORDER BY id LIMIT 10) s)::text")
                        .arg(queue()));
}

Result<ConsistencyFinding> ConsistencyChecker::deadEvents()
{
    return runCheck(m_db, QStringLiteral("dead_events"), QStringLiteral("dead changes waiting to be retried by hand"),
                    QStringLiteral("WITH found AS (SELECT id, side, entity, entity_id, last_error FROM %1 q "
                                   "WHERE status = 'dead') "
                                   "SELECT (SELECT count(*) FROM found), 0, (SELECT coalesce(json_agg(json_build_object('event_id', "
                                   "id, 'side', side, 'entity', entity, 'entity_id', entity_id, 'error', last_error)), '[]') "
                                   "FROM (SELECT * FROM found ORDER BY id LIMIT 10) s)::text")
                        .arg(queue()));
}

Result<ConsistencyReport> ConsistencyChecker::run(qint64 runId, bool repair, const Progress &progress)
{
    QElapsedTimer timer;
    timer.start();
    ConsistencyReport report;
    report.runId = runId;
    if (m_split) {
        if (progress)
            progress(0.0, QStringLiteral("copying the helpdesk's records"));
        if (Status copied = copyHelpdesk(); !copied) {
            dropCopies();
            sql::exec(m_db, QStringLiteral("UPDATE sync.consistency_runs SET status = 'failed', finished_at = now(), error = ? "
                                           "WHERE id = ?"),
                      {copied.error(), runId});
            return Result<ConsistencyReport>::failure(copied.error());
        }
    }
    constexpr int kSteps = 10;
    // Progress within a step (an adoption's), as a share of the whole run.
    const auto stepProgress = [&](int step) -> std::function<void(double, const QString &)> {
        if (!progress)
            return {};
        return [&progress, step](double within, const QString &text) {
            progress((double(step) + within) / double(kSteps), text);
        };
    };
    const QList<std::pair<QString, std::function<Result<ConsistencyFinding>()>>> steps{
        {QStringLiteral("customers on one side only"),
         [&] { return unlinkedRecords(QStringLiteral("customer"), repair, stepProgress(0)); }},
        {QStringLiteral("tickets on one side only"),
         [&] { return unlinkedRecords(QStringLiteral("ticket"), repair, stepProgress(1)); }},
        {QStringLiteral("drifted customers"),
         [&] { return driftedPairs(QStringLiteral("customer"), repair); }},
        {QStringLiteral("drifted tickets"), [&] { return driftedPairs(QStringLiteral("ticket"), repair); }},
        {QStringLiteral("customer links to missing rows"),
         [&] { return linksToMissingRows(QStringLiteral("customer"), repair); }},
        {QStringLiteral("ticket links to missing rows"),
         [&] { return linksToMissingRows(QStringLiteral("ticket"), repair); }},
        {QStringLiteral("conversation statuses"), [&] { return conversationStatusMismatches(repair); }},
        {QStringLiteral("duplicate customers"), [&] { return duplicateCustomers(); }},
        {QStringLiteral("stuck events"), [&] { return stuckEvents(); }},
        {QStringLiteral("dead events"), [&] { return deadEvents(); }},
    };
    Q_ASSERT(steps.size() == kSteps);
    for (qsizetype i = 0; i < steps.size(); ++i) {
        if (progress)
            progress(double(i) / double(steps.size()), steps.at(i).first);
        sql::exec(m_db, QStringLiteral("UPDATE sync.consistency_runs SET progress = ? WHERE id = ?"),
                  {double(i) / double(steps.size()), runId});
        auto finding = steps.at(i).second();
        if (!finding) {
            dropCopies();
            sql::exec(m_db, QStringLiteral("UPDATE sync.consistency_runs SET status = 'failed', finished_at = now(), error = ? "
                                           "WHERE id = ?"),
                      {finding.error(), runId});
            return Result<ConsistencyReport>::failure(finding.error());
        }
        report.findings << finding.value();
        report.issuesFound += finding->found;
        report.repaired += finding->repaired;
    }
    dropCopies();
    if (repair && report.repaired > 0)
        sql::exec(m_db, QStringLiteral("SELECT pg_notify('syncdesk_outbox', 'consistency-check')"));
    report.elapsedMs = timer.elapsed();
    QJsonObject counts;
    for (const ConsistencyFinding &finding : std::as_const(report.findings))
        counts.insert(finding.check, QJsonObject{{QStringLiteral("found"), finding.found}, {QStringLiteral("repaired"), finding.repaired}});
    sql::exec(m_db,
              QStringLiteral("UPDATE sync.consistency_runs SET status = 'completed', finished_at = now(), progress = 1, "
                             "issues_found = ?, repaired = ?, counts = ?::jsonb, details = ?::jsonb WHERE id = ?"),
              {report.issuesFound, report.repaired, QString::fromUtf8(QJsonDocument(counts).toJson(QJsonDocument::Compact)),
               QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact)), runId});
    if (progress)
        progress(1.0, QStringLiteral("done"));
    qCInfo(lcTasks).noquote() << "consistency check" << runId << ":" << report.issuesFound << "issues," << report.repaired
                              << "repaired in" << report.elapsedMs << "ms";
    return Result<ConsistencyReport>::success(report);
}

} // namespace syncdesk
