#include "apifixture.h"

#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace syncdesk;
using namespace syncdesk::test;

// The REST API's other resources through a real HTTP client: conflicts (list, one, settle one, settle
// by rule), captured events (recent, retry one, retry all dead), unified search, the audit log, API
// keys, the live event stream (WebSocket), CORS and open local mode.
class TestApiResources final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void conflictsAreListedFilteredAndPaged();
    void aConflictIsSettledOnceThroughTheApi();
    void conflictsAreSettledByRule();
    void aPossibleDuplicateIsSettledThroughTheApi();
    void recentEventsWithFiltersAndLimits_data();
    void recentEventsWithFiltersAndLimits();
    void deadEventsAreRetriedOneOrAll();
    void searchFindsBothSidesRankedWithTheSource();
    void theAuditLogRecordsEveryChangeAndRefusal();
    void apiKeysAreCreatedShownOnceAndRevoked();
    void theLiveStreamPushesTicketChanges();
    void theLiveStreamRefusesBadHandshakes();
    void corsAllowsConfiguredOriginsOnly();

private:
    std::unique_ptr<ApiFixture> m_api;
};

void TestApiResources::init()
{
    ApiFixture::Options options;
    options.layout = SyncFixture::layoutOfRow();
    options.configure = [](api::ApiConfig &config) { config.corsOrigins = {QStringLiteral("https://admin.example.com")}; };
    m_api = std::make_unique<ApiFixture>(options);
    QVERIFY(m_api->start());
}

void TestApiResources::cleanup()
{
    m_api.reset();
}

void TestApiResources::conflictsAreListedFilteredAndPaged()
{
    for (int i = 0; i < 3; ++i) {
        const qint64 user = m_api->sync().productSignsUp(QStringLiteral("c%1@example.com").arg(i), QStringLiteral("C%1").arg(i));
        QVERIFY(m_api->sync().synced());
        QVERIFY(m_api->sync().clash(user, QStringLiteral("email = 'p%1@example.com'").arg(i), QStringLiteral("email = 'h%1@example.com'").arg(i)) > 0);
    }
    const HttpReply all = m_api->get(QStringLiteral("/api/sync/conflicts?status=open&limit=2"), Role::Viewer);
    QVERIFY2(all.status == 200, all.describe());
    QCOMPARE(all.json().value(QStringLiteral("total")).toInt(), 3);
    QCOMPARE(all.json().value(QStringLiteral("items")).toArray().size(), 2);
    const HttpReply page = m_api->get(QStringLiteral("/api/sync/conflicts?status=open&limit=2&offset=2"), Role::Viewer);
    QCOMPARE(page.json().value(QStringLiteral("items")).toArray().size(), 1);
    const HttpReply none = m_api->get(QStringLiteral("/api/sync/conflicts?entity=ticket"), Role::Viewer);
    QCOMPARE(none.json().value(QStringLiteral("total")).toInt(), 0);
    const QJsonObject first = all.json().value(QStringLiteral("items")).toArray().at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("field")).toString(), QStringLiteral("email"));
    QVERIFY(first.value(QStringLiteral("backend_id")).toInteger() > 0 && first.value(QStringLiteral("dashboard_id")).toInteger() > 0);

    const HttpReply one = m_api->get(QStringLiteral("/api/sync/conflicts/%1").arg(first.value(QStringLiteral("id")).toInteger()), Role::Viewer);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json().value(QStringLiteral("id")), first.value(QStringLiteral("id")));
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/conflicts/999999")).status, 404);
    for (const char *bad : {"status=closed", "entity=order", "kind=other", "limit=0", "limit=1001", "offset=-1", "limit=ten", "colour=red"})
        QVERIFY2(m_api->get(QStringLiteral("/api/sync/conflicts?%1").arg(QLatin1String(bad))).status == 400, bad);
}

void TestApiResources::aConflictIsSettledOnceThroughTheApi()
{
    const qint64 user = m_api->sync().productSignsUp(QStringLiteral("ida@example.com"), QStringLiteral("Ida"));
    QVERIFY(m_api->sync().synced());
    const qint64 conflict = m_api->sync().clash(user, QStringLiteral("email = 'ida.p@example.com'"), QStringLiteral("email = 'ida.h@example.com'"));
    QVERIFY(conflict > 0);
    const QString path = QStringLiteral("/api/sync/conflicts/%1/resolve").arg(conflict);
    QCOMPARE(m_api->post(path, R"({"resolution": "sideways"})", Role::Agent).status, 400);
    QCOMPARE(m_api->post(path, R"({"resolution": "value"})", Role::Agent).status, 400);
    QCOMPARE(m_api->post(path, R"({"resolution": "backend", "value": "x"})", Role::Agent).status, 400);
    QCOMPARE(m_api->post(path, {}, Role::Agent).status, 400);
    QCOMPARE(m_api->post(path, R"({"resolution": "backend"})", Role::Viewer).status, 403);
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT status FROM sync.conflicts WHERE id = ?"), {conflict}).toString(), QStringLiteral("open"));

    const HttpReply settled = m_api->post(path, R"({"resolution": "value", "value": "ida@example.org"})", Role::Agent);
    QVERIFY2(settled.status == 200, settled.describe());
    QCOMPARE(settled.json().value(QStringLiteral("resolved_by")).toString(), QStringLiteral("agent"));
    QCOMPARE(m_api->sync().userField(user, QStringLiteral("email")).toString(), QStringLiteral("ida@example.org"));
    QCOMPARE(m_api->sync().customerField(m_api->sync().customerOfUser(user), QStringLiteral("email")).toString(),
             QStringLiteral("ida@example.org"));
    const HttpReply again = m_api->post(path, R"({"resolution": "dashboard"})", Role::Agent);
    QCOMPARE(again.status, 409);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conflicts/888888/resolve"), R"({"resolution": "backend"})").status, 404);
}

void TestApiResources::conflictsAreSettledByRule()
{
    for (int i = 0; i < 2; ++i) {
        const qint64 user = m_api->sync().productSignsUp(QStringLiteral("b%1@example.com").arg(i), QStringLiteral("B%1").arg(i));
        QVERIFY(m_api->sync().synced());
        QVERIFY(m_api->sync().clash(user, QStringLiteral("email = 'bp%1@example.com'").arg(i), QStringLiteral("email = 'bh%1@example.com'").arg(i)) > 0);
    }
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conflicts/resolve"), R"({"resolution": "dashboard"})", Role::Agent).status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conflicts/resolve"), R"({"resolution": "dashboard", "entity": "order"})", Role::Agent).status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conflicts/resolve"), R"({"resolution": "dashboard", "ids": [0]})", Role::Agent).status, 400);
    const HttpReply bulk = m_api->post(QStringLiteral("/api/sync/conflicts/resolve"),
                                       R"({"resolution": "dashboard", "entity": "customer", "field": "email"})", Role::Agent);
    QVERIFY2(bulk.status == 200, bulk.describe());
    QCOMPARE(bulk.json().value(QStringLiteral("resolved")).toInt(), 2);
    QCOMPARE(bulk.json().value(QStringLiteral("failed")).toInt(), 0);
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT count(*) FROM sync.conflicts WHERE status = 'open'")).toInt(), 0);
}

void TestApiResources::aPossibleDuplicateIsSettledThroughTheApi()
{
    const qint64 eve = m_api->sync().productSignsUp(QStringLiteral("eve@example.com"), QStringLiteral("Eve"));
    QVERIFY(m_api->sync().synced());
    const qint64 newcomer = m_api->sync().helpdeskAddsCustomer(QStringLiteral("Eve@Example.com"), QStringLiteral("Eve Other"));
    QVERIFY(m_api->sync().synced());

    const HttpReply listed = m_api->get(QStringLiteral("/api/sync/conflicts?kind=duplicate&status=open"), Role::Viewer);
    QVERIFY2(listed.status == 200, listed.describe());
    QCOMPARE(listed.json().value(QStringLiteral("total")).toInt(), 1);
    const QJsonObject conflict = listed.json().value(QStringLiteral("items")).toArray().at(0).toObject();
    QCOMPARE(conflict.value(QStringLiteral("backend_id")).toInteger(), eve);
    QCOMPARE(conflict.value(QStringLiteral("dashboard_id")).toInteger(), newcomer);
    QCOMPARE(conflict.value(QStringLiteral("details")).toObject().value(QStringLiteral("new_side")).toString(),
             QStringLiteral("dashboard"));

    const QString path = QStringLiteral("/api/sync/conflicts/%1/resolve").arg(conflict.value(QStringLiteral("id")).toInteger());
    const HttpReply wrong = m_api->post(path, R"({"resolution": "backend"})", Role::Agent);
    QCOMPARE(wrong.status, 400);
    QVERIFY2(wrong.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(
                 QLatin1String("create_anyway or keep_apart")),
             wrong.describe());
    const HttpReply created = m_api->post(path, R"({"resolution": "create_anyway"})", Role::Agent);
    QVERIFY2(created.status == 200, created.describe());
    QCOMPARE(created.json().value(QStringLiteral("new_id")).toInteger(), newcomer);
    QVERIFY(m_api->sync().synced());
    const qint64 user = m_api->sync().userOfCustomer(newcomer);
    QVERIFY(user > 0 && user != eve);
    QCOMPARE(m_api->sync().userField(user, QStringLiteral("email")).toString(), QStringLiteral("Eve@Example.com"));
    QCOMPARE(m_api->post(path, R"({"resolution": "keep_apart"})", Role::Agent).status, 409);
}

void TestApiResources::recentEventsWithFiltersAndLimits_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("count");
    QTest::newRow("default limit") << "" << 200 << 10;
    QTest::newRow("limit 3") << "?limit=3" << 200 << 3;
    QTest::newRow("limit 1000") << "?limit=1000" << 200 << 12;
    QTest::newRow("dashboard side") << "?side=dashboard&limit=1000" << 200 << 0;
    QTest::newRow("customers") << "?entity=customer&status=done&limit=1000" << 200 << 12;
    QTest::newRow("limit 0") << "?limit=0" << 400 << 0;
    QTest::newRow("limit 1001") << "?limit=1001" << 400 << 0;
    QTest::newRow("limit not a number") << "?limit=many" << 400 << 0;
    QTest::newRow("unknown status") << "?status=lost" << 400 << 0;
    QTest::newRow("unknown entity") << "?entity=order" << 400 << 0;
    QTest::newRow("unknown side") << "?side=left" << 400 << 0;
}

void TestApiResources::recentEventsWithFiltersAndLimits()
{
    QFETCH(QString, query);
    QFETCH(int, status);
    QFETCH(int, count);
    for (int i = 0; i < 12; ++i)
        m_api->sync().productSignsUp(QStringLiteral("e%1@example.com").arg(i), QStringLiteral("E%1").arg(i));
    QVERIFY(m_api->sync().synced());
    const HttpReply reply = m_api->get(QStringLiteral("/api/sync/events/recent") + query, Role::Viewer);
    QVERIFY2(reply.status == status, reply.describe());
    if (status != 200) {
        QCOMPARE(reply.errorCode(), QStringLiteral("invalid_parameter"));
        return;
    }
    const QJsonArray items = reply.json().value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), count);
    for (qsizetype i = 1; i < items.size(); ++i)
        QVERIFY(items.at(i - 1).toObject().value(QStringLiteral("id")).toInteger() > items.at(i).toObject().value(QStringLiteral("id")).toInteger());
}

void TestApiResources::deadEventsAreRetriedOneOrAll()
{
    for (int i = 0; i < 3; ++i)
        m_api->sync().productSignsUp(QStringLiteral("d%1@example.com").arg(i), QStringLiteral("D%1").arg(i));
    QVERIFY(m_api->sync().synced());
    const auto ids = m_api->db().rows(QStringLiteral("SELECT id FROM sync.outbox ORDER BY id"));
    QCOMPARE(ids.size(), 3);
    QVERIFY(m_api->db().exec(QStringLiteral("UPDATE sync.outbox SET status = 'dead', attempts = 8, last_error = 'test' WHERE id <> ?"),
                             {ids.at(0).at(0)}));
    const qint64 dead = ids.at(1).at(0).toLongLong();
    const qint64 done = ids.at(0).at(0).toLongLong();

    QCOMPARE(m_api->post(QStringLiteral("/api/sync/events/%1/retry").arg(dead), {}, Role::Agent).status, 403);
    const HttpReply one = m_api->post(QStringLiteral("/api/sync/events/%1/retry").arg(dead));
    QVERIFY2(one.status == 200, one.describe());
    QCOMPARE(one.json().value(QStringLiteral("retried")).toInt(), 1);
    const HttpReply notDead = m_api->post(QStringLiteral("/api/sync/events/%1/retry").arg(done));
    QCOMPARE(notDead.status, 409);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/events/987654/retry")).status, 404);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/events/abc/retry")).status, 400);

    const HttpReply all = m_api->post(QStringLiteral("/api/sync/events/retry-dead"));
    QVERIFY2(all.status == 200, all.describe());
    QCOMPARE(all.json().value(QStringLiteral("retried")).toInt(), 1);
    QVERIFY(m_api->sync().synced());
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'dead'")).toInt(), 0);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/events/retry-dead"), R"({"all": true})").status, 400);
}

void TestApiResources::searchFindsBothSidesRankedWithTheSource()
{
    qint64 conversation = 0;
    m_api->customerWithConversation(QStringLiteral("zelda.quill@example.com"), QStringLiteral("My quill order is broken"), &conversation);
    m_api->sync().helpdeskAddsCustomer(QStringLiteral("zelda.h@example.com"), QStringLiteral("Zelda Helpdesk"));
    QVERIFY(m_api->sync().synced());
    const HttpReply found = m_api->get(QStringLiteral("/api/sync/search?q=zeld&limit=20"), Role::Viewer);
    QVERIFY2(found.status == 200, found.describe());
    const QJsonObject result = found.json();
    // Both Zeldas are in both systems now: one result each, naming both records.
    QCOMPARE(result.value(QStringLiteral("total")).toInt(), 2);
    double previous = 1e9;
    QSet<qint64> links;
    for (const QJsonValue &item : result.value(QStringLiteral("items")).toArray()) {
        QCOMPARE(item[QLatin1String("type")].toString(), QStringLiteral("customer"));
        QCOMPARE(item[QLatin1String("source")].toString(), QStringLiteral("both"));
        QVERIFY(item[QLatin1String("backend_id")].toInteger() > 0 && item[QLatin1String("dashboard_id")].toInteger() > 0);
        links.insert(item[QLatin1String("link_id")].toInteger());
        const double rank = item[QLatin1String("rank")].toDouble();
        QVERIFY(rank <= previous);
        previous = rank;
    }
    QCOMPARE(links.size(), 2);
    const HttpReply messages = m_api->get(QStringLiteral("/api/sync/search?q=quill+broken"), Role::Viewer);
    QVERIFY2(messages.body.contains("\"type\":\"message\""), messages.describe());
    const HttpReply paged = m_api->get(QStringLiteral("/api/sync/search?q=zeld&limit=1&offset=1"), Role::Viewer);
    QCOMPARE(paged.json().value(QStringLiteral("items")).toArray().size(), 1);
    QCOMPARE(paged.json().value(QStringLiteral("total")), result.value(QStringLiteral("total")));
    for (const char *bad : {"", "?q=", "?q=a&limit=0", "?q=a&limit=101", "?q=a&offset=-1"})
        QVERIFY2(m_api->get(QStringLiteral("/api/sync/search%1").arg(QLatin1String(bad))).status == 400, bad);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/search?q=") + QString(201, QLatin1Char('a'))).status, 400);
    // Nothing a user types breaks the query.
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/search?q=%27%29%3B+DROP+TABLE+x%3B--+%26%7C%21")).status, 200);
}

void TestApiResources::theAuditLogRecordsEveryChangeAndRefusal()
{
    qint64 conversation = 0;
    m_api->customerWithConversation(QStringLiteral("jo@example.com"), QStringLiteral("Broken screen"), &conversation);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation), {}, Role::Agent).status, 201);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation), {}, Role::Agent).status, 409);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/consistency-check"), {}, Role::Viewer).status, 403);
    QCOMPARE(m_api->request("POST", QStringLiteral("/api/sync/events/retry-dead"), {}, {{"X-Request-Id", "req-audit-1"}}).status, 401);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/audit"), Role::Agent).status, 403);

    // A request that was handled is written before its answer leaves; refusals are counted and written
    // (aggregated per client and minute) within about a second. Newest first.
    // (The first row is older: the API closed open local mode when it started with a JWT secret.)
    QTRY_COMPARE_WITH_TIMEOUT(m_api->get(QStringLiteral("/api/sync/audit")).json().value(QStringLiteral("total")).toInt(), 5, 5000);
    const HttpReply audit = m_api->get(QStringLiteral("/api/sync/audit?limit=10"));
    QVERIFY2(audit.status == 200, audit.describe());
    const QJsonArray items = audit.json().value(QStringLiteral("items")).toArray();
    QStringList lines;
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        lines << QStringLiteral("%1 %2 %3 %4 %5")
                     .arg(item.value(QStringLiteral("actor")).toString(), item.value(QStringLiteral("action")).toString(),
                          item.value(QStringLiteral("result")).toString())
                     .arg(item.value(QStringLiteral("details")).toObject().value(QStringLiteral("status")).toInt())
                     .arg(item.value(QStringLiteral("target")).toString());
        if (item.value(QStringLiteral("actor")).toString() == QLatin1String("syncdesk"))
            continue;
        QCOMPARE(item.value(QStringLiteral("client_address")).toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(!item.value(QStringLiteral("request_id")).toString().isEmpty());
    }
    const QString target = QStringLiteral("conversation_id=%1").arg(conversation);
    QCOMPARE(lines, (QStringList{QStringLiteral("anonymous events.retry_dead denied 401 "),
                                 QStringLiteral("viewer consistency_check.start denied 403 "),
                                 QStringLiteral("agent conversations.create_ticket error 409 ") + target,
                                 QStringLiteral("agent conversations.create_ticket success 201 ") + target,
                                 QStringLiteral("syncdesk api.open_mode_closed success 0 ")}));
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("client_request_id")).toString(), QStringLiteral("req-audit-1"));
    QVERIFY(items.at(0).toObject().value(QStringLiteral("request_id")).toString() != QLatin1String("req-audit-1"));
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("count")).toInt(), 1);
    // Reads are not audited; filters work.
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/audit?result=denied")).json().value(QStringLiteral("total")).toInt(), 2);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/audit?actor=agent&action=conversations.create_ticket")).json().value(QStringLiteral("total")).toInt(), 2);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/audit?since=2000-01-01T00:00:00Z")).json().value(QStringLiteral("total")).toInt(), 5);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/audit?since=yesterday")).status, 400);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/audit?result=maybe")).status, 400);
}

void TestApiResources::apiKeysAreCreatedShownOnceAndRevoked()
{
    const HttpReply created = m_api->post(QStringLiteral("/api/sync/api-keys"), R"({"name": "dashboard-ro", "role": "viewer"})");
    QVERIFY2(created.status == 201, created.describe());
    const QByteArray key = created.json().value(QStringLiteral("key")).toString().toLatin1();
    const qint64 id = created.json().value(QStringLiteral("id")).toInteger();
    QVERIFY(key.startsWith("sdk_"));
    // Stored as a hash only.
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT count(*) FROM sync.api_keys WHERE key_hash = encode(sha256(?::bytea), 'hex')"),
                               {QString::fromLatin1(key)})
                 .toInt(),
             1);
    QVERIFY(!m_api->get(QStringLiteral("/api/sync/api-keys")).body.contains(key));
    const HttpReply withKey = m_api->request("GET", QStringLiteral("/api/sync/status"), {}, {{"X-API-Key", key}});
    QVERIFY2(withKey.status == 200, withKey.describe());
    QCOMPARE(m_api->request("POST", QStringLiteral("/api/sync/events/retry-dead"), {}, {{"X-API-Key", key}}).status, 403);

    QCOMPARE(m_api->post(QStringLiteral("/api/sync/api-keys"), R"({"name": "dashboard-ro", "role": "admin"})").status, 409);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/api-keys"), R"({"name": "x", "role": "root"})").status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/api-keys"), R"({"name": "bad name!", "role": "viewer"})").status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/api-keys"), R"({"name": "x", "role": "viewer"})", Role::Agent).status, 403);

    const HttpReply revoked = m_api->post(QStringLiteral("/api/sync/api-keys/%1/revoke").arg(id));
    QVERIFY2(revoked.status == 200, revoked.describe());
    QVERIFY(revoked.json().value(QStringLiteral("revoked_at")).isString());
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/api-keys/%1/revoke").arg(id)).status, 409);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/api-keys/4242/revoke")).status, 404);
    // A revoked key stops working within the authenticator's one-second cache.
    QTRY_COMPARE_WITH_TIMEOUT(m_api->request("GET", QStringLiteral("/api/sync/status"), {}, {{"X-API-Key", key}}).status, 401, 3000);
}

void TestApiResources::theLiveStreamPushesTicketChanges()
{
    qint64 conversation = 0;
    m_api->customerWithConversation(QStringLiteral("kim@example.com"), QStringLiteral("Refund my order"), &conversation);
    const qint64 ticket = m_api->post(QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation))
                              .json()
                              .value(QStringLiteral("dashboard_ticket_id"))
                              .toInteger();
    QVERIFY(ticket > 0);

    QWebSocket viewer;
    QStringList messages;
    connect(&viewer, &QWebSocket::textMessageReceived, this, [&messages](const QString &message) { messages << message; });
    QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/sync/events/stream?kinds=ticket_status").arg(m_api->port())));
    request.setRawHeader("Authorization", "Bearer " + m_api->token(Role::Viewer));
    viewer.open(request);
    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 5000);
    QVERIFY2(messages.first().contains(QLatin1String("\"type\":\"hello\"")), qPrintable(messages.first()));

    // A browser cannot set headers: the token may come in the query.
    QWebSocket browser;
    QStringList browserMessages;
    connect(&browser, &QWebSocket::textMessageReceived, this, [&browserMessages](const QString &m) { browserMessages << m; });
    browser.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/sync/events/stream?access_token=%2")
                          .arg(m_api->port())
                          .arg(QString::fromLatin1(m_api->token(Role::Viewer)))));
    QTRY_VERIFY_WITH_TIMEOUT(!browserMessages.isEmpty(), 5000);

    QCOMPARE(m_api->post(QStringLiteral("/api/sync/tickets/%1/status").arg(ticket), R"({"status": "open"})").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(messages.size() >= 2, 5000);
    const QJsonObject pushed = QJsonDocument::fromJson(messages.at(1).toUtf8()).object();
    QCOMPARE(pushed.value(QStringLiteral("type")).toString(), QStringLiteral("events"));
    const QJsonObject event = pushed.value(QStringLiteral("events")).toArray().at(0).toObject();
    QCOMPARE(event.value(QStringLiteral("kind")).toString(), QStringLiteral("ticket_status"));
    QCOMPARE(event.value(QStringLiteral("payload")).toObject().value(QStringLiteral("dashboard_ticket_id")).toInteger(), ticket);
    QTRY_VERIFY_WITH_TIMEOUT(browserMessages.size() >= 2, 5000);
    viewer.close();
    browser.close();
}

void TestApiResources::theLiveStreamRefusesBadHandshakes()
{
    const auto handshake = [this](const QByteArray &pathAndQuery, const QByteArray &extraHeaders) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_api->port());
        if (!socket.waitForConnected(3000))
            return QByteArray("no connection");
        socket.write("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + extraHeaders + "\r\n");
        QByteArray answer;
        while (!answer.contains("\r\n\r\n") && socket.waitForReadyRead(3000))
            answer += socket.readAll();
        return answer.left(answer.indexOf("\r\n"));
    };
    QCOMPARE(handshake("/api/sync/events/stream", ""), QByteArray("HTTP/1.1 401 Unauthorized"));
    QCOMPARE(handshake("/api/sync/events/stream?access_token=nonsense", ""), QByteArray("HTTP/1.1 401 Unauthorized"));
    const QByteArray bearer = "Authorization: Bearer " + m_api->token(Role::Viewer) + "\r\n";
    QCOMPARE(handshake("/api/sync/events/stream?kinds=gossip", bearer), QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(handshake("/api/sync/status", bearer), QByteArray("HTTP/1.1 400 Bad Request"));
    QCOMPARE(handshake("/api/sync/nowhere", bearer), QByteArray("HTTP/1.1 404 Not Found"));
    QCOMPARE(handshake("/api/sync/events/stream", bearer + "Origin: https://evil.example\r\n"), QByteArray("HTTP/1.1 403 Forbidden"));
    QCOMPARE(handshake("/api/sync/events/stream", bearer), QByteArray("HTTP/1.1 101 Switching Protocols"));
    // A plain GET is told to use a WebSocket.
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/events/stream"), Role::Viewer).status, 400);
}

void TestApiResources::corsAllowsConfiguredOriginsOnly()
{
    const HttpReply preflight = m_api->request("OPTIONS", QStringLiteral("/api/sync/tickets/5/status"), {},
                                               {{"Origin", "https://admin.example.com"}, {"Access-Control-Request-Method", "POST"},
                                                {"Access-Control-Request-Headers", "authorization, content-type"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("https://admin.example.com"));
    QVERIFY(preflight.header("Access-Control-Allow-Methods").contains("POST"));
    QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Authorization"));
    const HttpReply stranger = m_api->request("OPTIONS", QStringLiteral("/api/sync/tickets/5/status"), {},
                                              {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(stranger.status, 403);
    QVERIFY(stranger.header("Access-Control-Allow-Origin").isEmpty());
    QCOMPARE(m_api->request("OPTIONS", QStringLiteral("/api/sync/nowhere"), {}, {}).status, 404);
    const HttpReply plainOptions = m_api->request("OPTIONS", QStringLiteral("/api/sync/status"), {}, {});
    QCOMPARE(plainOptions.status, 204);
    QCOMPARE(plainOptions.header("Allow"), QByteArray("GET, OPTIONS"));

    Headers allowed = m_api->as(Role::Viewer);
    allowed << qMakePair(QByteArray("Origin"), QByteArray("https://admin.example.com"));
    const HttpReply actual = m_api->request("GET", QStringLiteral("/api/sync/status"), {}, allowed);
    QCOMPARE(actual.status, 200);
    QCOMPARE(actual.header("Access-Control-Allow-Origin"), QByteArray("https://admin.example.com"));
    QVERIFY(actual.header("Access-Control-Expose-Headers").contains("X-Request-Id"));
    Headers denied = m_api->as(Role::Viewer);
    denied << qMakePair(QByteArray("Origin"), QByteArray("https://evil.example"));
    QCOMPARE(m_api->request("GET", QStringLiteral("/api/sync/status"), {}, denied).status, 403);
}

QTEST_GUILESS_MAIN(TestApiResources)
#include "tst_apiresources.moc"
