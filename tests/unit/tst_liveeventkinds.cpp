#include "api/livestream.h"
#include "sync/liveevent.h"
#include "ui/liveeventrow.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace syncdesk;
using syncdesk::ui::LiveEventRow;

namespace {

// The kinds docs/architecture.md lists in its "Live events" table, in its order.
QStringList documentedKinds()
{
    QFile architecture(qEnvironmentVariable("SYNCDESK_SOURCE_DIR") + QStringLiteral("/docs/architecture.md"));
    if (!architecture.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(architecture.readAll());
    const qsizetype table = text.indexOf(QLatin1String("| Kind | Announced when |"));
    if (table < 0)
        return {};
    QStringList kinds;
    static const QRegularExpression row(QStringLiteral(R"(^\| `([a-z_]+)` \|)"));
    for (const QString &line : text.mid(table).split(QLatin1Char('\n')).mid(2)) {
        const QRegularExpressionMatch match = row.match(line);
        if (!match.hasMatch())
            break;
        kinds << match.captured(1);
    }
    return kinds;
}

// The kinds the OpenAPI document names for the stream's `kinds` parameter.
QStringList streamParameterKinds()
{
    QFile openapi(qEnvironmentVariable("SYNCDESK_SOURCE_DIR") + QStringLiteral("/docs/openapi.yaml"));
    if (!openapi.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(openapi.readAll());
    const qsizetype from = text.indexOf(QLatin1String("kinds to receive (default all):"));
    const qsizetype to = text.indexOf(QLatin1Char('.'), from);
    if (from < 0 || to < 0)
        return {};
    QStringList kinds;
    for (const QString &kind : text.mid(from, to - from).section(QLatin1Char(':'), 1).split(QLatin1Char(',')))
        kinds << kind.simplified();
    return kinds;
}

} // namespace

// One list of live event kinds (sync/liveevent.h): what the stream lets a client ask for, what the
// window can show and what the documentation promises are that list.
class TestLiveEventKinds final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theStreamOffersEveryKind();
    void theDocumentationListsEveryKind();
    void theWindowShowsEveryKindInWords_data();
    void theWindowShowsEveryKindInWords();
};

void TestLiveEventKinds::theStreamOffersEveryKind()
{
    QCOMPARE(api::LiveStream::kinds(), liveEventKinds());
    QCOMPARE(liveEventKinds().size(), qsizetype(LiveEventKind::all.size()));
    QCOMPARE(liveEventKinds().removeDuplicates(), qsizetype(0));
}

void TestLiveEventKinds::theDocumentationListsEveryKind()
{
    QCOMPARE(documentedKinds(), liveEventKinds());
    QCOMPARE(streamParameterKinds(), liveEventKinds());
}

void TestLiveEventKinds::theWindowShowsEveryKindInWords_data()
{
    QTest::addColumn<QString>("kind");
    for (const QString &kind : liveEventKinds())
        QTest::newRow(qPrintable(kind)) << kind;
}

void TestLiveEventKinds::theWindowShowsEveryKindInWords()
{
    QFETCH(QString, kind);
    QVERIFY2(LiveEventRow::kindTitle(kind) != kind, "the live view has no title for this kind");
    const LiveEventRow row = LiveEventRow::fromLiveEvent(LiveEvent{kind, QDateTime::currentDateTimeUtc(), {}});
    QVERIFY2(row.summary != kind, "the live view has no sentence for this kind");
}

QTEST_GUILESS_MAIN(TestLiveEventKinds)
#include "tst_liveeventkinds.moc"
