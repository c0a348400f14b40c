#pragma once

#include "service/datasyncservice.h"
#include "testdatabase.h"

#include <memory>
#include <optional>

namespace syncdesk::test {

// A running sync engine on a test database, with the little verbs the engine stories need:
// "a customer signs up in the product", "an agent edits the customer in the helpdesk", "wait until
// everything is synced". Polls fast so stories do not wait for the slow poll.
//
// Layouts: both systems in `database`, or the helpdesk in a database of its own
// (DASHBOARD_DATABASE_URL) that the fixture creates; `database` then holds the product and the
// sync state. Stories that run in both layouts ask `helpdeskDb()` for the helpdesk's rows.
class SyncFixture
{
public:
    enum class Layout
    {
        OneDatabase,
        TwoDatabases
    };

    explicit SyncFixture(TestDatabase &database, EngineOptions options = defaults(),
                         Layout layout = Layout::OneDatabase);
    SyncFixture(TestDatabase &database, Layout layout);
    // Another engine on the same two databases (several instances sharing the work).
    SyncFixture(TestDatabase &product, TestDatabase &helpdesk, EngineOptions options);
    ~SyncFixture();

    static EngineOptions defaults();
    // For `initTestCase_data()`: one row per layout, column "layout"; `layoutOfRow()` reads it.
    static void addLayoutRows();
    static Layout layoutOfRow();
    // A fresh database for the helpdesk of its own, numbered as DatabaseBootstrap numbers one; null
    // (after failing the test) when it cannot be made.
    static std::unique_ptr<TestDatabase> helpdeskDatabase();

    DataSyncService &engine() { return *m_engine; }
    TestDatabase &db() { return m_database; }
    // The product's database (which also holds sync state) and the helpdesk's.
    TestDatabase &productDb() { return m_database; }
    TestDatabase &helpdeskDb() { return m_helpdesk ? *m_helpdesk : m_database; }
    bool twoDatabases() const { return m_helpdesk != nullptr && m_helpdesk != &m_database; }
    bool start();

    // Waits until no due change waits in the outbox (and the batch that took the last one committed).
    bool synced(int timeoutMs = 20000);
    // Pauses the engine and waits until no worker is inside a step (its claim included), so every change
    // made from now on waits for resume().
    bool pauseEngine(int timeoutMs = 5000);
    // Both systems change the same customer (`SET` clauses) while the engine is paused, the product first;
    // returns the open conflict this made once the engine has looked (0: none).
    qint64 clash(qint64 userId, const QString &backendSet, const QString &dashboardSet);

    // The product's and the helpdesk's own writes (captured like any application's).
    qint64 productSignsUp(const QString &email, const QString &name, const QString &phone = {});
    qint64 helpdeskAddsCustomer(const QString &email, const QString &name, const QString &phone = {});
    bool product(const QString &statement, const QVariantList &values = {});
    bool helpdesk(const QString &statement, const QVariantList &values = {});

    // The latest live event of `kind` the engine has announced, waiting for it up to `timeoutMs`
    // (announcements reach listeners batched, about a tenth of a second after the commit).
    std::optional<LiveEvent> announcement(QLatin1String kind, int timeoutMs = 5000);
    const LiveEvents &announced() const { return m_announced; }

    // Lookups across the link.
    qint64 customerOfUser(qint64 userId);
    qint64 userOfCustomer(qint64 customerId);
    QVariant userField(qint64 userId, const QString &column);
    QVariant customerField(qint64 customerId, const QString &column);

private:
    void listen();

    TestDatabase &m_database;
    std::unique_ptr<TestDatabase> m_ownHelpdesk;
    TestDatabase *m_helpdesk = nullptr;
    std::unique_ptr<DataSyncService> m_engine;
    LiveEvents m_announced;
};

} // namespace syncdesk::test
