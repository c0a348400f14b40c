#include "demo/demotraffic.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace syncdesk {

namespace {

// Runs `body` in one transaction; rolls back when it fails.
template<typename Body>
Status inTransaction(QSqlDatabase &db, Body body)
{
    if (Status begun = sql::exec(db, QStringLiteral("BEGIN")); !begun)
        return begun;
    Status done = body();
    if (done)
        done = sql::exec(db, QStringLiteral("COMMIT"));
    if (!done)
        sql::exec(db, QStringLiteral("ROLLBACK"));
    return done;
}

const QStringList kStatusFlow{QStringLiteral("new"), QStringLiteral("open"), QStringLiteral("pending"),
                              QStringLiteral("resolved"), QStringLiteral("closed")};

QString nextStatus(const QString &status, QRandomGenerator &random)
{
    if (status == QLatin1String("on_hold"))
        return QStringLiteral("open");
    if (status == QLatin1String("resolved"))
        return random.bounded(4) == 0 ? QStringLiteral("open")
                                      : QStringLiteral("closed"); // sometimes reopened
    if (status == QLatin1String("open") && random.bounded(6) == 0)
        return QStringLiteral("on_hold");
    const qsizetype at = kStatusFlow.indexOf(status);
    return at >= 0 && at + 1 < kStatusFlow.size() ? kStatusFlow.at(at + 1) : QStringLiteral("open");
}

} // namespace

DemoTraffic::DemoTraffic(std::shared_ptr<ConnectionProvider> backend,
                         std::shared_ptr<ConnectionProvider> dashboard, DemoOptions options, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
    , m_dashboard(std::move(dashboard))
    , m_options(options)
    , m_random(options.seed ^ 0x5eed7aff1cU)
    , m_content(m_random)
{}

DemoTraffic::~DemoTraffic() = default;

void DemoTraffic::start()
{
    if (m_options.rate <= 0)
        return;
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, [this]() {
            if (Status done = step(); !done) {
                // A stopped database is reported once per outage, not at every tick.
                if (m_failuresInRow++ == 0) {
                    qCWarning(lcDemo).noquote() << "demo traffic:" << done.error();
                    Q_EMIT actionFailed(done.error());
                }
            } else {
                m_failuresInRow = 0;
            }
        });
    }
    m_timer->start(qMax(1, int(1000.0 / m_options.rate)));
}

void DemoTraffic::stop()
{
    if (m_timer)
        m_timer->stop();
}

Status DemoTraffic::step()
{
    auto backend = m_backend->database();
    if (!backend)
        return Status::failure(backend.error());
    auto dashboard = m_dashboard->database();
    if (!dashboard)
        return Status::failure(dashboard.error());
    const int roll = m_random.bounded(100);
    Status done = Status::success();
    if (roll < 24)
        done = editBackendProfile(backend.value());
    else if (roll < 42)
        done = editDashboardCustomer(dashboard.value());
    else if (roll < 58)
        done = changeTicketStatus(dashboard.value());
    else if (roll < 70)
        done = startConversation(backend.value());
    else if (roll < 84)
        done = continueConversation(backend.value());
    else if (roll < 89)
        done = editSameFieldOnBothSides(backend.value(), dashboard.value());
    else if (roll < 95)
        done = signUpCustomer(backend.value());
    else
        done = createAgentTicket(dashboard.value());
    if (done)
        ++m_actions;
    return done;
}

Result<qint64> DemoTraffic::randomId(QSqlDatabase &db, const QString &table, const QString &where)
{
    // Jump to a random point of the id range instead of ORDER BY random(), which reads the whole table.
    const QString filter = where.isEmpty() ? QString() : QStringLiteral(" AND (%1)").arg(where);
    auto bounds =
        sql::run(db, QStringLiteral("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM %1").arg(table));
    if (!bounds)
        return Result<qint64>::failure(bounds.error());
    bounds.value().next();
    const qint64 low = bounds.value().value(0).toLongLong();
    const qint64 high = bounds.value().value(1).toLongLong();
    if (high == 0)
        return Result<qint64>::success(0);
    const qint64 start = low + qint64(m_random.bounded(quint64(high - low + 1)));
    auto id = sql::run(db,
                       QStringLiteral("(SELECT id FROM %1 WHERE id >= ?%2 ORDER BY id LIMIT 1) UNION ALL "
                                      "(SELECT id FROM %1 WHERE id < ?%2 ORDER BY id LIMIT 1) LIMIT 1")
                           .arg(table, filter),
                       {start, start});
    if (!id)
        return Result<qint64>::failure(id.error());
    return Result<qint64>::success(id.value().next() ? id.value().value(0).toLongLong() : 0);
}

Status DemoTraffic::editBackendProfile(QSqlDatabase &backend)
{
    auto user = randomId(backend, QStringLiteral("backend.users"));
    if (!user || user.value() == 0)
        return user ? Status::success() : Status::failure(user.error());
    switch (m_random.bounded(4)) {
    case 0:
        return sql::exec(backend, QStringLiteral("UPDATE backend.users SET phone = ? WHERE id = ?"),
                         {m_content.phone(QStringLiteral("en")), user.value()});
    case 1:
        return sql::exec(backend, QStringLiteral("UPDATE backend.users SET company = ? WHERE id = ?"),
                         {m_content.company(), user.value()});
    case 2:
        return sql::exec(backend, QStringLiteral("UPDATE backend.users SET locale = ? WHERE id = ?"),
                         {QStringList{QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}.at(
                              m_random.bounded(3)),
                          user.value()});
    default:
        return sql::exec(
            backend,
            QStringLiteral("UPDATE backend.users SET tags = CASE WHEN 'newsletter' = ANY (tags) "
                           "THEN array_remove(tags, 'newsletter') ELSE tags || 'newsletter'::text END "
                           "WHERE id = ?"),
            {user.value()});
    }
}

Status DemoTraffic::editDashboardCustomer(QSqlDatabase &dashboard)
{
    auto customer = randomId(dashboard, QStringLiteral("dashboard.customers"));
    if (!customer || customer.value() == 0)
        return customer ? Status::success() : Status::failure(customer.error());
    switch (m_random.bounded(3)) {
    case 0:
        return sql::exec(dashboard, QStringLiteral("UPDATE dashboard.customers SET notes = ? WHERE id = ?"),
                         {m_content.note(), customer.value()});
    case 1:
        return sql::exec(dashboard, QStringLiteral("UPDATE dashboard.customers SET phone = ? WHERE id = ?"),
                         {m_content.phone(QStringLiteral("de")), customer.value()});
    default:
        return sql::exec(
            dashboard,
            QStringLiteral("UPDATE dashboard.customers SET tags = CASE WHEN 'vip' = ANY (tags) "
                           "THEN array_remove(tags, 'vip') ELSE tags || 'vip'::text END WHERE id = ?"),
            {customer.value()});
    }
}

Status DemoTraffic::changeTicketStatus(QSqlDatabase &dashboard)
{
    auto ticket =
        randomId(dashboard, QStringLiteral("dashboard.tickets"), QStringLiteral("status <> 'closed'"));
    if (!ticket || ticket.value() == 0)
        return ticket ? Status::success() : Status::failure(ticket.error());
    return inTransaction(dashboard, [&]() -> Status {
        auto current =
            sql::run(dashboard,
                     QStringLiteral("SELECT status, assignee FROM dashboard.tickets WHERE id = ? FOR UPDATE"),
                     {ticket.value()});
        if (!current)
            return Status::failure(current.error());
        if (!current.value().next())
            return Status::success();
        const QString from = current.value().value(0).toString();
        const QString to = nextStatus(from, m_random);
        const QString agent =
            current.value().value(1).isNull() ? m_content.agent() : current.value().value(1).toString();
        Status done = sql::exec(
            dashboard, QStringLiteral("UPDATE dashboard.tickets SET status = ?, assignee = ? WHERE id = ?"),
            {to, agent, ticket.value()});
        if (!done)
            return done;
        return sql::exec(
            dashboard,
            QStringLiteral(
                "INSERT INTO dashboard.ticket_activities (ticket_id, actor, kind, old_value, new_value) "
                "VALUES (?, ?, 'status_change', ?, ?)"),
            {ticket.value(), agent, from, to});
    });
}

Status DemoTraffic::startConversation(QSqlDatabase &backend)
{
    auto user = randomId(backend, QStringLiteral("backend.users"));
    if (!user || user.value() == 0)
        return user ? Status::success() : Status::failure(user.error());
    return inTransaction(backend, [&]() -> Status {
        // The id first: the conversation's whole story follows from it, so later turns continue it.
        auto id = sql::scalar(
            backend, QStringLiteral("SELECT nextval(pg_get_serial_sequence('backend.conversations', 'id'))"));
        auto email = sql::scalar(backend, QStringLiteral("SELECT email FROM backend.users WHERE id = ?"),
                                 {user.value()});
        if (!id || !email)
            return Status::failure(id ? email.error() : id.error());
        const DemoConversation conversation =
            DemoContent::conversationFor(m_options.seed, id.value().toLongLong(), email.value().toString());
        Status done = sql::exec(
            backend,
            QStringLiteral(
                "INSERT INTO backend.conversations (id, user_id, channel, status, subject, last_message_at) "
                "VALUES (?, ?, ?, 'active', ?, now())"),
            {id.value(), user.value(), conversation.channel, conversation.subject});
        // A conversation arrives while it is happening: the customer's question, the assistant's answer
        // and what the customer made of it now (what the analysis first reads), the rest turn by turn.
        return done ? addTurns(backend, id.value().toLongLong(), conversation, 0, 3) : done;
    });
}

Status DemoTraffic::continueConversation(QSqlDatabase &backend)
{
    auto conversation =
        randomId(backend, QStringLiteral("backend.conversations"), QStringLiteral("status = 'active'"));
    if (!conversation || conversation.value() == 0)
        return conversation ? Status::success() : Status::failure(conversation.error());
    return inTransaction(backend, [&]() -> Status {
        auto written = sql::run(
            backend,
            QStringLiteral("SELECT u.email, (SELECT count(*) FROM backend.messages m WHERE "
                           "m.conversation_id = c.id) FROM backend.conversations c JOIN backend.users u "
                           "ON u.id = c.user_id WHERE c.id = ? FOR UPDATE OF c"),
            {conversation.value()});
        if (!written)
            return Status::failure(written.error());
        if (!written.value().next())
            return Status::success();
        const DemoConversation story = DemoContent::conversationFor(m_options.seed, conversation.value(),
                                                                    written.value().value(0).toString());
        const int count = written.value().value(1).toInt();
        if (count >= story.messages.size()) {
            // The story is told: the customer was helped, or waits for a person.
            return sql::exec(
                backend,
                QStringLiteral(
                    "UPDATE backend.conversations SET status = ?, updated_at = now() WHERE id = ?"),
                {story.needsTicket ? QStringLiteral("waiting") : QStringLiteral("resolved"),
                 conversation.value()});
        }
        // The customer's next turn and the assistant's answer to it, which comes at once.
        const bool answered = count + 1 < story.messages.size() &&
                              story.messages.at(count + 1).role == QLatin1String("assistant");
        return addTurns(backend, conversation.value(), story, count, answered ? 2 : 1);
    });
}

Status DemoTraffic::addTurns(QSqlDatabase &backend, qint64 conversationId,
                             const DemoConversation &conversation, int first, int count)
{
    QJsonArray rows;
    for (int i = first; i < first + count && i < conversation.messages.size(); ++i) {
        rows.append(QJsonObject{{QStringLiteral("role"), conversation.messages.at(i).role},
                                {QStringLiteral("content"), conversation.messages.at(i).content},
                                {QStringLiteral("n"), i - first}});
    }
    Status done =
        sql::exec(backend,
                  QStringLiteral("INSERT INTO backend.messages (conversation_id, role, content, created_at) "
                                 "SELECT ?, role, content, now() + n * interval '1 millisecond' "
                                 "FROM jsonb_to_recordset(?::jsonb) AS r(role text, content text, n int)"),
                  {conversationId, QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact))});
    if (!done)
        return done;
    return sql::exec(backend,
                     QStringLiteral("UPDATE backend.conversations SET last_message_at = now() WHERE id = ?"),
                     {conversationId});
}

Status DemoTraffic::editSameFieldOnBothSides(QSqlDatabase &backend, QSqlDatabase &dashboard)
{
    auto link = randomId(
        backend, QStringLiteral("sync.links"),
        QStringLiteral("entity = 'customer' AND backend_id IS NOT NULL AND dashboard_id IS NOT NULL"));
    if (!link || link.value() == 0)
        return link ? Status::success() : Status::failure(link.error());
    auto pair =
        sql::run(backend, QStringLiteral("SELECT backend_id, dashboard_id FROM sync.links WHERE id = ?"),
                 {link.value()});
    if (!pair)
        return Status::failure(pair.error());
    if (!pair.value().next())
        return Status::success();
    const qint64 userId = pair.value().value(0).toLongLong();
    const qint64 customerId = pair.value().value(1).toLongLong();
    // The customer updates their number in the app while an agent types another one from a phone call.
    Status done = sql::exec(backend, QStringLiteral("UPDATE backend.users SET phone = ? WHERE id = ?"),
                            {m_content.phone(QStringLiteral("en")), userId});
    if (!done)
        return done;
    return sql::exec(dashboard, QStringLiteral("UPDATE dashboard.customers SET phone = ? WHERE id = ?"),
                     {m_content.phone(QStringLiteral("en-GB")), customerId});
}

Status DemoTraffic::signUpCustomer(QSqlDatabase &backend)
{
    const DemoPerson person = m_content.person(100000 + int(m_random.bounded(900000)));
    return sql::exec(
        backend,
        QStringLiteral("INSERT INTO backend.users (email, full_name, phone, company, locale) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING"),
        {person.email, person.fullName, person.phone,
         person.company.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(person.company),
         person.locale});
}

Status DemoTraffic::createAgentTicket(QSqlDatabase &dashboard)
{
    auto customer = randomId(dashboard, QStringLiteral("dashboard.customers"));
    if (!customer || customer.value() == 0)
        return customer ? Status::success() : Status::failure(customer.error());
    const QString category =
        DemoContent::categories().at(m_random.bounded(int(DemoContent::categories().size())));
    const QString agent = m_content.agent();
    return inTransaction(dashboard, [&]() -> Status {
        auto id = sql::scalar(
            dashboard,
            QStringLiteral(
                "INSERT INTO dashboard.tickets (customer_id, subject, description, status, "
                "priority, category, assignee, source) VALUES (?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id"),
            {customer.value(), m_content.ticketSubject(category),
             QStringLiteral("Logged by %1 after a phone call.").arg(agent),
             QStringList{QStringLiteral("low"), QStringLiteral("normal"), QStringLiteral("high")}.at(
                 m_random.bounded(3)),
             category, agent, m_random.bounded(2) ? QStringLiteral("phone") : QStringLiteral("email")});
        if (!id)
            return Status::failure(id.error());
        return sql::exec(
            dashboard,
            QStringLiteral("INSERT INTO dashboard.ticket_activities (ticket_id, actor, kind, new_value) "
                           "VALUES (?, ?, 'created', 'open')"),
            {id.value(), agent});
    });
}

} // namespace syncdesk
