#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

// `syncdesk analyze`, run the way an admin runs it: no database anywhere.
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run analyze(const QStringList &arguments, const QByteArray &standardInput = {})
{
    QTemporaryDir home;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DATABASE_URL", "DASHBOARD_DATABASE_URL", "SYNC_DATA_DIR", "SYNC_CONFIG",
                             "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "SYNC_AUTO_TICKET_THRESHOLD"})
        env.remove(QLatin1String(name));
    env.insert("XDG_CONFIG_HOME", home.path());
    env.insert("DATABASE_URL",
               "postgresql://nobody@/nowhere?host=/nonexistent"); // would fail if it were used
    process.setProcessEnvironment(env);
    process.start(qEnvironmentVariable("SYNCDESK_BINARY"), QStringList{"analyze"} + arguments);
    if (!standardInput.isEmpty()) {
        process.write(standardInput);
        process.closeWriteChannel();
    }
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

// One line per conversation: good ones, a broken one, an empty one, an unknown role, no messages.
const QByteArray kConversations =
    QByteArrayList{
        "{\"id\": \"c1\", \"channel\": \"chat\", \"messages\": [{\"role\": \"customer\", \"content\": \"I "
        "was charged twice for order 4471, $24.99 each. I want the duplicate charge reversed.\"}, {\"role\": "
        "\"assistant\", \"content\": \"I'm sorry, I can't reverse charges.\"}, {\"role\": \"customer\", "
        "\"content\": \"Then let me talk to a human please.\"}], \"labels\": {\"ticket\": true, "
        "\"category\": \"billing\"}}",
        "{\"id\": \"c2\", \"messages\": [{\"role\": \"customer\", \"content\": \"broken json",
        "{\"id\": \"c3\", \"messages\": [{\"role\": \"customer\", \"content\": \"What time do you open on "
        "Sundays?\"}, {\"role\": \"assistant\", \"content\": \"Our stores open from 10am to 4pm on "
        "Sundays.\"}, {\"role\": \"customer\", \"content\": \"Great, thanks!\"}], \"labels\": {\"ticket\": "
        "false, \"category\": \"general\"}}",
        "",
        "{\"id\": 4, \"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}",
        "{\"id\": \"c5\", \"messages\": []}",
    }
        .join('\n') +
    '\n';

QTemporaryDir &workDir()
{
    static QTemporaryDir dir;
    return dir;
}

QString writeInput()
{
    const QString path = workDir().filePath("conversations.jsonl");
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(kConversations);
    return path;
}

} // namespace

class TestAnalyzeCommand final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesOnePredictionPerConversationAndSkipsBadLines();
    void writesToAnOutputFile();
    void readsStandardInput();
    void evaluatesLabelledConversations();
    void usesTheConfiguredThreshold();
    void refusesMissingAndUnreadableInput();
    void isListedInHelp();
};

void TestAnalyzeCommand::writesOnePredictionPerConversationAndSkipsBadLines()
{
    const Run run = analyze({"--input", writeInput()});
    QCOMPARE(run.exitCode, 0);
    const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // c1, c3, c5; the broken line and the unknown role are skipped
    QVERIFY2(run.err.contains("line 2:"), qPrintable(run.err));
    QVERIFY2(run.err.contains("line 5:"), qPrintable(run.err));
    QVERIFY2(run.err.contains("skipped 2 malformed lines"), qPrintable(run.err));

    const QJsonObject first = QJsonDocument::fromJson(lines[0].toUtf8()).object();
    QVERIFY(lines[0].startsWith(R"({"id":"c1")"));
    for (const char *field : {"id", "confidence", "result", "category", "priority", "sentiment", "entities",
                              "subject", "signals", "summary", "analyzer_version"})
        QVERIFY2(first.contains(field), field);
    QCOMPARE(first.value("result").toString(), QString("create_ticket"));
    QCOMPARE(first.value("category").toString(), QString("billing"));
    QVERIFY(first.value("confidence").toDouble() >= 0.7);
    QVERIFY2(lines[0].contains(R"("type":"order_number","value":"4471")"), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(R"("name":"human_request")"), qPrintable(lines[0]));

    const QJsonObject third = QJsonDocument::fromJson(lines[1].toUtf8()).object();
    QCOMPARE(third.value("id").toString(), QString("c3"));
    QCOMPARE(third.value("result").toString(), QString("no_action"));
    const QJsonObject empty = QJsonDocument::fromJson(lines[2].toUtf8()).object();
    QCOMPARE(empty.value("result").toString(), QString("no_action"));
    QVERIFY(lines[2].contains("empty_conversation"));
}

void TestAnalyzeCommand::writesToAnOutputFile()
{
    const QString output = workDir().filePath("predictions.jsonl");
    const Run run = analyze({"--input", writeInput(), "--output", output});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.isEmpty());
    QFile file(output);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 3);
}

void TestAnalyzeCommand::readsStandardInput()
{
    const Run run = analyze({"--input", "-"}, kConversations);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.count('\n'), 3);
}

void TestAnalyzeCommand::evaluatesLabelledConversations()
{
    const Run run = analyze({"--input", writeInput(), "--eval"});
    QCOMPARE(run.exitCode, 0);
    for (const char *expected : {"ROC AUC", "precision", "recall", "F1", "accuracy", "macro-F1",
                                 "confusion matrix", "calibration", "2 labelled conversations"})
        QVERIFY2(run.out.contains(expected), qPrintable(QString(expected) + "\n" + run.out));
    QVERIFY2(run.out.contains("ROC AUC             1.0000"), qPrintable(run.out));
    QVERIFY(!run.out.contains(R"("id":)")); // figures only, no predictions on standard output
}

void TestAnalyzeCommand::usesTheConfiguredThreshold()
{
    const Run strict = analyze({"--input", writeInput(), "--auto-ticket-threshold", "1"});
    QCOMPARE(strict.exitCode, 0);
    const QJsonObject first = QJsonDocument::fromJson(strict.out.split('\n').first().toUtf8()).object();
    QVERIFY2(first.value("result").toString() == "needs_review", qPrintable(strict.out));
}

void TestAnalyzeCommand::refusesMissingAndUnreadableInput()
{
    const Run missing = analyze({});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("--input"), qPrintable(missing.err));

    const Run unreadable = analyze({"--input", workDir().filePath("does-not-exist.jsonl")});
    QCOMPARE(unreadable.exitCode, 1);
    QVERIFY2(unreadable.err.contains("cannot read"), qPrintable(unreadable.err));

    const Run unwritable = analyze({"--input", writeInput(), "--output", "/nonexistent/dir/out.jsonl"});
    QCOMPARE(unwritable.exitCode, 1);
}

void TestAnalyzeCommand::isListedInHelp()
{
    QProcess process;
    process.start(qEnvironmentVariable("SYNCDESK_BINARY"), {"--help"});
    QVERIFY(process.waitForFinished(10000));
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *expected : {"analyze", "--input", "--output", "--eval"})
        QVERIFY2(help.contains(expected), expected);
}

QTEST_GUILESS_MAIN(TestAnalyzeCommand)
#include "tst_analyzecommand.moc"
