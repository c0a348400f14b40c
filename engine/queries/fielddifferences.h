#pragma once

#include <QString>

namespace syncdesk {

class EntityDefinition;
struct FieldDefinition;

// A field's two sides compared in SQL as the engine compares them: an empty text is null, a tag set
// ignores order. The consistency check's drift and the search's "the two sides differ" say the same.
class FieldDifferences
{
public:
    // A boolean expression: true when `backendValue` and `dashboardValue` (SQL expressions) differ.
    static QString differs(const FieldDefinition &field, const QString &backendValue,
                           const QString &dashboardValue);
    // A field's value on one side as an SQL expression over a row aliased `alias` (a name kept in two
    // columns joined as EntityDefinition joins it).
    static QString valueOn(const FieldDefinition &field, const QString &alias, bool backendSide);
    // `value` (a side's column) as its canonical text where that side spells the field's values its own way.
    static QString canonical(const FieldDefinition &field, const QString &value, bool backendSide);
    // A text[] expression: the names of `entity`'s fields that differ between the rows aliased
    // `backendRow` and `dashboardRow`, in the entity's field order.
    static QString differingFields(const EntityDefinition &entity, const QString &backendRow,
                                   const QString &dashboardRow);
};

} // namespace syncdesk
