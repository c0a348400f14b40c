#pragma once

#include "ui/recordspage.h"

class QComboBox;
class QPushButton;

namespace syncdesk::ui {

// Tickets of both systems side by side with each pair's sync state; a ticket's status changed here
// propagates to the other side, its conversations and the customer's notifications.
class TicketsPage : public RecordsPage
{
    Q_OBJECT

public:
    TicketsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    QString title() const override { return tr("Tickets"); }
    QString iconName() const override { return QStringLiteral("tickets"); }
    void changeStatus(qint64 dashboardTicketId, const QString &status);
    QComboBox *statusBox() const { return m_status; }
    QPushButton *applyButton() const { return m_apply; }

protected:
    QList<JsonTableModel::Column> columns() const override;
    Loader loader() const override;
    QStringList detailFields() const override;
    QString recordName() const override { return tr("the tickets"); }
    void currentChanged(const QJsonObject &record) override;
    bool concerns(const LiveEvent &event) const override;

private:
    QComboBox *m_status = nullptr;
    QPushButton *m_apply = nullptr;
};

} // namespace syncdesk::ui
