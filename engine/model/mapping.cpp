#include "model/mapping.h"

#include "model/mappingfile.h"

#include <QFile>

namespace syncdesk {

const Mapping &Mapping::builtIn()
{
    return *builtInShared();
}

std::shared_ptr<const Mapping> Mapping::builtInShared()
{
    // Compiled in and covered by tests: a failure here is a broken build, not a user's mistake.
    static const std::shared_ptr<const Mapping> mapping = []() {
        QFile file(QStringLiteral(":/mappings/default.yaml"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("the built-in mapping is missing from the resources");
        auto parsed = MappingFile::parse(file.readAll(), file.fileName());
        if (!parsed)
            qFatal("the built-in mapping does not parse: %s", qPrintable(parsed.error()));
        return std::make_shared<const Mapping>(std::move(parsed).value());
    }();
    return mapping;
}

const EntityDefinition *Mapping::entity(const QString &name) const
{
    for (const EntityDefinition &candidate : entities) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

int Mapping::lineOf(QString path) const
{
    while (!path.isEmpty()) {
        if (const int line = lines.value(path))
            return line;
        path.truncate(qMax(0, int(path.lastIndexOf(QLatin1Char('.')))));
    }
    return 0;
}

} // namespace syncdesk
