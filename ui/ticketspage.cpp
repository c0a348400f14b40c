#include "ui/ticketspage.h"

#include "queries/ticketqueries.h"
#include "service/datasyncservice.h"
#include "ui/errortext.h"
#include "ui/messagebar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

JsonTableModel::Column sideColumn(const QString &header, const QString &side, const QString &field)
{
    return {header, [side, field](const QJsonObject &row, int role) -> QVariant {
                const QJsonObject record = row.value(side).toObject();
                const bool differs =
                    row.value(QLatin1String("differs")).toArray().contains(QJsonValue(field));
                if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
                    return record.value(field).toString();
                if (role == Qt::BackgroundRole && differs)
                    return QColor(0xff, 0xf3, 0xc4);
                return {};
            }};
}

JsonTableModel::Column idColumn(const QString &header, const QString &key)
{
    return {header, [key](const QJsonObject &row, int role) -> QVariant {
                const qint64 id = row.value(key).toInteger();
                return role == Qt::DisplayRole ? (id ? QVariant(id) : QVariant(QString())) : QVariant();
            }};
}

} // namespace

TicketsPage::TicketsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : RecordsPage(context, runner, parent)
{
    setObjectName(QStringLiteral("ticketsPage"));
    setUp();
    auto *line = new QHBoxLayout;
    line->addWidget(new QLabel(tr("Status:"), this));
    m_status = new QComboBox(this);
    m_status->setObjectName(QStringLiteral("ticketStatus"));
    for (const QString &status :
         {QStringLiteral("new"), QStringLiteral("open"), QStringLiteral("pending"), QStringLiteral("on_hold"),
          QStringLiteral("resolved"), QStringLiteral("closed")})
        m_status->addItem(status, status);
    m_apply = new QPushButton(tr("Change status"), this);
    m_apply->setObjectName(QStringLiteral("changeTicketStatus"));
    m_apply->setToolTip(
        tr("Sets the status on both sides, updates the linked conversations and notifies the customer"));
    line->addWidget(m_status, 1);
    line->addWidget(m_apply);
    actionLayout()->addLayout(line);
    m_status->setEnabled(false);
    m_apply->setEnabled(false);
    connect(m_apply, &QPushButton::clicked, this, [this]() {
        changeStatus(currentRecord().value(QLatin1String("dashboard_id")).toInteger(),
                     m_status->currentData().toString());
    });
}

QList<JsonTableModel::Column> TicketsPage::columns() const
{
    const QString b = QStringLiteral("backend");
    const QString d = QStringLiteral("dashboard");
    return {{tr("State"), &RecordsPage::stateCell},
            {tr("Customer"),
             [](const QJsonObject &row, int role) -> QVariant {
                 return role == Qt::DisplayRole ? QVariant(row.value(QLatin1String("customer"))
                                                               .toObject()
                                                               .value(QLatin1String("name"))
                                                               .toString())
                                                : QVariant();
             }},
            idColumn(tr("Backend #"), QStringLiteral("backend_id")),
            sideColumn(tr("Subject (backend)"), b, QStringLiteral("subject")),
            sideColumn(tr("Status (backend)"), b, QStringLiteral("status")),
            sideColumn(tr("Priority (backend)"), b, QStringLiteral("priority")),
            idColumn(tr("Dashboard #"), QStringLiteral("dashboard_id")),
            sideColumn(tr("Subject (dashboard)"), d, QStringLiteral("subject")),
            sideColumn(tr("Status (dashboard)"), d, QStringLiteral("status")),
            sideColumn(tr("Priority (dashboard)"), d, QStringLiteral("priority")),
            sideColumn(tr("Assignee"), d, QStringLiteral("assignee"))};
}

RecordsPage::Loader TicketsPage::loader() const
{
    return &TicketQueries::list;
}

QStringList TicketsPage::detailFields() const
{
    // The fields that travel between the systems (assignee and source are the helpdesk's own).
    return {QStringLiteral("subject"), QStringLiteral("status"), QStringLiteral("priority"),
            QStringLiteral("category")};
}

bool TicketsPage::concerns(const LiveEvent &event) const
{
    return event.kind.startsWith(QLatin1String("ticket_")) ||
           event.payload.value(QLatin1String("entity")).toString() == QLatin1String("ticket");
}

void TicketsPage::currentChanged(const QJsonObject &record)
{
    const QJsonObject dashboard = record.value(QLatin1String("dashboard")).toObject();
    const bool editable = !dashboard.isEmpty();
    m_status->setEnabled(editable);
    m_apply->setEnabled(editable);
    m_apply->setToolTip(
        editable
            ? tr("Sets the status on both sides, updates the linked conversations and notifies the customer")
            : tr("Only tickets the helpdesk has can change status here; this one is not synced yet."));
    if (editable)
        m_status->setCurrentIndex(
            std::max(0, m_status->findData(dashboard.value(QLatin1String("status")).toString())));
}

void TicketsPage::changeStatus(qint64 dashboardTicketId, const QString &status)
{
    if (!dashboardTicketId)
        return;
    DataSyncService *engine = context().engine;
    const QString actor = context().actor;
    m_apply->setEnabled(false);
    runner()->run(
        this,
        [engine, dashboardTicketId, status, actor]() { return engine->operations().handleTicketStatusChange(dashboardTicketId, status, actor); },
        [this, dashboardTicketId, status](const OperationResult &result) {
            m_apply->setEnabled(true);
            if (!result.success) {
                messageBar()->showError(ErrorText::forOperation(
                    tr("Changing the status of ticket %1").arg(dashboardTicketId), result));
                return;
            }
            messageBar()->showSuccess(
                tr("Ticket #%1 is now %2 on both sides; its conversations follow and the customer is "
                   "notified.")
                    .arg(QString::number(dashboardTicketId), status));
            refresh();
        });
}

} // namespace syncdesk::ui
