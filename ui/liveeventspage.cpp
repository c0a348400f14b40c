#include "ui/liveeventspage.h"

#include "queries/eventqueries.h"
#include "service/datasyncservice.h"
#include "ui/errortext.h"
#include "ui/icons.h"
#include "ui/liveeventdetail.h"
#include "ui/liveeventfilter.h"
#include "ui/liveeventmodel.h"
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
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

namespace syncdesk::ui {

LiveEventsPage::LiveEventsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent,
                               int capacity)
    : Page(context, runner, parent)
{
    setObjectName(QStringLiteral("liveEventsPage"));
    m_model = new LiveEventModel(capacity, this);
    m_filter = new LiveEventFilter(this);
    m_filter->setSourceModel(m_model);

    auto *bar = new QHBoxLayout;
    m_follow = new QToolButton(this);
    m_follow->setText(tr("Follow"));
    m_follow->setToolTip(tr("Keep the newest event in view"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_pause = new QToolButton(this);
    m_pause->setIcon(Icons::get(QStringLiteral("pause")));
    m_pause->setText(tr("Pause"));
    m_pause->setToolTip(tr("Hold new events back while you read; they are added when you continue"));
    m_pause->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_pause->setCheckable(true);
    m_side = new QComboBox(this);
    m_side->addItem(tr("Both sides"), QString());
    m_side->addItem(tr("From the backend"), QStringLiteral("backend"));
    m_side->addItem(tr("From the dashboard"), QStringLiteral("dashboard"));
    m_entity = new QComboBox(this);
    m_entity->addItem(tr("All entities"), QString());
    for (const QString &entity : {QStringLiteral("customer"), QStringLiteral("ticket"),
                                  QStringLiteral("conversation"), QStringLiteral("task")})
        m_entity->addItem(LiveEventRow::entityTitle(entity), entity);
    m_status = new QComboBox(this);
    m_status->addItem(tr("Any state"), QString());
    for (const QString &status : {QStringLiteral("synced"), QStringLiteral("conflict"),
                                  QStringLiteral("resolved"), QStringLiteral("failed"),
                                  QStringLiteral("dead"), QStringLiteral("retried"), QStringLiteral("info")})
        m_status->addItem(LiveEventRow::statusTitle(status), status);
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Filter by text (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    auto *clear = new QToolButton(this);
    clear->setText(tr("Clear"));
    clear->setToolTip(tr("Empty the list (the events stay in the database)"));
    bar->addWidget(m_follow);
    bar->addWidget(m_pause);
    bar->addWidget(m_side);
    bar->addWidget(m_entity);
    bar->addWidget(m_status);
    bar->addWidget(m_text, 1);
    bar->addWidget(clear);
    contentLayout()->addLayout(bar);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("liveSplitter"));
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("liveTable"));
    m_table->setModel(m_filter);
    // Fixed row heights and no content-based column sizing: with 50,000 rows anything that measures
    // every row would stall the GUI thread.
    TableViews::setUp(m_table, true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const QList<int> widths{100, 120, 90, 90, 120, 80};
    for (int column = 0; column < widths.size(); ++column)
        m_table->setColumnWidth(column, widths.at(column));
    m_detail = new LiveEventDetail(splitter);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    contentLayout()->addWidget(splitter, 1);

    auto *bottom = new QHBoxLayout;
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("liveCounts"));
    m_retrySelected = new QPushButton(Icons::get(QStringLiteral("retry")), tr("Retry selected"), this);
    m_retrySelected->setObjectName(QStringLiteral("retrySelected"));
    m_retrySelected->setToolTip(tr("Queue the selected dead changes again"));
    m_retryAll = new QPushButton(Icons::get(QStringLiteral("retry")), tr("Retry all dead"), this);
    m_retryAll->setObjectName(QStringLiteral("retryAllDead"));
    m_retryAll->setToolTip(tr("Queue every dead change in the database again"));
    bottom->addWidget(m_counts, 1);
    bottom->addWidget(m_retrySelected);
    bottom->addWidget(m_retryAll);
    contentLayout()->addLayout(bottom);

    connect(m_follow, &QToolButton::toggled, this, &LiveEventsPage::setFollowing);
    connect(m_pause, &QToolButton::toggled, this, &LiveEventsPage::setPaused);
    for (QComboBox *combo : {m_side, m_entity, m_status})
        connect(combo, &QComboBox::currentIndexChanged, this, &LiveEventsPage::applyFilters);
    // Typing re-filters up to 50,000 rows: wait for a pause in typing.
    auto *typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(200);
    connect(m_text, &QLineEdit::textChanged, typing, qOverload<>(&QTimer::start));
    connect(typing, &QTimer::timeout, this, &LiveEventsPage::applyFilters);
    connect(clear, &QToolButton::clicked, this, [this]() {
        m_model->clear();
        m_held.clear();
        m_detail->clear();
        updateCounts();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LiveEventsPage::showCurrent);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { onRowsInserted(first, last); });
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // Scrolling down to read means "stop following"; back at the top means follow again.
        if (value > 0 && m_following)
            m_follow->setChecked(false);
    });
    connect(m_retrySelected, &QPushButton::clicked, this, [this]() { retryEvents(selectedDeadEvents()); });
    connect(m_retryAll, &QPushButton::clicked, this, &LiveEventsPage::retryAllDead);
    connect(m_detail, &LiveEventDetail::retryRequested, this, [this](qint64 id) { retryEvents({id}); });
    connect(m_detail, &LiveEventDetail::openConflicts, this,
            [this]() { Q_EMIT showPage(QStringLiteral("conflicts")); });
    connect(m_detail, &LiveEventDetail::outboxEventWanted, this, [this](qint64 id) {
        query([id](ReadConnections &db) { return EventQueries::get(db, id); },
              [this, id](const Result<QJsonObject> &event) {
                  if (event)
                      m_detail->showOutboxEvent(id, event.value());
                  else
                      m_detail->showLoadError(
                          ErrorText::forQuery(tr("the captured change %1").arg(id), event.error()));
              });
    });
    // The count line is redrawn at most four times a second, not once per batch.
    auto *countsTimer = new QTimer(this);
    countsTimer->setInterval(250);
    connect(countsTimer, &QTimer::timeout, this, [this]() {
        if (m_countsDirty)
            updateCounts();
    });
    countsTimer->start();
    if (context.engine)
        connect(context.engine, &DataSyncService::liveEvents, this, &LiveEventsPage::addEvents);
    updateCounts();
}

void LiveEventsPage::refresh()
{
    // The dead changes already waiting in the database (live events only tell of new ones).
    EventFilter dead;
    dead.status = QStringLiteral("dead");
    dead.limit = 1000;
    query([dead](ReadConnections &db) { return EventQueries::recent(db, dead); },
          [this](const Result<QJsonArray> &events) {
              if (!events) {
                  messageBar()->showError(ErrorText::forQuery(tr("the dead changes"), events.error()));
                  return;
              }
              const QList<qint64> shown = m_model->deadEventIds();
              QList<LiveEventRow> rows;
              for (qsizetype i = events->size() - 1; i >= 0; --i) {
                  LiveEventRow row = LiveEventRow::fromOutboxEvent(events->at(i).toObject());
                  if (!shown.contains(row.eventId))
                      rows << row;
              }
              m_model->append(rows);
              m_countsDirty = true;
          });
}

bool LiveEventsPage::focusSearch()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
    return true;
}

void LiveEventsPage::addEvents(const LiveEvents &events)
{
    QList<LiveEventRow> rows;
    rows.reserve(events.size());
    for (const LiveEvent &event : events)
        rows << LiveEventRow::fromLiveEvent(event);
    if (m_paused) {
        m_held << rows;
        if (m_held.size() > m_model->capacity())
            m_held.remove(0, m_held.size() - m_model->capacity());
    } else {
        m_model->append(std::move(rows));
    }
    m_countsDirty = true;
}

void LiveEventsPage::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    if (m_paused == paused)
        return;
    m_paused = paused;
    m_pause->setText(paused ? tr("Continue") : tr("Pause"));
    m_pause->setIcon(Icons::get(paused ? QStringLiteral("resume") : QStringLiteral("pause")));
    if (!paused)
        m_model->append(std::exchange(m_held, {}));
    updateCounts();
}

void LiveEventsPage::setFollowing(bool following)
{
    if (m_follow->isChecked() != following)
        m_follow->setChecked(following);
    m_following = following;
    if (following)
        m_table->scrollToTop();
}

void LiveEventsPage::onRowsInserted(int first, int last)
{
    if (m_following) {
        m_table->verticalScrollBar()->setValue(0);
        return;
    }
    // Rows arrive above what the person is reading: keep those rows where they are on screen.
    QScrollBar *scroll = m_table->verticalScrollBar();
    const int top = m_table->rowAt(0);
    if (first <= top || top < 0) {
        const QSignalBlocker blocker(scroll);
        scroll->setValue(scroll->value() + (last - first + 1));
    }
}

void LiveEventsPage::applyFilters()
{
    m_filter->setSide(m_side->currentData().toString());
    m_filter->setEntity(m_entity->currentData().toString());
    m_filter->setStatus(m_status->currentData().toString());
    m_filter->setText(m_text->text());
    updateCounts();
}

void LiveEventsPage::showCurrent()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->showRow(m_model->rowAt(current.row()));
}

void LiveEventsPage::updateCounts()
{
    m_countsDirty = false;
    const QLocale locale;
    QString text = tr("%1 shown of %2 kept · %3 received")
                       .arg(locale.toString(m_filter->rowCount()), locale.toString(m_model->rowCount()),
                            locale.toString(m_model->received()));
    if (m_paused)
        text += QStringLiteral(" · ") + tr("paused, %n new event(s) held back", nullptr, int(m_held.size()));
    m_counts->setText(text);
}

QList<qint64> LiveEventsPage::selectedDeadEvents() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        const LiveEventRow &row = m_model->rowAt(m_filter->mapToSource(index).row());
        if (row.status == QLatin1String("dead") && row.eventId && !ids.contains(row.eventId))
            ids << row.eventId;
    }
    return ids;
}

void LiveEventsPage::retryEvents(const QList<qint64> &eventIds)
{
    if (eventIds.isEmpty()) {
        messageBar()->showMessage(MessageBar::Kind::Info,
                                  tr("Select one or more dead changes (state \"dead\") to retry them."));
        return;
    }
    DataSyncService *engine = context().engine;
    m_retrySelected->setEnabled(false);
    runner()->run(
        this,
        [engine, eventIds]() -> Result<int> {
            int retried = 0;
            for (qint64 id : eventIds) {
                auto one = engine->retryDeadEvents(id);
                if (!one)
                    return Result<int>::failure(one.error());
                retried += one.value();
            }
            return Result<int>::success(retried);
        },
        [this, eventIds](const Result<int> &retried) {
            m_retrySelected->setEnabled(true);
            if (!retried) {
                messageBar()->showError(ErrorText::forOperation(
                    tr("Retrying"),
                    OperationResult::fail(OperationResult::Failure::Unavailable, retried.error())));
                return;
            }
            m_model->markRetried(QSet<qint64>(eventIds.cbegin(), eventIds.cend()));
            messageBar()->showSuccess(
                tr("%n change(s) queued again; the engine applies them now.", nullptr, retried.value()));
        });
}

void LiveEventsPage::retryAllDead()
{
    DataSyncService *engine = context().engine;
    const QList<qint64> shown = m_model->deadEventIds();
    m_retryAll->setEnabled(false);
    runner()->run(
        this, [engine]() { return engine->retryDeadEvents(std::nullopt); },
        [this, shown](const Result<int> &retried) {
            m_retryAll->setEnabled(true);
            if (!retried) {
                messageBar()->showError(ErrorText::forOperation(
                    tr("Retrying"),
                    OperationResult::fail(OperationResult::Failure::Unavailable, retried.error())));
                return;
            }
            m_model->markRetried(QSet<qint64>(shown.cbegin(), shown.cend()));
            messageBar()->showSuccess(retried.value() == 0
                                          ? tr("There was no dead change to retry.")
                                          : tr("%n change(s) queued again; the engine applies them now.",
                                               nullptr, retried.value()));
        });
}

} // namespace syncdesk::ui
