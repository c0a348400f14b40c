#include "ui/recordspage.h"

#include "service/datasyncservice.h"
#include "ui/comparisonmodel.h"
#include "ui/errortext.h"
#include "ui/fieldcomparison.h"
#include "ui/messagebar.h"
#include "ui/tableviews.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {
constexpr int kPageSize = 200;
}

RecordsPage::RecordsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : Page(context, runner, parent)
{}

QString RecordsPage::stateTitle(const QString &state)
{
    static const QHash<QString, const char *> titles{
        {QStringLiteral("in_sync"), QT_TR_NOOP("in sync")},
        {QStringLiteral("pending"), QT_TR_NOOP("pending")},
        {QStringLiteral("conflict"), QT_TR_NOOP("conflict")},
        {QStringLiteral("differs"), QT_TR_NOOP("differs")},
        {QStringLiteral("backend_only"), QT_TR_NOOP("backend only")},
        {QStringLiteral("dashboard_only"), QT_TR_NOOP("dashboard only")},
    };
    const auto it = titles.constFind(state);
    return it == titles.constEnd() ? state : tr(it.value());
}

QVariant RecordsPage::stateCell(const QJsonObject &row, int role)
{
    const QString state = row.value(QLatin1String("state")).toString();
    switch (role) {
    case Qt::DisplayRole:
        return stateTitle(state);
    case Qt::ForegroundRole:
        if (state == QLatin1String("in_sync"))
            return QColor(0x2e, 0x7d, 0x32);
        if (state == QLatin1String("conflict"))
            return QColor(0xc6, 0x28, 0x28);
        if (state == QLatin1String("pending") || state == QLatin1String("differs"))
            return QColor(0xef, 0x6c, 0x00);
        return QColor(0x60, 0x7d, 0x8b);
    case Qt::ToolTipRole:
        if (state == QLatin1String("differs"))
            return tr("Linked, but these fields disagree with no change pending: %1. A consistency check "
                      "repairs it.")
                .arg(row.value(QLatin1String("differs"))
                         .toVariant()
                         .toStringList()
                         .join(QStringLiteral(", ")));
        if (state == QLatin1String("pending"))
            return tr("%n captured change(s) wait to be applied.", nullptr,
                      row.value(QLatin1String("pending_events")).toInt());
        if (state == QLatin1String("conflict"))
            return tr("An open conflict waits for a decision on the Conflicts page.");
        return {};
    default:
        return {};
    }
}

void RecordsPage::setUp()
{
    auto *bar = new QHBoxLayout;
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Name, e-mail, company or subject (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_state = new QComboBox(this);
    m_state->addItem(tr("Any state"), QString());
    for (const QString &state :
         {QStringLiteral("in_sync"), QStringLiteral("pending"), QStringLiteral("conflict"),
          QStringLiteral("differs"), QStringLiteral("backend_only"), QStringLiteral("dashboard_only")})
        m_state->addItem(stateTitle(state), state);
    m_count = new QLabel(this);
    m_previous = new QPushButton(tr("Previous"), this);
    m_next = new QPushButton(tr("Next"), this);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_state);
    bar->addWidget(m_count);
    bar->addWidget(m_previous);
    bar->addWidget(m_next);
    contentLayout()->addLayout(bar);

    m_model = new JsonTableModel(
        columns(),
        [](const QJsonObject &row) {
            return QStringLiteral("%1/%2")
                .arg(row.value(QLatin1String("backend_id")).toInteger())
                .arg(row.value(QLatin1String("dashboard_id")).toInteger());
        },
        this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("recordTable"));
    m_table->setModel(m_model);
    TableViews::setUp(m_table);

    auto *detail = new QWidget(splitter);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_detailTitle = new QLabel(tr("Select a record to compare both systems."), detail);
    m_detailTitle->setWordWrap(true);
    detailLayout->addWidget(m_detailTitle);
    m_comparison = new ComparisonModel({tr("Field"), tr("Backend"), tr("Dashboard")}, this);
    auto *fields = new QTableView(detail);
    fields->setObjectName(QStringLiteral("sideBySide"));
    fields->setModel(m_comparison);
    TableViews::setUp(fields);
    fields->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    fields->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    fields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    fields->setSelectionMode(QAbstractItemView::NoSelection);
    detailLayout->addWidget(fields, 1);
    m_actions = new QVBoxLayout;
    detailLayout->addLayout(m_actions);
    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    contentLayout()->addWidget(splitter, 1);

    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(300);
    connect(m_text, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_typing, &QTimer::timeout, this, [this]() {
        m_offset = 0;
        refresh();
    });
    connect(m_state, &QComboBox::currentIndexChanged, this, [this]() {
        m_offset = 0;
        refresh();
    });
    connect(m_previous, &QPushButton::clicked, this, [this]() {
        m_offset = std::max(0, m_offset - kPageSize);
        refresh();
    });
    connect(m_next, &QPushButton::clicked, this, [this]() {
        m_offset += kPageSize;
        refresh();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RecordsPage::onCurrentChanged);
    // Sync states change as the engine works: re-read while the page is in view, at most every two seconds.
    m_liveRefresh = new QTimer(this);
    m_liveRefresh->setSingleShot(true);
    m_liveRefresh->setInterval(2000);
    connect(m_liveRefresh, &QTimer::timeout, this, [this]() {
        if (isVisible())
            refresh();
    });
    if (context().engine) {
        connect(context().engine, &DataSyncService::liveEvents, this, [this](const LiveEvents &events) {
            if (!hasLoaded() || !isVisible() || m_liveRefresh->isActive())
                return;
            if (std::any_of(events.cbegin(), events.cend(),
                            [this](const LiveEvent &event) { return concerns(event); }))
                m_liveRefresh->start();
        });
    }
}

void RecordsPage::refresh()
{
    RecordListFilter filter;
    filter.text = m_text->text();
    filter.state = m_state->currentData().toString();
    filter.limit = kPageSize;
    filter.offset = m_offset;
    const Loader load = loader();
    query([load, filter](ReadConnections &db) { return load(db, filter); },
          [this](const Result<QJsonObject> &list) {
              if (!list) {
                  messageBar()->showError(ErrorText::forQuery(recordName(), list.error()));
                  return;
              }
              const bool first = m_model->rowCount() == 0;
              const QString selected = m_model->idAt(m_table->currentIndex().row());
              m_model->setRows(list->value(QLatin1String("items")).toArray());
              if (first && m_model->rowCount() > 0)
                  TableViews::fitColumns(m_table, 220);
              // A refresh that reordered the list loses the selection: keep the person on their record.
              if (!selected.isEmpty() && !m_table->currentIndex().isValid() &&
                  m_model->rowOfId(selected) >= 0)
                  m_table->setCurrentIndex(m_model->index(m_model->rowOfId(selected), 0));
              m_total = list->value(QLatin1String("total")).toInteger();
              const QLocale locale;
              const QJsonObject states = list->value(QLatin1String("states")).toObject();
              QStringList parts;
              for (auto it = states.constBegin(); it != states.constEnd(); ++it)
                  parts << QStringLiteral("%1 %2").arg(stateTitle(it.key()),
                                                       locale.toString(it.value().toInteger()));
              m_count->setText(m_total == 0 ? tr("nothing found")
                                            : tr("%1–%2 of %3")
                                                  .arg(locale.toString(m_offset + 1),
                                                       locale.toString(m_offset + m_model->rowCount()),
                                                       locale.toString(m_total)));
              m_count->setToolTip(parts.join(QStringLiteral(" · ")));
              m_previous->setEnabled(m_offset > 0);
              m_next->setEnabled(m_offset + m_model->rowCount() < m_total);
              if (m_wantedId)
                  selectWanted();
              else if (m_table->currentIndex().isValid())
                  onCurrentChanged(); // the selected pair's fields may have changed
              else if (m_model->rowCount() > 0)
                  m_table->setCurrentIndex(m_model->index(0, 0));
          });
}

bool RecordsPage::focusSearch()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
    return true;
}

void RecordsPage::setStateFilter(const QString &state)
{
    m_state->setCurrentIndex(std::max(0, m_state->findData(state)));
}

void RecordsPage::setText(const QString &text)
{
    m_text->setText(text);
}

void RecordsPage::showRecord(const QString &side, qint64 id, const QString &text)
{
    m_wantedSide = side;
    m_wantedId = id;
    m_offset = 0;
    {
        const QSignalBlocker blockText(m_text);
        const QSignalBlocker blockState(m_state);
        m_text->setText(text);
        m_state->setCurrentIndex(0);
    }
    refresh();
}

void RecordsPage::selectWanted()
{
    const QString key = m_wantedSide == QLatin1String("dashboard") ? QStringLiteral("dashboard_id")
                                                                   : QStringLiteral("backend_id");
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->rowAt(row).value(key).toInteger() == m_wantedId) {
            m_table->setCurrentIndex(m_model->index(row, 0));
            m_table->scrollTo(m_model->index(row, 0));
            break;
        }
    }
    m_wantedId = 0;
}

QJsonObject RecordsPage::currentRecord() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->rowAt(current.row()) : QJsonObject();
}

void RecordsPage::onCurrentChanged()
{
    const QJsonObject record = currentRecord();
    if (record.isEmpty()) {
        m_comparison->setRows({});
        currentChanged({});
        return;
    }
    const QJsonObject backend = record.value(QLatin1String("backend")).toObject();
    const QJsonObject dashboard = record.value(QLatin1String("dashboard")).toObject();
    m_comparison->setRows(FieldComparison::sideBySide(backend, dashboard, detailFields()));
    const qint64 b = record.value(QLatin1String("backend_id")).toInteger();
    const qint64 d = record.value(QLatin1String("dashboard_id")).toInteger();
    m_detailTitle->setText(tr("<b>%1</b> · backend %2 · dashboard %3")
                               .arg(stateTitle(record.value(QLatin1String("state")).toString()),
                                    b ? QStringLiteral("#%1").arg(b) : tr("none"),
                                    d ? QStringLiteral("#%1").arg(d) : tr("none")));
    currentChanged(record);
}

} // namespace syncdesk::ui
