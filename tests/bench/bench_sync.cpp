// Row sync: how fast SyncDesk applies changes, compared with PostgreSQL's built-in logical
// replication of the same table on the same machine.
//
// 100,000 customers on both sides, linked; 50,000 single-row UPDATEs of backend.users (random id,
// new name and phone) by pgbench -n -c 4 -j 2 -t 12500. Phases (each 3 runs, medians):
//   writers    pgbench rate with capture on, and with no triggers at all
//   keepup     engine running during the writes: changes/s until the dashboard matches every row,
//              and the lag after the last write
//   backlog    engine paused during the writes, then resumed: changes/s to catch up
//   latency    pgbench --rate 1000 for 20 s with the engine running: commit-to-apply p50/p95/p99
//   backlogbare  the backlog phase into a helpdesk table without its search column, lower(e-mail)
//              index and unique e-mail (a primary key only, as bare as the second built-in replica
//              below); changes the schema for the run
//   builtin    logical replication to a second database (slot created first, subscription with
//              create_slot=false, copy_data=false): writer rate and catch-up rate, into a replica of
//              backend.users as the migrations define it, and into a bare one (primary key only)
//   twodb      the backlog phase with the helpdesk in a second database of the cluster
//              (DASHBOARD_DATABASE_URL): changes/s to catch up
//   consistency  a check over 1,000,000 linked pairs with 1,000 injected differences
//   memory     resident size of the engine through a 1,000,000-change run
//   relay      the event relay to NATS JetStream (a private nats-server -js on this machine): the backlog
//              phase with the relay off and with the journal recording (broker unreachable, so the cost
//              of the apply path alone), then a new backlog caught up while the relay publishes the
//              recorded run's events and the new ones (catch-up rate; relay throughput: the rate at
//              which the events recorded before went out while the engine caught up); then the
//              latency from a batch's commit to the broker's acknowledgement at 1,000 changes/s
//
// Usage: bench_sync [--phases writers,keepup,backlog,latency,backlogbare,builtin,twodb,consistency,memory,relay]
// [--runs N]
// New records (issue 16): --phases adopt,bulkcreate,mixed (or copy alone) [--bulk-rows N], see bulkphases.h;
// each prints built-in logical replication's initial copy of the same N customers beside it.
// Development aids (environment): BENCH_STATEMENTS=1 prints the server's costliest statements;
// BENCH_CPU=1 the CPU time the server and the engine spent in each catch-up (less at the mercy of a
// noisy machine than the rate); BENCH_EXPLAIN=<directory> logs every statement over 5 ms with its
// measured plan (auto_explain) into <directory>/pg.log, which the server's account must be able to
// write; BENCH_PERF=<file> records a system-wide `perf` profile of each catch-up.
#include "bulkphases.h"
#include "natsserver.h"
#include "streamreader.h"

#include "database/connectionprovider.h"
#include "database/pgbinaries.h"
#include "database/postgrescluster.h"
#include "database/sql.h"
#include "schema/migrator.h"
#include "service/datasyncservice.h"
#include "tasks/consistencychecker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <array>
#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace syncdesk;

namespace {

constexpr int kCustomers = 100000;
constexpr int kUpdates = 50000;

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_sync: %s\n", qPrintable(message));
    std::exit(1);
}

void check(const Status &status, const char *what)
{
    if (!status)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), status.error()));
}

QVariant scalar(QSqlDatabase &db, const QString &statement)
{
    auto value = sql::scalar(db, statement);
    if (!value)
        die(value.error());
    return value.value();
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

// Keeps the event loop turning (the engine reports through queued signals) while waiting.
void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// CPU ticks (user + system) spent so far by each of the server's processes, and by this one (pid 0).
QHash<int, double> cpuTicks()
{
    const auto ticksOf = [](const QString &statPath) -> double {
        QFile stat(statPath);
        if (!stat.open(QIODevice::ReadOnly))
            return 0;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        return fields.value(11).toDouble() + fields.value(12).toDouble(); // utime, stime
    };
    QHash<int, double> ticks{{0, ticksOf(QStringLiteral("/proc/self/stat"))}};
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
        if (pid.toInt() > 0 && comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "postgres")
            ticks.insert(pid.toInt(), ticksOf(QStringLiteral("/proc/%1/stat").arg(pid)));
    }
    return ticks;
}

// CPU seconds the server and this process spent between two readings (a server process that ended
// in between is not counted).
std::pair<double, double> cpuSpent(const QHash<int, double> &before, const QHash<int, double> &after)
{
    const double tick = double(sysconf(_SC_CLK_TCK));
    double server = 0;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (it.key() != 0)
            server += it.value() - before.value(it.key(), 0);
    }
    return {server / tick, (after.value(0) - before.value(0)) / tick};
}

// Resumes a paused engine that has `expected` changes waiting and returns the milliseconds from the
// resume to the commit of the batch that applied the last of them, as the engine reports its batches
// (no polling query competes with the engine for the server while it catches up).
qint64 catchUp(DataSyncService &engine, qint64 expected)
{
    qint64 applied = 0;
    QDateTime lastCommit;
    const QMetaObject::Connection counting =
        QObject::connect(&engine, &DataSyncService::batchFinished, &engine, [&](const BatchOutcome &outcome) {
            applied += outcome.processed;
            if (outcome.processed > 0)
                lastCommit = outcome.committedAt;
        });
    QProcess perf;
    if (qEnvironmentVariableIsSet("BENCH_PERF")) {
        perf.start(QStringLiteral("perf"),
                   {QStringLiteral("record"), QStringLiteral("-a"), QStringLiteral("-g"),
                    QStringLiteral("-o"), qEnvironmentVariable("BENCH_PERF")});
        perf.waitForStarted();
        pause(500);
    }
    const QHash<int, double> cpuBefore = cpuTicks();
    const QDateTime resumedAt = QDateTime::currentDateTimeUtc();
    engine.resume();
    while (applied < expected)
        pause(20);
    if (qEnvironmentVariableIsSet("BENCH_CPU")) {
        const auto [server, engine] = cpuSpent(cpuBefore, cpuTicks());
        std::printf("cpu: server %.2f s, engine %.2f s\n", server, engine);
    }
    if (perf.state() == QProcess::Running) {
        ::kill(perf.processId(), SIGINT);
        perf.waitForFinished(30000);
    }
    QObject::disconnect(counting);
    return resumedAt.msecsTo(lastCommit);
}

long residentKb(const char *field = "VmRSS:")
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLong();
    }
    return 0;
}

class Bench
{
public:
    Bench(const QString &pgbench, DatabaseUrl url)
        : m_pgbench(pgbench)
        , m_url(std::move(url))
        , m_connections(std::make_shared<ConnectionProvider>(m_url, QStringLiteral("bench")))
    {
        m_db = m_connections->database().value();
        if (!m_script.open())
            die(QStringLiteral("cannot write the pgbench script"));
        m_script.write(QStringLiteral("\\set id random(1, %1)\nUPDATE backend.users SET full_name = md5(random()::text), "
                                      "phone = (random() * 1e9)::bigint::text WHERE id = :id;\n")
                           .arg(kCustomers)
                           .toUtf8());
        m_script.flush();
    }

    QSqlDatabase &db() { return m_db; }
    std::shared_ptr<ConnectionProvider> connections() { return m_connections; }
    const DatabaseUrl &url() const { return m_url; }

    // Runs pgbench against `url`; returns its tps. Keeps the event loop alive meanwhile.
    double pgbench(const QStringList &extra, const DatabaseUrl &target)
    {
        QProcess load;
        load.setProcessChannelMode(QProcess::MergedChannels);
        load.start(m_pgbench, QStringList{QStringLiteral("-n"), QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-j"),
                                          QStringLiteral("2"), QStringLiteral("-f"), m_script.fileName()}
                                  + extra + QStringList{target.toConnInfo()});
        QEventLoop loop;
        QObject::connect(&load, &QProcess::finished, &loop, &QEventLoop::quit);
        if (load.state() != QProcess::NotRunning)
            loop.exec();
        const QString output = QString::fromLocal8Bit(load.readAll());
        if (load.exitCode() != 0)
            die(QStringLiteral("pgbench failed: %1").arg(output));
        static const QRegularExpression tps(QStringLiteral("tps = ([0-9.]+) \\(without initial connection time\\)"));
        const auto match = tps.match(output);
        if (!match.hasMatch())
            die(QStringLiteral("cannot read pgbench's rate: %1").arg(output));
        return match.captured(1).toDouble();
    }
    double updates() { return pgbench({QStringLiteral("-t"), QString::number(kUpdates / 4)}, m_url); }

    void resetQueue()
    {
        check(sql::exec(m_db, QStringLiteral("TRUNCATE sync.outbox")), "truncate");
        check(sql::exec(m_db, QStringLiteral("VACUUM ANALYZE backend.users")), "vacuum");
        check(sql::exec(m_db, QStringLiteral("VACUUM ANALYZE dashboard.customers")), "vacuum");
        check(sql::exec(m_db, QStringLiteral("VACUUM ANALYZE sync.links")), "vacuum");
        check(sql::exec(m_db, QStringLiteral("CHECKPOINT")), "checkpoint");
    }
    bool anyPending() { return scalar(m_db, QStringLiteral("SELECT EXISTS (SELECT 1 FROM sync.outbox WHERE status = 'pending')")).toBool(); }
    qint64 mismatches()
    {
        return scalar(m_db, QStringLiteral("SELECT count(*) FROM sync.links l JOIN backend.users u ON u.id = l.backend_id "
                                           "JOIN dashboard.customers c ON c.id = l.dashboard_id WHERE l.entity = 'customer' "
                                           "AND (u.full_name IS DISTINCT FROM c.name OR u.phone IS DISTINCT FROM c.phone)"))
            .toLongLong();
    }
    // Waits until the queue is empty and both sides agree; returns the clock's time (ms) when the
    // queue was first seen empty in the round that then found both sides equal.
    qint64 waitUntilSynced(const QElapsedTimer &clock)
    {
        for (;;) {
            if (!anyPending()) {
                const qint64 doneAt = clock.elapsed();
                if (mismatches() == 0)
                    return doneAt;
            }
            pause(20);
        }
    }

private:
    QString m_pgbench;
    DatabaseUrl m_url;
    std::shared_ptr<ConnectionProvider> m_connections;
    QSqlDatabase m_db;
    QTemporaryFile m_script;
};

} // namespace

namespace {

EngineOptions engineOptions(int workers, int batchSize)
{
    EngineOptions options;
    options.workers = workers;
    options.batchSize = batchSize;
    options.pollIntervalMs = 1000;
    options.backgroundTasks = false;     // the benchmark measures syncing only
    options.analyzeConversations = false;
    return options;
}

void seedLinkedCustomers(QSqlDatabase &db, int count)
{
    check(sql::exec(db, QStringLiteral(
                            "BEGIN; SET LOCAL syncdesk.origin = 'bench';"
                            "INSERT INTO backend.users (id, email, full_name, phone) SELECT g, 'c' || g || '@example.com', "
                            "'Customer ' || g, '+1 555 ' || g FROM generate_series(1, %1) g;"
                            "INSERT INTO dashboard.customers (id, email, name, phone) SELECT g, 'c' || g || '@example.com', "
                            "'Customer ' || g, '+1 555 ' || g FROM generate_series(1, %1) g;"
                            "INSERT INTO sync.links (entity, backend_id, dashboard_id, baseline) SELECT 'customer', g, g, "
                            "jsonb_build_object('email', 'c' || g || '@example.com', 'name', 'Customer ' || g, 'phone', "
                            "'+1 555 ' || g, 'company', null, 'locale', 'en', 'tags', '[]'::jsonb) FROM generate_series(1, %1) g;"
                            "SELECT setval(pg_get_serial_sequence('backend.users', 'id'), %1);"
                            "SELECT setval(pg_get_serial_sequence('dashboard.customers', 'id'), %1); COMMIT")
                            .arg(count)),
          "seeding customers");
    check(sql::exec(db, QStringLiteral("VACUUM ANALYZE")), "vacuum");
}

Result<DatabaseUrl> freshDatabase(const DatabaseUrl &admin, const QString &name, bool migrate)
{
    {
        ConnectionProvider adminConnections(admin, QStringLiteral("bench-admin"));
        auto db = adminConnections.database();
        if (!db)
            return Result<DatabaseUrl>::failure(db.error());
        sql::exec(db.value(), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
        if (Status created = sql::exec(db.value(), QStringLiteral("CREATE DATABASE %1").arg(name)); !created)
            return Result<DatabaseUrl>::failure(created.error());
    }
    const DatabaseUrl url = admin.withDatabase(name);
    if (migrate) {
        ConnectionProvider connections(url, QStringLiteral("bench-migrate"));
        auto db = connections.database();
        if (!db)
            return Result<DatabaseUrl>::failure(db.error());
        auto migrated = Migrator(Migrator::bundled()).migrate(db.value());
        if (!migrated)
            return Result<DatabaseUrl>::failure(migrated.error());
    }
    return Result<DatabaseUrl>::success(url);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{QStringLiteral("phases"), QStringLiteral("Comma-separated phases to run (default all)."),
          QStringLiteral("list"),
          QStringLiteral("writers,keepup,backlog,latency,backlogbare,builtin,twodb,consistency,memory,relay,adopt,bulkcreate,mixed")},
         {QStringLiteral("bulk-rows"), QStringLiteral("N of the adopt and bulkcreate phases (default 100000)."),
          QStringLiteral("n"), QStringLiteral("100000")},
         {QStringLiteral("runs"), QStringLiteral("Runs per measured phase (default 3)."), QStringLiteral("n"),
          QStringLiteral("3")},
         {QStringLiteral("workers"), QStringLiteral("Engine worker threads (default 2)."),
          QStringLiteral("n"), QStringLiteral("2")},
         {QStringLiteral("batch-size"), QStringLiteral("Events per claimed batch (default 1000)."),
          QStringLiteral("n"), QStringLiteral("1000")}});
    parser.addHelpOption();
    parser.process(app);
    const QStringList phases = parser.value(QStringLiteral("phases")).split(QLatin1Char(','));
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const int workers = parser.value(QStringLiteral("workers")).toInt();
    const int batchSize = parser.value(QStringLiteral("batch-size")).toInt();
    const int bulkRows = parser.value(QStringLiteral("bulk-rows")).toInt();
    if (runs < 1 || workers < 1 || batchSize < 1 || bulkRows < 10)
        die(QStringLiteral("--runs, --workers and --batch-size take positive numbers, --bulk-rows at least 10"));

    auto binaries = PgBinaries::locate(qEnvironmentVariable("SYNC_PG_BINDIR"));
    if (!binaries)
        die(binaries.error());
    QTemporaryDir dataDir(QDir::tempPath() + QStringLiteral("/syncdesk-bench-XXXXXX"));
    QFile::setPermissions(dataDir.path(), QFile::permissions(dataDir.path()) | QFileDevice::ExeOther);
    ClusterOptions clusterOptions;
    clusterOptions.dataDir = dataDir.path();
    clusterOptions.durable = true; // what production pays: fsync on
    clusterOptions.serverSettings = {{QStringLiteral("wal_level"), QStringLiteral("logical")},
                                     {QStringLiteral("max_wal_size"), QStringLiteral("4GB")},
                                     {QStringLiteral("shared_buffers"), QStringLiteral("512MB")}};
    if (qEnvironmentVariableIsSet("BENCH_STATEMENTS")) {
        clusterOptions.serverSettings.insert(QStringLiteral("shared_preload_libraries"), QStringLiteral("pg_stat_statements"));
        clusterOptions.serverSettings.insert(QStringLiteral("pg_stat_statements.track_planning"),
                                             QStringLiteral("on"));
    }
    if (qEnvironmentVariableIsSet("BENCH_EXPLAIN")) {
        const QStringList settings{QStringLiteral("shared_preload_libraries=auto_explain"),
                                   QStringLiteral("auto_explain.log_min_duration=5ms"),
                                   QStringLiteral("auto_explain.log_analyze=on"),
                                   QStringLiteral("auto_explain.log_nested_statements=on"),
                                   QStringLiteral("logging_collector=on"),
                                   QStringLiteral("log_directory=") + qEnvironmentVariable("BENCH_EXPLAIN"),
                                   QStringLiteral("log_filename=pg.log")};
        for (const QString &setting : settings)
            clusterOptions.serverSettings.insert(setting.section(QLatin1Char('='), 0, 0),
                                                 setting.section(QLatin1Char('='), 1));
    }
    PostgresCluster cluster(clusterOptions);
    check(cluster.start(), "starting PostgreSQL");
    const DatabaseUrl admin = cluster.urlFor(QStringLiteral("postgres"));
    std::printf("PostgreSQL %d, durable private cluster; %d customers; %d updates per run (pgbench -c 4 -j 2); %d runs\n\n",
                binaries->majorVersion(), kCustomers, kUpdates, runs);

    const bool rowPhases =
        phases.contains(QStringLiteral("writers")) || phases.contains(QStringLiteral("keepup")) ||
        phases.contains(QStringLiteral("backlog")) || phases.contains(QStringLiteral("latency")) ||
        phases.contains(QStringLiteral("backlogbare")) || phases.contains(QStringLiteral("builtin")) ||
        phases.contains(QStringLiteral("relay"));
    if (rowPhases) {
        auto url = freshDatabase(admin, QStringLiteral("bench_sync"), true);
        if (!url)
            die(url.error());
        Bench bench(binaries->program(QStringLiteral("pgbench")), url.value());
        seedLinkedCustomers(bench.db(), kCustomers);
        DataSyncService engine(engineOptions(workers, batchSize), bench.connections(), bench.connections());
        check(engine.start(), "starting the engine");
        if (qEnvironmentVariableIsSet("BENCH_STATEMENTS")) {
            sql::exec(bench.db(), QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
            sql::exec(bench.db(), QStringLiteral("SELECT pg_stat_statements_reset()"));
        }

        QMap<QString, QList<double>> figures;
        if (phases.contains(QStringLiteral("writers"))) {
            engine.pause();
            for (int run = 0; run < runs; ++run) {
                // Alternating which goes first (bare, capture; capture, bare; ...) so a machine that
                // slows down or speeds up during the phase does not favour either.
                const std::array<bool, 2> order =
                    run % 2 == 0 ? std::array<bool, 2>{false, true} : std::array<bool, 2>{true, false};
                for (const bool capture : order) {
                    for (const char *trigger : {"syncdesk_touch", "syncdesk_capture", "syncdesk_capture_inserts"})
                        check(sql::exec(bench.db(), QStringLiteral("ALTER TABLE backend.users %1 TRIGGER %2")
                                                        .arg(capture ? QStringLiteral("ENABLE") : QStringLiteral("DISABLE"),
                                                             QLatin1String(trigger))),
                              "trigger");
                    bench.resetQueue();
                    const double tps = bench.updates();
                    figures[capture ? QStringLiteral("writers capture") : QStringLiteral("writers bare")] << tps;
                    std::printf("writers run %d %-10s %8.0f updates/s\n", run + 1, capture ? "capture" : "bare", tps);
                    std::fflush(stdout);
                }
            }
            bench.resetQueue();
            check(sql::exec(bench.db(), QStringLiteral("UPDATE backend.users u SET full_name = c.name, phone = c.phone "
                                                       "FROM dashboard.customers c WHERE c.id = u.id")),
                  "resetting");
            engine.resume();
        }
        if (phases.contains(QStringLiteral("keepup"))) {
            for (int run = 0; run < runs; ++run) {
                bench.resetQueue();
                QElapsedTimer clock;
                clock.start();
                const double tps = bench.updates();
                const qint64 writesDone = clock.elapsed();
                const qint64 synced = bench.waitUntilSynced(clock);
                const double rate = kUpdates * 1000.0 / double(synced);
                figures[QStringLiteral("keepup rate")] << rate;
                figures[QStringLiteral("keepup lag")] << double(synced - writesDone);
                figures[QStringLiteral("keepup writers")] << tps;
                std::printf("keep-up run %d: writers %.0f/s, in sync after %.1f s = %.0f changes/s, lag %lld ms\n", run + 1, tps,
                            synced / 1000.0, rate, synced - writesDone);
                std::fflush(stdout);
            }
        }
        // One backlog: the engine paused for the writes, then resumed; the milliseconds to catch up.
        // `beforeResume` runs just before the engine resumes.
        const auto backlog = [&](const std::function<void()> &beforeResume = {}) {
            bench.resetQueue();
            engine.pause();
            pause(500);
            bench.updates();
            if (beforeResume)
                beforeResume();
            const qint64 synced = catchUp(engine, kUpdates);
            if (bench.anyPending() || bench.mismatches() != 0)
                die(QStringLiteral("backlog: the sides differ after every change was applied"));
            return synced;
        };
        const auto measureBacklog = [&](const QString &key, const char *label) {
            for (int run = 0; run < runs; ++run) {
                const qint64 synced = backlog();
                const double rate = kUpdates * 1000.0 / double(synced);
                figures[key] << rate;
                std::printf("%s run %d: %d changes caught up in %.1f s = %.0f changes/s\n", label, run + 1,
                            kUpdates, synced / 1000.0, rate);
                std::fflush(stdout);
            }
        };
        if (phases.contains(QStringLiteral("backlog")))
            measureBacklog(QStringLiteral("backlog rate"), "backlog");
        if (phases.contains(QStringLiteral("relay"))) {
            QTemporaryDir natsStore(QDir::tempPath() + QStringLiteral("/syncdesk-bench-nats-XXXXXX"));
            test::NatsServer broker;
            check(broker.start(natsStore.path()), "starting nats-server");
            test::StreamReader reader(broker.url());
            check(reader.connect(), "reading the stream");
            RelaySettings on;
            on.url = broker.url();
            on.stream = QStringLiteral("BENCH");
            on.subjectPrefix = QStringLiteral("bench");
            RelaySettings away = on; // recording, and no broker to reach: the apply path's cost alone
            away.url = QStringLiteral("nats://127.0.0.1:1");
            RelaySettings off = on;
            off.enabled = false;
            const auto waiting = [&]() {
                return scalar(bench.db(), QStringLiteral("SELECT coalesce(sum(event_count), 0) FROM sync.relay_batches")).toLongLong();
            };
            const auto backlogWith = [&](const RelaySettings &relay) {
                check(engine.applyRelaySettings(relay), "relay settings");
                return kUpdates * 1000.0 / double(backlog());
            };
            for (int run = 0; run < runs; ++run) {
                const std::array<bool, 2> order =
                    run % 2 == 0 ? std::array<bool, 2>{false, true} : std::array<bool, 2>{true, false};
                for (const bool recording : order) {
                    const double rate = backlogWith(recording ? away : off);
                    figures[recording ? QStringLiteral("relay recording") : QStringLiteral("relay off")] << rate;
                    std::printf("relay run %d: backlog with the relay %s: %.0f changes/s\n", run + 1,
                                recording ? "recording (broker unreachable)" : "off", rate);
                    std::fflush(stdout);
                }
                // The recording run left its events in the journal: the relay's backlog. A new engine
                // backlog on top, then both at once: the engine catching up, the relay publishing.
                const qint64 relayBacklog = waiting();
                const quint64 before = reader.count(on.stream).value();
                QElapsedTimer clock;
                quint64 seen = before;
                qint64 lastChangeMs = 0;
                qint64 backlogDrainedMs = 0; // when the events that waited before were all in the stream
                QTimer poll;
                QObject::connect(&poll, &QTimer::timeout, [&]() {
                    if (const auto count = reader.count(on.stream); count && count.value() != seen) {
                        seen = count.value();
                        lastChangeMs = clock.elapsed();
                        if (backlogDrainedMs == 0 && qint64(seen - before) >= relayBacklog)
                            backlogDrainedMs = lastChangeMs;
                    }
                });
                const qint64 synced = backlog([&]() {
                    poll.start(20);
                    clock.start();
                    check(engine.applyRelaySettings(on), "relay settings");
                });
                while (waiting() > 0)
                    pause(50);
                pause(300); // the last count
                poll.stop();
                const qint64 published = qint64(seen - before);
                const double rate = kUpdates * 1000.0 / double(synced);
                // The relay's rate is that of the events that waited before: the relay publishes oldest
                // first, and those it never has to wait for (the new ones come at the engine's pace, so
                // all events over the whole catch-up would measure the engine, not the relay).
                const double throughput = relayBacklog * 1000.0 / double(backlogDrainedMs);
                figures[QStringLiteral("relay publishing")] << rate;
                figures[QStringLiteral("relay throughput")] << throughput;
                std::printf("relay run %d: backlog while the relay publishes: %.0f changes/s (caught up in %.2f s); relay: the "
                            "%lld events waiting before in %.2f s = %.0f events/s%s; all %lld in %.2f s\n",
                            run + 1, rate, synced / 1000.0, relayBacklog, backlogDrainedMs / 1000.0, throughput,
                            backlogDrainedMs <= synced ? "" : " (after the engine had caught up)", published,
                            lastChangeMs / 1000.0);
                std::fflush(stdout);
            }
            // Latency: commit (the done mark, just before it) to the broker's storing the message, at
            // 1,000 changes/s, on a stream of its own.
            RelaySettings latency = on;
            latency.stream = QStringLiteral("BENCH_LATENCY");
            latency.subjectPrefix = QStringLiteral("benchlatency");
            check(engine.applyRelaySettings(latency), "relay settings");
            bench.resetQueue();
            const double tps = bench.pgbench({QStringLiteral("-R"), QStringLiteral("1000"), QStringLiteral("-T"), QStringLiteral("20")},
                                             bench.url());
            QElapsedTimer clock;
            clock.start();
            bench.waitUntilSynced(clock);
            while (waiting() > 0)
                pause(50);
            pause(300);
            QHash<qint64, double> committedMs;
            auto done = sql::run(bench.db(), QStringLiteral("SELECT id, extract(epoch FROM processed_at) * 1000 FROM sync.outbox "
                                                           "WHERE status = 'done'"));
            if (!done)
                die(done.error());
            while (done.value().next())
                committedMs.insert(done.value().value(0).toLongLong(), done.value().value(1).toDouble());
            const auto messages = reader.readAll(latency.stream, latency.subjectPrefix + QStringLiteral(".>"));
            if (!messages)
                die(messages.error());
            QList<double> delays;
            for (const test::StreamMessage &message : messages.value()) {
                const QJsonArray ids = message.document.value(QStringLiteral("payload")).toObject().value(QStringLiteral("event_ids")).toArray();
                if (!ids.isEmpty() && committedMs.contains(ids.first().toInteger()))
                    delays << double(message.storedAtMs) - committedMs.value(ids.first().toInteger());
            }
            std::sort(delays.begin(), delays.end());
            const auto at = [&](double q) { return delays.isEmpty() ? 0.0 : delays.at(std::min(delays.size() - 1, qsizetype(q * delays.size()))); };
            std::printf("relay latency at %.0f offered changes/s (%lld events): commit to broker p50 %.1f ms, p95 %.1f ms, "
                        "p99 %.1f ms, max %.1f ms\n",
                        tps, qint64(delays.size()), at(0.5), at(0.95), at(0.99), delays.isEmpty() ? 0.0 : delays.constLast());
            figures[QStringLiteral("relay latency p99")] << at(0.99);
            check(engine.applyRelaySettings(off), "relay settings");
            std::fflush(stdout);
        }
        if (phases.contains(QStringLiteral("latency"))) {
            bench.resetQueue();
            const double tps = bench.pgbench({QStringLiteral("-R"), QStringLiteral("1000"), QStringLiteral("-T"), QStringLiteral("20")},
                                             bench.url());
            QElapsedTimer clock;
            clock.start();
            bench.waitUntilSynced(clock);
            auto row = sql::run(bench.db(), QStringLiteral(
                                                "SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY "
                                                "extract(epoch FROM processed_at - captured_at) * 1000)::text, "
                                                "max(extract(epoch FROM processed_at - captured_at) * 1000) FROM sync.outbox"));
            if (!row || !row.value().next())
                die(QStringLiteral("latency query failed"));
            const QStringList percentiles = sql::parseTextArray(row.value().value(1).toString());
            std::printf("latency at %.0f offered changes/s (%lld changes): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                        tps, row.value().value(0).toLongLong(), percentiles.value(0).toDouble(), percentiles.value(1).toDouble(),
                        percentiles.value(2).toDouble(), row.value().value(2).toDouble());
            figures[QStringLiteral("latency p99")] << percentiles.value(2).toDouble();
            std::fflush(stdout);
        }
        if (phases.contains(QStringLiteral("backlogbare"))) {
            // The backlog again, into a helpdesk table stripped like the bare built-in replica (a primary
            // key only): no search column, no lower(e-mail) index, no unique e-mail. Comparison only; it
            // changes the helpdesk's schema for the rest of the run.
            check(sql::exec(bench.db(), QStringLiteral("ALTER TABLE dashboard.customers DROP COLUMN search; "
                                                       "DROP INDEX dashboard.customers_email_lower_idx; "
                                                       "ALTER TABLE dashboard.customers DROP CONSTRAINT "
                                                       "customers_email_key")),
                  "stripping the helpdesk table");
            measureBacklog(QStringLiteral("backlog bare rate"), "backlog into a bare helpdesk table");
        }
        if (phases.contains(QStringLiteral("builtin"))) {
            // The same table replicated by PostgreSQL itself into a second database of this cluster.
            engine.stop();
            for (const char *trigger : {"syncdesk_touch", "syncdesk_capture", "syncdesk_capture_inserts"})
                check(sql::exec(bench.db(), QStringLiteral("ALTER TABLE backend.users DISABLE TRIGGER %1").arg(QLatin1String(trigger))),
                      "trigger");
            // Twice: into a copy of the table as the migrations define it (its unique e-mail, the
            // lower(e-mail) and search indexes a replica made from the schema has; its own triggers do
            // not fire under the apply worker), and into a bare table with a primary key only.
            for (const bool sameDefinition : {true, false}) {
                const QString key =
                    sameDefinition ? QStringLiteral("builtin") : QStringLiteral("builtin bare");
                auto replicaUrl = freshDatabase(admin, QStringLiteral("bench_replica"), sameDefinition);
                if (!replicaUrl)
                    die(replicaUrl.error());
                ConnectionProvider replicaConnections(replicaUrl.value(), QStringLiteral("bench-replica"));
                QSqlDatabase replica = replicaConnections.database().value();
                if (!sameDefinition)
                    check(sql::exec(
                              replica,
                              QStringLiteral(
                                  "CREATE SCHEMA backend; CREATE TABLE backend.users (id bigint PRIMARY KEY, "
                                  "email text NOT NULL, full_name text NOT NULL DEFAULT '', phone text, "
                                  "company text, "
                                  "locale text NOT NULL DEFAULT 'en', tags text[] NOT NULL DEFAULT '{}', "
                                  "attributes jsonb NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL "
                                  "DEFAULT now(), "
                                  "updated_at timestamptz NOT NULL DEFAULT now(), version bigint NOT NULL "
                                  "DEFAULT 1)")),
                          "replica table");
                // The replica starts as a copy of the source as it is now (copy_data=false: the subscription
                // copies nothing itself); its capture trigger, if any, stays quiet for SyncDesk's origin.
                const QString columns = QStringLiteral(
                    "id, email, full_name, phone, company, locale, tags, attributes, created_at, "
                    "updated_at, version");
                check(sql::exec(replica, QStringLiteral("SET syncdesk.origin = 'bench'")), "origin");
                if (auto copied = sql::copyAcross(
                        bench.db(),
                        QStringLiteral("COPY (SELECT %1 FROM backend.users) TO STDOUT").arg(columns), replica,
                        QStringLiteral("COPY backend.users (%1) FROM STDIN").arg(columns));
                    !copied)
                    die(copied.error());
                check(sql::exec(replica, QStringLiteral("RESET syncdesk.origin")), "origin");
                check(sql::exec(replica, QStringLiteral("VACUUM ANALYZE backend.users")), "replica vacuum");
                check(sql::exec(bench.db(),
                                QStringLiteral("CREATE PUBLICATION bench_pub FOR TABLE backend.users")),
                      "publication");
                check(sql::exec(bench.db(),
                                QStringLiteral(
                                    "SELECT pg_create_logical_replication_slot('bench_slot', 'pgoutput')")),
                      "slot");
                check(
                    sql::exec(
                        replica,
                        QStringLiteral(
                            "CREATE SUBSCRIPTION bench_sub CONNECTION '%1' PUBLICATION bench_pub WITH "
                            "(create_slot = false, slot_name = 'bench_slot', copy_data = false)")
                            .arg(bench.url().toConnInfo().replace(QLatin1Char('\''), QStringLiteral("''")))),
                    "subscription");
                const auto caughtUp = [&](const QString &lsn) {
                    return scalar(bench.db(),
                                  QStringLiteral(
                                      "SELECT confirmed_flush_lsn >= '%1'::pg_lsn FROM pg_replication_slots "
                                      "WHERE slot_name = 'bench_slot'")
                                      .arg(lsn))
                        .toBool();
                };
                for (int run = 0; run < runs; ++run) {
                    // Writers while replication streams.
                    check(sql::exec(bench.db(), QStringLiteral("CHECKPOINT")), "checkpoint");
                    const double tps = bench.updates();
                    QString lsn =
                        scalar(bench.db(), QStringLiteral("SELECT pg_current_wal_lsn()::text")).toString();
                    while (!caughtUp(lsn))
                        pause(20);
                    figures[key + QStringLiteral(" writers")] << tps;
                    // Catch-up: subscription off during the writes, then on.
                    check(sql::exec(replica, QStringLiteral("ALTER SUBSCRIPTION bench_sub DISABLE")),
                          "disable");
                    pause(1000);
                    bench.updates();
                    lsn = scalar(bench.db(), QStringLiteral("SELECT pg_current_wal_lsn()::text")).toString();
                    const QHash<int, double> cpuBefore = cpuTicks();
                    QElapsedTimer clock;
                    clock.start();
                    check(sql::exec(replica, QStringLiteral("ALTER SUBSCRIPTION bench_sub ENABLE")),
                          "enable");
                    while (!caughtUp(lsn))
                        pause(20);
                    if (qEnvironmentVariableIsSet("BENCH_CPU"))
                        std::printf("cpu: server %.2f s\n", cpuSpent(cpuBefore, cpuTicks()).first);
                    const double rate = kUpdates * 1000.0 / double(clock.elapsed());
                    figures[key + QStringLiteral(" catchup")] << rate;
                    std::printf("built-in run %d (%s): writers %.0f/s, catch-up %.0f changes/s\n", run + 1,
                                sameDefinition ? "replica table as defined" : "bare replica table", tps,
                                rate);
                    std::fflush(stdout);
                }
                // Both sides equal after the last run, or the figure means nothing.
                const QString rowsSql = QStringLiteral(
                    "SELECT md5(string_agg(id || ':' || full_name || ':' || coalesce(phone, ''), ',' "
                    "ORDER BY id)) FROM backend.users");
                if (scalar(bench.db(), rowsSql) != scalar(replica, rowsSql))
                    die(QStringLiteral("the built-in replica differs from its source"));
                check(sql::exec(replica,
                                QStringLiteral(
                                    "ALTER SUBSCRIPTION bench_sub DISABLE; ALTER SUBSCRIPTION bench_sub SET "
                                    "(slot_name = NONE); DROP SUBSCRIPTION bench_sub")),
                      "drop subscription");
                check(sql::exec(
                          bench.db(),
                          QStringLiteral(
                              "SELECT pg_drop_replication_slot('bench_slot'); DROP PUBLICATION bench_pub")),
                      "drop slot");
            }
        }

        if (qEnvironmentVariableIsSet("BENCH_STATEMENTS")) {
            // Where the server's time went (development aid).
            sql::exec(bench.db(), QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
            auto top = sql::run(
                bench.db(),
                QStringLiteral("SELECT round(total_exec_time)::bigint, calls, round(total_plan_time)::bigint "
                               "AS plan, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) "
                               "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"));
            while (top && top.value().next())
                std::printf("  %8lld ms (+%lld ms planning) %7lld calls %9lld rows  %s\n",
                            top.value().value(0).toLongLong(), top.value().value(2).toLongLong(),
                            top.value().value(1).toLongLong(), top.value().value(3).toLongLong(),
                            qPrintable(top.value().value(4).toString()));
        }
        std::printf("\nSummary (medians)\n");
        const auto line = [&](const char *label, const QString &key, const char *unit) {
            if (figures.contains(key))
                std::printf("  %-44s %10.0f %s\n", label, median(figures.value(key)), unit);
        };
        line("writers, no triggers", QStringLiteral("writers bare"), "updates/s");
        line("writers, capture on", QStringLiteral("writers capture"), "updates/s");
        if (figures.contains(QStringLiteral("writers bare")) &&
            figures.contains(QStringLiteral("writers capture"))) {
            std::printf("  %-44s %10.2f x   (target <= 1.5)\n", "capture cost to writers",
                        median(figures.value(QStringLiteral("writers bare"))) / median(figures.value(QStringLiteral("writers capture"))));
            // The same from each run's pair, measured back to back.
            QList<double> paired;
            const QList<double> bare = figures.value(QStringLiteral("writers bare"));
            const QList<double> captured = figures.value(QStringLiteral("writers capture"));
            for (qsizetype i = 0; i < std::min(bare.size(), captured.size()); ++i)
                paired << bare.at(i) / captured.at(i);
            std::printf("  %-44s %10.2f x\n", "capture cost, median of each run's pair", median(paired));
        }
        line("keep-up: changes/s until in sync", QStringLiteral("keepup rate"), "changes/s");
        line("keep-up: lag after the last write", QStringLiteral("keepup lag"), "ms");
        line("backlog: catch-up", QStringLiteral("backlog rate"), "changes/s");
        line("backlog into a bare helpdesk table", QStringLiteral("backlog bare rate"), "changes/s");
        if (figures.contains(QStringLiteral("latency p99")))
            std::printf("  %-44s %10.1f ms  (target < 100)\n", "latency p99 at 1,000 changes/s",
                        median(figures.value(QStringLiteral("latency p99"))));
        line("built-in replication: writers", QStringLiteral("builtin writers"), "updates/s");
        line("built-in replication: catch-up", QStringLiteral("builtin catchup"), "changes/s");
        line("built-in, bare replica table: catch-up", QStringLiteral("builtin bare catchup"), "changes/s");
        if (figures.contains(QStringLiteral("builtin catchup")) && figures.contains(QStringLiteral("backlog rate")))
            std::printf("  %-44s %10.2f x   (target >= 1)\n", "SyncDesk catch-up / built-in catch-up",
                        median(figures.value(QStringLiteral("backlog rate"))) / median(figures.value(QStringLiteral("builtin catchup"))));
        if (figures.contains(QStringLiteral("builtin bare catchup")) &&
            figures.contains(QStringLiteral("backlog rate")))
            std::printf("  %-44s %10.2f x\n", "SyncDesk catch-up / built-in into bare table",
                        median(figures.value(QStringLiteral("backlog rate"))) /
                            median(figures.value(QStringLiteral("builtin bare catchup"))));
        if (figures.contains(QStringLiteral("builtin bare catchup")) &&
            figures.contains(QStringLiteral("backlog bare rate")))
            std::printf("  %-44s %10.2f x\n", "both into bare tables: SyncDesk / built-in",
                        median(figures.value(QStringLiteral("backlog bare rate"))) /
                            median(figures.value(QStringLiteral("builtin bare catchup"))));
        if (figures.contains(QStringLiteral("builtin writers")) && figures.contains(QStringLiteral("writers capture")))
            std::printf("  %-44s %10.2f x\n", "SyncDesk writers / built-in writers",
                        median(figures.value(QStringLiteral("writers capture"))) / median(figures.value(QStringLiteral("builtin writers"))));
        line("relay off: catch-up", QStringLiteral("relay off"), "changes/s");
        line("relay recording, no broker: catch-up", QStringLiteral("relay recording"), "changes/s");
        line("relay publishing meanwhile: catch-up", QStringLiteral("relay publishing"), "changes/s");
        line("relay throughput during that catch-up", QStringLiteral("relay throughput"), "events/s  (target >= 30,000)");
        if (figures.contains(QStringLiteral("relay off")) && figures.contains(QStringLiteral("relay publishing"))) {
            const double offRate = median(figures.value(QStringLiteral("relay off")));
            std::printf("  %-44s %10.1f %%  (recording alone %.1f %%; target <= 10)\n", "catch-up slower with the relay on",
                        100.0 * (1.0 - median(figures.value(QStringLiteral("relay publishing"))) / offRate),
                        100.0 * (1.0 - median(figures.value(QStringLiteral("relay recording"))) / offRate));
        }
        if (figures.contains(QStringLiteral("relay latency p99")))
            std::printf("  %-44s %10.1f ms  (target < 50)\n", "relay: commit to broker p99 at 1,000/s",
                        median(figures.value(QStringLiteral("relay latency p99"))));
        std::fflush(stdout);
    }

    if (phases.contains(QStringLiteral("twodb"))) {
        // The same backlog with the helpdesk in a database of its own: the product's database keeps
        // users and the sync state, the helpdesk's its customers; each batch commits in both.
        auto productUrl = freshDatabase(admin, QStringLiteral("bench_product"), true);
        auto helpdeskUrl = freshDatabase(admin, QStringLiteral("bench_helpdesk"), true);
        if (!productUrl || !helpdeskUrl)
            die(productUrl ? helpdeskUrl.error() : productUrl.error());
        Bench bench(binaries->program(QStringLiteral("pgbench")), productUrl.value());
        auto helpdesk = std::make_shared<ConnectionProvider>(helpdeskUrl.value(), QStringLiteral("bench-helpdesk"));
        QSqlDatabase helpdeskDb = helpdesk->database().value();
        seedLinkedCustomers(bench.db(), kCustomers);
        seedLinkedCustomers(helpdeskDb, kCustomers);
        check(sql::exec(helpdeskDb, QStringLiteral("TRUNCATE sync.links, backend.users CASCADE")), "splitting");
        check(sql::exec(helpdeskDb, QStringLiteral("SELECT sync.number_events_as_dashboard_database()")), "numbering");
        check(sql::exec(bench.db(), QStringLiteral("TRUNCATE dashboard.customers CASCADE")), "splitting");
        const auto checksum = [](QSqlDatabase &db, const QString &table, const QString &name) {
            return scalar(db, QStringLiteral("SELECT md5(string_agg(id || ':' || %1 || ':' || coalesce(phone, ''), ',' ORDER BY id)) "
                                             "FROM %2").arg(name, table)).toString();
        };
        DataSyncService engine(engineOptions(workers, batchSize), bench.connections(), helpdesk);
        check(engine.start(), "starting the engine");
        QList<double> rates;
        for (int run = 0; run < runs; ++run) {
            bench.resetQueue();
            check(sql::exec(helpdeskDb, QStringLiteral("VACUUM ANALYZE dashboard.customers")), "vacuum");
            engine.pause();
            pause(500);
            bench.updates();
            const qint64 synced = catchUp(engine, kUpdates);
            if (checksum(bench.db(), QStringLiteral("backend.users"), QStringLiteral("full_name"))
                != checksum(helpdeskDb, QStringLiteral("dashboard.customers"), QStringLiteral("name")))
                die(QStringLiteral("two databases: the sides differ after the queue emptied"));
            rates << kUpdates * 1000.0 / double(synced);
            std::printf("two databases run %d: %d changes caught up in %.1f s = %.0f changes/s (both sides equal)\n", run + 1,
                        kUpdates, synced / 1000.0, rates.last());
            std::fflush(stdout);
        }
        engine.stop();
        std::printf("  %-44s %10.0f changes/s\n\n", "two databases: catch-up (median)", median(rates));
        std::fflush(stdout);
    }

    if (phases.contains(QStringLiteral("consistency"))) {
        auto url = freshDatabase(admin, QStringLiteral("bench_consistency"), true);
        if (!url)
            die(url.error());
        ConnectionProvider connections(url.value(), QStringLiteral("bench-consistency"));
        QSqlDatabase db = connections.database().value();
        QElapsedTimer seeding;
        seeding.start();
        seedLinkedCustomers(db, 1000000);
        check(sql::exec(db, QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'bench'; UPDATE dashboard.customers SET phone = "
                                           "'drifted' WHERE id IN (SELECT (random() * 999999)::int + 1 FROM generate_series(1, 3000) "
                                           "LIMIT 1000); COMMIT")),
              "injecting drift");
        const qint64 injected = scalar(db, QStringLiteral("SELECT count(*) FROM dashboard.customers WHERE phone = 'drifted'")).toLongLong();
        ConsistencyChecker checker(db);
        const qint64 run = checker.createRun(QStringLiteral("bench")).value();
        QElapsedTimer clock;
        clock.start();
        auto report = checker.run(run, false);
        const qint64 elapsed = clock.elapsed();
        if (!report)
            die(report.error());
        qint64 found = 0;
        for (const ConsistencyFinding &finding : report->findings) {
            if (finding.check == QLatin1String("drifted_customers"))
                found = finding.found;
        }
        std::printf("\nconsistency check over 1,000,000 linked pairs (seeded in %.0f s): %lld of %lld injected differences "
                    "found in %.2f s (target: all, < 10 s)\n",
                    seeding.elapsed() / 1000.0, found, injected, elapsed / 1000.0);
        std::fflush(stdout);
    }

    if (phases.contains(QStringLiteral("memory"))) {
        auto url = freshDatabase(admin, QStringLiteral("bench_memory"), true);
        if (!url)
            die(url.error());
        Bench bench(binaries->program(QStringLiteral("pgbench")), url.value());
        seedLinkedCustomers(bench.db(), kCustomers);
        DataSyncService engine(engineOptions(workers, batchSize), bench.connections(), bench.connections());
        check(engine.start(), "starting the engine");
        const long before = residentKb();
        long peak = before;
        QTimer sampler;
        QObject::connect(&sampler, &QTimer::timeout, [&peak]() { peak = std::max(peak, residentKb()); });
        sampler.start(200);
        QElapsedTimer clock;
        clock.start();
        bench.pgbench({QStringLiteral("-t"), QString::number(1000000 / 4)}, bench.url());
        bench.waitUntilSynced(clock);
        sampler.stop();
        peak = std::max(peak, residentKb());
        const qint64 applied = scalar(bench.db(), QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'done'")).toLongLong();
        std::printf("\nmemory through %lld applied changes in %.0f s: resident %ld MB before, peak %ld MB (target < 200 MB)\n",
                    applied, clock.elapsed() / 1000.0, before / 1024, peak / 1024);
        engine.stop();
    }

    if (phases.contains(QStringLiteral("adopt")) || phases.contains(QStringLiteral("bulkcreate")) ||
        phases.contains(QStringLiteral("copy")) || phases.contains(QStringLiteral("mixed"))) {
        bench::BulkOptions bulk;
        bulk.rows = bulkRows;
        bulk.runs = runs;
        bulk.workers = workers;
        bulk.batchSize = batchSize;
        bench::runBulkPhases(phases, admin, bulk);
    }
    return 0;
}
