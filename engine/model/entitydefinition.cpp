#include "model/entitydefinition.h"

#include <QJsonArray>

namespace syncdesk {

namespace {

using Kind = FieldDefinition::Kind;
using Owner = FieldDefinition::Owner;

FieldDefinition text(const char *name, const char *backend, const char *dashboard, Owner owner = Owner::Shared,
                     bool notNullBackend = false, bool notNullDashboard = false)
{
    return FieldDefinition{QLatin1String(name), QLatin1String(backend), QLatin1String(dashboard), Kind::Text, owner,
                           notNullBackend, notNullDashboard};
}

} // namespace

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

const EntityDefinition &EntityDefinition::customer()
{
    static const EntityDefinition definition{
        QStringLiteral("customer"),
        QStringLiteral("backend.users"),
        QStringLiteral("dashboard.customers"),
        {
            text("email", "email", "email", Owner::Shared, true, true),
            text("name", "full_name", "name", Owner::Shared, true, true),
            text("phone", "phone", "phone"),
            text("company", "company", "company"),
            text("locale", "locale", "locale", Owner::Shared, true, true),
            FieldDefinition{QStringLiteral("tags"), QStringLiteral("tags"), QStringLiteral("tags"), Kind::TextSet,
                            Owner::Shared, true, true},
        },
        QString(),
        QString(),
        QString(),
        {},
        {}};
    return definition;
}

const EntityDefinition &EntityDefinition::ticket()
{
    // The helpdesk owns a ticket's workflow: status and priority set there win without a conflict.
    static const EntityDefinition definition = []() {
        EntityDefinition ticket{QStringLiteral("ticket"),
                                QStringLiteral("backend.tickets"),
                                QStringLiteral("dashboard.tickets"),
                                {
                                    text("subject", "subject", "subject", Owner::Shared, true, true),
                                    text("description", "description", "description", Owner::Shared, true, true),
                                    text("status", "status", "status", Owner::Dashboard, true, true),
                                    text("priority", "priority", "priority", Owner::Dashboard, true, true),
                                    text("category", "category", "category", Owner::Shared, true, true),
                                },
                                QStringLiteral("customer"),
                                QStringLiteral("user_id"),
                                QStringLiteral("customer_id"),
                                {},
                                {}};
        ticket.completeDashboardRow = [](const QJsonObject &backendRow, QJsonObject &row) {
            const bool fromConversation = !backendRow.value(QStringLiteral("conversation_id")).isNull();
            row.insert(QStringLiteral("source"), fromConversation ? QStringLiteral("ai_agent") : QStringLiteral("backend"));
        };
        return ticket;
    }();
    return definition;
}

const QList<const EntityDefinition *> &EntityDefinition::all()
{
    static const QList<const EntityDefinition *> entities{&customer(), &ticket()};
    return entities;
}

const EntityDefinition *EntityDefinition::find(const QString &name)
{
    for (const EntityDefinition *entity : all()) {
        if (entity->name == name)
            return entity;
    }
    return nullptr;
}

const FieldDefinition *EntityDefinition::field(const QString &fieldName) const
{
    for (const FieldDefinition &candidate : fields) {
        if (candidate.name == fieldName)
            return &candidate;
    }
    return nullptr;
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
        values.insert(candidate.name,
                      candidate.normalize(row.value(backendSide ? candidate.backendColumn : candidate.dashboardColumn)));
    return values;
}

QJsonObject EntityDefinition::rowFor(const QJsonObject &canonicalValues, bool backendSide) const
{
    QJsonObject row;
    for (auto it = canonicalValues.begin(); it != canonicalValues.end(); ++it) {
        const FieldDefinition *definition = field(it.key());
        if (!definition)
            continue;
        QJsonValue value = it.value();
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

} // namespace syncdesk
