#include "ui/searchpage.h"

#include "queries/searchqueries.h"
#include "ui/errortext.h"
#include "ui/jsontablemodel.h"
#include "ui/messagebar.h"
#include "ui/sourcebadgedelegate.h"
#include "ui/tableviews.h"

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

QString SearchPage::sourceTitle(const QString &source)
{
    static const QHash<QString, const char *> titles{
        {QStringLiteral("backend_user"), QT_TR_NOOP("Backend user")},
        {QStringLiteral("dashboard_customer"), QT_TR_NOOP("Dashboard customer")},
        {QStringLiteral("backend_ticket"), QT_TR_NOOP("Backend ticket")},
        {QStringLiteral("dashboard_ticket"), QT_TR_NOOP("Dashboard ticket")},
        {QStringLiteral("conversation"), QT_TR_NOOP("Conversation")},
        {QStringLiteral("message"), QT_TR_NOOP("Message")},
    };
    const auto it = titles.constFind(source);
    return it == titles.constEnd() ? source : tr(it.value());
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
        {{tr("Source"),
          [](const QJsonObject &row, int role) -> QVariant {
              return role == Qt::DisplayRole
                         ? QVariant(sourceTitle(row.value(QLatin1String("source")).toString()))
                         : QVariant();
          }},
         {tr("Result"),
          [](const QJsonObject &row, int role) -> QVariant {
              if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                  return {};
              return QStringLiteral("%1 (#%2)")
                  .arg(row.value(QLatin1String("title")).toString(),
                       QString::number(row.value(QLatin1String("id")).toInteger()));
          }},
         {tr("Match"),
          [](const QJsonObject &row, int role) -> QVariant {
              if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                  return {};
              return row.value(QLatin1String("snippet")).toString().remove(tags).simplified();
          }}},
        [](const QJsonObject &row) {
            return row.value(QLatin1String("source")).toString() + QLatin1Char('/') +
                   QString::number(row.value(QLatin1String("id")).toInteger());
        },
        this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("searchResults"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(0, new SourceBadgeDelegate(m_table));
    TableViews::setUp(m_table);
    m_table->setColumnWidth(0, 170);
    m_table->setColumnWidth(1, 360);
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
    QJsonObject details = result.value(QLatin1String("details")).toObject();
    details.insert(QStringLiteral("title"), result.value(QLatin1String("title")));
    Q_EMIT openRecord(result.value(QLatin1String("source")).toString(),
                      result.value(QLatin1String("id")).toInteger(), details);
}

} // namespace syncdesk::ui
