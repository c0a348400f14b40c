#include "headlessservice.h"

#include "database/statisticspoller.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

#include <csignal>
#include <cstdio>

Q_LOGGING_CATEGORY(lcHeadless, "syncdesk.app.headless", QtInfoMsg)

namespace syncdesk::app {

HeadlessService::HeadlessService(SyncRuntime &runtime, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
{}

int HeadlessService::exec()
{
    UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    connect(&signalWatcher, &UnixSignalWatcher::signalReceived, qApp, [](int number) {
        qCInfo(lcHeadless).noquote() << (number == SIGTERM ? "SIGTERM" : "SIGINT") << "received; stopping";
        QCoreApplication::quit();
    });

    if (Status started = m_runtime.startServices(); !started) {
        std::fprintf(stderr, "syncdesk: cannot start: %s\n", qPrintable(started.error()));
        m_runtime.stop();
        return 1;
    }
    // One line a minute, so the service log shows it is alive and how the queue is doing.
    QDateTime lastReport;
    connect(m_runtime.statistics(), &StatisticsPoller::statisticsChanged, this,
            [&lastReport](const DatabaseStatistics &stats) {
                if (lastReport.isValid() && lastReport.secsTo(stats.collectedAt) < 60)
                    return;
                lastReport = stats.collectedAt;
                qCInfo(lcHeadless).noquote()
                    << QStringLiteral("backend: %1 users, %2 tickets; dashboard: %3 customers, %4 tickets; "
                                      "queue: %5 pending, %6 dead, %7 captured in the last minute")
                           .arg(stats.backendUsers)
                           .arg(stats.backendTickets)
                           .arg(stats.dashboardCustomers)
                           .arg(stats.dashboardTickets)
                           .arg(stats.pendingEvents)
                           .arg(stats.deadEvents)
                           .arg(stats.capturedLastMinute);
            });
    connect(m_runtime.statistics(), &StatisticsPoller::collectionFailed, this,
            [](const QString &message) { qCWarning(lcHeadless).noquote() << message; });
    qCInfo(lcHeadless).noquote() << "SyncDesk is running headless on" << m_runtime.databaseDescription()
                                 << "- stop with Ctrl+C or SIGTERM";
    const int code = QCoreApplication::exec();
    m_runtime.stop();
    qCInfo(lcHeadless) << "stopped";
    return code;
}

} // namespace syncdesk::app
