#include "ui/fieldcomparison.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace syncdesk::ui {

namespace {

// Bookkeeping columns every row carries: shown, but after the data.
bool bookkeeping(const QString &field)
{
    return field == QLatin1String("id") || field == QLatin1String("version") ||
           field == QLatin1String("created_at") || field == QLatin1String("updated_at");
}

QStringList ordered(const QJsonObject &a, const QJsonObject &b, const QStringList &order)
{
    QStringList keys = order;
    QStringList rest;
    for (const QJsonObject *object : {&a, &b}) {
        for (auto it = object->constBegin(); it != object->constEnd(); ++it) {
            if (!keys.contains(it.key()) && !rest.contains(it.key()))
                rest << it.key();
        }
    }
    std::sort(rest.begin(), rest.end(), [](const QString &x, const QString &y) {
        if (bookkeeping(x) != bookkeeping(y))
            return !bookkeeping(x);
        return x < y;
    });
    return keys + rest;
}

} // namespace

bool FieldComparison::same(const QJsonValue &a, const QJsonValue &b)
{
    const bool aEmpty = a.isNull() || a.isUndefined();
    const bool bEmpty = b.isNull() || b.isUndefined();
    if (aEmpty || bEmpty)
        return aEmpty == bEmpty;
    if (a.isArray() && b.isArray()) {
        QStringList x, y;
        for (const QJsonValue &v : a.toArray())
            x << display(v);
        for (const QJsonValue &v : b.toArray())
            y << display(v);
        x.sort();
        y.sort();
        return x == y;
    }
    return a == b;
}

QString FieldComparison::display(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("—");
    case QJsonValue::Bool:
        return value.toBool() ? tr("yes") : tr("no");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        return number == double(qint64(number)) ? QString::number(qint64(number)) : QString::number(number);
    }
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << display(item);
        return items.isEmpty() ? tr("(none)") : items.join(QStringLiteral(", "));
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QList<ComparisonRow> FieldComparison::beforeAfter(const QJsonObject &before, const QJsonObject &after,
                                                  const QStringList &changedFields, const QStringList &order)
{
    QList<ComparisonRow> rows;
    for (const QString &field : ordered(before, after, order)) {
        if (!before.contains(field) && !after.contains(field))
            continue;
        const bool changed = changedFields.contains(field) || !same(before.value(field), after.value(field));
        rows.append(
            {field, {display(before.value(field)), display(after.value(field))}, {false, changed}, changed});
    }
    return rows;
}

QList<ComparisonRow> FieldComparison::conflictFields(const QJsonArray &fields)
{
    QList<ComparisonRow> rows;
    for (const QJsonValue &value : fields) {
        const QJsonObject field = value.toObject();
        const QJsonValue baseline = field.value(QLatin1String("baseline"));
        const QJsonValue backend = field.value(QLatin1String("backend"));
        const QJsonValue dashboard = field.value(QLatin1String("dashboard"));
        rows.append({field.value(QLatin1String("field")).toString(),
                     {display(baseline), display(backend), display(dashboard)},
                     {false, !same(baseline, backend), !same(baseline, dashboard)},
                     field.value(QLatin1String("in_conflict")).toBool()});
    }
    return rows;
}

QList<ComparisonRow> FieldComparison::sideBySide(const QJsonObject &backend, const QJsonObject &dashboard,
                                                 const QStringList &fields)
{
    QList<ComparisonRow> rows;
    for (const QString &field : fields) {
        const bool differs =
            !backend.isEmpty() && !dashboard.isEmpty() && !same(backend.value(field), dashboard.value(field));
        rows.append({field,
                     {backend.isEmpty() ? QString() : display(backend.value(field)),
                      dashboard.isEmpty() ? QString() : display(dashboard.value(field))},
                     {differs, differs},
                     differs});
    }
    return rows;
}

} // namespace syncdesk::ui
