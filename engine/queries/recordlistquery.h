#pragma once

#include <QString>

namespace syncdesk {

// The statement behind a side-by-side list (customers, tickets): every record of an entity as a
// pair — linked, or on one side only — with its open conflicts, waiting changes and a state, counted
// per state, filtered and paged. What differs per entity is given as SQL fragments; the rest (how
// pairs are found, how a state is decided, the page's shape) is written once here. In the fragments
// the product's row is `b`, the helpdesk's `d`, the pair `p` (with `synced_at` of its link).
struct RecordListQuery
{
    QString entity;         // customer, ticket
    QString backendTable;   // backend.users
    QString dashboardTable; // dashboard.customers
    QString ctes;           // further CTEs the others may read, each followed by ", "
    QString columns;        // of `joined`: at least `bj` and `dj`, each side's row as JSON, or NULL
    QString joins;          // further joins of `joined`
    QString where;          // the filter of `joined`, or "true"
    QString statedWhere;    // the filter of `stated`, or "true"
    QString itemColumns;    // json_build_object arguments of an item beyond its ids, state and counts
    QString order;          // ORDER BY of the items

    // Binds in this order: those of `ctes`, `columns`, `joins`, `where`, `statedWhere`; then the state
    // (four times), the limit and the offset. One row: total, counts per state (JSON), items (JSON);
    // recordListPage reads it.
    QString sql() const;
};

} // namespace syncdesk
