#include "ui/conversationspage.h"

#include "queries/conversationqueries.h"
#include "service/datasyncservice.h"
#include "ui/confidencedelegate.h"
#include "ui/conversationdetail.h"
#include "ui/createticketdialog.h"
#include "ui/errortext.h"
#include "ui/jsontablemodel.h"
#include "ui/linkticketdialog.h"
#include "ui/messagebar.h"
#include "ui/tableviews.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>

namespace syncdesk::ui {

namespace {

constexpr int ConfidenceRole = JsonTableModel::SortRole + 10;

QVariant analysisCell(const QJsonObject &row, const QString &key, int role)
{
    const QJsonObject analysis = row.value(QLatin1String("analysis")).toObject();
    if (role != Qt::DisplayRole || analysis.isEmpty())
        return {};
    if (key == QLatin1String("result"))
        return ConversationDetail::resultTitle(analysis.value(key).toString());
    if (key == QLatin1String("sentiment"))
        return QLocale().toString(analysis.value(key).toDouble(), 'f', 2);
    return analysis.value(key).toString();
}

} // namespace

ConversationsPage::ConversationsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : Page(context, runner, parent)
{
    setObjectName(QStringLiteral("conversationsPage"));
    auto *bar = new QHBoxLayout;
    m_view = new QComboBox(this);
    m_view->setObjectName(QStringLiteral("conversationView"));
    m_view->addItem(tr("All conversations"), QStringLiteral("all"));
    m_view->addItem(tr("Needs review"), QStringLiteral("needs_review"));
    m_view->addItem(tr("Above threshold without ticket"), QStringLiteral("above_threshold_without_ticket"));
    m_view->addItem(tr("With a ticket"), QStringLiteral("with_ticket"));
    m_view->addItem(tr("Not analysed"), QStringLiteral("not_analyzed"));
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Subject or customer (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    bar->addWidget(m_view);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_count);
    contentLayout()->addLayout(bar);

    const auto plain = [](const QString &key) {
        return [key](const QJsonObject &row, int role) -> QVariant {
            return role == Qt::DisplayRole || role == Qt::ToolTipRole ? QVariant(row.value(key).toVariant())
                                                                      : QVariant();
        };
    };
    const auto fromAnalysis = [](const QString &key) {
        return [key](const QJsonObject &row, int role) { return analysisCell(row, key, role); };
    };
    m_model = new JsonTableModel(
        {
            {tr("Last activity"),
             [](const QJsonObject &row, int role) -> QVariant {
                 const QDateTime at = QDateTime::fromString(row.value(QLatin1String("updated_at")).toString(),
                                                            Qt::ISODateWithMs);
                 if (role == JsonTableModel::SortRole)
                     return at;
                 return role == Qt::DisplayRole
                            ? QVariant(QLocale().toString(at.toLocalTime(), QLocale::ShortFormat))
                            : QVariant();
             }},
            {tr("Customer"), plain(QStringLiteral("customer"))},
            {tr("Subject"), plain(QStringLiteral("subject"))},
            {tr("Confidence"),
             [](const QJsonObject &row, int role) -> QVariant {
                 const QJsonObject analysis = row.value(QLatin1String("analysis")).toObject();
                 if (analysis.isEmpty())
                     return role == JsonTableModel::SortRole ? QVariant(-1.0) : QVariant();
                 if (role == ConfidenceRole || role == JsonTableModel::SortRole)
                     return analysis.value(QLatin1String("confidence")).toDouble();
                 return {};
             }},
            {tr("Result"), fromAnalysis(QStringLiteral("result"))},
            {tr("Category"), fromAnalysis(QStringLiteral("category"))},
            {tr("Priority"), fromAnalysis(QStringLiteral("priority"))},
            {tr("Sentiment"), fromAnalysis(QStringLiteral("sentiment"))},
            {tr("Status"), plain(QStringLiteral("status"))},
            {tr("Messages"), plain(QStringLiteral("message_count"))},
            {tr("Ticket"),
             [](const QJsonObject &row, int role) -> QVariant {
                 const QJsonObject ticket = row.value(QLatin1String("ticket")).toObject();
                 if (role != Qt::DisplayRole || ticket.isEmpty())
                     return {};
                 return QStringLiteral("#%1 %2").arg(
                     QString::number(ticket.value(QLatin1String("dashboard_ticket_id")).toInteger()),
                     ticket.value(QLatin1String("status")).toString());
             }},
        },
        JsonTableModel::idKey(QStringLiteral("id")), this);
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(JsonTableModel::SortRole);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("conversationTable"));
    m_table->setModel(m_sorted);
    TableViews::setUp(m_table);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::DescendingOrder);
    auto *delegate = new ConfidenceDelegate(context.settings.autoTicketThreshold, m_table);
    delegate->setValueRole(ConfidenceRole);
    m_table->setItemDelegateForColumn(3, delegate);
    m_detail = new ConversationDetail(context.settings.autoTicketThreshold, splitter);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    contentLayout()->addWidget(splitter, 1);

    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(300);
    connect(m_text, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &ConversationsPage::refresh);
    connect(m_view, &QComboBox::currentIndexChanged, this, &ConversationsPage::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                // Re-selecting the conversation already shown (after a refresh) leaves its transcript where
                // it is.
                const qint64 id =
                    current.isValid() ? current.data(JsonTableModel::IdRole).toString().toLongLong() : 0;
                if (id && id != m_shown)
                    loadDetail(id);
            });
    connect(m_detail, &ConversationDetail::analyzeRequested, this, &ConversationsPage::analyze);
    connect(m_detail, &ConversationDetail::createTicketRequested, this, [this](qint64) {
        auto *dialog = new CreateTicketDialog(m_detail->conversation(), this);
        connect(dialog, &CreateTicketDialog::draftChosen, this, &ConversationsPage::createTicket);
        dialog->open();
    });
    connect(m_detail, &ConversationDetail::linkTicketRequested, this, [this](qint64) {
        auto *dialog = new LinkTicketDialog(this->context(), this->runner(), m_detail->conversation(), this);
        connect(dialog, &LinkTicketDialog::ticketChosen, this, &ConversationsPage::linkTicket);
        dialog->open();
    });
    // New analyses and tickets arrive as live events: re-read while the page is in view, at most every two
    // seconds.
    m_liveRefresh = new QTimer(this);
    m_liveRefresh->setSingleShot(true);
    m_liveRefresh->setInterval(2000);
    connect(m_liveRefresh, &QTimer::timeout, this, [this]() {
        if (isVisible())
            load(false);
    });
    connect(context.engine, &DataSyncService::liveEvents, this, [this](const LiveEvents &events) {
        if (!hasLoaded() || !isVisible())
            return;
        bool concerns = false;
        bool shown = false;
        for (const LiveEvent &event : events) {
            if (event.kind == LiveEventKind::Analysis || event.kind == LiveEventKind::TicketCreated ||
                event.kind == LiveEventKind::ConversationLinked) {
                concerns = true;
                shown = shown || event.payload.value(QLatin1String("conversation_id")).toInteger() == m_shown;
            }
        }
        if (concerns && !m_liveRefresh->isActive())
            m_liveRefresh->start();
        if (shown && m_shown)
            loadDetail(m_shown); // the conversation in view was analysed or got its ticket
    });
    connect(m_detail, &ConversationDetail::openTicket, this,
            [this](qint64 ticketId) { Q_EMIT openRecord(QStringLiteral("dashboard_ticket"), ticketId, {}); });
}

void ConversationsPage::refresh()
{
    load(true);
}

void ConversationsPage::load(bool withDetail)
{
    ConversationFilter filter;
    filter.view = m_view->currentData().toString();
    filter.text = m_text->text();
    filter.threshold = context().settings.autoTicketThreshold;
    filter.limit = 500;
    query([filter](ReadConnections &db) { return ConversationQueries::list(db, filter); },
          [this, withDetail](const Result<QJsonObject> &list) {
              if (!list) {
                  messageBar()->showError(ErrorText::forQuery(tr("the conversations"), list.error()));
                  return;
              }
              const bool first = m_model->rowCount() == 0;
              m_model->setRows(list->value(QLatin1String("items")).toArray());
              if (first && m_model->rowCount() > 0) {
                  TableViews::fitColumns(m_table, 260);
                  m_table->setColumnWidth(3, 100); // the confidence bar
              }
              const qint64 total = list->value(QLatin1String("total")).toInteger();
              m_count->setText(total > m_model->rowCount() ? tr("%1 of %2 shown")
                                                                 .arg(QLocale().toString(m_model->rowCount()),
                                                                      QLocale().toString(total))
                                                           : tr("%n conversation(s)", nullptr, int(total)));
              if (m_shown) {
                  // A refresh that reordered the list loses the selection: put it back on the conversation
                  // shown.
                  const int row = m_model->rowOfId(QString::number(m_shown));
                  const QModelIndex current = m_table->currentIndex();
                  if (row >= 0 && (!current.isValid() ||
                                   current.data(JsonTableModel::IdRole).toString().toLongLong() != m_shown))
                      m_table->setCurrentIndex(m_sorted->mapFromSource(m_model->index(row, 0)));
                  if (withDetail)
                      loadDetail(m_shown);
              } else if (m_model->rowCount() > 0) {
                  m_table->setCurrentIndex(m_sorted->index(0, 0));
              }
          });
}

bool ConversationsPage::focusSearch()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
    return true;
}

void ConversationsPage::setView(const QString &view)
{
    m_view->setCurrentIndex(std::max(0, m_view->findData(view)));
}

void ConversationsPage::showConversation(qint64 conversationId)
{
    const int row = m_model->rowOfId(QString::number(conversationId));
    if (row >= 0)
        m_table->setCurrentIndex(m_sorted->mapFromSource(m_model->index(row, 0)));
    else
        loadDetail(conversationId); // not in the current list: show it anyway
}

void ConversationsPage::loadDetail(qint64 conversationId)
{
    m_shown = conversationId;
    query([conversationId](ReadConnections &db) { return ConversationQueries::get(db, conversationId); },
          [this, conversationId](const Result<QJsonObject> &conversation) {
              if (conversationId != m_shown)
                  return;
              if (!conversation) {
                  messageBar()->showError(
                      ErrorText::forQuery(tr("conversation %1").arg(conversationId), conversation.error()));
                  return;
              }
              m_detail->showConversation(conversation.value());
          });
}

void ConversationsPage::afterOperation(const QString &action, qint64 conversationId,
                                       const OperationResult &result, const QString &success)
{
    m_detail->setBusy(false);
    if (!result.success) {
        messageBar()->showError(ErrorText::forOperation(action, result));
        return;
    }
    messageBar()->showSuccess(success);
    m_shown = conversationId;
    refresh();
}

void ConversationsPage::analyze(qint64 conversationId)
{
    DataSyncService *engine = context().engine;
    m_detail->setBusy(true);
    runner()->run(
        this,
        [engine, conversationId]() { return engine->operations().analyzeConversationForTicket(conversationId); },
        [this, conversationId](const OperationResult &result) {
            afterOperation(tr("Analysing conversation %1").arg(conversationId), conversationId, result,
                           tr("Conversation %1 analysed: %2 (confidence %3 %).")
                               .arg(QString::number(conversationId),
                                    ConversationDetail::resultTitle(
                                        result.data.value(QLatin1String("result")).toString()),
                                    QString::number(qRound(
                                        result.data.value(QLatin1String("confidence")).toDouble() * 100))));
        });
}

void ConversationsPage::createTicket(qint64 conversationId, const TicketDraft &draft)
{
    DataSyncService *engine = context().engine;
    const QString actor = context().actor;
    m_detail->setBusy(true);
    runner()->run(
        this,
        [engine, conversationId, draft, actor]() { return engine->operations().createTicketFromConversation(conversationId, draft, actor); },
        [this, conversationId](const OperationResult &result) {
            afterOperation(
                tr("Creating a ticket"), conversationId, result,
                tr("Ticket #%1 created on both sides and linked to conversation %2.")
                    .arg(QString::number(result.data.value(QLatin1String("dashboard_ticket_id")).toInteger()),
                         QString::number(conversationId)));
        });
}

void ConversationsPage::linkTicket(qint64 conversationId, qint64 dashboardTicketId)
{
    DataSyncService *engine = context().engine;
    const QString actor = context().actor;
    m_detail->setBusy(true);
    runner()->run(
        this,
        [engine, conversationId, dashboardTicketId, actor]() { return engine->operations().linkConversationToTicket(conversationId, dashboardTicketId, actor); },
        [this, conversationId, dashboardTicketId](const OperationResult &result) {
            afterOperation(tr("Linking the ticket"), conversationId, result,
                           tr("Conversation %1 linked to ticket #%2.")
                               .arg(QString::number(conversationId), QString::number(dashboardTicketId)));
        });
}

} // namespace syncdesk::ui
