#pragma once

#include "model/entitydefinition.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>

namespace syncdesk {

// What a mapping file says: the synchronised entities (customer, ticket) with their tables and
// fields on both systems, and where in the file each part was written (for messages that name a line).
struct Mapping
{
    QString source; // the file it was read from (":/mappings/default.yaml" for the built-in one)
    QString text;   // as written
    QList<EntityDefinition> entities;
    QHash<QString, int> lines; // "customer.fields.email.backend" -> its line in the file, from 1

    // The mapping of SyncDesk's own tables, shipped as resources/mappings/default.yaml.
    static const Mapping &builtIn();
    static std::shared_ptr<const Mapping> builtInShared();
    bool isBuiltIn() const { return source == QLatin1String(":/mappings/default.yaml"); }

    const EntityDefinition *entity(const QString &name) const;
    const EntityDefinition &customer() const { return *entity(QStringLiteral("customer")); }
    const EntityDefinition &ticket() const { return *entity(QStringLiteral("ticket")); }
    // The line of `path`, or of its nearest parent the file names (0: none).
    int lineOf(QString path) const;
};

} // namespace syncdesk
