#include "ui/linkticketdialog.h"

#include "database/connectionprovider.h"
#include "queries/ticketqueries.h"
#include "ui/errortext.h"
#include "ui/page.h"
#include "ui/jsontablemodel.h"
#include "ui/tableviews.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace syncdesk::ui {

LinkTicketDialog::LinkTicketDialog(const UiContext &context, BackgroundRunner *runner,
                                   const QJsonObject &conversation, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_runner(runner)
    , m_conversationId(conversation.value(QLatin1String("id")).toInteger())
    , m_userId(conversation.value(QLatin1String("user_id")).toInteger())
{
    setObjectName(QStringLiteral("linkTicketDialog"));
    setWindowTitle(tr("Link conversation %1 to a ticket").arg(m_conversationId));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("Open tickets of %1 come first; search to find any other ticket.")
                       .arg(conversation.value(QLatin1String("customer")).toString().toHtmlEscaped()),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *bar = new QHBoxLayout;
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Search subject, customer or assignee"));
    m_text->setClearButtonEnabled(true);
    m_all = new QCheckBox(tr("Include resolved and closed"), this);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_all);
    layout->addLayout(bar);
    m_model = new JsonTableModel({{tr("Ticket"),
                                   [](const QJsonObject &row, int role) -> QVariant {
                                       return role == Qt::DisplayRole
                                                  ? QVariant(QStringLiteral("#%1").arg(
                                                        row.value(QLatin1String("dashboard_id")).toInteger()))
                                                  : QVariant();
                                   }},
                                  {tr("Subject"),
                                   [](const QJsonObject &row, int role) -> QVariant {
                                       if (role != Qt::DisplayRole && role != Qt::FontRole)
                                           return {};
                                       if (role == Qt::FontRole) {
                                           QFont font;
                                           font.setBold(row.value(QLatin1String("of_user")).toBool());
                                           return font;
                                       }
                                       return row.value(QLatin1String("dashboard"))
                                           .toObject()
                                           .value(QLatin1String("subject"))
                                           .toString();
                                   }},
                                  {tr("Status"),
                                   [](const QJsonObject &row, int role) -> QVariant {
                                       return role == Qt::DisplayRole
                                                  ? QVariant(row.value(QLatin1String("dashboard"))
                                                                 .toObject()
                                                                 .value(QLatin1String("status"))
                                                                 .toString())
                                                  : QVariant();
                                   }},
                                  {tr("Customer"),
                                   [](const QJsonObject &row, int role) -> QVariant {
                                       return role == Qt::DisplayRole
                                                  ? QVariant(row.value(QLatin1String("customer"))
                                                                 .toObject()
                                                                 .value(QLatin1String("name"))
                                                                 .toString())
                                                  : QVariant();
                                   }}},
                                 JsonTableModel::idKey(QStringLiteral("dashboard_id")), this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    TableViews::setUp(m_table);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    layout->addWidget(m_table, 1);
    m_state = new QLabel(this);
    m_state->setWordWrap(true);
    layout->addWidget(m_state);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Link"));
    m_ok->setEnabled(false);
    layout->addWidget(buttons);

    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(250);
    connect(m_text, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &LinkTicketDialog::search);
    connect(m_all, &QCheckBox::toggled, this, &LinkTicketDialog::search);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this]() { m_ok->setEnabled(chosenTicket() != 0); });
    connect(m_table, &QTableView::doubleClicked, buttons, &QDialogButtonBox::accepted);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        if (const qint64 ticket = chosenTicket()) {
            Q_EMIT ticketChosen(m_conversationId, ticket);
            accept();
        }
    });
    resize(640, 420);
    search();
}

qint64 LinkTicketDialog::chosenTicket() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty()
               ? 0
               : m_model->rowAt(rows.first().row()).value(QLatin1String("dashboard_id")).toInteger();
}

void LinkTicketDialog::search()
{
    RecordListFilter filter;
    filter.text = m_text->text();
    filter.openOnly = !m_all->isChecked();
    filter.userId = m_userId;
    // Without a search, only that customer's tickets; with one, theirs first, then everyone's.
    filter.userFirst = !filter.text.trimmed().isEmpty();
    filter.limit = 100;
    m_state->setText(tr("Searching…"));
    m_runner->run(
        this,
        [database = m_context.database, helpdesk = m_context.helpdeskDatabase, filter]() -> Result<QJsonObject> {
            auto db = Page::readConnections(database, helpdesk);
            if (!db)
                return Result<QJsonObject>::failure(db.error());
            return TicketQueries::list(db.value(), filter);
        },
        [this](const Result<QJsonObject> &tickets) {
            if (!tickets) {
                m_state->setText(ErrorText::forQuery(tr("the tickets"), tickets.error()));
                return;
            }
            // Only tickets the helpdesk has can be linked (the helpdesk owns tickets).
            QJsonArray linkable;
            for (const QJsonValue &item : tickets->value(QLatin1String("items")).toArray()) {
                if (item.toObject().value(QLatin1String("dashboard_id")).toInteger() != 0)
                    linkable.append(item);
            }
            m_model->setRows(linkable);
            m_state->setText(
                linkable.isEmpty()
                    ? tr("No matching ticket. Search for another, include closed ones, or create "
                         "a new ticket instead.")
                    : tr("%n ticket(s) found; bold ones belong to this customer.", nullptr,
                         int(linkable.size())));
            if (m_model->rowCount() > 0 && !m_table->currentIndex().isValid())
                m_table->selectRow(0);
            Q_EMIT searched();
        });
}

} // namespace syncdesk::ui
