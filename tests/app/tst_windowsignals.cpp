#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// An admin stops SyncDesk with Ctrl+C or the service manager sends SIGTERM while the window is open:
// the window closes as with its close button, the engine stops cleanly and so does the private
// PostgreSQL; the exit code is 0.
class TestWindowSignals final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aSignalClosesTheWindowAndStopsEverything_data();
    void aSignalClosesTheWindowAndStopsEverything();
};

void TestWindowSignals::aSignalClosesTheWindowAndStopsEverything_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("Ctrl+C (SIGINT)") << SIGINT;
    QTest::newRow("the service manager (SIGTERM)") << SIGTERM;
}

void TestWindowSignals::aSignalClosesTheWindowAndStopsEverything()
{
    QFETCH(int, signalNumber);
    QTemporaryDir home;
    QTemporaryDir dataDir(QDir::tempPath() + "/syncdesk-window-XXXXXX");
    QVERIFY(home.isValid() && dataDir.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DATABASE_URL", "DASHBOARD_DATABASE_URL", "SYNC_DATA_DIR", "SYNC_CONFIG",
                             "DISPLAY", "WAYLAND_DISPLAY"})
        env.remove(name);
    env.insert("XDG_CONFIG_HOME", home.path());
    env.insert("HOME", home.path());
    env.insert("QT_QPA_PLATFORM", "offscreen"); // a display: the window opens
    QProcess syncdesk;
    syncdesk.setProcessEnvironment(env);
    syncdesk.start(qEnvironmentVariable("SYNCDESK_BINARY"),
                   {"--demo", "--demo-rate", "5", "--no-http", "--data-dir", dataDir.path()});
    QByteArray log;
    const auto waitForLog = [&](const QString &text, int timeoutMs) {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            log += syncdesk.readAllStandardError();
            if (QString::fromUtf8(log).contains(text))
                return true;
            if (syncdesk.state() == QProcess::NotRunning)
                return false;
            syncdesk.waitForReadyRead(200);
        }
        return false;
    };
    QVERIFY2(waitForLog("window ready", 120000), log.constData());
    QVERIFY(QFileInfo::exists(dataDir.filePath("pg/postmaster.pid")));
    QTest::qWait(1500); // some demo traffic flows

    ::kill(pid_t(syncdesk.processId()), signalNumber);
    QVERIFY2(syncdesk.waitForFinished(60000), log.constData());
    log += syncdesk.readAllStandardError();
    QCOMPARE(syncdesk.exitStatus(), QProcess::NormalExit);
    QVERIFY2(syncdesk.exitCode() == 0, log.constData());
    const QString text = QString::fromUtf8(log);
    QVERIFY2(text.contains("window closed"), log.constData());
    QVERIFY2(text.contains("sync engine stopped"), log.constData());
    QVERIFY2(text.contains("private PostgreSQL stopped"), log.constData());
    QVERIFY2(text.indexOf("window closed") < text.indexOf("sync engine stopped"),
             "the window closes first, then the engine");
    QVERIFY(!QFileInfo::exists(dataDir.filePath("pg/postmaster.pid")));
}

QTEST_GUILESS_MAIN(TestWindowSignals)
#include "tst_windowsignals.moc"
