#include "database/sql.h"
#include "testdatabase.h"

#include <QTest>

using namespace syncdesk;
using syncdesk::test::TestDatabase;

// Values travel as driver-escaped literals (one round trip per statement); nothing a user types
// may break out of its literal.
class TestSqlHelpers final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valuesRoundTrip_data();
    void valuesRoundTrip();
    void placeholdersInsideQuotesAreLeftAlone();
    void arraysRoundTrip_data();
    void arraysRoundTrip();
    void errorsAreOneLineWithTheirSqlState();
};

void TestSqlHelpers::valuesRoundTrip_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QVariant(QStringLiteral("hello")) << "hello";
    QTest::newRow("single quotes") << QVariant(QStringLiteral("O'Brien's \"quote\"")) << "O'Brien's \"quote\"";
    QTest::newRow("backslashes") << QVariant(QStringLiteral("C:\\path\\n")) << "C:\\path\\n";
    QTest::newRow("injection attempt") << QVariant(QStringLiteral("x'); DROP TABLE backend.users; --"))
                                       << "x'); DROP TABLE backend.users; --";
    QTest::newRow("question mark") << QVariant(QStringLiteral("why? really?")) << "why? really?";
    QTest::newRow("unicode") << QVariant(QStringLiteral("Grüße 🚀 日本")) << "Grüße 🚀 日本";
    QTest::newRow("dollar") << QVariant(QStringLiteral("$$ $tag$ cost $5")) << "$$ $tag$ cost $5";
    QTest::newRow("integer") << QVariant(qint64(9007199254740993)) << "9007199254740993";
    QTest::newRow("negative double") << QVariant(-2.5) << "-2.5";
    QTest::newRow("true") << QVariant(true) << "true";
    QTest::newRow("null") << QVariant(QMetaType(QMetaType::QString)) << "<null>";
}

void TestSqlHelpers::valuesRoundTrip()
{
    QFETCH(QVariant, value);
    QFETCH(QString, expected);
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QSqlDatabase db = database.db();
    const auto result = sql::scalar(db, QStringLiteral("SELECT coalesce(?::text, '<null>')"), {value});
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result.value().toString(), expected);
    QCOMPARE(database.value(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'backend' AND tablename = 'users'")).toInt(), 1);
}

void TestSqlHelpers::placeholdersInsideQuotesAreLeftAlone()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QSqlDatabase db = database.db();
    const auto result = sql::scalar(db, QStringLiteral("SELECT 'a?' || $$b?$$ || $x$c?$x$ || \"t?\".v || ? FROM (SELECT 'd' AS v) AS \"t?\""),
                                    {QStringLiteral("e")});
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result.value().toString(), QStringLiteral("a?b?c?de"));
}

void TestSqlHelpers::arraysRoundTrip_data()
{
    QTest::addColumn<QStringList>("items");
    QTest::newRow("empty") << QStringList();
    QTest::newRow("simple") << QStringList{"vip", "beta"};
    QTest::newRow("awkward") << QStringList{"a,b", "c\"d", "e\\f", "NULL", "", "{x}"};
}

void TestSqlHelpers::arraysRoundTrip()
{
    QFETCH(QStringList, items);
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QSqlDatabase db = database.db();
    const auto result = sql::scalar(db, QStringLiteral("SELECT (?::text[])::text"), {sql::textArray(items)});
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(sql::parseTextArray(result.value().toString()), items);
    const auto count = sql::scalar(db, QStringLiteral("SELECT cardinality(?::text[])"), {sql::textArray(items)});
    QCOMPARE(count.value().toInt(), int(items.size()));
}

void TestSqlHelpers::errorsAreOneLineWithTheirSqlState()
{
    TestDatabase database;
    QVERIFY2(database.isReady(), qPrintable(database.error()));
    QSqlDatabase db = database.db();
    const Status failed = sql::exec(db, QStringLiteral("SELEC 1"));
    QVERIFY(!failed.ok());
    QVERIFY2(!failed.error().contains(QLatin1Char('\n')), qPrintable(failed.error()));
    QCOMPARE(sql::sqlState(failed.error()), QStringLiteral("42601"));
    QVERIFY2(failed.error().startsWith(QLatin1String("syntax error")), qPrintable(failed.error()));
}

QTEST_GUILESS_MAIN(TestSqlHelpers)
#include "tst_sqlhelpers.moc"
