#include "demo/demohistory.h"

#include "database/sql.h"
#include "demo/demorows.h"
#include "tasks/consistencychecker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QStringList>

#include <algorithm>
#include <functional>

namespace syncdesk {

namespace {

using demorows::iso;
using demorows::json;

// What the people of one system change all day, and how often: a share of that side's changes each.
struct ChangeKind
{
    const char *table;
    const char *entity;
    const char *operation;
    double share;
    const char *columns; // a text[] literal: one of them changes each time
};

const ChangeKind kBackendChanges[] = {
    {"backend.users", "customer", "update", 0.40, "{phone,company,locale,tags}"},
    {"backend.messages", "message", "insert", 0.32, "{}"},
    {"backend.conversations", "conversation", "update", 0.14, "{status,last_message_at}"},
    {"backend.tickets", "ticket", "update", 0.14, "{status}"},
};
const ChangeKind kDashboardChanges[] = {
    {"dashboard.customers", "customer", "update", 0.45, "{notes,phone,tags}"},
    {"dashboard.tickets", "ticket", "update", 0.55, "{status,assignee,priority}"},
};

// Agents who settle conflicts by hand.
const QStringList kAgents{QStringLiteral("anna.k"), QStringLiteral("ben.t"), QStringLiteral("carla.m")};

} // namespace

DemoHistory::DemoHistory(quint32 seed, const QDateTime &now, double scale)
    : m_seed(seed)
    , m_now(now)
    , m_scale(scale)
{}

QDateTime DemoHistory::outageStart() const
{
    // In office hours, whatever the time the demo is seeded at (at night too few changes would wait to
    // show): the latest of the day's two busiest hours that lies an hour or more back, from five to the
    // hour, so the hourly check ten minutes later finds changes waiting.
    constexpr qint64 kDay = 24 * 3600;
    const qint64 latest = m_now.toSecsSinceEpoch() - 3600;
    qint64 start = 0;
    for (const qint64 dayStart : {latest / kDay * kDay, latest / kDay * kDay - kDay}) {
        for (const qint64 peak : {10 * 3600 + 55 * 60, 14 * 3600 + 55 * 60}) {
            if (dayStart + peak <= latest)
                start = std::max(start, dayStart + peak);
        }
    }
    return QDateTime::fromSecsSinceEpoch(start, Qt::UTC);
}

Status DemoHistory::write(QSqlDatabase &backend, QSqlDatabase &dashboard) const
{
    Status done = writeQueue(backend, QStringLiteral("backend"));
    if (done)
        done = writeQueue(dashboard, QStringLiteral("dashboard"));
    if (done)
        done = writeConflicts(backend, dashboard);
    if (done)
        done = writeChecks(backend);
    return done;
}

Status DemoHistory::writeQueue(QSqlDatabase &db, const QString &side) const
{
    // Which records each kind of change touches: the seeded ids of its table.
    const bool backendSide = side == QLatin1String("backend");
    QStringList kinds;
    double from = 0;
    for (const ChangeKind &kind : backendSide ? QList<ChangeKind>(std::begin(kBackendChanges), std::end(kBackendChanges))
                                              : QList<ChangeKind>(std::begin(kDashboardChanges), std::end(kDashboardChanges))) {
        auto range = sql::run(db, QStringLiteral("SELECT coalesce(min(id), 0), count(*) FROM %1").arg(QLatin1String(kind.table)));
        if (!range)
            return Status::failure(range.error());
        range.value().next();
        kinds << QStringLiteral("(%1::float8, %2::float8, '%3', '%4', '%5', %6::bigint, %7::bigint, '%8'::text[])")
                     .arg(from)
                     .arg(from + kind.share)
                     .arg(QLatin1String(kind.table), QLatin1String(kind.entity), QLatin1String(kind.operation))
                     .arg(range.value().value(0).toLongLong())
                     .arg(range.value().value(1).toLongLong())
                     .arg(QLatin1String(kind.columns));
        from += kind.share;
    }
    // Per minute of the day a number of changes that follows office hours (in UTC; peaks mid-morning and
    // mid-afternoon, little at night), each at a random second of its minute, all drawn from hashes
    // of the seed so that the same seed gives the same day. Applied well under a second later, except
    // during the outage: the helpdesk made no changes then, and the product's waited until it was back.
    const QString statement = QStringLiteral(
        "WITH p AS (SELECT ?::timestamptz AS now, ?::bigint AS seed, ?::float8 AS scale, ?::timestamptz AS os, "
        "  ?::timestamptz AS oe, ?::text AS side), "
        "kinds AS (SELECT * FROM (VALUES %1) AS k(lo, hi, table_name, entity, operation, first_id, n, columns) WHERE n > 0), "
        "minutes AS (SELECT g AS m, p.now - interval '24 hours' + g * interval '1 minute' AS t FROM p, generate_series(0, 1439) g), "
        "counts AS (SELECT m, t, round(60 * p.scale * (0.12 + 1.6 * exp(-power((h - 10.5) / 2.2, 2)) "
        "  + 1.3 * exp(-power((h - 15.0) / 2.5, 2))) * (0.7 + 0.6 * ((hashint8extended(m, p.seed) & 1048575)::float8 / 1048576)))::int AS n "
        "  FROM (SELECT m, t, extract(hour FROM t AT TIME ZONE 'UTC') + extract(minute FROM t) / 60.0 AS h FROM minutes) x, p), "
        "drawn AS (SELECT c.t + ((hashint8extended(c.m * 4096 + k, p.seed + 1) & 1048575)::float8 / 1048576) * interval '60 seconds' AS at, "
        "  (hashint8extended(c.m * 4096 + k, p.seed + 2) & 1048575)::float8 / 1048576 AS kind, "
        "  (hashint8extended(c.m * 4096 + k, p.seed + 3) & 1048575)::float8 / 1048576 AS pick, "
        "  (hashint8extended(c.m * 4096 + k, p.seed + 4) & 1048575)::float8 / 1048576 AS lag "
        "  FROM counts c, p, generate_series(1, c.n) k), "
        "events AS (SELECT d.at, d.lag, k.table_name, k.entity, k.operation, k.first_id + floor(d.pick * k.n)::bigint AS entity_id, "
        "  CASE WHEN cardinality(k.columns) = 0 THEN '{}'::text[] "
        "   ELSE ARRAY[k.columns[1 + floor(d.lag * cardinality(k.columns))::int]] END AS changed_columns, "
        "  d.at >= p.os AND d.at < p.oe AS waited "
        "  FROM drawn d JOIN kinds k ON d.kind >= k.lo AND d.kind < k.hi, p "
        "  WHERE NOT (p.side = 'dashboard' AND d.at >= p.os AND d.at < p.oe)), "
        "timed AS (SELECT e.*, CASE WHEN e.waited THEN p.oe + row_number() OVER (PARTITION BY e.waited ORDER BY e.at) "
        "  * interval '25 milliseconds' ELSE e.at + (0.05 + 0.9 * e.lag * e.lag) * interval '1 second' END AS processed_at "
        "  FROM events e, p) "
        "INSERT INTO sync.outbox (captured_at, side, entity, table_name, entity_id, operation, changed_columns, status, attempts, "
        "  next_attempt_at, processed_at) "
        "SELECT t.at, p.side, t.entity, t.table_name, t.entity_id, t.operation, t.changed_columns, 'done', 1, t.at, t.processed_at "
        "FROM timed t, p ORDER BY t.at")
                                  .arg(kinds.join(QStringLiteral(", ")));
    const double share = backendSide ? 0.65 : 0.35;
    return sql::exec(db, statement,
                     {iso(m_now), qint64(m_seed) * 16 + (backendSide ? 0 : 8), m_scale * share, iso(outageStart()),
                      iso(outageStart().addSecs(kOutageMinutes * 60)), side});
}

Status DemoHistory::writeConflicts(QSqlDatabase &backend, QSqlDatabase &dashboard) const
{
    QRandomGenerator random(m_seed ^ 0xc0ff1c75U);
    const auto at = [&](int hoursAgoAtMost) {
        return m_now.addSecs(-qint64(600 + random.bounded(quint32(hoursAgoAtMost * 3600 - 600))));
    };
    // Linked customers, in a stable order, to draw the day's clashes from.
    auto customers = sql::run(backend, QStringLiteral("SELECT l.id, l.backend_id, l.dashboard_id, u.email, u.phone, u.tags::text "
                                                      "FROM sync.links l JOIN backend.users u ON u.id = l.backend_id "
                                                      "WHERE l.entity = 'customer' AND l.dashboard_id IS NOT NULL ORDER BY l.id"));
    if (!customers)
        return Status::failure(customers.error());
    struct Customer
    {
        qint64 link, backendId, dashboardId;
        QString email, phone;
        QStringList tags;
    };
    QList<Customer> linked;
    while (customers.value().next()) {
        const QString tags = customers.value().value(5).toString();
        linked << Customer{customers.value().value(0).toLongLong(), customers.value().value(1).toLongLong(),
                           customers.value().value(2).toLongLong(), customers.value().value(3).toString(),
                           customers.value().value(4).toString(),
                           tags.mid(1, tags.size() - 2).split(QLatin1Char(','), Qt::SkipEmptyParts)};
    }
    if (linked.size() < 20)
        return Status::success(); // too small a demo for a day of conflicts
    QList<qint64> used;
    const auto draw = [&](const std::function<bool(const Customer &)> &fits) -> const Customer * {
        for (int tries = 0; tries < 200; ++tries) {
            const Customer &candidate = linked.at(int(random.bounded(quint32(linked.size()))));
            if (!used.contains(candidate.link) && fits(candidate)) {
                used << candidate.link;
                return &candidate;
            }
        }
        return nullptr;
    };
    const auto otherPhone = [&]() {
        return QStringLiteral("+1 555 %1 %2").arg(random.bounded(100, 999)).arg(random.bounded(1000, 9999));
    };
    QJsonArray conflicts;
    const auto add = [&](const QString &entity, qint64 link, qint64 backendId, qint64 dashboardId,
                         const QString &field, const QJsonValue &baseline, const QJsonValue &backendValue,
                         const QJsonValue &dashboardValue, const QString &strategy, const QString &status,
                         const QString &resolution, const QJsonValue &resolved, const QString &by, const QDateTime &detected,
                         const QDateTime &settled) {
        conflicts.append(QJsonObject{{QStringLiteral("entity"), entity},
                                     {QStringLiteral("link_id"), link},
                                     {QStringLiteral("backend_id"), backendId},
                                     {QStringLiteral("dashboard_id"), dashboardId},
                                     {QStringLiteral("field"), field},
                                     {QStringLiteral("baseline_value"), baseline},
                                     {QStringLiteral("backend_value"), backendValue},
                                     {QStringLiteral("dashboard_value"), dashboardValue},
                                     {QStringLiteral("strategy"), strategy},
                                     {QStringLiteral("status"), status},
                                     {QStringLiteral("resolution"), resolution.isEmpty() ? QJsonValue() : QJsonValue(resolution)},
                                     {QStringLiteral("resolved_value"), resolved},
                                     {QStringLiteral("resolved_by"), by.isEmpty() ? QJsonValue() : QJsonValue(by)},
                                     {QStringLiteral("detected_at"), iso(detected)},
                                     {QStringLiteral("resolved_at"), settled.isValid() ? QJsonValue(iso(settled)) : QJsonValue()}});
    };

    // Phone numbers typed on both sides moments apart: the later one won (the default rule).
    for (int i = 0; i < 8; ++i) {
        const Customer *customer = draw([](const Customer &c) { return !c.phone.isEmpty(); });
        if (!customer)
            break;
        const bool backendWon = random.bounded(2) == 0;
        const QString lost = otherPhone();
        const QDateTime detected = at(23);
        add(QStringLiteral("customer"), customer->link, customer->backendId, customer->dashboardId,
            QStringLiteral("phone"), otherPhone(), backendWon ? customer->phone : lost, backendWon ? lost : customer->phone,
            QStringLiteral("latest_wins"), QStringLiteral("resolved"),
            backendWon ? QStringLiteral("latest_wins:backend") : QStringLiteral("latest_wins:dashboard"), customer->phone,
            QStringLiteral("syncdesk"), detected, detected);
    }
    // Tags added on both sides: merged, both kept.
    for (int i = 0; i < 3; ++i) {
        const Customer *customer = draw([](const Customer &c) { return c.tags.size() >= 2; });
        if (!customer)
            break;
        const QDateTime detected = at(23);
        const QJsonArray all = QJsonArray::fromStringList(customer->tags);
        add(QStringLiteral("customer"), customer->link, customer->backendId, customer->dashboardId,
            QStringLiteral("tags"), QJsonArray::fromStringList(customer->tags.mid(1, customer->tags.size() - 2)),
            QJsonArray::fromStringList(customer->tags.mid(0, customer->tags.size() - 1)),
            QJsonArray::fromStringList(customer->tags.mid(1)), QStringLiteral("merge"), QStringLiteral("resolved"),
            QStringLiteral("merge"), all, QStringLiteral("syncdesk"), detected, detected);
    }
    // E-mail addresses changed on both sides: an agent chose the product's.
    for (int i = 0; i < 2; ++i) {
        const Customer *customer = draw([](const Customer &) { return true; });
        if (!customer)
            break;
        const QDateTime detected = at(20);
        const QString local = customer->email.section(QLatin1Char('@'), 0, 0);
        add(QStringLiteral("customer"), customer->link, customer->backendId, customer->dashboardId,
            QStringLiteral("email"), local + QStringLiteral("@old-mail.example.com"), customer->email,
            local + QStringLiteral("@typo.example.com"), QStringLiteral("manual_review"), QStringLiteral("resolved"),
            QStringLiteral("backend"), customer->email, kAgents.at(int(random.bounded(quint32(kAgents.size())))), detected,
            detected.addSecs(1200 + random.bounded(3600)));
    }
    // Still open: two e-mail addresses changed differently on both sides this afternoon; the systems
    // differ until an agent decides, and the field waits meanwhile.
    QJsonArray paused;
    for (int i = 0; i < 2; ++i) {
        const Customer *customer = draw([](const Customer &) { return true; });
        if (!customer)
            break;
        const QString local = customer->email.section(QLatin1Char('@'), 0, 0);
        const QString inProduct = local + QStringLiteral("@new-job.example.com");
        const QString inHelpdesk = QStringLiteral("%1%2@private.example.net")
                                       .arg(local.section(QLatin1Char('.'), 0, 0))
                                       .arg(customer->dashboardId);
        if (Status changed = sql::exec(backend, QStringLiteral("UPDATE backend.users SET email = ? WHERE id = ?"),
                                       {inProduct, customer->backendId});
            !changed)
            return changed;
        if (Status changed = sql::exec(dashboard, QStringLiteral("UPDATE dashboard.customers SET email = ? WHERE id = ?"),
                                       {inHelpdesk, customer->dashboardId});
            !changed)
            return changed;
        add(QStringLiteral("customer"), customer->link, customer->backendId, customer->dashboardId,
            QStringLiteral("email"), customer->email, inProduct, inHelpdesk, QStringLiteral("manual_review"),
            QStringLiteral("open"), QString(), QJsonValue(), QString(), at(5), QDateTime());
        paused.append(QJsonObject{{QStringLiteral("link_id"), customer->link}, {QStringLiteral("field"), QStringLiteral("email")}});
    }
    // And a ticket renamed on both sides: the customer in the product, the agent in the helpdesk.
    auto ticket = sql::run(backend, QStringLiteral("SELECT l.id, l.backend_id, l.dashboard_id, b.subject FROM sync.links l "
                                                   "JOIN backend.tickets b ON b.id = l.backend_id WHERE l.entity = 'ticket' "
                                                   "AND b.status IN ('open', 'pending') ORDER BY l.id LIMIT 1"));
    if (!ticket)
        return Status::failure(ticket.error());
    if (ticket.value().next()) {
        const qint64 link = ticket.value().value(0).toLongLong();
        const qint64 backendId = ticket.value().value(1).toLongLong();
        const qint64 dashboardId = ticket.value().value(2).toLongLong();
        const QString subject = ticket.value().value(3).toString();
        const QString inProduct = subject + QStringLiteral(" (still waiting)");
        const QString inHelpdesk = QStringLiteral("[Escalated] ") + subject;
        if (Status changed = sql::exec(backend, QStringLiteral("UPDATE backend.tickets SET subject = ? WHERE id = ?"),
                                       {inProduct, backendId});
            !changed)
            return changed;
        if (Status changed = sql::exec(dashboard, QStringLiteral("UPDATE dashboard.tickets SET subject = ? WHERE id = ?"),
                                       {inHelpdesk, dashboardId});
            !changed)
            return changed;
        add(QStringLiteral("ticket"), link, backendId, dashboardId, QStringLiteral("subject"), subject, inProduct,
            inHelpdesk, QStringLiteral("manual_review"), QStringLiteral("open"), QString(), QJsonValue(), QString(), at(3),
            QDateTime());
        paused.append(QJsonObject{{QStringLiteral("link_id"), link}, {QStringLiteral("field"), QStringLiteral("subject")}});
    }
    Status done = sql::exec(
        backend,
        QStringLiteral("INSERT INTO sync.conflicts (kind, entity, link_id, backend_id, dashboard_id, field, baseline_value, "
                       "backend_value, dashboard_value, strategy, status, resolution, resolved_value, resolved_by, resolved_at, "
                       "detected_at) SELECT 'field', r.entity, r.link_id, r.backend_id, r.dashboard_id, r.field, "
                       "e.v -> 'baseline_value', e.v -> 'backend_value', e.v -> 'dashboard_value', r.strategy, r.status, "
                       "r.resolution, CASE WHEN r.status <> 'open' THEN e.v -> 'resolved_value' END, r.resolved_by, r.resolved_at, r.detected_at "
                       "FROM jsonb_array_elements(?::jsonb) AS e(v), jsonb_to_record(e.v) AS r(entity text, link_id bigint, "
                       "backend_id bigint, dashboard_id bigint, field text, strategy text, status text, resolution text, "
                       "resolved_by text, resolved_at timestamptz, detected_at timestamptz) ORDER BY r.detected_at"),
        {json(conflicts)});
    if (!done)
        return done;
    return sql::exec(backend,
                     QStringLiteral("UPDATE sync.links l SET paused_fields = array_append(l.paused_fields, r.field) "
                                    "FROM jsonb_to_recordset(?::jsonb) AS r(link_id bigint, field text) WHERE l.id = r.link_id"),
                     {json(paused)});
}

Status DemoHistory::writeChecks(QSqlDatabase &backend) const
{
    QRandomGenerator random(m_seed ^ 0xc4ecc5U);
    // Examples name real records, as the checker's do.
    auto people = sql::run(backend, QStringLiteral("SELECT l.id, u.id, l.dashboard_id, u.full_name, u.email, u.phone "
                                                   "FROM sync.links l JOIN backend.users u ON u.id = l.backend_id "
                                                   "WHERE l.entity = 'customer' AND l.dashboard_id IS NOT NULL "
                                                   "AND u.phone IS NOT NULL ORDER BY l.id DESC LIMIT 40"));
    if (!people)
        return Status::failure(people.error());
    QList<QJsonObject> signedUp, drifted;
    while (people.value().next()) {
        const QSqlQuery &row = people.value();
        signedUp << QJsonObject{{QStringLiteral("side"), QStringLiteral("backend")},
                                {QStringLiteral("id"), row.value(1).toLongLong()},
                                {QStringLiteral("name"), row.value(3).toString()},
                                {QStringLiteral("email"), row.value(4).toString()}};
        drifted << QJsonObject{{QStringLiteral("link_id"), row.value(0).toLongLong()},
                               {QStringLiteral("backend_id"), row.value(1).toLongLong()},
                               {QStringLiteral("dashboard_id"), row.value(2).toLongLong()},
                               {QStringLiteral("name"), row.value(3).toString()},
                               {QStringLiteral("email"), row.value(4).toString()},
                               {QStringLiteral("fields"), QJsonArray{QStringLiteral("phone")}},
                               {QStringLiteral("values"),
                                QJsonObject{{QStringLiteral("phone"),
                                             QJsonObject{{QStringLiteral("backend"), row.value(5).toString()},
                                                         {QStringLiteral("dashboard"),
                                                          QStringLiteral("+44 20 %1 %2")
                                                              .arg(random.bounded(1000, 9999))
                                                              .arg(random.bounded(1000, 9999))}}}}}};
    }
    if (signedUp.size() < 10)
        return Status::success();
    // The changes the outage held back longest, for the check that ran during it.
    QList<QJsonObject> waiting;
    auto stuck = sql::run(backend, QStringLiteral("SELECT id, side, entity, entity_id FROM sync.outbox WHERE captured_at >= ? "
                                                  "AND captured_at < ? ORDER BY captured_at LIMIT 10"),
                          {iso(outageStart()), iso(outageStart().addSecs(5 * 60))});
    if (!stuck)
        return Status::failure(stuck.error());
    while (stuck.value().next()) {
        waiting << QJsonObject{{QStringLiteral("event_id"), stuck.value().value(0).toLongLong()},
                               {QStringLiteral("side"), stuck.value().value(1).toString()},
                               {QStringLiteral("entity"), stuck.value().value(2).toString()},
                               {QStringLiteral("entity_id"), stuck.value().value(3).toLongLong()},
                               {QStringLiteral("attempts"), 0}};
    }
    auto stuckCount = sql::scalar(backend, QStringLiteral("SELECT count(*) FROM sync.outbox WHERE captured_at >= ? AND captured_at < ?"),
                                  {iso(outageStart()), iso(outageStart().addSecs(5 * 60))});
    if (!stuckCount)
        return Status::failure(stuckCount.error());

    QJsonArray runs;
    const QDateTime firstHour = QDateTime::fromSecsSinceEpoch(m_now.addSecs(-24 * 3600).toSecsSinceEpoch() / 3600 * 3600, Qt::UTC);
    int nextExample = 0;
    for (int hour = 1; hour <= 24; ++hour) {
        const QDateTime started = firstHour.addSecs(hour * 3600 + 5 * 60 + random.bounded(20));
        if (started >= m_now.addSecs(-5 * 60))
            break;
        const bool duringOutage = started >= outageStart() && started < outageStart().addSecs(kOutageMinutes * 60);
        ConsistencyReport report;
        const auto finding = [&](const char *check, const char *description, qint64 found, qint64 repaired,
                                 const QList<QJsonObject> &examples) {
            report.findings << ConsistencyFinding{QLatin1String(check), QLatin1String(description), found, repaired, examples};
            report.issuesFound += found;
            report.repaired += repaired;
        };
        if (duringOutage) {
            finding("stuck_events", "changes due for more than five minutes and still not applied",
                    stuckCount.value().toLongLong(), 0, waiting);
        } else if (hour % 7 == 3) {
            // Sign-ups at night reached the helpdesk only through the check.
            const int n = 1 + int(random.bounded(2));
            finding("unlinked_customers", "customers that exist on one side only", n, n, signedUp.mid(nextExample, n));
            nextExample += n;
        } else if (hour % 11 == 5) {
            finding("drifted_customers", "linked customers whose fields differ with no change pending", 1, 1,
                    drifted.mid(nextExample++, 1));
        }
        report.elapsedMs = 180 + random.bounded(500);
        QJsonObject counts;
        for (const ConsistencyFinding &each : std::as_const(report.findings))
            counts.insert(each.check, QJsonObject{{QStringLiteral("found"), each.found}, {QStringLiteral("repaired"), each.repaired}});
        runs.append(QJsonObject{{QStringLiteral("started_at"), iso(started)},
                                {QStringLiteral("finished_at"), iso(started.addMSecs(report.elapsedMs))},
                                {QStringLiteral("triggered_by"), hour == 14 ? QStringLiteral("anna.k") : QStringLiteral("schedule")},
                                {QStringLiteral("issues_found"), report.issuesFound},
                                {QStringLiteral("repaired"), report.repaired},
                                {QStringLiteral("counts"), counts},
                                {QStringLiteral("details"), report.toJson()}});
    }
    Status done = sql::exec(backend,
                            QStringLiteral("INSERT INTO sync.consistency_runs (started_at, finished_at, status, triggered_by, "
                                           "progress, issues_found, repaired, counts, details) SELECT started_at, finished_at, "
                                           "'completed', triggered_by, 1, issues_found, repaired, counts, details FROM "
                                           "jsonb_to_recordset(?::jsonb) AS r(started_at timestamptz, finished_at timestamptz, "
                                           "triggered_by text, issues_found int, repaired int, counts jsonb, details jsonb) "
                                           "ORDER BY started_at"),
                            {json(runs)});
    // Each report names its run, whose id the table gave.
    return done ? sql::exec(backend, QStringLiteral("UPDATE sync.consistency_runs SET details = jsonb_set(details, '{run_id}', "
                                                    "to_jsonb(id)) WHERE (details ->> 'run_id')::bigint = 0"))
                : done;
}
} // namespace syncdesk
