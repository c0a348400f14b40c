#include "model/entitydefinition.h"

#include <QJsonArray>

namespace syncdesk {

QJsonValue CreateValue::valueFor(const QJsonObject &sourceRow) const
{
    if (from.isEmpty())
        return constant;
    const QJsonValue value = sourceRow.value(from);
    for (const auto &[given, written] : values) {
        if (given == value || (given.isNull() && value.isUndefined()))
            return written;
    }
    return otherwise.value_or(value);
}

QJsonValue FieldDefinition::normalize(const QJsonValue &value) const
{
    switch (kind) {
    case Kind::Text:
        // '' and null mean the same to a person ("no company"); compare them as one.
        if (value.isNull() || value.isUndefined() || (value.isString() && value.toString().isEmpty()))
            return QJsonValue(QJsonValue::Null);
        return value.isString() ? value : QJsonValue(value.toVariant().toString());
    case Kind::TextSet: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << item.toString();
        items.removeDuplicates();
        items.sort();
        return QJsonArray::fromStringList(items);
    }
    case Kind::JsonObject:
        return value.isObject() ? value : QJsonValue(QJsonObject());
    }
    return value;
}

QJsonValue FieldDefinition::fromSide(const QJsonValue &stored, bool backendSide) const
{
    const QJsonValue value = normalize(stored);
    for (const auto &[sideValue, canonicalValue] : backendSide ? backendValues : dashboardValues) {
        if (normalize(sideValue) == value)
            return canonicalValue;
    }
    return value;
}

QJsonValue FieldDefinition::toSide(const QJsonValue &canonicalValue, bool backendSide) const
{
    for (const auto &[sideValue, canonical] : backendSide ? backendValues : dashboardValues) {
        if (canonicalValue.isString() && canonical == canonicalValue.toString())
            return sideValue;
    }
    return canonicalValue;
}

const FieldDefinition *EntityDefinition::field(const QString &fieldName) const
{
    for (const FieldDefinition &candidate : fields) {
        if (candidate.name == fieldName)
            return &candidate;
    }
    return nullptr;
}

QString EntityDefinition::filterSql(bool backendSide, const QString &alias) const
{
    const QString &filter = backendSide ? backendFilter : dashboardFilter;
    if (filter.isEmpty())
        return {};
    if (alias == QLatin1String("t"))
        return QStringLiteral(" AND (%1)").arg(filter);
    return QStringLiteral(" AND EXISTS (SELECT 1 FROM %1 t WHERE t.id = %2.id AND (%3))")
        .arg(backendSide ? backendTable : dashboardTable, alias, filter);
}

QString EntityDefinition::matchColumn(bool backendSide) const
{
    const FieldDefinition *matched = matchField.isEmpty() ? nullptr : field(matchField);
    if (!matched)
        return {};
    return backendSide ? matched->backendColumn : matched->dashboardColumn;
}

QString EntityDefinition::matchValue(const QJsonObject &row, bool backendSide) const
{
    const QString column = matchColumn(backendSide);
    if (column.isEmpty())
        return {};
    const QJsonValue value = row.value(column);
    return value.isString()   ? value.toString()
           : value.isDouble() ? QString::number(value.toInteger())
                              : QString();
}

QString EntityDefinition::matchKey(const QJsonObject &row, bool backendSide) const
{
    const QString value = matchValue(row, backendSide);
    return matchIgnoresCase ? value.toLower() : value;
}

QStringList EntityDefinition::fieldNames() const
{
    QStringList names;
    for (const FieldDefinition &candidate : fields)
        names << candidate.name;
    return names;
}

QJsonObject EntityDefinition::canonical(const QJsonObject &row, bool backendSide) const
{
    QJsonObject values;
    for (const FieldDefinition &candidate : fields)
        values.insert(candidate.name, candidate.fromSide(row.value(backendSide ? candidate.backendColumn
                                                                               : candidate.dashboardColumn),
                                                         backendSide));
    return values;
}

QJsonObject EntityDefinition::rowFor(const QJsonObject &canonicalValues, bool backendSide) const
{
    QJsonObject row;
    for (auto it = canonicalValues.begin(); it != canonicalValues.end(); ++it) {
        const FieldDefinition *definition = field(it.key());
        if (!definition)
            continue;
        QJsonValue value = definition->toSide(it.value(), backendSide);
        const bool notNull = backendSide ? definition->notNullBackend : definition->notNullDashboard;
        if (value.isNull() && notNull)
            value = definition->kind == FieldDefinition::Kind::TextSet ? QJsonValue(QJsonArray()) : QJsonValue(QString());
        row.insert(backendSide ? definition->backendColumn : definition->dashboardColumn, value);
    }
    return row;
}

QStringList EntityDefinition::columns(bool backendSide) const
{
    QStringList out;
    for (const FieldDefinition &candidate : fields)
        out << (backendSide ? candidate.backendColumn : candidate.dashboardColumn);
    return out;
}

void EntityDefinition::completeNewRow(const QJsonObject &sourceRow, QJsonObject &newRow, bool inBackend) const
{
    for (const CreateValue &value : inBackend ? createInBackend : createInDashboard)
        newRow.insert(value.column, value.valueFor(sourceRow));
}

} // namespace syncdesk
