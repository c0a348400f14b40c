#pragma once

#include "ui/recordspage.h"

class QPushButton;

namespace syncdesk::ui {

// Customers of both systems side by side (the product's users, the helpdesk's customers) with each
// pair's sync state; "Sync now" reconciles the selected customer at once.
class CustomersPage : public RecordsPage
{
    Q_OBJECT

public:
    CustomersPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    QString title() const override { return tr("Customers"); }
    QString iconName() const override { return QStringLiteral("customers"); }
    void syncNow();

protected:
    QList<JsonTableModel::Column> columns() const override;
    Loader loader() const override;
    QStringList detailFields() const override;
    QString recordName() const override { return tr("the customers"); }
    void currentChanged(const QJsonObject &record) override;
    bool concerns(const LiveEvent &event) const override;

private:
    QPushButton *m_sync = nullptr;
};

} // namespace syncdesk::ui
