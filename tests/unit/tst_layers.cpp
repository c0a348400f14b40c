#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

// The floors of SyncDesk, lowest first (docs/architecture.md draws them). A folder may include its
// own floor and those below it, never one above: value types at the bottom, the engine's steps in the
// middle, its facade, the REST API, the window and the composition root on top.
const QList<QStringList> &floors()
{
    static const QList<QStringList> order{
        {QStringLiteral("core")},
        {QStringLiteral("model")},
        {QStringLiteral("config")},
        {QStringLiteral("database")},
        {QStringLiteral("schema")},
        {QStringLiteral("analyzer")},
        {QStringLiteral("sync")},
        {QStringLiteral("conflicts")},
        {QStringLiteral("queries"), QStringLiteral("tasks"), QStringLiteral("demo"), QStringLiteral("auth"),
         QStringLiteral("relay")},
        {QStringLiteral("service")},
        {QStringLiteral("api")},
        {QStringLiteral("ui")},
        {QStringLiteral("app")},
    };
    return order;
}

int floorOf(const QString &folder)
{
    for (qsizetype i = 0; i < floors().size(); ++i) {
        if (floors().at(i).contains(folder))
            return int(i);
    }
    return -1;
}

QString sourceDir()
{
    return qEnvironmentVariable("SYNCDESK_SOURCE_DIR"); // set by CTest
}

// Where a folder's files are in the source tree: engine/<folder>, or ui/ and app/ at the top.
QString pathOf(const QString &folder)
{
    if (folder == QLatin1String("ui") || folder == QLatin1String("app"))
        return sourceDir() + QLatin1Char('/') + folder;
    return sourceDir() + QStringLiteral("/engine/") + folder;
}

} // namespace

// No include runs from a lower floor to a higher one, so each floor can be read, tested and changed
// knowing only what lies below it.
class TestLayers final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFolderHasAFloor();
    void includesPointDownOnly_data();
    void includesPointDownOnly();
};

void TestLayers::everyFolderHasAFloor()
{
    QDir engine(sourceDir() + QStringLiteral("/engine"));
    QVERIFY2(engine.exists(), qPrintable(engine.path()));
    for (const QString &folder : engine.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        QVERIFY2(floorOf(folder) >= 0, qPrintable(QStringLiteral("engine/%1 is on no floor of tst_layers").arg(folder)));
}

void TestLayers::includesPointDownOnly_data()
{
    QTest::addColumn<QString>("folder");
    for (const QStringList &floor : floors()) {
        for (const QString &folder : floor)
            QTest::newRow(qPrintable(folder)) << folder;
    }
}

void TestLayers::includesPointDownOnly()
{
    QFETCH(QString, folder);
    static const QRegularExpression include(QStringLiteral(R"(^\s*#\s*include\s+"([a-z]+)/[^"]+")"),
                                            QRegularExpression::MultilineOption);
    const int own = floorOf(folder);
    QStringList upward;
    int files = 0;
    QDirIterator it(pathOf(folder), {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        ++files;
        const QString text = QString::fromUtf8(file.readAll());
        for (auto match = include.globalMatch(text); match.hasNext();) {
            const QRegularExpressionMatch found = match.next();
            const int target = floorOf(found.captured(1));
            if (target > own)
                upward << QStringLiteral("%1: %2").arg(file.fileName().mid(sourceDir().size() + 1), found.captured(0).trimmed());
        }
    }
    QVERIFY2(files > 0, qPrintable(QStringLiteral("no sources in %1").arg(pathOf(folder))));
    QVERIFY2(upward.isEmpty(), qPrintable(QStringLiteral("includes pointing up a floor:\n  ") + upward.join(QStringLiteral("\n  "))));
}

QTEST_GUILESS_MAIN(TestLayers)
#include "tst_layers.moc"
