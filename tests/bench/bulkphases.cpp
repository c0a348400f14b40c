#include "bulkphases.h"

#include "database/connectionprovider.h"
#include "database/sql.h"
#include "schema/migrator.h"
#include "service/datasyncservice.h"
#include "tasks/consistencychecker.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace syncdesk::bench {

namespace {

[[noreturn]] void fail(const QString &what, const QString &error)
{
    std::fprintf(stderr, "bench_sync (bulk): %s: %s\n", qPrintable(what), qPrintable(error));
    std::exit(1);
}

void must(const Status &status, const QString &what)
{
    if (!status)
        fail(what, status.error());
}

qint64 number(QSqlDatabase &db, const QString &statement)
{
    auto row = sql::run(db, statement);
    if (!row || !row.value().next())
        fail(statement, row ? QStringLiteral("no row") : row.error());
    return row.value().value(0).toLongLong();
}

void idle(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(5);
    }
}

// Runs a statement on a client connection of its own thread while this thread goes on serving the
// engine's signals: the engine's service lives on this thread, and the application it runs in never
// blocks it (no SQL on the GUI thread), so neither may the bench while it measures latency.
Status execAsAnotherClient(const DatabaseUrl &url, const QString &statement)
{
    Status result = Status::success();
    std::atomic_bool finished = false;
    QThread *client = QThread::create([&] {
        ConnectionProvider connections(url, QStringLiteral("bulk-client"));
        auto db = connections.database();
        result = db ? sql::exec(db.value(), statement) : Status::failure(db.error());
        finished = true;
    });
    client->start();
    while (!finished)
        idle(5);
    client->wait();
    delete client;
    return result;
}

// A fresh database of the bench's cluster, with SyncDesk's migrations or empty.
DatabaseUrl freshDatabase(const DatabaseUrl &admin, const QString &name, bool migrate)
{
    {
        ConnectionProvider adminConnections(admin, QStringLiteral("bulk-admin"));
        auto db = adminConnections.database();
        if (!db)
            fail(QStringLiteral("admin connection"), db.error());
        sql::exec(db.value(), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
        must(sql::exec(db.value(), QStringLiteral("CREATE DATABASE %1").arg(name)),
             QStringLiteral("create database"));
    }
    const DatabaseUrl url = admin.withDatabase(name);
    if (migrate) {
        ConnectionProvider connections(url, QStringLiteral("bulk-migrate"));
        auto db = connections.database();
        if (!db)
            fail(QStringLiteral("connection"), db.error());
        if (auto migrated = Migrator(Migrator::bundled()).migrate(db.value()); !migrated)
            fail(QStringLiteral("migrating"), migrated.error());
    }
    return url;
}

// Statistics current and dirty pages written, so the measured phase starts from the same state.
void settleTables(QSqlDatabase &db)
{
    must(sql::exec(db, QStringLiteral("VACUUM ANALYZE")), QStringLiteral("vacuum"));
    must(sql::exec(db, QStringLiteral("CHECKPOINT")), QStringLiteral("checkpoint"));
}

EngineOptions bulkEngineOptions(const BulkOptions &options)
{
    EngineOptions engine;
    engine.workers = options.workers;
    engine.batchSize = options.batchSize;
    engine.pollIntervalMs = 1000;
    engine.backgroundTasks = false;
    engine.analyzeConversations = false;
    return engine;
}

// Rows of each kind: N customers on one side; tickets with owners among customers of the same statement.
QString customersInsert(const QString &table, const QString &nameColumn, const QString &tag, qint64 rows)
{
    return QStringLiteral(
               "INSERT INTO %1 (email, %2, phone, company) SELECT '%3' || g || '@bulk.example', "
               "'Bulk customer ' || g, '+1 555 ' || g, 'Company ' || (g % 997) FROM generate_series(1, %4) g")
        .arg(table, nameColumn, tag)
        .arg(rows);
}

QString ticketsInsert(const QString &table, const QString &ownerColumn, const QString &owners,
                      const QString &tag, qint64 tickets, qint64 perOwner)
{
    // The owners are the customers whose e-mail carries `tag`, in id order; ticket g belongs to owner g /
    // perOwner.
    return QStringLiteral("WITH o AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM %1 WHERE "
                          "email LIKE '%2%%') "
                          "INSERT INTO %3 (%4, subject, description, status, priority) "
                          "SELECT o.id, 'Bulk ticket ' || g, 'Imported ticket ' || g || ' of a bulk load', "
                          "(ARRAY['new','open','pending','resolved'])[1 + g % 4], "
                          "(ARRAY['low','normal','high'])[1 + g % 3] "
                          "FROM generate_series(0, %5 - 1) g JOIN o ON o.k = g / %6")
        .arg(owners, tag, table, ownerColumn)
        .arg(tickets)
        .arg(perOwner);
}

// Counts the engine's applied events and remembers the last batch's commit: the end of a phase is
// the commit that applied the last of its records, not the poll that noticed it.
class AppliedCounter
{
public:
    explicit AppliedCounter(DataSyncService &engine)
    {
        m_connection = QObject::connect(&engine, &DataSyncService::batchFinished, &engine,
                                        [this](const BatchOutcome &outcome) {
                                            m_applied += outcome.processed;
                                            m_dead += outcome.dead;
                                            if (outcome.processed > 0)
                                                m_lastCommit = outcome.committedAt;
                                        });
    }
    ~AppliedCounter() { QObject::disconnect(m_connection); }
    qint64 dead() const { return m_dead; }
    const QDateTime &lastCommit() const { return m_lastCommit; }

private:
    QMetaObject::Connection m_connection;
    qint64 m_applied = 0;
    qint64 m_dead = 0;
    QDateTime m_lastCommit;
};

// Waits until nothing is pending and `done` holds; returns the milliseconds from `start` to the
// commit of the last batch that applied something.
qint64 settle(QSqlDatabase &db, const AppliedCounter &counter, const QDateTime &start, const QString &done)
{
    for (;;) {
        idle(250);
        // While batches keep committing there is no need to ask: with millions of events the question
        // costs the server 60 ms (it walks the processed events' index entries), a quarter of a core
        // taken from what is measured.
        if (counter.lastCommit().isValid() &&
            counter.lastCommit().msecsTo(QDateTime::currentDateTimeUtc()) < 1000)
            continue;
        if (number(
                db,
                QStringLiteral(
                    "SELECT count(*) FROM (SELECT 1 FROM sync.outbox WHERE status = 'pending' LIMIT 1) p")) ==
                0 &&
            number(db, QStringLiteral("SELECT (%1)::int").arg(done)) == 1)
            break;
    }
    idle(300); // the last batch's signal
    if (counter.dead() > 0)
        fail(QStringLiteral("bulk phase"), QStringLiteral("%1 events went dead").arg(counter.dead()));
    return start.msecsTo(counter.lastCommit());
}

// BENCH_STATEMENTS=1: where the server's time went in this database since the last call (development aid).
void printStatements(QSqlDatabase &db)
{
    if (!qEnvironmentVariableIsSet("BENCH_STATEMENTS"))
        return;
    sql::exec(db, QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
    auto top = sql::run(
        db, QStringLiteral("SELECT round(total_exec_time)::bigint, calls, rows, "
                           "left(regexp_replace(query, '\\s+', ' ', 'g'), 120) FROM pg_stat_statements "
                           "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                           "ORDER BY total_exec_time DESC LIMIT 12"));
    while (top && top.value().next())
        std::printf("  %8lld ms %7lld calls %9lld rows  %s\n", top.value().value(0).toLongLong(),
                    top.value().value(1).toLongLong(), top.value().value(2).toLongLong(),
                    qPrintable(top.value().value(3).toString()));
    sql::exec(db, QStringLiteral("SELECT pg_stat_statements_reset()"));
}

void report(QMap<QString, QList<double>> &figures, const QString &key, const char *label, int run,
            qint64 rows, qint64 ms)
{
    const double rate = rows * 1000.0 / double(std::max<qint64>(ms, 1));
    figures[key] << rate;
    std::printf("%s run %d: %lld rows in %.2f s = %.0f rows/s\n", label, run + 1, rows, ms / 1000.0, rate);
    std::fflush(stdout);
}

// Built-in logical replication's initial copy of N customers into an empty table of a second database.
void measureCopy(const DatabaseUrl &admin, const BulkOptions &options, int run,
                 QMap<QString, QList<double>> &figures)
{
    const DatabaseUrl sourceUrl = freshDatabase(admin, QStringLiteral("bulk_source"), true);
    const DatabaseUrl replicaUrl = freshDatabase(admin, QStringLiteral("bulk_replica"), true);
    ConnectionProvider sourceConnections(sourceUrl, QStringLiteral("bulk-source"));
    ConnectionProvider replicaConnections(replicaUrl, QStringLiteral("bulk-replica"));
    QSqlDatabase source = sourceConnections.database().value();
    QSqlDatabase replica = replicaConnections.database().value();
    must(sql::exec(source,
                   QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'bench'; %1; COMMIT")
                       .arg(customersInsert(QStringLiteral("backend.users"), QStringLiteral("full_name"),
                                            QStringLiteral("c"), options.rows))),
         QStringLiteral("seeding the source"));
    settleTables(source);
    must(sql::exec(source, QStringLiteral("CREATE PUBLICATION bulk_pub FOR TABLE backend.users")),
         QStringLiteral("publication"));
    // Within one cluster the subscription cannot create its slot itself (it would wait for its own
    // transaction); the table copy makes its own temporary slot.
    must(sql::exec(source,
                   QStringLiteral("SELECT pg_create_logical_replication_slot('bulk_slot', 'pgoutput')")),
         QStringLiteral("slot"));
    const QDateTime start = QDateTime::currentDateTimeUtc();
    must(sql::exec(replica,
                   QStringLiteral("CREATE SUBSCRIPTION bulk_sub CONNECTION '%1' PUBLICATION bulk_pub WITH "
                                  "(create_slot = false, slot_name = 'bulk_slot', copy_data = true)")
                       .arg(sourceUrl.toConnInfo().replace(QLatin1Char('\''), QStringLiteral("''")))),
         QStringLiteral("subscription"));
    while (number(replica,
                  QStringLiteral(
                      "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate NOT IN ('r', 's')")) > 0 ||
           number(replica, QStringLiteral("SELECT count(*) FROM pg_subscription_rel")) == 0)
        idle(20);
    const qint64 ms = start.msecsTo(QDateTime::currentDateTimeUtc());
    if (number(replica, QStringLiteral("SELECT count(*) FROM backend.users")) != options.rows)
        fail(QStringLiteral("built-in copy"), QStringLiteral("the replica does not hold every row"));
    report(figures, QStringLiteral("copy"), "built-in initial copy, customers", run, options.rows, ms);
    must(sql::exec(replica, QStringLiteral("ALTER SUBSCRIPTION bulk_sub DISABLE")),
         QStringLiteral("disable subscription"));
    must(sql::exec(replica, QStringLiteral("ALTER SUBSCRIPTION bulk_sub SET (slot_name = NONE)")),
         QStringLiteral("detach slot"));
    must(sql::exec(replica, QStringLiteral("DROP SUBSCRIPTION bulk_sub")),
         QStringLiteral("drop subscription"));
    // The subscription's walsender leaves the slot a moment after the subscription is gone.
    Status dropped = Status::failure(QStringLiteral("not tried"));
    for (int attempt = 0; attempt < 100 && !dropped; ++attempt) {
        dropped = sql::exec(source, QStringLiteral("SELECT pg_drop_replication_slot('bulk_slot')"));
        if (!dropped)
            idle(50);
    }
    must(dropped, QStringLiteral("drop slot"));
    must(sql::exec(source, QStringLiteral("DROP PUBLICATION bulk_pub")), QStringLiteral("drop publication"));
}

// One side holds what the other lacks, written before SyncDesk ran; a consistency check queues it.
void measureAdoption(const DatabaseUrl &admin, const BulkOptions &options, int run,
                     QMap<QString, QList<double>> &figures)
{
    const DatabaseUrl url = freshDatabase(admin, QStringLiteral("bulk_adopt"), true);
    auto connections = std::make_shared<ConnectionProvider>(url, QStringLiteral("bulk-adopt"));
    QSqlDatabase db = connections->database().value();
    const qint64 tickets = 2LL * options.rows;
    must(sql::exec(db,
                   QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'bench'; %1; %2; COMMIT")
                       .arg(customersInsert(QStringLiteral("backend.users"), QStringLiteral("full_name"),
                                            QStringLiteral("a"), options.rows),
                            ticketsInsert(QStringLiteral("backend.tickets"), QStringLiteral("user_id"),
                                          QStringLiteral("backend.users"), QStringLiteral("a"), tickets, 2))),
         QStringLiteral("seeding one side"));
    settleTables(db);
    printStatements(db);
    DataSyncService engine(bulkEngineOptions(options), connections, connections);
    must(engine.start(), QStringLiteral("starting the engine"));
    AppliedCounter counter(engine);
    const QDateTime start = QDateTime::currentDateTimeUtc();
    ConsistencyChecker checker(db);
    // As the engine's own checks run (TaskScheduler): plainly new records made by the check itself.
    // BENCH_ADOPT_QUEUE=1 queues them all for the workers instead, as before.
    if (!qEnvironmentVariableIsSet("BENCH_ADOPT_QUEUE")) {
        ConsistencyChecker::DirectAdoption direct;
        direct.connections = connections;
        checker.adoptDirectly(direct);
    }
    const auto runId = checker.createRun(QStringLiteral("bench"));
    if (!runId)
        fail(QStringLiteral("consistency run"), runId.error());
    const auto checked = checker.run(runId.value(), true);
    if (!checked)
        fail(QStringLiteral("consistency check"), checked.error());
    const qint64 checkMs = start.msecsTo(QDateTime::currentDateTimeUtc());
    // The check made most records itself: the adoption ends with the check or with the last batch
    // that applied what it queued, whichever is later.
    const qint64 settled = settle(db, counter, start,
                                  QStringLiteral("(SELECT count(*) FROM dashboard.customers) = %1 AND "
                                                 "(SELECT count(*) FROM dashboard.tickets) = %2 AND "
                                                 "(SELECT count(*) FROM sync.links) = %3")
                                      .arg(options.rows)
                                      .arg(tickets)
                                      .arg(options.rows + tickets));
    const qint64 ms = std::max(settled, checkMs);
    engine.stop();
    std::printf("adoption run %d: the check made or queued %lld records in %.2f s\n", run + 1,
                checked->repaired, checkMs / 1000.0);
    report(figures, QStringLiteral("adopt"), "adoption, customers and their tickets", run,
           options.rows + tickets, ms);
    printStatements(db);
}

// New rows committed in one transaction on one side, with the engine running.
void measureBulkCreate(const DatabaseUrl &admin, const BulkOptions &options, int run,
                       QMap<QString, QList<double>> &figures)
{
    const DatabaseUrl url = freshDatabase(admin, QStringLiteral("bulk_create"), true);
    auto connections = std::make_shared<ConnectionProvider>(url, QStringLiteral("bulk-create"));
    QSqlDatabase db = connections->database().value();
    DataSyncService engine(bulkEngineOptions(options), connections, connections);
    must(engine.start(), QStringLiteral("starting the engine"));
    struct Load
    {
        QString key;
        const char *label;
        QString statement;
        qint64 rows;
        QString done;
    };
    const qint64 n = options.rows;
    const qint64 owners = std::max<qint64>(1, n / 10);
    const QList<Load> loads{
        {QStringLiteral("bulkcreate customers product"), "bulk create, customers product -> helpdesk",
         customersInsert(QStringLiteral("backend.users"), QStringLiteral("full_name"), QStringLiteral("p"),
                         n),
         n, QStringLiteral("(SELECT count(*) FROM dashboard.customers WHERE email LIKE 'p%%') = %1").arg(n)},
        {QStringLiteral("bulkcreate customers helpdesk"), "bulk create, customers helpdesk -> product",
         customersInsert(QStringLiteral("dashboard.customers"), QStringLiteral("name"), QStringLiteral("h"),
                         n),
         n, QStringLiteral("(SELECT count(*) FROM backend.users WHERE email LIKE 'h%%') = %1").arg(n)},
        {QStringLiteral("bulkcreate tickets helpdesk"),
         "bulk create, tickets and their new customers helpdesk -> product",
         customersInsert(QStringLiteral("dashboard.customers"), QStringLiteral("name"), QStringLiteral("t"),
                         owners) +
             QStringLiteral("; ") +
             ticketsInsert(QStringLiteral("dashboard.tickets"), QStringLiteral("customer_id"),
                           QStringLiteral("dashboard.customers"), QStringLiteral("t"), n, 10),
         owners + n, QStringLiteral("(SELECT count(*) FROM backend.tickets) = %1").arg(n)},
    };
    for (const Load &load : loads) {
        settleTables(db);
        printStatements(db);
        AppliedCounter counter(engine);
        const QDateTime start = QDateTime::currentDateTimeUtc();
        must(sql::exec(db, QStringLiteral("BEGIN; %1; COMMIT").arg(load.statement)),
             QStringLiteral("bulk insert"));
        const qint64 committedMs = start.msecsTo(QDateTime::currentDateTimeUtc());
        const qint64 ms = settle(db, counter, start, load.done);
        std::printf("%s run %d: the insert committed after %.2f s\n", load.label, run + 1,
                    committedMs / 1000.0);
        report(figures, load.key, load.label, run, load.rows, ms);
        printStatements(db);
    }
    engine.stop();
}

// Normal traffic (one customer edited in the product every 10 ms, each its own transaction) while N
// new customers arrive in the helpdesk in one transaction: how long the edits wait to be applied.
void measureMixed(const DatabaseUrl &admin, const BulkOptions &options, int run,
                  QMap<QString, QList<double>> &figures)
{
    const DatabaseUrl url = freshDatabase(admin, QStringLiteral("bulk_mixed"), true);
    auto connections = std::make_shared<ConnectionProvider>(url, QStringLiteral("bulk-mixed"));
    QSqlDatabase db = connections->database().value();
    DataSyncService engine(bulkEngineOptions(options), connections, connections);
    must(engine.start(), QStringLiteral("starting the engine"));
    constexpr int kLinked = 10000;
    must(sql::exec(db, customersInsert(QStringLiteral("backend.users"), QStringLiteral("full_name"),
                                       QStringLiteral("m"), kLinked)),
         QStringLiteral("customers for the traffic"));
    {
        AppliedCounter counter(engine);
        settle(db, counter, QDateTime::currentDateTimeUtc(),
               QStringLiteral("(SELECT count(*) FROM sync.links) = %1").arg(kLinked));
    }
    settleTables(db);
    printStatements(db);
    const qint64 firstTrafficEvent =
        number(db, QStringLiteral("SELECT coalesce(max(id), 0) FROM sync.outbox"));
    AppliedCounter counter(engine);
    std::atomic_bool stop = false;
    std::atomic_int edits = 0;
    QThread *traffic = QThread::create([&] {
        ConnectionProvider trafficConnections(url, QStringLiteral("bulk-traffic"));
        QSqlDatabase writer = trafficConnections.database().value();
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; !stop; ++i) {
            // 100 edits a second, on schedule (a late edit does not make the next one wait).
            const qint64 due = i * 10LL;
            if (clock.elapsed() < due)
                QThread::msleep(ulong(due - clock.elapsed()));
            if (sql::exec(writer, QStringLiteral("UPDATE backend.users SET phone = '+1 555 %1' WHERE id = %2")
                                      .arg(i)
                                      .arg(1 + (i * 7919) % kLinked)))
                ++edits;
        }
    });
    traffic->start();
    idle(3000);
    const QDateTime importStart = QDateTime::currentDateTimeUtc();
    must(execAsAnotherClient(
             url, QStringLiteral("BEGIN; %1; COMMIT")
                      .arg(customersInsert(QStringLiteral("dashboard.customers"), QStringLiteral("name"),
                                           QStringLiteral("x"), options.rows))),
         QStringLiteral("bulk import"));
    const qint64 importMs = settle(
        db, counter, importStart,
        QStringLiteral("(SELECT count(*) FROM backend.users WHERE email LIKE 'x%%') = %1").arg(options.rows));
    idle(2000);
    stop = true;
    traffic->wait();
    delete traffic;
    settle(db, counter, importStart, QStringLiteral("true"));
    engine.stop();
    printStatements(db);
    // The edits' commit-to-apply latency, all of them and those captured while the import was applied.
    const auto latency = [&](const QString &when) {
        auto row = sql::run(
            db,
            QStringLiteral("SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY "
                           "extract(epoch FROM processed_at - captured_at) * 1000)::text, "
                           "max(extract(epoch FROM processed_at - captured_at) * 1000) FROM sync.outbox "
                           "WHERE id > %1 AND operation = 'update' AND side = 'backend' AND %2")
                .arg(firstTrafficEvent)
                .arg(when));
        if (!row || !row.value().next())
            fail(QStringLiteral("latency"), row ? QStringLiteral("no row") : row.error());
        const QStringList percentiles = sql::parseTextArray(row.value().value(1).toString());
        std::printf("  %lld edits: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                    row.value().value(0).toLongLong(), percentiles.value(0).toDouble(),
                    percentiles.value(1).toDouble(), percentiles.value(2).toDouble(),
                    row.value().value(2).toDouble());
        return percentiles.value(2).toDouble();
    };
    std::printf("mixed run %d: %d edits at 100/s; %d customers imported into the helpdesk, applied %.2f s "
                "after the import began\n",
                run + 1, edits.load(), options.rows, importMs / 1000.0);
    std::printf("  all edits:\n");
    latency(QStringLiteral("true"));
    std::printf("  edits made while the import was inserted or applied:\n");
    figures[QStringLiteral("mixed p99")]
        << latency(QStringLiteral("captured_at BETWEEN '%1' AND '%2'")
                       .arg(importStart.toString(Qt::ISODateWithMs),
                            importStart.addMSecs(importMs).toString(Qt::ISODateWithMs)));
    std::fflush(stdout);
}

} // namespace

QMap<QString, QList<double>> runBulkPhases(const QStringList &phases, const DatabaseUrl &admin,
                                           const BulkOptions &options)
{
    QMap<QString, QList<double>> figures;
    std::printf("\nNew records (issue 16): N = %d\n", options.rows);
    for (int run = 0; run < options.runs; ++run) {
        if (phases.contains(QStringLiteral("copy")) || phases.contains(QStringLiteral("adopt")) ||
            phases.contains(QStringLiteral("bulkcreate")) || phases.contains(QStringLiteral("mixed")))
            measureCopy(admin, options, run, figures);
        if (phases.contains(QStringLiteral("adopt")))
            measureAdoption(admin, options, run, figures);
        if (phases.contains(QStringLiteral("bulkcreate")))
            measureBulkCreate(admin, options, run, figures);
        if (phases.contains(QStringLiteral("mixed")))
            measureMixed(admin, options, run, figures);
    }
    const auto median = [&figures](const QString &key) {
        QList<double> values = figures.value(key);
        std::sort(values.begin(), values.end());
        return values.isEmpty() ? 0.0 : values.at(values.size() / 2);
    };
    std::printf("\nSummary, new records (medians, rows/s; N = %d)\n", options.rows);
    const double copy = median(QStringLiteral("copy"));
    if (copy > 0)
        std::printf("  %-58s %10.0f\n", "built-in logical replication, initial copy of customers", copy);
    const struct
    {
        const char *key;
        const char *label;
        const char *target;
    } lines[] = {
        {"adopt", "adoption: customers and 2 tickets each, one side only",
         ">= 100,000 and >= 0.75x built-in"},
        {"bulkcreate customers product", "bulk create: customers, product -> helpdesk", ">= 40,000"},
        {"bulkcreate customers helpdesk", "bulk create: customers, helpdesk -> product", ">= 40,000"},
        {"bulkcreate tickets helpdesk", "bulk create: tickets with new owners, helpdesk -> product",
         ">= 40,000"},
    };
    if (figures.contains(QStringLiteral("mixed p99")))
        std::printf("  %-58s %10.1f ms (target < 250)\n",
                    "mixed: p99 of single-row edits during a bulk import",
                    median(QStringLiteral("mixed p99")));
    for (const auto &line : lines) {
        if (!figures.contains(QLatin1String(line.key)))
            continue;
        const double rate = median(QLatin1String(line.key));
        std::printf("  %-58s %10.0f  %.2fx built-in  (target %s)\n", line.label, rate,
                    copy > 0 ? rate / copy : 0.0, line.target);
    }
    std::fflush(stdout);
    return figures;
}

} // namespace syncdesk::bench
