#include "ui/translationloader.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace syncdesk::ui {

namespace {
// Lives as long as the application; installing a new one replaces what the old one said.
QTranslator *g_current = nullptr;

void removeCurrent()
{
    if (g_current) {
        QCoreApplication::removeTranslator(g_current);
        delete g_current;
        g_current = nullptr;
    }
}
} // namespace

bool TranslationLoader::install(const QString &language)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    const auto load = [translator](const QLocale &locale) {
        return translator->load(locale, QStringLiteral("syncdesk"), QStringLiteral("_"),
                                QStringLiteral(":/i18n"));
    };
    // English is the source language; its file only holds the plural forms ("1 conflict", "2 conflicts").
    // It is also what a system language without a translation gets.
    bool loaded = load(language.isEmpty() ? QLocale() : QLocale(language));
    if (!loaded)
        loaded = load(QLocale(QLocale::English));
    if (!loaded) {
        delete translator;
        return false;
    }
    removeCurrent();
    g_current = translator;
    QCoreApplication::installTranslator(translator);
    return true;
}

QString TranslationLoader::preferredLanguage()
{
    return QSettings().value(QStringLiteral("ui/language")).toString();
}

void TranslationLoader::setPreferredLanguage(const QString &language)
{
    QSettings().setValue(QStringLiteral("ui/language"), language);
}

} // namespace syncdesk::ui
