#include "apifixture.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;

// The REST API's record endpoints through a real HTTP client: status, health and metrics; analysing a
// conversation, making it a ticket, linking it; changing a ticket's status on both sides; syncing a
// user; consistency checks. Each with its success and each of its errors.
class TestApiEndpoints final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void init();
    void cleanup();
    void statusKeepsTheSeedsShape();
    void theSeedsEndpointsAnswerWithTheirMethods_data();
    void theSeedsEndpointsAnswerWithTheirMethods();
    void healthIsPublicAndSays503WhenTheEngineIsDown();
    void metricsAreInPrometheusTextFormat();
    void everyResponseCarriesARequestId();
    void unknownPathsAndWrongMethods();
    void analysingAConversation();
    void aConversationBecomesATicketOnBothSidesOnce();
    void createTicketRefusesBadInput_data();
    void createTicketRefusesBadInput();
    void linkingAConversationToAHelpdeskTicket();
    void aTicketStatusChangeReachesBothSidesAndTheConversation();
    void ticketStatusRefusesBadInputWithoutChangingAnything_data();
    void ticketStatusRefusesBadInputWithoutChangingAnything();
    void syncingAUserByGetOrPost();
    void consistencyCheckRunsAndReports();
    void consistencyCheckNeedsARunningEngine();

private:
    qint64 ticketFor(qint64 conversation);
    std::unique_ptr<ApiFixture> m_api;
};

void TestApiEndpoints::init()
{
    ApiFixture::Options options;
    options.layout = SyncFixture::layoutOfRow();
    m_api = std::make_unique<ApiFixture>(options);
    QVERIFY(m_api->start());
}

void TestApiEndpoints::cleanup()
{
    m_api.reset();
}

qint64 TestApiEndpoints::ticketFor(qint64 conversation)
{
    const HttpReply created = m_api->post(QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation));
    if (created.status != 201)
        qWarning() << created.describe();
    return created.json().value(QStringLiteral("dashboard_ticket_id")).toInteger();
}

void TestApiEndpoints::statusKeepsTheSeedsShape()
{
    // The seed documents this answer; a monitoring script written against it reads these five keys
    // with these types, and SyncDesk's own keys come after them.
    const QJsonObject seedExample = QJsonDocument::fromJson(R"({"service_running": true, "initialized": true,
        "background_tasks": 3, "queued_events": 0, "timestamp": "2026-01-01T00:00:00.000Z"})").object();
    QVERIFY(!seedExample.isEmpty());

    // The engine schedules its three background tasks (health monitor, consistency check, clean-up)
    // moments after it starts.
    QTRY_COMPARE_WITH_TIMEOUT(m_api->sync().engine().status().activeBackgroundTasks(), 3, 10000);
    const HttpReply reply = m_api->get(QStringLiteral("/api/sync/status"), Role::Viewer);
    QVERIFY2(reply.status == 200, reply.describe());
    QCOMPARE(reply.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject status = reply.json();
    for (auto it = seedExample.constBegin(); it != seedExample.constEnd(); ++it) {
        QVERIFY2(status.contains(it.key()), qPrintable(it.key()));
        QVERIFY2(status.value(it.key()).type() == it.value().type(), qPrintable(it.key()));
    }
    QCOMPARE(status.value(QStringLiteral("service_running")).toBool(), true);
    QCOMPARE(status.value(QStringLiteral("initialized")).toBool(), true);
    QCOMPARE(status.value(QStringLiteral("background_tasks")).toInteger(), 3);
    QVERIFY(status.value(QStringLiteral("queued_events")).toInteger() >= 0);
    const QDateTime at = QDateTime::fromString(status.value(QStringLiteral("timestamp")).toString(), Qt::ISODateWithMs);
    QVERIFY(at.isValid());
    QCOMPARE(at.timeSpec(), Qt::UTC);
    QVERIFY(status.value(QStringLiteral("timestamp")).toString().endsWith(QLatin1Char('Z')));
    QVERIFY(qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) < 5);

    // The per-task detail moved to a key of its own; the count is the tasks running or scheduled there.
    const QJsonObject details = status.value(QStringLiteral("background_task_details")).toObject();
    QCOMPARE(QStringList(details.keys()), (QStringList{"cleanup", "consistency_check", "health_monitor"}));
    int scheduled = 0;
    for (const QJsonValue &task : details)
        scheduled += task[QLatin1String("running")].toBool() || !task[QLatin1String("next_run")].isNull() ? 1 : 0;
    QCOMPARE(scheduled, 3);
    for (const char *field : {"degraded", "dead_events", "open_conflicts", "throughput"})
        QVERIFY2(status.contains(QLatin1String(field)), field);

    // A stopped engine runs no background task: still a number, now 0.
    m_api->sync().engine().stop();
    QCOMPARE(m_api->sync().engine().status().activeBackgroundTasks(), 0);
}

void TestApiEndpoints::theSeedsEndpointsAnswerWithTheirMethods_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("expected");
    // The seed's list, with SyncDesk's answer to a well-formed request on the demo-less test data: the
    // record ids below do not exist, so those routes answer 404 with a JSON error naming the record.
    QTest::newRow("GET status") << QByteArray("GET") << "/api/sync/status" << 200;
    QTest::newRow("POST consistency-check") << QByteArray("POST") << "/api/sync/consistency-check" << 202;
    QTest::newRow("POST conversations/{id}/analyze") << QByteArray("POST") << "/api/sync/conversations/999999/analyze" << 404;
    QTest::newRow("POST conversations/{id}/create-ticket")
        << QByteArray("POST") << "/api/sync/conversations/999999/create-ticket" << 404;
    QTest::newRow("POST conversations/{id}/link-ticket/{ticket_id}")
        << QByteArray("POST") << "/api/sync/conversations/999999/link-ticket/999999" << 404;
    QTest::newRow("POST tickets/{id}/status") << QByteArray("POST") << "/api/sync/tickets/999999/status" << 404;
    QTest::newRow("GET users/{id}/sync") << QByteArray("GET") << "/api/sync/users/999999/sync" << 404;
    QTest::newRow("GET events/recent?limit=10") << QByteArray("GET") << "/api/sync/events/recent?limit=10" << 200;
}

void TestApiEndpoints::theSeedsEndpointsAnswerWithTheirMethods()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, expected);
    const QByteArray body = path.endsWith(QLatin1String("/status")) && method == "POST" ? QByteArray(R"({"status": "resolved"})")
                                                                                         : QByteArray();
    const HttpReply reply = m_api->request(method, path, body, m_api->as(Role::Admin));
    QVERIFY2(reply.status == expected, reply.describe());
    QVERIFY2(reply.header("Content-Type") == QByteArray("application/json"), reply.describe());
    if (expected >= 400)
        QVERIFY2(reply.json().value(QStringLiteral("error")).toObject().contains(QStringLiteral("message")), reply.describe());
    if (path.endsWith(QLatin1String("?limit=10"))) {
        QCOMPARE(reply.json().value(QStringLiteral("limit")).toInt(), 10);
        QVERIFY(reply.json().value(QStringLiteral("items")).toArray().size() <= 10);
    }
}

void TestApiEndpoints::healthIsPublicAndSays503WhenTheEngineIsDown()
{
    const HttpReply healthy = m_api->request("GET", QStringLiteral("/api/sync/health"), {}, {});
    QVERIFY2(healthy.status == 200, healthy.describe());
    const QJsonObject body = healthy.json();
    QCOMPARE(body.value(QStringLiteral("ready")).toBool(), true);
    const QJsonObject checks = body.value(QStringLiteral("checks")).toObject();
    for (const char *check : {"backend_database", "dashboard_database", "workers", "background_tasks", "queue"})
        QVERIFY2(checks.contains(QLatin1String(check)), check);

    m_api->sync().engine().stop();
    const HttpReply down = m_api->request("GET", QStringLiteral("/api/sync/health"), {}, {});
    QCOMPARE(down.status, 503);
    QCOMPARE(down.json().value(QStringLiteral("ready")).toBool(), false);
    QCOMPARE(down.json().value(QStringLiteral("live")).toBool(), true);
}

void TestApiEndpoints::metricsAreInPrometheusTextFormat()
{
    // Something to count: a change applied by the engine and a request answered.
    m_api->sync().productSignsUp(QStringLiteral("metrics@example.com"), QStringLiteral("Metrics"));
    QVERIFY(m_api->sync().synced());
    QTRY_VERIFY_WITH_TIMEOUT(m_api->get(QStringLiteral("/api/sync/metrics"), Role::Viewer)
                                 .body.contains("syncdesk_events_processed_total{entity=\"customer\"}"),
                             10000);
    const HttpReply reply = m_api->get(QStringLiteral("/api/sync/metrics"), Role::Viewer);
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Content-Type").startsWith("text/plain; version=0.0.4"));
    const QByteArray text = reply.body;
    for (const char *family : {"syncdesk_events_processed_total", "syncdesk_events_failed_total", "syncdesk_events_dead_total",
                               "syncdesk_queue_depth", "syncdesk_queue_oldest_pending_seconds",
                               "syncdesk_apply_latency_seconds_bucket{le=\"+Inf\"}", "syncdesk_conflicts_open",
                               "syncdesk_http_requests_total{route=\"GET /api/sync/metrics\",status=\"200\"}"})
        QVERIFY2(text.contains(family), family);
    // Every line is a comment or "name{labels} value".
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        bool number = false;
        line.mid(space + 1).toDouble(&number);
        QVERIFY2(space > 0 && number, line.constData());
    }
}

void TestApiEndpoints::everyResponseCarriesARequestId()
{
    const HttpReply fresh = m_api->get(QStringLiteral("/api/sync/status"));
    QVERIFY(fresh.header("X-Request-Id").size() >= 16);
    // The server's own, even when the client sends one (the client's goes to the audit log beside it).
    const HttpReply clients = m_api->request("GET", QStringLiteral("/api/sync/nowhere"), {},
                                             {{"X-Request-Id", "trace-42.a_b"}, m_api->as(Role::Admin).constFirst()});
    QCOMPARE(clients.status, 404);
    QVERIFY(clients.header("X-Request-Id").size() >= 16);
    QVERIFY(clients.header("X-Request-Id") != fresh.header("X-Request-Id"));
    const HttpReply hostile = m_api->request("GET", QStringLiteral("/api/sync/status"), {}, {{"X-Request-Id", "a b<script>"}});
    QVERIFY(hostile.header("X-Request-Id") != "a b<script>");
    QVERIFY(!hostile.header("X-Request-Id").isEmpty());
}

void TestApiEndpoints::unknownPathsAndWrongMethods()
{
    const HttpReply missing = m_api->get(QStringLiteral("/api/sync/nothing-here"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.errorCode(), QStringLiteral("not_found"));
    const HttpReply wrongMethod = m_api->post(QStringLiteral("/api/sync/status"));
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.header("Allow"), QByteArray("GET"));
    const HttpReply deleteTicket = m_api->request("DELETE", QStringLiteral("/api/sync/tickets/1/status"), {}, m_api->as(Role::Admin));
    QCOMPARE(deleteTicket.status, 405);
    QCOMPARE(deleteTicket.header("Allow"), QByteArray("POST"));
    // A literal path beats an id: conflicts/resolve is not conflict "resolve".
    const HttpReply literal = m_api->get(QStringLiteral("/api/sync/conflicts/resolve"));
    QCOMPARE(literal.status, 405);
    const HttpReply badId = m_api->get(QStringLiteral("/api/sync/conflicts/abc"));
    QCOMPARE(badId.status, 400);
    QCOMPARE(badId.errorCode(), QStringLiteral("invalid_id"));
    for (const char *id : {"0", "-3", "1.5", "99999999999999999999", "007"})
        QCOMPARE(m_api->get(QStringLiteral("/api/sync/conflicts/%1").arg(QLatin1String(id))).status, 400);
    const HttpReply unknownParameter = m_api->get(QStringLiteral("/api/sync/status?verbose=1"));
    QCOMPARE(unknownParameter.status, 400);
    QCOMPARE(unknownParameter.errorCode(), QStringLiteral("invalid_parameter"));
    const HttpReply badEncoding = m_api->get(QStringLiteral("/api/sync/search?q=%FF%FE"));
    QCOMPARE(badEncoding.status, 400);
    QCOMPARE(badEncoding.errorCode(), QStringLiteral("invalid_encoding"));
}

void TestApiEndpoints::analysingAConversation()
{
    qint64 conversation = 0;
    m_api->customerWithConversation(QStringLiteral("ana@example.com"),
                                    QStringLiteral("I was charged twice for order #55123-90, please refund one payment"), &conversation);
    const HttpReply reply = m_api->post(QStringLiteral("/api/sync/conversations/%1/analyze").arg(conversation), {}, Role::Agent);
    QVERIFY2(reply.status == 200, reply.describe());
    const QJsonObject analysis = reply.json();
    QCOMPARE(analysis.value(QStringLiteral("conversation_id")).toInteger(), conversation);
    QVERIFY(analysis.value(QStringLiteral("confidence")).toDouble() > 0.5);
    QVERIFY(analysis.contains(QStringLiteral("category")));
    QVERIFY(analysis.value(QStringLiteral("dashboard_ticket_id")).isNull());

    const HttpReply withThreshold = m_api->post(QStringLiteral("/api/sync/conversations/%1/analyze").arg(conversation),
                                                R"({"threshold": 0.99})", Role::Agent);
    QVERIFY2(withThreshold.status == 200, withThreshold.describe());
    QCOMPARE(withThreshold.json().value(QStringLiteral("threshold")).toDouble(), 0.99);

    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/987654/analyze")).status, 404);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/analyze").arg(conversation), R"({"threshold": 2})").status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/analyze").arg(conversation), R"({"treshold": 0.5})").status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/x/analyze")).status, 400);
}

void TestApiEndpoints::aConversationBecomesATicketOnBothSidesOnce()
{
    qint64 conversation = 0;
    const qint64 user = m_api->customerWithConversation(QStringLiteral("ben@example.com"), QStringLiteral("My parcel never arrived"),
                                                        &conversation);
    const HttpReply created = m_api->post(QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation),
                                          R"({"priority": "high", "category": "order", "subject": "Parcel lost"})", Role::Agent);
    QVERIFY2(created.status == 201, created.describe());
    const qint64 dashboardTicket = created.json().value(QStringLiteral("dashboard_ticket_id")).toInteger();
    const qint64 backendTicket = created.json().value(QStringLiteral("backend_ticket_id")).toInteger();
    QVERIFY(dashboardTicket > 0 && backendTicket > 0);
    QCOMPARE(created.json().value(QStringLiteral("user_id")).toInteger(), user);
    QCOMPARE(m_api->helpdeskDb().value(QStringLiteral("SELECT subject || '/' || priority FROM dashboard.tickets WHERE id = ?"), {dashboardTicket}).toString(),
             QStringLiteral("Parcel lost/high"));
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT user_id FROM backend.tickets WHERE id = ?"), {backendTicket}).toLongLong(), user);

    const HttpReply again = m_api->post(QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation), {}, Role::Agent);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.errorCode(), QStringLiteral("conflict"));
    const QJsonObject details = again.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toObject();
    QCOMPARE(details.value(QStringLiteral("dashboard_ticket_id")).toInteger(), dashboardTicket);
    QCOMPARE(details.value(QStringLiteral("backend_ticket_id")).toInteger(), backendTicket);
    QCOMPARE(m_api->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 1);
}

void TestApiEndpoints::createTicketRefusesBadInput_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("unknown conversation") << "/api/sync/conversations/424242/create-ticket" << QByteArray() << 404 << "not_found";
    QTest::newRow("priority not in the set") << "" << QByteArray(R"({"priority": "asap"})") << 400 << "invalid_body";
    QTest::newRow("subject not a string") << "" << QByteArray(R"({"subject": 5})") << 400 << "invalid_body";
    QTest::newRow("unknown member") << "" << QByteArray(R"({"prio": "high"})") << 400 << "invalid_body";
    QTest::newRow("not JSON") << "" << QByteArray("priority=high") << 400 << "invalid_json";
    QTest::newRow("a JSON array") << "" << QByteArray("[1, 2]") << 400 << "invalid_body";
    QTest::newRow("invalid UTF-8") << "" << QByteArray("{\"subject\": \"\xff\xfe\"}") << 400 << "invalid_json";
    QTest::newRow("deeply nested") << "" << QByteArray(5000, '[') << 400 << "invalid_json";
}

void TestApiEndpoints::createTicketRefusesBadInput()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    qint64 conversation = 0;
    m_api->customerWithConversation(QStringLiteral("cal@example.com"), QStringLiteral("Where is my invoice?"), &conversation);
    if (path.isEmpty())
        path = QStringLiteral("/api/sync/conversations/%1/create-ticket").arg(conversation);
    const HttpReply reply = m_api->post(path, body, Role::Agent);
    QVERIFY2(reply.status == status, reply.describe());
    QCOMPARE(reply.errorCode(), code);
    QVERIFY(!reply.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());
    // Nothing half-made.
    QCOMPARE(m_api->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")).toInt(), 0);
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT count(*) FROM backend.tickets")).toInt(), 0);
}

void TestApiEndpoints::linkingAConversationToAHelpdeskTicket()
{
    qint64 first = 0, second = 0, foreign = 0;
    const qint64 user = m_api->customerWithConversation(QStringLiteral("dia@example.com"), QStringLiteral("Login fails"), &first);
    second = m_api->db()
                 .value(QStringLiteral("INSERT INTO backend.conversations (user_id, subject) VALUES (?, 'Still failing') RETURNING id"), {user})
                 .toLongLong();
    m_api->customerWithConversation(QStringLiteral("eve@example.com"), QStringLiteral("Hello"), &foreign);
    const qint64 ticket = ticketFor(first);
    QVERIFY(ticket > 0);

    const HttpReply linked = m_api->post(QStringLiteral("/api/sync/conversations/%1/link-ticket/%2").arg(second).arg(ticket), {}, Role::Agent);
    QVERIFY2(linked.status == 200, linked.describe());
    QCOMPARE(linked.json().value(QStringLiteral("conversation_id")).toInteger(), second);
    QCOMPARE(linked.json().value(QStringLiteral("dashboard_ticket_id")).toInteger(), ticket);
    QVERIFY(linked.json().value(QStringLiteral("backend_ticket_id")).toInteger() > 0);

    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/link-ticket/%2").arg(foreign).arg(ticket)).status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/777777/link-ticket/%1").arg(ticket)).status, 404);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/link-ticket/888888").arg(foreign)).status, 404);
    const qint64 other = m_api->helpdeskDb()
                             .value(QStringLiteral("INSERT INTO dashboard.tickets (customer_id, subject) VALUES (?, 'Other') RETURNING id"),
                                    {m_api->sync().customerOfUser(user)})
                             .toLongLong();
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/link-ticket/%2").arg(second).arg(other)).status, 409);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/conversations/%1/link-ticket/0").arg(second)).status, 400);
}

void TestApiEndpoints::aTicketStatusChangeReachesBothSidesAndTheConversation()
{
    qint64 conversation = 0;
    const qint64 user = m_api->customerWithConversation(QStringLiteral("fay@example.com"), QStringLiteral("Please close my account"),
                                                        &conversation);
    const qint64 ticket = ticketFor(conversation);
    QVERIFY(ticket > 0);
    const HttpReply changed = m_api->post(QStringLiteral("/api/sync/tickets/%1/status").arg(ticket),
                                          QByteArrayLiteral("{\"status\": \"resolved\", \"user_id\": ") + QByteArray::number(user) + '}',
                                          Role::Agent);
    QVERIFY2(changed.status == 200, changed.describe());
    const QJsonObject result = changed.json();
    QCOMPARE(result.value(QStringLiteral("dashboard_ticket_id")).toInteger(), ticket);
    QCOMPARE(result.value(QStringLiteral("old_status")).toString(), QStringLiteral("new"));
    QCOMPARE(result.value(QStringLiteral("new_status")).toString(), QStringLiteral("resolved"));
    const qint64 backendTicket = result.value(QStringLiteral("backend_ticket_id")).toInteger();
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT status FROM backend.tickets WHERE id = ?"), {backendTicket}).toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_api->helpdeskDb().value(QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ?"), {ticket}).toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT status FROM backend.conversations WHERE id = ?"), {conversation}).toString(),
             QStringLiteral("resolved"));
    QCOMPARE(m_api->helpdeskDb().value(QStringLiteral("SELECT actor FROM dashboard.ticket_activities WHERE ticket_id = ? AND kind = "
                                              "'status_change'"),
                               {ticket})
                 .toString(),
             QStringLiteral("user:%1").arg(user));
    // Audited with who asked.
    QCOMPARE(m_api->db().value(QStringLiteral("SELECT actor || '/' || role || '/' || result FROM sync.audit_log WHERE action = "
                                              "'tickets.status'"))
                 .toString(),
             QStringLiteral("agent/agent/success"));
}

void TestApiEndpoints::ticketStatusRefusesBadInputWithoutChangingAnything_data()
{
    QTest::addColumn<QString>("ticket");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("status not in the set") << "" << QByteArray(R"({"status": "done"})") << 400;
    QTest::newRow("status missing") << "" << QByteArray(R"({"user_id": 1})") << 400;
    QTest::newRow("no body") << "" << QByteArray() << 400;
    QTest::newRow("status not a string") << "" << QByteArray(R"({"status": 3})") << 400;
    QTest::newRow("user id not positive") << "" << QByteArray(R"({"status": "open", "user_id": -4})") << 400;
    QTest::newRow("user id not whole") << "" << QByteArray(R"({"status": "open", "user_id": 1.5})") << 400;
    QTest::newRow("unknown user") << "" << QByteArray(R"({"status": "open", "user_id": 999999})") << 404;
    QTest::newRow("unknown ticket") << "999999" << QByteArray(R"({"status": "open"})") << 404;
    QTest::newRow("ticket id not a number") << "abc" << QByteArray(R"({"status": "open"})") << 400;
    QTest::newRow("truncated JSON") << "" << QByteArray(R"({"status": "op)") << 400;
}

void TestApiEndpoints::ticketStatusRefusesBadInputWithoutChangingAnything()
{
    QFETCH(QString, ticket);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    qint64 conversation = 0;
    m_api->customerWithConversation(QStringLiteral("gil@example.com"), QStringLiteral("Refund please"), &conversation);
    const qint64 id = ticketFor(conversation);
    if (ticket.isEmpty())
        ticket = QString::number(id);
    const HttpReply reply = m_api->post(QStringLiteral("/api/sync/tickets/%1/status").arg(ticket), body, Role::Agent);
    QVERIFY2(reply.status == status, reply.describe());
    QCOMPARE(m_api->helpdeskDb().value(QStringLiteral("SELECT status FROM dashboard.tickets WHERE id = ?"), {id}).toString(), QStringLiteral("new"));
    QCOMPARE(m_api->helpdeskDb().value(QStringLiteral("SELECT count(*) FROM dashboard.ticket_activities WHERE kind = 'status_change'")).toInt(), 0);
}

void TestApiEndpoints::syncingAUserByGetOrPost()
{
    // With the engine stopped nothing but this request can sync the new user.
    m_api->sync().engine().stop();
    const qint64 user = m_api->sync().productSignsUp(QStringLiteral("hal@example.com"), QStringLiteral("Hal"));
    const HttpReply synced = m_api->get(QStringLiteral("/api/sync/users/%1/sync").arg(user), Role::Agent);
    QVERIFY2(synced.status == 200, synced.describe());
    QCOMPARE(synced.json().value(QStringLiteral("user_id")).toInteger(), user);
    QCOMPARE(synced.json().value(QStringLiteral("customer_id")).toInteger(), m_api->sync().customerOfUser(user));
    QCOMPARE(synced.json().value(QStringLiteral("action")).toString(), QStringLiteral("created_in_dashboard"));
    const HttpReply again = m_api->post(QStringLiteral("/api/sync/users/%1/sync").arg(user), {}, Role::Agent);
    QVERIFY2(again.status == 200, again.describe());
    QCOMPARE(again.json().value(QStringLiteral("action")).toString(), QStringLiteral("unchanged"));
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/users/555555/sync")).status, 404);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/users/abc/sync")).status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/users/%1/sync").arg(user), R"({"force": true})").status, 400);
}

void TestApiEndpoints::consistencyCheckRunsAndReports()
{
    QVERIFY(m_api->helpdeskDb().exec(QStringLiteral("INSERT INTO dashboard.customers (email) VALUES ('Dup@example.com'), ('dup@example.com')")));
    const HttpReply started = m_api->post(QStringLiteral("/api/sync/consistency-check"));
    QVERIFY2(started.status == 202, started.describe());
    const qint64 run = started.json().value(QStringLiteral("id")).toInteger();
    QVERIFY(run > 0);
    QCOMPARE(started.header("Location"), QByteArray("/api/sync/consistency-check/") + QByteArray::number(run));
    QJsonObject report;
    QTRY_VERIFY_WITH_TIMEOUT((report = m_api->get(QStringLiteral("/api/sync/consistency-check/%1").arg(run), Role::Viewer).json(),
                              report.value(QStringLiteral("status")).toString() == QLatin1String("completed")),
                             30000);
    QCOMPARE(report.value(QStringLiteral("id")).toInteger(), run);
    QVERIFY2(report.value(QStringLiteral("issues_found")).toInt() >= 1, QJsonDocument(report).toJson());
    QVERIFY(report.contains(QStringLiteral("report")));
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/consistency-check/99999")).status, 404);
    QCOMPARE(m_api->get(QStringLiteral("/api/sync/consistency-check/abc")).status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/consistency-check"), R"({"repair": true})").status, 400);
    QCOMPARE(m_api->post(QStringLiteral("/api/sync/consistency-check"), {}, Role::Agent).status, 403);
}

void TestApiEndpoints::consistencyCheckNeedsARunningEngine()
{
    m_api->sync().engine().stop();
    const HttpReply refused = m_api->post(QStringLiteral("/api/sync/consistency-check"));
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.errorCode(), QStringLiteral("unavailable"));
}

QTEST_GUILESS_MAIN(TestApiEndpoints)
#include "tst_apiendpoints.moc"
