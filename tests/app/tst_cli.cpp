#include "database/pgbinaries.h"
#include "testdatabase.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using syncdesk::test::TestDatabase;

namespace {

// The syncdesk binary, run the way an operator runs it.
class SyncDeskProcess
{
public:
    explicit SyncDeskProcess(const QStringList &arguments, const QMap<QString, QString> &environment = {},
                             bool withDisplay = true)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DATABASE_URL", "DASHBOARD_DATABASE_URL", "SYNC_DATA_DIR", "SYNC_CONFIG",
                                 "SYNC_WORKERS", "DISPLAY", "WAYLAND_DISPLAY"})
            env.remove(QLatin1String(name));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"),
                   m_home.path()); // no settings file of the machine's user
        // The REST API on any free port: tests run in parallel, and 8000 may be taken.
        env.insert(QStringLiteral("SYNC_HTTP_PORT"), QStringLiteral("0"));
        if (withDisplay)
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        else
            env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        for (auto it = environment.cbegin(); it != environment.cend(); ++it)
            env.insert(it.key(), it.value());
        m_process.setProcessEnvironment(env);
        m_process.start(qEnvironmentVariable("SYNCDESK_BINARY"), arguments);
    }
    ~SyncDeskProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool finish(int timeoutMs = 60000)
    {
        const bool done = m_process.waitForFinished(timeoutMs);
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        return done;
    }
    // Waits until stderr shows `text`.
    bool waitForLog(const QString &text, int timeoutMs = 60000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            m_err += m_process.readAllStandardError();
            if (QString::fromUtf8(m_err).contains(text))
                return true;
            if (m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(200);
        }
        return false;
    }
    void signal(int number) { ::kill(pid_t(m_process.processId()), number); }
    int exitCode() const
    {
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QString out() const { return QString::fromUtf8(m_out); }
    QString err() const { return QString::fromUtf8(m_err); }

private:
    QTemporaryDir m_home;
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace

// The command line: help without a database, clear refusals, migrate, and a headless service that
// stops cleanly on a signal.
class TestCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpAndVersionNeedNoDatabase();
    void badInputIsRefusedWithExitCodeTwo_data();
    void badInputIsRefusedWithExitCodeTwo();
    void migrateAppliesOnceThenReportsUpToDate();
    void checkExitsZeroWhenConsistentAndOneWhenNot();
    void checkCoversAHelpdeskInItsOwnDatabase();
    void headlessServiceRunsDemoTrafficUntilSigterm();
    void headlessOnItsPrivateClusterStopsItOnSigint();
    void unreachableDatabaseFailsInOneLine();
    void headlessServiceSyncsTheTablesOfAMappingFile();
    void aMappingThatDoesNotHoldStopsTheStartWithItsLines();
    void uninstallLeavesTheUsersTablesAsTheyWere();
    void withoutADisplayItRunsHeadlessAndSaysSo();
};

void TestCli::helpAndVersionNeedNoDatabase()
{
    const QMap<QString, QString> nowhere{
        {QStringLiteral("DATABASE_URL"), QStringLiteral("postgresql://u@/x?host=/nonexistent")}};
    SyncDeskProcess help({QStringLiteral("--help")}, nowhere);
    QVERIFY(help.finish(10000));
    QCOMPARE(help.exitCode(), 0);
    for (const char *expected :
         {"--headless", "--demo", "--data-dir", "DATABASE_URL", "SYNC_WORKERS", "migrate"})
        QVERIFY2(help.out().contains(QLatin1String(expected)), expected);

    SyncDeskProcess version({QStringLiteral("--version")}, nowhere);
    QVERIFY(version.finish(10000));
    QCOMPARE(version.exitCode(), 0);
    QVERIFY2(version.out().startsWith(QLatin1String("syncdesk ")), qPrintable(version.out()));
}

void TestCli::badInputIsRefusedWithExitCodeTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("workers in env") << QStringList{"migrate"} << "SYNC_WORKERS"
                                    << "lots"
                                    << "SYNC_WORKERS='lots'";
    QTest::newRow("threshold on command line") << QStringList{"--auto-ticket-threshold", "7", "migrate"} << ""
                                               << ""
                                               << "SYNC_AUTO_TICKET_THRESHOLD='7'";
    QTest::newRow("malformed url, password masked") << QStringList{"migrate"} << "DATABASE_URL"
                                                    << "postgresql://admin:s3cret@db:port/x"
                                                    << "admin:***@db";
    QTest::newRow("mapping file missing") << QStringList{"migrate"} << "SYNC_MAPPING"
                                          << "/nonexistent/mapping.yaml"
                                          << "cannot read the mapping file /nonexistent/mapping.yaml";
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << ""
                                    << ""
                                    << "frobnicate";
    QTest::newRow("unknown command") << QStringList{"explode"} << ""
                                     << ""
                                     << "unknown command 'explode'";
    QTest::newRow("demo rate without demo") << QStringList{"--demo-rate", "5", "--headless"} << ""
                                            << ""
                                            << "only apply with --demo";
    QTest::newRow("negative demo rate") << QStringList{"--demo", "--demo-rate", "-1"} << ""
                                        << ""
                                        << "--demo-rate '-1'";
}

void TestCli::badInputIsRefusedWithExitCodeTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QMap<QString, QString> environment;
    if (!variable.isEmpty())
        environment.insert(variable, value);
    SyncDeskProcess syncdesk(arguments, environment);
    QVERIFY(syncdesk.finish(10000));
    QCOMPARE(syncdesk.exitCode(), 2);
    QVERIFY2(syncdesk.err().contains(expected), qPrintable(syncdesk.err()));
    QVERIFY2(!syncdesk.err().contains(QLatin1String("s3cret")), "password leaked");
}

void TestCli::migrateAppliesOnceThenReportsUpToDate()
{
    TestDatabase database(TestDatabase::Content::Empty);
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    const QMap<QString, QString> environment{{QStringLiteral("DATABASE_URL"), database.url().toString()}};

    SyncDeskProcess first({QStringLiteral("migrate")}, environment);
    QVERIFY(first.finish());
    QVERIFY2(first.exitCode() == 0, qPrintable(first.err()));
    QVERIFY2(first.out().contains(QLatin1String("applied")) && first.out().contains(QLatin1String("0001_")),
             qPrintable(first.out()));

    SyncDeskProcess second({QStringLiteral("migrate")}, environment);
    QVERIFY(second.finish());
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(second.out().contains(QLatin1String("already up to date")), qPrintable(second.out()));
}

void TestCli::checkExitsZeroWhenConsistentAndOneWhenNot()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    const QMap<QString, QString> environment{{QStringLiteral("DATABASE_URL"), database.url().toString()}};
    SyncDeskProcess clean({QStringLiteral("check")}, environment);
    QVERIFY(clean.finish());
    QVERIFY2(clean.exitCode() == 0, qPrintable(clean.out() + clean.err()));
    QVERIFY2(clean.out().contains(QLatin1String("0 issue(s) found")), qPrintable(clean.out()));

    // A duplicate a person has to sort out: reported, not repaired, exit code 1.
    QVERIFY(database.exec(QStringLiteral("INSERT INTO dashboard.customers (email) VALUES ('Dup@example.com'), ('dup@example.com')")));
    SyncDeskProcess dirty({QStringLiteral("check"), QStringLiteral("--report-only")}, environment);
    QVERIFY(dirty.finish());
    QCOMPARE(dirty.exitCode(), 1);
    QVERIFY2(dirty.out().contains(QLatin1String("sharing an e-mail address (any case) on one side: 1 found")), qPrintable(dirty.out()));
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")).toInt(), 2); // captured inserts only
}

void TestCli::checkCoversAHelpdeskInItsOwnDatabase()
{
    TestDatabase product;
    TestDatabase helpdesk;
    QVERIFY2(product.isReady() && helpdesk.isReady(), qPrintable(product.error() + helpdesk.error()));
    const QMap<QString, QString> environment{{QStringLiteral("DATABASE_URL"), product.url().toString()},
                                             {QStringLiteral("DASHBOARD_DATABASE_URL"), helpdesk.url().toString()}};
    SyncDeskProcess clean({QStringLiteral("check")}, environment);
    QVERIFY(clean.finish());
    QVERIFY2(clean.exitCode() == 0, qPrintable(clean.out() + clean.err()));
    // The helpdesk's database was migrated and numbers its events apart.
    QVERIFY(helpdesk.value(QStringLiteral("SELECT last_value FROM sync.outbox_id_seq")).toLongLong() >= (qint64(1) << 62));

    // A duplicate in the helpdesk's own database is found there.
    QVERIFY(helpdesk.exec(QStringLiteral("INSERT INTO dashboard.customers (email) VALUES ('Dup@example.com'), ('dup@example.com')")));
    SyncDeskProcess dirty({QStringLiteral("check"), QStringLiteral("--report-only")}, environment);
    QVERIFY(dirty.finish());
    QCOMPARE(dirty.exitCode(), 1);
    QVERIFY2(dirty.out().contains(QLatin1String("sharing an e-mail address (any case) on one side: 1 found")), qPrintable(dirty.out()));
    QCOMPARE(helpdesk.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")).toInt(), 2); // captured
}

void TestCli::headlessServiceRunsDemoTrafficUntilSigterm()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    SyncDeskProcess service({QStringLiteral("--headless"), QStringLiteral("--demo"),
                             QStringLiteral("--demo-rate"), QStringLiteral("40"), QStringLiteral("--seed"),
                             QStringLiteral("3")},
                            {{QStringLiteral("DATABASE_URL"), database.url().toString()}});
    QVERIFY2(service.waitForLog(QStringLiteral("running headless")), qPrintable(service.err()));
    QTRY_VERIFY_WITH_TIMEOUT(database.value(QStringLiteral("SELECT count(*) FROM sync.outbox")).toInt() >= 10,
                             20000);
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM backend.users")).toInt() >= 250);

    service.signal(SIGTERM);
    QVERIFY(service.finish(20000));
    QVERIFY2(service.exitCode() == 0, qPrintable(service.err()));
    QVERIFY2(service.err().contains(QLatin1String("SIGTERM received")), qPrintable(service.err()));
    QVERIFY2(service.err().contains(QLatin1String("sync engine stopped")), qPrintable(service.err()));
    // The engine ran: what the demo traffic captured was applied.
    QVERIFY(database.value(QStringLiteral("SELECT count(*) FROM sync.outbox WHERE status = 'done'")).toInt() > 0);
}

void TestCli::headlessOnItsPrivateClusterStopsItOnSigint()
{
    QTemporaryDir dataDir(QDir::tempPath() + QStringLiteral("/syncdesk-cli-XXXXXX"));
    QVERIFY(dataDir.isValid());
    SyncDeskProcess service({QStringLiteral("--headless"), QStringLiteral("--data-dir"), dataDir.path()});
    QVERIFY2(service.waitForLog(QStringLiteral("running headless"), 120000), qPrintable(service.err()));
    QVERIFY(QFileInfo::exists(dataDir.filePath(QStringLiteral("pg/postmaster.pid"))));

    service.signal(SIGINT);
    QVERIFY(service.finish(60000));
    QVERIFY2(service.exitCode() == 0, qPrintable(service.err()));
    QVERIFY2(service.err().contains(QLatin1String("private PostgreSQL stopped")), qPrintable(service.err()));
    QVERIFY(!QFileInfo::exists(dataDir.filePath(QStringLiteral("pg/postmaster.pid"))));
}

void TestCli::unreachableDatabaseFailsInOneLine()
{
    SyncDeskProcess service(
        {QStringLiteral("--headless")},
        {{QStringLiteral("DATABASE_URL"), QStringLiteral("postgresql://u:pw@/x?host=/nonexistent")}});
    QVERIFY(service.finish(30000));
    QCOMPARE(service.exitCode(), 1);
    const QStringList ours = service.err().split(QLatin1Char('\n')).filter(QLatin1String("syncdesk: "));
    QCOMPARE(ours.size(), 1);
    QVERIFY2(ours.constFirst().contains(QLatin1String("cannot start: cannot connect")),
             qPrintable(service.err()));
}

void TestCli::withoutADisplayItRunsHeadlessAndSaysSo()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    SyncDeskProcess service({}, {{QStringLiteral("DATABASE_URL"), database.url().toString()}}, false);
    QVERIFY2(service.waitForLog(QStringLiteral("no display found; running headless")),
             qPrintable(service.err()));
    QVERIFY2(service.waitForLog(QStringLiteral("running headless on")), qPrintable(service.err()));
    service.signal(SIGTERM);
    QVERIFY(service.finish(20000));
    QCOMPARE(service.exitCode(), 0);
}

namespace {

QString mappingData(const QString &name)
{
    return TestDatabase::sourceFile(QStringLiteral("tests/data/mapping/") + name);
}

bool createTables(TestDatabase &database, const QString &script)
{
    return database.runScript(QStringLiteral("tests/data/mapping/") + script);
}

} // namespace

void TestCli::headlessServiceSyncsTheTablesOfAMappingFile()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(createTables(database, QStringLiteral("contacts-product.sql")));
    QVERIFY(createTables(database, QStringLiteral("contacts-helpdesk.sql")));
    QVERIFY(database.exec(
        QStringLiteral("INSERT INTO crm.contacts (mail, full_name) VALUES ('gil@example.com', 'Gil')")));
    SyncDeskProcess service({QStringLiteral("--headless"), QStringLiteral("--mapping"),
                             mappingData(QStringLiteral("contacts.yaml"))},
                            {{QStringLiteral("DATABASE_URL"), database.url().toString()}});
    QVERIFY2(service.waitForLog(QStringLiteral("running headless")), qPrintable(service.err()));
    // The capture is the engine's own doing; a contact made from now on reaches the helpdesk.
    QVERIFY(database.exec(
        QStringLiteral("INSERT INTO crm.contacts (mail, full_name) VALUES ('hal@example.com', 'Hal')")));
    QTRY_COMPARE_WITH_TIMEOUT(database
                                  .value(QStringLiteral("SELECT count(*) FROM helpdesk.people WHERE email = "
                                                        "'hal@example.com' AND firstname = 'Hal'"))
                                  .toInt(),
                              1, 20000);
    service.signal(SIGTERM);
    QVERIFY(service.finish(20000));
    QVERIFY2(service.exitCode() == 0, qPrintable(service.err()));

    SyncDeskProcess shown({QStringLiteral("mapping"), QStringLiteral("show")},
                          {{QStringLiteral("SYNC_MAPPING"), mappingData(QStringLiteral("contacts.yaml"))}});
    QVERIFY(shown.finish());
    QCOMPARE(shown.exitCode(), 0);
    QVERIFY2(shown.out().contains(QLatin1String("table: crm.contacts")), qPrintable(shown.out()));
}

void TestCli::aMappingThatDoesNotHoldStopsTheStartWithItsLines()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(
        createTables(database, QStringLiteral("contacts-product.sql"))); // the helpdesk's tables are missing
    SyncDeskProcess service({QStringLiteral("--headless"), QStringLiteral("--mapping"),
                             mappingData(QStringLiteral("contacts.yaml"))},
                            {{QStringLiteral("DATABASE_URL"), database.url().toString()}});
    QVERIFY(service.finish());
    QCOMPARE(service.exitCode(), 1);
    QVERIFY2(service.err().contains(QLatin1String(
                 "contacts.yaml:7: table helpdesk.people does not exist in the helpdesk's database")),
             qPrintable(service.err()));
    // Nothing was installed on the product's tables.
    QCOMPARE(database
                 .value(QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                                       "'crm.contacts'::regclass AND tgname LIKE 'syncdesk%'"))
                 .toInt(),
             0);
}

namespace {

// The definitions of the users' own schemas as pg_dump prints them.
QByteArray definitions(const TestDatabase &database)
{
    auto binaries = syncdesk::PgBinaries::locate(QString());
    if (!binaries)
        return {};
    QProcess dump;
    dump.start(binaries->program(QStringLiteral("pg_dump")),
               {QStringLiteral("--schema-only"), QStringLiteral("--schema=crm"),
                QStringLiteral("--schema=helpdesk"),
                QStringLiteral("--dbname=") + database.url().toString()});
    dump.waitForFinished(30000);
    if (dump.exitCode() != 0)
        return {};
    // pg_dump guards its script with a random key per run (\restrict, \unrestrict): not a definition.
    QByteArray out;
    for (const QByteArray &line : dump.readAllStandardOutput().split('\n')) {
        if (!line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
            out += line + '\n';
    }
    return out;
}

// Every row of the users' tables, as one checksum per table.
QStringList rowsOf(const TestDatabase &database)
{
    QStringList sums;
    for (const char *table : {"crm.contacts", "crm.cases", "helpdesk.people", "helpdesk.tickets"})
        sums << database
                    .value(QStringLiteral("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
                                          "ORDER BY t.id)), '') FROM %1 t")
                               .arg(QLatin1String(table)))
                    .toString();
    return sums;
}

} // namespace

void TestCli::uninstallLeavesTheUsersTablesAsTheyWere()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QVERIFY(createTables(database, QStringLiteral("contacts-product.sql")));
    QVERIFY(createTables(database, QStringLiteral("contacts-helpdesk.sql")));
    const QByteArray before = definitions(database);
    QVERIFY(before.contains("CREATE TABLE crm.contacts"));
    const QMap<QString, QString> environment{
        {QStringLiteral("DATABASE_URL"), database.url().toString()},
        {QStringLiteral("SYNC_MAPPING"), mappingData(QStringLiteral("contacts.yaml"))}};
    {
        SyncDeskProcess service({QStringLiteral("--headless")}, environment);
        QVERIFY2(service.waitForLog(QStringLiteral("running headless")), qPrintable(service.err()));
        QVERIFY(database.exec(
            QStringLiteral("INSERT INTO crm.contacts (mail, full_name) VALUES ('ivy@example.com', 'Ivy')")));
        QTRY_COMPARE_WITH_TIMEOUT(
            database.value(QStringLiteral("SELECT count(*) FROM helpdesk.people")).toInt(), 1, 20000);
        service.signal(SIGTERM);
        QVERIFY(service.finish(20000));
    }
    const QStringList rows = rowsOf(database);

    // Asked first: nothing happens without --yes.
    SyncDeskProcess asked({QStringLiteral("uninstall")}, environment);
    QVERIFY(asked.finish());
    QCOMPARE(asked.exitCode(), 2);
    QVERIFY2(asked.out().contains(QLatin1String("trigger syncdesk_capture on crm.contacts")),
             qPrintable(asked.out()));
    QVERIFY2(asked.err().contains(QLatin1String("--yes")), qPrintable(asked.err()));
    QCOMPARE(
        database.value(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = 'sync'")).toInt(),
        1);

    SyncDeskProcess removed({QStringLiteral("uninstall"), QStringLiteral("--yes")}, environment);
    QVERIFY(removed.finish());
    QVERIFY2(removed.exitCode() == 0, qPrintable(removed.out() + removed.err()));
    QCOMPARE(
        database.value(QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = 'sync'")).toInt(),
        0);
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'syncdesk%'"))
                 .toInt(),
             0);
    // The users' tables: defined as before SyncDesk came, byte for byte, with every row as it was.
    QCOMPARE(definitions(database), before);
    QCOMPARE(rowsOf(database), rows);

    SyncDeskProcess again({QStringLiteral("uninstall"), QStringLiteral("--yes")}, environment);
    QVERIFY(again.finish());
    QCOMPARE(again.exitCode(), 0);
    QVERIFY2(again.out().contains(QLatin1String("SyncDesk is not installed here")), qPrintable(again.out()));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
