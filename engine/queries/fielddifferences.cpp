#include "queries/fielddifferences.h"

#include "database/sql.h"
#include "model/entitydefinition.h"

#include <QStringList>

namespace syncdesk {

QString FieldDifferences::differs(const FieldDefinition &field, const QString &backendValue,
                                  const QString &dashboardValue)
{
    return field.kind == FieldDefinition::Kind::TextSet
               ? QStringLiteral("NOT (%1 @> %2 AND %2 @> %1)").arg(backendValue, dashboardValue)
               : QStringLiteral("nullif(%1::text, '') IS DISTINCT FROM nullif(%2::text, '')")
                     .arg(backendValue, dashboardValue);
}

QString FieldDifferences::valueOn(const FieldDefinition &field, const QString &alias, bool backendSide)
{
    QStringList columns;
    for (const QString &column : field.columnsOn(backendSide))
        columns << alias + QLatin1Char('.') + sql::quoteIdentifier(column);
    if (columns.size() == 1)
        return columns.first();
    QStringList words;
    for (const QString &column : std::as_const(columns))
        words << QStringLiteral("nullif(btrim(%1), '')").arg(column);
    return QStringLiteral("nullif(concat_ws(' ', %1), '')").arg(words.join(QStringLiteral(", ")));
}

QString FieldDifferences::canonical(const FieldDefinition &field, const QString &value, bool backendSide)
{
    const auto &values = backendSide ? field.backendValues : field.dashboardValues;
    if (values.isEmpty())
        return value;
    QStringList cases;
    for (const auto &[sideValue, canonicalValue] : values) {
        const QString stored = field.normalize(sideValue).toString();
        cases << QStringLiteral("WHEN %1 THEN %2").arg(sql::literal(stored), sql::literal(canonicalValue));
    }
    return QStringLiteral("(CASE (%1)::text %2 ELSE (%1)::text END)")
        .arg(value, cases.join(QLatin1Char(' ')));
}

QString FieldDifferences::differingFields(const EntityDefinition &entity, const QString &backendRow,
                                          const QString &dashboardRow)
{
    QStringList fields;
    for (const FieldDefinition &field : entity.fields) {
        fields << QStringLiteral("CASE WHEN %1 THEN '%2' END")
                      .arg(differs(field, canonical(field, valueOn(field, backendRow, true), true),
                                   canonical(field, valueOn(field, dashboardRow, false), false)),
                           field.name);
    }
    return QStringLiteral("array_remove(ARRAY[%1]::text[], NULL)").arg(fields.join(QStringLiteral(", ")));
}

} // namespace syncdesk
