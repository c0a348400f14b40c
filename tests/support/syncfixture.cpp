#include "syncfixture.h"

#include "database/connectionprovider.h"

#include <QElapsedTimer>
#include <QTest>

namespace syncdesk::test {

SyncFixture::SyncFixture(TestDatabase &database, EngineOptions options, Layout layout)
    : m_database(database)
{
    if (layout == Layout::TwoDatabases) {
        m_ownHelpdesk = helpdeskDatabase();
        m_helpdesk = m_ownHelpdesk.get();
    }
    m_engine = std::make_unique<DataSyncService>(options, database.connections(), helpdeskDb().connections());
    listen();
}

SyncFixture::SyncFixture(TestDatabase &product, TestDatabase &helpdesk, EngineOptions options)
    : m_database(product)
    , m_helpdesk(&helpdesk)
    , m_engine(std::make_unique<DataSyncService>(options, product.connections(), helpdesk.connections()))
{
    listen();
}

void SyncFixture::listen()
{
    QObject::connect(m_engine.get(), &DataSyncService::liveEvents, m_engine.get(),
                     [this](const LiveEvents &events) { m_announced << events; });
}

std::optional<LiveEvent> SyncFixture::announcement(QLatin1String kind, int timeoutMs)
{
    std::optional<LiveEvent> found;
    const bool arrived = QTest::qWaitFor(
        [&]() {
            for (const LiveEvent &event : std::as_const(m_announced)) {
                if (event.kind == kind)
                    found = event;
            }
            return found.has_value();
        },
        timeoutMs);
    return arrived ? found : std::nullopt;
}

SyncFixture::SyncFixture(TestDatabase &database, Layout layout)
    : SyncFixture(database, defaults(), layout)
{
}

void SyncFixture::addLayoutRows()
{
    QTest::addColumn<int>("layout");
    QTest::newRow("one database") << int(Layout::OneDatabase);
    QTest::newRow("two databases") << int(Layout::TwoDatabases);
}

std::unique_ptr<TestDatabase> SyncFixture::helpdeskDatabase()
{
    auto helpdesk = std::make_unique<TestDatabase>();
    if (!helpdesk->isReady()) {
        QTest::qFail(qPrintable(helpdesk->error()), __FILE__, __LINE__);
        return nullptr;
    }
    // As DatabaseBootstrap does for a dashboard database of its own.
    if (!helpdesk->exec(QStringLiteral("SELECT sync.number_events_as_dashboard_database()")))
        return nullptr;
    return helpdesk;
}

SyncFixture::Layout SyncFixture::layoutOfRow()
{
    QFETCH_GLOBAL(int, layout);
    return Layout(layout);
}

SyncFixture::~SyncFixture()
{
    m_engine->stop();
}

bool SyncFixture::pauseEngine(int timeoutMs)
{
    m_engine->pause();
    // A worker counts itself busy before it looks at the pause, so none starts a batch after this.
    return QTest::qWaitFor([this]() { return m_engine->status().busyWorkers == 0; }, timeoutMs);
}

qint64 SyncFixture::clash(qint64 userId, const QString &backendSet, const QString &dashboardSet)
{
    if (!pauseEngine())
        return 0;
    const qint64 before = m_database.value(QStringLiteral("SELECT coalesce(max(id), 0) FROM sync.conflicts")).toLongLong();
    product(QStringLiteral("UPDATE backend.users SET %1 WHERE id = ?").arg(backendSet), {userId});
    QTest::qWait(10); // the helpdesk's edit is the later one
    helpdesk(QStringLiteral("UPDATE dashboard.customers SET %1 WHERE id = ?").arg(dashboardSet), {customerOfUser(userId)});
    m_engine->resume();
    synced();
    return m_database
        .value(QStringLiteral("SELECT coalesce(max(id), 0) FROM sync.conflicts WHERE status = 'open' AND id > ?"), {before})
        .toLongLong();
}

EngineOptions SyncFixture::defaults()
{
    EngineOptions options;
    options.workers = 2;
    options.pollIntervalMs = 200;
    options.healthIntervalMs = 200;
    options.batchSize = 200;
    return options;
}

bool SyncFixture::start()
{
    const Status started = m_engine->start();
    if (!started)
        QTest::qFail(qPrintable(started.error()), __FILE__, __LINE__);
    return started.ok();
}

bool SyncFixture::synced(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    int quietRounds = 0;
    while (timer.elapsed() < timeoutMs) {
        const QString dueCount = QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending' "
                                                "AND next_attempt_at <= now()");
        int due = m_database.value(dueCount).toInt();
        if (twoDatabases())
            due += m_helpdesk->value(dueCount).toInt();
        // Twice in a row, a little apart: a batch may have claimed the last events without committing.
        quietRounds = due == 0 ? quietRounds + 1 : 0;
        if (quietRounds >= 2)
            return true;
        QTest::qWait(50);
    }
    return false;
}

qint64 SyncFixture::productSignsUp(const QString &email, const QString &name, const QString &phone)
{
    return m_database
        .value(QStringLiteral("INSERT INTO backend.users (email, full_name, phone) VALUES (?, ?, nullif(?, '')) RETURNING id"),
               {email, name, phone})
        .toLongLong();
}

qint64 SyncFixture::helpdeskAddsCustomer(const QString &email, const QString &name, const QString &phone)
{
    return helpdeskDb()
        .value(QStringLiteral("INSERT INTO dashboard.customers (email, name, phone) VALUES (?, ?, nullif(?, '')) RETURNING id"),
               {email, name, phone})
        .toLongLong();
}

bool SyncFixture::product(const QString &statement, const QVariantList &values)
{
    return m_database.exec(statement, values);
}

bool SyncFixture::helpdesk(const QString &statement, const QVariantList &values)
{
    return helpdeskDb().exec(statement, values);
}

qint64 SyncFixture::customerOfUser(qint64 userId)
{
    return m_database
        .value(QStringLiteral("SELECT coalesce((SELECT dashboard_id FROM sync.links WHERE entity = 'customer' AND backend_id = ?), 0)"),
               {userId})
        .toLongLong();
}

qint64 SyncFixture::userOfCustomer(qint64 customerId)
{
    return m_database
        .value(QStringLiteral("SELECT coalesce((SELECT backend_id FROM sync.links WHERE entity = 'customer' AND dashboard_id = ?), 0)"),
               {customerId})
        .toLongLong();
}

QVariant SyncFixture::userField(qint64 userId, const QString &column)
{
    return m_database.value(QStringLiteral("SELECT %1::text FROM backend.users WHERE id = ?").arg(column), {userId});
}

QVariant SyncFixture::customerField(qint64 customerId, const QString &column)
{
    return helpdeskDb().value(QStringLiteral("SELECT %1::text FROM dashboard.customers WHERE id = ?").arg(column), {customerId});
}

} // namespace syncdesk::test
