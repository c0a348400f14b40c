#include "ui/servicestatusbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace syncdesk::ui {

namespace {

QString dot(bool good)
{
    return QStringLiteral("<span style='color:%1'>●</span>")
        .arg(good ? QStringLiteral("#2e7d32") : QStringLiteral("#c62828"));
}

} // namespace

ServiceStatusBar::ServiceStatusBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(16);
    m_state = addLabel(QStringLiteral("statusState"));
    m_backend = addLabel(QStringLiteral("statusBackend"));
    m_dashboard = addLabel(QStringLiteral("statusDashboard"));
    m_queue = addLabel(QStringLiteral("statusQueue"));
    m_rate = addLabel(QStringLiteral("statusRate"));
    m_conflicts = addLabel(QStringLiteral("statusConflicts"));
    m_state->setText(tr("Starting…"));
}

QLabel *ServiceStatusBar::addLabel(const QString &objectName)
{
    auto *label = new QLabel(this);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::RichText);
    layout()->addWidget(label);
    return label;
}

void ServiceStatusBar::showStatus(const ServiceStatus &status)
{
    const QLocale locale;
    m_backend->setText(tr("%1 Backend").arg(dot(status.backendReachable)));
    m_backend->setToolTip(status.backendReachable ? tr("The product backend's database is reachable.")
                                                  : tr("The product backend's database cannot be reached."));
    m_dashboard->setText(tr("%1 Dashboard").arg(dot(status.dashboardReachable)));
    m_dashboard->setToolTip(status.dashboardReachable
                                ? tr("The helpdesk dashboard's database is reachable.")
                                : tr("The helpdesk dashboard's database cannot be reached."));
    m_queue->setText(status.secondsLeft() >= 1 ? tr("Queue: %1 (about %2 s left)")
                                                     .arg(locale.toString(status.queuedEvents),
                                                          locale.toString(status.secondsLeft(), 'f', 0))
                                               : tr("Queue: %1").arg(locale.toString(status.queuedEvents)));
    m_queue->setToolTip(tr("Captured changes waiting to be applied; the oldest waits for %1 s.")
                            .arg(locale.toString(status.oldestPendingSeconds, 'f', 1)));
    m_rate->setText(tr("%1 events/s").arg(locale.toString(status.eventsPerSecond, 'f', 1)));
    m_conflicts->setText(tr("%n open conflict(s)", nullptr, int(status.openConflicts)));
    if (!status.serviceRunning) {
        m_state->setText(tr("<b style='color:#c62828'>Sync stopped</b>"));
        m_state->setToolTip(QString());
    } else if (status.degraded) {
        m_state->setText(tr("<b style='color:#c62828'>Degraded</b>"));
        m_state->setToolTip(status.degradedReasons.join(QLatin1Char('\n')));
    } else if (status.paused) {
        m_state->setText(tr("<b style='color:#ef6c00'>Paused</b>"));
        m_state->setToolTip(tr("Changes are captured but not applied until sync is resumed."));
    } else {
        m_state->setText(tr("<b style='color:#2e7d32'>Syncing</b>"));
        m_state->setToolTip(tr("%1 of %2 workers busy").arg(status.busyWorkers).arg(status.workers));
    }
}

QString ServiceStatusBar::summary() const
{
    QStringList parts;
    for (const QLabel *label : {m_state, m_backend, m_dashboard, m_queue, m_rate, m_conflicts})
        parts << label->text();
    return parts.join(QStringLiteral(" | "));
}

} // namespace syncdesk::ui
