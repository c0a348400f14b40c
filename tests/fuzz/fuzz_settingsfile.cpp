// The settings file (engine/config/settingsloader, INI through QSettings): whatever an operator or a
// broken editor leaves in it, loading ends in settings or in messages naming what is wrong.
#include "config/settingsloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdlib>

using namespace syncdesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir directory;
    static quint64 run = 0;
    // A new name each time: QSettings caches files by name and would not always notice a rewrite.
    const QString path = directory.filePath(QStringLiteral("syncdesk-%1.conf").arg(++run));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            std::abort();
        file.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    const auto settings = SettingsLoader::load({{QStringLiteral("SYNC_CONFIG"), path}}, QProcessEnvironment(), QString());
    if (!settings && settings.error().isEmpty())
        std::abort(); // a refusal says why
    QFile::remove(path);
    return 0;
}
