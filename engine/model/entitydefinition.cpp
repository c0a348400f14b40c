#include "model/entitydefinition.h"

#include <QDateTime>
#include <QJsonArray>

namespace syncdesk {

QJsonValue CreateValue::valueFor(const QJsonObject &sourceRow) const
{
    if (now)
        return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
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

QStringList FieldDefinition::columnsOn(bool backendSide) const
{
    const QStringList &parts = backendSide ? backendParts : dashboardParts;
    return parts.isEmpty() ? QStringList{backendSide ? backendColumn : dashboardColumn} : parts;
}

QJsonValue FieldDefinition::storedIn(const QJsonObject &row, bool backendSide) const
{
    const QStringList &parts = backendSide ? backendParts : dashboardParts;
    if (parts.isEmpty())
        return row.value(backendSide ? backendColumn : dashboardColumn);
    QStringList words;
    for (const QString &part : parts) {
        const QString word = row.value(part).toString().trimmed();
        if (!word.isEmpty())
            words << word;
    }
    return words.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(words.join(QLatin1Char(' ')));
}

void FieldDefinition::store(QJsonObject &row, QJsonValue value, bool backendSide) const
{
    const bool notNull = backendSide ? notNullBackend : notNullDashboard;
    const auto empty = [&]() {
        return notNull ? (kind == Kind::TextSet ? QJsonValue(QJsonArray()) : QJsonValue(QString()))
                       : QJsonValue(QJsonValue::Null);
    };
    const QStringList &parts = backendSide ? backendParts : dashboardParts;
    if (parts.isEmpty()) {
        row.insert(backendSide ? backendColumn : dashboardColumn, value.isNull() ? empty() : value);
        return;
    }
    // "Ada King Lovelace" -> "Ada King", "Lovelace"; one word is a first name.
    const QString text = value.toString().simplified();
    const qsizetype space = text.lastIndexOf(QLatin1Char(' '));
    const QString first = space < 0 ? text : text.left(space);
    const QString last = space < 0 ? QString() : text.mid(space + 1);
    row.insert(parts.at(0), first.isEmpty() ? empty() : QJsonValue(first));
    row.insert(parts.at(1), last.isEmpty() ? empty() : QJsonValue(last));
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
        values.insert(candidate.name, candidate.fromSide(candidate.storedIn(row, backendSide), backendSide));
    return values;
}

QJsonObject EntityDefinition::rowFor(const QJsonObject &canonicalValues, bool backendSide) const
{
    QJsonObject row;
    for (auto it = canonicalValues.begin(); it != canonicalValues.end(); ++it) {
        const FieldDefinition *definition = field(it.key());
        if (!definition)
            continue;
        definition->store(row, definition->toSide(it.value(), backendSide), backendSide);
    }
    return row;
}

QStringList EntityDefinition::columns(bool backendSide) const
{
    QStringList out;
    for (const FieldDefinition &candidate : fields)
        out << candidate.columnsOn(backendSide);
    return out;
}

void EntityDefinition::completeNewRow(const QJsonObject &sourceRow, QJsonObject &newRow, bool inBackend) const
{
    for (const CreateValue &value : inBackend ? createInBackend : createInDashboard)
        newRow.insert(value.column, value.valueFor(sourceRow));
}

} // namespace syncdesk
