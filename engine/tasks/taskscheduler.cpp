#include "tasks/taskscheduler.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"
#include "tasks/cleanuptask.h"
#include "tasks/consistencychecker.h"

namespace syncdesk {

namespace {
constexpr int kLockClass = 1398361667;
constexpr int kConsistencyLock = 10;
constexpr int kCleanupLock = 11;
} // namespace

TaskScheduler::TaskScheduler(std::shared_ptr<ConnectionProvider> connections, Options options, QObject *parent)
    : QObject(parent)
    , m_connections(std::move(connections))
    , m_options(options)
    , m_consistencyTimer(new QTimer(this))
    , m_cleanupTimer(new QTimer(this))
{
    m_consistencyTimer->setInterval(int(std::min<qint64>(m_options.consistencyIntervalMs, INT_MAX)));
    m_cleanupTimer->setInterval(int(std::min<qint64>(m_options.cleanupIntervalMs, INT_MAX)));
    connect(m_consistencyTimer, &QTimer::timeout, this, [this]() { runConsistencyCheck(0, QStringLiteral("schedule")); });
    connect(m_cleanupTimer, &QTimer::timeout, this, [this]() { runCleanup(QStringLiteral("schedule")); });
}

void TaskScheduler::start()
{
    m_consistencyTimer->start();
    m_cleanupTimer->start();
    Q_EMIT taskScheduled(QLatin1String(consistencyTask), m_consistencyTimer->interval());
    Q_EMIT taskScheduled(QLatin1String(cleanupTask), m_cleanupTimer->interval());
}

void TaskScheduler::setIntervals(qint64 consistencyIntervalMs, qint64 cleanupIntervalMs)
{
    m_options.consistencyIntervalMs = consistencyIntervalMs;
    m_options.cleanupIntervalMs = cleanupIntervalMs;
    const bool running = m_consistencyTimer->isActive();
    m_consistencyTimer->setInterval(int(std::min<qint64>(consistencyIntervalMs, INT_MAX)));
    m_cleanupTimer->setInterval(int(std::min<qint64>(cleanupIntervalMs, INT_MAX)));
    if (running)
        start(); // restarts both timers and reports the new next runs
}

void TaskScheduler::stop()
{
    m_consistencyTimer->stop();
    m_cleanupTimer->stop();
}

bool TaskScheduler::tryLock(int key)
{
    auto db = m_connections->database();
    if (!db)
        return false;
    auto locked = sql::scalar(db.value(), QStringLiteral("SELECT pg_try_advisory_lock(%1, %2)").arg(kLockClass).arg(key));
    return locked && locked.value().toBool();
}

void TaskScheduler::unlock(int key)
{
    if (auto db = m_connections->database())
        sql::exec(db.value(), QStringLiteral("SELECT pg_advisory_unlock(%1, %2)").arg(kLockClass).arg(key));
}

void TaskScheduler::runConsistencyCheck(qint64 runId, const QString &triggeredBy)
{
    const QString task = QLatin1String(consistencyTask);
    auto db = m_connections->database();
    if (!db) {
        Q_EMIT taskFinished(task, runId, false, db.error(), {});
        return;
    }
    if (!tryLock(kConsistencyLock)) {
        const QString why = QStringLiteral("another SyncDesk instance is running a consistency check");
        if (runId)
            sql::exec(db.value(), QStringLiteral("UPDATE sync.consistency_runs SET status = 'cancelled', finished_at = now(), "
                                                 "error = ? WHERE id = ?"),
                      {why, runId});
        Q_EMIT taskFinished(task, runId, false, why, {});
        return;
    }
    QSqlDatabase dashboardDb;
    if (m_options.dashboard) {
        auto opened = m_options.dashboard->database();
        if (!opened) {
            unlock(kConsistencyLock);
            if (runId)
                sql::exec(db.value(), QStringLiteral("UPDATE sync.consistency_runs SET status = 'failed', finished_at = now(), "
                                                     "error = ? WHERE id = ?"),
                          {opened.error(), runId});
            Q_EMIT taskFinished(task, runId, false, opened.error(), {});
            return;
        }
        dashboardDb = opened.value();
    }
    ConsistencyChecker checker(db.value(), dashboardDb, m_options.mapping);
    ConsistencyChecker::DirectAdoption adoption;
    adoption.connections = m_connections;
    adoption.journal = m_options.journal.get();
    adoption.announce = m_options.announce;
    adoption.viaQueue = m_options.viaQueue;
    checker.adoptDirectly(adoption);
    if (!runId) {
        auto created = checker.createRun(triggeredBy);
        if (!created) {
            unlock(kConsistencyLock);
            Q_EMIT taskFinished(task, 0, false, created.error(), {});
            return;
        }
        runId = created.value();
    }
    Q_EMIT taskStarted(task, runId);
    auto report = checker.run(runId, true, [this, runId, task](double fraction, const QString &step) {
        Q_EMIT taskProgress(task, runId, fraction, step);
    });
    unlock(kConsistencyLock);
    if (!report) {
        Q_EMIT taskFinished(task, runId, false, report.error(), {});
        return;
    }
    Q_EMIT taskFinished(task, runId, true,
                        QStringLiteral("%1 issue(s), %2 repaired, %3 remaining")
                            .arg(report->issuesFound)
                            .arg(report->repaired)
                            .arg(report->remaining()),
                        report->toJson());
}

void TaskScheduler::runCleanup(const QString &triggeredBy)
{
    const QString task = QLatin1String(cleanupTask);
    auto db = m_connections->database();
    if (!db) {
        Q_EMIT taskFinished(task, 0, false, db.error(), {});
        return;
    }
    if (!tryLock(kCleanupLock)) {
        Q_EMIT taskFinished(task, 0, false, QStringLiteral("another SyncDesk instance is cleaning up"), {});
        return;
    }
    Q_EMIT taskStarted(task, 0);
    qCDebug(lcTasks) << "cleanup triggered by" << triggeredBy;
    auto report = CleanupTask(db.value(), m_options.retentionDays, m_options.auditRetentionDays).run();
    if (report && m_options.dashboard) {
        auto dashboardDb = m_options.dashboard->database();
        auto dashboard = dashboardDb ? CleanupTask(dashboardDb.value(), m_options.retentionDays, m_options.auditRetentionDays).run()
                                     : Result<CleanupReport>::failure(dashboardDb.error());
        if (dashboard) {
            CleanupReport both = report.value();
            both.partitionsDropped += dashboard->partitionsDropped;
            both.partitionsCreated += dashboard->partitionsCreated;
            both.eventsDeleted += dashboard->eventsDeleted;
            report = Result<CleanupReport>::success(both);
        } else {
            report = Result<CleanupReport>::failure(QStringLiteral("dashboard database: ") + dashboard.error());
        }
    }
    unlock(kCleanupLock);
    if (!report) {
        Q_EMIT taskFinished(task, 0, false, report.error(), {});
        return;
    }
    Q_EMIT taskFinished(task, 0, true,
                        QStringLiteral("%1 partition(s) dropped, %2 change(s), %3 history row(s) and %4 audit row(s) deleted")
                            .arg(report->partitionsDropped)
                            .arg(report->eventsDeleted)
                            .arg(report->historyDeleted)
                            .arg(report->auditDeleted),
                        report->toJson());
}

} // namespace syncdesk
