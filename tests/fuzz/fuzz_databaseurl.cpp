// The database URL (engine/config/databaseurl): DATABASE_URL comes from the environment, the command
// line and the settings file. A URL that parses must survive the way SyncDesk passes it on (printed
// with toString() for child processes and settings files, parsed again) unchanged, and its display
// form must hide the password.
#include "config/databaseurl.h"

#include <cstdint>
#include <cstdlib>

using namespace syncdesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto url = DatabaseUrl::parse(text);
    if (!url)
        return 0;
    const auto again = DatabaseUrl::parse(url->toString());
    if (!again || !(again.value() == url.value()))
        std::abort();
    if (!url->password().isEmpty() && !url->toDisplayString().contains(QLatin1String("***")))
        std::abort();
    (void)url->toConnInfo();
    return 0;
}
