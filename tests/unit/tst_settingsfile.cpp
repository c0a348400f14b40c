#include "ui/settingsfile.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::ui;

// The Settings page writes what SyncDesk starts with: checked by the same rules, other keys untouched.
class TestSettingsFile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void savedValuesReadBack();
    void badValuesAreRefusedAndTheFileIsUntouched_data();
    void badValuesAreRefusedAndTheFileIsUntouched();
    void anEmptyValueRemovesTheKey();
};

void TestSettingsFile::savedValuesReadBack()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("sub/syncdesk.conf");
    {
        QSettings existing(path, QSettings::IniFormat);
        existing.setValue("SYNC_WORKERS", "4");
    }
    SettingsFile file(path);
    QVERIFY(file.save({{"SYNC_AUTO_TICKET_THRESHOLD", "0.85"}, {"SYNC_HTTP_PORT", "8080"}},
                      {"customer.phone=manual_review", "customer.name=merge/latest_wins"})
                .ok());
    QCOMPARE(file.values().value("SYNC_AUTO_TICKET_THRESHOLD"), QStringLiteral("0.85"));
    QCOMPARE(file.values().value("SYNC_HTTP_PORT"), QStringLiteral("8080"));
    QCOMPARE(file.values().value("SYNC_WORKERS"), QStringLiteral("4")); // not edited, kept
    QStringList rules = file.conflictRules();
    rules.sort();
    QCOMPARE(rules, (QStringList{"customer.name=merge/latest_wins", "customer.phone=manual_review"}));
}

void TestSettingsFile::badValuesAreRefusedAndTheFileIsUntouched_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("rule");
    QTest::newRow("threshold above 1") << "SYNC_AUTO_TICKET_THRESHOLD"
                                       << "1.5"
                                       << "";
    QTest::newRow("port out of range") << "SYNC_HTTP_PORT"
                                       << "70000"
                                       << "";
    QTest::newRow("not a URL") << "DATABASE_URL"
                               << "mysql://nope"
                               << "";
    QTest::newRow("an unknown setting") << "SYNC_COLOUR"
                                        << "blue"
                                        << "";
    QTest::newRow("an unknown strategy") << "SYNC_HTTP_PORT"
                                         << "8000"
                                         << "customer.phone=coin_flip";
}

void TestSettingsFile::badValuesAreRefusedAndTheFileIsUntouched()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, rule);
    QTemporaryDir dir;
    const QString path = dir.filePath("syncdesk.conf");
    SettingsFile file(path);
    const Status saved = file.save({{key, value}}, rule.isEmpty() ? QStringList() : QStringList{rule});
    QVERIFY(!saved.ok());
    QVERIFY2(saved.error().contains(rule.isEmpty() ? key : QStringLiteral("coin_flip")),
             qPrintable(saved.error()));
    QVERIFY(!QFile::exists(path));
}

void TestSettingsFile::anEmptyValueRemovesTheKey()
{
    QTemporaryDir dir;
    SettingsFile file(dir.filePath("syncdesk.conf"));
    QVERIFY(file.save({{"DATABASE_URL", "postgresql://u@db.example.com/app"}}, {}).ok());
    QVERIFY(file.values().contains("DATABASE_URL"));
    QVERIFY(file.save({{"DATABASE_URL", ""}}, {}).ok());
    QVERIFY(!file.values().contains("DATABASE_URL"));
}

QTEST_GUILESS_MAIN(TestSettingsFile)
#include "tst_settingsfile.moc"
