#pragma once

#include "core/result.h"
#include "model/mapping.h"

#include <QSqlDatabase>
#include <QStringList>

namespace syncdesk {

// Holds a mapping against the live catalogues of the two databases it names: every table exists,
// every mapped column exists with a type its kind can hold, keys are unique, owner columns match the
// owner's key, NOT NULL columns are declared so (SyncDesk then writes '' rather than null). One
// catalogue query per database. Each problem reads "<file>:<line>: <what>", as MappingFile's do.
class MappingCheck
{
public:
    MappingCheck(const Mapping &mapping, QSqlDatabase backend, QSqlDatabase dashboard);

    // The problems found (empty: the mapping holds); a failure when a catalogue cannot be read.
    Result<QStringList> run();

private:
    struct Column;
    using Catalogue = QHash<QString, Column>; // "schema.table.column" and "schema.table" (for the table)
    Result<Catalogue> read(QSqlDatabase &db, const QStringList &tables) const;
    void checkSide(const EntityDefinition &entity, bool backendSide, const Catalogue &catalogue, QStringList &problems) const;
    QString problem(const QString &path, const QString &what) const;

    const Mapping &m_mapping;
    QSqlDatabase m_backend;
    QSqlDatabase m_dashboard;
};

} // namespace syncdesk
