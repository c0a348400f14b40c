#include "ui/searchpage.h"

#include "queries/searchqueries.h"
#include "ui/errortext.h"
#include "ui/jsontablemodel.h"
#include "ui/messagebar.h"
#include "ui/sourcebadgedelegate.h"
#include "ui/tableviews.h"

#include <QColor>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QTableView>
#include <QTimer>

namespace syncdesk::ui {

QString SearchPage::typeTitle(const QString &type)
{
    static const QHash<QString, const char *> titles{
        {QStringLiteral("customer"), QT_TR_NOOP("Customer")},
        {QStringLiteral("ticket"), QT_TR_NOOP("Ticket")},
        {QStringLiteral("conversation"), QT_TR_NOOP("Conversation")},
        {QStringLiteral("message"), QT_TR_NOOP("Message")},
    };
    const auto it = titles.constFind(type);
    return it == titles.constEnd() ? type : tr(it.value());
}

QString SearchPage::whereText(const QJsonObject &result)
{
    const QString type = result.value(QLatin1String("type")).toString();
    const QString backend = QString::number(result.value(QLatin1String("backend_id")).toInteger());
    const QString dashboard = QString::number(result.value(QLatin1String("dashboard_id")).toInteger());
    const QJsonObject details = result.value(QLatin1String("details")).toObject();
    if (type == QLatin1String("conversation") || type == QLatin1String("message")) {
        const QJsonObject ticket = details.value(QLatin1String("ticket")).toObject();
        const QString conversation =
            QString::number(details.value(QLatin1String("conversation_id")).toInteger());
        const QString where = type == QLatin1String("message") ? tr("in conversation #%1").arg(conversation)
                                                               : tr("conversation #%1").arg(conversation);
        return ticket.isEmpty()
                   ? where
                   : tr("%1, ticket #%2")
                         .arg(where,
                              QString::number(ticket.value(QLatin1String("dashboard_id")).toInteger()));
    }
    const QString source = result.value(QLatin1String("source")).toString();
    if (source == QLatin1String("backend"))
        return tr("backend #%1 only").arg(backend);
    if (source == QLatin1String("dashboard"))
        return tr("dashboard #%1 only").arg(dashboard);
    const QJsonArray differs = result.value(QLatin1String("differs")).toArray();
    if (differs.isEmpty())
        return tr("backend #%1 = dashboard #%2").arg(backend, dashboard);
    QStringList fields;
    for (const QJsonValue &field : differs)
        fields << field.toString();
    return tr("backend #%1, dashboard #%2: %3 differ(s)", nullptr, int(fields.size()))
        .arg(backend, dashboard, fields.join(QStringLiteral(", ")));
}

SearchPage::SearchPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : Page(context, runner, parent)
{
    setObjectName(QStringLiteral("searchPage"));
    auto *bar = new QHBoxLayout;
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("searchBox"));
    m_text->setPlaceholderText(tr("Search customers, tickets, conversations and messages of both systems"));
    m_text->setClearButtonEnabled(true);
    QFont bigger = m_text->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.2);
    m_text->setFont(bigger);
    m_count = new QLabel(this);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_count);
    contentLayout()->addLayout(bar);

    static const QRegularExpression tags(QStringLiteral("</?b>"));
    m_model = new JsonTableModel(
        {{tr("Record"),
          [](const QJsonObject &row, int role) -> QVariant {
              return role == Qt::DisplayRole
                         ? QVariant(typeTitle(row.value(QLatin1String("type")).toString()))
                         : QVariant();
          }},
         {tr("Result"),
          [](const QJsonObject &row, int role) -> QVariant {
              if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                  return {};
              return row.value(QLatin1String("title")).toString();
          }},
         {tr("Systems"),
          [](const QJsonObject &row, int role) -> QVariant {
              if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
                  return whereText(row);
              if (role == Qt::ForegroundRole && !row.value(QLatin1String("differs")).toArray().isEmpty())
                  return QColor(0xe6, 0x51, 0x00);
              return {};
          }},
         {tr("Match"),
          [](const QJsonObject &row, int role) -> QVariant {
              if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                  return {};
              return row.value(QLatin1String("snippet")).toString().remove(tags).simplified();
          }}},
        [](const QJsonObject &row) {
            // One result per record: the link for a pair, else the record's own side and id.
            const qint64 link = row.value(QLatin1String("link_id")).toInteger();
            return row.value(QLatin1String("type")).toString() + QLatin1Char('/') +
                   (link > 0 ? QStringLiteral("link%1").arg(link)
                             : row.value(QLatin1String("source")).toString() +
                                   QString::number(row.value(QLatin1String("backend_id")).toInteger() +
                                                   row.value(QLatin1String("dashboard_id")).toInteger()));
        },
        this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("searchResults"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(0, new SourceBadgeDelegate(m_table));
    TableViews::setUp(m_table);
    m_table->setColumnWidth(0, 130);
    m_table->setColumnWidth(1, 330);
    m_table->setColumnWidth(2, 300);
    contentLayout()->addWidget(m_table, 1);
    auto *hint = new QLabel(tr("Double-click or press Enter to open a result on its page."), this);
    hint->setStyleSheet(QStringLiteral("color: palette(dark);"));
    contentLayout()->addWidget(hint);

    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(300);
    connect(m_text, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, &SearchPage::refresh);
    connect(m_text, &QLineEdit::returnPressed, this, [this]() {
        if (m_typing->isActive()) {
            m_typing->stop();
            refresh();
        } else if (m_model->rowCount() > 0) {
            openResult(std::max(0, m_table->currentIndex().row()));
        }
    });
    connect(m_table, &QTableView::activated, this,
            [this](const QModelIndex &index) { openResult(index.row()); });
}

void SearchPage::refresh()
{
    const QString text = m_text->text();
    const int generation = ++m_generation;
    if (text.trimmed().isEmpty()) {
        m_model->setRows({});
        m_count->clear();
        return;
    }
    m_count->setText(tr("Searching…"));
    query([text](ReadConnections &db) { return SearchQueries::search(db, text, 200, 0); },
          [this, generation](const Result<QJsonObject> &results) {
              if (generation != m_generation)
                  return; // the person typed on; an older answer is not wanted
              if (!results) {
                  m_count->clear();
                  messageBar()->showError(ErrorText::forQuery(tr("the search results"), results.error()));
                  return;
              }
              const QJsonArray items = results->value(QLatin1String("items")).toArray();
              m_model->setRows(items);
              const qint64 total = results->value(QLatin1String("total")).toInteger();
              m_count->setText(
                  total > items.size()
                      ? tr("best %1 of %2").arg(QLocale().toString(items.size()), QLocale().toString(total))
                      : tr("%n result(s)", nullptr, int(total)));
              if (!items.isEmpty())
                  m_table->setCurrentIndex(m_model->index(0, 0));
              Q_EMIT searched(int(items.size()));
          });
}

bool SearchPage::focusSearch()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
    return true;
}

void SearchPage::search(const QString &text)
{
    m_text->setText(text);
    m_typing->stop();
    refresh();
}

void SearchPage::openResult(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QJsonObject result = m_model->rowAt(row);
    const QString type = result.value(QLatin1String("type")).toString();
    const qint64 backendId = result.value(QLatin1String("backend_id")).toInteger();
    const qint64 dashboardId = result.value(QLatin1String("dashboard_id")).toInteger();
    QJsonObject details = result.value(QLatin1String("details")).toObject();
    details.insert(QStringLiteral("title"), result.value(QLatin1String("title")));
    // A pair opens on its page by the helpdesk's id, which both pages list it under.
    if (type == QLatin1String("customer"))
        Q_EMIT openRecord(dashboardId > 0 ? QStringLiteral("dashboard_customer")
                                          : QStringLiteral("backend_user"),
                          dashboardId > 0 ? dashboardId : backendId, details);
    else if (type == QLatin1String("ticket"))
        Q_EMIT openRecord(dashboardId > 0 ? QStringLiteral("dashboard_ticket")
                                          : QStringLiteral("backend_ticket"),
                          dashboardId > 0 ? dashboardId : backendId, details);
    else
        Q_EMIT openRecord(type, backendId, details);
}

} // namespace syncdesk::ui
