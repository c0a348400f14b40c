#pragma once

#include "core/result.h"
#include "model/mapping.h"

#include <QByteArray>
#include <QString>

namespace syncdesk {

// Reads a mapping file (YAML, docs/mapping.md): which tables and columns of the two systems hold
// customers and tickets, and how they correspond. Every problem is reported, each as
// "<file>:<line>: <what is wrong>", one per line; nothing half-read is ever returned.
class MappingFile
{
public:
    static Result<Mapping> parse(const QByteArray &yaml, const QString &source);
    static Result<Mapping> read(const QString &path);
};

} // namespace syncdesk
