// Renders every page of the window offscreen, on the demo data set with the day of history it opens on
// (`syncdesk --demo`) and live demo traffic, into PNG files for the documentation. Run by
// scripts/screenshots.sh (which starts and stops the throw-away PostgreSQL):
// syncdesk-screenshots <output folder> [--language de]
#include "demo/demotraffic.h"
#include "ui/conflictspage.h"
#include "ui/consistencycheckcontroller.h"
#include "ui/conversationspage.h"
#include "ui/jsontablemodel.h"
#include "ui/liveeventfilter.h"
#include "ui/liveeventmodel.h"
#include "ui/liveeventspage.h"
#include "ui/searchpage.h"
#include "ui/translationloader.h"
#include "uifixture.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonObject>
#include <QDir>
#include <QElapsedTimer>
#include <QTableView>
#include <QTest>
#include <QThread>

#include <cstdio>

using namespace syncdesk;
using namespace syncdesk::test;
using namespace syncdesk::ui;

namespace {

void settle(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
}

bool save(QWidget *widget, const QString &path)
{
    const bool ok = widget->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED to write", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() < 2) {
        std::fprintf(stderr, "usage: syncdesk-screenshots <output folder> [--language de]\n");
        return 2;
    }
    const QString folder = arguments.at(1);
    const int languageAt = int(arguments.indexOf(QStringLiteral("--language")));
    const QString language = languageAt > 0 ? arguments.value(languageAt + 1) : QStringLiteral("en");
    QDir().mkpath(folder);
    UiFixture::isolateSettings();
    TranslationLoader::install(language);
    QApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 9));

    // The default conflict rules, as a new installation has them; the day's conflicts come with the demo.
    EngineOptions options = SyncFixture::defaults();
    options.healthIntervalMs = 1000;
    UiFixture ui(300, options, SyncFixture::Layout::OneDatabase, true);
    if (!ui.isReady()) {
        std::fprintf(stderr, "syncdesk-screenshots: %s\n", qPrintable(ui.error()));
        return 1;
    }
    // Live demo traffic, as `syncdesk --demo` runs it.
    DemoOptions demo;
    demo.rate = 5;
    QThread trafficThread;
    auto *traffic = new DemoTraffic(ui.db().connections(), ui.db().connections(), demo);
    traffic->moveToThread(&trafficThread);
    QObject::connect(&trafficThread, &QThread::finished, traffic, &QObject::deleteLater);
    trafficThread.start();
    QMetaObject::invokeMethod(traffic, &DemoTraffic::start, Qt::QueuedConnection);

    MainWindow &window = ui.openWindow();
    window.resize(1400, 860);
    window.showPage(QStringLiteral("live"));
    settle(12000); // the live list fills; the chart shows the seeded day and these seconds at its end

    // The consistency check, run from the overview; its report is a screenshot of its own.
    window.showPage(QStringLiteral("overview"));
    window.consistency()->start();
    settle(4000);
    for (QWidget *top : QApplication::topLevelWidgets()) {
        if (top->objectName() == QLatin1String("consistencyReportDialog") && top->isVisible()) {
            save(top, folder + QStringLiteral("/consistency-report.png"));
            top->close();
        }
    }
    int failures = 0;
    const QStringList pages{
        QStringLiteral("overview"),      QStringLiteral("live"),        QStringLiteral("conflicts"),
        QStringLiteral("conversations"), QStringLiteral("tickets"),     QStringLiteral("customers"),
        QStringLiteral("search"),        QStringLiteral("consistency"), QStringLiteral("settings")};
    for (const QString &name : pages) {
        window.showPage(name);
        if (name == QLatin1String("search"))
            static_cast<SearchPage *>(window.page(name))->search(QStringLiteral("refund"));
        settle(2500);
        if (name == QLatin1String("live")) {
            // Hold the list still and show what one customer change did, field by field.
            auto *live = static_cast<LiveEventsPage *>(window.page(name));
            live->setPaused(true);
            for (int row = 0; row < live->filter()->rowCount(); ++row) {
                const LiveEventRow &event =
                    live->model()->rowAt(live->filter()->mapToSource(live->filter()->index(row, 0)).row());
                if (event.kind == QLatin1String("record_synced") &&
                    event.entity == QLatin1String("customer")) {
                    live->table()->selectRow(row);
                    break;
                }
            }
            settle(500);
        }
        if (name == QLatin1String("conflicts")) {
            // The whole day: settled ones with how, the few still waiting; one of those compared.
            auto *conflicts = static_cast<ConflictsPage *>(window.page(name));
            auto *status = conflicts->findChild<QComboBox *>(QStringLiteral("conflictStatus"));
            status->setCurrentIndex(status->findData(QString()));
            settle(2000);
            for (int row = 0; row < conflicts->model()->rowCount(); ++row) {
                const QJsonObject conflict = conflicts->model()->rowAt(row);
                if (conflict.value(QLatin1String("status")).toString() == QLatin1String("open") &&
                    conflict.value(QLatin1String("field")).toString() == QLatin1String("email")) {
                    conflicts->selectConflict(conflict.value(QLatin1String("id")).toInteger());
                    break;
                }
            }
            settle(1500);
        }
        if (name == QLatin1String("conversations")) {
            // The newest first, as the page opens; the newest that became a ticket shows why.
            auto *conversations = static_cast<ConversationsPage *>(window.page(name));
            QAbstractItemModel *shown = conversations->table()->model();
            int ticketed = 0;
            for (int row = 0; row < shown->rowCount(); ++row) {
                const QJsonObject conversation = shown->index(row, 0).data(JsonTableModel::RowRole).toJsonObject();
                if (!conversation.value(QLatin1String("ticket")).toObject().isEmpty()) {
                    ticketed = row;
                    break;
                }
            }
            conversations->table()->selectRow(ticketed);
            settle(1500);
        }
        failures += save(&window, QStringLiteral("%1/%2.png").arg(folder, name)) ? 0 : 1;
    }
    QMetaObject::invokeMethod(traffic, &DemoTraffic::stop, Qt::BlockingQueuedConnection);
    trafficThread.quit();
    trafficThread.wait();
    ui.closeWindow();
    return failures == 0 ? 0 : 1;
}
