#include "ui/customerspage.h"

#include "queries/customerqueries.h"
#include "service/datasyncservice.h"
#include "ui/errortext.h"
#include "ui/messagebar.h"

#include <QPushButton>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

// A side's field, marked when the pair disagrees on it.
JsonTableModel::Column sideColumn(const QString &header, const QString &side, const QString &field)
{
    return {header, [side, field](const QJsonObject &row, int role) -> QVariant {
                const QJsonObject record = row.value(side).toObject();
                if (record.isEmpty())
                    return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
                const bool differs =
                    row.value(QLatin1String("differs")).toArray().contains(QJsonValue(field));
                switch (role) {
                case Qt::DisplayRole:
                case Qt::ToolTipRole: {
                    const QJsonValue value = record.value(field);
                    if (value.isArray()) {
                        QStringList items;
                        for (const QJsonValue &item : value.toArray())
                            items << item.toString();
                        return items.join(QStringLiteral(", "));
                    }
                    return value.toString();
                }
                case Qt::BackgroundRole:
                    return differs ? QVariant(QColor(0xff, 0xf3, 0xc4)) : QVariant();
                default:
                    return {};
                }
            }};
}

JsonTableModel::Column idColumn(const QString &header, const QString &key)
{
    return {header, [key](const QJsonObject &row, int role) -> QVariant {
                const qint64 id = row.value(key).toInteger();
                if (role == Qt::DisplayRole)
                    return id ? QVariant(id) : QVariant(QString());
                return {};
            }};
}

} // namespace

CustomersPage::CustomersPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : RecordsPage(context, runner, parent)
{
    setObjectName(QStringLiteral("customersPage"));
    setUp();
    m_sync = new QPushButton(tr("Sync now"), this);
    m_sync->setObjectName(QStringLiteral("syncCustomerNow"));
    m_sync->setToolTip(tr("Reconcile this customer at once instead of waiting for its next change"));
    m_sync->setEnabled(false);
    actionLayout()->addWidget(m_sync);
    connect(m_sync, &QPushButton::clicked, this, &CustomersPage::syncNow);
}

QList<JsonTableModel::Column> CustomersPage::columns() const
{
    const QString b = QStringLiteral("backend");
    const QString d = QStringLiteral("dashboard");
    return {{tr("State"), &RecordsPage::stateCell},
            idColumn(tr("User #"), QStringLiteral("backend_id")),
            sideColumn(tr("Name (backend)"), b, QStringLiteral("name")),
            sideColumn(tr("E-mail (backend)"), b, QStringLiteral("email")),
            sideColumn(tr("Phone (backend)"), b, QStringLiteral("phone")),
            idColumn(tr("Customer #"), QStringLiteral("dashboard_id")),
            sideColumn(tr("Name (dashboard)"), d, QStringLiteral("name")),
            sideColumn(tr("E-mail (dashboard)"), d, QStringLiteral("email")),
            sideColumn(tr("Phone (dashboard)"), d, QStringLiteral("phone")),
            sideColumn(tr("Company (dashboard)"), d, QStringLiteral("company"))};
}

RecordsPage::Loader CustomersPage::loader() const
{
    return &CustomerQueries::list;
}

QStringList CustomersPage::detailFields() const
{
    return {QStringLiteral("name"),    QStringLiteral("email"),  QStringLiteral("phone"),
            QStringLiteral("company"), QStringLiteral("locale"), QStringLiteral("tags")};
}

bool CustomersPage::concerns(const LiveEvent &event) const
{
    return event.payload.value(QLatin1String("entity")).toString() == QLatin1String("customer");
}

void CustomersPage::currentChanged(const QJsonObject &record)
{
    m_sync->setEnabled(record.value(QLatin1String("backend_id")).toInteger() != 0);
}

void CustomersPage::syncNow()
{
    const qint64 userId = currentRecord().value(QLatin1String("backend_id")).toInteger();
    if (!userId)
        return;
    DataSyncService *engine = context().engine;
    m_sync->setEnabled(false);
    runner()->run(
        this,
        [engine, userId]() { return engine->operations().syncUserData(userId); },
        [this, userId](const OperationResult &result) {
            m_sync->setEnabled(true);
            if (!result.success) {
                messageBar()->showError(ErrorText::forOperation(tr("Syncing user %1").arg(userId), result));
                return;
            }
            messageBar()->showSuccess(
                tr("User %1 reconciled with customer %2 (%3).")
                    .arg(QString::number(userId),
                         QString::number(result.data.value(QLatin1String("customer_id")).toInteger()),
                         result.data.value(QLatin1String("action")).toString()));
            refresh();
        });
}

} // namespace syncdesk::ui
