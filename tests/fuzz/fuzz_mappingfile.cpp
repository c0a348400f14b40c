// The mapping file (engine/model/mappingfile, YAML through yaml-cpp): whatever an operator writes,
// reading ends in a mapping or in a message naming the file and the line of the mistake.
#include "model/mappingfile.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdlib>

using namespace syncdesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray yaml(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto mapping = MappingFile::parse(yaml, QStringLiteral("fuzz.yaml"));
    if (!mapping && !mapping.error().startsWith(QLatin1String("fuzz.yaml")))
        std::abort(); // a refusal names the file (and the line when there is one)
    return 0;
}
