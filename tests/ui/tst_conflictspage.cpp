#include "ui/bulkresolvedialog.h"
#include "ui/conflictdetailview.h"
#include "ui/conflictspage.h"
#include "ui/editvaluedialog.h"
#include "ui/jsontablemodel.h"
#include "ui/messagebar.h"
#include "uifixture.h"

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace syncdesk;
using namespace syncdesk::test;
using namespace syncdesk::ui;
using Action = ConflictActions::Action;

// Support staff settle a conflict in the detail view: the chosen value lands on both sides, the
// conflict leaves the open list and shows in the history with who and how.
class TestConflictsPage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { SyncFixture::addLayoutRows(); }
    void initTestCase();
    void init();
    void cleanup();
    void resolvingInTheDetailViewUpdatesBothSidesAndClosesIt_data();
    void resolvingInTheDetailViewUpdatesBothSidesAndClosesIt();
    void textCannotBeMergedButTagsCan();
    void aSelectionIsResolvedAtOnce();
    void aConflictResolvedElsewhereSaysSoInsteadOfFailingSilently();

private:
    ConflictsPage *openConflicts();
    std::unique_ptr<UiFixture> m_ui;
};

void TestConflictsPage::initTestCase()
{
    UiFixture::isolateSettings();
}

void TestConflictsPage::init()
{
    EngineOptions options = SyncFixture::defaults();
    options.conflictRules = {QStringLiteral("customer.phone=manual_review"),
                             QStringLiteral("customer.tags=manual_review"),
                             QStringLiteral("customer.company=manual_review")};
    m_ui = std::make_unique<UiFixture>(40, options, SyncFixture::layoutOfRow());
    QVERIFY2(m_ui->isReady(), qPrintable(m_ui->error()));
}

void TestConflictsPage::cleanup()
{
    m_ui.reset();
}

ConflictsPage *TestConflictsPage::openConflicts()
{
    MainWindow &window = m_ui->openWindow();
    window.showPage(QStringLiteral("conflicts"));
    return qobject_cast<ConflictsPage *>(window.page(QStringLiteral("conflicts")));
}

void TestConflictsPage::resolvingInTheDetailViewUpdatesBothSidesAndClosesIt_data()
{
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("use backend") << int(Action::UseBackend) << ""
                                 << "+49 111";
    QTest::newRow("use dashboard") << int(Action::UseDashboard) << ""
                                   << "+49 222";
    QTest::newRow("keep both") << int(Action::KeepBoth) << ""
                               << "+49 111 / +49 222";
    QTest::newRow("edit value") << int(Action::EditValue) << "+49 333"
                                << "+49 333";
}

void TestConflictsPage::resolvingInTheDetailViewUpdatesBothSidesAndClosesIt()
{
    QFETCH(int, action);
    QFETCH(QString, typed);
    QFETCH(QString, expected);
    const qint64 user = m_ui->linkedUser();
    const qint64 conflict =
        m_ui->sync().clash(user, QStringLiteral("phone = '+49 111'"), QStringLiteral("phone = '+49 222'"));
    QVERIFY(conflict > 0);
    ConflictsPage *page = openConflicts();
    QTRY_COMPARE_WITH_TIMEOUT(page->detail()->conflictId(), conflict, 10000);

    QPushButton *button = page->detail()->button(Action(action));
    QVERIFY(button->isVisible() && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    if (Action(action) == Action::EditValue) {
        EditValueDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page->findChild<EditValueDialog *>()) != nullptr);
        QCOMPARE(dialog->editor()->text(), QStringLiteral("+49 222")); // starts from the helpdesk's value
        dialog->editor()->setText(typed);
        QTest::keyClick(dialog->editor(), Qt::Key_Return);
    }

    const qint64 customer = m_ui->sync().customerOfUser(user);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_ui->db()
            .value(QStringLiteral("SELECT status FROM sync.conflicts WHERE id = ?"), {conflict})
            .toString(),
        QStringLiteral("resolved"), 10000);
    QCOMPARE(m_ui->sync().userField(user, QStringLiteral("phone")).toString(), expected);
    QCOMPARE(m_ui->sync().customerField(customer, QStringLiteral("phone")).toString(), expected);
    QCOMPARE(m_ui->db()
                 .value(QStringLiteral("SELECT resolved_by FROM sync.conflicts WHERE id = ?"), {conflict})
                 .toString(),
             QStringLiteral("tester"));
    // Gone from the open list, said in the message bar, and in the history with who and how.
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowOfId(QString::number(conflict)), -1, 10000);
    QCOMPARE(page->messageBar()->kind(), MessageBar::Kind::Success);
    QVERIFY2(page->messageBar()->text().contains(expected), qPrintable(page->messageBar()->text()));
    page->showStatus(QStringLiteral("resolved"));
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowOfId(QString::number(conflict)) >= 0, 10000);
    const QJsonObject history = page->model()->rowAt(page->model()->rowOfId(QString::number(conflict)));
    QCOMPARE(history.value(QStringLiteral("resolved_by")).toString(), QStringLiteral("tester"));
    QVERIFY(!history.value(QStringLiteral("resolution")).toString().isEmpty());
}

void TestConflictsPage::textCannotBeMergedButTagsCan()
{
    const qint64 user = m_ui->linkedUser();
    QVERIFY(
        m_ui->sync().product(QStringLiteral("UPDATE backend.users SET tags = '{vip}' WHERE id = ?"), {user}));
    QVERIFY(m_ui->sync().synced());
    const qint64 tags =
        m_ui->sync().clash(user, QStringLiteral("tags = '{vip,beta}'"), QStringLiteral("tags = '{vip,churn-risk}'"));
    QVERIFY(tags > 0);
    const qint64 company =
        m_ui->sync().clash(user, QStringLiteral("company = 'A'"), QStringLiteral("company = 'B'"));
    QVERIFY(company > 0);
    ConflictsPage *page = openConflicts();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 2, 10000);

    page->selectConflict(company);
    QTRY_COMPARE_WITH_TIMEOUT(page->detail()->conflictId(), company, 5000);
    QVERIFY2(!page->detail()->button(Action::Merge)->isEnabled(), "text cannot be merged");
    QVERIFY(!page->detail()->button(Action::Merge)->toolTip().isEmpty());

    page->selectConflict(tags);
    QTRY_COMPARE_WITH_TIMEOUT(page->detail()->conflictId(), tags, 5000);
    QVERIFY(page->detail()->button(Action::Merge)->isEnabled());
    QTest::mouseClick(page->detail()->button(Action::Merge), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_ui->sync().userField(user, QStringLiteral("tags")).toString(),
                              QStringLiteral("{beta,churn-risk,vip}"), 10000);
    QCOMPARE(m_ui->sync().customerField(m_ui->sync().customerOfUser(user), QStringLiteral("tags")).toString(),
             QStringLiteral("{beta,churn-risk,vip}"));
}

void TestConflictsPage::aSelectionIsResolvedAtOnce()
{
    QList<qint64> users = {m_ui->linkedUser()};
    users << m_ui->db()
                 .value(
                     QStringLiteral(
                         "SELECT backend_id FROM sync.links WHERE entity = 'customer' AND backend_id > ? AND "
                         "dashboard_id IS NOT NULL ORDER BY backend_id LIMIT 1"),
                     {users.first()})
                 .toLongLong();
    for (qint64 user : users)
        QVERIFY(m_ui->sync().clash(user, QStringLiteral("phone = '+1 backend'"),
                            QStringLiteral("phone = '+1 helpdesk'")) > 0);
    ConflictsPage *page = openConflicts();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 2, 10000);
    page->table()->selectAll();
    ConflictFilter selection;
    for (int row = 0; row < page->model()->rowCount(); ++row)
        selection.ids << page->model()->rowAt(row).value(QStringLiteral("id")).toInteger();
    page->resolveMany(selection, Action::UseDashboard);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_ui->db()
            .value(QStringLiteral("SELECT count(*) FROM backend.users WHERE phone = '+1 helpdesk'"))
            .toInt(),
        2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 0, 10000);
    QVERIFY2(page->messageBar()->text().contains(QLatin1String("2")), qPrintable(page->messageBar()->text()));
}

void TestConflictsPage::aConflictResolvedElsewhereSaysSoInsteadOfFailingSilently()
{
    const qint64 user = m_ui->linkedUser();
    const qint64 conflict =
        m_ui->sync().clash(user, QStringLiteral("phone = '+49 1'"), QStringLiteral("phone = '+49 2'"));
    ConflictsPage *page = openConflicts();
    QTRY_COMPARE_WITH_TIMEOUT(page->detail()->conflictId(), conflict, 10000);
    // Someone else (the REST API, a colleague) settles it first.
    QVERIFY(
        m_ui->sync()
            .engine()
            .conflicts()
            .resolve(conflict, {ConflictDecision::Kind::UseBackend, {}}, QStringLiteral("colleague"))
            .success);
    QTest::mouseClick(page->detail()->button(Action::UseDashboard), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(page->messageBar()->kind(), MessageBar::Kind::Error, 10000);
    QVERIFY2(page->messageBar()->text().contains(QLatin1String("colleague")),
             qPrintable(page->messageBar()->text()));
    QVERIFY2(page->messageBar()->text().contains(QLatin1String("F5")), "the message says what to do");
    QCOMPARE(m_ui->sync().userField(user, QStringLiteral("phone")).toString(), QStringLiteral("+49 1"));
}

QTEST_MAIN(TestConflictsPage)
#include "tst_conflictspage.moc"
