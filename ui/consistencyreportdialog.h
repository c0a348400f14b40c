#pragma once

#include <QDialog>
#include <QJsonObject>

namespace syncdesk::ui {

class ConsistencyReportView;

// Shows the report of a consistency check someone just ran.
class ConsistencyReportDialog : public QDialog
{
    Q_OBJECT

public:
    ConsistencyReportDialog(qint64 runId, bool ok, const QString &summary, const QJsonObject &report,
                            QWidget *parent = nullptr);

    ConsistencyReportView *view() const { return m_view; }

private:
    ConsistencyReportView *m_view = nullptr;
};

} // namespace syncdesk::ui
