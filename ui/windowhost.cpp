#include "ui/windowhost.h"

#include "ui/mainwindow.h"
#include "ui/translationloader.h"

#include <QLoggingCategory>

namespace syncdesk::ui {

namespace {
Q_LOGGING_CATEGORY(lcHost, "syncdesk.ui.window")
} // namespace

WindowHost::WindowHost(UiContext context, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
{
}

WindowHost::~WindowHost()
{
    shutdown();
}

void WindowHost::open()
{
    m_window = std::make_unique<MainWindow>(m_context);
    connect(m_window.get(), &MainWindow::languageChosen, this, &WindowHost::switchLanguage);
    m_window->show();
}

void WindowHost::switchLanguage(const QString &language)
{
    // Not inside the signal of a page that is about to be destroyed.
    QMetaObject::invokeMethod(this, [this, language]() { replace(language); }, Qt::QueuedConnection);
}

void WindowHost::replace(const QString &language)
{
    if (!m_window)
        return;
    if (!TranslationLoader::install(language))
        qCWarning(lcHost).noquote() << "no translation for" << language << "; the window stays as it is";
    std::unique_ptr<MainWindow> old = std::move(m_window);
    const QRect geometry = old->geometry();
    const bool maximized = old->isMaximized();
    old->shutdown();
    // The new window is shown before the old one goes, so the application never has no window.
    m_window = std::make_unique<MainWindow>(m_context);
    connect(m_window.get(), &MainWindow::languageChosen, this, &WindowHost::switchLanguage);
    m_window->setGeometry(geometry);
    m_window->showPage(QStringLiteral("settings"));
    if (maximized)
        m_window->showMaximized();
    else
        m_window->show();
    old->hide();
    old.reset();
    qCInfo(lcHost).noquote() << "window rebuilt for language" << (language.isEmpty() ? QStringLiteral("(system)") : language);
    Q_EMIT windowReplaced(m_window.get());
}

void WindowHost::shutdown()
{
    if (m_window)
        m_window->shutdown();
}

} // namespace syncdesk::ui
