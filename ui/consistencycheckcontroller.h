#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace syncdesk {
class DataSyncService;
}

namespace syncdesk::ui {

class BackgroundRunner;

// "Run consistency check" wherever it is offered: asks the engine for a run (off the GUI thread),
// shows its progress, then its report. A run cannot be stopped half-way (its repairs are set-based
// statements), so the progress dialog offers to carry on in the background instead of cancelling.
class ConsistencyCheckController : public QObject
{
    Q_OBJECT

public:
    ConsistencyCheckController(DataSyncService *engine, BackgroundRunner *runner, QString actor,
                               QWidget *dialogParent);

    void start();
    bool isRunning() const { return m_starting || m_runId != 0; }

Q_SIGNALS:
    void started(qint64 runId);
    void finished(qint64 runId, bool ok, const QString &summary, const QJsonObject &report);
    void failed(const QString &message);
    // A record double-clicked in the report dialog (which then closes), for the window to show.
    void openRecord(const QString &source, qint64 id, const QJsonObject &details);

private:
    struct Outcome
    {
        bool ok = false;
        QString summary;
        QJsonObject report;
    };
    void onProgress(const QString &task, qint64 runId, double fraction, const QString &step);
    void onFinished(const QString &task, qint64 runId, bool ok, const QString &summary,
                    const QJsonObject &report);
    void complete(qint64 runId, const Outcome &outcome);

    DataSyncService *m_engine;
    BackgroundRunner *m_runner;
    QString m_actor;
    QWidget *m_dialogParent;
    QPointer<QProgressDialog> m_progress;
    bool m_starting = false;
    qint64 m_runId = 0;
    // Runs that finished before their id came back from the worker (a small database checks fast).
    QHash<qint64, Outcome> m_early;
};

} // namespace syncdesk::ui
