#include "model/entitydefinition.h"

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

} // namespace syncdesk
