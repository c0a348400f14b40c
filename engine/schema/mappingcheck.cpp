#include "schema/mappingcheck.h"

#include "database/sql.h"

#include <QHash>

namespace syncdesk {

struct MappingCheck::Column
{
    QString type;         // format_type(): "bigint", "text[]", "character varying(255)", ...
    QString category;     // pg_type.typcategory: S string, N numeric, A array, U user (jsonb), ...
    QString element;      // for arrays, the element's category
    bool notNull = false;
    bool uniqueAlone = false; // the column alone is a primary key or carries a unique index
};

namespace {

QString key(const QString &table, const QString &column = {})
{
    return column.isEmpty() ? table : table + QLatin1Char('.') + column;
}

// Whether a column of this type holds values of this kind.
bool holds(const FieldDefinition &field, bool backendSide, const QString &type, const QString &category,
           const QString &element)
{
    switch (field.kind) {
    case FieldDefinition::Kind::Text:
        // A side that spells the values its own way (or refers to a lookup table) may keep them as
        // numbers or booleans.
        if (!(backendSide ? field.backendValues : field.dashboardValues).isEmpty() ||
            (backendSide ? field.backendLookup : field.dashboardLookup))
            return category == QLatin1String("S") || category == QLatin1String("N") ||
                   category == QLatin1String("B");
        return category == QLatin1String("S");
    case FieldDefinition::Kind::TextSet:
        return category == QLatin1String("A") && element == QLatin1String("S");
    case FieldDefinition::Kind::JsonObject:
        return type == QLatin1String("jsonb") || type == QLatin1String("json");
    }
    return false;
}

QString kindName(FieldDefinition::Kind kind)
{
    switch (kind) {
    case FieldDefinition::Kind::Text:
        return QStringLiteral("text (text, varchar, char)");
    case FieldDefinition::Kind::TextSet:
        return QStringLiteral("text_set (an array of text)");
    case FieldDefinition::Kind::JsonObject:
        return QStringLiteral("json_object (jsonb or json)");
    }
    return {};
}

} // namespace

MappingCheck::MappingCheck(const Mapping &mapping, QSqlDatabase backend, QSqlDatabase dashboard)
    : m_mapping(mapping)
    , m_backend(std::move(backend))
    , m_dashboard(std::move(dashboard))
{
}

Result<QStringList> MappingCheck::run()
{
    QStringList backendTables, dashboardTables;
    for (const EntityDefinition &entity : m_mapping.entities) {
        backendTables << entity.backendTable;
        dashboardTables << entity.dashboardTable;
        for (const FieldDefinition &field : entity.fields) {
            if (field.backendLookup)
                backendTables << field.backendLookup->table;
            if (field.dashboardLookup)
                dashboardTables << field.dashboardLookup->table;
        }
    }
    auto backend = read(m_backend, backendTables);
    if (!backend)
        return Result<QStringList>::failure(backend.error());
    auto dashboard = read(m_dashboard, dashboardTables);
    if (!dashboard)
        return Result<QStringList>::failure(dashboard.error());
    QStringList problems;
    for (const EntityDefinition &entity : m_mapping.entities) {
        checkSide(entity, true, backend.value(), problems);
        checkSide(entity, false, dashboard.value(), problems);
    }
    return Result<QStringList>::success(problems);
}

Result<MappingCheck::Catalogue> MappingCheck::read(QSqlDatabase &db, const QStringList &tables) const
{
    // Every column of the mapped tables with its type, nullability and whether it is unique on its own.
    auto rows = sql::run(
        db,
        QStringLiteral(
            "SELECT n.nspname || '.' || c.relname, a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory, "
            " coalesce(e.typcategory, ''), a.attnotnull, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid "
            "  AND i.indisunique AND i.indnatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            "JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname || '.' || c.relname = ANY(?::text[])"),
        {sql::textArray(tables)});
    if (!rows)
        return Result<Catalogue>::failure(QStringLiteral("reading the catalogue of %1: %2").arg(db.databaseName(), rows.error()));
    Catalogue catalogue;
    while (rows.value().next()) {
        const QSqlQuery &row = rows.value();
        const QString table = row.value(0).toString();
        catalogue.insert(key(table), Column{});
        catalogue.insert(key(table, row.value(1).toString()),
                         Column{row.value(2).toString(), row.value(3).toString(), row.value(4).toString(),
                                row.value(5).toBool(), row.value(6).toBool()});
    }
    return Result<Catalogue>::success(catalogue);
}

void MappingCheck::checkSide(const EntityDefinition &entity, bool backendSide, const Catalogue &catalogue,
                             QStringList &problems) const
{
    const QString side = backendSide ? QStringLiteral("backend") : QStringLiteral("dashboard");
    const QString database = backendSide ? QStringLiteral("the product's database") : QStringLiteral("the helpdesk's database");
    const QString table = backendSide ? entity.backendTable : entity.dashboardTable;
    const QString path = entity.name + QLatin1Char('.') + side;
    if (!catalogue.contains(key(table))) {
        problems << problem(path + QStringLiteral(".table"), QStringLiteral("table %1 does not exist in %2").arg(table, database));
        return;
    }
    const auto column = [&](const QString &name, const QString &where) -> const Column * {
        const auto found = catalogue.constFind(key(table, name));
        if (found == catalogue.cend()) {
            problems << problem(where, QStringLiteral("%1 has no column %2").arg(table, name));
            return nullptr;
        }
        return &found.value();
    };

    if (const QString &filter = backendSide ? entity.backendFilter : entity.dashboardFilter;
        !filter.isEmpty()) {
        // Planned, not run: a mistake in it is told without reading the table.
        QSqlDatabase db = backendSide ? m_backend : m_dashboard;
        if (auto planned =
                sql::exec(db, QStringLiteral("EXPLAIN SELECT 1 FROM %1 t WHERE (%2)").arg(table, filter));
            !planned)
            problems << problem(
                path + QStringLiteral(".filter"),
                QStringLiteral("the filter does not hold on %1: %2").arg(table, planned.error()));
    }
    const TableKey &tableKey = backendSide ? entity.backendKey : entity.dashboardKey;
    if (const Column *keyColumn = column(tableKey.column, path + QStringLiteral(".key"))) {
        if (tableKey.type != keyColumn->type)
            problems << problem(path + QStringLiteral(".key"), QStringLiteral("%1.%2 is %3, not %4")
                                                                   .arg(table, tableKey.column, keyColumn->type, tableKey.type));
        if (!keyColumn->uniqueAlone)
            problems << problem(path + QStringLiteral(".key"),
                                QStringLiteral("%1.%2 is not unique on its own (no primary key or unique index on it)")
                                    .arg(table, tableKey.column));
    }
    for (const FieldDefinition &field : entity.fields) {
        const QString where = entity.name + QStringLiteral(".fields.") + field.name + QLatin1Char('.') + side;
        for (const QString &name : field.columnsOn(backendSide)) {
            const Column *mapped = column(name, where);
            if (!mapped)
                continue;
            if (!holds(field, backendSide, mapped->type, mapped->category, mapped->element))
                problems << problem(where, QStringLiteral("%1.%2 is %3, which cannot hold a field of kind %4")
                                               .arg(table, name, mapped->type, kindName(field.kind)));
            const bool declaredNotNull = backendSide ? field.notNullBackend : field.notNullDashboard;
            if (mapped->notNull && !declaredNotNull)
                problems << problem(
                    where, QStringLiteral("%1.%2 is NOT NULL: say not_null: %3 (or both) so that an empty "
                                          "value is written as '' instead of null")
                               .arg(table, name, side));
        }
        if (const auto &lookup = backendSide ? field.backendLookup : field.dashboardLookup) {
            const QString at =
                entity.name + QStringLiteral(".fields.") + field.name + QStringLiteral(".lookup.") + side;
            if (!catalogue.contains(key(lookup->table))) {
                problems << problem(
                    at, QStringLiteral("lookup table %1 does not exist in %2").arg(lookup->table, database));
            } else {
                for (const QString &lookupColumn : {lookup->key, lookup->value}) {
                    if (!catalogue.contains(key(lookup->table, lookupColumn)))
                        problems << problem(
                            at, QStringLiteral("%1 has no column %2").arg(lookup->table, lookupColumn));
                }
            }
        }
    }
    if (!entity.ownerEntity.isEmpty()) {
        const QString ownerColumn = backendSide ? entity.ownerBackendColumn : entity.ownerDashboardColumn;
        const QString where = entity.name + QStringLiteral(".belongs_to.") + side;
        const EntityDefinition *owner = m_mapping.entity(entity.ownerEntity);
        const Column *mapped = column(ownerColumn, where);
        if (mapped && owner) {
            const QString ownerKeyType = backendSide ? owner->backendKey.type : owner->dashboardKey.type;
            // Whole numbers of any width refer alike (Chatwoot's conversations.contact_id is bigint, the
            // contacts' id integer).
            static const QStringList whole{QStringLiteral("smallint"), QStringLiteral("integer"),
                                           QStringLiteral("bigint")};
            if (ownerKeyType != mapped->type &&
                !(whole.contains(ownerKeyType) && whole.contains(mapped->type)))
                problems << problem(where, QStringLiteral("%1.%2 is %3, but the %4's key is %5")
                                               .arg(table, ownerColumn, mapped->type, owner->name, ownerKeyType));
        }
    }
    for (const CreateValue &value : backendSide ? entity.createInBackend : entity.createInDashboard)
        column(value.column, entity.name + QStringLiteral(".create.") + side + QLatin1Char('.') + value.column);
}

QString MappingCheck::problem(const QString &path, const QString &what) const
{
    return QStringLiteral("%1:%2: %3").arg(m_mapping.source).arg(m_mapping.lineOf(path)).arg(what);
}

} // namespace syncdesk
