#include "api/apiserver.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::api;

// docs/openapi.yaml describes exactly the routes the server has, and passes Redocly's linter.
class TestOpenApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theDescriptionPassesRedoclyLint();
    void everyRouteIsDescribedAndNothingElse();

private:
    static QString sourceDir() { return qEnvironmentVariable("SYNCDESK_SOURCE_DIR", QStringLiteral(".")); }
};

void TestOpenApi::theDescriptionPassesRedoclyLint()
{
    const QString redocly = sourceDir() + QStringLiteral("/tests/node/node_modules/.bin/redocly");
    QVERIFY2(QFile::exists(redocly), "Redocly CLI is not installed: run 'npm ci' in tests/node (scripts/test.sh does)");
    QProcess lint;
    lint.setWorkingDirectory(sourceDir() + QStringLiteral("/docs"));
    lint.setProcessChannelMode(QProcess::MergedChannels);
    lint.start(redocly, {QStringLiteral("lint"), QStringLiteral("openapi.yaml"), QStringLiteral("--config"), QStringLiteral("redocly.yaml")});
    QVERIFY(lint.waitForFinished(120000));
    const QString output = QString::fromUtf8(lint.readAll());
    QVERIFY2(lint.exitStatus() == QProcess::NormalExit && lint.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains(QLatin1String("Your API description is valid")), qPrintable(output));
    QVERIFY2(!output.contains(QRegularExpression(QStringLiteral("You have \\d+ warning"))), qPrintable(output));
}

void TestOpenApi::everyRouteIsDescribedAndNothingElse()
{
    QFile file(sourceDir() + QStringLiteral("/docs/openapi.yaml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    static const QRegularExpression pathLine(QStringLiteral("^  (/api/sync/[^:]*):$"));
    static const QRegularExpression methodLine(QStringLiteral("^    (get|put|post|delete|patch|head|options):$"));
    QSet<QString> described;
    QString path;
    for (const QByteArray &raw : file.readAll().split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (const auto match = pathLine.match(line); match.hasMatch())
            path = match.captured(1);
        else if (!line.startsWith(QLatin1String("  ")))
            path.clear();
        else if (const auto method = methodLine.match(line); method.hasMatch() && !path.isEmpty())
            described.insert(method.captured(1).toUpper() + QLatin1Char(' ') + path);
    }
    ApiContext context;
    ApiServer server(context);
    QSet<QString> served;
    for (const Route &route : server.router().routes())
        served.insert(route.label());
    QVERIFY2(served.size() >= 24, qPrintable(QString::number(served.size())));
    const QSet<QString> undocumented = served - described;
    const QSet<QString> unserved = described - served;
    QVERIFY2(undocumented.isEmpty(), qPrintable(QStringList(undocumented.cbegin(), undocumented.cend()).join(QLatin1Char('\n'))));
    QVERIFY2(unserved.isEmpty(), qPrintable(QStringList(unserved.cbegin(), unserved.cend()).join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
