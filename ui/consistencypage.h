#pragma once

#include "ui/page.h"

class QPushButton;
class QTableView;

namespace syncdesk::ui {

class ConsistencyCheckController;
class ConsistencyReportView;
class JsonTableModel;

// The history of consistency checks (scheduled and by hand) with their counts; the selected run's
// report; run one now.
class ConsistencyPage : public Page
{
    Q_OBJECT

public:
    ConsistencyPage(const UiContext &context, BackgroundRunner *runner,
                    ConsistencyCheckController *consistency, QWidget *parent = nullptr);

    QString title() const override { return tr("Consistency"); }
    QString iconName() const override { return QStringLiteral("consistency"); }
    void refresh() override;

    JsonTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    ConsistencyReportView *report() const { return m_report; }

private:
    void showRun();

    ConsistencyCheckController *m_consistency;
    JsonTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    ConsistencyReportView *m_report = nullptr;
    QPushButton *m_run = nullptr;
};

} // namespace syncdesk::ui
