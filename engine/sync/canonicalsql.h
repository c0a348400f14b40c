#pragma once

#include <QString>

namespace syncdesk::canonicalsql {

// The canonical forms FieldDefinition::normalize gives, as SQL over a column expression: '' and null
// are one text value; a set is sorted (byte order) and without duplicates, as JSON.
QString text(const QString &expression);
QString set(const QString &expression);
// A value as an SQL string literal ('it''s').
QString literal(const QString &value);

} // namespace syncdesk::canonicalsql
