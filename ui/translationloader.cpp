#include "ui/translationloader.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace syncdesk::ui {

bool TranslationLoader::install(const QString &language)
{
    // Lives as long as the application; installing a new one replaces what the old one said.
    static QTranslator *current = nullptr;
    auto *translator = new QTranslator(QCoreApplication::instance());
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    if (!translator->load(locale, QStringLiteral("syncdesk"), QStringLiteral("_"),
                          QStringLiteral(":/i18n"))) {
        delete translator;
        return false;
    }
    if (current) {
        QCoreApplication::removeTranslator(current);
        delete current;
    }
    current = translator;
    QCoreApplication::installTranslator(translator);
    return true;
}

} // namespace syncdesk::ui
