#include "database/connectionprovider.h"
#include "demo/democontent.h"
#include "demo/demohistory.h"
#include "demo/demoseeder.h"
#include "demo/demotraffic.h"
#include "queries/throughputqueries.h"
#include "tasks/consistencychecker.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// `syncdesk --demo`: a believable, already-synchronised data set, then live traffic from both systems.
class TestDemoData final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedsBothSidesLinkedAndUncaptured();
    void sameSeedSameData();
    void seedingTwiceDoesNothing();
    void trafficLooksLikeBothSystemsAtWork();
    void everyConversationKeepsToItsStory_data();
    void everyConversationKeepsToItsStory();
    void aboutHalfNeedNoTicketAndScoreLow();
    void theDemoOpensOnADayOfHistory();

private:
    // Every conversation's problems with its story: lines off its topic, a second order number, a
    // ticket that tells another story. Empty when all are coherent.
    static QStringList incoherentConversations(TestDatabase &database);
    static Result<DemoSeedReport> seed(TestDatabase &database, quint32 seed);
    static QString fingerprint(TestDatabase &database);
};

Result<DemoSeedReport> TestDemoData::seed(TestDatabase &database, quint32 seed)
{
    DemoOptions options;
    options.seed = seed;
    QSqlDatabase db = database.db();
    return DemoSeeder(options).seed(db, db);
}

QString TestDemoData::fingerprint(TestDatabase &database)
{
    return database
        .value(QStringLiteral(
            "SELECT md5(string_agg(x, '|')) FROM ("
            " (SELECT email || full_name || coalesce(phone, '') AS x FROM backend.users ORDER BY id)"
            " UNION ALL (SELECT content FROM backend.messages ORDER BY id)"
            " UNION ALL (SELECT subject || status FROM dashboard.tickets ORDER BY id)) s"))
        .toString();
}

void TestDemoData::seedsBothSidesLinkedAndUncaptured()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    const auto report = seed(database, 42);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    QVERIFY(report->seeded);

    // A few hundred customers, most of them known to both systems.
    const int users = database.value(QStringLiteral("SELECT count(*) FROM backend.users")).toInt();
    const int customers = database.value(QStringLiteral("SELECT count(*) FROM dashboard.customers")).toInt();
    QVERIFY2(users >= 250 && customers >= 250,
             qPrintable(QStringLiteral("%1 users, %2 customers").arg(users).arg(customers)));
    const int linkedCustomers =
        database.value(QStringLiteral("SELECT count(*) FROM sync.links WHERE entity = 'customer'")).toInt();
    QCOMPARE(database
                 .value(QStringLiteral("SELECT count(*) FROM backend.users u JOIN dashboard.customers c "
                                       "ON c.email = u.email"))
                 .toInt(),
             linkedCustomers);
    QVERIFY(linkedCustomers < users); // some just signed up and are not in the helpdesk yet

    // Multi-turn conversations; tickets in every status, on both sides, linked with matching baselines.
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM backend.conversations")).toInt() >= 200);
    QVERIFY(
        database
            .value(QStringLiteral(
                "SELECT min(n) FROM (SELECT count(*) n FROM backend.messages GROUP BY conversation_id) s"))
            .toInt() >= 3);
    QCOMPARE(database.value(QStringLiteral("SELECT count(DISTINCT status) FROM dashboard.tickets")).toInt(),
             6);
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")),
             database.value(QStringLiteral("SELECT count(*) FROM backend.tickets")));
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.links l "
                                           "JOIN backend.tickets b ON b.id = l.backend_id "
                                           "JOIN dashboard.tickets d ON d.id = l.dashboard_id "
                                           "WHERE l.entity = 'ticket' AND b.status = d.status "
                                           "AND l.baseline->>'status' = d.status AND b.subject = d.subject")),
             database.value(QStringLiteral("SELECT count(*) FROM dashboard.tickets")));
    const QStringList categories =
        database
            .value(QStringLiteral("SELECT string_agg(DISTINCT category, ',' ORDER BY category) "
                                  "FROM dashboard.tickets"))
            .toString()
            .split(QLatin1Char(','));
    for (const char *category : {"account", "billing", "complaint", "order", "refund", "technical"})
        QVERIFY2(categories.contains(QLatin1String(category)), category);
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM dashboard.ticket_activities")).toInt() > 0);
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM sync.conversation_tickets")).toInt() > 0);

    // Seeded as SyncDesk's own writes: nothing waits in the outbox.
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt(), 0);
}

void TestDemoData::sameSeedSameData()
{
    TestDatabase first, second, other;
    QVERIFY2(first.isReady() && second.isReady() && other.isReady(), qPrintable(first.error()));
    QVERIFY(seed(first, 7).ok());
    QVERIFY(seed(second, 7).ok());
    QVERIFY(seed(other, 8).ok());
    QCOMPARE(fingerprint(first), fingerprint(second));
    QVERIFY(fingerprint(first) != fingerprint(other));
}

void TestDemoData::seedingTwiceDoesNothing()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(seed(database, 1).ok());
    const QString before = fingerprint(database);
    const auto again = seed(database, 2);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QVERIFY(!again->seeded);
    QCOMPARE(fingerprint(database), before);
}

void TestDemoData::trafficLooksLikeBothSystemsAtWork()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(seed(database, 42).ok());

    DemoOptions options;
    options.seed = 42;
    DemoTraffic traffic(database.connections(), database.connections(), options);
    for (int i = 0; i < 300; ++i) {
        const Status done = traffic.step();
        QVERIFY2(done.ok(), qPrintable(done.error()));
    }
    QCOMPARE(traffic.actionsPerformed(), 300);

    // Every kind of change a support organisation makes shows up as captured events on its side.
    const auto events = [&](const char *side, const char *entity, const char *operation) {
        return database
            .value(QStringLiteral(
                       "SELECT count(*) FROM sync.outbox WHERE side = ? AND entity = ? AND operation = ?"),
                   {QLatin1String(side), QLatin1String(entity), QLatin1String(operation)})
            .toInt();
    };
    QVERIFY(events("backend", "customer", "update") > 0); // profile edits in the product
    QVERIFY(events("backend", "customer", "insert") > 0); // sign-ups
    QVERIFY(events("backend", "conversation", "insert") > 0);
    QVERIFY(events("backend", "message", "insert") > 0);
    QVERIFY(events("dashboard", "customer", "update") > 0); // agents editing customers
    QVERIFY(events("dashboard", "ticket", "update") > 0);   // agents moving tickets
    QVERIFY(events("dashboard", "ticket", "insert") > 0);   // tickets from phone and e-mail

    // Now and then the same field on both sides, moments apart: a conflict in the making.
    QVERIFY(database
                .value(QStringLiteral("SELECT count(*) FROM sync.links l "
                                      "JOIN sync.outbox b ON b.side = 'backend' AND b.entity = 'customer' "
                                      "AND b.entity_id = l.backend_id "
                                      "  AND 'phone' = ANY (b.changed_columns) "
                                      "JOIN sync.outbox d ON d.side = 'dashboard' AND d.entity = 'customer' "
                                      "AND d.entity_id = l.dashboard_id "
                                      "  AND 'phone' = ANY (d.changed_columns) AND abs(d.id - b.id) = 1 "
                                      "WHERE l.entity = 'customer'"))
                .toInt() > 0);
}

namespace {

// What each kind of demo conversation is about, as a reader would judge it: its subject, and words of
// which every line of it names at least one. Written from the stories' meaning, not from their text.
struct Topic
{
    const char *subject;
    const char *words;
};

const Topic kTopics[] = {
    {"^(Charged twice for the .+|Double payment of .+)$", "charg|payment|paid|bank|statement|hold|billing"},
    {"^(Where to download invoices|Invoice for the .+)$", "invoice|pdf"},
    {"^(Invoice amount does not match the .+|Question about my .+ invoice)$",
     "invoice|plan|credit|prorat|difference|paid"},
    {"^Card declined on renewal of the .+$", "card|declin|renew|payment|address"},
    {"^(Refund for order .+|Refund for the broken .+)$", "refund|return|order|broken|money"},
    {"^(Refund not received for order .+|Status of my refund for the .+)$", "refund|return|order|money"},
    {"^(Return of the broken .+|Returning order .+)$", "return|refund|order|money"},
    {"^(Where is order .+\\?|Tracking for order .+ not updating)$",
     "order|tracking|arriv|deliver|parcel|carrier"},
    {"^Wrong item in order .+$", "order|item|wrong|report|form|mix-up"},
    {"^Change delivery address for order .+$", "address|order|deliver|ship"},
    {"^Cancel order .+$", "cancel|order"},
    {"^(Password reset e-mail not arriving|Can't log in to my account)$",
     "log in|reset|password|e-mail|spam|locked|access|back in|unlock"},
    {"^(Change the e-mail address of my account|How to update my e-mail address)$", "e-mail|address"},
    {"^(Account closure request|Delete my account and data)$", "delet|account|data|close|gdpr"},
    {"^(Suspicious login on my account|Someone logged into my account)$",
     "login|logged|password|account|verification|security|session"},
    {"^(Upload fails with .+|App crashes on upload, error .+)$",
     "upload|crash|updat|version|error|E-\\d+|ERR_\\w+|AUTH-\\d+"},
    {"^(Sync broken: .+|Sync stopped working)$", "sync|E-\\d+|ERR_\\w+|AUTH-\\d+"},
    {"^CSV export is empty$", "export|csv|filter|data"},
    {"^Not getting notifications$", "notification"},
    {"^(Complaint about delivery|.+ left in the rain)$",
     "deliver|driver|rain|box|damag|replace|courier|ruin|soaked|dry|dri"},
    {"^Unhappy with support response time$",
     "answer|e-mail|service|wait|support|call|cancel|review|delay|fixed|explained"},
    {"^(Question about opening hours|Support hours on weekends)$",
     "hour|open|weekend|sunday|saturday|monday|24/7"},
    {"^Shipping to Canada$", "canada|ship|deliver|checkout|order"},
    {"^Student discount on the .+$", "student|discount|university"},
    {"^Payment methods$", "pay|card|bank transfer"},
    {"^Warranty for the .+$", "warranty|guarantee"},
};

// The assistant's closing lines, which fit every story.
const QStringList kClosings{
    QStringLiteral("I understand. I'm handing this over to a member of our support team, who will get back "
                   "to you shortly."),
    QStringLiteral("You're welcome! Is there anything else I can help with?"),
    QStringLiteral("Of course. Just write here again if it still happens."),
};

} // namespace

QStringList TestDemoData::incoherentConversations(TestDatabase &database)
{
    static const QRegularExpression order(QStringLiteral("#\\d{5}-\\d{2}"));
    static const QRegularExpression amount(QStringLiteral("[$€]\\d+\\.\\d\\d"));
    static const QRegularExpression error(QStringLiteral("\\b(E-\\d+|ERR_\\w+|AUTH-\\d+)\\b"));
    QStringList problems;
    // Each conversation with its lines and the tickets made of it, on both sides.
    const auto conversations = database.rows(QStringLiteral(
        "SELECT c.id, c.subject, (SELECT json_agg(json_build_object('role', m.role, 'content', m.content) "
        " ORDER BY m.id) FROM backend.messages m WHERE m.conversation_id = c.id)::text, "
        "(SELECT json_agg(json_build_object('subject', t.subject, 'description', t.description))::text FROM ("
        " SELECT subject, description FROM backend.tickets WHERE conversation_id = c.id UNION ALL "
        " SELECT d.subject, d.description FROM sync.conversation_tickets ct JOIN dashboard.tickets d "
        " ON d.id = ct.dashboard_ticket_id WHERE ct.conversation_id = c.id) t) "
        "FROM backend.conversations c ORDER BY c.id"));
    for (const QVariantList &row : conversations) {
        const QString subject = row.at(1).toString();
        const QString where = QStringLiteral("conversation %1 \"%2\"").arg(row.at(0).toString(), subject);
        QList<const Topic *> topics;
        for (const Topic &topic : kTopics) {
            if (QRegularExpression(QString::fromUtf8(topic.subject)).match(subject).hasMatch())
                topics << &topic;
        }
        if (topics.size() != 1) {
            problems << QStringLiteral("%1: its subject names %2 topics").arg(where).arg(topics.size());
            continue;
        }
        const QRegularExpression words(QString::fromUtf8(topics.first()->words),
                                       QRegularExpression::CaseInsensitiveOption);
        const QJsonArray messages = QJsonDocument::fromJson(row.at(2).toString().toUtf8()).array();
        if (messages.isEmpty())
            problems << QStringLiteral("%1: no messages").arg(where);
        QString told = subject;
        for (const QJsonValue &message : messages) {
            const QString content = message[QLatin1String("content")].toString();
            told += QLatin1Char('\n') + content;
            if (!kClosings.contains(content) && !words.match(content).hasMatch())
                problems << QStringLiteral("%1: off its topic: %2: %3")
                                .arg(where, message[QLatin1String("role")].toString(), content);
        }
        // A ticket made of it tells the same story: its subject, and the customer's first words.
        for (const QJsonValue &ticket : QJsonDocument::fromJson(row.at(3).toString().toUtf8()).array()) {
            if (ticket[QLatin1String("subject")].toString() != subject)
                problems << QStringLiteral("%1: its ticket is \"%2\"")
                                .arg(where, ticket[QLatin1String("subject")].toString());
            if (ticket[QLatin1String("description")].toString() !=
                messages.first()[QLatin1String("content")].toString())
                problems << QStringLiteral("%1: its ticket describes \"%2\"")
                                .arg(where, ticket[QLatin1String("description")].toString());
            told += QLatin1Char('\n') + ticket[QLatin1String("subject")].toString() + QLatin1Char('\n') +
                    ticket[QLatin1String("description")].toString();
        }
        // One order, one amount, one error code per story, wherever it is named.
        for (const QRegularExpression *pattern : {&order, &amount, &error}) {
            QSet<QString> named;
            for (auto it = pattern->globalMatch(told); it.hasNext();)
                named.insert(it.next().captured(0));
            if (named.size() > 1)
                problems << QStringLiteral("%1: names %2")
                                .arg(where,
                                     QStringList(named.cbegin(), named.cend()).join(QStringLiteral(" and ")));
        }
    }
    return problems;
}

void TestDemoData::everyConversationKeepsToItsStory_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::newRow("the default seed") << quint32(42);
    QTest::newRow("seed 7") << quint32(7);
    QTest::newRow("seed 2026") << quint32(2026);
}

void TestDemoData::everyConversationKeepsToItsStory()
{
    QFETCH(quint32, seed);
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(TestDemoData::seed(database, seed).ok());
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM backend.conversations")).toInt() >= 200);
    QStringList problems = incoherentConversations(database);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 20).join(QLatin1Char('\n'))));

    // Live traffic starts conversations and continues them turn by turn: still each one story.
    DemoOptions options;
    options.seed = seed;
    const qint64 seeded =
        database.value(QStringLiteral("SELECT max(id) FROM backend.conversations")).toLongLong();
    DemoTraffic traffic(database.connections(), database.connections(), options);
    for (int i = 0; i < 600; ++i) {
        const Status done = traffic.step();
        QVERIFY2(done.ok(), qPrintable(done.error()));
    }
    const int continued =
        database
            .value(
                QStringLiteral("SELECT count(*) FROM (SELECT conversation_id FROM backend.messages "
                               "WHERE conversation_id > ? GROUP BY conversation_id HAVING count(*) > 2) s"),
                {seeded})
            .toInt();
    QVERIFY2(continued > 0, "some conversations went on past their first question and answer");
    problems = incoherentConversations(database);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 20).join(QLatin1Char('\n'))));
}

void TestDemoData::aboutHalfNeedNoTicketAndScoreLow()
{
    // The seeded conversations carry the shipped analyzer's verdicts; a person reading them agrees with
    // the story each one tells: answered questions score low, unhelped customers high, a few are unclear.
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(seed(database, 42).ok());
    const auto rows = database.rows(QStringLiteral(
        "SELECT c.id, u.email, a.confidence, a.result, EXISTS (SELECT 1 FROM sync.conversation_tickets ct "
        "WHERE ct.conversation_id = c.id) FROM backend.conversations c "
        "JOIN backend.users u ON u.id = c.user_id JOIN sync.analyses a ON a.conversation_id = c.id "
        "ORDER BY c.id"));
    const int conversations =
        database.value(QStringLiteral("SELECT count(*) FROM backend.conversations")).toInt();
    QCOMPARE(rows.size(), conversations); // every seeded conversation was analysed once
    int noTicket = 0, noTicketLow = 0, noTicketHigh = 0, needsTicket = 0, needsTicketHigh = 0, borderline = 0;
    int ticketsWithoutVerdict = 0;
    QList<int> histogram(10, 0);
    for (const QVariantList &row : rows) {
        const DemoConversation story =
            DemoContent::conversationFor(42, row.at(0).toLongLong(), row.at(1).toString());
        const double confidence = row.at(2).toDouble();
        histogram[qMin(9, int(confidence * 10))] += 1;
        if (story.needsTicket) {
            ++needsTicket;
            needsTicketHigh += confidence >= 0.7 ? 1 : 0;
        } else {
            ++noTicket;
            noTicketLow += confidence < 0.3 ? 1 : 0;
            noTicketHigh += confidence >= 0.7 ? 1 : 0;
        }
        borderline += confidence >= 0.3 && confidence < 0.7 ? 1 : 0;
        // A ticket exists only where the analyzer asked for one (the engine's automatic ticket).
        ticketsWithoutVerdict +=
            row.at(4).toBool() && row.at(3).toString() != QLatin1String("create_ticket") ? 1 : 0;
    }
    QStringList bars;
    for (int i = 0; i < 10; ++i)
        bars << QStringLiteral("%1-%2: %3").arg(i * 10).arg(i * 10 + 10).arg(histogram.at(i));
    qInfo().noquote() << "confidence of" << rows.size()
                      << "seeded conversations (%):" << bars.join(QStringLiteral(", "));
    qInfo().noquote() << noTicket << "need no ticket," << noTicketLow << "of them below 30 %," << noTicketHigh
                      << "at 70 % or more;" << needsTicket << "need one," << needsTicketHigh
                      << "of them at 70 % or more;" << borderline << "between 30 and 70 %";
    const double share = double(noTicket) / double(rows.size());
    QVERIFY2(share >= 0.45 && share <= 0.65, qPrintable(QString::number(share)));
    QVERIFY2(noTicketLow >= 0.7 * noTicket, "answered questions score low");
    QVERIFY2(noTicketHigh <= 0.1 * noTicket, "few answered questions become tickets");
    QVERIFY2(needsTicketHigh >= 0.8 * needsTicket, "customers left waiting score high");
    QVERIFY2(borderline >= 0.04 * rows.size() && borderline <= 0.25 * rows.size(),
             "some, not many, are unclear");
    QCOMPARE(ticketsWithoutVerdict, 0);
}

void TestDemoData::theDemoOpensOnADayOfHistory()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    DemoOptions options;
    options.history = true;
    QSqlDatabase db = database.db();
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const auto seeded = DemoSeeder(options).seed(db, db);
    QVERIFY2(seeded.ok(), qPrintable(seeded.error()));

    // The day's changes were all applied; nothing waits for the engine.
    QCOMPARE(
        database.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status <> 'done'")).toInt(), 0);
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt() > 10000);
    QVERIFY(database
                .value(QStringLiteral("SELECT min(captured_at) > now() - interval '24 hours 1 minute' "
                                      "AND max(processed_at) <= now() FROM sync.outbox"))
                .toBool());
    // Busy in office hours, quiet at night; the outage held the product's changes back, then they drained.
    ReadConnections read{db, db};
    const auto day = ThroughputQueries::history(read, QDateTime::currentDateTimeUtc().addSecs(5), 300, 288);
    QVERIFY2(day.ok(), qPrintable(day.error()));
    QCOMPARE(day->size(), 288);
    double busiest = 0, quietest = 1e9;
    qint64 deepest = 0;
    QDateTime deepestAt;
    for (const QJsonValue &period : day.value()) {
        busiest = qMax(busiest, period[QLatin1String("events_per_second")].toDouble());
        quietest = qMin(quietest, period[QLatin1String("events_per_second")].toDouble());
        if (period[QLatin1String("queued")].toInteger() > deepest) {
            deepest = period[QLatin1String("queued")].toInteger();
            deepestAt = QDateTime::fromString(period[QLatin1String("at")].toString(), Qt::ISODateWithMs);
        }
    }
    QVERIFY2(busiest > 5 * quietest && busiest > 1.0,
             qPrintable(QStringLiteral("%1 / %2").arg(busiest).arg(quietest)));
    const QDateTime outage = DemoHistory(options.seed, before, 1.0).outageStart();
    QVERIFY2(deepest > 100, qPrintable(QString::number(deepest)));
    QVERIFY2(
        deepestAt > outage && deepestAt <= outage.addSecs((DemoHistory::kOutageMinutes + 5) * 60),
        qPrintable(deepestAt.toString(Qt::ISODate) + QLatin1String(" vs ") + outage.toString(Qt::ISODate)));
    QCOMPARE(day->last()[QLatin1String("queued")].toInteger(), 0);

    // A check every hour, one of them during the outage with changes waiting; reports name real records.
    const auto runs = database.rows(
        QStringLiteral("SELECT count(*), count(*) FILTER (WHERE issues_found > repaired), "
                       "count(*) FILTER (WHERE issues_found > 0), "
                       "bool_and((details ->> 'run_id')::bigint = id) FROM sync.consistency_runs"));
    QVERIFY2(runs[0][0].toInt() >= 22, qPrintable(runs[0][0].toString()));
    QCOMPARE(runs[0][1].toInt(), 1);
    QVERIFY(runs[0][2].toInt() >= 3);
    QVERIFY(runs[0][3].toBool());
    QCOMPARE(
        database.value(QStringLiteral("SELECT count(*) FROM sync.consistency_runs r, "
                                      "jsonb_array_elements(r.details -> 'checks' -> 'unlinked_customers' "
                                      "-> 'examples') e JOIN backend.users u ON u.id = (e ->> 'id')::bigint "
                                      "AND u.full_name = e ->> 'name'")),
        database.value(QStringLiteral("SELECT count(*) FROM sync.consistency_runs r, "
                                      "jsonb_array_elements(r.details -> 'checks' -> 'unlinked_customers' "
                                      "-> 'examples') e")));

    // The day's conflicts: most settled, three waiting, and the records differ exactly there.
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM sync.conflicts WHERE status = 'resolved'"))
                .toInt() >= 10);
    const auto open = database.rows(QStringLiteral(
        "SELECT c.entity, c.field, c.backend_value #>> '{}', c.dashboard_value #>> '{}', l.paused_fields, "
        "CASE c.entity WHEN 'customer' THEN (SELECT u.email FROM backend.users u WHERE u.id = c.backend_id) "
        " ELSE (SELECT b.subject FROM backend.tickets b WHERE b.id = c.backend_id) END, "
        "CASE c.entity WHEN 'customer' "
        " THEN (SELECT d.email FROM dashboard.customers d WHERE d.id = c.dashboard_id) "
        " ELSE (SELECT d.subject FROM dashboard.tickets d WHERE d.id = c.dashboard_id) END "
        "FROM sync.conflicts c JOIN sync.links l ON l.id = c.link_id WHERE c.status = 'open' ORDER BY c.id"));
    QCOMPARE(open.size(), 3);
    for (const QVariantList &conflict : open) {
        QCOMPARE(conflict.at(2).toString(), conflict.at(5).toString()); // the product holds its value
        QCOMPARE(conflict.at(3).toString(), conflict.at(6).toString()); // the helpdesk its own
        QVERIFY(conflict.at(2) != conflict.at(3));
        QVERIFY2(conflict.at(4).toString().contains(conflict.at(1).toString()),
                 "the field waits for a person");
    }
    // Settled ones hold the value both systems have now.
    QCOMPARE(database
                 .value(QStringLiteral(
                     "SELECT count(*) FROM sync.conflicts c JOIN backend.users u ON u.id = c.backend_id "
                     "WHERE c.status = 'resolved' AND c.field = 'phone' AND c.resolved_value #>> '{}' IS "
                     "DISTINCT FROM u.phone"))
                 .toInt(),
             0);

    // And a check now finds nothing the day left wrong: no drift, no contradicting statuses.
    ConsistencyChecker checker(db);
    const qint64 run = checker.createRun(QStringLiteral("test")).value();
    const auto report = checker.run(run, false);
    QVERIFY2(report.ok(), qPrintable(report.error()));
    for (const ConsistencyFinding &finding : report->findings) {
        if (finding.check !=
            QLatin1String("unlinked_customers")) // sign-ups not in the helpdesk yet, as without history
            QVERIFY2(finding.found == 0, qPrintable(finding.check));
    }

    // The same seed gives the same day.
    const QDateTime now =
        QDateTime::fromString(QStringLiteral("2026-11-30T12:34:56.000Z"), Qt::ISODateWithMs);
    QString days[2];
    for (QString &day : days) {
        TestDatabase fresh;
        QSqlDatabase same = fresh.db();
        QVERIFY(seed(fresh, 42).ok());
        QVERIFY(fresh.exec(QStringLiteral("BEGIN")) &&
                fresh.exec(QStringLiteral("SET LOCAL syncdesk.origin = 'demo-seed'")));
        const Status written = DemoHistory(42, now, 1.0).write(same, same);
        QVERIFY2(written.ok(), qPrintable(written.error()));
        QVERIFY(fresh.exec(QStringLiteral("COMMIT")));
        day = fresh
                  .value(QStringLiteral("SELECT md5((SELECT string_agg(entity || entity_id || operation || "
                                        "captured_at || processed_at, ',' "
                                        "ORDER BY id) FROM sync.outbox) || (SELECT string_agg(field || "
                                        "backend_value::text || status, ',' "
                                        "ORDER BY id) FROM sync.conflicts) || (SELECT string_agg(started_at "
                                        "|| details::text, ',' ORDER BY id) "
                                        "FROM sync.consistency_runs))"))
                  .toString();
    }
    QVERIFY(!days[0].isEmpty());
    QCOMPARE(days[1], days[0]);
}

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demodata.moc"
