#include "uifixture.h"

#include "database/connectionprovider.h"
#include "database/statisticspoller.h"
#include "demo/demoseeder.h"
#include "ui/translationloader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

namespace syncdesk::test {

void UiFixture::isolateSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("SyncDeskTests"));
    // One settings file per test program: ctest runs them side by side, and one program's window
    // saving its page must not become the page another program's window reopens on.
    QCoreApplication::setApplicationName(
        QStringLiteral("syncdesk-ui-tests-") +
        QFileInfo(QCoreApplication::applicationFilePath()).completeBaseName());
    QSettings().clear();
    // As the window starts: English (with its plural forms) unless a test asks for another language.
    ui::TranslationLoader::install(QStringLiteral("en"));
}

UiFixture::UiFixture(int customers, EngineOptions options, SyncFixture::Layout layout, bool dayOfHistory)
{
    m_db = std::make_unique<TestDatabase>();
    if (!m_db->isReady()) {
        m_error = m_db->error();
        return;
    }
    if (layout == SyncFixture::Layout::TwoDatabases) {
        m_helpdesk = SyncFixture::helpdeskDatabase();
        if (!m_helpdesk) {
            m_error = QStringLiteral("no database for the helpdesk");
            return;
        }
    }
    TestDatabase &helpdesk = m_helpdesk ? *m_helpdesk : *m_db;
    QSqlDatabase db = m_db->db();
    QSqlDatabase helpdeskDb = helpdesk.db();
    DemoOptions demo;
    demo.customers = customers;
    demo.rate = 0;
    demo.history = dayOfHistory;
    if (auto seeded = DemoSeeder(demo).seed(db, helpdeskDb); !seeded) {
        m_error = seeded.error();
        return;
    }
    m_sync = std::make_unique<SyncFixture>(*m_db, helpdesk, options);
    if (Status started = m_sync->engine().start(); !started) {
        m_error = started.error();
        return;
    }
    m_statistics = std::make_unique<StatisticsPoller>(m_db->connections(), 500);
    if (m_helpdesk)
        m_statistics->setHelpdeskConnections(m_helpdesk->connections());
    m_statistics->start();
    m_context.engine = &m_sync->engine();
    m_context.database = std::make_shared<ConnectionProvider>(m_db->url(), QStringLiteral("ui-test"));
    if (m_helpdesk)
        m_context.helpdeskDatabase = std::make_shared<ConnectionProvider>(m_helpdesk->url(), QStringLiteral("ui-test-helpdesk"));
    m_context.statistics = m_statistics.get();
    m_context.settings.autoTicketThreshold = 0.7;
    m_context.settings.dataDir = QStringLiteral("/tmp/syncdesk-ui-test");
    m_context.settingsFile = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                             QStringLiteral("/syncdesk-ui-test/syncdesk.conf");
    m_context.actor = QStringLiteral("tester");
    m_context.databaseDescription = m_db->url().toDisplayString();
}

UiFixture::~UiFixture()
{
    closeWindow();
    if (m_statistics)
        m_statistics->stop();
    m_statistics.reset();
    m_context.database.reset();
    m_context.helpdeskDatabase.reset();
    m_sync.reset();
    m_helpdesk.reset();
    m_db.reset();
}

ui::MainWindow &UiFixture::openWindow()
{
    closeWindow();
    m_window = std::make_unique<ui::MainWindow>(m_context);
    m_window->show();
    return *m_window;
}

void UiFixture::closeWindow()
{
    if (!m_window)
        return;
    m_window->close();
    m_window.reset();
}

qint64 UiFixture::linkedUser()
{
    return m_db
        ->value(QStringLiteral(
            "SELECT backend_id FROM sync.links WHERE entity = 'customer' AND backend_id IS NOT NULL "
            "AND dashboard_id IS NOT NULL ORDER BY backend_id LIMIT 1"))
        .toLongLong();
}

} // namespace syncdesk::test
