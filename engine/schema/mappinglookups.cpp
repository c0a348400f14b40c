#include "schema/mappinglookups.h"

#include "database/sql.h"

namespace syncdesk {

Result<Mapping> MappingLookups::resolve(const Mapping &mapping, QSqlDatabase backend, QSqlDatabase dashboard)
{
    Mapping resolved = mapping;
    for (EntityDefinition &entity : resolved.entities) {
        for (FieldDefinition &field : entity.fields) {
            for (const bool backendSide : {true, false}) {
                const auto &lookup = backendSide ? field.backendLookup : field.dashboardLookup;
                if (!lookup)
                    continue;
                auto rows = sql::run(
                    backendSide ? backend : dashboard,
                    QStringLiteral("SELECT %2::text, %3::text, pg_typeof(%2) IN ('smallint'::regtype, "
                                   "'integer'::regtype, 'bigint'::regtype) FROM %1 WHERE %3 IS NOT NULL "
                                   "ORDER BY %2")
                        .arg(lookup->table, sql::quoteIdentifier(lookup->key),
                             sql::quoteIdentifier(lookup->value)));
                if (!rows)
                    return Result<Mapping>::failure(
                        QStringLiteral("%1.%2: reading the lookup table %3: %4")
                            .arg(entity.name, field.name, lookup->table, rows.error()));
                auto &values = backendSide ? field.backendValues : field.dashboardValues;
                while (rows.value().next()) {
                    const QString key = rows.value().value(0).toString();
                    const QJsonValue stored =
                        rows.value().value(2).toBool() ? QJsonValue(key.toLongLong()) : QJsonValue(key);
                    values.append({stored, rows.value().value(1).toString()});
                }
            }
        }
    }
    return Result<Mapping>::success(resolved);
}

} // namespace syncdesk
