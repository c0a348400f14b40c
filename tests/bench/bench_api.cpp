// REST API benchmarks (issue 6), measured with autocannon (tests/node) against the API in this process,
// exactly as `syncdesk --headless` runs it (engine, HTTP thread, worker threads), on a durable private
// PostgreSQL with demo data, every request authenticated with a bearer token:
//   status   GET /api/sync/status, 50 keep-alive connections, while demo traffic keeps the engine
//            syncing (target: >= 5,000 requests/s, p99 <= 20 ms)
//   tickets  POST /api/sync/tickets/{id}/status end to end, spread over the seeded tickets, each request
//            applied to both sides, the conversations, activities and notifications (target: >= 500/s);
//            afterwards every linked ticket must have the same status on both sides.
// Usage: bench_api [--phases status,tickets] [--runs 3] [--duration 20] [--demo-rate 100] [--connections 16]
//                  [--workers 4] [--customers 3000]; BENCH_STATEMENTS=1 prints the server's costliest statements.
// Needs `npm ci` in tests/node.
#include "api/apiconfig.h"
#include "api/httpapi.h"
#include "api/jwtcodec.h"
#include "database/connectionprovider.h"
#include "database/pgbinaries.h"
#include "database/postgrescluster.h"
#include "database/sql.h"
#include "demo/demoseeder.h"
#include "demo/demotraffic.h"
#include "schema/migrator.h"
#include "service/datasyncservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace syncdesk;

namespace {

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_api: %s\n", qPrintable(message));
    std::exit(1);
}

void check(const Status &status, const char *what)
{
    if (!status)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), status.error()));
}

void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Runs node with `arguments` while the event loop keeps turning (the engine reports through it).
QJsonObject runNode(const QString &nodeDir, const QStringList &arguments)
{
    QProcess node;
    node.setWorkingDirectory(nodeDir);
    QEventLoop loop;
    QObject::connect(&node, &QProcess::finished, &loop, &QEventLoop::quit);
    node.start(QStringLiteral("node"), arguments);
    if (!node.waitForStarted(10000))
        die(QStringLiteral("node does not start"));
    loop.exec();
    if (node.exitCode() != 0)
        die(QStringLiteral("node %1 failed: %2").arg(arguments.join(QLatin1Char(' ')), QString::fromUtf8(node.readAllStandardError())));
    const QByteArray out = node.readAllStandardOutput();
    return QJsonDocument::fromJson(out.mid(out.indexOf('{'))).object();
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

struct Measured
{
    double rps = 0;
    double p50 = 0;
    double p99 = 0;
    qint64 total = 0;
    qint64 non2xx = 0;
    qint64 errors = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("phases"), QStringLiteral("status,tickets (default both)."), QStringLiteral("list"),
                        QStringLiteral("status,tickets")},
                       {QStringLiteral("runs"), QStringLiteral("Runs per phase (default 3; medians)."), QStringLiteral("n"), QStringLiteral("3")},
                       {QStringLiteral("duration"), QStringLiteral("Seconds per run (default 20)."), QStringLiteral("s"), QStringLiteral("20")},
                       {QStringLiteral("demo-rate"), QStringLiteral("Demo changes per second while measuring status (default 100)."),
                        QStringLiteral("n"), QStringLiteral("100")},
                       {QStringLiteral("connections"), QStringLiteral("Connections of the tickets phase (default 16)."), QStringLiteral("n"),
                        QStringLiteral("16")},
                       {QStringLiteral("customers"), QStringLiteral("Demo customers to seed (default 3000)."), QStringLiteral("n"),
                        QStringLiteral("3000")},
                       {QStringLiteral("workers"), QStringLiteral("API worker threads (default 4, as SYNC_HTTP_WORKERS)."),
                        QStringLiteral("n"), QStringLiteral("4")}});
    parser.addHelpOption();
    parser.process(app);
    const QStringList phases = parser.value(QStringLiteral("phases")).split(QLatin1Char(','));
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const int duration = parser.value(QStringLiteral("duration")).toInt();
    const QString nodeDir = QStringLiteral(SYNCDESK_SOURCE_DIR "/tests/node");
    if (!QFile::exists(nodeDir + QStringLiteral("/node_modules/autocannon/autocannon.js")))
        die(QStringLiteral("autocannon is missing: run 'npm ci' in tests/node"));

    auto binaries = PgBinaries::locate(qEnvironmentVariable("SYNC_PG_BINDIR"));
    if (!binaries)
        die(binaries.error());
    QTemporaryDir dataDir(QDir::tempPath() + QStringLiteral("/syncdesk-bench-api-XXXXXX"));
    QFile::setPermissions(dataDir.path(), QFile::permissions(dataDir.path()) | QFileDevice::ExeOther);
    ClusterOptions clusterOptions;
    clusterOptions.dataDir = dataDir.path();
    clusterOptions.durable = true; // what production pays: fsync on
    if (qEnvironmentVariableIsSet("BENCH_STATEMENTS"))
        clusterOptions.serverSettings.insert(QStringLiteral("shared_preload_libraries"), QStringLiteral("pg_stat_statements"));
    PostgresCluster cluster(clusterOptions);
    check(cluster.start(), "starting PostgreSQL");
    const DatabaseUrl url = cluster.url();
    auto connections = std::make_shared<ConnectionProvider>(url, QStringLiteral("bench"));
    {
        auto db = connections->database();
        if (!db)
            die(db.error());
        check(Migrator(Migrator::bundled()).migrate(db.value()).ok() ? Status::success() : Status::failure(QStringLiteral("migration")),
              "migrating");
        DemoOptions seed;
        seed.customers = parser.value(QStringLiteral("customers")).toInt();
        auto seeded = DemoSeeder(seed).seed(db.value(), db.value());
        if (!seeded)
            die(seeded.error());
    }

    EngineOptions engineOptions = EngineOptions::from(SyncSettings{});
    engineOptions.autoTicketing.createTickets = false; // the tickets phase measures status changes only
    DataSyncService engine(engineOptions, connections, connections);
    check(engine.start(), "starting the engine");

    api::ApiConfig config;
    config.port = 0;
    config.workers = parser.value(QStringLiteral("workers")).toInt();
    config.jwt.secret = QByteArrayLiteral("bench-secret-of-the-syncdesk-rest-api-0123456789");
    config.clientRate = config.credentialRate = 1e6;
    config.clientBurst = config.credentialBurst = 1e6;
    api::HttpApi api(config, &engine, connections);
    check(api.start(), "starting the REST API");
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(api.port());
    const QByteArray token = api::JwtCodec(config.jwt).sign(QStringLiteral("bench"), Role::Admin, 24 * 3600,
                                                             QDateTime::currentSecsSinceEpoch()).value();
    const QString authorization = QStringLiteral("Authorization: Bearer ") + QString::fromLatin1(token);
    std::printf("PostgreSQL %d, durable private cluster; %s customers; API workers %d; %d runs of %d s\n\n", binaries->majorVersion(),
                qPrintable(parser.value(QStringLiteral("customers"))), config.workers, runs, duration);

    if (phases.contains(QStringLiteral("status"))) {
        DemoOptions traffic;
        traffic.rate = parser.value(QStringLiteral("demo-rate")).toDouble();
        QThread trafficThread;
        auto *demo = new DemoTraffic(connections, connections, traffic);
        demo->moveToThread(&trafficThread);
        QObject::connect(&trafficThread, &QThread::finished, demo, &QObject::deleteLater);
        trafficThread.start();
        QMetaObject::invokeMethod(demo, &DemoTraffic::start, Qt::QueuedConnection);
        pause(3000);
        QList<double> rps, p99, p50;
        qint64 non2xx = 0, errors = 0, applied = 0;
        for (int run = 0; run < runs; ++run) {
            const qint64 before = engine.status().processedTotal;
            const QJsonObject result = runNode(nodeDir, {QStringLiteral("node_modules/autocannon/autocannon.js"), QStringLiteral("-c"),
                                                         QStringLiteral("50"), QStringLiteral("-d"), QString::number(duration),
                                                         QStringLiteral("-j"), QStringLiteral("-H"), authorization,
                                                         base + QStringLiteral("/api/sync/status")});
            pause(2500); // the engine's last batches report in
            applied += engine.status().processedTotal - before;
            rps << result.value(QStringLiteral("requests")).toObject().value(QStringLiteral("average")).toDouble();
            p50 << result.value(QStringLiteral("latency")).toObject().value(QStringLiteral("p50")).toDouble();
            p99 << result.value(QStringLiteral("latency")).toObject().value(QStringLiteral("p99")).toDouble();
            non2xx += result.value(QStringLiteral("non2xx")).toInteger();
            errors += result.value(QStringLiteral("errors")).toInteger() + result.value(QStringLiteral("timeouts")).toInteger();
            std::printf("  status run %d: %.0f requests/s, p50 %.0f ms, p99 %.0f ms, non-2xx %lld, errors %lld\n", run + 1, rps.last(),
                        p50.last(), p99.last(), result.value(QStringLiteral("non2xx")).toInteger(),
                        result.value(QStringLiteral("errors")).toInteger());
            std::fflush(stdout);
        }
        QMetaObject::invokeMethod(demo, &DemoTraffic::stop, Qt::BlockingQueuedConnection);
        trafficThread.quit();
        trafficThread.wait();
        std::printf("GET /api/sync/status, 50 connections: median %.0f requests/s, p50 %.0f ms, p99 %.0f ms (target >= 5000/s, "
                    "p99 <= 20 ms); non-2xx %lld, errors %lld; the engine applied %lld changes meanwhile\n\n",
                    median(rps), median(p50), median(p99), non2xx, errors, applied);
    }

    if (phases.contains(QStringLiteral("tickets"))) {
        auto db = connections->database();
        auto ids = sql::scalar(db.value(), QStringLiteral("SELECT string_agg(dashboard_id::text, ',') FROM sync.links WHERE entity = 'ticket'"));
        if (!ids)
            die(ids.error());
        const int tickets = int(ids.value().toString().count(QLatin1Char(',')) + 1);
        if (qEnvironmentVariableIsSet("BENCH_STATEMENTS")) {
            sql::exec(db.value(), QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
            sql::exec(db.value(), QStringLiteral("SELECT pg_stat_statements_reset()"));
        }
        QList<double> rps, p99, p50;
        qint64 total = 0, non2xx = 0, errors = 0;
        for (int run = 0; run < runs; ++run) {
            const QJsonObject result = runNode(nodeDir, {QStringLiteral("bench-ticket-status.mjs"), QStringLiteral("--url"), base,
                                                         QStringLiteral("--tickets"), ids.value().toString(), QStringLiteral("--connections"),
                                                         parser.value(QStringLiteral("connections")), QStringLiteral("--duration"),
                                                         QString::number(duration), QStringLiteral("--header"), authorization});
            rps << result.value(QStringLiteral("requests_per_second")).toDouble();
            p50 << result.value(QStringLiteral("latency_ms")).toObject().value(QStringLiteral("p50")).toDouble();
            p99 << result.value(QStringLiteral("latency_ms")).toObject().value(QStringLiteral("p99")).toDouble();
            total += result.value(QStringLiteral("total")).toInteger();
            non2xx += result.value(QStringLiteral("non2xx")).toInteger();
            errors += result.value(QStringLiteral("errors")).toInteger() + result.value(QStringLiteral("timeouts")).toInteger();
            std::printf("  tickets run %d: %.0f requests/s, p50 %.0f ms, p99 %.0f ms\n", run + 1, rps.last(), p50.last(), p99.last());
            std::fflush(stdout);
        }
        pause(3000);
        if (qEnvironmentVariableIsSet("BENCH_STATEMENTS")) {
            // Where the server's time went (development aid).
            auto top = sql::run(db.value(), QStringLiteral("SELECT round(total_exec_time)::bigint, round(total_plan_time)::bigint, calls, "
                                                           "left(regexp_replace(query, '\\s+', ' ', 'g'), 120) FROM pg_stat_statements "
                                                           "ORDER BY total_exec_time + total_plan_time DESC LIMIT 25"));
            while (top && top.value().next())
                std::printf("  %7lld ms exec %6lld ms plan %7lld calls  %s\n", top.value().value(0).toLongLong(),
                            top.value().value(1).toLongLong(), top.value().value(2).toLongLong(), qPrintable(top.value().value(3).toString()));
        }
        auto differing = sql::scalar(db.value(), QStringLiteral("SELECT count(*) FROM sync.links l JOIN backend.tickets b ON b.id = l.backend_id "
                                                                "JOIN dashboard.tickets d ON d.id = l.dashboard_id "
                                                                "WHERE l.entity = 'ticket' AND b.status <> d.status"));
        auto activities = sql::scalar(db.value(), QStringLiteral("SELECT count(*) FROM dashboard.ticket_activities WHERE kind = 'status_change' "
                                                                 "AND actor = 'bench'"));
        std::printf("POST /api/sync/tickets/{id}/status over %d tickets, %s connections: median %.0f requests/s, p50 %.0f ms, "
                    "p99 %.0f ms (target >= 500/s); %lld requests, non-2xx %lld, errors %lld; status-change activities written: %lld; "
                    "linked tickets whose status differs between the sides: %lld\n",
                    tickets, qPrintable(parser.value(QStringLiteral("connections"))), median(rps), median(p50), median(p99), total, non2xx,
                    errors, activities ? activities.value().toLongLong() : -1, differing ? differing.value().toLongLong() : -1);
    }
    api.stop();
    engine.stop();
    connections.reset();
    check(cluster.stop(), "stopping PostgreSQL");
    return 0;
}
