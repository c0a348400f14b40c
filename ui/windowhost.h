#pragma once

#include "ui/uicontext.h"

#include <QObject>

#include <memory>

namespace syncdesk::ui {

class MainWindow;

// Keeps the main window open for the composition root, and builds it again in the new language when one
// is chosen on the Settings page: the window's texts are set as it is built, the engine and the database
// run on untouched, and the new window opens where the old one was, on the Settings page.
class WindowHost : public QObject
{
    Q_OBJECT

public:
    explicit WindowHost(UiContext context, QObject *parent = nullptr);
    ~WindowHost() override;

    MainWindow *window() const { return m_window.get(); }
    void open();
    // Installs the language's translation and replaces the window (later, from the event loop).
    void switchLanguage(const QString &language);
    // Closes the window after its work in flight; before the engine stops.
    void shutdown();

Q_SIGNALS:
    void windowReplaced(syncdesk::ui::MainWindow *window);

private:
    void replace(const QString &language);

    UiContext m_context;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace syncdesk::ui
