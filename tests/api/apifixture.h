#pragma once

#include "api/apiconfig.h"
#include "api/httpapi.h"
#include "syncfixture.h"
#include "testdatabase.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>

#include <functional>
#include <memory>

namespace syncdesk::test {

using Headers = QList<QPair<QByteArray, QByteArray>>;

// One HTTP exchange as a client saw it.
struct HttpReply
{
    int status = 0; // 0: no HTTP answer (connection refused or closed)
    QByteArray body;
    Headers headers;
    QString networkError;

    QByteArray header(const QByteArray &name) const;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const { return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(); }
    // For QVERIFY2 messages.
    QByteArray describe() const;
};

// A real HTTP client (QNetworkAccessManager) talking to a server on this machine.
class HttpClient
{
public:
    explicit HttpClient(quint16 port, const QString &scheme = QStringLiteral("http"));
    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body = {}, const Headers &headers = {},
                      int timeoutMs = 30000);

private:
    QString m_base;
    QNetworkAccessManager m_manager;
};

// A running engine on a fresh test database with the REST API in front of it, on an ephemeral port of
// 127.0.0.1, configured with a JWT secret (unless openMode) and generous rate limits (unless a test
// configures its own). Requests go out as admin unless a test says otherwise.
class ApiFixture
{
public:
    struct Options
    {
        bool openMode = false;
        bool startEngine = true;
        std::function<void(api::ApiConfig &)> configure;
        std::function<void(EngineOptions &)> engine;
        SyncFixture::Layout layout = SyncFixture::Layout::OneDatabase;
    };

    ApiFixture();
    explicit ApiFixture(Options options);
    ~ApiFixture();

    static const QByteArray secret;

    // Starts the engine and the API; fails the current test when they do not start.
    bool start();
    TestDatabase &db() { return *m_database; }
    // The helpdesk's database: db() itself, or its own with Layout::TwoDatabases.
    TestDatabase &helpdeskDb() { return m_sync->helpdeskDb(); }
    SyncFixture &sync() { return *m_sync; }
    api::HttpApi &api() { return *m_api; }
    quint16 port() const { return m_api ? m_api->port() : 0; }
    api::ApiConfig &config() { return m_config; }

    QByteArray token(Role role, const QString &subject = QStringLiteral("tester"), qint64 ttlSeconds = 600) const;
    Headers as(Role role) const;
    HttpReply get(const QString &path, Role role = Role::Admin);
    HttpReply post(const QString &path, const QByteArray &body = {}, Role role = Role::Admin);
    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body, const Headers &headers);

    // Story helpers: a customer with an AI conversation, synced to the helpdesk.
    qint64 customerWithConversation(const QString &email, const QString &firstMessage, qint64 *conversation);
    // Both sides change a customer's field while the engine is paused; returns the open conflict's id.

private:
    Options m_options;
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<SyncFixture> m_sync;
    api::ApiConfig m_config;
    std::unique_ptr<api::HttpApi> m_api;
    std::unique_ptr<HttpClient> m_client;
};

} // namespace syncdesk::test
