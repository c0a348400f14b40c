#include "ui/overviewpage.h"

#include "queries/consistencyqueries.h"
#include "queries/throughputqueries.h"
#include "service/datasyncservice.h"
#include "tasks/taskscheduler.h"
#include "ui/consistencycheckcontroller.h"
#include "ui/errortext.h"
#include "ui/icons.h"
#include "ui/messagebar.h"
#include "ui/statcard.h"
#include "ui/throughputchart.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QTimer>

#include <algorithm>

namespace syncdesk::ui {

namespace {

QString age(double seconds)
{
    const QLocale locale;
    if (seconds < 120)
        return OverviewPage::tr("%1 s").arg(locale.toString(seconds, 'f', seconds < 10 ? 1 : 0));
    if (seconds < 7200)
        return OverviewPage::tr("%1 min").arg(locale.toString(seconds / 60.0, 'f', 0));
    return OverviewPage::tr("%1 h").arg(locale.toString(seconds / 3600.0, 'f', 1));
}

// One line per background task: running, or when it runs next, and how its last run ended.
QString backgroundTasksText(const ServiceStatus &status)
{
    static const QHash<QString, const char *> names{
        {QStringLiteral("health_monitor"), QT_TRANSLATE_NOOP("syncdesk::ui::OverviewPage", "Health monitor")},
        {QLatin1String(TaskScheduler::consistencyTask),
         QT_TRANSLATE_NOOP("syncdesk::ui::OverviewPage", "Consistency check")},
        {QLatin1String(TaskScheduler::cleanupTask),
         QT_TRANSLATE_NOOP("syncdesk::ui::OverviewPage", "Clean-up")}};
    const QLocale locale;
    QStringList lines;
    for (auto it = status.backgroundTasks.cbegin(); it != status.backgroundTasks.cend(); ++it) {
        const QString name = names.contains(it.key()) ? OverviewPage::tr(names.value(it.key())) : it.key();
        QString line =
            it->running ? OverviewPage::tr("%1: running now").arg(name)
            : it->nextRun.isValid()
                ? OverviewPage::tr("%1: next at %2")
                      .arg(name, locale.toString(it->nextRun.toLocalTime().time(), QLocale::ShortFormat))
                : OverviewPage::tr("%1: not scheduled").arg(name);
        if (!it->lastResult.isEmpty())
            line += OverviewPage::tr(" (last: %1)").arg(it->lastResult);
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

OverviewPage::OverviewPage(const UiContext &context, BackgroundRunner *runner,
                           ConsistencyCheckController *consistency, QWidget *parent)
    : Page(context, runner, parent)
    , m_consistency(consistency)
{
    setObjectName(QStringLiteral("overviewPage"));
    auto *where = new QLabel(tr("Database: %1").arg(context.databaseDescription), this);
    where->setTextFormat(Qt::PlainText);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    where->setWordWrap(true);
    contentLayout()->addWidget(where);

    auto *cards = new QGridLayout;
    m_service = new StatCard(tr("Service"), this);
    m_queue = new StatCard(tr("Queue"), this);
    m_throughput = new StatCard(tr("Throughput"), this);
    m_dead = new StatCard(tr("Dead events"), this);
    m_conflicts = new StatCard(tr("Open conflicts"), this);
    m_lastCheck = new StatCard(tr("Last consistency check"), this);
    m_records = new StatCard(tr("Customers"), this);
    m_tickets = new StatCard(tr("Tickets"), this);
    const QList<StatCard *> all{m_service,   m_queue,     m_throughput, m_dead,
                                m_conflicts, m_lastCheck, m_records,    m_tickets};
    for (int i = 0; i < all.size(); ++i)
        cards->addWidget(all.at(i), i / 4, i % 4);
    m_dead->setToolTip(tr("Open the live events to retry them"));
    m_conflicts->setToolTip(tr("Open the conflicts to review them"));
    m_lastCheck->setToolTip(tr("Open the consistency history"));
    connect(m_dead, &StatCard::clicked, this, [this]() { Q_EMIT showPage(QStringLiteral("live")); });
    connect(m_conflicts, &StatCard::clicked, this,
            [this]() { Q_EMIT showPage(QStringLiteral("conflicts")); });
    connect(m_lastCheck, &StatCard::clicked, this,
            [this]() { Q_EMIT showPage(QStringLiteral("consistency")); });
    connect(m_records, &StatCard::clicked, this, [this]() { Q_EMIT showPage(QStringLiteral("customers")); });
    connect(m_tickets, &StatCard::clicked, this, [this]() { Q_EMIT showPage(QStringLiteral("tickets")); });
    contentLayout()->addLayout(cards);

    auto *buttons = new QHBoxLayout;
    m_check = new QPushButton(Icons::get(QStringLiteral("consistency")), tr("Run consistency check"), this);
    m_check->setObjectName(QStringLiteral("runConsistencyCheck"));
    m_cleanup = new QPushButton(Icons::get(QStringLiteral("cleanup")), tr("Clean up now"), this);
    m_cleanup->setObjectName(QStringLiteral("cleanUpNow"));
    m_cleanup->setToolTip(tr("Drops applied changes and history older than the retention period"));
    m_pause = new QPushButton(Icons::get(QStringLiteral("pause")), tr("Pause sync"), this);
    m_pause->setObjectName(QStringLiteral("pauseSync"));
    buttons->addWidget(m_check);
    buttons->addWidget(m_cleanup);
    buttons->addWidget(m_pause);
    buttons->addStretch(1);
    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("chartRange"));
    m_range->addItem(tr("Live: last 15 minutes"), int(ThroughputChart::Range::Live));
    m_range->addItem(tr("Last hour"), int(ThroughputChart::Range::LastHour));
    m_range->addItem(tr("Last 24 hours"), int(ThroughputChart::Range::LastDay));
    m_range->setToolTip(
        tr("What the chart shows: the live status, or the queue's record of the last hour or day"));
    buttons->addWidget(m_range);
    contentLayout()->addLayout(buttons);

    m_chart = new ThroughputChart(this);
    contentLayout()->addWidget(m_chart, 1);
    // A past period is read again every minute while it is shown.
    m_periodRefresh = new QTimer(this);
    m_periodRefresh->setInterval(60 * 1000);
    connect(m_periodRefresh, &QTimer::timeout, this, &OverviewPage::loadPeriod);
    const int remembered = m_range->findData(
        QSettings().value(QStringLiteral("overview/chartRange"), int(ThroughputChart::Range::LastDay)));
    m_range->setCurrentIndex(std::max(0, remembered));
    connect(m_range, &QComboBox::currentIndexChanged, this, &OverviewPage::onRangeChosen);
    onRangeChosen();

    connect(m_check, &QPushButton::clicked, m_consistency, &ConsistencyCheckController::start);
    connect(m_cleanup, &QPushButton::clicked, this, &OverviewPage::cleanUp);
    connect(m_pause, &QPushButton::clicked, this, &OverviewPage::togglePause);
    connect(m_consistency, &ConsistencyCheckController::failed, messageBar(), &MessageBar::showError);
    connect(m_consistency, &ConsistencyCheckController::finished, this, [this]() { refresh(); });
    connect(context.engine, &DataSyncService::taskFinished, this,
            [this](const QString &task, qint64 runId, bool ok, const QString &summary) {
                onTaskFinished(task, runId, ok, summary);
            });
    showStatus(context.engine->status());
}

void OverviewPage::onRangeChosen()
{
    const auto range = ThroughputChart::Range(m_range->currentData().toInt());
    QSettings().setValue(QStringLiteral("overview/chartRange"), int(range));
    m_chart->setRange(range);
    if (range == ThroughputChart::Range::Live) {
        m_periodRefresh->stop();
        return;
    }
    m_periodRefresh->start();
    loadPeriod();
}

void OverviewPage::loadPeriod()
{
    const auto range = m_chart->range();
    if (range == ThroughputChart::Range::Live)
        return;
    // Periods end on a round minute of this clock, so one read of both queues lines up with the next.
    const int seconds = ThroughputChart::bucketSeconds(range);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QDateTime end = QDateTime::fromSecsSinceEpoch((now / seconds + 1) * seconds, Qt::UTC);
    const int buckets = ThroughputChart::buckets(range);
    query([end, seconds,
           buckets](ReadConnections &db) { return ThroughputQueries::history(db, end, seconds, buckets); },
          [this, range](const Result<QJsonArray> &periods) {
              if (!periods) {
                  messageBar()->showError(ErrorText::forQuery(tr("the throughput history"), periods.error()));
                  return;
              }
              if (range != m_chart->range())
                  return; // another range was chosen meanwhile
              QList<ThroughputHistory::Sample> samples;
              for (const QJsonValue &period : periods.value())
                  samples << ThroughputHistory::Sample{
                      QDateTime::fromString(period[QLatin1String("at")].toString(), Qt::ISODateWithMs),
                      period[QLatin1String("events_per_second")].toDouble(),
                      period[QLatin1String("queued")].toInteger()};
              m_chart->setPeriod(samples);
          });
}

void OverviewPage::refresh()
{
    loadPeriod();
    query([](QSqlDatabase &db) { return ConsistencyQueries::latest(db, 1); },
          [this](const Result<QJsonArray> &runs) {
              if (!runs) {
                  messageBar()->showError(
                      ErrorText::forQuery(tr("the last consistency check"), runs.error()));
                  return;
              }
              if (!runs->isEmpty())
                  showLastCheck(runs->first().toObject());
              else
                  m_lastCheck->setValue(tr("never"), tr("Run one with the button below."));
          });
}

void OverviewPage::showLastCheck(const QJsonObject &run)
{
    const QLocale locale;
    const QString status = run.value(QStringLiteral("status")).toString();
    const QDateTime at =
        QDateTime::fromString(run.value(QStringLiteral("finished_at")).toString(), Qt::ISODateWithMs)
                .isValid()
            ? QDateTime::fromString(run.value(QStringLiteral("finished_at")).toString(), Qt::ISODateWithMs)
            : QDateTime::fromString(run.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    const qint64 issues = run.value(QStringLiteral("issues_found")).toInteger();
    const qint64 repaired = run.value(QStringLiteral("repaired")).toInteger();
    QString detail;
    if (status == QLatin1String("running"))
        detail = tr("running now");
    else if (status == QLatin1String("failed"))
        detail = tr("failed: %1").arg(run.value(QStringLiteral("error")).toString());
    else
        detail = tr("%1 issue(s), %2 repaired").arg(locale.toString(issues), locale.toString(repaired));
    m_lastCheck->setValue(locale.toString(at.toLocalTime(), QLocale::ShortFormat), detail);
    m_lastCheck->setTone(status == QLatin1String("failed") || issues > repaired ? StatCard::Tone::Warning
                                                                                : StatCard::Tone::Normal);
}

void OverviewPage::showStatus(const ServiceStatus &status)
{
    const QLocale locale;
    m_paused = status.paused;
    if (!status.serviceRunning) {
        m_service->setValue(tr("Stopped"), ErrorText::engineStopped());
        m_service->setTone(StatCard::Tone::Bad);
    } else if (status.degraded) {
        m_service->setValue(tr("Degraded"), status.degradedReasons.join(QLatin1Char('\n')));
        m_service->setTone(StatCard::Tone::Bad);
    } else if (status.paused) {
        m_service->setValue(tr("Paused"), tr("Changes are captured and wait until you resume."));
        m_service->setTone(StatCard::Tone::Warning);
    } else {
        m_service->setValue(tr("Syncing"), tr("%1 of %2 workers busy, %n background task(s)", nullptr,
                                              status.activeBackgroundTasks())
                                               .arg(status.busyWorkers)
                                               .arg(status.workers));
        m_service->setTone(StatCard::Tone::Good);
    }
    m_service->setToolTip(backgroundTasksText(status));
    const QString waits = status.queuedEvents > 0
                              ? tr("oldest waits %1").arg(age(status.oldestPendingSeconds))
                              : tr("nothing waits");
    m_queue->setValue(
        locale.toString(status.queuedEvents),
        status.secondsLeft() >= 1 ? tr("%1, about %2 left").arg(waits, age(status.secondsLeft())) : waits);
    m_queue->setTone(status.oldestPendingSeconds > 60 ? StatCard::Tone::Warning : StatCard::Tone::Normal);
    m_throughput->setValue(tr("%1/s").arg(locale.toString(status.eventsPerSecond, 'f', 1)),
                           tr("%1 applied since start").arg(locale.toString(status.processedTotal)));
    m_dead->setValue(locale.toString(status.deadEvents),
                     status.deadEvents > 0 ? tr("retry them on the Live events page") : tr("none"));
    m_dead->setTone(status.deadEvents > 0 ? StatCard::Tone::Bad : StatCard::Tone::Normal);
    m_conflicts->setValue(locale.toString(status.openConflicts),
                          status.openConflicts > 0 ? tr("waiting for a decision") : tr("nothing to review"));
    m_conflicts->setTone(status.openConflicts > 0 ? StatCard::Tone::Warning : StatCard::Tone::Normal);

    const BackgroundTaskStatus check =
        status.backgroundTasks.value(QLatin1String(TaskScheduler::consistencyTask));
    m_check->setEnabled(status.serviceRunning);
    if (check.nextRun.isValid())
        m_check->setToolTip(tr("Next scheduled check: %1")
                                .arg(locale.toString(check.nextRun.toLocalTime(), QLocale::ShortFormat)));
    m_cleanup->setEnabled(status.serviceRunning && !m_cleaning);
    m_pause->setEnabled(status.serviceRunning);
    m_pause->setText(status.paused ? tr("Resume sync") : tr("Pause sync"));
    m_pause->setIcon(Icons::get(status.paused ? QStringLiteral("resume") : QStringLiteral("pause")));
    m_chart->addSample(status.timestamp.isValid() ? status.timestamp : QDateTime::currentDateTimeUtc(),
                       status.eventsPerSecond, status.queuedEvents);
}

void OverviewPage::showStatistics(const DatabaseStatistics &statistics)
{
    const QLocale locale;
    m_records->setValue(
        locale.toString(statistics.dashboardCustomers),
        tr("helpdesk; %1 users in the product").arg(locale.toString(statistics.backendUsers)));
    m_tickets->setValue(locale.toString(statistics.dashboardTickets),
                        tr("helpdesk; %1 in the product, %2 conversations")
                            .arg(locale.toString(statistics.backendTickets),
                                 locale.toString(statistics.backendConversations)));
}

void OverviewPage::togglePause()
{
    if (m_paused) {
        context().engine->resume();
        messageBar()->showSuccess(tr("Sync resumed: the changes that waited are being applied."));
    } else {
        context().engine->pause();
        messageBar()->showMessage(
            MessageBar::Kind::Info,
            tr("Sync paused. Changes are still captured and are applied when you resume."));
    }
    showStatus(context().engine->status());
}

void OverviewPage::cleanUp()
{
    m_cleaning = true;
    m_cleanup->setEnabled(false);
    m_cleanup->setText(tr("Cleaning up…"));
    context().engine->startCleanup(context().actor);
}

void OverviewPage::onTaskFinished(const QString &task, qint64, bool ok, const QString &summary)
{
    if (task != QLatin1String(TaskScheduler::cleanupTask) || !m_cleaning)
        return;
    m_cleaning = false;
    m_cleanup->setEnabled(true);
    m_cleanup->setText(tr("Clean up now"));
    if (ok)
        messageBar()->showSuccess(tr("Clean-up done: %1.").arg(summary));
    else
        messageBar()->showError(
            tr("Clean-up failed: %1. Check the database connection and try again.").arg(summary));
}

} // namespace syncdesk::ui
