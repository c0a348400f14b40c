#include "demo/demoseeder.h"

#include "analyzer/conversationanalyzer.h"
#include "core/logging.h"
#include "database/sql.h"
#include "demo/democontent.h"
#include "demo/demohistory.h"
#include "demo/demorows.h"
#include "sync/analysisstore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <optional>

namespace syncdesk {

namespace {

using demorows::iso;
using demorows::json;

// One transaction per database, tagged so the capture triggers ignore it.
Status begin(QSqlDatabase &db)
{
    Status done = sql::exec(db, QStringLiteral("BEGIN"));
    return done ? sql::exec(db, QStringLiteral("SET LOCAL syncdesk.origin = 'demo-seed'")) : done;
}

struct SeedData
{
    QJsonArray users, customers, conversations, messages, backendTickets, dashboardTickets, activities,
        notifications, links, conversationTickets, analyses;
};

const QStringList kTicketStatuses{QStringLiteral("new"),      QStringLiteral("open"),
                                  QStringLiteral("open"),     QStringLiteral("pending"),
                                  QStringLiteral("on_hold"),  QStringLiteral("resolved"),
                                  QStringLiteral("resolved"), QStringLiteral("closed")};

QString conversationStatusFor(const QString &ticketStatus)
{
    if (ticketStatus == QLatin1String("resolved"))
        return QStringLiteral("resolved");
    if (ticketStatus == QLatin1String("closed"))
        return QStringLiteral("closed");
    return QStringLiteral("escalated");
}

} // namespace

DemoSeeder::DemoSeeder(DemoOptions options)
    : m_options(options)
{}

Result<DemoSeedReport> DemoSeeder::seed(QSqlDatabase &backend, QSqlDatabase &dashboard) const
{
    using Report = Result<DemoSeedReport>;
    auto existing = sql::scalar(backend, QStringLiteral("SELECT EXISTS (SELECT 1 FROM backend.users)"));
    if (!existing)
        return Report::failure(existing.error());
    if (existing.value().toBool())
        return Report::success(DemoSeedReport{});

    QRandomGenerator random(m_options.seed);
    DemoContent content(random);
    // Without its model the demo still seeds; tickets then follow the conversations' own outcome.
    const auto analyzer = ConversationAnalyzer::load();
    if (!analyzer)
        qCWarning(lcDemo).noquote() << "demo conversations are seeded without analyses:" << analyzer.error();
    SeedData data;
    DemoSeedReport report;
    report.seeded = true;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    qint64 nextConversation = 1, nextMessage = 1, nextBackendTicket = 1, nextDashboardTicket = 7001;
    qint64 nextDashboardCustomer = 5001;

    for (int i = 1; i <= m_options.customers; ++i) {
        const DemoPerson person = content.person(i);
        const double presence = random.generateDouble();
        const bool inBackend = presence < 0.97; // 3% exist only in the helpdesk (created by agents)
        const bool inDashboard = presence < 0.93 || presence >= 0.97; // 4% signed up, not synced yet
        const QDateTime created = now.addSecs(-qint64(random.bounded(3600 * 24 * 700)));
        const qint64 userId = i;
        const qint64 customerId = inDashboard ? nextDashboardCustomer++ : 0;
        const QJsonArray tags = QJsonArray::fromStringList(person.tags);
        if (inBackend) {
            data.users.append(
                QJsonObject{{QStringLiteral("id"), userId},
                            {QStringLiteral("email"), person.email},
                            {QStringLiteral("full_name"), person.fullName},
                            {QStringLiteral("phone"), person.phone},
                            {QStringLiteral("company"),
                             person.company.isEmpty() ? QJsonValue() : QJsonValue(person.company)},
                            {QStringLiteral("locale"), person.locale},
                            {QStringLiteral("tags"), tags},
                            {QStringLiteral("created_at"), iso(created)}});
        }
        if (inDashboard) {
            data.customers.append(
                QJsonObject{{QStringLiteral("id"), customerId},
                            {QStringLiteral("email"), person.email},
                            {QStringLiteral("name"), person.fullName},
                            {QStringLiteral("phone"), person.phone},
                            {QStringLiteral("company"),
                             person.company.isEmpty() ? QJsonValue() : QJsonValue(person.company)},
                            {QStringLiteral("locale"), person.locale},
                            {QStringLiteral("tags"), tags},
                            {QStringLiteral("notes"), random.bounded(4) == 0 ? content.note() : QString()},
                            {QStringLiteral("created_at"), iso(created.addSecs(30))}});
        }
        if (inBackend && inDashboard) {
            const QJsonObject baseline{{QStringLiteral("email"), person.email},
                                       {QStringLiteral("name"), person.fullName},
                                       {QStringLiteral("phone"), person.phone},
                                       {QStringLiteral("company"),
                                        person.company.isEmpty() ? QJsonValue() : QJsonValue(person.company)},
                                       {QStringLiteral("locale"), person.locale},
                                       {QStringLiteral("tags"), tags}};
            data.links.append(QJsonObject{{QStringLiteral("entity"), QStringLiteral("customer")},
                                          {QStringLiteral("backend_id"), userId},
                                          {QStringLiteral("dashboard_id"), customerId},
                                          {QStringLiteral("baseline"), baseline}});
        }
        if (!inBackend)
            continue;

        // Conversations with the AI assistant, analysed as they arrived; those the analyzer sent to a
        // person became tickets (the engine's automatic tickets), of customers the helpdesk knows.
        const int conversations = int(random.bounded(4));
        for (int c = 0; c < conversations; ++c) {
            const qint64 conversationId = nextConversation++;
            const DemoConversation conversation =
                DemoContent::conversationFor(m_options.seed, conversationId, person.email);
            const qint64 ageSeconds = qMin<qint64>(created.secsTo(now), 3600LL * 24 * 120);
            QDateTime at = now.addSecs(-qint64(random.bounded(quint32(qMax<qint64>(ageSeconds, 600)))));
            const QDateTime startedAt = at;
            QList<AnalyzedMessage> analyzed;
            for (const DemoMessage &message : conversation.messages) {
                data.messages.append(QJsonObject{{QStringLiteral("id"), nextMessage++},
                                                 {QStringLiteral("conversation_id"), conversationId},
                                                 {QStringLiteral("role"), message.role},
                                                 {QStringLiteral("content"), message.content},
                                                 {QStringLiteral("created_at"), iso(at)}});
                analyzed << AnalyzedMessage{
                    AnalyzedMessage::roleFromString(message.role).value_or(AnalyzedMessage::Role::Customer),
                    message.content, at};
                at = at.addSecs(20 + random.bounded(160));
                ++report.messages;
            }
            std::optional<Analysis> analysis;
            if (analyzer) {
                analysis = analyzer->analyze(analyzed);
                data.analyses.append(AnalysisStore::row(*analysis, conversationId, int(analyzed.size()), at));
            }
            const bool becameTicket =
                inDashboard &&
                (analysis ? analysis->result == AnalysisResult::CreateTicket : conversation.needsTicket);
            QString conversationStatus =
                random.bounded(5) == 0 ? QStringLiteral("closed") : QStringLiteral("resolved");
            // Handed over, or left for a person to look at.
            if (conversation.needsTicket || (analysis && analysis->result == AnalysisResult::NeedsReview))
                conversationStatus = QStringLiteral("waiting");
            if (startedAt.secsTo(now) < 3600 * 6)
                conversationStatus = QStringLiteral("active");
            if (becameTicket) {
                const QString status =
                    kTicketStatuses.at(int(random.bounded(quint32(kTicketStatuses.size()))));
                conversationStatus = conversationStatusFor(status);
                const qint64 backendTicketId = nextBackendTicket++;
                const qint64 dashboardTicketId = nextDashboardTicket++;
                const QString description = conversation.messages.constFirst().content;
                const QString assignee = status == QLatin1String("new") ? QString() : content.agent();
                const QDateTime ticketAt = at;
                data.backendTickets.append(QJsonObject{{QStringLiteral("id"), backendTicketId},
                                                       {QStringLiteral("user_id"), userId},
                                                       {QStringLiteral("conversation_id"), conversationId},
                                                       {QStringLiteral("subject"), conversation.subject},
                                                       {QStringLiteral("description"), description},
                                                       {QStringLiteral("status"), status},
                                                       {QStringLiteral("priority"), conversation.priority},
                                                       {QStringLiteral("category"), conversation.category},
                                                       {QStringLiteral("created_at"), iso(ticketAt)}});
                data.dashboardTickets.append(QJsonObject{
                    {QStringLiteral("id"), dashboardTicketId},
                    {QStringLiteral("customer_id"), customerId},
                    {QStringLiteral("subject"), conversation.subject},
                    {QStringLiteral("description"), description},
                    {QStringLiteral("status"), status},
                    {QStringLiteral("priority"), conversation.priority},
                    {QStringLiteral("category"), conversation.category},
                    {QStringLiteral("assignee"), assignee.isEmpty() ? QJsonValue() : QJsonValue(assignee)},
                    {QStringLiteral("source"), QStringLiteral("ai_agent")},
                    {QStringLiteral("created_at"), iso(ticketAt)}});
                data.links.append(
                    QJsonObject{{QStringLiteral("entity"), QStringLiteral("ticket")},
                                {QStringLiteral("backend_id"), backendTicketId},
                                {QStringLiteral("dashboard_id"), dashboardTicketId},
                                {QStringLiteral("baseline"),
                                 QJsonObject{{QStringLiteral("subject"), conversation.subject},
                                             {QStringLiteral("description"), description},
                                             {QStringLiteral("status"), status},
                                             {QStringLiteral("priority"), conversation.priority},
                                             {QStringLiteral("category"), conversation.category}}}});
                data.conversationTickets.append(
                    QJsonObject{{QStringLiteral("conversation_id"), conversationId},
                                {QStringLiteral("backend_ticket_id"), backendTicketId},
                                {QStringLiteral("dashboard_ticket_id"), dashboardTicketId}});
                data.activities.append(
                    QJsonObject{{QStringLiteral("ticket_id"), dashboardTicketId},
                                {QStringLiteral("actor"), QStringLiteral("syncdesk")},
                                {QStringLiteral("kind"), QStringLiteral("created")},
                                {QStringLiteral("new_value"), QStringLiteral("new")},
                                {QStringLiteral("body"), QStringLiteral("Created from an AI conversation")},
                                {QStringLiteral("created_at"), iso(ticketAt)}});
                if (status != QLatin1String("new")) {
                    data.activities.append(QJsonObject{
                        {QStringLiteral("ticket_id"), dashboardTicketId},
                        {QStringLiteral("actor"), assignee},
                        {QStringLiteral("kind"), QStringLiteral("status_change")},
                        {QStringLiteral("old_value"), QStringLiteral("new")},
                        {QStringLiteral("new_value"), status},
                        {QStringLiteral("created_at"), iso(ticketAt.addSecs(600 + random.bounded(7200)))}});
                }
                if (status == QLatin1String("resolved") || status == QLatin1String("closed")) {
                    data.notifications.append(QJsonObject{
                        {QStringLiteral("user_id"), userId},
                        {QStringLiteral("ticket_id"), backendTicketId},
                        {QStringLiteral("kind"), QStringLiteral("ticket_status")},
                        {QStringLiteral("title"), QStringLiteral("Your request was %1").arg(status)},
                        {QStringLiteral("body"), conversation.subject},
                        {QStringLiteral("created_at"), iso(ticketAt.addSecs(7200))}});
                }
                ++report.tickets;
            }
            data.conversations.append(QJsonObject{{QStringLiteral("id"), conversationId},
                                                  {QStringLiteral("user_id"), userId},
                                                  {QStringLiteral("channel"), conversation.channel},
                                                  {QStringLiteral("status"), conversationStatus},
                                                  {QStringLiteral("subject"), conversation.subject},
                                                  {QStringLiteral("started_at"), iso(startedAt)},
                                                  {QStringLiteral("last_message_at"), iso(at)}});
            ++report.conversations;
        }
    }
    report.customers = m_options.customers;

    const bool oneDatabase = backend.connectionName() == dashboard.connectionName();
    const auto fail = [&](const QString &what, const Status &status) {
        sql::exec(backend, QStringLiteral("ROLLBACK"));
        if (!oneDatabase)
            sql::exec(dashboard, QStringLiteral("ROLLBACK"));
        return Report::failure(QStringLiteral("seeding demo data failed (%1): %2").arg(what, status.error()));
    };
    if (Status started = begin(backend); !started)
        return fail(QStringLiteral("begin"), started);
    if (!oneDatabase) {
        if (Status started = begin(dashboard); !started)
            return fail(QStringLiteral("begin"), started);
    }

    struct Step
    {
        QSqlDatabase *db;
        const char *what;
        const char *statement;
        const QJsonArray *rows;
    };
    const QList<Step> steps{
        {&backend, "users",
         "INSERT INTO backend.users (id, email, full_name, phone, company, locale, tags, created_at, "
         "updated_at) "
         "SELECT id, email, full_name, phone, company, locale, tags, created_at, created_at FROM "
         "jsonb_to_recordset(?::jsonb) "
         "AS r(id bigint, email text, full_name text, phone text, company text, locale text, tags text[], "
         "created_at timestamptz)",
         &data.users},
        {&dashboard, "customers",
         "INSERT INTO dashboard.customers (id, email, name, phone, company, locale, tags, notes, created_at, "
         "updated_at) "
         "SELECT id, email, name, phone, company, locale, tags, notes, created_at, created_at FROM "
         "jsonb_to_recordset(?::jsonb) "
         "AS r(id bigint, email text, name text, phone text, company text, locale text, tags text[], notes "
         "text, created_at timestamptz)",
         &data.customers},
        {&backend, "conversations",
         "INSERT INTO backend.conversations (id, user_id, channel, status, subject, started_at, updated_at, "
         "last_message_at) "
         "SELECT id, user_id, channel, status, subject, started_at, last_message_at, last_message_at FROM "
         "jsonb_to_recordset(?::jsonb) "
         "AS r(id bigint, user_id bigint, channel text, status text, subject text, started_at timestamptz, "
         "last_message_at timestamptz)",
         &data.conversations},
        {&backend, "messages",
         "INSERT INTO backend.messages (id, conversation_id, role, content, created_at) "
         "SELECT id, conversation_id, role, content, created_at FROM jsonb_to_recordset(?::jsonb) "
         "AS r(id bigint, conversation_id bigint, role text, content text, created_at timestamptz)",
         &data.messages},
        {&backend, "backend tickets",
         "INSERT INTO backend.tickets (id, user_id, conversation_id, subject, description, status, priority, "
         "category, created_at, updated_at) "
         "SELECT id, user_id, conversation_id, subject, description, status, priority, category, created_at, "
         "created_at "
         "FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, user_id bigint, conversation_id bigint, subject "
         "text, "
         "description text, status text, priority text, category text, created_at timestamptz)",
         &data.backendTickets},
        {&dashboard, "dashboard tickets",
         "INSERT INTO dashboard.tickets (id, customer_id, subject, description, status, priority, category, "
         "assignee, source, created_at, updated_at) "
         "SELECT id, customer_id, subject, description, status, priority, category, assignee, source, "
         "created_at, created_at "
         "FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, customer_id bigint, subject text, description "
         "text, "
         "status text, priority text, category text, assignee text, source text, created_at timestamptz)",
         &data.dashboardTickets},
        {&dashboard, "ticket activities",
         "INSERT INTO dashboard.ticket_activities (ticket_id, actor, kind, old_value, new_value, body, "
         "created_at) "
         "SELECT ticket_id, actor, kind, old_value, new_value, coalesce(body, ''), created_at FROM "
         "jsonb_to_recordset(?::jsonb) "
         "AS r(ticket_id bigint, actor text, kind text, old_value text, new_value text, body text, "
         "created_at timestamptz)",
         &data.activities},
        {&backend, "notifications",
         "INSERT INTO backend.notifications (user_id, ticket_id, kind, title, body, created_at) "
         "SELECT user_id, ticket_id, kind, title, body, created_at FROM jsonb_to_recordset(?::jsonb) "
         "AS r(user_id bigint, ticket_id bigint, kind text, title text, body text, created_at timestamptz)",
         &data.notifications},
        {&backend, "links",
         "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline, synced_at) "
         "SELECT entity, backend_id, dashboard_id, baseline, now() FROM jsonb_to_recordset(?::jsonb) "
         "AS r(entity text, backend_id bigint, dashboard_id bigint, baseline jsonb)",
         &data.links},
        {&backend, "conversation tickets",
         "INSERT INTO sync.conversation_tickets (conversation_id, backend_ticket_id, dashboard_ticket_id, "
         "link_kind, linked_by) "
         "SELECT conversation_id, backend_ticket_id, dashboard_ticket_id, 'created', 'demo' FROM "
         "jsonb_to_recordset(?::jsonb) "
         "AS r(conversation_id bigint, backend_ticket_id bigint, dashboard_ticket_id bigint)",
         &data.conversationTickets},
    };
    // Analyses are SyncDesk's own table, with its own statement.
    const auto storeAnalyses = [&]() { return AnalysisStore::insert(backend, data.analyses); };
    for (const Step &step : steps) {
        if (Status done = sql::exec(*step.db, QString::fromLatin1(step.statement), {json(*step.rows)}); !done)
            return fail(QString::fromLatin1(step.what), done);
    }
    if (Status stored = storeAnalyses(); !stored)
        return fail(QStringLiteral("analyses"), stored);
    if (m_options.history) {
        if (Status written =
                DemoHistory(m_options.seed, now, m_options.customers / 300.0).write(backend, dashboard);
            !written)
            return fail(QStringLiteral("the day before"), written);
    }
    // Explicit ids were inserted; move the identity sequences past them.
    const QList<QPair<QSqlDatabase *, const char *>> sequences{
        {&backend, "backend.users"},         {&backend, "backend.conversations"},
        {&backend, "backend.messages"},      {&backend, "backend.tickets"},
        {&dashboard, "dashboard.customers"}, {&dashboard, "dashboard.tickets"}};
    for (const auto &[db, table] : sequences) {
        const QString statement = QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), "
                                                 "greatest((SELECT max(id) FROM %1), 1))")
                                      .arg(QLatin1String(table));
        if (Status done = sql::exec(*db, statement); !done)
            return fail(QStringLiteral("sequences"), done);
    }
    if (!oneDatabase) {
        if (Status committed = sql::exec(dashboard, QStringLiteral("COMMIT")); !committed)
            return fail(QStringLiteral("commit"), committed);
    }
    if (Status committed = sql::exec(backend, QStringLiteral("COMMIT")); !committed)
        return fail(QStringLiteral("commit"), committed);
    qCInfo(lcDemo).noquote() << "seeded demo data:" << report.customers << "customers,"
                             << report.conversations << "conversations," << report.messages << "messages,"
                             << report.tickets << "tickets";
    return Report::success(report);
}

} // namespace syncdesk
