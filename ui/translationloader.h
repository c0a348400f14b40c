#pragma once

#include <QString>

namespace syncdesk::ui {

// Installs SyncDesk's translation for `language` ("de", "en"), or for the system locale when empty;
// a language without a translation gets English. The Settings page's choice is kept in the window's
// own settings.
class TranslationLoader
{
public:
    static bool install(const QString &language);
    // The language chosen on the Settings page ("" = the system's, "en", "de").
    static QString preferredLanguage();
    static void setPreferredLanguage(const QString &language);
};

} // namespace syncdesk::ui
