#pragma once

#include "syncfixture.h"
#include "testdatabase.h"
#include "ui/mainwindow.h"
#include "ui/uicontext.h"

#include <memory>

namespace syncdesk {
class StatisticsPoller;
}

namespace syncdesk::test {

// The window on a fresh database seeded with the demo data set and a running engine: what the UI
// stories start from. Window settings (geometry, language) go to a throw-away location.
class UiFixture
{
public:
    // `layout`: the helpdesk in the same database, or in one of its own (as DASHBOARD_DATABASE_URL).
    // `dayOfHistory`: the demo's day before too (changes, checks, conflicts), as `syncdesk --demo` seeds it.
    explicit UiFixture(int customers = 60, EngineOptions options = SyncFixture::defaults(),
                       SyncFixture::Layout layout = SyncFixture::Layout::OneDatabase,
                       bool dayOfHistory = false);
    ~UiFixture();

    bool isReady() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    TestDatabase &db() { return *m_db; }
    SyncFixture &sync() { return *m_sync; }
    ui::UiContext context() const { return m_context; }
    // What the next window is opened with (a story may hand it a REST API to switch, say).
    ui::UiContext &windowContext() { return m_context; }
    // A new main window, shown (offscreen), on the fixture's engine.
    ui::MainWindow &openWindow();
    ui::MainWindow *window() const { return m_window.get(); }
    void closeWindow();

    // Any linked customer of the seed (backend id).
    qint64 linkedUser();

    // Points QSettings and QStandardPaths at a test location; call before the QApplication is used.
    static void isolateSettings();

private:
    QString m_error;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<TestDatabase> m_helpdesk; // with two databases
    std::unique_ptr<SyncFixture> m_sync;
    std::unique_ptr<StatisticsPoller> m_statistics;
    ui::UiContext m_context;
    std::unique_ptr<ui::MainWindow> m_window;
};

} // namespace syncdesk::test
