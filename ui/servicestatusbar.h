#pragma once

#include "service/servicestatus.h"

#include <QWidget>

class QLabel;

namespace syncdesk::ui {

// The status bar's permanent part: each side's connection, the queue, throughput, open conflicts and,
// when it applies, why the engine is degraded or that it is paused.
class ServiceStatusBar : public QWidget
{
    Q_OBJECT

public:
    explicit ServiceStatusBar(QWidget *parent = nullptr);

    void showStatus(const syncdesk::ServiceStatus &status);
    QString summary() const; // all labels' text, for tests and the accessible description

private:
    QLabel *addLabel(const QString &objectName);

    QLabel *m_backend = nullptr;
    QLabel *m_dashboard = nullptr;
    QLabel *m_queue = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_conflicts = nullptr;
    QLabel *m_state = nullptr;
};

} // namespace syncdesk::ui
