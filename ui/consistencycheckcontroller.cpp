#include "ui/consistencycheckcontroller.h"

#include "service/datasyncservice.h"
#include "tasks/taskscheduler.h"
#include "ui/backgroundrunner.h"
#include "ui/consistencyreportdialog.h"
#include "ui/consistencyreportview.h"

#include <QLoggingCategory>
#include <QProgressDialog>

Q_LOGGING_CATEGORY(lcUiConsistency, "syncdesk.ui.consistency", QtInfoMsg)

namespace syncdesk::ui {

ConsistencyCheckController::ConsistencyCheckController(DataSyncService *engine, BackgroundRunner *runner,
                                                       QString actor, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_engine(engine)
    , m_runner(runner)
    , m_actor(std::move(actor))
    , m_dialogParent(dialogParent)
{
    connect(m_engine, &DataSyncService::taskProgress, this, &ConsistencyCheckController::onProgress);
    connect(m_engine, &DataSyncService::taskFinished, this, &ConsistencyCheckController::onFinished);
}

void ConsistencyCheckController::start()
{
    if (isRunning()) {
        if (m_progress)
            m_progress->show();
        return;
    }
    m_starting = true;
    m_progress = new QProgressDialog(tr("Starting the consistency check…"), tr("Run in background"), 0, 100,
                                     m_dialogParent);
    m_progress->setObjectName(QStringLiteral("consistencyProgress"));
    m_progress->setWindowTitle(tr("Consistency check"));
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    m_progress->setMinimumDuration(0);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setValue(0);
    // Not modal: a modal progress dialog runs the event loop inside setValue(), where the check's end
    // (which closes the dialog) could arrive. The window stays usable while the check runs anyway.
    m_progress->setWindowModality(Qt::NonModal);
    // "Run in background" only hides the dialog: the report still opens when the check is done.
    connect(m_progress, &QProgressDialog::canceled, m_progress, &QWidget::close);
    m_progress->show();

    DataSyncService *engine = m_engine;
    const QString actor = m_actor;
    m_runner->run(
        this, [engine, actor]() { return engine->startConsistencyCheck(actor); },
        [this](const Result<qint64> &run) {
            m_starting = false;
            if (!run) {
                if (m_progress)
                    m_progress->close();
                const QString message =
                    tr("The consistency check could not start: %1. Check the database connection in "
                       "the status bar and try again.")
                        .arg(run.error());
                qCWarning(lcUiConsistency).noquote() << message;
                Q_EMIT failed(message);
                return;
            }
            m_runId = run.value();
            if (m_progress)
                m_progress->setLabelText(tr("Checking consistency (run %1)…").arg(m_runId));
            Q_EMIT started(m_runId);
            if (m_early.contains(m_runId))
                complete(m_runId, m_early.take(m_runId));
        });
}

void ConsistencyCheckController::onProgress(const QString &task, qint64 runId, double fraction,
                                            const QString &step)
{
    if (task != QLatin1String(TaskScheduler::consistencyTask) || runId != m_runId || !m_progress ||
        !m_progress->isVisible())
        return;
    m_progress->setValue(int(fraction * 100.0));
    m_progress->setLabelText(tr("Checking: %1").arg(step));
}

void ConsistencyCheckController::onFinished(const QString &task, qint64 runId, bool ok,
                                            const QString &summary, const QJsonObject &report)
{
    if (task != QLatin1String(TaskScheduler::consistencyTask))
        return;
    const Outcome outcome{ok, summary, report};
    if (runId != 0 && runId == m_runId) {
        complete(runId, outcome);
    } else if (m_starting) {
        m_early.insert(runId, outcome);
    } else {
        Q_EMIT finished(runId, ok, summary, report); // a scheduled run: the pages refresh, no dialog
    }
}

void ConsistencyCheckController::complete(qint64 runId, const Outcome &outcome)
{
    m_runId = 0;
    m_early.clear();
    if (m_progress)
        m_progress->close();
    auto *dialog =
        new ConsistencyReportDialog(runId, outcome.ok, outcome.summary, outcome.report, m_dialogParent);
    connect(dialog->view(), &ConsistencyReportView::openRecord, this,
            [this, dialog](const QString &source, qint64 id, const QJsonObject &details) {
                dialog->accept();
                Q_EMIT openRecord(source, id, details);
            });
    dialog->open();
    Q_EMIT finished(runId, outcome.ok, outcome.summary, outcome.report);
}

} // namespace syncdesk::ui
