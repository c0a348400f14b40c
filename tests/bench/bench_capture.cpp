// Capture overhead: what the change-capture triggers cost the two systems' own writers.
//
// 50,000 single-row UPDATEs of dashboard.customers (random id, new name and phone) from 4 concurrent
// connections (pgbench -n -c 4 -j 2 -t 12500), on a table of 100,000 customers, in these set-ups:
//   no triggers       the bare table
//   row versioning    the BEFORE trigger that bumps version/updated_at (part of the schema)
//   capture           row versioning + the capture trigger (no engine waiting: no NOTIFY)
//   capture+notify    the same while an idle engine waits, so every commit also notifies
// Each set-up runs 3 times, interleaved; medians are printed with the ratios.
//
// Usage: bench_capture [--runs N] [--updates N] [--customers N]
// With DATABASE_URL set it uses that server (a scratch database is created there); otherwise a
// private durable cluster in a temporary folder.
#include "config/databaseurl.h"
#include "database/connectionprovider.h"
#include "database/pgbinaries.h"
#include "database/postgrescluster.h"
#include "database/sql.h"
#include "schema/migrator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>

#include <algorithm>
#include <cstdio>

using namespace syncdesk;

namespace {

struct Setup
{
    const char *name;
    bool versioning;
    bool capture;
    bool engineWaiting;
};

constexpr Setup kSetups[] = {
    {"no triggers", false, false, false},
    {"row versioning", true, false, false},
    {"capture", true, true, false},
    {"capture+notify", true, true, true},
};

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_capture: %s\n", qPrintable(message));
    std::exit(1);
}

void check(const Status &status, const char *what)
{
    if (!status)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), status.error()));
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("runs"), QStringLiteral("Runs per set-up (default 3)."),
                        QStringLiteral("n"), QStringLiteral("3")},
                       {QStringLiteral("updates"), QStringLiteral("Updates per run (default 50000)."),
                        QStringLiteral("n"), QStringLiteral("50000")},
                       {QStringLiteral("customers"), QStringLiteral("Rows in the table (default 100000)."),
                        QStringLiteral("n"), QStringLiteral("100000")}});
    parser.addHelpOption();
    parser.process(app);
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const int updates = parser.value(QStringLiteral("updates")).toInt();
    const int customers = parser.value(QStringLiteral("customers")).toInt();

    auto binaries = PgBinaries::locate(qEnvironmentVariable("SYNC_PG_BINDIR"));
    if (!binaries)
        die(binaries.error());
    const QString pgbench = binaries->program(QStringLiteral("pgbench"));

    std::unique_ptr<QTemporaryDir> dataDir;
    std::unique_ptr<PostgresCluster> cluster;
    DatabaseUrl adminUrl;
    if (const QString configured = qEnvironmentVariable("DATABASE_URL"); !configured.isEmpty()) {
        auto url = DatabaseUrl::parse(configured);
        if (!url)
            die(url.error());
        adminUrl = url.value();
    } else {
        dataDir =
            std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/syncdesk-bench-XXXXXX"));
        QFile::setPermissions(dataDir->path(), QFile::permissions(dataDir->path()) | QFileDevice::ExeOther);
        ClusterOptions options;
        options.dataDir = dataDir->path();
        options.durable = true; // measure what production pays, fsync included
        cluster = std::make_unique<PostgresCluster>(options);
        check(cluster->start(), "starting PostgreSQL");
        adminUrl = cluster->url();
    }

    const QString database = QStringLiteral("syncdesk_bench_capture");
    {
        ConnectionProvider admin(adminUrl, QStringLiteral("bench-admin"));
        auto db = admin.database();
        if (!db)
            die(db.error());
        check(sql::exec(db.value(), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(database)),
              "drop");
        check(sql::exec(db.value(), QStringLiteral("CREATE DATABASE %1").arg(database)), "create");
    }
    const DatabaseUrl url = adminUrl.withDatabase(database);
    ConnectionProvider connections(url, QStringLiteral("bench"));
    auto db = connections.database();
    if (!db)
        die(db.error());
    auto migrated = Migrator(Migrator::bundled()).migrate(db.value());
    if (!migrated)
        die(migrated.error());
    check(sql::exec(
              db.value(),
              QStringLiteral("BEGIN; SET LOCAL syncdesk.origin = 'bench';"
                             "INSERT INTO dashboard.customers (id, email, name, phone, company) "
                             "SELECT g, 'customer' || g || '@example.com', 'Customer ' || g, '+1 555 ' || g, "
                             "'Company ' || (g % 500) FROM generate_series(1, %1) g; COMMIT")
                  .arg(customers)),
          "seeding customers");
    check(sql::exec(db.value(), QStringLiteral("VACUUM ANALYZE dashboard.customers")), "vacuum");

    QTemporaryFile script;
    if (!script.open())
        die(QStringLiteral("cannot write the pgbench script"));
    script.write(QStringLiteral("\\set id random(1, %1)\n"
                                "UPDATE dashboard.customers SET name = md5(random()::text), "
                                "phone = (random() * 1e9)::bigint::text WHERE id = :id;\n")
                     .arg(customers)
                     .toUtf8());
    script.flush();

    // The idle engine of "capture+notify": holds the wake-up lock and listens.
    ConnectionProvider engineSide(url, QStringLiteral("bench-engine"));

    QMap<QString, QList<double>> rates;
    for (int run = 0; run < runs; ++run) {
        for (const Setup &setup : kSetups) {
            const auto trigger = [&](const char *name, bool enabled) {
                check(sql::exec(db.value(),
                                QStringLiteral("ALTER TABLE dashboard.customers %1 TRIGGER %2")
                                    .arg(enabled ? QStringLiteral("ENABLE") : QStringLiteral("DISABLE"),
                                         QLatin1String(name))),
                      "trigger");
            };
            trigger("syncdesk_touch", setup.versioning);
            trigger("syncdesk_capture", setup.capture);
            check(sql::exec(db.value(), QStringLiteral("TRUNCATE sync.outbox")), "truncate");
            check(sql::exec(db.value(), QStringLiteral("VACUUM dashboard.customers")), "vacuum");
            check(sql::exec(db.value(), QStringLiteral("CHECKPOINT")), "checkpoint");
            auto engine = engineSide.database();
            if (!engine)
                die(engine.error());
            if (setup.engineWaiting) {
                check(sql::exec(engine.value(), QStringLiteral("LISTEN syncdesk_outbox")), "listen");
                check(sql::exec(engine.value(), QStringLiteral("SELECT pg_advisory_lock(1398361667, 1)")),
                      "lock");
            }

            QProcess load;
            load.setProcessChannelMode(QProcess::MergedChannels);
            load.start(pgbench,
                       {QStringLiteral("-n"), QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-j"),
                        QStringLiteral("2"), QStringLiteral("-t"), QString::number(updates / 4),
                        QStringLiteral("-f"), script.fileName(), url.toConnInfo()});
            if (!load.waitForFinished(600000) || load.exitCode() != 0)
                die(QStringLiteral("pgbench failed: %1").arg(QString::fromLocal8Bit(load.readAll())));
            const QString output = QString::fromLocal8Bit(load.readAll());
            static const QRegularExpression tps(
                QStringLiteral("tps = ([0-9.]+) \\(without initial connection time\\)"));
            const auto match = tps.match(output);
            if (!match.hasMatch())
                die(QStringLiteral("cannot read pgbench's rate from: %1").arg(output));
            rates[QLatin1String(setup.name)] << match.captured(1).toDouble();

            if (setup.engineWaiting) {
                check(sql::exec(engine.value(), QStringLiteral("SELECT pg_advisory_unlock(1398361667, 1)")),
                      "unlock");
                check(sql::exec(engine.value(), QStringLiteral("UNLISTEN *")), "unlisten");
            }
            const qint64 captured =
                sql::scalar(db.value(), QStringLiteral("SELECT count(*) FROM sync.outbox"))
                    .value()
                    .toLongLong();
            const qint64 expected = setup.capture ? updates / 4 * 4 : 0;
            if (captured != expected)
                die(QStringLiteral("%1: %2 changes captured, expected %3")
                        .arg(QLatin1String(setup.name))
                        .arg(captured)
                        .arg(expected));
            std::printf("run %d  %-16s %8.0f updates/s\n", run + 1, setup.name,
                        rates[QLatin1String(setup.name)].constLast());
            std::fflush(stdout);
        }
    }

    const double bare = median(rates.value(QStringLiteral("no triggers")));
    const double versioning = median(rates.value(QStringLiteral("row versioning")));
    const double capture = median(rates.value(QStringLiteral("capture")));
    const double notify = median(rates.value(QStringLiteral("capture+notify")));
    std::printf("\n%d updates per run, %d customers, pgbench -c 4 -j 2, medians of %d runs (%s)\n", updates,
                customers, runs, cluster ? "private durable cluster" : "DATABASE_URL");
    std::printf("  no triggers at all        %8.0f updates/s\n", bare);
    std::printf("  row versioning only       %8.0f updates/s\n", versioning);
    std::printf("  with capture              %8.0f updates/s\n", capture);
    std::printf("  with capture, engine idle %8.0f updates/s (every commit notifies)\n", notify);
    std::printf("capture cost (row versioning / capture):  %.2fx   target <= 1.5x\n", versioning / capture);
    std::printf("all triggers (none / capture):            %.2fx\n", bare / capture);
    std::printf("worst case (row versioning / capture+notify): %.2fx\n", versioning / notify);
    return 0;
}
