#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace syncdesk {

// How one field of a synchronised entity maps onto the two systems' columns.
struct FieldDefinition
{
    enum class Kind { Text, TextSet, JsonObject };
    enum class Owner { Shared, Dashboard }; // a Dashboard-owned field's value wins a clash without a conflict

    QString name;            // canonical name, used in baselines and conflicts ("name")
    QString backendColumn;   // "full_name"
    QString dashboardColumn; // "name"
    Kind kind = Kind::Text;
    Owner owner = Owner::Shared;
    bool notNullBackend = false;   // write '' instead of null
    bool notNullDashboard = false;

    // The value in the form both sides are compared in: '' and null are one for text, sets are
    // sorted without duplicates, a JSON object is never null.
    QJsonValue normalize(const QJsonValue &value) const;
};

// An entity kept in sync between the two systems: its tables and the fields that travel.
class EntityDefinition
{
public:
    static const EntityDefinition &customer();
    static const EntityDefinition &ticket();
    static const EntityDefinition *find(const QString &name);
    static const QList<const EntityDefinition *> &all();

    QString name;           // "customer", the entity name used in sync.outbox and sync.links
    QString backendTable;   // "backend.users"
    QString dashboardTable; // "dashboard.customers"
    QList<FieldDefinition> fields;
    // Records that belong to a record of another entity (a ticket to its customer): the owner's
    // entity and the columns holding its id on each side. Empty for top-level entities.
    QString ownerEntity;
    QString ownerBackendColumn;
    QString ownerDashboardColumn;
    // Fills in the columns of a record created on the dashboard side that the fields do not cover,
    // from the backend record it mirrors (and the other way round).
    std::function<void(const QJsonObject &backendRow, QJsonObject &newDashboardRow)> completeDashboardRow;
    std::function<void(const QJsonObject &dashboardRow, QJsonObject &newBackendRow)> completeBackendRow;

    const FieldDefinition *field(const QString &name) const;
    QStringList fieldNames() const;

    // A row's synced fields under their canonical names, normalised; and canonical values back to
    // one side's columns (null written as '' or [] where that side's column is NOT NULL).
    QJsonObject canonical(const QJsonObject &row, bool backendSide) const;
    QJsonObject rowFor(const QJsonObject &canonicalValues, bool backendSide) const;
    QStringList columns(bool backendSide) const;
};

} // namespace syncdesk
