#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace syncdesk {

// How one field of a synchronised entity maps onto the two systems' columns.
struct FieldDefinition
{
    enum class Kind { Text, TextSet, JsonObject };
    // An owned field's value wins a clash without a conflict: the owner side's value is applied.
    enum class Owner { Shared, Backend, Dashboard };

    QString name;            // canonical name, used in baselines and conflicts ("name")
    QString backendColumn;   // "full_name"
    QString dashboardColumn; // "name"
    // A side that keeps the value in two columns ([firstname, lastname]; the column above is the
    // first): read as the non-empty parts joined by a space; written back with the last word in the
    // second column and the rest in the first.
    QStringList backendParts;
    QStringList dashboardParts;
    Kind kind = Kind::Text;
    Owner owner = Owner::Shared;
    bool notNullBackend = false;   // write '' (or []) instead of null
    bool notNullDashboard = false;
    // Text fields whose values a side spells its own way (Chatwoot's status 0, 1, 2): that side's value
    // -> the canonical one. A value the map does not list is taken as it is, both ways; the way back
    // writes the first value listed for a canonical one.
    QList<std::pair<QJsonValue, QString>> backendValues;
    QList<std::pair<QJsonValue, QString>> dashboardValues;
    // A side that keeps the value as a reference into a table of its own (Zammad's tickets.state_id
    // -> ticket_states.name): read when SyncDesk starts (MappingLookups) into that side's values.
    struct Lookup
    {
        QString table; // schema.table
        QString key;   // the column the field's column refers to
        QString value; // the column holding the canonical value
    };
    std::optional<Lookup> backendLookup;
    std::optional<Lookup> dashboardLookup;

    // The value in the form both sides are compared in: '' and null are one for text, sets are
    // sorted without duplicates, a JSON object is never null.
    QJsonValue normalize(const QJsonValue &value) const;
    bool split() const { return !backendParts.isEmpty() || !dashboardParts.isEmpty(); }
    // The side's columns: its parts, or its one column.
    QStringList columnsOn(bool backendSide) const;
    // The side's stored value in a row (joined from the parts), and the columns to write for a value.
    QJsonValue storedIn(const QJsonObject &row, bool backendSide) const;
    void store(QJsonObject &row, QJsonValue value, bool backendSide) const;
    // A side's stored value as the canonical one, and back.
    QJsonValue fromSide(const QJsonValue &stored, bool backendSide) const;
    QJsonValue toSide(const QJsonValue &canonicalValue, bool backendSide) const;
    bool translates() const
    {
        return !backendValues.isEmpty() || !dashboardValues.isEmpty() || backendLookup || dashboardLookup ||
               split();
    }
};

// A table's key column. This version syncs integer and bigint keys.
struct TableKey
{
    QString column = QStringLiteral("id");
    QString type = QStringLiteral("bigint");
};

// A column a new row needs that no field covers: a constant, or a value derived from a column of the
// record the new row mirrors through a map of values ("*" for any value the map does not list).
struct CreateValue
{
    QString column;
    QJsonValue constant; // when `from` is empty
    bool now = false;    // the time the row is made, instead of a constant
    QString from;
    QList<std::pair<QJsonValue, QJsonValue>> values; // from's value -> this column's
    std::optional<QJsonValue> otherwise;

    QJsonValue valueFor(const QJsonObject &sourceRow) const;
};

// An entity kept in sync between the two systems: its tables, the fields that travel and how records
// that exist on both sides find each other. Described by a mapping (resources/mappings/default.yaml
// for SyncDesk's own tables); MappingFile reads it.
class EntityDefinition
{
public:
    QString name;           // "customer", the entity name used in sync.outbox and sync.links
    QString backendTable;   // "backend.users"
    QString dashboardTable; // "dashboard.customers"
    TableKey backendKey;
    TableKey dashboardKey;
    // Tables that hold more than the entity (Zammad's users: agents too): an SQL condition on a row,
    // aliased t, that the entity's rows pass (empty: every row is one).
    QString backendFilter;
    QString dashboardFilter;
    QList<FieldDefinition> fields;
    // Adoption: the canonical field whose equal values link two unlinked records (empty: none), and
    // whether case is ignored ("lower(email)").
    QString matchField;
    bool matchIgnoresCase = false;
    // Records that belong to a record of another entity (a ticket to its customer): the owner's
    // entity and the columns holding its id on each side. Empty for top-level entities.
    QString ownerEntity;
    QString ownerBackendColumn;
    QString ownerDashboardColumn;
    // Columns of a record created in the backend (mirroring a helpdesk record) or in the dashboard that
    // the fields do not cover.
    QList<CreateValue> createInBackend;
    QList<CreateValue> createInDashboard;

    const FieldDefinition *field(const QString &name) const;
    bool filtered() const { return !backendFilter.isEmpty() || !dashboardFilter.isEmpty(); }
    // ` AND <the side's filter>` for a row of that side aliased `alias` ('' without a filter).
    QString filterSql(bool backendSide, const QString &alias) const;
    // The adoption key's column on one side ('' without a match field); a row's value in it as
    // written, and as compared (lower-cased when the match ignores case).
    QString matchColumn(bool backendSide) const;
    QString matchValue(const QJsonObject &row, bool backendSide) const;
    QString matchKey(const QJsonObject &row, bool backendSide) const;
    QStringList fieldNames() const;

    // A row's synced fields under their canonical names, normalised; and canonical values back to
    // one side's columns (null written as '' or [] where that side's column is NOT NULL).
    QJsonObject canonical(const QJsonObject &row, bool backendSide) const;
    QJsonObject rowFor(const QJsonObject &canonicalValues, bool backendSide) const;
    QStringList columns(bool backendSide) const;
    // Fills in the create values of a new row on the side `inBackend` says, from the row it mirrors.
    void completeNewRow(const QJsonObject &sourceRow, QJsonObject &newRow, bool inBackend) const;
};

} // namespace syncdesk
