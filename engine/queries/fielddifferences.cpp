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

QString FieldDifferences::differingFields(const EntityDefinition &entity, const QString &backendRow,
                                          const QString &dashboardRow)
{
    QStringList fields;
    for (const FieldDefinition &field : entity.fields) {
        fields << QStringLiteral("CASE WHEN %1 THEN '%2' END")
                      .arg(differs(field,
                                   backendRow + QLatin1Char('.') + sql::quoteIdentifier(field.backendColumn),
                                   dashboardRow + QLatin1Char('.') +
                                       sql::quoteIdentifier(field.dashboardColumn)),
                           field.name);
    }
    return QStringLiteral("array_remove(ARRAY[%1]::text[], NULL)").arg(fields.join(QStringLiteral(", ")));
}

} // namespace syncdesk
