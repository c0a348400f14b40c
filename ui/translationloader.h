#pragma once

#include <QString>

namespace syncdesk::ui {

// Installs SyncDesk's translation for `language` ("de"), or for the system locale when empty.
class TranslationLoader
{
public:
    static bool install(const QString &language);
};

} // namespace syncdesk::ui
